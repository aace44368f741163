"""Random-variable Ops over numpy.random.RandomState, as Theano 1.0.5's raw_random did.

Each draw is an Apply of `RandomFunction` with inputs (rng, size, *distribution args)
and outputs (new rng, sample).  The rng lives in a shared variable whose
``default_update`` is the new rng, so every call of a function advances the stream;
inside scan the same pair threads through as an ordinary update.  NumPy's legacy
RandomState streams are frozen across NumPy versions, so delegating each draw to the
same RandomState method, with the same arguments and the same per-element loops as
Theano's helpers, reproduces Theano's numbers.
"""

from __future__ import annotations

import copy
import ctypes
import sys

import numpy as np
from numpy.random.bit_generator import ISeedSequence

from ...config import config
from ...graph.basic import Apply, Constant, Variable
from ...graph.null import grad_undefined
from ...graph.op import Op
from ...graph.shared import SharedVariable, shared_constructor
from ...graph.type import Type
from ...scalar import dtypes as D
from .. import basic as _basic
from ..basic import as_tensor_variable, cast, constant, get_vector_length
from ..permute import permute_row_elements
from ..type import TensorType


class RandomStateType(Type):
    """The type of a numpy.random.RandomState value."""

    __module__ = "theano.tensor.raw_random"  # Theano's path: reprs and pickles

    def filter(self, data, strict=False, allow_downcast=None):
        if isinstance(data, np.random.RandomState):
            return data
        raise TypeError(f"{data!r} is not a numpy.random.RandomState")

    def values_eq(self, a, b):
        sa, sb = a.get_state(), b.get_state()
        return all(np.all(x == y) for x, y in zip(sa, sb))

    def __eq__(self, other):
        return type(self) is type(other)

    def __hash__(self):
        return hash(type(self))

    def __str__(self):
        return "RandomStateType"

    __repr__ = __str__


random_state_type = RandomStateType()


class RandomStateSharedVariable(SharedVariable):
    """A shared RandomState (``rv.rng`` in Theano's RandomStreams)."""

    __module__ = "theano.tensor.shared_randomstreams"  # Theano's path: reprs and pickles


@shared_constructor
def randomstate_constructor(value, name=None, strict=False, allow_downcast=None, borrow=False):
    """theano.shared for RandomState objects."""
    if not isinstance(value, np.random.RandomState):
        raise TypeError("not a RandomState")
    if not borrow:
        value = copy.deepcopy(value)
    return RandomStateSharedVariable(type=random_state_type, value=value, name=name,
                                     strict=strict, allow_downcast=allow_downcast)


# ----------------------------------------------------------------------------- rng copies
# A draw works on a copy of its input RandomState (so the input stays intact).  Through
# NumPy's API a copy costs a new MT19937 (seeded from OS entropy, its 624 seed words
# copied one by one from an array) plus a get_state/set_state pair (two more loops over
# 624 NumPy scalars).  The fast copy below reads the Gaussian cache with one or two
# legacy standard_normal() calls (then rewound), builds the MT19937 from a list of zero
# seed words (legacy-seeded next, as RandomState(seed) is, which drops that seed
# sequence from its pickles), copies the 2500-byte MT19937 state struct in one memmove
# (its address is the first field of the bitgen_t in the bit generator's public
# ``capsule``), and sets the Gaussian cache through set_state only where the source
# holds one.  It is checked against NumPy's own state transfer the first time it is
# needed, and not used if that check fails.

_MT_STATE_BYTES = 624 * 4 + 4  # mt19937_state: uint32_t key[624]; int pos
_capsule_pointer = ctypes.pythonapi.PyCapsule_GetPointer
_capsule_pointer.restype = ctypes.c_void_p
_capsule_pointer.argtypes = [ctypes.py_object, ctypes.c_char_p]


class _ZeroSeed(ISeedSequence):
    """Seed words for an MT19937 whose state is overwritten at once (a list: MT19937
    reads its seed words one by one)."""

    _words = [0] * 624

    def generate_state(self, n_words, dtype=np.uint32):
        return self._words


_ZERO_SEED = _ZeroSeed()


def _mt_state_address(bit_generator):
    """Address of the mt19937_state struct of an MT19937 bit generator."""
    bitgen = _capsule_pointer(bit_generator.capsule, b"BitGenerator")
    return ctypes.c_void_p.from_address(bitgen).value


