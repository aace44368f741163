"""theano.compile.profiling.ProfileStats: Theano 1.0.5's constructor, counters and summary
layout (the header lines below are the ones Theano printed for the same function)."""

import io

import numpy as np

import theano
import theano.tensor as T
from theano.compile.profiling import ProfileStats, ScanProfileStats
from theano_compat.link.profile import _TO_PRINT

THEANO_HEADERS = [
    "Function profiling", "==================", "  Message: demo",
    "Class", "---",
    "<% time> <sum %> <apply time> <time per call> <type> <#call> <#apply> <Class name>",
    "Ops", "---",
    "<% time> <sum %> <apply time> <time per call> <type> <#call> <#apply> <Op name>",
    "Apply", "------",
    "<% time> <sum %> <apply time> <time per call> <#call> <id> <Apply name>",
]


def test_profile_counts_and_summary_layout():
    x, y = T.dvectors("x", "y")
    p = ProfileStats(False, message="demo")  # atexit_print=False, as Theano's first argument
    assert p not in _TO_PRINT
    f = theano.function([x, y], T.exp(x) * y + x, profile=p)
    assert f.profile is p
    for _ in range(3):
        np.testing.assert_allclose(f(np.ones(4), np.ones(4)), np.full(4, np.e + 1))
    assert p.fct_callcount == 3 and p.fct_call_time >= p.vm_call_time > 0
    assert set(p.apply_time) == set(f.maker.fgraph.apply_nodes)
    assert all(n == 3 for n in p.apply_callcount.values())
    assert sum(p.class_nodes().values()) == len(f.maker.fgraph.apply_nodes)
    assert set(p.op_impl().values()) == {"Py"}
    buf = io.StringIO()
    p.summary(buf)
    lines = buf.getvalue().splitlines()
    positions = [lines.index(h) for h in THEANO_HEADERS[:3]]
    assert positions == sorted(positions)
    for header in THEANO_HEADERS:
        assert header in lines, header
    assert any(line.startswith("  Time in 3 calls to Function.__call__: ") for line in lines)
    assert any("remaining 0 Apply instances account for" in line for line in lines)
    p.reset()
    assert p.fct_callcount == 0 and sum(p.apply_time.values()) == 0.0


def test_profile_true_and_a_name_make_a_profile():
    x = T.dscalar("x")
    f = theano.function([x], x * 2, profile="named")
    f(1.0)
    assert isinstance(f.profile, ProfileStats) and f.profile.message == "named"
    _TO_PRINT.remove(f.profile)
    s = ScanProfileStats(False, name="loop")
    buf = io.StringIO()
    s.summary_function(buf)
    assert buf.getvalue() == ""  # never called: Theano printed nothing
    s.callcount, s.nbsteps, s.call_time = 1, 5, 2.0
    s.summary_function(buf)
    assert "Scan Op profiling ( loop )" in buf.getvalue()
    assert "Time in 1 calls of the op (for a total of 5 steps)" in buf.getvalue()
