"""theano.tests.disturb_mem: a clock-dependent allocation kept alive between calls."""

from datetime import datetime

import theano.tests.disturb_mem as dm


def test_disturb_mem_allocates_from_the_clock(monkeypatch):
    class Clock:
        @staticmethod
        def now():
            return datetime(2020, 1, 1, 0, 0, 0, 12345)

    monkeypatch.setattr(dm, "datetime", Clock)
    dm.disturb_mem()
    # 12345 microseconds: 345 lists of 12 zeros, held by the module
    assert len(dm.l) == 345 and all(row == [0] * 12 for row in dm.l)
