"""theano.gof.null_type: the graph's NullType under Theano's path."""

import pytest

from theano.gof.null_type import NullType, null_type
from theano_compat.graph.null import NullType as GraphNullType


def test_null_type():
    assert NullType is GraphNullType
    assert str(null_type) == "NullType" and null_type == NullType("why") and \
        hash(null_type) == hash(NullType())
    assert NullType("no gradient").why_null == "no gradient"
    with pytest.raises(ValueError, match="No values may be assigned to a NullType"):
        null_type.filter(1.0)
