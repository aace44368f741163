"""theano.gof.type: EnumType and its kinds (Op parameters naming constants)."""

from __future__ import annotations

import pytest

from theano.gof.type import CDataType, EnumList, EnumType


def test_enum_type():
    e = EnumType(A=("alpha", 1), B=2.5, C=True)
    assert (e.A, e.B, e.C) == (1, 2.5, 1)
    assert e.fromalias("alpha") == 1 and e.fromalias("B") == 2.5
    assert e.filter("alpha") == 1 and e.filter(2.5, strict=True) == 2.5
    with pytest.raises(TypeError):
        e.filter(7)
    assert e == EnumType(A=("alpha", 1), B=2.5, C=True) and hash(e) == hash(
        EnumType(A=("alpha", 1), B=2.5, C=True))
    assert repr(e) == "EnumType<double>(A(alpha):1, B:2.5, C:1)"
    with pytest.raises(AttributeError):
        EnumType(lower=1)
    with pytest.raises(NotImplementedError):
        e.A = 3


def test_enum_list_and_cdata():
    e = EnumList("FIRST", ("SECOND", "two"), "THIRD")
    assert (e.FIRST, e.SECOND, e.THIRD) == (0, 1, 2) and e.fromalias("two") == 1
    assert e.ctype == "int"
    with pytest.raises(NotImplementedError, match="no C compiler"):
        CDataType("void *")
