"""theano.tensor.shared_randomstreams.RandomStreams: per-variable shared RandomStates.

Seeding follows Theano 1.0.5 exactly: a seed generator RandomState(seed) draws one
``randint(2**30)`` seed per random variable, so the same seed gives the same numbers.
"""

from __future__ import annotations

import numpy as np

from ..graph.shared import shared
from . import random as raw


class RandomStreams:
    """A factory of random variables, each with its own shared RandomState (``rv.rng``)."""

    def __init__(self, seed=None):
        self.state_updates = []
        self.default_instance_seed = seed
        self.gen_seedgen = np.random.RandomState(seed)

    def seed(self, seed=None):
        """Re-seed every random variable made so far (from a fresh seed generator)."""
        if seed is None:
            seed = self.default_instance_seed
        seedgen = np.random.RandomState(seed)
        for old_r, _new_r in self.state_updates:
            old_r.set_value(np.random.RandomState(int(seedgen.randint(2 ** 30))), borrow=True)

    def gen(self, op, *args, **kwargs):
        """Make a random variable from a raw_random function (``op(rng, *args)``)."""
        seed = int(self.gen_seedgen.randint(2 ** 30))
        rng = shared(np.random.RandomState(seed))
        rng.tag.is_rng = True
        new_r, out = op(rng, *args, **kwargs)
        out.rng = rng
        out.update = (rng, new_r)
        self.state_updates.append(out.update)
        rng.default_update = new_r
        return out

    def __getitem__(self, item):
        for old_r, new_r in self.state_updates:
            if item is old_r:
                return old_r.get_value(borrow=True)
        raise KeyError(item)

    def uniform(self, size=None, low=0.0, high=1.0, ndim=None, dtype=None):
        return self.gen(raw.uniform, size, low, high, ndim=ndim, dtype=dtype)

    def normal(self, size=None, avg=0.0, std=1.0, ndim=None, dtype=None):
        return self.gen(raw.normal, size, avg, std, ndim=ndim, dtype=dtype)

    def binomial(self, size=None, n=1, p=0.5, ndim=None, dtype="int64", prob=None):
        return self.gen(raw.binomial, size, n, p, ndim=ndim, dtype=dtype, prob=prob)

    def random_integers(self, size=None, low=0, high=1, ndim=None, dtype="int64"):
        return self.gen(raw.random_integers, size, low, high, ndim=ndim, dtype=dtype)

    def choice(self, size=None, a=2, replace=True, p=None, ndim=None, dtype="int64"):
        return self.gen(raw.choice, size, a, replace, p, ndim=ndim, dtype=dtype)

    def permutation(self, size=None, n=1, ndim=None, dtype="int64"):
        return self.gen(raw.permutation, size, n, ndim=ndim, dtype=dtype)

    def multinomial(self, size=None, n=1, pvals=(0.5, 0.5), ndim=None, dtype="int64"):
        return self.gen(raw.multinomial, size, n, pvals, ndim=ndim, dtype=dtype)
