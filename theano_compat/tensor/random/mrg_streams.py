"""MRG_RandomStreams (theano.sandbox.rng_mrg), bit-exact with Theano 1.0.5 (spec/MRG.md).

The generator is MRG31k3p (L'Ecuyer and Touzin).  Each sampling call allocates a block
of substreams 2**72 draws apart, starting at the instance's current ``rstate``, then
moves ``rstate`` 2**134 draws on; the block lives in a shared int32 matrix whose
``default_update`` is the advanced state, so every call of a compiled function draws
new numbers.  The arithmetic is in `mrg31k3p`, the Ops in `mrg_ops` (this package);
this module builds the graphs as Theano did, so the same seed and the same sequence of
calls give the same numbers.  Floats are rounded as Theano's compiled C code rounded
them: float32 draws in float32 arithmetic, the C library's log/cos/sin (logf/cosf/sinf
for float32) in normal(), and one fused multiply-add for the scale and shift
(`glibc_math`).  Its Theano path, theano.sandbox.rng_mrg, is a facade over this module.
"""

from __future__ import annotations

import numbers
import warnings

import numpy as np

from ...config import config
from ..gradient_ops import undefined_grad
from ...graph.basic import Variable
from ...graph.shared import shared
from ...scalar import dtypes as D
from .. import basic as tb
from .. import math as tm
from . import mrg31k3p as gen
from ..extra_ops import nonzero
from .mrg_ops import (  # noqa: F401 - names of theano.sandbox.rng_mrg
    BoxMuller,
    ChoiceFromUniform,
    DotModulo,
    MRGUniform,
    MultinomialFromUniform,
    fused_multiply_add,
)

# -- legacy module-level names (Theano's tests and some user code import them) -----------

M1 = np.asarray(np.int32(gen.M1))
M2 = np.asarray(np.int32(gen.M2))
MASK12 = np.int32(511)
MASK13 = np.int32(16777215)
MASK2 = np.int32(65535)
MULT2 = np.int32(21069)
NORM = gen.NORM64
A1p72 = np.asarray(gen.A1P72, dtype="int64")
A2p72 = np.asarray(gen.A2P72, dtype="int64")
A1p134 = np.asarray(gen.A1P134, dtype="int64")
A2p134 = np.asarray(gen.A2P134, dtype="int64")

mrg_uniform = MRGUniform
mrg_uniform_base = MRGUniform

# Streams when the size is not a tuple of Python ints (Theano: 60 multiprocessors * 256).
DEFAULT_N_STREAMS = 60 * 256


def matVecModM(A, s, m):  # noqa: N802, N803 - Theano's names
    """(A @ s) mod m as int32 (A an int64 3x3 array)."""
    return np.int32(gen.mat_vec_mod(np, A, s, int(m)))


def multMatVect(v, A, m1, B, m2):  # noqa: N802, N803
    """The 6-state v with its first half multiplied by A mod m1, its second by B mod m2."""
    v = np.asarray(v)
    return np.concatenate([matVecModM(A, v[:3], m1), matVecModM(B, v[3:], m2)])


multMatVect.dot_modulo = None  # Theano cached a compiled function here; nothing to cache


def ff_2p72(rstate):
    """`rstate` advanced 2**72 draws (the next substream)."""
    return gen.skip_2p72(rstate)


def ff_2p134(rstate):
    """`rstate` advanced 2**134 draws (the next stream)."""
    return gen.skip_2p134(rstate)


def mrg_next_value(rstate, new_rstate, NORM, mask, offset):  # noqa: N803
    """One draw of one stream (Theano's scalar reference): writes the new state in place
    into `new_rstate` and returns the float sample (``((k & mask) + offset) * NORM``)."""
    state = np.asarray(rstate, dtype=np.int64)
    k, moved = gen.step(np, *[state[c : c + 1] for c in range(6)])
    new_rstate[...] = np.concatenate(moved).astype(np.int32)
    # Theano's NumPy 1 promoted int32 * float32 scalars to float64: so do we.
    return float((int(k[0]) & mask) + offset) * float(NORM)


