"""Indexing: basic slicing, integer and advanced (array / boolean) indexing, and their
in-place-looking counterparts set_subtensor / inc_subtensor (which return new tensors).

An index is described statically by a `spec` (one entry per indexed position) while the
dynamic parts (symbolic bounds, index arrays) are inputs of the node:

* ``("slice", start, stop, step)``: each field None, a Python int, or ``"v"`` (next input)
* ``("int", i_or_"v")``: an integer index, which drops the dimension
* ``("adv",)``: an integer or boolean index array (next input)
* ``("newaxis",)``: ``None`` in the index
* ``("slicevar",)``: a slice known at run time only, a variable of SliceType (next input)

Theano's own API is here too: its constructors (``Subtensor(idx_list)`` with scalar Types
in the index, ``AdvancedSubtensor()(x, *index)``, ``AdvancedIncSubtensor1(inplace,
set_instead_of_inc)``...), the helpers (`get_idx_list`, `get_canonical_form_slice`,
`make_constant`, `as_index_variable`, `adv_index_broadcastable_pattern`...), and the
graphs its ``__getitem__`` built (None through a DimShuffle, one integer vector on a later
axis through AdvancedSubtensor1 on a transposed view).  Shapes of basic and integer-array
indexing are inferred without computing the subtensor (`BaseSubtensor.infer_shape`).
"""

from __future__ import annotations

import functools
import logging
import sys
import warnings  # noqa: F401 - a name of Theano's module
from collections.abc import Iterable  # noqa: F401
from textwrap import dedent  # noqa: F401

import numpy as np

from .. import scalar as scal  # noqa: F401 - Theano's name for it here
from .. import hooks
from ..backend import scatter_add
from ..config import config
from ..errors import MethodNotDefined  # noqa: F401
from ..graph.basic import Apply, Constant, Variable
from ..graph.null import DisconnectedType, disconnected_type  # noqa: F401
from ..graph.op import Op
from ..graph.type import Type
from ..scalar import dtypes as D
from ..scalar.type import ScalarConstant, get_scalar_type
from .construct import alloc  # noqa: F401 - a name of Theano's module
from .construct import slice_along  # noqa: F401 - theano_compat.tensor.subtensor name
from .elemwise import DimShuffle, as_tensor_variable, cast, sum_to_broadcast, zeros_like
from .elemwise_ops import ge, lt, sgn, switch
from .math import clip  # noqa: F401 - a name of Theano's module
from .shapes import (  # noqa: F401 - theano_compat.tensor.subtensor names
    NotScalarConstantError,
    addbroadcast,
    extract_constant,
    flatten,
    get_scalar_constant_value,
)
from .type import TensorType, hashtype  # noqa: F401
from ..utils import lazy_names

_logger = logging.getLogger("theano.tensor.subtensor")

# Python 2 compatibility names Theano's module imported (six, theano.compat).
integer_types = (int,)
izip = zip
xrange = range
# Theano's lazy reference to theano.sparse (set when sparse indexing was first needed).
sparse_module_ref = None


class AdvancedIndexingError(TypeError):
    """Raised when basic indexing (Subtensor) is asked to index with an array."""


class AdvancedBooleanIndexingError(TypeError):
    """Raised when basic or integer-array indexing is asked to index with a boolean mask."""


# ----------------------------------------------------------------------------- the spec


def _static_int(v):
    """A Python int for a constant index entry (a tensor or theano.scalar constant), else
    None.  Theano held indices as int64: a larger one is refused (OverflowError)."""
    if isinstance(v, (int, np.integer)) and not isinstance(v, bool):
        v = int(v)
        if not _INT64_MIN <= v <= _INT64_MAX:
            raise OverflowError(f"index {v} does not fit in int64, the dtype of indices")
        return v
    if (isinstance(v, Constant) and getattr(v.type, "ndim", 0) == 0
            and getattr(v.type, "dtype", None) in D.integer_dtypes):
        return int(v.data)
    return None


_INT64_MIN, _INT64_MAX = int(np.iinfo(np.int64).min), int(np.iinfo(np.int64).max)


def _is_slice_variable(v):
    """A variable of Theano's SliceType (``tensor.slicetype()``, ``make_slice``)."""
    return isinstance(v, Variable) and type(v.type).__name__ == "SliceType"


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
            if (arr is not None and getattr(arr.type, "dtype", None) == "bool"
                    and arr.type.ndim > 1):
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
        if _is_slice_variable(i):
            i = _index_entry(i)  # a constant or MakeSlice one: its fields
        if i is None:
            spec.append(("newaxis",))
        elif _is_slice_variable(i):
            # A slice known at run time only (``x[tensor.slicetype()]``).
            inputs.append(i)
            spec.append(("slicevar",))
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
        elif kind in ("adv", "slicevar"):
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
        if kind == "slicevar":
            next(it)
            out_entries.append(("b", False))
            dim += 1
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
        elif entry[0] == "slicevar":
            parts.append("slice")
        else:
            parts.append("array")
    return ", ".join(parts)


