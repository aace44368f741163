"""theano.misc.elemwise_time_test: time a cheap (``2 * x + x * x``) and a costly (``tanh(x)``)
elementwise function on a random vector, as Theano's script did.

    python -m theano_compat.misc.elemwise_time_test [-N SIZE] [--script]
"""

from __future__ import absolute_import, division, print_function  # noqa: F401

import sys
import time
from optparse import OptionParser

import numpy as np

from .. import tensor as T  # noqa: N812
from ..compile import function
from ..config import config

theano = sys.modules[__package__.rpartition(".")[0]]  # Theano's module imported the package
xrange = range

parser = OptionParser(usage="%prog <options>\n Compute time for"
                      " fast and slow elemwise operations")
parser.add_option("-N", "--N", action="store", dest="N",
                  default=config.openmp_elemwise_minsize, type="int",
                  help="Number of vector elements")
parser.add_option("--script", action="store_true", dest="script", default=False,
                  help="Run program as script and print results on stdoutput")


def evalTime(f, v, script=False, loops=1000):  # noqa: N802 - Theano's name
    """The shortest of `loops` timed calls ``f(v)``, in seconds (printed unless `script`)."""
    best = 1e10
    for _ in range(loops):
        t0 = time.time()
        f(v)
        best = min(best, time.time() - t0)
    if not script:
        print(" run time in %d loops was %2.9f sec" % (loops, best))
    return best


def ElemwiseOpTime(N, script=False, loops=1000):  # noqa: N802 - Theano's name
    """(cheap time, costly time) on a random vector of `N` elements of floatX."""
    x = T.vector("x")
    np.random.seed(1235)
    v = np.random.random(N).astype(config.floatX)
    f = function([x], 2 * x + x * x)
    f1 = function([x], T.tanh(x))
    if not script:
        if config.openmp:
            print("With openmp:")
        print("Fast op ", end=" ")
    cheap = evalTime(f, v, script=script, loops=loops)
    if not script:
        print("Slow op ", end=" ")
    costly = evalTime(f1, v, script=script, loops=loops)
    return cheap, costly


def main(argv=None):
    options, _arguments = parser.parse_args(sys.argv if argv is None else argv)
    cheap, costly = ElemwiseOpTime(N=options.N, script=options.script)
    if options.script:
        sys.stdout.write("%2.9f %2.9f\n" % (cheap, costly))
        sys.stdout.flush()


if __name__ == "__main__":
    main()
