"""theano.misc.ordered_set: ``OrderedSet``, a mutable set that iterates in insertion order.

Theano 1.0.5's semantics: building or updating one from an unordered collection of more than
one element (a ``set``, a ``dict``, a ``range``...) raises AssertionError, so that graph
algorithms stay deterministic; ``==`` against a plain ``set`` raises TypeError (the
comparison could not be symmetric); ``pop()`` takes the last element, ``pop(last=False)`` the
first.  The elements are kept as the keys of a dict (ordered since Python 3.7).
"""

import types
import weakref  # noqa: F401 - a name Theano's module had
from collections.abc import MutableSet


string_types = (str,)


def check_deterministic(iterable):
    """AssertionError when `iterable` has no defined order and more than one element.

    Ordered: None, lists, tuples, strings, generators and OrderedSets.  An AssertionError,
    not a TypeError: graph code treats other exceptions as a failed rewrite and would hide
    the problem.
    """
    if iterable is None or isinstance(iterable, (list, tuple, OrderedSet, types.GeneratorType,
                                                 *string_types)):
        return
    if len(iterable) > 1:   # one element: no order to lose (unpickling passes those)
        raise AssertionError("Get an not ordered iterable when one was expected")


class Link:
    """A node of the linked list Theano's OrderedSet used: kept so that OrderedSets pickled
    by Theano 1.0.5 load (their elements are read back from the pickled map)."""

    __module__ = "theano.misc.ordered_set"  # Theano's path: reprs and pickles

    __slots__ = ("prev", "next", "key", "__weakref__")

    def __getstate__(self):
        state = [getattr(self, "prev", None), getattr(self, "next", None)]
        if hasattr(self, "key"):
            state.append(self.key)
        return state

    def __setstate__(self, state):
        self.prev, self.next = state[0], state[1]
        if len(state) == 3:
            self.key = state[2]


class OrderedSet(MutableSet):
    """A set that remembers the order its elements were added in."""

    __module__ = "theano.misc.ordered_set"  # Theano's path: reprs and pickles

    # The attribute is named as Theano's (``_OrderedSet__map``, whose keys are the elements
    # in order): a Theano pickle's state restores it as is.

    def __init__(self, iterable=None):
        check_deterministic(iterable)
        self.__map = {}
        if iterable is not None:
            self |= iterable

    def update(self, iterable):
        """Add the elements of the ordered `iterable` (set.update, order-checked)."""
        check_deterministic(iterable)
        self |= iterable

    def __len__(self):
        return len(self.__map)

    def __contains__(self, key):
        return key in self.__map

    def __iter__(self):
        return iter(self.__map)

    def __reversed__(self):
        return reversed(self.__map)

    def add(self, key):
        """Append `key` unless present (a present element keeps its place)."""
        self.__map.setdefault(key, None)

    def discard(self, key):
        """Remove `key` if present."""
        self.__map.pop(key, None)

    def union(self, s):
        """A new OrderedSet: these elements, then those of the ordered `s` not already in."""
        check_deterministic(s)
        n = self.copy()
        for elem in s:
            n.add(elem)
        return n

    def intersection_update(self, s):
        """Keep only the elements also in `s`; returns self."""
        for elem in [e for e in self if e not in s]:
            self.discard(elem)
        return self

    def difference_update(self, s):
        """Remove the elements of the ordered `s`; returns self."""
        check_deterministic(s)
        for elem in s:
            self.discard(elem)
        return self

    def copy(self):
        n = OrderedSet()
        n.update(self)
        return n

    def pop(self, last=True):
        """Remove and return the last element (the first with ``last=False``)."""
        if not self:
            raise KeyError("set is empty")
        key = next(reversed(self.__map)) if last else next(iter(self.__map))
        del self.__map[key]
        return key

    def __repr__(self):
        if not self:
            return f"{self.__class__.__name__}()"
        return f"{self.__class__.__name__}({list(self)!r})"

    def __eq__(self, other):
        if isinstance(other, OrderedSet):
            return len(self) == len(other) and list(self) == list(other)
        if isinstance(other, set):
            raise TypeError(
                "Cannot compare an `OrderedSet` to a `set` because this comparison cannot be "
                "made symmetric: please manually cast your `OrderedSet` into `set` before "
                "performing this comparison.")
        return NotImplemented

    __hash__ = None   # mutable: unhashable, as Theano's (its __eq__ had no __hash__)
