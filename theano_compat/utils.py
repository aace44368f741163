"""Small helpers shared by several layers."""

from __future__ import annotations

import itertools


class Scratchpad:
    """Theano's ``tag`` object: a free-form attribute bag (``var.tag.test_value``...)."""

    def __repr__(self):
        return "scratchpad" + str(self.__dict__)

    def update(self, other):
        self.__dict__.update(other.__dict__)
        return self


_ids = itertools.count()


def unique_id() -> int:
    """A process-wide increasing integer (used for auto names)."""
    return next(_ids)


def flatten(seq):
    """Flatten nested lists/tuples one level at a time, keeping order."""
    out = []
    for item in seq:
        if isinstance(item, (list, tuple)):
            out.extend(flatten(item))
        else:
            out.append(item)
    return out
