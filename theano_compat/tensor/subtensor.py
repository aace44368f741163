"""Indexing: basic slicing, integer and advanced (array / boolean) indexing, and their
in-place-looking counterparts set_subtensor / inc_subtensor (which return new tensors).

An index is described statically by a `spec` (one entry per indexed position) while the
dynamic parts (symbolic bounds, index arrays) are inputs of the node:

* ``("slice", start, stop, step)``: each field None, a Python int, or ``"v"`` (next input)
* ``("int", i_or_"v")``: an integer index, which drops the dimension
* ``("adv",)``: an integer or boolean index array (next input)
* ``("newaxis",)``: ``None`` in the index
"""

from __future__ import annotations

import numpy as np

from ..backend import scatter_add
from ..config import config
from ..graph.basic import Apply, Constant, Variable
from ..graph.null import disconnected_type
from ..graph.op import Op
from ..scalar import dtypes as D
from .construct import slice_along  # noqa: F401 - theano_compat.tensor.subtensor name
from .elemwise import DimShuffle, as_tensor_variable, cast, sum_to_broadcast, zeros_like
from .shapes import (  # noqa: F401 - theano_compat.tensor.subtensor names
    NotScalarConstantError,
    flatten,
    get_scalar_constant_value,
)
from .type import TensorType

# ----------------------------------------------------------------------------- the spec


def _static_int(v):
    """A Python int for a constant index entry, else None."""
    if isinstance(v, (int, np.integer)) and not isinstance(v, bool):
        return int(v)
    if isinstance(v, Constant) and v.type.ndim == 0 and v.type.dtype in D.integer_dtypes:
        return int(v.data)
    return None


def _index_scalar(v):
    v = as_tensor_variable(v)
    if v.type.ndim != 0 or v.type.dtype not in D.integer_dtypes:
        raise TypeError(
            f"Expected an integer scalar as an index or slice bound, got {v} of type {v.type}"
        )
    return v


def _is_empty_sequence(i):
    return ((isinstance(i, (list, tuple)) and len(i) == 0)
            or (isinstance(i, np.ndarray) and i.size == 0))


def parse_index(x, index):
    """Turn a Python index into (spec, dynamic inputs)."""
    if isinstance(index, list) and any(isinstance(i, slice) for i in index):
        # Theano 1.0.5 (and NumPy before 1.23) read a list holding a slice as a tuple of
        # indices: x[[slice(None), 0]] is x[:, 0].
        index = tuple(index)
    elif not isinstance(index, tuple):
        index = (index,)
    # An empty list, tuple or array is an empty int64 index (Theano): x[[]] has no rows.
    index = tuple(np.array(i, dtype="int64") if _is_empty_sequence(i) else i for i in index)
    n_real = sum(1 for i in index if i is not None and i is not Ellipsis)
    for i in index:
        if isinstance(i, (Variable, np.ndarray, list)) and not isinstance(i, Constant):
            arr = i if isinstance(i, Variable) else None
            if arr is not None and arr.type.dtype == "bool" and arr.type.ndim > 1:
                n_real += arr.type.ndim - 1
    if sum(1 for i in index if i is Ellipsis) > 1:
        raise IndexError("an index can only have a single ellipsis ('...')")
    expanded = []
    for i in index:
        if i is Ellipsis:
            expanded.extend([slice(None)] * (x.type.ndim - n_real))
        else:
            expanded.append(i)
    if n_real > x.type.ndim:
        raise IndexError(
            f"too many indices for a tensor of {x.type.ndim} dimensions ({n_real} given)"
        )
    spec, inputs = [], []
    for i in expanded:
        if i is None:
            spec.append(("newaxis",))
        elif isinstance(i, slice):
            fields = []
            for part in (i.start, i.stop, i.step):
                if part is None:
                    fields.append(None)
                elif _static_int(part) is not None:
                    fields.append(_static_int(part))
                else:
                    inputs.append(_index_scalar(part))
                    fields.append("v")
            spec.append(("slice", *fields))
        elif _static_int(i) is not None:
            spec.append(("int", _static_int(i)))
        else:
            v = as_tensor_variable(i)
            if v.type.dtype not in D.integer_dtypes + ("bool",):
                raise TypeError(f"Index {v} must be of integer or boolean dtype, not {v.type}")
            if v.type.ndim == 0 and v.type.dtype != "bool":
                inputs.append(v)
                spec.append(("int", "v"))
            else:
                inputs.append(v)
                spec.append(("adv",))
    return tuple(spec), inputs


