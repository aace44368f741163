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


def _memory_summary(fn_of_config):
    saved = (theano.config.profile_memory, theano.config.profiling.min_peak_memory)
    theano.config.profile_memory = True
    theano.config.profiling.min_peak_memory = True
    try:
        return fn_of_config()
    finally:
        theano.config.profile_memory, theano.config.profiling.min_peak_memory = saved


def test_memory_profile_matches_theano_for_its_own_test_graph():
    # Theano 1.0.5's test_profiling graph; the expected lines are what the original printed
    # for it (its bracketed values: the graph's toposort order, which this program runs).
    def run():
        x = [T.fvector("val%i" % i) for i in range(3)]
        z = [T.outer(x[i], x[i + 1]).sum(axis=1) for i in range(2)]
        z += [x[i] + x[i + 1] for i in range(2)]
        p = ProfileStats(False, gpu_checks=False)
        f = theano.function(x, z, profile=p, mode="FAST_RUN")
        f(*[np.arange(1024, dtype="float32") + 1 for _ in range(3)])
        buf = io.StringIO()
        f.profile.summary(buf)
        return buf.getvalue()

    text = _memory_summary(run)
    assert "        CPU: 4104KB (4104KB)" in text
    assert "        CPU: 8196KB (8196KB)" in text
    assert "        CPU: 8208KB" in text
    assert "Minimum peak from all valid apply node order is 4104KB" in text
    assert "       4194304B  [(1024, 1024)] i ScipyGer{destructive}(Alloc.0, " \
           "TensorConstant{1.0}, val0, val1)" in text
    assert "          4096B  [(1024,)] c Elemwise{add,no_inplace}(val0, val1)" in text
    assert "   ... (remaining 3 Apply account for   24B/16793624B ((0.00%)) of the Apply " \
           "with dense outputs sizes)" in text


def test_memory_profile_counts_views_and_frees_dead_intermediates():
    # exp(x) (8 * n bytes) is read by a view (its transpose) and a sum: with the gc its
    # buffer is freed once both ran; without it every output stays (hand count below).
    def run():
        x = T.dmatrix("x")
        e = T.exp(x)
        p = ProfileStats(False)
        f = theano.function([x], [e.T.sum(), (e * 2).sum()], profile=p,
                            mode=theano.compile.mode.get_mode("FAST_RUN").excluding("fusion"))
        f(np.ones((64, 32)))
        buf = io.StringIO()
        p.summary(buf)
        return p, buf.getvalue()

    p, text = _memory_summary(run)
    sizes = {str(n.op): p.variable_shape.get(n.outputs[0]) for n in p.nodes}
    assert sizes["Elemwise{exp,no_inplace}"] == (64, 32)
    assert sizes["InplaceDimShuffle{1,0}"] == (32, 64)
    # Allocated: exp's 64 * 32 * 8 = 16384 bytes and three float64 scalars (the view
    # allocates nothing): 16408 bytes, 16KB, which is also the peak.
    assert "    Max peak memory if allow_gc=False (linker don't make a difference)\n" \
           "        CPU: 16KB\n" in text
    assert "        CPU: 16KB (16KB)" in text
    assert "         16384B  [(32, 64)] v InplaceDimShuffle{1,0}(Elemwise{exp,no_inplace}.0)" \
        in text
    assert "Memory Profile\n(Sparse variables are ignored)" in text


def test_memory_profile_off_without_the_flag():
    x = T.dvector("x")
    p = ProfileStats(False)
    f = theano.function([x], T.exp(x), profile=p)
    f(np.ones(3))
    buf = io.StringIO()
    p.summary_memory(buf)
    assert "not measured" in buf.getvalue() and p.variable_shape == {}