# ------------------------------------------------------------- Theano's index helpers


def make_constant(args):
    """`args` (index entries, slices included) with Python and NumPy ints made int64
    scalar constants, as Theano's Subtensor inputs are."""
    def conv(a):
        if isinstance(a, slice):
            return slice(conv(a.start), conv(a.stop), conv(a.step))
        if isinstance(a, (int, np.integer)) and not isinstance(a, bool):
            return ScalarConstant(get_scalar_type("int64"), np.int64(a))
        return a
    return tuple(conv(a) for a in args)


def _is_spec(idx_list):
    """Whether `idx_list` is this module's spec (tuples named by kind) rather than
    Theano's list of slices, scalar Types and ints."""
    return all(isinstance(e, tuple) and e and e[0] in _KINDS for e in idx_list)


_KINDS = ("slice", "int", "adv", "newaxis", "slicevar")


def _spec_of(idx_list):
    """The spec of an index list in Theano's form (a scalar Type or a variable where the
    node takes an input, an int where it is fixed, None for a new axis) or already a
    spec."""
    idx_list = tuple(idx_list)
    if _is_spec(idx_list):
        return idx_list

    def field(f):
        if f is None or (isinstance(f, int) and f == sys.maxsize):
            return None
        if isinstance(f, (int, np.integer)) and not isinstance(f, bool):
            return int(f)
        if isinstance(f, (Type, Variable)):
            return "v"
        raise AdvancedIndexingError(Subtensor.e_indextype, f)

    spec = []
    for e in idx_list:
        if e is None:
            spec.append(("newaxis",))
        elif isinstance(e, slice):
            spec.append(("slice", field(e.start), field(e.stop), field(e.step)))
        elif isinstance(e, Type) and getattr(e, "ndim", 0) > 0:
            spec.append(("adv",))
        else:
            spec.append(("int", field(e)))
    return tuple(spec)


def get_idx_list(inputs, idx_list, get_count=False):
    """The index of a (set/inc)subtensor node as Python entries: slices, ints and the
    node's index inputs (``inputs[1:]``, or ``inputs[2:]`` for the inc ops when passed
    so) in place of the symbolic parts.  `idx_list` is the op's (this project's spec, or
    Theano's list with scalar Types).  ``get_count=True``: the number of inputs it uses."""
    indices = list(inputs[1:])
    it = iter(indices)
    used = 0

    def take():
        nonlocal used
        used += 1
        return next(it)

    out = []
    if _is_spec(tuple(idx_list)):
        for entry in idx_list:
            kind = entry[0]
            if kind == "slice":
                out.append(slice(*[take() if f == "v" else f for f in entry[1:]]))
            elif kind == "int":
                out.append(take() if entry[1] == "v" else entry[1])
            elif kind in ("adv", "slicevar"):
                out.append(take())
            else:
                out.append(None)
    else:
        def conv(e):
            if isinstance(e, Type):
                return take()
            if isinstance(e, slice):
                return slice(conv(e.start), conv(e.stop), conv(e.step))
            return e
        out = [conv(e) for e in idx_list]
    return used if get_count else tuple(out)


def _analyze(x):
    """(value, is_constant): the Python value of a constant scalar expression, else
    `x` itself (None stays None, a constant)."""
    if x is None:
        return None, True
    try:
        return int(get_scalar_constant_value(x)), True
    except NotScalarConstantError:
        return extract_constant(x), False


