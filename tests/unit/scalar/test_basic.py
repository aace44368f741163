"""theano.scalar.basic and basic_scipy (facades, theano_compat/scalar/basic*.py): Theano's
names are there and are this project's objects."""

import numpy as np

import theano
import theano.scalar as s
import theano.scalar.basic as sb
import theano.scalar.basic_scipy as ss
from theano_compat.scalar import ops as S


def test_facades_name_the_table_ops():
    assert sb.add is S.add is s.add and sb.exp is S.exp and ss.erf is S.erf is s.erf
    assert sb.floor_div is S.int_div
    assert sb.convert_to_float32 is S.cast_op("float32")
    assert str(sb.convert_to_float32) == "Cast{float32}"
    assert sb.Composite is s.Composite and sb.ScalarOp is s.ScalarOp
    assert isinstance(ss.gammaln, ss.GammaLn) and ss.imported_scipy_special
    assert sb.builtin_int is int and sb.bool is s.bool is s.get_scalar_type("bool")
    # Theano's rules over types, not the table's rules over dtypes.
    assert s.upgrade_to_float is sb.upgrade_to_float
    assert s.upgrade_to_float(s.int16) == (s.float32,)


def test_in_range():
    x, lo, hi = s.floats("xlh")
    opened = theano.function([x, lo, hi], sb.inopenrange(x, lo, hi))
    closed = theano.function([x, lo, hi], sb.inclosedrange(x, lo, hi))
    assert [bool(opened(v, 1.0, 5.0)) for v in (0, 1, 3, 5, 7)] == [0, 0, 1, 0, 0]
    assert [bool(closed(v, 1.0, 5.0)) for v in (0, 1, 3, 5, 7)] == [0, 1, 1, 1, 0]
    assert sb.InRange(True, True) is sb.inopenrange
    assert str(sb.inopenrange) == "InRange{openlow=True, openhi=True}"


def test_round_half_away_from_zero_helpers():
    a = np.array([0.5, -0.5, 1.5, -2.5, 2.4])
    np.testing.assert_array_equal(sb.round_half_away_from_zero_vec(a),
                                  [1.0, -1.0, 2.0, -3.0, 2.0])
    assert sb.round_half_away_from_zero_vec(a.astype("float32")).dtype == np.float32
