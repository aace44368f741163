"""theano.misc.elemwise_openmp_speedup: OpenMP has no effect here, so nothing to compare."""

import pytest

from theano.misc import elemwise_openmp_speedup as eos
from theano.configparser import config


def test_run_script_raises_with_the_alternative():
    options, _ = eos.parser.parse_args([])
    assert options.N == config.openmp_elemwise_minsize
    with pytest.raises(NotImplementedError, match="profile=True"):
        eos.runScript(options.N)