def build_index(spec, values):
    """The NumPy index tuple for a spec and the run-time values of its inputs."""
    it = iter(values)
    out = []
    for entry in spec:
        kind = entry[0]
        if kind == "slice":
            out.append(slice(*[int(next(it)) if f == "v" else f for f in entry[1:]]))
        elif kind == "int":
            out.append(int(next(it)) if entry[1] == "v" else entry[1])
        elif kind == "adv":
            out.append(next(it))
        else:
            out.append(None)
    return tuple(out)


def _output_broadcastable(x, spec, inputs):
    """Output broadcastable pattern following NumPy's (advanced) indexing rules."""
    it = iter(inputs)
    basic_before, basic_after, adv_ndims, adv_bcast = [], [], [], []
    adv_positions = []
    has_adv = any(e[0] == "adv" for e in spec)
    dim = 0
    out_entries = []  # ("b", flag) for a basic dim, ("A",) at advanced positions
    for pos, entry in enumerate(spec):
        kind = entry[0]
        if kind == "newaxis":
            out_entries.append(("b", True))
            continue
        if kind == "slice":
            for f in entry[1:]:
                if f == "v":
                    next(it)
            bc = x.type.broadcastable[dim]
            start, stop, step = entry[1:]
            # Theano keeps a broadcastable dim when the slice starts at 0 and either has
            # no stop or a constant positive one, whatever the step (r[::-1] of a row is a
            # row).  A negative step with bounds is not a plain reversal: not kept.
            full_reverse = start is None and stop is None
            keep = bc and (start is None or start == 0) and (
                stop is None or (isinstance(stop, int) and stop > (start or 0))) and (
                step is None or full_reverse or (isinstance(step, int) and step > 0))
            out_entries.append(("b", bool(keep)))
            dim += 1
        elif kind == "int":
            if entry[1] == "v":
                v = next(it)
                if has_adv:
                    adv_ndims.append(0)
                    adv_positions.append(pos)
                    adv_bcast.append(())
                    out_entries.append(("A",))
            elif has_adv:
                adv_ndims.append(0)
                adv_positions.append(pos)
                adv_bcast.append(())
                out_entries.append(("A",))
            dim += 1
        else:
            v = next(it)
            adv_positions.append(pos)
            out_entries.append(("A",))
            if v.type.dtype == "bool":
                adv_ndims.append(1)
                adv_bcast.append((False,))
                dim += v.type.ndim
            else:
                adv_ndims.append(v.type.ndim)
                adv_bcast.append(v.type.broadcastable)
                dim += 1
    rest = [("b", b) for b in x.type.broadcastable[dim:]]
    if not adv_positions:
        return tuple(e[1] for e in out_entries) + tuple(e[1] for e in rest)
    nb = max(adv_ndims)
    bcast_adv = []
    for k in range(nb):
        flags = [b[len(b) - nb + k] if len(b) - nb + k >= 0 else True for b in adv_bcast]
        bcast_adv.append(all(flags))
    adjacent = adv_positions == list(range(adv_positions[0], adv_positions[-1] + 1))
    basic_before = [e[1] for e in out_entries[: out_entries.index(("A",))] if e[0] == "b"]
    last_a = len(out_entries) - 1 - out_entries[::-1].index(("A",))
    basic_after = [e[1] for e in out_entries[last_a + 1:] if e[0] == "b"]
    basic_mid = [e[1] for e in out_entries[out_entries.index(("A",)): last_a] if e[0] == "b"]
    tail = [b for _, b in rest]
    if adjacent:
        return tuple(basic_before + bcast_adv + basic_after + tail)
    return tuple(bcast_adv + basic_before + basic_mid + basic_after + tail)


def _spec_str(spec):
    parts = []
    for entry in spec:
        if entry[0] == "slice":
            fields = ["int64" if f == "v" else ("" if f is None else str(f)) for f in entry[1:]]
            if fields[2] == "":
                fields = fields[:2]
            parts.append(":".join(fields))
        elif entry[0] == "int":
            parts.append("int64" if entry[1] == "v" else str(entry[1]))
        elif entry[0] == "newaxis":
            parts.append("None")
        else:
            parts.append("array")
    return ", ".join(parts)


# ----------------------------------------------------------------------------- reading


