"""Legacy path ``theano.gof.type``: Type, Generic and Theano's other types (facade).

``EnumType`` / ``EnumList`` / ``CEnumType`` (Op parameters naming constants) work in
Python; the C side of a type (``CLinkerType``'s ``c_*`` methods, ``CDataType``, which
wraps a C pointer) exists only as names: this project compiles no C, so using one raises
NotImplementedError with the alternative.
"""

import ctypes  # noqa: F401 - names of Theano's module
import platform  # noqa: F401
import re

import theano_compat as theano  # noqa: F401

from ..config import change_flags  # noqa: F401
from ..errors import MethodNotDefined
from ..graph.basic import Constant
from ..graph.op import Op  # noqa: F401
from ..graph.type import Generic, Type, generic  # noqa: F401
from . import graph, utils  # noqa: F401
from .utils import object2, string_types  # noqa: F401

PureType = Type

_NO_C = ("theano_compat compiles no C code (no C compiler is used): give the Type a Python "
         "`filter` and the Ops using it a `perform` method instead")


class CLinkerObject:
    """The C-code interface of Theano's types and Ops (``c_headers``, ``c_libraries``,
    ``c_support_code``...): none is defined, and nothing here calls them."""

    __module__ = "theano.gof.op"

    def _undefined(self, name):
        raise MethodNotDefined(name, type(self), type(self).__name__)

    def c_headers(self):
        self._undefined("c_headers")

    def c_header_dirs(self):
        self._undefined("c_header_dirs")

    def c_libraries(self):
        self._undefined("c_libraries")

    def c_lib_dirs(self):
        self._undefined("c_lib_dirs")

    def c_support_code(self):
        self._undefined("c_support_code")

    def c_code_cache_version(self):
        return ()

    def c_compile_args(self):
        self._undefined("c_compile_args")

    def c_no_compile_args(self):
        self._undefined("c_no_compile_args")

    def c_init_code(self):
        self._undefined("c_init_code")


class CLinkerType(CLinkerObject):
    """The C side of a Type (``c_declare``, ``c_extract``...): not used here."""

    __module__ = "theano.gof.type"

    def c_is_simple(self):
        return False

    def c_literal(self, data):
        self._undefined("c_literal")

    def c_declare(self, name, sub, check_input=True):
        self._undefined("c_declare")

    def c_init(self, name, sub):
        self._undefined("c_init")

    def c_extract(self, name, sub, check_input=True):
        self._undefined("c_extract")

    def c_cleanup(self, name, sub):
        self._undefined("c_cleanup")

    def c_sync(self, name, sub):
        self._undefined("c_sync")


class SingletonType(Type):
    """A Type with one instance per class: equal to any instance of its class."""

    __module__ = "theano.gof.type"
    __instance = None

    def __new__(cls):
        if cls.__dict__.get("_SingletonType__instance") is None or \
                not isinstance(cls.__dict__.get("_SingletonType__instance"), cls):
            cls._SingletonType__instance = Type.__new__(cls)
        return cls._SingletonType__instance

    def __str__(self):
        return type(self).__name__

    def __eq__(self, other):
        return self is other or type(self) is type(other)

    def __hash__(self):
        return hash(type(self))


class CDataType(Type):
    """Theano's type for an opaque C pointer (``void *``) handed between C Ops.  There
    are no C Ops here: building one raises NotImplementedError."""

    __module__ = "theano.gof.type"

    def __init__(self, ctype, freefunc=None, headers=(), header_dirs=(), libraries=(),
                 lib_dirs=(), compile_args=(), extra_support_code="", version=None):
        raise NotImplementedError(f"CDataType({ctype!r}): {_NO_C}")


class CDataTypeConstant(Constant):
    """A constant of a CDataType (see CDataType)."""

    __module__ = "theano.gof.type"

    def __init__(self, *args, **kwargs):
        raise NotImplementedError(f"CDataTypeConstant: {_NO_C}")


