"""Record what Theano 1.0.5's checking modes did (tests/unit/compile/test_debug_modes.py).

Run under the original Theano, from outside the repository ($REPO: this checkout):
    cd "$(mktemp -d)" && $REPO/../shared/tools/theano-ref $REPO/tests/golden/make_debug_modes.py
It writes debug_modes.theano105.json next to this script.  `scenarios` is shared with
the test, which runs the same code on theano_compat and compares.  Only what this project
reproduces on purpose is recorded: exception classes and the fields that name the
problem, the first lines of NanGuardMode's message, MonitorMode's printed text.  Where
Theano was wrong (NanGuardMode left a shared variable half-updated by an in-place node)
the test checks the corrected behaviour instead.
"""

import contextlib
import io
import json
import os

import numpy as np


def define_ops(theano, T):
    """Deliberately broken user Ops, each breaking one rule DebugMode checks."""

    class Base(theano.Op):
        __props__ = ()

        def make_node(self, x):
            x = T.as_tensor_variable(x)
            return theano.Apply(self, [x], [x.type()])

    class WrongDtype(Base):
        def perform(self, node, inputs, output_storage):
            output_storage[0][0] = inputs[0].astype("float32")

    class WrongNdim(Base):
        def perform(self, node, inputs, output_storage):
            output_storage[0][0] = inputs[0].reshape(1, -1)

    class Destroys(Base):
        def perform(self, node, inputs, output_storage):
            inputs[0][0] = 7.0
            output_storage[0][0] = inputs[0] * 2

    class Views(Base):
        def perform(self, node, inputs, output_storage):
            output_storage[0][0] = inputs[0][:]

    class NoOutput(Base):
        def perform(self, node, inputs, output_storage):
            pass

    class Raises(Base):
        def perform(self, node, inputs, output_storage):
            raise ValueError("boom")

    return {c.__name__: c for c in (WrongDtype, WrongNdim, Destroys, Views, NoOutput, Raises)}


def _error(e):
    """Class name and the attributes naming the problem, for a raised exception."""
    out = {"class": type(e).__name__}
    for attr in ("hint", "idx", "output_idx", "in_alias_idx"):
        if hasattr(e, attr):
            value = getattr(e, attr)
            out[attr] = value if isinstance(value, (str, int)) else list(value)
    hint = str(getattr(e, "specific_hint", "("))
    if not hint.startswith("("):  # Theano's hint for a missing output was a tuple's repr
        out["specific_hint"] = hint
    if type(e).__name__ == "AssertionError":  # NanGuardMode's: what, where, which node
        lines = str(e).splitlines()
        found = next(k for k, ln in enumerate(lines) if ln.startswith("NanGuardMode found"))
        out["lines"] = lines[:found + 1]
        if "output of a node" in lines[found]:
            out["graph"] = lines[found + 1].rstrip()
    return out


def _run(fn):
    try:
        value = fn()
    except Exception as e:  # noqa: BLE001 - recording what was raised
        return _error(e)
    return {"value": [float(v) for v in np.asarray(value).reshape(-1)]}


def scenarios(theano, T):
    """name -> function returning JSON data, run under both implementations."""
    from theano.compile.debugmode import DebugMode
    from theano.compile.monitormode import MonitorMode, detect_nan
    from theano.compile.nanguardmode import NanGuardMode

    def mode_names():
        x = T.dvector("x")
        out = {}
        for name in ("FAST_RUN", "FAST_COMPILE", "DebugMode", "DEBUG_MODE", "NanGuardMode",
                     "Mode", "FAST_WALK", "fast_run", "ProfileMode", "PROFILE_MODE"):
            try:
                f = theano.function([x], T.exp(x), mode=name)
                out[name] = "OK " + type(f.maker.mode).__name__
            except Exception as e:  # noqa: BLE001 - recording what was raised
                out[name] = "ERROR " + str(e).split(".")[0]
        return out

    def error_classes():
        import theano.compile.debugmode as D
        names = ("BadThunkOutput", "BadOptimization", "BadDestroyMap", "BadViewMap",
                 "StochasticOrder", "InvalidValueError")
        return {n: issubclass(getattr(D, n), D.DebugModeError) for n in names}

    def broken_ops():
        ops = define_ops(theano, T)
        x = T.dvector("x")
        out = {}
        for name, cls in ops.items():
            out[name] = _run(lambda cls=cls: theano.function(
                [x], cls()(x) + 1, mode=DebugMode())(np.array([1.0, 2.0])))
        return out

    def debugmode_isfinite():
        x = T.dvector("x")
        bad = np.array([-1.0, 0.0])
        return {
            "checked": _run(lambda: theano.function([x], T.log(x), mode="DEBUG_MODE")(bad)),
            "unchecked": str(theano.function([x], T.log(x), mode=DebugMode(
                check_isfinite=False))(bad)),
        }

    def nanguard():
        x = T.dvector("x")
        i = T.ivector("i")
        out = {}
        out["nan_and_inf"] = _run(lambda: theano.function(
            [x], T.log(x), mode=NanGuardMode(True, True, True))(np.array([-1.0, 0.0])))
        out["inf_only"] = _run(lambda: theano.function(
            [x], T.log(x), mode=NanGuardMode(False, True, False))(np.array([1.0, 0.0])))
        out["big_constant"] = _run(lambda: theano.function(
            [x], x * 1e11, mode=NanGuardMode(False, False, True))(np.array([1.0, 0.0])))
        out["nan_input"] = _run(lambda: theano.function(
            [x], x * 2, mode=NanGuardMode(True, True, True))(np.array([np.nan, 0.0])))
        out["int_overflow"] = _run(lambda: theano.function(
            [i], i * 2, mode=NanGuardMode(True, True, True))(
                np.array([2 ** 30, 1], dtype="int32")))
        out["by_name"] = _run(lambda: theano.function([x], T.log(x), mode="NanGuardMode")(
            np.array([-1.0, 0.0])))
        try:
            NanGuardMode(False, False, False)
            out["nothing_checked"] = "accepted"
        except AssertionError:
            out["nothing_checked"] = "AssertionError"
        return out

    def monitor():
        # The documentation's example, unchanged but for the explicit optimizer (so the
        # graph is the fused one whatever THEANO_FLAGS says).
        x = T.dscalar("x")
        f = theano.function([x], [T.log(x) * x],
                            mode=MonitorMode(post_func=detect_nan, optimizer="fast_run"))
        text = io.StringIO()
        with contextlib.redirect_stdout(text):
            result = f(0)
        m = MonitorMode(post_func=detect_nan)
        return {"printed": text.getvalue(), "result": str(result),
                "including": type(m.including("fusion")).__name__,
                "keeps_post_func": m.excluding("fusion").post_func is detect_nan}

    return {"mode_names": mode_names, "error_classes": error_classes,
            "broken_ops": broken_ops, "debugmode_isfinite": debugmode_isfinite,
            "nanguard": nanguard, "monitor": monitor}


if __name__ == "__main__":
    import theano.tensor as T

    import theano

    record = {name: fn() for name, fn in scenarios(theano, T).items()}
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                        "debug_modes.theano105.json")
    with open(path, "w") as fh:
        json.dump(record, fh, indent=1, sort_keys=True)
    print(json.dumps(record, indent=1, sort_keys=True))