class BaseSubtensor(Op):
    """x[index] for any index spec (subclasses only change the printed name)."""

    __props__ = ("idx_list",)
    view_map = {0: [0]}

    def __init__(self, idx_list):
        self.idx_list = tuple(idx_list)
        self._adv = any(e[0] == "adv" for e in self.idx_list)
        if self._adv:
            self.view_map = {}

    def make_node(self, x, *inputs):
        x = as_tensor_variable(x)
        inputs = [as_tensor_variable(i) for i in inputs]
        bcast = _output_broadcastable(x, self.idx_list, inputs)
        return Apply(self, [x] + inputs, [TensorType(x.type.dtype, bcast)()])

    def impl(self, xp, x, *values):
        return x[build_index(self.idx_list, values)]

    def infer_shape(self, node, shapes):
        return [tuple([None] * node.outputs[0].type.ndim)]

    def L_op(self, inputs, outputs, grads):
        x, rest = inputs[0], inputs[1:]
        (g,) = grads
        if x.type.dtype in D.discrete_dtypes:
            gx = zeros_like(x, dtype=config.floatX)
        else:
            gx = inc_op(self.idx_list, False, rest)(zeros_like(x), g, *rest)
        return [gx] + [disconnected_type() for _ in rest]

    def connection_pattern(self, node):
        return [[True]] + [[False] for _ in node.inputs[1:]]

    def R_op(self, inputs, eval_points):
        if eval_points[0] is None:
            return [None]
        return [self(eval_points[0], *inputs[1:])]

    def __str__(self):
        return f"{type(self).__name__}{{{_spec_str(self.idx_list)}}}"


class Subtensor(BaseSubtensor):
    """Basic indexing (slices and integers): a view of the input."""


class AdvancedSubtensor1(BaseSubtensor):
    """x[int_vector]: rows selected by an integer vector."""

    def __str__(self):
        return "AdvancedSubtensor1"


class AdvancedSubtensor(BaseSubtensor):
    """General NumPy advanced indexing (several arrays, boolean masks, mixed with slices)."""

    def __str__(self):
        return type(self).__name__


class AdvancedBooleanSubtensor(AdvancedSubtensor):
    """Indexing with a boolean mask (Theano's name; the same operation)."""

    def rewrite_keys(self):
        return (AdvancedSubtensor, AdvancedBooleanSubtensor)


def _has_bool_index(spec, inputs):
    it = iter(inputs)
    found = False
    for entry in spec:
        for f in entry[1:] if entry[0] in ("slice", "int") else ():
            if f == "v":
                next(it)
        if entry[0] == "adv" and next(it).type.dtype == "bool":
            found = True
    return found


def _reader_class(spec, inputs):
    advs = [e for e in spec if e[0] == "adv"]
    if not advs:
        return Subtensor
    if (len(spec) >= 1 and spec[0] == ("adv",) and len(advs) == 1
            and inputs[0].type.ndim == 1 and inputs[0].type.dtype != "bool"
            and all(e == ("slice", None, None, None) for e in spec[1:])):
        return AdvancedSubtensor1
    return AdvancedBooleanSubtensor if _has_bool_index(spec, inputs) else AdvancedSubtensor


def getitem(x, index):
    """``x[index]`` for a tensor variable."""
    spec, inputs = parse_index(x, index)
    # Drop trailing full slices: x[1, :] is x[1] (keeps graphs canonical and printing short).
    # Only full slices (x[:]) stay a Subtensor, as in Theano: set_subtensor(x[:], y) needs one.
    trimmed = spec
    while trimmed and trimmed[-1] == ("slice", None, None, None):
        trimmed = trimmed[:-1]
    spec = trimmed or spec
    if not spec:
        return x
    return _reader_class(spec, inputs)(spec)(x, *inputs)


# ----------------------------------------------------------------------------- writing


