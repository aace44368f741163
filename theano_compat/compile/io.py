"""In / Out: how a function's inputs and outputs are declared (Theano's compile.io)."""

from __future__ import annotations

from ..graph.basic import Variable
from ..graph.shared import Container, SharedVariable

__all__ = ["SymbolicInput", "In", "SymbolicOutput", "Out"]


class SymbolicInput:
    """An input of a compiled function (base of `In`).

    `name` (default: the variable's name when `autoname`) makes the input settable by
    keyword and by ``f[name]``; `update` is an expression whose value replaces the
    input's stored value after each call; `mutable` (default: whether there is an
    update) lets the function overwrite the array given; `strict` refuses any value not
    exactly of the variable's type; `allow_downcast` (None, True, False) says whether a
    value may lose precision when converted; `implicit` inputs cannot be given by the
    caller (their value comes from their container).
    """

    __module__ = "theano.compile.io"  # Theano's path: reprs and pickles

    def __init__(self, variable, name=None, update=None, mutable=None, strict=False,
                 allow_downcast=None, autoname=True, implicit=False):
        if implicit is None:
            raise AssertionError("SymbolicInput(implicit=None): use In for implicit=None")
        if not isinstance(variable, Variable):
            raise TypeError(f"variable must be a Theano Variable, got {variable!r}")
        self.variable = variable
        if autoname and name is None:
            self.name = variable.name
        else:
            self.name = name
        if self.name is not None and not isinstance(self.name, str):
            raise TypeError(f"name must be a string! (got: {self.name})")
        if update is not None:
            if not isinstance(update, Variable):
                raise TypeError(f"Unknown update type: {type(update)}, expected Variable "
                                f"instance ({update!r})")
            if update.type != variable.type:
                # Theano 1.0.5 wanted the very type (a stricter broadcast pattern too).
                raise TypeError(
                    f"Variable '{variable}' has type {variable.type} but an update of "
                    f"type {update.type}. The type of the update should be the same as "
                    "the type of the variable"
                )
        self.update = update
        self.mutable = mutable if mutable is not None else update is not None
        self.strict = strict
        self.allow_downcast = allow_downcast
        self.implicit = implicit

    def __str__(self):
        if self.update is not None:
            return f"In({self.variable} -> {self.update})"
        return f"In({self.variable})"

    __repr__ = __str__


class In(SymbolicInput):
    """An input with options (Theano's ``theano.In``).

    Besides SymbolicInput's options: `value`, a default value (with an `update`, the
    initial state; a Container or a shared variable: its storage is shared with this
    input); `borrow` (default: `mutable`) lets an output be the very array given for
    this input; `implicit` None means True exactly when `value` is a Container or a
    shared variable.  `shared` marks the inputs that function() adds for the shared
    variables a graph reads.
    """

    __module__ = "theano.compile.io"  # Theano's path: reprs and pickles

    def __init__(self, variable, name=None, value=None, update=None, mutable=None,
                 strict=False, allow_downcast=None, autoname=True, implicit=None,
                 borrow=None, shared=False):
        self.shared = shared
        self.borrow = mutable if borrow is None else borrow
        if mutable and not self.borrow:
            raise AssertionError(
                f"Symbolic input for variable {variable} (name={name}) has flags "
                "mutable=True, borrow=False. This combination is incompatible since "
                "mutable=True implies that the input variable may be both aliased "
                "(borrow=True) and overwritten."
            )
        if implicit is None:
            implicit = isinstance(value, (Container, SharedVariable))
        super().__init__(variable, name=name, update=update, mutable=mutable, strict=strict,
                         allow_downcast=allow_downcast, autoname=autoname,
                         implicit=implicit)
        self.value = value
        if self.implicit and value is None:
            raise TypeError("An implicit input must be given a default value")


class SymbolicOutput:
    """An output; `borrow=True` allows returning an internal buffer."""

    __module__ = "theano.compile.io"  # Theano's path: reprs and pickles

    def __init__(self, variable, borrow=False):
        self.variable = variable
        self.borrow = borrow

    def __str__(self):
        return f"Out({self.variable},{self.borrow})"

    __repr__ = __str__


Out = SymbolicOutput

from .legacy_names import GOF, lazy_names, string_types  # noqa: F401,E402 - Theano's names

__getattr__, __dir__ = lazy_names(__name__, {"gof": GOF})
