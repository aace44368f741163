"""The Op contract (Theano's ``gof.Op``) plus the internal ``impl(xp, *inputs)`` contract.

Internal Ops implement ``impl``; it receives the array module (numpy or cupy) and input
arrays and returns one array or a tuple.  Legacy user Ops implement ``perform(node,
inputs, output_storage)``; both are honoured by the linker.
"""

from __future__ import annotations

import functools
import importlib
import pickle
import sys
import warnings

import numpy as np

from .. import hooks
from ..config import config
from ..errors import MethodNotDefined
from ..utils import defined_here
from . import legacy_pickle
from .basic import Apply, Variable


class Op:
    """Base class of every operation.

    Equality and hashing follow ``__props__`` (a tuple of attribute names) when the
    class defines it; otherwise Ops compare by identity, as in Theano.
    """

    __module__ = "theano.gof.op"  # Theano's path: reprs and pickles

    __props__: tuple = ()

    def __setstate__(self, state):
        # Theano 1.0.5's pickles store other attributes (graph/legacy_pickle.py).
        legacy_pickle.restore(self, state)

    default_output = None
    # itypes/otypes: the simple Op declaration style of Theano's documentation.
    itypes = None
    otypes = None
    # Whether the linker may call `impl(xp, ...)` (internal Ops) instead of `perform`.
    view_map: dict = {}
    destroy_map: dict = {}

    def make_node(self, *inputs):
        """Build the Apply node (type inference).  Default: use itypes/otypes."""
        if self.itypes is None or self.otypes is None:
            raise MethodNotDefined(f"make_node is not defined for {type(self).__name__}")
        if len(inputs) != len(self.itypes):
            raise ValueError(
                f"We expected {len(self.itypes)} inputs but got {len(inputs)}."
            )
        inputs = [t.filter_variable(i) for t, i in zip(self.itypes, inputs)]
        return Apply(self, inputs, [t() for t in self.otypes])

    def __call__(self, *inputs, **kwargs):
        return_list = kwargs.pop("return_list", False)
        node = self.make_node(*inputs, **kwargs)
        _compute_test_value(node)
        if return_list:
            return list(node.outputs)
        if self.default_output is not None:
            return node.outputs[self.default_output]
        if len(node.outputs) == 1:
            return node.outputs[0]
        return list(node.outputs)

    # -- execution ---------------------------------------------------------------------------

    def impl(self, xp, *inputs):
        """Compute the outputs from input arrays (internal Ops override this)."""
        raise MethodNotDefined(f"impl is not defined for {type(self).__name__}")

    def perform(self, node, inputs, output_storage, params=None):
        """Theano's perform: the default runs `impl` on NumPy."""
        if type(self).impl is Op.impl:
            raise MethodNotDefined(
                f"{type(self).__name__} defines neither perform() nor impl(); "
                "define perform(self, node, inputs, output_storage)"
            )
        result = self.impl(np, *inputs)
        if len(output_storage) == 1:
            output_storage[0][0] = result
        else:
            for storage, value in zip(output_storage, result):
                storage[0] = value

    def do_constant_folding(self, node):
        return True

    # -- Theano's thunk interface ----------------------------------------------------------

    def make_thunk(self, node, storage_map, compute_map, no_recycling, impl=None):
        """Theano's ``Op.make_thunk``: a callable computing `node` from the cells of
        `storage_map` (``{variable: [value]}``) and marking its outputs computed in
        `compute_map`; with ``inputs``/``outputs`` (the cells) and ``lazy``.  It runs
        Python (perform/impl): there is no C implementation, `impl` is ignored."""
        return hooks.make_thunk(node, storage_map, compute_map, no_recycling, impl)

    def c_code(self, node, name, inputs, outputs, sub):
        """Theano's C implementation hook: no Op has C code here (define perform)."""
        raise MethodNotDefined(
            f"c_code: {type(self).__name__} has no C code (theano_compat compiles no C; "
            "the Op runs through perform(self, node, inputs, output_storage))")

    def rewrite_keys(self):
        """Keys under which rewrite rules for this Op are indexed (graph/rewrite.py)."""
        return (type(self),)

    # -- gradients ---------------------------------------------------------------------------

    def L_op(self, inputs, outputs, output_grads):
        """Gradient seeing the outputs too; the default calls `grad`."""
        return self.grad(inputs, output_grads)

    def grad(self, inputs, output_grads):
        raise MethodNotDefined(f"grad is not defined for {type(self).__name__}")

    def R_op(self, inputs, eval_points):
        raise MethodNotDefined(f"R_op is not defined for {type(self).__name__}")

    # -- identity ----------------------------------------------------------------------------

    def _props(self):
        return tuple(getattr(self, p) for p in self.__props__)

    def _props_dict(self):
        return {p: getattr(self, p) for p in self.__props__}

    def __eq__(self, other):
        if not _declares_props(type(self)):
            return self is other
        return type(self) is type(other) and self._props() == other._props()

    def __hash__(self):
        if not _declares_props(type(self)):
            return id(self)
        # Ops are immutable once built (Theano's contract), so the hash is computed once:
        # merging and rule indexing hash every node's op several times per compile.
        h = self.__dict__.get("_props_hash")
        if h is None:
            h = self.__dict__["_props_hash"] = hash((type(self), self._props()))
        return h

    def __str__(self):
        if self.__props__:
            args = ", ".join(f"{p}={getattr(self, p)!r}" for p in self.__props__)
            return f"{type(self).__name__}{{{args}}}"
        return type(self).__name__

    def __repr__(self):
        return str(self)