_ENUM_NAME = re.compile(r"^[A-Z][A-Z0-9_]*$")
_C_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class EnumType(Type, dict):
    """Named constants as an Op parameter type: ``EnumType(A=1, B=('beta', 2.5))``
    gives ``enum.A == 1``, ``enum.fromalias('beta') == 2.5``; names are capitals, digits
    and underscores; booleans become 0/1.  Values of the type are the constants'
    values (`filter` also takes an alias when not strict)."""

    __module__ = "theano.gof.type"

    def __init__(self, **kwargs):
        ctype = " ".join(str(kwargs.pop("ctype", "double")).split())
        if not all(_C_IDENTIFIER.match(p) for p in ctype.split()):
            raise TypeError(f"{type(self).__name__}: invalid C type.")
        self.ctype = ctype
        cname = kwargs.pop("cname", ctype.replace(" ", "_"))
        if not _C_IDENTIFIER.match(cname):
            raise TypeError(f"{type(self).__name__}: invalid C name.")
        self.cname = cname
        self.aliases = {}
        values = {}
        for k, v in kwargs.items():
            if not _ENUM_NAME.match(k):
                raise AttributeError(
                    f'{type(self).__name__}: invalid enum name: "{k}". Only capital '
                    "letters, underscores and digits are allowed.")
            if isinstance(v, (list, tuple)):
                if len(v) != 2:
                    raise TypeError(f"{type(self).__name__}: when using a tuple to define a "
                                    "constant, your tuple should contain 2 values: constant "
                                    "alias followed by constant value.")
                alias, v = v
                if not isinstance(alias, str):
                    raise TypeError(f'{type(self).__name__}: constant alias should be a '
                                    f'string, got "{alias}".')
                if alias == k:
                    raise TypeError(f"{type(self).__name__}: it's useless to create an alias "
                                    "with the same name as its associated constant.")
                if alias in self.aliases:
                    raise TypeError(f'{type(self).__name__}: consant alias "{alias}" already '
                                    "used.")
                self.aliases[alias] = k
            if isinstance(v, bool):
                v = int(v)
            elif not isinstance(v, (int, float)):
                raise TypeError(f'{type(self).__name__}: constant "{k}": expected integer '
                                f'or floating value, got "{type(v).__name__}".')
            values[k] = v
        if any(a in values for a in self.aliases):
            raise TypeError(f"{type(self).__name__}: some aliases have same names as "
                            "constants.")
        dict.__init__(self, **values)

    def fromalias(self, alias):
        return self[self.aliases[alias]] if alias in self.aliases else self[alias]

    def has_alias(self, alias):
        return alias in self.aliases

    def get_aliases(self):
        return tuple(sorted(self.aliases))

    def __repr__(self):
        names = {k: "" for k in self}
        for alias, k in self.aliases.items():
            names[k] = f"({alias})"
        return "%s<%s>(%s)" % (type(self).__name__, self.ctype,
                               ", ".join(f"{k}{names[k]}:{self[k]}" for k in sorted(self)))

    def __getattr__(self, key):
        if key in self:
            return self[key]
        raise AttributeError(f"{type(self).__name__} has no attribute {key!r}")

    def __setattr__(self, key, value):
        if key in self:
            raise NotImplementedError("constant values are immutable.")
        object.__setattr__(self, key, value)

    def __setitem__(self, key, value):
        raise NotImplementedError("constant values are immutable.")

    def __delitem__(self, key):
        raise NotImplementedError("constant values are immutable.")

    def __hash__(self):
        return hash((type(self), self.ctype, self.cname)
                    + tuple((k, self[k]) for k in sorted(self))
                    + tuple(sorted(self.aliases.items())))

    def __eq__(self, other):
        return (type(self) is type(other) and self.ctype == other.ctype
                and self.cname == other.cname and dict.__eq__(self, other)
                and self.aliases == other.aliases)

    def __ne__(self, other):
        return not self == other

    def filter(self, data, strict=False, allow_downcast=None):
        if not strict:
            if isinstance(data, bool):
                data = int(data)
            elif isinstance(data, str):
                data = self.fromalias(data)
        if not isinstance(data, (int, float)) or data not in self.values():
            raise TypeError(f"Unknown {type(self).__name__} value {data!r}; known values: "
                            f"{sorted(self.values())}")
        return data

    def values_eq(self, a, b):
        return a == b

    def values_eq_approx(self, a, b):
        return float(a) == float(b)

    def c_support_code(self):
        raise NotImplementedError(f"{type(self).__name__}.c_support_code: {_NO_C}")


class EnumList(EnumType):
    """An EnumType whose constants are numbered 0, 1... in the order given:
    ``EnumList('A', ('B', 'beta'), 'C')``."""

    __module__ = "theano.gof.type"

    def __init__(self, *args, **kwargs):
        if set(kwargs) - {"ctype", "cname"}:
            raise TypeError(f"{type(self).__name__}: only 'ctype' and 'cname' keywords are "
                            "allowed.")
        kwargs.setdefault("ctype", "int")
        for k, arg in enumerate(args):
            if isinstance(arg, (list, tuple)):
                if len(arg) != 2:
                    raise TypeError(f"{type(self).__name__}: when using a tuple to define a "
                                    "constant, your tuple should contain 2 values: constant "
                                    "name followed by constant alias.")
                name, alias = arg
                if not isinstance(alias, str):
                    raise TypeError(f'{type(self).__name__}: constant alias should be a '
                                    f'string, got "{alias}".')
                value = (alias, k)
            else:
                name, value = arg, k
            if name in kwargs:
                raise TypeError(f'{type(self).__name__}: constant name already used '
                                f'("{name}").')
            kwargs[name] = value
        super().__init__(**kwargs)


class CEnumType(EnumList):
    """An EnumList whose values are C constants defined elsewhere (their values are
    known only to C code).  Here, as there is no C, they number 0, 1... as an EnumList."""

    __module__ = "theano.gof.type"
