"""theano.tensor.inplace: the module names Theano's module held besides its Ops."""

import theano.tensor as T
from theano.tensor import elemwise, inplace

import theano


def test_names_of_theanos_module():
    assert inplace.scal is theano.scalar and inplace.elemwise is elemwise
    assert inplace.printing is theano.printing and inplace.pprint is theano.printing.pprint
    assert {"printing", "pprint", "scal", "elemwise", "exp_inplace"} <= set(dir(inplace))
    assert str(inplace.exp_inplace) == "exp_inplace"
    x = T.dvector()
    assert inplace.exp_inplace(x).type == x.type
    try:
        inplace.not_a_name
    except AttributeError as err:
        assert "not_a_name" in str(err)
    else:
        raise AssertionError("an unknown name must raise AttributeError")