def get_canonical_form_slice(theslice, length):
    """``(slice(start, stop, step), reverse)`` with 0 <= start <= stop <= length and
    step > 0 such that ``x[theslice]`` is ``x[canonical][::reverse]`` for an axis of
    `length` (ints or symbolic scalars; the entries are then expressions).  An integer
    index gives ``(index made non-negative, 1)``."""
    if not isinstance(theslice, slice):
        value = extract_constant(theslice)
        return switch(lt(value, 0), value + length, value), 1
    start, start_c = _analyze(theslice.start)
    stop, stop_c = _analyze(theslice.stop)
    step, step_c = _analyze(theslice.step)
    length, length_c = _analyze(length)
    if step is None:
        step, step_c = 1, True

    def clamp_low(v):
        # v, or v + length when negative, kept within [0, length]
        shifted = v + length
        return switch(lt(v, 0), switch(lt(shifted, 0), 0, shifted),
                      switch(lt(v, length), v, length))

    if step_c and step == 1:
        starts_at_0 = start is None or (start_c and (start == 0 or (
            length_c and start < 0 and start + length <= 0)))
        ends_at_len = stop is None or (stop_c and stop == sys.maxsize) or (
            stop is length) or (stop_c and length_c and stop >= length)
        if starts_at_0 and ends_at_len:
            return slice(0, length, 1), 1
        if starts_at_0:
            if stop_c and stop >= 0:
                return slice(0, switch(lt(stop, length), stop, length), 1), 1
            return slice(0, clamp_low(stop), 1), 1
        if ends_at_len:
            if start_c and start >= 0:
                return slice(switch(lt(start, length), start, length), length, 1), 1
            return slice(clamp_low(start), length, 1), 1

    # The general case: a step of known or unknown sign.
    if step_c:
        if step == 0:
            raise ValueError("slice step cannot be zero")
        negative = step < 0

        def if_neg(a, b):
            return a if negative else b
        abs_step, sign = (-step, -1) if negative else (step, 1)
    else:
        is_neg = lt(step, 0)

        def if_neg(a, b):
            return switch(is_neg, a, b)
        abs_step, sign = abs(step), sgn(step)

    # First and one-past-last positions in the slice's own direction.
    if start is None:
        start = if_neg(length - 1, 0)
    else:
        start = switch(lt(start, 0), start + length, start)
        start = switch(lt(start, 0), if_neg(-1, 0), start)
        start = switch(ge(start, length), if_neg(length - 1, length), start)
    if stop is None or (stop_c and stop == sys.maxsize):
        stop = if_neg(-1, length)
    else:
        stop = switch(lt(stop, 0), stop + length, stop)
        stop = switch(lt(stop, 0), -1, stop)
        stop = switch(ge(stop, length), length, stop)
    # In increasing order: the forward slice ends at `stop`; the backward one covers
    # start, start - |step|, ... down to above `stop`: its last element is the start.
    new_stop = if_neg(start + 1, stop)
    count = (start - stop - 1) // abs_step + 1
    count = switch(lt(count, 0), 0, count)
    lowest = new_stop - (count - 1) * abs_step - 1
    lowest = switch(lt(lowest, 0), new_stop - 1, lowest)
    new_start = if_neg(lowest, start)
    new_start = switch(lt(new_start, 0), 0, new_start)
    new_stop = switch(lt(new_stop, 0), 0, new_stop)
    new_start = switch(lt(new_start, new_stop), new_start, new_stop)
    return slice(new_start, new_stop, abs_step), (sign if not (step_c and step == 1) else 1)


def as_index_variable(idx):
    """An index entry as a graph variable: None -> NoneConst, a slice -> a MakeSlice
    variable, anything else an integer or boolean tensor (TypeError otherwise)."""
    type_other = sys.modules["theano_compat.tensor.type_other"]
    if idx is None:
        return type_other.NoneConst.clone()
    if isinstance(idx, slice):
        return type_other.make_slice(idx)
    if isinstance(idx, Variable) and isinstance(idx.type, (type_other.SliceType,
                                                          type_other.NoneTypeT)):
        return idx
    idx = as_tensor_variable(idx)
    if idx.type.dtype not in D.discrete_dtypes:
        raise TypeError("index must be integers or a boolean mask")
    return idx


def adv_index_broadcastable_pattern(a, idx):
    """The broadcastable pattern of ``a[idx]`` for an advanced index `idx` (a tuple of
    index entries), by NumPy's rules (the indexed dimensions are replaced by the
    broadcast shape of the index arrays, in place or in front)."""
    spec, inputs = parse_index(as_tensor_variable(a), tuple(idx))
    return _output_broadcastable(as_tensor_variable(a), spec, inputs)


def check_advanced_indexing_dimensions(input, idx_list):  # noqa: A002 - Theano's name
    """Raise IndexError when a boolean mask of `idx_list` does not match the shape of
    the array `input` along the dimensions it indexes (checked on values)."""
    dim = 0
    for index in idx_list:
        if index is None:
            continue
        if isinstance(index, np.ndarray) and index.dtype == bool:
            for k, n in enumerate(index.shape):
                if n != input.shape[dim + k]:
                    raise IndexError(
                        f"boolean index did not match indexed array along dimension "
                        f"{dim + k}; dimension is {input.shape[dim + k]} but corresponding "
                        f"boolean dimension is {n}")
            dim += index.ndim
        else:
            dim += 1


def check_and_reject_bool(args_el):
    """Raise TypeError when the index entry `args_el` is a boolean mask (Theano's
    AdvancedSubtensor took integer arrays only)."""
    dtype = getattr(getattr(args_el, "type", args_el), "dtype", None)
    if dtype == "bool" or (isinstance(args_el, (bool, np.bool_))):
        raise TypeError("AdvancedSubtensor does not support boolean masks for indexing. "
                        "Use AdvancedBooleanSubtensor instead. ")


# ----------------------------------------------------------------------------- reading


