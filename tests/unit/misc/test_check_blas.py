"""theano.misc.check_blas: the gemm timing of C = 0.4 * C + 0.8 * dot(A, B)."""

import numpy as np
import pytest

from theano.misc import check_blas
from theano.configparser import config


@pytest.mark.filterwarnings("ignore:Install `pyyaml`")
def test_execute_times_the_product(capsys):
    seconds, impl = check_blas.execute(verbose=False, M=20, N=30, K=10, iters=3)
    assert seconds >= 0 and impl.startswith("CPU")
    seconds, _ = check_blas.execute(execute=False, verbose=False, M=2, N=2, K=2)
    assert seconds == -1
    check_blas.execute(verbose=True, M=2, N=2, K=2, iters=1)
    out = capsys.readouterr().out
    assert "Some Theano flags:" in out and f"floatX= {config.floatX}" in out
    assert f"Numpy version: {np.__version__}" in out


def test_script_options(capsys):
    check_blas.main(["-M", "8", "-N", "4", "-K", "6", "--iter", "2", "-q"])
    out = capsys.readouterr().out
    assert "We executed 2 calls to gemm with a and b matrices of shapes (8, 4) and (4, 6)." in out
    options, _ = check_blas.parser.parse_args([])
    assert (options.iter, options.order, options.B) == (10, "C", 5000)