PureOp = Op


@functools.cache
def _declares_props(cls):
    """Whether some class below Op declares ``__props__`` (then equality follows props)."""
    return any("__props__" in c.__dict__ for c in cls.__mro__ if c is not Op)


def _compute_test_value(node):
    """Theano's compute_test_value: run the node on its inputs' test values when enabled."""
    mode = config.compute_test_value
    if mode == "off":
        return
    values = []
    for inp in node.inputs:
        if hasattr(inp, "data"):
            values.append(inp.data)
        elif hasattr(inp.tag, "test_value"):
            # Checked against the input's type, as Theano did (a float64 test value of a
            # float32 variable is a TypeError here, not a silent upcast).
            values.append(inp.type.filter(inp.tag.test_value))
        elif hasattr(inp, "get_value"):
            values.append(inp.get_value(borrow=True))
        else:
            if mode == "ignore":
                return
            msg = f"{inp} has no test value; set {inp}.tag.test_value (compute_test_value={mode})"
            if mode == "warn":
                warnings.warn(msg, stacklevel=3)
                return
            raise ValueError(msg)
    storage = [[None] for _ in node.outputs]
    params = _run_params(node.op, node)
    if params is _NO_PARAMS:
        node.op.perform(node, values, storage)
    else:
        node.op.perform(node, values, storage, params)
    for out, (value,) in zip(node.outputs, storage):
        out.tag.test_value = out.type.filter(value, allow_downcast=True)