class BaseSubtensor(Op):
    """x[index] for any index spec (subclasses only change the printed name).

    `idx_list` is the spec (see the top of this module); the constructor also takes
    Theano's form (slices of ints, None and scalar Types, a scalar Type for an integer
    input: ``Subtensor([slice(scal.int64, None)])``, ``Subtensor([])``)."""

    __props__ = ("idx_list",)
    view_map = {0: [0]}
    e_invalid = "The index list is longer (size %d) than the number of dimensions of the tensor(namely %d). You are asking for a dimension of the tensor that does not exist! You might need to use dimshuffle to add extra dimension to your tensor."  # noqa: E501 - Theano's message
    e_subslice = "nested slicing is not supported"
    e_indextype = "Invalid index type or slice for Subtensor"
    debug = 0
    check_input = False

    def __init__(self, idx_list):
        self.idx_list = None if idx_list is None else _spec_of(idx_list)
        self._adv = self.idx_list is None or any(e[0] == "adv" for e in self.idx_list)
        if self._adv:
            self.view_map = {}

    def make_node(self, x, *inputs):
        x = as_tensor_variable(x)
        if self.idx_list is None:
            # Theano's AdvancedSubtensor(): the index is given with the inputs.
            spec, inputs = parse_index(x, tuple(_index_entry(i) for i in inputs))
            return _new_op(type(self), BaseSubtensor, spec).make_node(x, *inputs)
        inputs = [i if _is_slice_variable(i) else as_tensor_variable(i) for i in inputs]
        n_real = sum(1 for e in self.idx_list if e[0] != "newaxis")
        if n_real > x.type.ndim and not self._adv:
            raise IndexError(self.e_invalid % (n_real, x.type.ndim))
        bcast = _output_broadcastable(x, self.idx_list, inputs)
        return Apply(self, [x] + inputs, [TensorType(x.type.dtype, bcast)()])

    def impl(self, xp, x, *values):
        out = x[build_index(self.idx_list, values)]
        # NumPy gives a scalar, not a 0-d array, for a full integer index.
        return xp.asarray(out) if isinstance(out, np.generic) else out

    def infer_shape(self, node, shapes):
        """The output's shape from the input's, without computing the subtensor: for a
        slice, the length of its canonical form (`get_canonical_form_slice`); an integer
        index drops the dimension, a new axis has length 1.  Advanced indexing: unknown
        (None)."""
        if self._adv:
            return [self._adv_shape(node, shapes)]
        xshp = list(shapes[0])
        out, dim = [], 0
        for entry in get_idx_list(node.inputs, self.idx_list):
            if entry is None:
                out.append(1)
                continue
            length = xshp[dim]
            dim += 1
            if _is_slice_variable(entry):
                out.append(None)  # its bounds are only known when it runs
                continue
            if not isinstance(entry, slice):
                continue
            out.append(self._slice_length(entry, length))
        return [tuple(out + xshp[dim:])]

    def _adv_shape(self, node, shapes):
        """The output shape of an advanced index from the shapes of x and of the index
        arrays (NumPy's rule: the broadcast shape of the arrays, in place of the indexed
        dimensions when they are adjacent, else in front); a boolean mask's count of
        true entries is unknown (None)."""
        unknown = tuple([None] * node.outputs[0].type.ndim)
        xshp = list(shapes[0])
        before, adv, after, arrays = [], [], [], []
        positions = []
        dim, k = 0, 1
        for pos, entry in enumerate(self.idx_list):
            kind = entry[0]
            if kind == "slice":
                fields = []
                for f in entry[1:]:
                    if f == "v":
                        fields.append(node.inputs[k])
                        k += 1
                    else:
                        fields.append(f)
                n = self._slice_length(slice(*fields), xshp[dim])
                (after if positions else before).append(n)
                dim += 1
            elif kind == "newaxis":
                (after if positions else before).append(1)
            elif kind == "slicevar":
                return unknown
            else:  # an integer or an index array: a broadcast operand
                if kind == "int" and entry[1] != "v":
                    var, shp = None, ()
                else:
                    var, shp = node.inputs[k], tuple(shapes[k])
                    k += 1
                if var is not None and var.type.dtype == "bool":
                    return unknown
                arrays.append((var, shp))
                positions.append(pos)
                dim += 1
        ndim = max(len(shp) for _, shp in arrays)
        for d in range(ndim):
            # The first array not broadcastable in that dimension gives its length,
            # preferring one that is a graph input (as Theano's special case).
            cands = [(v, shp[d - ndim + len(shp)]) for v, shp in arrays
                     if len(shp) - ndim + d >= 0
                     and not v.type.broadcastable[d - ndim + len(shp)]]
            if not cands:
                adv.append(1)
                continue
            roots = [c for c in cands if c[0].owner is None]
            adv.append((roots or cands)[0][1])
        adjacent = positions == list(range(positions[0], positions[-1] + 1))
        rest = xshp[dim:]
        if adjacent:
            return tuple(before + adv + after + rest)
        return tuple(adv + before + after + rest)

    @staticmethod
    def _slice_length(entry, length):
        if _full_slice(entry):
            return length
        canon = get_canonical_form_slice(entry, length)[0]
        if _is_one(canon.step):
            return _as_shape_entry(canon.stop - canon.start)
        return _as_shape_entry((canon.stop - canon.start - 1) // canon.step + 1)

    @staticmethod
    def collapse(idxs, cond):
        """The entries of `idxs` (slices flattened into their fields) for which `cond`
        is true, in order."""
        found = []

        def visit(entry):
            if cond(entry):
                found.append(entry)
            elif isinstance(entry, slice):
                visit(entry.start)
                visit(entry.stop)
                visit(entry.step)
        for idx in idxs:
            visit(idx)
        return found

    @staticmethod
    def convert(entry, slice_ok=True):
        """An index entry as Theano's idx_list holds it: an integer scalar variable or
        type becomes its scalar Type, a slice the slice of converted fields (None
        kept); a float scalar raises TypeError, a boolean mask
        AdvancedBooleanIndexingError, anything else (arrays, Python ints)
        AdvancedIndexingError / TypeError."""
        if (isinstance(entry, (np.ndarray, Variable)) and
                getattr(getattr(entry, "type", entry), "dtype", None) == "bool"):
            raise AdvancedBooleanIndexingError(Subtensor.e_indextype, entry)
        t = entry.type if isinstance(entry, Variable) else entry
        if isinstance(t, Type) and getattr(t, "ndim", 0) == 0 or (
                isinstance(t, TensorType) and all(t.broadcastable)):
            dtype = getattr(t, "dtype", None)
            if dtype in D.integer_dtypes and dtype not in D.uint_dtypes:
                return get_scalar_type(dtype)
            if dtype in D.continuous_dtypes:
                raise TypeError("Expected an integer")
        if slice_ok and isinstance(entry, slice):
            def conv(f, ignore_max=False):
                if f is None or (ignore_max and f == sys.maxsize):
                    return None
                return Subtensor.convert(f, False)
            return slice(conv(entry.start), conv(entry.stop, True), conv(entry.step))
        if isinstance(entry, (int, np.integer)):
            raise TypeError("Python scalar in idx_list.Please report this error to "
                            "theano-dev.")
        raise AdvancedIndexingError(Subtensor.e_indextype, entry)

    def get_constant_idx(self, inputs, allow_partial=False, only_process_constants=False,
                         elemwise=True):
        """The node's index (`get_idx_list`) with constant entries as Python ints;
        NotScalarConstantError for a symbolic one unless `allow_partial` (then it stays
        the variable)."""
        def value(v):
            if v is None or isinstance(v, int):
                return v
            try:
                return int(get_scalar_constant_value(
                    v, elemwise=elemwise, only_process_constants=only_process_constants))
            except NotScalarConstantError:
                if allow_partial:
                    return v
                raise

        def conv(e):
            if isinstance(e, slice):
                return slice(value(e.start), value(e.stop), value(e.step))
            return value(e)
        return [conv(e) for e in get_idx_list(inputs, self.idx_list)]

    @staticmethod
    def str_from_slice(entry):
        return ":".join("" if f is None else str(f)
                        for f in (entry.start, entry.stop, entry.step))

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

    __module__ = "theano.tensor.subtensor"  # Theano's path: reprs and pickles


class BaseAdvancedSubtensor(BaseSubtensor):
    """Indexing with integer or boolean arrays (Theano's base of AdvancedSubtensor and
    AdvancedBooleanSubtensor)."""


class AdvancedSubtensor1(BaseAdvancedSubtensor):
    """x[int_vector]: rows selected by an integer vector (``AdvancedSubtensor1()(x, i)``)."""

    __module__ = "theano.tensor.subtensor"  # Theano's path: reprs and pickles

    def __init__(self, sparse_grad=False):
        super().__init__(_ROWS)
        self.sparse_grad = sparse_grad

    def L_op(self, inputs, outputs, grads):
        if not getattr(self, "sparse_grad", False):  # instances made without __init__
            return super().L_op(inputs, outputs, grads)
        # Theano's sparse_grad: the gradient of x is a sparse matrix of the selected rows
        # (theano.sparse.construct_sparse_from_list), through a hook (sparse is above).
        x, ilist = inputs[0], inputs[1]
        if x.type.ndim != 2:
            raise TypeError("AdvancedSubtensor1: you can't take the sparse grad from a "
                            f"tensor with ndim != 2. ndim is {x.type.ndim}")
        return [hooks.construct_sparse_from_list(x, grads[0], ilist), disconnected_type()]

    def __str__(self):
        return "AdvancedSubtensor1"


class AdvancedSubtensor(BaseAdvancedSubtensor):
    """General NumPy advanced indexing (several arrays, boolean masks, mixed with slices):
    ``AdvancedSubtensor()(x, *index)``, the index entries being tensors, slices
    (``make_slice``) or NoneConst."""

    __module__ = "theano.tensor.subtensor"  # Theano's path: reprs and pickles

    def __init__(self, idx_list=None):
        super().__init__(idx_list)

    def __str__(self):
        return type(self).__name__


class AdvancedBooleanSubtensor(AdvancedSubtensor):
    """Indexing with a boolean mask (Theano's name; the same operation)."""

    __module__ = "theano.tensor.subtensor"  # Theano's path: reprs and pickles

    def rewrite_keys(self):
        return (AdvancedSubtensor, AdvancedBooleanSubtensor)


def _full_slice(entry):
    return (any(entry.start is v for v in (None, 0)) or _is_int(entry.start, 0)) and (
        entry.stop is None or _is_int(entry.stop, sys.maxsize)) and (
        entry.step is None or _is_int(entry.step, 1))


def _is_int(v, value):
    return isinstance(v, (int, np.integer)) and not isinstance(v, bool) and v == value


def _is_one(v):
    if _is_int(v, 1):
        return True
    try:
        return int(get_scalar_constant_value(v)) == 1
    except (NotScalarConstantError, TypeError):
        return False


def _as_shape_entry(n):
    """A computed length as a shape entry: a Python int, or an int64 scalar."""
    if isinstance(n, (int, np.integer)):
        return int(n)
    n = as_tensor_variable(n)
    return n if n.type.dtype == "int64" else cast(n, "int64")


def _has_bool_index(spec, inputs):
    it = iter(inputs)
    found = False
    for entry in spec:
        for f in entry[1:] if entry[0] in ("slice", "int") else ():
            if f == "v":
                next(it)
        if entry[0] == "slicevar":
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
    advanced = [k for k, e in enumerate(spec) if e[0] == "adv"]
    if not advanced and any(e[0] == "newaxis" for e in spec):
        # As Theano: None adds a broadcastable dimension through a DimShuffle, and the
        # rest of the index applies to that view (no Subtensor when it is all ':').
        pattern, rest, d = [], [], 0
        for e in spec:
            if e[0] == "newaxis":
                pattern.append("x")
                rest.append(_FULL)
            else:
                pattern.append(d)
                rest.append(e)
                d += 1
        view = DimShuffle(x.type.broadcastable, pattern + list(range(d, x.type.ndim)))(x)
        if all(e == _FULL for e in rest):
            return view
        # Theano's index on the view keeps its trailing ':' (printed x[i, :, :]).
        return reader_op(tuple(rest), inputs)(view, *inputs)
    if (len(advanced) == 1 and advanced[0] > 0 and inputs[0].type.dtype != "bool"
            and inputs[0].type.ndim == 1
            and all(e == _FULL for k, e in enumerate(spec) if k != advanced[0])):
        # As Theano (its ``take``): an integer vector on one axis, every other index ':',
        # moves that axis to the front, takes rows (AdvancedSubtensor1), moves it back.
        axis = advanced[0]
        order = list(range(x.type.ndim))
        order[0], order[axis] = axis, 0
        rows = reader_op(_ROWS, inputs)(DimShuffle(x.type.broadcastable, order)(x), *inputs)
        return DimShuffle(rows.type.broadcastable, order)(rows)
    # Drop trailing full slices: x[1, :] is x[1] (keeps graphs canonical and printing short).
    # Only full slices (x[:]) stay a Subtensor, as in Theano: set_subtensor(x[:], y) needs one.
    trimmed = spec
    while trimmed and trimmed[-1] == ("slice", None, None, None):
        trimmed = trimmed[:-1]
    spec = trimmed or spec
    if not spec:
        return x
    return reader_op(spec, inputs)(x, *inputs)


def reader_op(spec, inputs):
    """The indexing op reading `spec` (its class chosen by `_reader_class`)."""
    return _new_op(_reader_class(spec, inputs), BaseSubtensor, spec)


# ----------------------------------------------------------------------------- writing


class BaseIncSubtensor(Op):
    """A copy of x with x[index] set to (or incremented by) y."""

    __props__ = ("idx_list", "inplace", "set_instead_of_inc")

    def __init__(self, idx_list, inplace=False, set_instead_of_inc=False,
                 destroyhandler_tolerate_aliased=None):
        self.idx_list = None if idx_list is None else _spec_of(idx_list)
        # `inplace` is Theano's flag (printed, compared); the result is a new array
        # either way here.
        self.inplace = bool(inplace)
        self.set_instead_of_inc = bool(set_instead_of_inc)
        self.destroyhandler_tolerate_aliased = list(destroyhandler_tolerate_aliased or [])
        self._adv = self.idx_list is None or any(e[0] == "adv" for e in self.idx_list)

    def make_node(self, x, y, *inputs):
        x, y = as_tensor_variable(x), as_tensor_variable(y)
        if self.idx_list is None:
            # Theano's AdvancedIncSubtensor(): the index is given with the inputs.
            spec, inputs = parse_index(x, tuple(_index_entry(i) for i in inputs))
            op = _new_op(type(self), BaseIncSubtensor, spec, inplace=self.inplace,
                         set_instead_of_inc=self.set_instead_of_inc)
            return op.make_node(x, y, *inputs)
        inputs = [i if _is_slice_variable(i) else as_tensor_variable(i) for i in inputs]
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

    # The linker may give the node x's array to write the result into, when x is a new
    # array that nothing reads afterwards (link/storage.py: donation): a chain of
    # increments into zeros (the gradient of slices of one value) then copies nothing.
    writes_into_inputs = (0,)

    def runner(self, node, xp, donated=()):
        if 0 in donated and type(self).impl is BaseIncSubtensor.impl:
            return functools.partial(self._in_place, xp)
        return functools.partial(self.impl, xp)

    def impl(self, xp, x, y, *values):
        return self._into(xp, x.copy(), y, values)

    def _in_place(self, xp, x, y, *values):
        return self._into(xp, x, y, values)

    def _into(self, xp, out, y, values):
        """x incremented (or set) at the index, written into `out` (x's values)."""
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
        gy = reader_op(self.idx_list, rest)(g, *rest)
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
        mode = ("Inplace" if self.inplace else "") + ("Set" if self.set_instead_of_inc
                                                     else "Inc")
        return f"{type(self).__name__}{{{mode};{_spec_str(self.idx_list)}}}"


class IncSubtensor(BaseIncSubtensor):
    """set/inc on a basic index."""

    __module__ = "theano.tensor.subtensor"  # Theano's path: reprs and pickles


class BaseAdvancedIncSubtensor(BaseIncSubtensor):
    """set/inc through integer or boolean arrays (Theano's base of AdvancedIncSubtensor
    and AdvancedBooleanIncSubtensor)."""


class AdvancedIncSubtensor1(BaseAdvancedIncSubtensor):
    """set/inc on rows selected by an integer vector (repeated rows accumulate):
    ``AdvancedIncSubtensor1(inplace=False, set_instead_of_inc=False)(x, y, ilist)``."""

    __module__ = "theano.tensor.subtensor"  # Theano's path: reprs and pickles

    def __init__(self, inplace=False, set_instead_of_inc=False):
        super().__init__(_ROWS, inplace=inplace, set_instead_of_inc=set_instead_of_inc)

    def __str__(self):
        inplace = "inplace" if self.inplace else "no_inplace"
        return f"AdvancedIncSubtensor1{{{inplace},{'set' if self.set_instead_of_inc else 'inc'}}}"


class AdvancedIncSubtensor(BaseAdvancedIncSubtensor):
    """set/inc on a general advanced index (repeated entries accumulate for inc):
    ``AdvancedIncSubtensor(inplace=False, set_instead_of_inc=False)(x, y, *index)``."""

    __module__ = "theano.tensor.subtensor"  # Theano's path: reprs and pickles

    def __init__(self, inplace=False, set_instead_of_inc=False):
        super().__init__(None, inplace=inplace, set_instead_of_inc=set_instead_of_inc)

    def __str__(self):
        # Theano 1.0.5's text, two spaces included.
        return (f"{type(self).__name__}{{inplace={self.inplace},  "
                f"set_instead_of_inc={self.set_instead_of_inc}}}")


class AdvancedBooleanIncSubtensor(AdvancedIncSubtensor):
    """set/inc through a boolean mask (Theano's name; the same operation)."""

    __module__ = "theano.tensor.subtensor"  # Theano's path: reprs and pickles

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
            e == ("slice", None, None, None) for e in spec[1:]) and (
            not inputs or inputs[0].type.ndim == 1):
        # As AdvancedSubtensor1 (`_reader_class`): rows of one integer vector only; a
        # matrix of indices is Theano's AdvancedIncSubtensor.
        cls = AdvancedIncSubtensor1
    else:
        cls = AdvancedIncSubtensor
    return _new_op(cls, BaseIncSubtensor, spec, set_instead_of_inc=set_instead_of_inc)