def _mt_snapshot(r):
    """The raw MT19937 state of RandomState `r` (bytes; not its Gaussian cache)."""
    return ctypes.string_at(_mt_state_address(r._bit_generator), _MT_STATE_BYTES)


def _mt_restore(r, snapshot):
    """Put back the raw MT19937 state `snapshot` of `_mt_snapshot` into `r`."""
    ctypes.memmove(_mt_state_address(r._bit_generator), snapshot, _MT_STATE_BYTES)


def _holds_a_gaussian(r):
    """Whether RandomState `r` holds a cached Gaussian (the has_gauss of its state),
    found without get_state (a loop over 624 NumPy scalars): a legacy standard_normal()
    returns a cached value without touching the MT19937 state, and otherwise draws a pair
    and caches the second value.  `r` is left exactly as it was."""
    snapshot = _mt_snapshot(r)
    g = r.standard_normal()
    if _mt_snapshot(r) == snapshot:  # it held g: put it back
        state = r.get_state()
        r.set_state(state[:3] + (1, g))
        return True
    r.standard_normal()  # takes the pair's cached second value: none cached again
    _mt_restore(r, snapshot)
    return False


def _fast_copy(r):
    """An independent copy of the plain MT19937 RandomState `r` (see above)."""
    held = _holds_a_gaussian(r)
    bit_generator = np.random.MT19937(_ZERO_SEED)
    bit_generator._legacy_seeding(0)  # drops the seed sequence (pickles as RandomState(0)'s)
    ctypes.memmove(_mt_state_address(bit_generator), _mt_state_address(r._bit_generator),
                   _MT_STATE_BYTES)
    new = np.random.RandomState(bit_generator)
    if held:
        new.set_state(r.get_state())
    return new


def _fast_copy_works():
    """Whether `_fast_copy` reproduces NumPy's state transfer on this NumPy build."""
    try:
        for gauss_draws in (0, 1):
            src = np.random.RandomState(20260)
            src.random_sample(7)
            src.standard_normal(gauss_draws)
            before = src.get_state()
            new = _fast_copy(src)
            for state in (src.get_state(), new.get_state()):
                if (state[0] != before[0] or not np.array_equal(state[1], before[1])
                        or state[2:] != before[2:]):
                    return False
            if not np.array_equal(src.standard_normal(3), new.standard_normal(3)):
                return False
            snap = _mt_snapshot(new)
            x = new.random_sample(5)
            _mt_restore(new, snap)
            if not np.array_equal(new.random_sample(5), x):
                return False
        return True
    except Exception:  # noqa: BLE001 - any failure means: use NumPy's own API
        return False


_FAST = {}  # "ok": whether the fast copy and MT snapshots work here (checked once)


def _plain_mt(r):
    """Whether `r` is a plain legacy RandomState over MT19937."""
    return type(r) is np.random.RandomState and type(r._bit_generator) is np.random.MT19937


def _fast_ok():
    """Whether the fast copy and the MT19937 snapshots work with this NumPy."""
    ok = _FAST.get("ok")
    if ok is None:
        ok = _FAST["ok"] = _fast_copy_works()
    return ok


def _copy_random_state(r):
    """An independent copy of the RandomState `r` (copy.copy would share its bit
    generator under NumPy 2): the fast copy above; where it does not apply, a
    legacy-seeded RandomState given `r`'s state (about half the cost of a deep copy,
    which rebuilds the bit generator from fresh entropy), else a deep copy."""
    if _plain_mt(r):
        if _fast_ok():
            return _fast_copy(r)
        new = np.random.RandomState(0)
        new.set_state(r.get_state())
        return new
    return copy.deepcopy(r)


# ----------------------------------------------------------------------------- binomial
# RandomState.binomial(1, p) draws element by element (NumPy's legacy inversion
# algorithm): with p' = min(p, 1 - p) (computed as 1.0 - p when p > 0.5), q = 1.0 - p'
# and qn = exp(log(q)), one uniform U = next_double() per element gives X = (U > qn),
# the result being X for p <= 0.5 and 1 - X otherwise.  Only where U - qn exceeds
# p' * qn / q (U within a few ulps of 1) does it draw again, and qn is q to within a few
# ulps (q is in [0.5, 1]).  So one random_sample over the whole output consumes the
# stream exactly as NumPy does and, comparing U with q, gives the same numbers, except
# where U lies within 1e-12 of q or of 1: there (never seen in practice) the MT19937
# state is rewound and NumPy's own binomial draws the whole output.

