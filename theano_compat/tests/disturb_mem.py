"""theano.tests.disturb_mem: allocate a time-dependent amount of memory, so that the ids of
objects created next differ from run to run (exposes code whose results depend on memory
addresses, such as iteration over sets of graph objects; test_determinism uses it)."""

from __future__ import absolute_import, division, print_function  # noqa: F401

from datetime import datetime

l = None  # noqa: E741 - Theano's name: the allocation is kept alive here until the next call


def disturb_mem():
    """Keep ``n`` lists of ``m`` zeros alive, ``n, m`` taken from the clock's microseconds."""
    global l  # noqa: PLW0603 - the allocation must outlive the call
    ms = int(datetime.now().microsecond)
    n, m = ms % 1000, ms // 1000
    l = [[0] * m for _ in range(n)]  # noqa: E741
    return l