def _new_op(cls, base, spec, **fields):
    """An op of class `cls` for the index `spec` (whatever the signature Theano gave
    `cls`'s constructor): `base`'s constructor run on a new instance."""
    op = object.__new__(cls)
    base.__init__(op, spec, **fields)
    return op


_ROWS = (("adv",),)
_FULL = ("slice", None, None, None)


def _index_entry(v):
    """An index input of Theano's AdvancedSubtensor()/AdvancedIncSubtensor() as a Python
    index entry: NoneConst -> None, a MakeSlice variable or slice constant -> a slice,
    a tensor or a slice input stays."""
    type_other = sys.modules["theano_compat.tensor.type_other"]
    if isinstance(v, slice) or v is None:
        return v
    if isinstance(v, Variable):
        if isinstance(v.type, type_other.NoneTypeT):
            return None
        if isinstance(v.type, type_other.SliceType):
            if isinstance(v, Constant):
                return v.data
            if v.owner is not None and len(v.owner.inputs) == 3:
                return slice(*(None if isinstance(f.type, type_other.NoneTypeT) else f
                               for f in v.owner.inputs))
    return v  # a tensor, or a slice given at run time


def _inc_or_set(x, y, set_instead_of_inc, name):
    x = as_tensor_variable(x)
    y = as_tensor_variable(y)
    owner = x.owner
    unwrapped = _through_new_axes(x)
    if unwrapped is not None:
        # x[None, a:b] is an index of a view with a new axis (getitem): write into the
        # tensor it was taken from, the new axis being part of the index.
        base, spec, idx_inputs = unwrapped
        return inc_op(spec, set_instead_of_inc, idx_inputs)(base, y, *idx_inputs)
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