class BaseIncSubtensor(Op):
    """A copy of x with x[index] set to (or incremented by) y."""

    __props__ = ("idx_list", "set_instead_of_inc")

    def __init__(self, idx_list, set_instead_of_inc=False):
        self.idx_list = tuple(idx_list)
        self.set_instead_of_inc = bool(set_instead_of_inc)
        self._adv = any(e[0] == "adv" for e in self.idx_list)

    def make_node(self, x, y, *inputs):
        x, y = as_tensor_variable(x), as_tensor_variable(y)
        inputs = [as_tensor_variable(i) for i in inputs]
        sub_bcast = _output_broadcastable(x, self.idx_list, inputs)
        if y.type.ndim > len(sub_bcast):
            raise TypeError(
                f"Trying to increment a {len(sub_bcast)}-dimensional subtensor with a "
                f"{y.type.ndim}-dimensional value."
            )
        # Theano 1.0.5 builds a wider y and casts it when writing: set_subtensor always (an
        # assignment), inc_subtensor where NumPy's in-place add can (same kind: float64 into
        # float32, int32 into int8; a float into an int failed only when run there).
        if (not self.set_instead_of_inc and D.upcast(x.type.dtype, y.type.dtype) != x.type.dtype
                and not np.can_cast(y.type.dtype, x.type.dtype, casting="same_kind")):
            raise TypeError(
                f"inc_subtensor: the value of dtype {y.type.dtype} cannot be added into the "
                f"tensor's dtype {x.type.dtype}; cast it explicitly"
            )
        return Apply(self, [x, y] + inputs, [x.type()])

    def impl(self, xp, x, y, *values):
        out = x.copy()
        idx = build_index(self.idx_list, values)
        if self.set_instead_of_inc:
            out[idx] = y
        elif self._adv:
            scatter_add(xp, out, idx, y)
        elif getattr(y, "dtype", out.dtype) != out.dtype:
            # A wider y of the same kind wraps/rounds into x's dtype, as Theano's in-place
            # add; NumPy 2 refuses out[i] += y when the scalar sum is out of x's range.
            out[idx] = (out[idx] + y).astype(out.dtype)
        else:
            out[idx] += y
        return out

    def infer_shape(self, node, shapes):
        return [shapes[0]]

    def L_op(self, inputs, outputs, grads):
        x, y, rest = inputs[0], inputs[1], inputs[2:]
        (g,) = grads
        if self.set_instead_of_inc:
            gx = inc_op(self.idx_list, True, rest)(g, zeros_like(y, dtype=g.type.dtype),
                                                  *rest)
        else:
            gx = g
        gy = _reader_class(self.idx_list, rest)(self.idx_list)(g, *rest)
        # Sum gy over the dims y was broadcast along.
        gy = sum_to_broadcast(gy, y)
        if y.type.dtype in D.discrete_dtypes:
            gy = zeros_like(y, dtype=config.floatX)
        elif gy.type.dtype != y.type.dtype:
            gy = cast(gy, y.type.dtype)
        if x.type.dtype in D.discrete_dtypes:
            gx = zeros_like(x, dtype=config.floatX)
        return [gx, gy] + [disconnected_type() for _ in rest]

    def connection_pattern(self, node):
        return [[True], [True]] + [[False] for _ in node.inputs[2:]]

    def R_op(self, inputs, eval_points):
        if eval_points[0] is None and eval_points[1] is None:
            return [None]
        # An input without an eval point does not move: its tangent is zero.
        ex, ey = (zeros_like(v) if e is None else e for v, e in zip(inputs[:2], eval_points))
        return [self(ex, ey, *inputs[2:])]

    def __str__(self):
        mode = "Set" if self.set_instead_of_inc else "Inc"
        return f"{type(self).__name__}{{{mode};{_spec_str(self.idx_list)}}}"


class IncSubtensor(BaseIncSubtensor):
    """set/inc on a basic index."""


class AdvancedIncSubtensor1(BaseIncSubtensor):
    """set/inc on rows selected by an integer vector (repeated rows accumulate)."""

    def __str__(self):
        return f"AdvancedIncSubtensor1{{no_inplace,{'set' if self.set_instead_of_inc else 'inc'}}}"


class AdvancedIncSubtensor(BaseIncSubtensor):
    """set/inc on a general advanced index (repeated entries accumulate for inc)."""

    def __str__(self):
        # Theano 1.0.5's text, two spaces included.
        return (f"{type(self).__name__}{{inplace=False,  "
                f"set_instead_of_inc={self.set_instead_of_inc}}}")


class AdvancedBooleanIncSubtensor(AdvancedIncSubtensor):
    """set/inc through a boolean mask (Theano's name; the same operation)."""

    def rewrite_keys(self):
        return (AdvancedIncSubtensor, AdvancedBooleanIncSubtensor)