_BINOMIAL_TIE = 1e-12


def _binomial_one(rng, n, p, size, dtype="int64"):
    """RandomState.binomial(n, p, size) for n == 1 (all of it): the draws NumPy's
    binomial makes, in one vectorised pass (as `dtype`), or None where it does not apply
    (before any draw)."""
    n_arr = np.asarray(n)
    if n_arr.dtype.kind not in "iu" or n_arr.size != 1 or int(n_arr.reshape(-1)[0]) != 1:
        return None
    pd = np.asarray(p, dtype=np.float64)
    if pd.size and not (pd.min() >= 0.0 and pd.max() <= 1.0):  # NaN too: NumPy raises
        return None
    try:
        shape = np.broadcast_shapes(n_arr.shape, pd.shape) if size is None else tuple(size)
        pb = np.broadcast_to(pd, shape)
        np.broadcast_to(n_arr, shape)
    except ValueError:  # NumPy raises its own error
        return None
    snapshot = _mt_snapshot(rng)
    u = rng.random_sample(shape)
    if pd.ndim == 0:
        p0 = float(pd)
        q, high = max(p0, 1.0 - p0), p0 > 0.5
    else:  # q to within an ulp: 1.0 - p for p <= 0.5, p (for 1.0 - (1.0 - p)) above
        q, high = np.maximum(pb, 1.0 - pb), pb > 0.5
    d = np.subtract(u, q)
    x = d > 0.0
    np.abs(d, out=d)
    if d.size and (d.min() < _BINOMIAL_TIE or u.max() > 1.0 - _BINOMIAL_TIE):
        _mt_restore(rng, snapshot)
        return rng.binomial(n, p, size)
    return np.not_equal(x, high, out=np.empty(shape, dtype))


class RandomFunction(Op):
    """Draw from a ``numpy.random.RandomState`` method (or helper) on a copy of the rng.

    Inputs ``(rng, size, *args)``, outputs ``(new rng, sample)``.  `fn` names a
    RandomState method or is a helper ``fn(rng, *args, size)``; ``size`` reaches it as a
    tuple, or None when the size vector is empty (the arguments' own shape).
    `ndim_added` counts output dimensions beyond ``size`` (permutation, multinomial).
    The rng is a host object, so this Op is NumPy-only (``perform``).
    """

    __module__ = "theano.tensor.raw_random"  # Theano's path: reprs and pickles

    __props__ = ("fn", "outtype", "inplace", "ndim_added")

    def __init__(self, fn, outtype, inplace=False, ndim_added=0):
        self.fn = fn
        self.exec_fn = getattr(np.random.RandomState, fn) if isinstance(fn, str) else fn
        self.outtype = outtype
        # `inplace` (only when a user asks for it: this project's rewrites never do):
        # the draw advances the RandomState it is given, which is then the new state,
        # as Theano's; the graph declares it (destroy_map) and compile/ checks it.
        # Otherwise each call works on a copy (the sequence is the same).
        self.inplace = bool(inplace)
        if self.inplace:
            self.destroy_map = {0: [0]}
        self.ndim_added = ndim_added

    def make_node(self, r, shape, *args):
        shape = as_tensor_variable(shape, ndim=1)
        if shape.type.dtype not in ("int64", "int32"):
            shape = cast(shape, "int64")
        args = [as_tensor_variable(a) for a in args]
        return Apply(self, [r, shape] + args, [r.type(), self.outtype()])

    def perform(self, node, inputs, output_storage, params=None):
        r, shape, args = inputs[0], inputs[1], list(inputs[2:])
        size = None if len(shape) == 0 else tuple(int(s) for s in shape)
        if size is not None and self.outtype.ndim != len(size) + self.ndim_added:
            raise ValueError(
                f"Shape mismatch: self.outtype.ndim ({self.outtype.ndim}) != len(shape) "
                f"({len(size)}) + self.ndim_added ({self.ndim_added})"
            )
        if not self.inplace:
            r = _copy_random_state(r)
        dtype = node.outputs[1].type.dtype
        rval = None
        if self.fn == "binomial" and _plain_mt(r) and _fast_ok():
            rval = _binomial_one(r, args[0], args[1], size, dtype)
        if rval is None:
            rval = self.exec_fn(r, *(args + [size]))
        if not isinstance(rval, np.ndarray) or str(rval.dtype) != dtype:
            rval = np.asarray(rval, dtype=dtype)
        if size is None and rval.ndim == 0 and self.outtype.ndim > 0:
            rval = rval.reshape([1] * self.outtype.ndim)
        if rval.ndim != self.outtype.ndim:
            raise ValueError(
                f'Shape mismatch: "out" should have dimension {self.outtype.ndim}, but the '
                f'value produced by "perform" has dimension {rval.ndim}'
            )
        if size is not None:
            lead = rval.shape[: rval.ndim - self.ndim_added]
            if lead != size:
                raise ValueError(
                    f'Shape mismatch: "out" should have shape {size} (plus '
                    f'{self.ndim_added} extra dimensions), but the value produced by '
                    f'"perform" has shape {rval.shape}'
                )
        output_storage[0][0] = r
        output_storage[1][0] = rval

    def infer_shape(self, node, shapes):
        shp = node.inputs[1]
        known = not (isinstance(shp, Constant) and np.asarray(shp.data).size == 0)
        if self.ndim_added or not known:
            return [None, [None] * node.outputs[1].type.ndim]
        return [None, [shp[i] for i in range(node.outputs[1].type.ndim)]]

    def L_op(self, inputs, outputs, grads):
        return [grad_undefined(self, k, inp, "No gradient defined through raw random numbers op")
                for k, inp in enumerate(inputs)]

    def R_op(self, inputs, eval_points):
        return [None for _ in eval_points]

    def do_constant_folding(self, node):
        return False

    def __str__(self):
        return f"RandomFunction{{{self.exec_fn.__name__}}}"