def _new_axes_order(v):
    """The DimShuffle pattern of `v` when it only inserts new axes into its input (the
    view getitem builds for None entries), else None."""
    if v.owner is None or not isinstance(v.owner.op, DimShuffle) or v.owner.op.drop:
        return None
    order = v.owner.op.new_order
    kept = [o for o in order if o != "x"]
    return order if kept == list(range(len(kept))) and "x" in order else None


def _through_new_axes(x):
    """(tensor, index spec, index inputs) writing `x` where x is a new-axes view of a
    tensor, or a basic index of such a view (None entries becoming new axes); else None."""
    order = _new_axes_order(x)
    if order is not None:
        return x.owner.inputs[0], tuple(("newaxis",) if o == "x" else _FULL
                                        for o in order), []
    owner = x.owner
    if owner is None or type(owner.op) is not Subtensor:
        return None
    view = owner.inputs[0]
    order = _new_axes_order(view)
    if order is None:
        return None
    spec = owner.op.idx_list + (_FULL,) * (len(order) - len(owner.op.idx_list))
    out = []
    for o, e in zip(order, spec):
        if o == "x":
            if e != _FULL:
                return None  # an index into the new axis itself: not a view of x
            out.append(("newaxis",))
        else:
            out.append(e)
    return view.owner.inputs[0], tuple(out), list(owner.inputs[1:])