class _FromFunctionOp(Op):
    """An Op built by `as_op` from a Python function over NumPy values."""

    def __init__(self, fn, itypes, otypes, infer_shape):
        self._fn = fn
        self.itypes = list(itypes)
        self.otypes = list(otypes)
        self._infer_shape = infer_shape
        self.__name__ = getattr(fn, "__name__", "as_op")

    def perform(self, node, inputs, outputs, params=None):
        result = self._fn(*inputs)
        if len(outputs) == 1:
            result = [result]
        for storage, value, t in zip(outputs, result, self.otypes):
            storage[0] = t.filter(value, allow_downcast=True)

    def infer_shape(self, node, input_shapes):
        if self._infer_shape is None:
            raise MethodNotDefined("infer_shape")
        return self._infer_shape(node, input_shapes)

    def __str__(self):
        return f"FromFunctionOp{{{self.__name__}}}"

    # Theano's FromFunctionOp: equal when wrapping the same function; pickled by reference
    # to the decorated module-level name (the Op itself), so the unpickled Op is the one
    # the module defines and works; an Op not bound to such a name raises PicklingError.
    def __eq__(self, other):
        return type(self) is type(other) and self._fn == other._fn

    def __hash__(self):
        return hash(type(self)) ^ hash(self._fn)

    def __reduce__(self):
        mod = getattr(self._fn, "__module__", None)
        name = getattr(self._fn, "__name__", None)
        try:
            obj = load_back(mod, name)
        except (ImportError, KeyError, AttributeError, TypeError):
            raise pickle.PicklingError(
                f"Can't pickle as_op(), not found as {mod}.{name}") from None
        if obj is not self:
            raise pickle.PicklingError(
                f"Can't pickle as_op(), not the object at {mod}.{name}")
        return load_back, (mod, name)


def load_back(mod, name):
    """The object named `name` in module `mod` (how an as_op Op unpickles)."""
    importlib.import_module(mod)
    return getattr(sys.modules[mod], name)


def as_op(itypes, otypes, infer_shape=None):
    """Decorator turning a NumPy function into an Op (Theano's ``compile.ops.as_op``)."""
    if not isinstance(itypes, (list, tuple)):
        itypes = [itypes]
    if not isinstance(otypes, (list, tuple)):
        otypes = [otypes]

    def wrap(fn):
        return _FromFunctionOp(fn, itypes, otypes, infer_shape)

    return wrap


def is_variable(x):
    return isinstance(x, Variable)


def runner_for(op, node, xp, compile_inner=None):
    """The callable computing `node` from its input arrays (one per Apply).

    Ops with inner graphs (Scan, OpFromGraph) set ``has_inner_graph = True`` and are
    asked for ``op.runner(node, xp, compile_inner=compile_inner)``:
    ``compile_inner(inputs, outputs, name=None)`` returns a callable
    ``fn(*input_values) -> list of output values`` running the mode's rewrites on that
    graph (supplied by compile/, so this layer never imports it; None when a node is
    run outside a compiled function, e.g. by constant folding).
    """
    if getattr(op, "has_inner_graph", False):
        return op.runner(node, xp, compile_inner=compile_inner)
    runner = getattr(op, "runner", None)
    if runner is not None:
        return runner(node, xp)
    if type(op).impl is not Op.impl:
        return functools.partial(op.impl, xp)
    return _perform_runner(op, node)


def _perform_runner(op, node):
    """Adapter for legacy Ops that only define perform(node, inputs, output_storage).

    A user's Op (any class outside this package) has each tensor output checked against
    the type its make_node declared (see _checked_output): an array of another dtype or
    ndim, or an output left unset, would otherwise flow into the next node and fail there
    (or compute in the wrong precision) with no word about the Op at fault.  The
    package's own perform() Ops are trusted and skip the check.
    """
    n_out = len(node.outputs)
    checks = None
    if not defined_here(type(op)):
        checks = [_output_check(op, node, k) for k in range(n_out)]
    params = _run_params(op, node)
    if params is not _NO_PARAMS:
        perform = op.perform
        op = _WithParams(perform, params)

    if n_out == 1:
        check = checks[0] if checks else None
        if check is None:
            def run(*args):
                storage = [[None]]
                op.perform(node, list(args), storage)
                return storage[0][0]
        else:
            def run(*args):
                storage = [[None]]
                op.perform(node, list(args), storage)
                return check(storage[0][0])
    elif not checks or all(c is None for c in checks):
        def run(*args):
            storage = [[None] for _ in range(n_out)]
            op.perform(node, list(args), storage)
            return tuple(s[0] for s in storage)
    else:
        ident = _identity_check
        checks = [c or ident for c in checks]

        def run(*args):
            storage = [[None] for _ in range(n_out)]
            op.perform(node, list(args), storage)
            return tuple(c(s[0]) for c, s in zip(checks, storage))

    return run


