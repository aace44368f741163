"""Theano's output-type rules over Scalar types (theano_compat/scalar/type_rules.py).
Expected values recorded with Theano 1.0.5 (theano-ref)."""

import pytest

import theano.scalar as s


def test_upgrade_to_float():
    assert s.upgrade_to_float(s.int8, s.int32) == (s.float64,)
    assert s.upgrade_to_float(s.uint16) == (s.float32,)
    assert s.upgrade_to_float(s.float32, s.int64) == (s.float64,)
    assert s.upgrade_to_float(s.bool) == (s.float32,)
    assert s.upgrade_to_float(s.float16) == (s.float16,)
    assert s.upgrade_to_float64(s.int8) == (s.float64,)
    with pytest.raises(TypeError):
        s.upgrade_to_float_no_complex(s.complex64)


def test_same_out_and_upcast_rules():
    assert s.same_out(s.int16) == (s.int16,)
    assert s.same_out_float_only(s.float32) == (s.float32,)
    with pytest.raises(TypeError, match="only float"):
        s.same_out_float_only(s.int8)
    assert s.same_out_min8(s.bool) == (s.int8,)
    with pytest.raises(TypeError):
        s.same_out_nobool(s.bool)
    assert s.upcast_out(s.int8, s.uint8) == (s.int16,)
    assert s.upcast_out(s.int8, s.float32) == (s.float32,)
    assert s.upcast_out_min8(s.bool) == (s.int8,)
    assert s.upcast_out_no_complex(s.int8, s.float16) == (s.float16,)
    with pytest.raises(TypeError, match="bool output"):
        s.upcast_out_nobool(s.bool, s.bool)


def test_transfer_specific_and_fixed_rules():
    assert s.transfer_type(1)(s.int8, s.float32) == [s.float32]
    assert s.transfer_type(None, 0)(s.int8, s.float32) == [(s.float32,), s.int8]
    assert s.transfer_type(1) == s.transfer_type(1) != s.transfer_type(0)
    assert s.specific_out(s.float32)(s.int8) == (s.float32,)
    assert s.int_out(s.float32) == (s.int64,) and s.float_out(s.int8) == (s.float64,)
    assert s.real_out(s.complex64) == (s.float32,) and s.real_out(s.int8) == (s.int8,)
    lookup = s.unary_out_lookup({s.int8: s.int32})
    assert lookup(s.int8) == [s.int32]
    with pytest.raises(TypeError):
        lookup(s.float32)