def set_subtensor(x, y, inplace=False, tolerate_inplace_aliasing=False):
    """A copy of the tensor x was taken from, with the part x selects replaced by y."""
    return _inc_or_set(x, y, True, "set_subtensor")


def inc_subtensor(x, y, inplace=False, set_instead_of_inc=False, tolerate_inplace_aliasing=False):
    """A copy of the tensor x was taken from, with y added to the part x selects."""
    return _inc_or_set(x, y, set_instead_of_inc, "inc_subtensor")


def take(a, indices, axis=None, mode="raise"):
    """NumPy's take: a[indices] along `axis` (flattened when axis is None).  `mode`:
    'raise' (an index out of range fails when run), 'wrap' (indices modulo the length) or
    'clip' (indices clipped into range), as Theano's."""
    a = as_tensor_variable(a)
    if mode not in ("raise", "wrap", "clip"):
        raise ValueError(f"take: mode must be 'raise', 'wrap' or 'clip', not {mode!r}")
    if axis is not None and axis < 0:
        axis += a.type.ndim
    source = flatten(a) if axis is None else a
    if mode != "raise":
        indices = as_tensor_variable(indices)
        n = source.shape[0 if axis is None else axis]
        indices = clip(indices, 0, n - 1) if mode == "clip" else indices % n
    if axis is None:
        return source[indices]
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


