"""theano.compile.sharedvalue: the Theano path of the shared-variable API."""

import numpy as np

import theano
import theano.tensor as T
from theano.compile import sharedvalue


def test_names_are_the_shared_variable_api():
    assert sharedvalue.shared is theano.shared and sharedvalue.SharedVariable is \
        theano.compile.SharedVariable
    assert sharedvalue.shared(7).type == T.lscalar and sharedvalue.shared(7.0).type == T.dscalar
    assert sharedvalue.shared([]).type == sharedvalue.generic
    u = sharedvalue.SharedVariable(name="u", type=T.TensorType("float64", (False,)),
                                   value=[1, 2], strict=False)
    assert u.get_value().tolist() == [1.0, 2.0]
    assert sharedvalue.generic_constructor in sharedvalue.shared.constructors


def test_shared_constructor_registers_and_removes():
    class Box:
        pass

    def box_constructor(value, name=None, strict=False, allow_downcast=None):
        if not isinstance(value, Box):
            raise TypeError("not a Box")
        return sharedvalue.SharedVariable(name=name, type=sharedvalue.generic, value=value,
                                          strict=strict)

    sharedvalue.shared_constructor(box_constructor)
    try:
        b = Box()
        assert sharedvalue.shared(b, name="b").get_value(borrow=True) is b
    finally:
        sharedvalue.shared_constructor(box_constructor, remove=True)
    assert box_constructor not in sharedvalue.shared.constructors
    assert sharedvalue.shared(np.zeros(2)).type == T.dvector
