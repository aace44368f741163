"""theano.misc.strutil (results of the same calls under Theano 1.0.5)."""

import pytest

from theano.misc import strutil


def test_render_string():
    assert strutil.render_string("%(a)s-%(b)d", {"a": "x", "b": 3}) == "x-3"
    with pytest.raises(Exception) as info:
        strutil.render_string("ab %(a)s cd %(q)s ef", {"a": 1})
    # The exception names the shortest prefix that fails.
    assert str(info.value) == "ab %(a)s cd %(q)<<<< caused exception 'q'"


def test_pretty_format():
    code = "int f() {\n  if (x) {\ny = 1;\n}\n\t return 0;\n}"
    assert strutil.pretty_format(code) == \
        "int f() {\n    if (x) {\n        y = 1;\n    }\n    return 0;\n}"
    assert strutil.strip_leading_white_space(" \t x y ") == "x y "
    assert list(strutil.xrange(3)) == [0, 1, 2]