# ------------------------------------------------------------- the rest of Theano's module


class SubtensorPrinter:
    """The ``theano.pp`` form of a subtensor: ``x[1:3, i]``."""

    def process(self, r, pstate):
        if r.owner is None or not isinstance(r.owner.op, Subtensor):
            raise TypeError("Can only print Subtensor.")
        x, *rest = r.owner.inputs
        pprinter = pstate.pprinter

        def text(v):
            return "" if v is None else (str(v) if isinstance(v, int) else
                                         pprinter.process(v))
        parts = []
        for entry in get_idx_list(r.owner.inputs, r.owner.op.idx_list):
            if entry is None:
                parts.append("None")
            elif isinstance(entry, slice):
                fields = [text(entry.start), text(entry.stop)]
                if entry.step is not None:
                    fields.append(text(entry.step))
                parts.append(":".join(fields))
            else:
                parts.append(text(entry))
        return f"{pprinter.process(x)}[{', '.join(parts)}]"


# The classes this module added for Theano's API report Theano's module path (reprs and
# pickles name theano.tensor.subtensor, which the theano package maps to this module).
for _cls in (AdvancedIndexingError, AdvancedBooleanIndexingError, BaseAdvancedSubtensor,
             BaseAdvancedIncSubtensor, SubtensorPrinter):
    _cls.__module__ = "theano.tensor.subtensor"

# Names of Theano's module that live above this module (theano.gof, theano.printing,
# theano.tensor.type_other, the package, the C helper module inc_code): found where
# ``import theano`` put them, as this module may import none of them.
_HIGHER = {"gof": ("theano_compat.gof", None), "theano": ("theano_compat", None),
           "ParamsType": ("theano_compat.gof.params_type", "ParamsType"),
           "pprint": ("theano_compat.printing", "pprint"),
           "inc_code": ("theano_compat.tensor.inc_code", "inc_code"),
           "NoneConst": ("theano_compat.tensor.type_other", "NoneConst"),
           "NoneTypeT": ("theano_compat.tensor.type_other", "NoneTypeT"),
           "SliceType": ("theano_compat.tensor.type_other", "SliceType"),
           "make_slice": ("theano_compat.tensor.type_other", "make_slice")}


__getattr__, __dir__ = lazy_names(__name__, _HIGHER)
