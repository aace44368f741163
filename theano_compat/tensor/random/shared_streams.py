"""theano.tensor.shared_randomstreams.RandomStreams: per-variable shared RandomStates.

Seeding follows Theano 1.0.5 exactly: a seed generator RandomState(seed) draws one
``randint(2**30)`` seed per random variable, so the same seed gives the same numbers.
"""

from __future__ import annotations

import numpy as np

from ...graph.shared import shared
from . import raw
from .raw import RandomStateSharedVariable, randomstate_constructor  # noqa: F401


class RandomStreams(raw.RandomStreamsBase):
    """A factory of random variables, each with its own shared RandomState (``rv.rng``).

    Parameters
    ----------
    seed : None or int
        Seeds the generator of per-variable seeds (None: seeded by the OS).
    """

    __module__ = "theano.tensor.shared_randomstreams"  # Theano's path: reprs and pickles

    def __init__(self, seed=None):
        # (shared RandomState, its update) per random variable, in creation order.
        self.state_updates = []
        self.default_instance_seed = seed
        self.gen_seedgen = np.random.RandomState(seed)

    def updates(self):
        """The (rng, new rng) pairs of every random variable made so far."""
        return list(self.state_updates)

    def seed(self, seed=None):
        """Re-seed every random variable made so far from a fresh seed generator.

        Variables made later still draw their seeds from the original generator.
        """
        if seed is None:
            seed = self.default_instance_seed
        seedgen = np.random.RandomState(seed)
        for old_r, _new_r in self.state_updates:
            old_r.set_value(np.random.RandomState(int(seedgen.randint(2**30))), borrow=True)

    def __getitem__(self, item):
        """The RandomState held by `item` (an ``rv.rng`` shared variable)."""
        return item.get_value(borrow=True)

    def __setitem__(self, item, val):
        """Replace the RandomState held by `item`."""
        item.set_value(val, borrow=True)

    def gen(self, op, *args, **kwargs):
        """A random variable from a raw_random function ``op(rng, *args, **kwargs)``.

        The variable gets its own shared RandomState seeded from this instance's seed
        generator; the new state is its ``default_update``.
        """
        seed = int(self.gen_seedgen.randint(2**30))
        rng = shared(np.random.RandomState(seed))
        rng.tag.is_rng = True
        new_r, out = op(rng, *args, **kwargs)
        out.rng = rng
        out.update = (rng, new_r)
        self.state_updates.append(out.update)
        rng.default_update = new_r
        return out
