"""In / Out: how a function's inputs and outputs are declared (Theano's compile.io)."""

from __future__ import annotations

import warnings

from ..graph.basic import Variable


class SymbolicInput:
    """An input of a compiled function (base of `In`)."""

    def __init__(self, variable, name=None, update=None, mutable=None, strict=False,
                 allow_downcast=None, autoname=True, implicit=False):
        if not isinstance(variable, Variable):
            raise TypeError(f"variable must be a Theano Variable, got {variable!r}")
        self.variable = variable
        if autoname and name is None:
            self.name = variable.name
        else:
            self.name = name
        if self.name is not None and not isinstance(self.name, str):
            raise TypeError(f"name must be a string! (got: {self.name})")
        update_type = getattr(update, "type", None)
        if update_type is not None and update_type != variable.type:
            convert = getattr(variable.type, "convert_variable", None)
            # A stricter broadcast pattern of the same dtype and ndim is harmless; any other
            # difference would store a value of the wrong type in the input (Theano 1.0.5
            # raised this TypeError when the In was built).
            if convert is None or convert(update) is None:
                raise TypeError(
                    f"Variable '{variable}' has type {variable.type} but an update of type "
                    f"{update_type}. The type of the update should be the same as the type "
                    "of the variable"
                )
        self.update = update
        self.mutable = bool(mutable) if mutable is not None else update is not None
        self.strict = strict
        self.allow_downcast = allow_downcast
        self.implicit = implicit

    def __str__(self):
        return f"In({self.variable}{', update=' + str(self.update) if self.update else ''})"

    __repr__ = __str__


class In(SymbolicInput):
    """An input with options: a default `value`, a `name` for keyword calls, an `update`."""

    def __init__(self, variable, name=None, value=None, update=None, mutable=None, strict=False,
                 allow_downcast=None, autoname=True, implicit=None, borrow=None, shared=False):
        if implicit is None:
            implicit = hasattr(variable, "container") or hasattr(value, "storage")
        super().__init__(variable, name, update, mutable, strict, allow_downcast, autoname,
                         implicit)
        self.value = value
        self.borrow = bool(borrow) if borrow is not None else bool(mutable)
        self.shared = shared
        if self.mutable and not self.borrow and borrow is not None:
            raise AssertionError(
                f"Symbolic input for variable {variable} (name={name}) has flags mutable=True, "
                "borrow=False. This combination is incompatible since mutable=True implies "
                "that the input variable may be both aliased (borrow=True) and overwritten."
            )


def Param(variable, default=None, name=None, mutable=False, strict=False,
          allow_downcast=None, implicit=None, borrow=None):
    """Deprecated alias of In (``default`` is In's ``value``), kept for legacy scripts."""
    warnings.warn("theano.Param is deprecated: use theano.In(variable, value=...)",
                  DeprecationWarning, stacklevel=2)
    return In(variable, name=name, value=default, mutable=mutable, strict=strict,
              allow_downcast=allow_downcast, implicit=implicit, borrow=borrow)


class SymbolicOutput:
    """An output; `borrow=True` allows returning an internal buffer."""

    def __init__(self, variable, borrow=False):
        self.variable = variable
        self.borrow = borrow

    def __str__(self):
        return f"Out({self.variable},{self.borrow})"

    __repr__ = __str__


Out = SymbolicOutput