# ----------------------------------------------------------------------------- shapes


def _infer_ndim_bcast(ndim, shape, *args):
    """(ndim, int64 size vector, broadcastable) of a draw, as Theano inferred them.

    `shape` may be a tuple/list (ints, scalar variables, or -1 to borrow that dimension
    from a non-broadcastable argument), None (the broadcast shape of `args`), or an
    integer vector (then its length must be known or `ndim` given).
    """
    args_ndim = max((a.type.ndim for a in args), default=0)
    if isinstance(shape, (tuple, list)):
        if ndim is None:
            ndim = len(shape)
        elif len(shape) != ndim:
            raise ValueError(
                "ndim should be equal to len(shape), but\n",
                f"ndim = {ndim}, len(shape) = {len(shape)}, shape = {shape}",
            )
        bcast, entries = [], []
        for i, s in enumerate(shape):
            if isinstance(s, Variable):
                bcast.append(False)
                entries.append(s)
            elif s >= 0:
                entries.append(as_tensor_variable(s))
                bcast.append(s == 1)
            elif s == -1:
                entry, b = _borrowed_dim(i, ndim, args)
                entries.append(entry)
                bcast.append(b)
            else:
                raise ValueError("negative shape", s)
        if entries:
            v_shape = _basic.stack([cast(e, "int64") for e in entries])
        else:
            v_shape = constant(np.zeros(0, dtype="int64"))
    elif shape is None:
        if not args:
            raise TypeError("_infer_ndim_bcast cannot infer shape without either shape or args")
        template = args[0]
        for a in args[1:]:
            template = template + a
        v_shape = template.shape
        bcast = template.type.broadcastable
        ndim = template.type.ndim
    else:
        v_shape = as_tensor_variable(shape)
        if v_shape.type.ndim != 1:
            raise TypeError(f"shape must be a vector or list of scalar, got '{v_shape}'")
        if ndim is None:
            ndim = get_vector_length(v_shape)
        bcast = [False] * ndim
    if v_shape.type.dtype not in D.integer_dtypes:
        raise TypeError("shape must be an integer vector or list", v_shape.type.dtype)
    if args_ndim > ndim:
        raise ValueError("ndim should be at least as big as required by args value",
                         (ndim, args_ndim), args)
    return ndim, cast(v_shape, "int64"), tuple(bool(b) for b in bcast)


