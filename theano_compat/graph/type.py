"""The Type contract: what values a variable may hold and how to make variables of it."""

from __future__ import annotations

from . import legacy_pickle
from .basic import Constant, Variable, add_trace_tag


class Type:
    """Base of all types (Theano's ``gof.Type``).

    Subclasses define `filter` (validate/convert a value) and equality.  Calling a type
    makes a new variable of that type: ``TensorType('float64', (False,))('x')``.
    """

    __module__ = "theano.gof.type"  # Theano's path: reprs and pickles

    Variable = Variable
    Constant = Constant

    def __setstate__(self, state):
        # Theano 1.0.5's pickles store other attributes (graph/legacy_pickle.py).
        legacy_pickle.restore(self, state)

    def filter(self, data, strict=False, allow_downcast=None):
        """Return `data` as a valid value of this type, or raise TypeError."""
        raise NotImplementedError(
            f"{type(self).__name__} must define filter(); subclass TensorType or Generic instead"
        )

    def filter_variable(self, other, allow_convert=True):
        """Return `other` as a variable of this type (TypeError when not compatible)."""
        if not isinstance(other, Variable):
            other = self.Constant(type=self, data=other)
        if other.type != self and allow_convert:
            converted = self.convert_variable(other)
            if converted is not None:
                return converted
        if other.type != self:
            raise TypeError(
                f"Cannot convert Type {other.type} (of Variable {other}) into Type {self}. "
                "You can try to manually convert it using theano.tensor.patternbroadcast, "
                "theano.tensor.cast or theano.tensor.specify_shape."
            )
        return other

    def convert_variable(self, var):
        """A variable of this type equivalent to `var`, or None when impossible."""
        return var if var.type == self else None

    def is_valid_value(self, data):
        try:
            self.filter(data, strict=True)
            return True
        except (TypeError, ValueError):
            return False

    def value_validity_msg(self, data):
        return "none"

    def make_variable(self, name=None):
        return self.Variable(self, name=name)

    def __call__(self, name=None):
        # Theano's Type.__call__ recorded where the variable was made (tag.trace).
        return add_trace_tag(self.make_variable(name))

    def values_eq(self, a, b):
        return a == b

    def values_eq_approx(self, a, b):
        return self.values_eq(a, b)


class Generic(Type):
    """A type holding any Python object (Theano's ``gof.type.Generic``)."""

    __module__ = "theano.gof.type"  # Theano's path: reprs and pickles

    def filter(self, data, strict=False, allow_downcast=None):
        return data

    def __eq__(self, other):
        return type(self) is type(other)

    def __hash__(self):
        return hash(type(self))

    def __str__(self):
        return "<Generic>"

    __repr__ = __str__


generic = Generic()
