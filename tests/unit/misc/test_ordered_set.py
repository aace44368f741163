"""theano.misc.ordered_set.OrderedSet: every result below was printed by the same operation
under Theano 1.0.5 (../shared/tools/theano-ref)."""

import copy
import pickle

import pytest

from theano.misc.ordered_set import Link, OrderedSet, check_deterministic

UNORDERED = "Get an not ordered iterable when one was expected"

# A Theano 1.0.5 pickle of OrderedSet([3, "a", 1]) (protocol 2), made by theano-ref.
THEANO_PICKLE = (
    b'\x80\x02ctheano.misc.ordered_set\nOrderedSet\nq\x00'
    b')\x81q\x01}q\x02(X\x11\x00\x00\x00_OrderedSet__rootq\x03ctheano.'
    b'misc.ordered_set\nLink\nq\x04)\x81q\x05]q\x06(h\x04)\x81q\x07]q'
    b'\x08(h\x04)\x81q\t]q\n(h\x04)\x81q\x0b]q\x0c(h\x05h\tK\x03ebh\x07X\x01\x00\x00\x00aq\r'
    b'ebh\x05K\x01ebh\x0bebX\x10\x00\x00\x00_OrderedSet__mapq\x0e}q\x0f(K'
    b'\x03h\x0bh\rh\tK\x01h\x07uub.'
)


def test_operators_keep_order():
    a, b = OrderedSet([3, 1, 2]), OrderedSet([2, 5, 3])
    assert repr(a) == "OrderedSet([3, 1, 2])" and repr(OrderedSet()) == "OrderedSet()"
    assert list(a | b) == [3, 1, 2, 5]
    assert list(a & b) == [2, 3]
    assert list(a - b) == [1]
    assert list(a ^ b) == [1, 5]
    assert list(a.union(b)) == [3, 1, 2, 5]
    assert list(a.union([9, 3, 8])) == [3, 1, 2, 9, 8]
    assert list(a.union({9})) == [3, 1, 2, 9]
    assert list(OrderedSet("abracadabra")) == ["a", "b", "r", "c", "d"]
    assert list(OrderedSet(x for x in [4, 4, 1])) == [4, 1]
    assert list(OrderedSet({1: 2})) == [1]


@pytest.mark.parametrize("make", [lambda: OrderedSet({1, 2}), lambda: OrderedSet({1: 2, 3: 4}),
                                  lambda: OrderedSet(range(3)),
                                  lambda: OrderedSet([3]).union({9, 10}),
                                  lambda: OrderedSet([1]).update({3, 2}),
                                  lambda: OrderedSet([1, 2]).difference_update({2, 3})])
def test_unordered_input_raises(make):
    with pytest.raises(AssertionError, match=UNORDERED):
        make()


def test_comparisons():
    assert (OrderedSet("boom") == OrderedSet("moob")) is False
    assert OrderedSet("bom") == OrderedSet("bom") and OrderedSet("bom") != OrderedSet("mob")
    assert (OrderedSet("boom") == "moob") is False and (OrderedSet("bom") == list("bom")) is False
    with pytest.raises(TypeError, match="Cannot compare an `OrderedSet` to a `set`"):
        OrderedSet("boom") == set("bom")  # noqa: B015
    assert OrderedSet("bo") <= OrderedSet("bom") and OrderedSet("bo") < set("bom")
    with pytest.raises(TypeError, match="unhashable"):
        hash(OrderedSet("bo"))
    assert not isinstance(OrderedSet(), set)


def test_mutation():
    s = OrderedSet([1])
    s.update([3, 2, 1])
    assert list(s) == [1, 3, 2]
    s = OrderedSet([1])
    s |= {3, 2}                      # |= does not check the order (as in Theano)
    assert list(s) == [1, 2, 3]
    s = OrderedSet([1, 2, 3])
    s &= [3, 1]
    assert list(s) == [1, 3]
    s = OrderedSet([1, 2, 3])
    s ^= OrderedSet([3, 4])
    assert list(s) == [1, 2, 4]
    s = OrderedSet([1, 2, 3])
    assert s.intersection_update([3, 1]) is s and list(s) == [1, 3]
    s = OrderedSet([1, 2, 3])
    assert s.difference_update([2]) is s and list(s) == [1, 3]
    s = OrderedSet([1, 2, 3])
    assert (s.pop(), s.pop(last=False), list(s)) == (3, 1, [2])
    with pytest.raises(KeyError, match="set is empty"):
        OrderedSet().pop()
    s = OrderedSet([1, 2, 3])
    s.remove(2)
    s.discard(7)
    s.add(2)
    s.add(1)
    assert list(s) == [1, 3, 2] and list(reversed(s)) == [2, 3, 1]
    with pytest.raises(KeyError):
        OrderedSet([1]).remove(5)
    s.clear()
    assert list(s) == [] and not s and len(OrderedSet("abcab")) == 3


def test_copies_and_pickles():
    s = OrderedSet([3, 1, 2])
    for other in (s.copy(), copy.copy(s), copy.deepcopy(s), pickle.loads(pickle.dumps(s, 2)),
                  pickle.loads(pickle.dumps(s, 0))):
        assert other == s and other is not s
    old = pickle.loads(THEANO_PICKLE)   # written by Theano's linked-list implementation
    assert list(old) == [3, "a", 1]
    old.add(7)
    old.discard("a")
    assert list(old) == [3, 1, 7] and old.pop(last=False) == 3
    assert isinstance(pickle.loads(pickle.dumps(Link())), Link)


def test_check_deterministic():
    for ok in (None, {1}, [2, 1], (2, 1), "ab", OrderedSet([2, 1]), (x for x in "ab")):
        check_deterministic(ok)
    for bad in ({1, 2}, frozenset([1, 2]), {1: 1, 2: 2}.keys()):
        with pytest.raises(AssertionError, match=UNORDERED):
            check_deterministic(bad)
    with pytest.raises(TypeError):   # no len(): Theano's check cannot tell
        check_deterministic(iter([1, 2]))
