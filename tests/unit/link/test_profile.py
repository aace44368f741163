"""profile=True / config.profile: a Theano-style summary from a separate, instrumented
program; the unprofiled program carries no instrumentation."""

import io

import numpy as np

import theano
import theano.tensor as T
from theano_compat.compile.mode import Mode
from theano_compat.config import change_flags
from theano_compat.link.profile import _TO_PRINT


def _profiled(**kw):
    x, y = T.dvectors("x", "y")
    return theano.function([x, y], T.exp(x) * y + T.dot(x, y), name="demo",
                           mode=Mode(optimizer="fast_run"), **kw)


def test_profile_counts_calls_and_times_every_node():
    f = _profiled(profile=True)
    for _ in range(7):
        out = f(np.ones(4), np.arange(4.0))
    np.testing.assert_allclose(out, np.e * np.arange(4.0) + 6.0)
    prof = f.profile
    assert prof.fct_callcount == 7
    assert len(prof.node_times) == len(f.maker.fgraph.apply_nodes)
    assert all(t > 0 for t in prof.node_times)
    assert sum(prof.node_times) <= prof.fct_call_time
    assert prof.compile_time >= prof.optimizer_time + prof.linker_time > 0
    buf = io.StringIO()
    prof.summary(file=buf)
    text = buf.getvalue()
    for heading in ("Function profiling", "Message: demo", "Time in 7 calls to Function.__call__",
                    "Total compile time", "Class\n---", "Ops\n---", "Apply\n------"):
        assert heading in text
    assert "Elemwise{Composite{((exp(i0) * i1) + i2)}}" in text
    _TO_PRINT.remove(prof)  # keep the test run's exit quiet


def test_config_profile_turns_it_on_and_the_fast_path_has_no_clock():
    with change_flags(profile=True):
        f = _profiled()
    assert f.profile is not None and "_clock()" in f.maker.program.source
    _TO_PRINT.remove(f.profile)
    plain = _profiled()
    assert plain.profile is None and "_clock" not in plain.maker.program.source


def test_profiled_function_still_points_errors_at_the_user_line():
    a, b = T.dvectors("a", "b")
    total = a + b  # the profiled failing node
    f = theano.function([a, b], total, profile=True)
    try:
        f(np.ones(2), np.ones(3))
    except ValueError as e:
        notes = "\n".join(getattr(e, "__notes__", []))
        assert "total = a + b  # the profiled failing node" in notes
    else:
        raise AssertionError("expected a shape error")
    _TO_PRINT.remove(f.profile)
