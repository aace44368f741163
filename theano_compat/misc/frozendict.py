"""theano.misc.frozendict: ``frozendict``, an immutable, hashable mapping (Theano used it for
``destroy_map``/``view_map`` and Op parameters), and ``FrozenOrderedDict``.

The hash is the XOR of the hashes of the (key, value) items, so it does not depend on the
insertion order and equal frozendicts hash equal; ``copy(**changes)`` returns a new one.
"""

import collections
import functools
import operator
from collections.abc import Mapping



class frozendict(Mapping):
    """An immutable wrapper around a dict: the whole ``collections.abc.Mapping`` interface,
    hashable (when the values are)."""

    __module__ = "theano.misc.frozendict"  # Theano's path: reprs and pickles

    dict_cls = dict

    def __init__(self, *args, **kwargs):
        self._dict = self.dict_cls(*args, **kwargs)
        self._hash = None

    def __getitem__(self, key):
        return self._dict[key]

    def __contains__(self, key):
        return key in self._dict

    def __iter__(self):
        return iter(self._dict)

    def __len__(self):
        return len(self._dict)

    def copy(self, **add_or_replace):
        """A new mapping of the same class with `add_or_replace` applied."""
        return self.__class__(self, **add_or_replace)

    def __repr__(self):
        return f"<{self.__class__.__name__} {self._dict!r}>"

    def __hash__(self):
        if self._hash is None:
            self._hash = functools.reduce(operator.xor, map(hash, self.items()), 0)
        return self._hash


class FrozenOrderedDict(frozendict):
    """A frozendict over an OrderedDict (its repr shows the OrderedDict)."""

    __module__ = "theano.misc.frozendict"  # Theano's path: reprs and pickles

    dict_cls = collections.OrderedDict
