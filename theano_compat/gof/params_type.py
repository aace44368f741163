"""theano.gof.params_type: one Op parameter bundling several typed values.

``ParamsType(attr1=TensorType('int32', (False, False)), attr2=Scalar('float64'))`` is
the type of a `Params` object, a read-only dict whose fields are also attributes
(``params.attr1``).  An Op declaring ``params_type = ParamsType(...)`` gets, by default,
its attributes of those names wrapped in a Params (``params_type.get_params(op)``), and
a ``perform(node, inputs, output_storage, params)`` receives it as its last argument
(theano.gof.link's thunks do this; see ``node_params`` there).

Enumeration types inside a ParamsType (theano.gof.type.EnumType, EnumList...) expose
their constants as attributes of the ParamsType (``w.A``, ``w.get_enum('A')``,
``w.enum_from_alias('alpha')``).  Theano also gave ParamsType the C methods that declare
a C struct for C code; there is no C code here, so it has none.
"""

from __future__ import annotations

import hashlib
import re

import numpy as np

from ..errors import MethodNotDefined  # noqa: F401 - a name of Theano's module
from ..graph.type import Type
from .type import EnumType
from .utils import c_cpp_keywords

__all__ = ["Params", "ParamsType"]

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def _value_signature(value):
    """A hashable stand-in for a parameter value (arrays: dtype, shape and bytes)."""
    if isinstance(value, (np.ndarray, np.generic)):
        value = np.asarray(value)
        return ("ndarray", str(value.dtype), value.shape, value.tobytes())
    try:
        hash(value)
    except TypeError:
        return ("repr", type(value).__name__, repr(value))
    return value


def _rebuild_params(params_type, items):
    return Params(params_type, **dict(items))


class Params(dict):
    """The value of a ParamsType: ``Params(params_type, field=value, ...)``, one value per
    field of `params_type`; read-only, fields readable as attributes.  Two Params are
    equal when their ParamsTypes are and each field's values are equal for its type."""

    __module__ = "theano.gof.params_type"  # Theano's path: reprs and pickles

    def __init__(self, params_type, **kwargs):
        if not isinstance(params_type, ParamsType):
            raise TypeError("Params: 1st constructor argument should be a ParamsType.")
        for field in params_type.fields:
            if field not in kwargs:
                raise TypeError(f'Params: ParamsType attribute "{field}" not in Params args.')
        super().__init__(**kwargs)
        self.__dict__.update(__params_type__=params_type, __signatures__=None)

    def __repr__(self):
        return "Params({})".format(", ".join(
            f"{k}:{type(self[k]).__name__}:{self[k]}" for k in sorted(self.keys())))

    def __getattr__(self, key):
        if key not in self:
            raise AttributeError(f'Params: attribute "{key}" does not exist.')
        return self[key]

    def __setattr__(self, key, value):
        raise NotImplementedError(
            "Params is immutable: build a new one with ParamsType.get_params(...)")

    def __setitem__(self, key, value):
        raise NotImplementedError(
            "Params is immutable: build a new one with ParamsType.get_params(...)")

    def __delitem__(self, key):
        raise NotImplementedError(
            "Params is immutable: build a new one with ParamsType.get_params(...)")

    def __reduce__(self):
        return (_rebuild_params, (self.__params_type__, list(dict.items(self))))

    def __hash__(self):
        if self.__signatures__ is None:
            pt = self.__params_type__
            self.__dict__["__signatures__"] = tuple(
                _value_signature(self[field]) for field in pt.fields)
        return hash((type(self), self.__params_type__) + self.__signatures__)

    def __eq__(self, other):
        if type(self) is not type(other) or self.__params_type__ != other.__params_type__:
            return False
        pt = self.__params_type__
        return all(bool(t.values_eq(self[f], other[f])) for f, t in zip(pt.fields, pt.types))

    def __ne__(self, other):
        return not self.__eq__(other)