def guess_n_streams(size, warn=False):
    """How many streams a draw of `size` gets when ``nstreams`` is not given.

    A tuple or list of Python ints: the element count, divided by 6 (integer division)
    when above 6, capped at 15360.  Anything else (symbolic entries, NumPy integers, a
    shape vector) gets 15360, as in Theano.
    """
    if isinstance(size, (tuple, list)) and all(isinstance(i, int) for i in size):
        r = 1
        for s in size:
            r *= s
        if r > 6:
            r = r // 6
        return min(r, DEFAULT_N_STREAMS)
    if warn:
        warnings.warn(
            f"MRG_RandomStreams Can't determine #streams from size ({size}), guessing 60*256",
            stacklevel=3,
        )
    return DEFAULT_N_STREAMS


def _check_size(size):
    """A size argument (int, tuple or list of ints/scalars, or a vector) as an int vector."""
    if isinstance(size, Variable):
        if size.ndim == 1:
            return size
        if size.ndim == 0:
            return tb.stack([size])
        raise ValueError("Theano variable must have 1 dimension to be a valid size.", size)
    if isinstance(size, (numbers.Integral, np.integer)) and not isinstance(size, bool):
        return tb.constant([size], ndim=1)
    if not isinstance(size, (tuple, list)):
        raise ValueError("Size must be a int, tuple, list or Theano variable.", size)
    if len(size) == 0:  # one 0-d draw (as_tensor_variable(()) would be a float64 vector)
        return tb.constant(np.zeros(0, dtype="int64"))
    for i in size:
        if isinstance(i, Variable):
            if i.ndim != 0:
                raise ValueError("Non-scalar Theano variable in size", size, i)
        elif isinstance(i, (numbers.Integral, np.integer)):
            if i <= 0:
                raise ValueError("Non-positive dimensions not allowed in size.", size, i)
        else:
            raise ValueError(
                "Only Theano variables and integers are allowed in a size-tuple.", size, i
            )
    return tb.as_tensor_variable(tuple(size), ndim=1)


def _as_int(value):
    """A Python int for an int or a constant scalar variable, else None."""
    if isinstance(value, Variable):
        try:
            return int(tb.get_scalar_constant_value(value))
        except tb.NotScalarConstantError:
            return None
    return value


