"""Shared test configuration: the repository root is importable without installation, and
every test starts from the same process-global state, whatever ran before it.

Order independence (tests/support/global_state.py): an autouse fixture snapshots the
global state a test may change (config flags, the selected back-end, the stand-in CuPy
modules, NumPy's error settings, environment variables, logging levels...), reseeds
``random`` and ``numpy.random``, and after the test puts back whatever changed.  A test
that left such state changed then fails at teardown, naming what it changed.
THEANO_COMPAT_STATE_GUARD selects the behaviour:

  fail    (default) restore, and fail the test that leaked;
  report  restore, fail nothing, and list at the end of the run every leak, and every
          change made between tests (by module- or session-scoped fixtures: fine when
          their teardown undoes it, which the list then shows as a second change);
  off     no snapshot, no reseeding: the suite as it was before the guard.

To look for order dependence: ``pytest --reverse-order``, or with pytest-randomly installed
``pytest -p randomly`` (pyproject.toml turns the plugin off unless asked for).
"""

import os
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

# A rewrite rule that raises must fail the test that triggered it, not be skipped with a
# warning as in normal use (DESIGN.md §7.2).
os.environ.setdefault("THEANO_FLAGS", "")
os.environ["THEANO_FLAGS"] = ",".join(
    f for f in (os.environ["THEANO_FLAGS"], "on_opt_error=raise") if f)

GUARD = os.environ.get("THEANO_COMPAT_STATE_GUARD", "fail").strip().lower()
if GUARD not in ("fail", "report", "off"):
    raise ValueError(f"THEANO_COMPAT_STATE_GUARD={GUARD!r}: use fail, report or off")
try:
    # Imports theano_compat: after THEANO_FLAGS is final.
    from tests.support import global_state
except Exception as e:  # noqa: BLE001
    # A package that does not import fails its own tests; test_config.py still runs (it
    # loads the config module alone), so the guard steps aside rather than stop the run.
    print(f"tests/conftest.py: state guard off, theano_compat does not import: {e!r}",
          file=sys.stderr)
    GUARD = "off"

_reported = []            # report mode: (test id, [what leaked]) and between-test changes
_last = [None, None]      # report mode: the state after the previous test, and its id
_start = [None]           # the state when the tests start (after collection)


def pytest_addoption(parser):
    parser.addoption(
        "--reverse-order", action="store_true", default=False,
        help="run the collected tests in reverse order (to find tests that depend on the "
             "state earlier tests leave behind; `-p randomly` shuffles them)")


def pytest_collection_modifyitems(config, items):
    if config.getoption("--reverse-order"):
        items.reverse()


@pytest.fixture(autouse=True)
def _global_state_guard(request):
    """Restore the process-global state after each test; fail a test that changed it."""
    if GUARD == "off":
        yield
        return
    before = global_state.snapshot()
    if GUARD == "report" and _last[0] is not None:
        between = global_state.changes(_last[0], before)
        if between:
            _reported.append((f"between {_last[1]} and {request.node.nodeid}", between))
    global_state.reseed()
    yield
    leaks = global_state.restore(before)
    if GUARD == "report":
        _last[:] = global_state.snapshot(), request.node.nodeid
        if leaks:
            _reported.append((request.node.nodeid, leaks))
    elif leaks:
        pytest.fail("the test left process-global state changed (restored now; see "
                    "tests/support/global_state.py):\n  " + "\n  ".join(leaks), pytrace=False)


def pytest_collection_finish(session):
    if GUARD != "off":
        _start[0] = global_state.snapshot()
    if GUARD == "report":   # the baseline of the first between-test comparison
        _last[:] = _start[0], "the start of the run"


def pytest_terminal_summary(terminalreporter):
    write = terminalreporter.write_line
    if GUARD == "report":
        terminalreporter.section("process-global state left changed")
        if not _reported:
            write("none")
        for where, leaks in _reported:
            write(where)
            for leak in leaks:
                write(f"    {leak}")
    if _start[0] is not None:
        # Tests are checked one by one; this catches module- and session-scoped fixtures
        # whose teardown did not undo their setup (all are torn down by now).
        leaks = global_state.changes(_start[0], global_state.snapshot())
        if leaks:
            terminalreporter.section("process-global state the run left changed", red=True)
            for leak in leaks:
                write(f"    {leak}")