def inc_op(spec, set_instead_of_inc, inputs=()):
    """The set/inc Op for an index spec (`inputs`: its index inputs, to spot boolean masks)."""
    advs = [e for e in spec if e[0] == "adv"]
    if not advs:
        cls = IncSubtensor
    elif inputs and _has_bool_index(spec, inputs):  # before Adv1: x[mask] is boolean too
        cls = AdvancedBooleanIncSubtensor
    elif spec[0] == ("adv",) and len(advs) == 1 and all(
            e == ("slice", None, None, None) for e in spec[1:]):
        cls = AdvancedIncSubtensor1
    else:
        cls = AdvancedIncSubtensor
    return cls(spec, set_instead_of_inc)


def _inc_or_set(x, y, set_instead_of_inc, name):
    x = as_tensor_variable(x)
    y = as_tensor_variable(y)
    owner = x.owner
    if owner is None or not isinstance(owner.op, (BaseSubtensor,)):
        if owner is not None and isinstance(owner.op, DimShuffle):
            # x is e.g. a[idx].T: as Theano 1.0.5, increment the inner subtensor with y
            # shuffled back (its missing leading dims broadcast), then re-apply the
            # shuffle to the result: inc_subtensor(a[idx].T, y) is
            # inc_subtensor(a[idx], y.T).T.
            inner = owner.inputs[0]
            new_order = owner.op.new_order
            offset = x.type.ndim - y.type.ndim
            y_order = ["x"] * inner.type.ndim
            for pos, o in enumerate(new_order):
                if o != "x" and pos - offset >= 0:
                    y_order[o] = pos - offset
            if (inner.owner is not None and isinstance(inner.owner.op, BaseSubtensor)
                    and "x" not in new_order and not owner.op.drop and offset >= 0):
                result = _inc_or_set(inner, y.dimshuffle(y_order), set_instead_of_inc, name)
                if result.type.ndim == len(new_order):
                    return result.dimshuffle(new_order)
        raise TypeError(
            f"{name}: the first argument must be a subtensor of a variable (such as x[i] or "
            f"x[a:b]), got {x}"
        )
    base, idx_inputs = owner.inputs[0], owner.inputs[1:]
    # A narrower y is kept as it is (Theano casts it when writing, as NumPy does).
    return inc_op(owner.op.idx_list, set_instead_of_inc, idx_inputs)(base, y, *idx_inputs)


def set_subtensor(x, y, inplace=False, tolerate_inplace_aliasing=False):
    """A copy of the tensor x was taken from, with the part x selects replaced by y."""
    return _inc_or_set(x, y, True, "set_subtensor")


def inc_subtensor(x, y, inplace=False, set_instead_of_inc=False, tolerate_inplace_aliasing=False):
    """A copy of the tensor x was taken from, with y added to the part x selects."""
    return _inc_or_set(x, y, set_instead_of_inc, "inc_subtensor")


def take(a, indices, axis=None, mode="raise"):
    """NumPy's take: a[indices] along `axis` (flattened when axis is None)."""
    a = as_tensor_variable(a)
    if mode != "raise":
        raise NotImplementedError(
            f"take(mode={mode!r}) is not supported; wrap indices yourself with T.clip or %"
        )
    if axis is None:
        return flatten(a)[indices]
    if axis < 0:
        axis += a.type.ndim
    return a[(slice(None),) * axis + (indices,)]


# ----------------------------------------------------------------- Theano's functional forms


def advanced_subtensor(x, *args):
    """x[args] for an advanced index (Theano's ``advanced_subtensor`` Op instance)."""
    return getitem(as_tensor_variable(x), tuple(args))


def advanced_subtensor1(x, ilist):
    """x[ilist] for an integer vector `ilist` (rows of x)."""
    return getitem(as_tensor_variable(x), ilist)


def advanced_inc_subtensor(x, y, *args):
    """x with y added at x[args]."""
    return inc_subtensor(advanced_subtensor(x, *args), y)


def advanced_set_subtensor(x, y, *args):
    """x with x[args] replaced by y."""
    return set_subtensor(advanced_subtensor(x, *args), y)


def advanced_inc_subtensor1(x, y, ilist):
    """x with y added to the rows `ilist` (repeated rows accumulate)."""
    return inc_subtensor(advanced_subtensor1(x, ilist), y)


def advanced_set_subtensor1(x, y, ilist):
    """x with the rows `ilist` replaced by y."""
    return set_subtensor(advanced_subtensor1(x, ilist), y)


advanced_boolean_subtensor = advanced_subtensor
advanced_boolean_inc_subtensor = advanced_inc_subtensor
advanced_boolean_set_subtensor = advanced_set_subtensor