class ParamsType(Type):
    """The type of a `Params`: ``ParamsType(field=Type, ...)`` (see the module docstring).

    ``fields`` (sorted names), ``types`` (in the same order), ``length``, ``name`` (a
    name derived from the fields and types).
    """

    __module__ = "theano.gof.params_type"  # Theano's path: reprs and pickles

    def __init__(self, **kwargs):
        if not kwargs:
            raise ValueError("Cannot create ParamsType from empty data.")
        for name, t in kwargs.items():
            if _IDENTIFIER.match(name) is None:
                raise AttributeError(f'ParamsType: attribute "{name}" should be a valid '
                                     "identifier.")
            if name in c_cpp_keywords:
                raise SyntaxError(f'ParamsType: "{name}" is a potential C/C++ keyword and '
                                  "should not be used as attribute name.")
            if not isinstance(t, Type):
                raise TypeError(f'ParamsType: attribute "{name}" should inherit from Theano '
                                f'Type, got "{type(t).__name__}".')
        self.length = len(kwargs)
        self.fields = tuple(sorted(kwargs))
        self.types = tuple(kwargs[f] for f in self.fields)
        self.name = self.generate_struct_name()
        self._const_to_enum = {}
        self._alias_to_enum = {}
        enums = [t for t in self.types if isinstance(t, EnumType)]
        if enums:
            names = [k for t in enums for k in t]
            aliases = [a for t in enums for a in t.aliases]
            if len(names) != len(set(names)):
                raise AttributeError("ParamsType: found different enum types with common "
                                     "constants names.")
            if len(aliases) != len(set(aliases)):
                raise AttributeError("ParamsType: found different enum types with common "
                                     "constants aliases.")
            if set(aliases) & set(names):
                raise AttributeError("ParamsType: found aliases that have same names as "
                                     "constants.")
            self._const_to_enum = {k: t for t in enums for k in t}
            self._alias_to_enum = {a: t for t in enums for a in t.aliases}

    def __getattr__(self, key):
        consts = self.__dict__.get("_const_to_enum")
        if consts and key in consts:
            return consts[key][key]
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {key!r}")

    def __setstate__(self, state):
        self.__dict__.update(state)

    def __repr__(self):
        return "ParamsType<{}>".format(", ".join(
            f"{f}:{t}" for f, t in zip(self.fields, self.types)))

    def __eq__(self, other):
        return (type(self) is type(other) and self.fields == other.fields
                and self.types == other.types)

    def __hash__(self):
        return hash((type(self),) + self.fields + self.types)

    def generate_struct_name(self):
        """``_Params_<sha256 of the fields>_<sha256 of the types>``."""
        fields = hashlib.sha256(",".join(self.fields).encode("utf-8")).hexdigest()
        types = hashlib.sha256(",".join(str(t) for t in self.types).encode("utf-8")).hexdigest()
        return f"_Params_{fields}_{types}"

    def has_type(self, theano_type):
        """Whether one of the fields has type `theano_type`."""
        return theano_type in self.types

    def get_type(self, field_name):
        """The type of field `field_name`."""
        return self.types[self.fields.index(field_name)]

    def get_field(self, theano_type):
        """The first field (in sorted order) of type `theano_type` (ValueError if none)."""
        return self.fields[self.types.index(theano_type)]

    def get_enum(self, key):
        """The value of the enumeration constant `key` (KeyError if no enum type has it)."""
        return self._const_to_enum[key][key]

    def enum_from_alias(self, alias):
        """The value of the enumeration constant with alias `alias` (or named `alias`)."""
        if alias in self._alias_to_enum:
            return self._alias_to_enum[alias].fromalias(alias)
        return self._const_to_enum[alias][alias]

    def get_params(self, *objects, **kwargs):
        """A Params of this type with each field's value taken from the attributes of
        `objects` then from `kwargs` (the last one found wins), filtered by its type
        (converting and downcasting as needed)."""
        values = {}
        for obj in objects:
            for field in self.fields:
                try:
                    values[field] = getattr(obj, field)
                except Exception:  # noqa: BLE001 - an object without the field
                    pass
        for field in self.fields:
            if field in kwargs:
                values[field] = kwargs[field]
        missing = [f for f in self.fields if f not in values]
        if missing:
            raise AttributeError(f"{self}.get_params: no value for {missing}")
        return Params(self, **{f: t.filter(values[f], strict=False, allow_downcast=True)
                               for f, t in zip(self.fields, self.types)})

    def extended(self, **kwargs):
        """A ParamsType with this one's fields plus (or replaced by) `kwargs`."""
        fields = dict(zip(self.fields, self.types))
        fields.update(kwargs)
        return ParamsType(**fields)

    def filter(self, data, strict=False, allow_downcast=None):
        """`data` (a Params, or with `strict=False` any object with the fields as
        attributes) checked field by field; a Params is returned as it is."""
        if strict and not isinstance(data, Params):
            raise TypeError(f"{self}: strict mode: data should be an instance of Params.")
        filtered = {f: t.filter(getattr(data, f), strict, allow_downcast)
                    for f, t in zip(self.fields, self.types)}
        return data if (strict or isinstance(data, Params)) else Params(self, **filtered)

    def values_eq(self, a, b):
        return all(bool(t.values_eq(getattr(a, f), getattr(b, f)))
                   for f, t in zip(self.fields, self.types))

    def values_eq_approx(self, a, b):
        return all(bool(t.values_eq_approx(getattr(a, f), getattr(b, f)))
                   for f, t in zip(self.fields, self.types))
