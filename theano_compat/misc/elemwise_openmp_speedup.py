"""theano.misc.elemwise_openmp_speedup: Theano's script comparing elementwise timings with and
without its OpenMP C code (``openmp=true/false``).

No C code runs here, so the ``openmp`` flag has no effect and there is nothing to compare:
``runScript`` (and running the module as a script) raises NotImplementedError.  To time an
elementwise graph, time the compiled function itself (``timeit`` or ``profile=True``).
"""

import os  # noqa: F401 - names Theano's script had
import subprocess  # noqa: F401
import sys
from locale import getpreferredencoding
from optparse import OptionParser

import theano_compat as theano  # noqa: F401
from ..compat import decode_with  # noqa: F401
from ..config import config

console_encoding = getpreferredencoding()

parser = OptionParser(usage="%prog <options>\n Compute time for fast and slow elemwise "
                            "operations")
parser.add_option("-N", "--N", action="store", dest="N",
                  default=config.openmp_elemwise_minsize, type="int",
                  help="Number of vector elements")


def runScript(N):
    """Theano ran elemwise_time_test.py with openmp on and off and returned the timings."""
    raise NotImplementedError(
        "elemwise_openmp_speedup compares Theano's OpenMP C elementwise loops with its "
        "serial ones; theano_compat runs no C code (the openmp flag has no effect), so there "
        "is no speed-up to measure. Time the compiled function itself instead (timeit, or "
        "theano.function(..., profile=True)).")


if __name__ == "__main__":
    options, arguments = parser.parse_args(sys.argv)
    runScript(options.N)