def _borrowed_dim(i, ndim, args):
    """(length, broadcastable) of output dimension i given as -1 in a size tuple."""
    overlapping = 0
    for a in args:
        if i >= ndim - a.type.ndim:
            overlapping += 1
            a_i = i + a.type.ndim - ndim
            if not a.type.broadcastable[a_i]:
                return a.shape[a_i], False
    if overlapping == 0:
        raise ValueError("Auto-shape of -1 must overlap with the shape of one of the "
                         "broadcastable inputs")
    return as_tensor_variable(1), True


def _generate_broadcasting_indices(out_shape, *shapes):
    """Index lists [out, *inputs] walking `out_shape` in C order, inputs broadcast.

    Dimensions of length 1 in an input shape map every output index to 0; shapes
    longer than `out_shape` have their right-most extra dimensions ignored.
    """
    grids = np.indices(out_shape).reshape(len(out_shape), -1).T if out_shape else \
        np.zeros((1, 0), dtype=int)
    result = [[tuple(int(v) for v in row) for row in grids]]
    for shape in shapes:
        cols = []
        for dim, n in enumerate(out_shape):
            if shape[dim] == n:
                cols.append(grids[:, dim])
            elif shape[dim] == 1:
                cols.append(np.zeros(len(grids), dtype=int))
            else:
                raise ValueError(
                    f"shape[{dim}] ({shape[dim]}) should be equal to out_shape[{dim}] ({n}) "
                    "or to 1", shape, out_shape, shapes)
        stacked = np.stack(cols, axis=1) if cols else np.zeros((len(grids), 0), dtype=int)
        result.append([tuple(int(v) for v in row) for row in stacked])
    return result


def _broadcast_args(size, *arrays, extra_dims=(0,)):
    """Left-pad each array to the output ndim; the output size (given or broadcast)."""
    ndim = len(size) if size is not None else max(
        a.ndim - e for a, e in zip(arrays, extra_dims * len(arrays)))
    padded = []
    for a, e in zip(arrays, extra_dims * len(arrays)):
        if a.ndim - e > ndim:
            raise ValueError(f"argument ndim ({a.ndim - e}) should not be larger than "
                             f"len(size) ({ndim})", a, size)
        padded.append(a.reshape((1,) * (ndim + e - a.ndim) + a.shape))
    if size is None:
        size = tuple(max(p.shape[d] for p in padded) for d in range(ndim))
    return tuple(size), padded


# ----------------------------------------------------------------------------- helpers
# Functions ``fn(rng, *args, size)`` for RandomFunction: the per-element loops of
# Theano 1.0.5's helpers, so each element consumes the stream exactly as there.


def random_integers_helper(random_state, low, high, size):
    """Integers in [low, high] (inclusive), drawn element by element in C order.

    Theano called ``randint(low[i], high[i] + 1)`` once per element; NumPy's
    broadcasting ``randint`` draws its elements in the same order from the same bounded
    generator, so one call over the broadcast bounds gives the same numbers.
    """
    size, (low, high) = _broadcast_args(size, low, high)
    for shape in (low.shape, high.shape):
        if any(s not in (1, n) for s, n in zip(shape, size)):
            raise ValueError(f"shape {shape} cannot broadcast to {size}")
    low = np.broadcast_to(low.astype(np.int64), size)
    high = np.broadcast_to(high.astype(np.int64), size)
    if not size:
        return np.asarray(float(random_state.randint(low=low[()], high=high[()] + 1)))
    return random_state.randint(low=low, high=high + 1, size=size).astype(np.float64)


def choice_helper(random_state, a, replace, p, size):
    """``RandomState.choice(a, size, replace, p)``; an empty p means uniform."""
    if a.ndim > 1:
        raise ValueError(f"a.ndim ({a.ndim}) must be 0 or 1")
    if p.ndim != 1:
        raise ValueError(f"p.ndim ({p.ndim}) must be 1")
    return random_state.choice(a, size, bool(replace), None if p.size == 0 else p)


def permutation_helper(random_state, n, shape):
    """``permutation(n)`` for every index of `shape`: output shape ``shape + (n,)``."""
    n = int(np.asarray(n).item())
    shape = () if shape is None else tuple(shape)
    out = np.empty(shape + (n,), dtype=int)
    for i in np.ndindex(*shape):
        out[i] = random_state.permutation(n)
    return out


