"""theano.misc.check_blas: time the matrix product Theano functions run (``C = 0.4 * C + 0.8 *
dot(A, B)``) and report which implementation ran.

Theano timed its own C binding to BLAS (gemm); here the product runs through NumPy's BLAS
(``numpy.dot``) on the CPU, or CuPy's cuBLAS on the GPU, so ``execute`` reports that.  As a
script: ``python -m theano.misc.check_blas [-M m -N n -K k --iter i --order C|F] [-q]``.
"""

import functools
import os
import sys
import time
from optparse import OptionParser

import numpy as np

import theano_compat as theano  # noqa: F401 - a name Theano's module had
from ..backend import current as current_backend
from ..backend import is_device_array
from ..compile import function, shared
from ..config import config
from .. import tensor as T



def _implementation(c):
    if is_device_array(c.get_value(borrow=True, return_internal_type=True)):
        return "GPU (CuPy: cuBLAS through cupy.dot)"
    return ("CPU (without direct Theano binding to blas but with numpy/scipy binding to blas: "
            "this package runs no C code)")


def execute(execute=True, verbose=True, M=2000, N=2000, K=2000, iters=10, order="C"):
    """Time `iters` calls of a function computing ``C = 0.4 * C + 0.8 * dot(A, B)`` on
    (M, N) by (N, K) matrices of ones in config.floatX.

    Returns (seconds for the `iters` calls, the implementation used as a string); with
    ``execute=False`` only the first (warm-up) call runs and the time is -1.  `verbose`
    prints the flags, environment and NumPy configuration that matter.
    """
    if verbose:
        print("Some Theano flags:")
        for name in ("blas.ldflags", "compiledir", "floatX", "device"):
            print(f"    {name}=", functools.reduce(getattr, name.split("."), config))
        print("Some OS information:")
        print("    sys.platform=", sys.platform)
        print("    sys.version=", sys.version)
        print("    sys.prefix=", sys.prefix)
        print("Some environment variables:")
        for var in ("MKL_NUM_THREADS", "OMP_NUM_THREADS", "GOTO_NUM_THREADS"):
            print(f"    {var}=", os.getenv(var))
        print()
        print("Numpy config: (used when the Theano flag \"blas.ldflags\" is empty)")
        np.show_config()
        print("Numpy dot module:", np.dot.__module__)
        print("Numpy location:", np.__file__)
        print("Numpy version:", np.__version__)

    a = shared(np.ones((M, N), dtype=config.floatX, order=order))
    b = shared(np.ones((N, K), dtype=config.floatX, order=order))
    c = shared(np.ones((M, K), dtype=config.floatX, order=order))
    f = function([], updates=[(c, 0.4 * c + 0.8 * T.dot(a, b))])
    impl = _implementation(c)

    t0, t1 = 0, -1
    f()   # the first call is not representative
    if execute:
        backend = current_backend()
        backend.synchronize()   # the warm-up call is not timed (GPU calls are asynchronous)
        t0 = time.time()
        for _ in range(iters):
            f()
        backend.synchronize()
        t1 = time.time()
    return t1 - t0, impl


def jobman_job(state, channel):
    """Run `execute()` as a jobman job."""
    execute()
    return channel.COMPLETE


def test():
    return execute()


parser = OptionParser(usage="%prog <options>\nCompute time needed to perform BLAS gemm "
                            "computations between matrices of size (M, N) and (N, K).")
parser.add_option("-q", "--quiet", action="store_true", dest="quiet", default=False,
                  help="If true, do not print the comparison table and config options")
parser.add_option("--print_only", action="store_true", dest="print_only", default=False,
                  help="If true, do not perform gemm computations")
parser.add_option("-M", "--M", action="store", dest="M", default=0, type="int",
                  help="The M size to gemm")
parser.add_option("-N", "--N", action="store", dest="N", default=0, type="int",
                  help="The N size to gemm")
parser.add_option("-K", "--K", action="store", dest="K", default=0, type="int",
                  help="The K size to gemm")
parser.add_option("--iter", action="store", dest="iter", default=10, type="int",
                  help="The number of calls to gemm")
parser.add_option("--order", action="store", dest="order", default="C",
                  help="The numpy memory layout of the matrices: 'C' or 'F'")
parser.add_option("-B", "--B", action="store", dest="B", default=5000, type="int",
                  help="The M, N, and K for big gemm")


def main(argv=None):
    options, _ = parser.parse_args(argv)
    size = {k: getattr(options, k) or options.B for k in ("M", "N", "K")}
    seconds, impl = execute(not options.print_only, not options.quiet, iters=options.iter,
                            order=options.order, **size)
    if options.print_only:
        return
    print(f"We executed {options.iter} calls to gemm with a and b matrices of shapes "
          f"({size['M']}, {size['N']}) and ({size['N']}, {size['K']}).")
    print(f"Total execution time: {seconds:.2f}s on {impl}.")


if __name__ == "__main__":
    main()
