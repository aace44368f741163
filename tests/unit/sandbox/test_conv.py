"""theano.sandbox.conv: empty in Theano 1.0.5 apart from a notice on stderr."""

import importlib
import sys


def test_conv_old_path_only_prints_the_notice(capsys):
    sys.modules.pop("theano_compat.sandbox.conv", None)
    sys.modules.pop("theano.sandbox.conv", None)
    module = importlib.import_module("theano.sandbox.conv")
    assert capsys.readouterr().err == (
        "DEPRECATION: theano.sandbox.conv no longer provides conv. They have been moved to "
        "theano.tensor.nnet.conv\n")
    assert not hasattr(module, "conv")
