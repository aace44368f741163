"""Shared variables: graph inputs whose value lives between function calls."""

from __future__ import annotations

import copy

from .basic import Variable
from .type import generic


class Container:
    """A one-slot box holding a value of a given type (Theano's ``gof.Container``)."""

    __module__ = "theano.gof.link"  # Theano's path: reprs and pickles

    def __init__(self, r, storage, readonly=False, strict=False, allow_downcast=None, name=None):
        self.type = r.type if isinstance(r, Variable) else r
        self.name = name if name is not None else getattr(r, "name", None)
        self.storage = storage
        self.readonly = readonly
        self.strict = strict
        self.allow_downcast = allow_downcast
        self.required = False
        self.implicit = False
        self.provided = 0

    def __get__(self):  # noqa: PLE0302 - Theano's Container API, not a descriptor
        return self.storage[0]

    def __set__(self, value):  # noqa: PLE0302 - Theano's Container API
        if self.readonly:
            raise Exception(f"Cannot set readonly storage: {self.name}")
        if value is None:
            self.storage[0] = None
            return
        # Only the options that are set reach filter, as in Theano: a user Type's filter
        # may take neither keyword.
        kwargs = {}
        if self.strict:
            kwargs["strict"] = True
        if self.allow_downcast is not None:
            kwargs["allow_downcast"] = self.allow_downcast
        try:
            value = self.type.filter(value, **kwargs)
        except (TypeError, ValueError) as e:
            # Theano appended the container's name: set_value errors say which variable.
            raise type(e)(f'{e} Container name "{self.name}"') from None
        self.storage[0] = value

    value = property(__get__, __set__)
    data = value

    def __str__(self):
        return "<" + str(self.storage[0]) + ">"

    __repr__ = __str__


class SharedVariable(Variable):
    """A variable with a value kept between calls; functions read and may update it."""

    __module__ = "theano.compile.sharedvalue"  # Theano's path: reprs and pickles

    def __init__(self, name, type, value, strict, allow_downcast=None, container=None):
        super().__init__(type=type, name=name, owner=None, index=None)
        if container is not None:
            self.container = container
        else:
            self.container = Container(
                self,
                storage=[type.filter(value, strict=strict, allow_downcast=allow_downcast)],
                readonly=False,
                strict=strict,
                allow_downcast=allow_downcast,
            )
        self.default_update = None

    def get_value(self, borrow=False, return_internal_type=False):
        """The current value; a copy unless `borrow`."""
        value = self.container.value
        return value if borrow else copy.deepcopy(value)

    def set_value(self, new_value, borrow=False):
        """Replace the value (filtered through the type; copied unless `borrow`)."""
        self.container.value = new_value if borrow else copy.deepcopy(new_value)

    def zero(self, borrow=False):
        """Set the value to zeros (Theano's SharedVariable.zero)."""
        self.set_value(self.get_value(borrow=True) * 0, borrow=True)

    def clone(self):
        cp = self.__class__(
            name=self.name, type=self.type, value=None, strict=None, container=self.container
        )
        cp.tag = copy.copy(self.tag)
        return cp

    def __getstate__(self):
        return super().__getstate__()

    @property
    def value(self):
        raise AttributeError(
            "shared_var.value does not exist anymore: use shared_var.get_value() "
            "or shared_var.set_value(v)"
        )


_constructors = []


def shared_constructor(ctor, remove=False):
    """Register (or remove) a constructor tried by `shared`, newest first."""
    if remove:
        _constructors.remove(ctor)
    else:
        _constructors.append(ctor)
    return ctor


def shared(value, name=None, strict=False, allow_downcast=None, **kwargs):
    """Make a shared variable holding `value` (Theano's ``theano.shared``).

    Tries the registered constructors newest first; the first that does not raise
    TypeError wins.  A value no typed constructor accepts gets a generic shared variable.
    """
    if isinstance(value, Variable):
        raise TypeError(
            "Shared variable constructor needs numeric values and not symbolic variables."
        )
    for ctor in reversed(_constructors):
        try:
            return ctor(value, name=name, strict=strict, allow_downcast=allow_downcast, **kwargs)
        except TypeError:
            continue
    raise TypeError(
        f"No suitable SharedVariable constructor could be found for value {value!r} "
        f"with arguments {kwargs}. Are you sure all kwargs are supported?"
    )


shared.constructors = _constructors


@shared_constructor
def generic_constructor(value, name=None, strict=False, allow_downcast=None):
    """The fallback: any Python object in a generic-typed shared variable."""
    return SharedVariable(type=generic, value=value, name=name, strict=strict,
                          allow_downcast=allow_downcast)
