"""theano.gof.cutils: no C thunks to run."""

import os

import pytest

from theano import config
from theano.gof import cutils


def test_names_exist_and_raise_at_use():
    assert cutils.location == os.path.join(config.compiledir, "cutils_ext")
    with pytest.raises(NotImplementedError, match="no C compiler in theano_compat; use "):
        cutils.compile_cutils()
    with pytest.raises(NotImplementedError, match="use the thunks of theano.gof.link"):
        cutils.run_cthunk(object())