class MRG_RandomStreams:  # noqa: N801 - Theano's name
    """Symbolic random streams over MRG31k3p (Theano's ``MRG_RandomStreams``).

    Parameters
    ----------
    seed : int or sequence of 6 ints
        An int 0 < seed < M2 is replicated six times.  Six ints: the first three
        below M1 and not all 0, the last three below M2 and not all 0.
    use_cuda : ignored
        Accepted for Theano 0.x code; the device follows ``config.device``.
    """

    __module__ = "theano.sandbox.rng_mrg"  # Theano's path: reprs and pickles

    def __init__(self, seed=12345, use_cuda=None):
        # (shared state, its update, size, nstreams) per sampling call, in call order.
        self.state_updates = []
        self.default_instance_seed = seed
        self.set_rstate(seed)

    def updates(self):
        """The (state, new state, size, nstreams) tuples of every draw so far."""
        return list(self.state_updates)

    def set_rstate(self, seed):
        """Reset ``rstate`` (the start of the next stream) from a seed."""
        if isinstance(seed, (numbers.Integral, np.integer)) and not isinstance(seed, bool):
            if seed == 0:
                raise ValueError("seed should not be 0", seed)
            if seed >= gen.M2:
                raise ValueError(f"seed should be less than {gen.M2}", seed)
            if seed < 0:
                raise ValueError("seed should be positive", seed)
            self.rstate = np.asarray([seed] * 6, dtype="int32")
            return
        try:
            n = len(seed)
        except TypeError:
            raise TypeError("seed should be 1 integer or 6 integers") from None
        if n != 6:
            raise TypeError("seed should be 1 integer or 6 integers")
        if seed[0] == 0 and seed[1] == 0 and seed[2] == 0:
            raise ValueError("The first 3 values of seed should not be all 0", seed)
        if seed[3] == 0 and seed[4] == 0 and seed[5] == 0:
            raise ValueError("The last 3 values of seed should not be all 0", seed)
        if any(s >= gen.M1 for s in seed[:3]):
            raise ValueError(f"The first 3 values of seed should be less than {gen.M1}", seed)
        if any(s >= gen.M2 for s in seed[3:]):
            raise ValueError(f"The last 3 values of seed should be less than {gen.M2}", seed)
        self.rstate = np.asarray(seed, dtype="int32")

    def seed(self, seed=None):
        """Re-seed: reset ``rstate`` and give every existing draw a fresh block of streams.

        The blocks are allocated in creation order, as at construction, so re-seeding
        with the original seed reproduces the original sequence.
        """
        if seed is None:
            seed = self.default_instance_seed
        self.set_rstate(seed)
        for old_r, new_r, size, nstreams in self.state_updates:
            if nstreams is None:
                nstreams = self.n_streams(size)
            rstates = self.get_substream_rstates(nstreams, new_r.owner.outputs[1].dtype)
            old_r.set_value(rstates, borrow=True)

    def inc_rstate(self):
        """Move ``rstate`` 2**134 draws on, to the start of the next stream."""
        self.rstate = gen.skip_2p134(self.rstate)

    def get_substream_rstates(self, n_streams, dtype, inc_rstate=True):
        """An (n_streams, 6) int32 matrix of states 2**72 draws apart, from ``rstate``."""
        if not isinstance(dtype, str):
            raise TypeError(f"dtype must be a string, got {dtype!r}")
        n_streams = int(n_streams)
        if not 0 < n_streams < 2**72:
            raise ValueError(f"n_streams must be in [1, 2**72), got {n_streams}")
        rval = gen.substream_states(self.rstate, n_streams)
        if inc_rstate:
            self.inc_rstate()
        return rval

    def n_streams(self, size):
        return guess_n_streams(size)

    def pretty_return(self, node_rstate, new_rstate, sample, size, nstreams):
        """Record a draw's state update and attach it to the sample."""
        sample.rstate = node_rstate
        sample.update = (node_rstate, new_rstate)
        self.state_updates.append((node_rstate, new_rstate, size, nstreams))
        node_rstate.default_update = new_rstate
        return sample

    # -- distributions -------------------------------------------------------------------

    def uniform(self, size, low=0.0, high=1.0, ndim=None, dtype=None, nstreams=None,
                **kwargs):
        """Uniform draws in (low, high): ``u * (high - low) + low`` in `dtype` (fused).

        `size` is a tuple of ints or scalar variables, or an int vector (a list is
        accepted too).  `dtype` defaults to upcast(floatX, low, high).
        """
        low = tb.as_tensor_variable(low)
        high = tb.as_tensor_variable(high)
        if dtype is None:
            dtype = D.upcast(config.floatX, low.dtype, high.dtype)
        low = undefined_grad(tb.cast(low, dtype))
        high = undefined_grad(tb.cast(high, dtype))
        if isinstance(size, list):
            size = tuple(size)  # Theano refused lists here; accepting them costs nothing
        if isinstance(size, tuple):
            if not all(isinstance(i, (numbers.Integral, np.integer, Variable)) for i in size):
                raise TypeError("size must be a tuple of int or a Theano variable")
            if any(isinstance(i, (numbers.Integral, np.integer)) and i <= 0 for i in size):
                raise ValueError("The specified size contains a dimension with value <= 0",
                                 size)
        elif not (isinstance(size, Variable) and size.ndim == 1):
            raise TypeError("size must be a tuple of int or a Theano Variable with 1 "
                            f"dimension, got {size} of type {type(size)}")
        target = {"target": kwargs.pop("target")} if "target" in kwargs else {}
        if kwargs:
            raise TypeError(f"uniform() got unexpected keyword arguments {list(kwargs)}")
        orig_nstreams = nstreams
        if nstreams is None:
            nstreams = self.n_streams(size)
        rstates = self.get_substream_rstates(nstreams, dtype)
        node_rstate = shared(rstates, **target)
        new_rstate, u = MRGUniform.new(node_rstate, ndim, dtype, size)
        self.pretty_return(node_rstate, new_rstate, u, size=size, nstreams=orig_nstreams)
        node_rstate.tag.is_rng = True
        # One rounding, as Theano's fused C loop (an FMA): see FusedMultiplyAdd.
        r = fused_multiply_add(u, high - low, low)
        if u.type.broadcastable != r.type.broadcastable:
            raise NotImplementedError(
                "Increase the size to match the broadcasting pattern of `low` and `high` "
                "arguments"
            )
        r.rstate, r.update = u.rstate, u.update
        return r

    def binomial(self, size=None, n=1, p=0.5, ndim=None, dtype="int64", nstreams=None,
                 **kwargs):
        """0/1 draws with probability p: ``cast(uniform(size) < p, dtype)`` (n must be 1)."""
        if _as_int(n) != 1:
            raise NotImplementedError(
                "MRG_RandomStreams.binomial with n > 1; draw n binomials with n=1 and sum "
                "them, or use theano.tensor.shared_randomstreams.RandomStreams.binomial"
            )
        p = undefined_grad(tb.as_tensor_variable(p))
        x = self.uniform(size=size, nstreams=nstreams, **kwargs)
        return tb.cast(x < p, dtype)

    def multinomial(self, size=None, n=1, pvals=None, ndim=None, dtype="int64",
                    nstreams=None, **kwargs):
        """Counts of n draws per row of the (B, K) matrix pvals; size/ndim must be None."""
        if pvals is None:
            raise TypeError("You have to specify pvals")
        pvals = undefined_grad(tb.as_tensor_variable(pvals))
        if size is not None:
            if any(isinstance(i, numbers.Integral) and i <= 0 for i in size):
                raise ValueError("The specified size contains a dimension with value <= 0",
                                 size)
            raise ValueError("Provided a size argument to MRG_RandomStreams.multinomial, "
                             "which does not use the size argument.")
        if ndim is not None:
            raise ValueError("Provided an ndim argument to MRG_RandomStreams.multinomial, "
                             "which does not use the ndim argument.")
        if pvals.ndim != 2:
            raise NotImplementedError(
                "MRG_RandomStreams.multinomial only implemented for pvals.ndim = 2 (as in Theano "
                "1.0.5); reshape pvals to (rows, categories) and reshape the draws back")
        size = pvals[:, 0].shape * n
        unis = self.uniform(size=size, ndim=1, nstreams=nstreams, **kwargs)
        return MultinomialFromUniform(dtype)(pvals, unis, tb.as_tensor_variable(n))

    def choice(self, size=1, a=None, replace=True, p=None, ndim=None, dtype="int64",
               nstreams=None, **kwargs):
        """`size` draws without replacement per row of the (B, K) matrix p: (B, size)
        indices.  Only replace=False, a=None and a 2-d p are implemented (as Theano)."""
        if replace:
            raise NotImplementedError(
                "MRG_RandomStreams.choice only works without replacement for now; use "
                "multinomial() for draws with replacement")
        if a is not None:
            raise TypeError("For now, a has to be None in MRG_RandomStreams.choice. Sampled "
                            "values are between 0 and p.shape[1]-1")
        if p is None:
            raise TypeError("For now, p has to be specified in MRG_RandomStreams.choice.")
        p = undefined_grad(tb.as_tensor_variable(p))
        if ndim is not None:
            raise ValueError("ndim argument to MRG_RandomStreams.choice is not used.")
        if p.ndim != 2:
            raise NotImplementedError(
                "MRG_RandomStreams.choice is only implemented for p.ndim = 2 (as in Theano 1.0.5); "
                "reshape p to (rows, categories) and reshape the draws back")
        shape = p[:, 0].shape * size
        unis = self.uniform(size=shape, ndim=1, nstreams=nstreams, **kwargs)
        return ChoiceFromUniform(odtype=dtype)(p, unis, tb.as_tensor_variable(size))

    def multinomial_wo_replacement(self, size=None, n=1, pvals=None, ndim=None,
                                   dtype="int64", nstreams=None, **kwargs):
        """Deprecated alias of ``choice(size=n, replace=False, p=pvals)``."""
        warnings.warn("MRG_RandomStreams.multinomial_wo_replacement() is deprecated and will "
                      "be removed in the next release of Theano. Please use "
                      "MRG_RandomStreams.choice() instead.", stacklevel=2)
        if size is not None:
            raise ValueError("multinomial_wo_replacement does not use size; pass n")
        return self.choice(size=n, a=None, replace=False, p=pvals, dtype=dtype,
                           nstreams=nstreams, ndim=ndim, **kwargs)

    def normal(self, size, avg=0.0, std=1.0, ndim=None, dtype=None, nstreams=None,
               truncate=False, **kwargs):
        """Normal draws by Box-Muller on an even number of uniforms (15360 streams unless
        `nstreams` is given): all cosine terms first, then all sine terms, cut to
        prod(size), reshaped, then ``* std + avg``.  `truncate` redraws values beyond
        two standard deviations once (see truncated_normal)."""
        size = _check_size(size)
        avg = undefined_grad(tb.as_tensor_variable(avg))
        std = undefined_grad(tb.as_tensor_variable(std))
        if dtype is None:
            dtype = D.upcast(config.floatX, avg.dtype, std.dtype)
        avg = tb.cast(avg, dtype)
        std = tb.cast(std, dtype)
        n_odd = tm.prod(size, dtype="int64")
        n_even = n_odd + n_odd % 2
        u = self.uniform((n_even,), low=0.0, high=1.0, ndim=1, dtype=dtype,
                         nstreams=nstreams, **kwargs)
        u1 = u[: n_even // 2]
        u2 = u[n_even // 2 :]
        r = BoxMuller("radius")(u1)
        cos_theta = BoxMuller("cos")(u2)
        sin_theta = BoxMuller("sin")(u2)
        z0 = r * cos_theta
        z1 = r * sin_theta
        if truncate:
            norm_samples = self._redraw_tails(z0, z1, cos_theta, sin_theta, dtype, nstreams,
                                              kwargs)
        else:
            norm_samples = tb.join(0, z0, z1)
        samples = norm_samples[:n_odd]
        samples = tb.reshape(samples, size, ndim=ndim)
        return fused_multiply_add(samples, std, avg)  # Theano: samples *= std; += avg

    def _redraw_tails(self, z0, z1, cos_theta, sin_theta, dtype, nstreams, kwargs):
        """Replace |z| > 2 once with radii from a uniform on [e**-2, 1) (a new block)."""
        to_fix0 = (z0 < -2.0) | (z0 > 2.0)
        to_fix1 = (z1 < -2.0) | (z1 > 2.0)
        z0_valid = z0[nonzero(~to_fix0)]
        z1_valid = z1[nonzero(~to_fix1)]
        to_fix0 = nonzero(to_fix0)[0]
        to_fix1 = nonzero(to_fix1)[0]
        n_fix = to_fix0.size + to_fix1.size
        lower = tb.constant(1.0 / np.e**2, dtype=dtype)
        u_fix = self.uniform((n_fix,), low=lower, high=1.0, ndim=1, dtype=dtype,
                             nstreams=nstreams, **kwargs)
        r_fix = BoxMuller("radius")(u_fix)
        z0_fixed = r_fix[: to_fix0.size] * cos_theta[to_fix0]
        z1_fixed = r_fix[to_fix0.size :] * sin_theta[to_fix1]
        return tb.join(0, z0_valid, z0_fixed, z1_valid, z1_fixed)

    def truncated_normal(self, size, avg=0.0, std=1.0, ndim=None, dtype=None, nstreams=None,
                         **kwargs):
        """Normal draws truncated at two standard deviations (std rescaled so the result
        has standard deviation `std`)."""
        # The standard deviation of a unit normal truncated to [-2, 2].
        std = std / tb.constant(0.87962566103423978)
        return self.normal(size=size, avg=avg, std=std, truncate=True, ndim=ndim,
                           dtype=dtype, nstreams=nstreams, **kwargs)


__all__ = [
    "MRG_RandomStreams", "DotModulo", "guess_n_streams", "mrg_uniform", "mrg_uniform_base",
    "ff_2p72", "ff_2p134", "matVecModM", "multMatVect", "mrg_next_value", "M1", "M2",
    "A1p72", "A2p72", "A1p134", "A2p134", "NORM", "MultinomialFromUniform",
    "ChoiceFromUniform",
]