def _identity_check(value):
    return value


_NO_PARAMS = object()


def _run_params(op, node):
    """The params value Theano passed to ``perform`` as its 4th argument (Apply's
    ``run_params``): for an Op declaring ``params_type``, its ``get_params(node)``, or
    for a ParamsType the values of the Op's attributes of its field names; filtered by
    ``params_type``.  `_NO_PARAMS` when the Op has none."""
    ptype = getattr(op, "params_type", None)
    if ptype is None:
        return _NO_PARAMS
    get = getattr(op, "get_params", None)
    try:
        if get is not None:
            value = get(node)
        elif hasattr(ptype, "fields") and hasattr(ptype, "get_params"):
            value = ptype.get_params(op)
        else:
            return _NO_PARAMS
    except MethodNotDefined:
        return _NO_PARAMS
    filt = getattr(ptype, "filter", None)
    return filt(value, strict=False, allow_downcast=True) if filt is not None else value


class _WithParams:
    """An Op's perform with its params value bound as the 4th argument."""

    __slots__ = ("_perform", "_params")

    def __init__(self, perform, params):
        self._perform = perform
        self._params = params

    def perform(self, node, inputs, storage):
        self._perform(node, inputs, storage, self._params)


def _output_check(op, node, k):
    """``check(value) -> value`` for output `k` of a user Op's node, or None when its type
    is not a tensor type (a generic or random-state output may hold anything)."""
    var = node.outputs[k]
    t = var.type
    dtype = getattr(t, "numpy_dtype", None)
    ndim = getattr(t, "ndim", None)
    if dtype is None or ndim is None:
        return None

    def check(value):
        if type(value) is np.ndarray and value.dtype == dtype and value.ndim == ndim:
            return value
        return _checked_output(op, node, k, value)

    return check


def _checked_output(op, node, k, value):
    """`value` (what perform stored for output `k`) accepted for its declared type, or a
    TypeError naming the Op, the output and what is wrong.

    An array (NumPy or a GPU array) must have the declared dtype and ndim: Theano's C code
    refused another dtype, and a silent cast would hide a precision bug in the Op.  A
    Python or NumPy scalar, or a list, is converted to the declared type (Theano returned
    such values as they were; they are not arrays, so there is no dtype to keep).
    """
    var = node.outputs[k]
    t = var.type
    what = f"output {k} ({var}) of {op}" if node.nout > 1 else f"the output ({var}) of {op}"
    if value is None:
        raise TypeError(
            f"{type(op).__name__}.perform() did not set {what}: output_storage[{k}][0] is "
            f"None.  perform(node, inputs, output_storage) must store an array of type "
            f"{t} in output_storage[{k}][0]."
        )
    if hasattr(value, "dtype") and hasattr(value, "ndim") and not isinstance(value, np.generic):
        if str(value.dtype) != t.dtype:
            raise TypeError(
                f"{type(op).__name__}.perform() stored an array of dtype {value.dtype} in "
                f"{what}, declared {t} by make_node: cast the result in perform (e.g. "
                f"`.astype('{t.dtype}')`) or declare the output's dtype in make_node."
            )
        if value.ndim != t.ndim:
            raise TypeError(
                f"{type(op).__name__}.perform() stored an array of {value.ndim} dimensions "
                f"(shape {tuple(value.shape)}) in {what}, declared {t} ({t.ndim} "
                "dimensions) by make_node."
            )
        return value
    try:
        return t.filter(value, allow_downcast=True)
    except (TypeError, ValueError) as e:
        raise TypeError(
            f"{type(op).__name__}.perform() stored {value!r} in {what}, which cannot be "
            f"converted to its declared type {t}: {e}"
        ) from None