def multinomial_helper(random_state, n, pvals, size):
    """One ``multinomial(n, pvals)`` per output row, n and pvals broadcast.

    As Theano: a row summing to just over 1 (by < 1e-5), or whose last probability is
    below 5e-5, is first scaled by (1 - 5e-5) so NumPy accepts it.
    """
    size, (n, pvals) = _broadcast_args(size, n, pvals, extra_dims=(0, 1))
    out = np.ndarray(size + (pvals.shape[-1],))
    for mi, ni, pi in zip(*_generate_broadcasting_indices(size, n.shape, pvals.shape[:-1])):
        pvi = pvals[pi]
        total = np.sum(pvi)
        if 1.0 < total < 1.0 + 1e-5 or pvi[-1] < 5e-5:
            pvi = pvi * (1.0 - 5e-5)
        out[mi] = random_state.multinomial(n=n[ni], pvals=pvi.astype("float64"))
    return out


# ----------------------------------------------------------------------------- draws


def uniform(random_state, size=None, low=0.0, high=1.0, ndim=None, dtype=None):
    """Uniform draws in [low, high); dtype defaults to upcast(floatX, low, high)."""
    low, high = as_tensor_variable(low), as_tensor_variable(high)
    if dtype is None:
        dtype = D.upcast(config.floatX, low.type.dtype, high.type.dtype)
    ndim, size, bcast = _infer_ndim_bcast(ndim, size, low, high)
    return RandomFunction("uniform", TensorType(dtype, bcast))(random_state, size, low, high)


def normal(random_state, size=None, avg=0.0, std=1.0, ndim=None, dtype=None):
    """Normal draws (NumPy's legacy polar method); dtype as for uniform."""
    avg, std = as_tensor_variable(avg), as_tensor_variable(std)
    if dtype is None:
        dtype = D.upcast(config.floatX, avg.type.dtype, std.type.dtype)
    ndim, size, bcast = _infer_ndim_bcast(ndim, size, avg, std)
    return RandomFunction("normal", TensorType(dtype, bcast))(random_state, size, avg, std)


def binomial(random_state, size=None, n=1, p=0.5, ndim=None, dtype="int64", prob=None):
    """Number of successes of n trials with probability p (`prob` is a deprecated name)."""
    if prob is not None:
        p = prob
        print("DEPRECATION WARNING: the parameter prob to the binomal fct have been renamed to "
              "p to have the same name as np.", file=sys.stderr)
    n, p = as_tensor_variable(n), as_tensor_variable(p)
    # Theano never marked a binomial draw broadcastable, even for a size of 1.
    ndim, size, _bcast = _infer_ndim_bcast(ndim, size, n, p)
    return RandomFunction("binomial", TensorType(dtype, (False,) * ndim))(
        random_state, size, n, p)


def random_integers(random_state, size=None, low=0, high=1, ndim=None, dtype="int64"):
    """Integers in [low, high], both inclusive."""
    low, high = as_tensor_variable(low), as_tensor_variable(high)
    ndim, size, bcast = _infer_ndim_bcast(ndim, size, low, high)
    return RandomFunction(random_integers_helper, TensorType(dtype, bcast))(
        random_state, size, low, high)


def _no_p(p):
    """Theano 1.0.5 took any false `p` (None, 0, [], an array holding one zero) as "no p":
    uniform draws.  A symbolic p is always a p."""
    if p is None:
        return True
    if isinstance(p, Variable):
        return False
    if isinstance(p, np.ndarray):
        return p.size == 0 or (p.size == 1 and not p.item())
    try:
        return not p
    except ValueError:  # a sequence of arrays: a p
        return False


def choice(random_state, size=None, a=2, replace=True, p=None, ndim=None, dtype="int64"):
    """Values of `a` (a vector, or range(a) for a scalar), with or without replacement."""
    a = as_tensor_variable(a)
    if isinstance(replace, bool):
        replace = constant(np.asarray(replace, dtype="int8"))
    else:
        replace = as_tensor_variable(replace)
    if _no_p(p):
        p = constant(np.zeros(0, dtype=config.floatX))
    p = as_tensor_variable(p)
    ndim, size, bcast = _infer_ndim_bcast(ndim, size)
    return RandomFunction(choice_helper, TensorType(dtype, bcast))(
        random_state, size, a, replace, p)


