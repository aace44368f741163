"""theano.misc.windows: the subprocess helpers (results as under Theano 1.0.5)."""

import sys

import pytest

from theano.misc import windows


def test_output_and_call():
    out = windows.output_subprocess_Popen(
        [sys.executable, "-c", "import sys; print('o'); print('e', file=sys.stderr); "
                               "sys.exit(3)"])
    assert out == (b"o\n", b"e\n", 3)
    assert windows.call_subprocess_Popen([sys.executable, "-c", "print(1)"]) == 0
    # stdin is the null device: a child reading it sees end of file at once.
    out = windows.output_subprocess_Popen([sys.executable, "-c", "import sys; "
                                                                 "print(repr(sys.stdin.read()))"])
    assert out[0].strip() == b"''"
    for fn in (windows.output_subprocess_Popen, windows.call_subprocess_Popen):
        with pytest.raises(TypeError, match="don't use stderr or stdout"):
            fn([sys.executable, "-c", "0"], stdout=None)
    assert windows.subprocess.Popen is windows.subprocess_Popen([sys.executable, "-c", ""],
                                                                ).__class__