def poisson(random_state, size=None, lam=1.0, ndim=None, dtype="int64"):
    """Poisson counts with expectation `lam`."""
    lam = as_tensor_variable(lam)
    ndim, size, bcast = _infer_ndim_bcast(ndim, size)
    return RandomFunction("poisson", TensorType(dtype, bcast))(random_state, size, lam)


def permutation(random_state, size=None, n=1, ndim=None, dtype="int64"):
    """Permutations of range(n), one per index of `size`: shape ``size + (n,)``."""
    if size is None or size == ():
        if not (ndim is None or ndim == 1):
            raise TypeError(
                "You asked for just one permutation but asked for more then 1 dimensions.")
        ndim, size, bcast = 1, (), ()
        size = constant(np.zeros(0, dtype="int64"))
    else:
        ndim, size, bcast = _infer_ndim_bcast(ndim, size)
    return RandomFunction(permutation_helper, TensorType(dtype, bcast + (False,)),
                          ndim_added=1)(random_state, size, n)


def multinomial(random_state, size=None, n=1, pvals=(0.5, 0.5), ndim=None, dtype="int64"):
    """Counts of n draws from each distribution in the last axis of `pvals`.

    The output has shape ``size + (K,)``; size None means pvals' leading shape.
    """
    n = as_tensor_variable(n)
    pvals = as_tensor_variable(list(pvals) if isinstance(pvals, tuple) else pvals)
    first = pvals.T[0].T
    ndim, size, bcast = _infer_ndim_bcast(ndim, size, n, first)
    bcast = bcast + (pvals.type.broadcastable[-1],)
    return RandomFunction(multinomial_helper, TensorType(dtype, bcast), ndim_added=1)(
        random_state, size, n, pvals)


# ----------------------------------------------------------------------------- streams


class RandomStreamsBase:
    """The distribution methods of RandomStreams; subclasses provide ``gen(op, ...)``."""

    __module__ = "theano.tensor.raw_random"  # Theano's path: reprs and pickles

    def binomial(self, size=None, n=1, p=0.5, ndim=None, dtype="int64", prob=None):
        """Number of successes of n trials with success probability p."""
        if prob is not None:
            p = prob
            print("DEPRECATION WARNING: the parameter prob to the binomal fct have been "
                  "renamed to p to have the same name as numpy.", file=sys.stderr)
        return self.gen(binomial, size, n, p, ndim=ndim, dtype=dtype)

    def uniform(self, size=None, low=0.0, high=1.0, ndim=None, dtype=None):
        """Uniform draws in [low, high)."""
        return self.gen(uniform, size, low, high, ndim=ndim, dtype=dtype)

    def normal(self, size=None, avg=0.0, std=1.0, ndim=None, dtype=None):
        """Normal draws with mean avg and standard deviation std."""
        return self.gen(normal, size, avg, std, ndim=ndim, dtype=dtype)

    def random_integers(self, size=None, low=0, high=1, ndim=None, dtype="int64"):
        """Integers between low and high, both inclusive."""
        return self.gen(random_integers, size, low, high, ndim=ndim, dtype=dtype)

    def choice(self, size=None, a=2, replace=True, p=None, ndim=None, dtype="int64"):
        """Values of `a` (or of range(a)), with or without replacement, weights p."""
        return self.gen(choice, size, a, replace, p, ndim=ndim, dtype=dtype)

    def poisson(self, size=None, lam=None, ndim=None, dtype="int64"):
        """Poisson counts with expectation lam."""
        return self.gen(poisson, size, lam, ndim=ndim, dtype=dtype)

    def permutation(self, size=None, n=1, ndim=None, dtype="int64"):
        """Permutations of range(n), as many as `size` asks: shape ``size + (n,)``."""
        return self.gen(permutation, size, n, ndim=ndim, dtype=dtype)

    def multinomial(self, size=None, n=1, pvals=(0.5, 0.5), ndim=None, dtype="int64"):
        """Counts of n draws from the distributions in the last axis of pvals."""
        return self.gen(multinomial, size, n, pvals, ndim=ndim, dtype=dtype)

    def shuffle_row_elements(self, input):
        """`input` with the elements of every row (last axis) shuffled.

        The permutation used is the ``.permutation`` attribute of the result.
        """
        perm = self.permutation(size=input.shape[:-1], n=input.shape[-1],
                                ndim=input.ndim - 1)
        shuffled = permute_row_elements(input, perm)
        shuffled.permutation = perm
        return shuffled

