"""Reliability catalogue: bad inputs and faults, one case each (issue 14, point 7).

Every case asserts three things:

1. the exception type is Theano 1.0.5's (each was checked by running the same code under the
   original Theano through ``shared/tools/theano-ref``; where Theano's type came from an
   accident of its implementation the case says so);
2. the message (or its PEP 678 notes) names the culprit: the input's name or position, the
   Op, the flag, the file; for failures while a compiled function runs, the line of this
   file where the failing node was built;
3. every shared variable the function touches kept its value (`_untouched`).

Cases already covered by tests/errors/test_bad_input.py are not repeated here.  Cases the
project does not pass yet are marked ``xfail(strict=True)`` with the reason.
"""

import configparser
import contextlib
import io
import os
import pickle
import subprocess
import sys
import zipfile

import numpy as np
import pytest
import scipy.linalg
import theano
import theano.tensor as T
from theano.compile.function_module import MissingInputError, UnusedInputError
from theano.gradient import DisconnectedInputError, NullTypeGradError
from theano.ifelse import ifelse
from theano.misc import pkl_utils
from theano.sandbox.rng_mrg import MRG_RandomStreams

# ----------------------------------------------------------------------------- helpers


def _line_of(marker):
    """The stripped line of this file that ends with the comment ``# <marker>``."""
    with open(__file__) as fh:
        hits = [line.strip() for line in fh if line.rstrip().endswith(f"# {marker}")]
    assert len(hits) == 1, (marker, hits)
    return hits[0]


def _text(exc):
    return "\n".join([str(exc), *getattr(exc, "__notes__", ())])


def _same(before, after):
    if isinstance(before, np.ndarray):
        return (isinstance(after, np.ndarray) and before.dtype == after.dtype
                and before.shape == after.shape
                and np.array_equal(before, after, equal_nan=before.dtype.kind in "fc"))
    return pickle.dumps(before) == pickle.dumps(after)


@contextlib.contextmanager
def _untouched(*sources):
    """Check that no shared variable of `sources` changes inside the block.

    A source is a compiled function (all the shared variables it reads or updates) or a
    shared variable.
    """
    shared = []
    for s in sources:
        shared.extend(s.get_shared() if hasattr(s, "get_shared") else [s])
    assert shared, "nothing to watch"
    before = [(v, v.get_value(borrow=False)) for v in shared]
    yield
    changed = [str(v) for v, b in before if not _same(b, v.get_value(borrow=True))]
    assert not changed, f"shared variables changed by a failed call: {changed}"


def _stateful(inputs, outputs, updates=(), **kwargs):
    """theano.function whose every successful call advances a counter and rewrites a
    weight vector, so a failed call that wrote anything is seen by `_untouched`."""
    calls = theano.shared(np.int64(0), "calls")
    w = theano.shared(np.arange(3.0), "w_state")
    updates = [(calls, calls + 1), (w, w * 2 + 1), *updates]
    return theano.function(inputs, outputs, updates=updates, **kwargs)


def _fails(f, args, exc_type, *needles, kwargs=None, line=None):
    """Call f(*args, **kwargs): it must raise `exc_type` whose text holds every needle
    (and the source line carrying the marker `line`), changing no shared variable."""
    with _untouched(f), pytest.raises(exc_type) as info:
        f(*args, **(kwargs or {}))
    text = _text(info.value)
    for needle in needles:
        assert needle in text, (needle, text)
    if line is not None:
        assert _line_of(line) in text, text
        assert "test_catalogue.py" in text
    return info.value


def _raises(exc_type, *needles, watch=()):
    """Context manager: the block raises `exc_type` naming every needle; the shared
    variables in `watch` keep their values."""

    @contextlib.contextmanager
    def cm():
        with contextlib.ExitStack() as stack:
            if watch:
                stack.enter_context(_untouched(*watch))
            info = stack.enter_context(pytest.raises(exc_type))
            yield info
        text = _text(info.value)
        for needle in needles:
            assert needle in text, (needle, text)

    return cm()


def test_the_untouched_check_sees_a_write():
    w = theano.shared(np.arange(3.0), "w_seen")
    with pytest.raises(AssertionError, match="w_seen"), _untouched(w):
        w.set_value(np.arange(3.0) + 1e-12)
    c = theano.shared(np.int64(0), "c_seen")
    f = theano.function([], c, updates=[(c, c + 1)])
    with pytest.raises(AssertionError, match="c_seen"), _untouched(f):
        f()


class _SameTypeOp(theano.Op):
    """A user Op of one input whose output has the input's type."""

    __props__ = ()

    def make_node(self, x):
        x = T.as_tensor_variable(x)
        return theano.Apply(self, [x], [x.type()])


class _Double(_SameTypeOp):
    """Doubles its input."""

    def perform(self, node, inputs, outputs):
        outputs[0][0] = inputs[0] * 2


class _Boom(_SameTypeOp):
    """A user Op whose perform raises `exc` (an exception class)."""

    __props__ = ("exc",)

    def __init__(self, exc):
        self.exc = exc

    def perform(self, node, inputs, outputs):
        raise self.exc("boom inside perform")

    def __str__(self):
        return f"Boom[{self.exc.__name__}]"


class _NoGradOp(_Double):
    """Doubles its input; its gradient is mathematically undefined (NullType)."""

    def grad(self, inputs, output_grads):
        return [theano.gradient.grad_undefined(self, 0, inputs[0], "no gradient here")]


class _NoGradMethodOp(_Double):
    """Doubles its input; defines no grad method at all."""


# ----------------------------------------------------------------------------- wrong inputs


def test_matrix_input_given_a_3d_array():
    x = T.dmatrix("xm")
    f = _stateful([x], x * 2, name="fm")
    _fails(f, [np.ones((2, 2, 2))], TypeError, '"xm"', '"fm"', "index 0",
           "expected 2, got 3")


def test_wrong_ndim_given_by_keyword():
    x, y = T.dvectors("xk", "yk")
    f = _stateful([x, y], x + y)
    _fails(f, [np.ones(2)], TypeError, '"yk"', "index 1", "expected 1, got 2",
           kwargs={"yk": np.ones((2, 2))})


@pytest.mark.parametrize("by", ["position", "keyword"])
def test_input_with_a_default_overridden_with_the_wrong_ndim(by):
    x = T.dvector("xd")
    scale = T.dscalar("scale")
    f = _stateful([x, theano.In(scale, value=1.0)], x * scale)
    args, kwargs = ([np.ones(2), np.ones(3)], None) if by == "position" else \
        ([np.ones(2)], {"scale": np.ones(3)})
    _fails(f, args, TypeError, '"scale"', "index 1", "expected 0, got 1", kwargs=kwargs)
    np.testing.assert_array_equal(f(np.ones(2)), np.ones(2))  # the default still works


def test_default_value_of_the_wrong_ndim_names_the_input():
    # Theano 1.0.5 failed here with an accidental ValueError ('truth value of an array').
    x = T.dvector("xd")
    scale = T.dscalar("scale")
    with _raises(TypeError, "scale", "expected 0, got 1"):
        theano.function([x, theano.In(scale, value=np.ones(3))], x * scale)


@pytest.mark.parametrize("value, declared, got", [
    (np.array([1.5, 2.0]), "int32", "float64"),
    (np.array([1, 2], dtype="int64"), "int32", "int64"),
])
@pytest.mark.parametrize("by", ["position", "keyword"])
def test_int_input_given_a_wider_dtype(value, declared, got, by):
    x = T.ivector("iv")
    f = _stateful([x], x + 1)
    args, kwargs = ([value], None) if by == "position" else ([], {"iv": value})
    _fails(f, args, TypeError, '"iv"', f"TensorType({declared}, vector)", f"dtype {got}",
           "allow_input_downcast=True", kwargs=kwargs)


def test_float_input_given_complex_values():
    x = T.dvector("dv")
    f = _stateful([x], x + 1)
    _fails(f, [np.array([1 + 1j])], TypeError, '"dv"', "complex128")


def test_float32_input_given_float64_by_keyword():
    x = T.fvector("fv")
    f = _stateful([x], x + 1)
    _fails(f, [], TypeError, '"fv"', "TensorType(float32, vector)", "float64",
           kwargs={"fv": np.ones(2)})


def test_strict_input_refuses_an_upcastable_dtype():
    x = T.dvector("sv")
    f = _stateful([theano.In(x, strict=True)], x + 1)
    _fails(f, [np.ones(2, dtype="float32")], TypeError, '"sv"', "float32")


def test_int_scalar_given_a_fractional_float():
    n = T.iscalar("n_int")
    f = _stateful([n], n + 1)
    _fails(f, [2.5], TypeError, '"n_int"', "2.5")


def test_row_given_two_rows():
    r = T.drow("rw")
    f = _stateful([r], r + 1)
    _fails(f, [np.ones((2, 3))], TypeError, '"rw"', "broadcastable", "(2, 3)")


def test_col_given_two_columns_by_keyword():
    c = T.dcol("cl")
    f = _stateful([c], c + 1)
    _fails(f, [], TypeError, '"cl"', "broadcastable", "(3, 2)", kwargs={"cl": np.ones((3, 2))})


def test_ragged_nested_list():
    m = T.dmatrix("rg")
    f = _stateful([m], m + 1)
    _fails(f, [[[1.0, 2.0], [3.0]]], ValueError, '"rg"', "inhomogeneous")


def test_none_for_an_input_is_a_value_error():
    x = T.dvector("nv")
    f = _stateful([x], x + 1)
    _fails(f, [None], ValueError, '"nv"')


# ----------------------------------------------------------------------------- input lists


def test_duplicate_input():
    x = T.dvector("dup")
    with _raises(UnusedInputError, "dup", "twice", "0 and 1"):
        theano.function([x, x], x + 1)


def test_constant_as_input():
    c = T.constant(1.0)
    with _raises(TypeError, "TensorConstant{1.0}", "constant"):
        theano.function([c], c + 1)


def test_shared_variable_as_explicit_input():
    w = theano.shared(np.ones(2), "wsh")
    with _raises(TypeError, "(wsh)", "givens", watch=[w]):
        theano.function([w], w + 1)


def test_non_variable_as_input():
    with _raises(TypeError, "int"):
        theano.function([3], T.constant(3) + 1)


def test_inputs_not_in_a_list():
    # Theano 1.0.5 raised a bare Exception; TypeError is a subclass, so `except Exception`
    # code still catches it.
    x = T.dvector("nl")
    with _raises(TypeError, "contained in a list", "nl"):
        theano.function(x, x + 1)


def test_intermediate_variable_as_input_cuts_the_graph():
    x = T.dvector("x0")
    y = x + 1
    f = theano.function([y], y * 2)
    np.testing.assert_array_equal(f(np.array([1.0, 3.0])), [2.0, 6.0])


def test_missing_input_used_only_by_an_update():
    x = T.dvector("x")
    hidden = T.dvector("hidden")
    w = theano.shared(np.ones(2), "w_upd")
    with _raises(MissingInputError, "hidden", "w_upd", watch=[w]):
        theano.function([x], x.sum(), updates=[(w, w + hidden)])  # <missing-in-update>


def test_missing_input_used_only_by_a_given():
    x, z = T.dvectors("x", "z")
    hidden = T.dvector("hidden_g")
    with _raises(MissingInputError, "hidden_g"):
        theano.function([x], x + z, givens={z: hidden * 2})


def test_unused_first_input_with_on_unused_input_raise():
    x = T.dvector("x")
    u = T.dvector("unused_u")
    with _raises(UnusedInputError, "index 0", "unused_u"):
        theano.function([u, x], x + 1, on_unused_input="raise")


def test_unknown_on_unused_input_value():
    x, u = T.dvectors("x", "u")
    with _raises(ValueError, "on_unused_input", "bogus"):
        theano.function([x, u], x + 1, on_unused_input="bogus")


# ----------------------------------------------------------------------------- calling


def test_too_many_positional_arguments():
    x = T.dvector("x")
    f = _stateful([x], x + 1, name="inc")
    _fails(f, [np.ones(2), np.ones(2), np.ones(2)], TypeError, "3", "inc")


def test_missing_second_argument():
    x = T.dvector("x")
    y = T.dvector("ysec")
    f = _stateful([x, y], x + y)
    _fails(f, [np.ones(2)], TypeError, "Missing required input", "ysec")


def test_argument_given_by_position_and_by_keyword():
    x = T.dvector("xpk")
    f = _stateful([x], x + 1)
    _fails(f, [np.ones(2)], TypeError, "xpk", kwargs={"xpk": np.ones(2)})


def test_error_in_a_keyword_call_names_the_node():
    v = T.dvector("v")
    m = T.dmatrix("m")
    prod = T.dot(T.exp(v), m)  # <kw-dot>
    f = _stateful([v, m], prod.sum())
    _fails(f, [], ValueError, "not aligned", line="<kw-dot>",
           kwargs={"v": np.ones(3), "m": np.ones((4, 2))})


def test_keyword_for_an_unnamed_input():
    x = T.dvector()
    f = _stateful([x], x + 1)
    _fails(f, [], TypeError, "Unknown input or state: foo", kwargs={"foo": np.ones(2)})


def test_keyword_matching_two_inputs_is_ambiguous():
    x = T.dvector("same")
    y = T.dvector("same")
    f = _stateful([x, y], x + y)
    _fails(f, [], TypeError, "Ambiguous", "same", kwargs={"same": np.ones(2)})


# ----------------------------------------------------------------------------- givens


@pytest.mark.parametrize("replacement", [T.fvector("rf"), T.dmatrix("rm")],
                         ids=["dtype", "ndim"])
def test_given_of_another_type(replacement):
    x = T.dvector("x")
    z = T.dvector("zg")
    with _raises(TypeError, "zg", replacement.name, str(replacement.type)):
        theano.function([x, replacement], x + z, givens={z: replacement})


def test_given_replacing_an_explicit_input():
    x = T.dvector("xin")
    with _raises(RuntimeError, "'xin'", "givens"):
        theano.function([x], x + 1, givens={x: T.ones(2)})


def test_given_key_that_is_not_a_variable():
    x = T.dvector("x")
    with _raises(TypeError, "'x'"):
        theano.function([x], x + 1, givens={"x": x})


def test_given_value_that_is_a_string():
    x = T.dvector("x")
    z = T.dvector("zs")
    with _raises(TypeError, "'abc'", "TensorType"):
        theano.function([x], x + z, givens={z: "abc"})


def test_given_replacing_a_shared_variable_by_another_type():
    w = theano.shared(np.ones(3), "wg")
    x = T.fvector("x32")
    with _raises(TypeError, "wg", "x32", "float32", watch=[w]):
        theano.function([x], w * 2, givens={w: x})


def test_givens_that_are_not_pairs():
    x = T.dvector("x")
    with _raises(ValueError, "givens"):
        theano.function([x], x + 1, givens=[x])


# ----------------------------------------------------------------------------- updates


def test_update_of_another_dtype():
    w = theano.shared(np.ones(3), "wd")
    x = T.fvector("x")
    with _raises(TypeError, "shared_var=wd", "float32", watch=[w]):
        theano.function([x], x.sum(), updates=[(w, x)])


def test_update_of_an_int_counter_by_a_float():
    c = theano.shared(0, "cnt")
    with _raises(TypeError, "shared_var=cnt", "int64", "float64", watch=[c]):
        theano.function([], c, updates=[(c, c + 0.5)])


def test_update_of_another_ndim():
    w = theano.shared(np.ones(3), "wn")
    with _raises(TypeError, "shared_var=wn", "TensorType(float64, scalar)", watch=[w]):
        theano.function([], w.sum(), updates=[(w, w.sum())])


def test_update_with_a_broadcastable_mismatch():
    w = theano.shared(np.ones((1, 3)), "wb", broadcastable=(True, False))
    m = T.dmatrix("m")
    with _raises(TypeError, "shared_var=wb", "row", "unbroadcast", watch=[w]):
        theano.function([m], m.sum(), updates=[(w, m)])


def test_update_of_a_non_shared_variable():
    x = T.dvector("xu")
    with _raises(TypeError, "xu", "shared"):
        theano.function([x], x.sum(), updates=[(x, x + 1)])


def test_two_updates_of_the_same_shared_variable():
    w = theano.shared(np.ones(3), "wdup")
    with _raises(ValueError, "already has an update", "wdup", watch=[w]):
        theano.function([], w.sum(), updates=[(w, w + 1), (w, w * 2)])


def test_update_that_is_not_a_pair():
    w = theano.shared(np.ones(3), "wp")
    with _raises(ValueError, "wp", watch=[w]):
        theano.function([], w.sum(), updates=[(w, w + 1, w)])


def test_update_by_a_constant_that_needs_a_downcast():
    w = theano.shared(np.ones(3, dtype="float32"), "w32")
    with _raises(TypeError, "shared_var=w32", "float32", watch=[w]):
        theano.function([], w.sum(), updates=[(w, np.zeros(3))])


def test_update_by_a_string():
    w = theano.shared(np.ones(3), "wstr")
    with _raises(ValueError, "wstr", "abc", watch=[w]):
        theano.function([], w.sum(), updates=[(w, "abc")])


def test_input_update_of_another_type():
    acc = T.dscalar("acc")
    with _raises(TypeError, "'acc'", "float64", "float32"):
        theano.In(acc, value=0.0, update=T.cast(acc + 1, "float32"))


@pytest.mark.parametrize("initial, value, exc, needles", [
    (np.arange(3.0), np.ones((2, 2)), TypeError, ["expected 1, got 2"]),
    (np.arange(3), np.ones(3) * 0.5, TypeError, ["int64", "float64"]),
    (np.arange(3.0), "abc", ValueError, ["could not convert"]),
], ids=["ndim", "int-from-float", "string"])
def test_set_value_of_the_wrong_kind(initial, value, exc, needles):
    w = theano.shared(initial, "wsv")
    with _raises(exc, '"wsv"', *needles, watch=[w]):
        w.set_value(value)


# ----------------------------------------------------------------------------- flags in-process


def test_change_flags_with_an_invalid_float_x():
    before = theano.config.floatX
    with _raises(ValueError, '"floatX"', "int32", "float64"), \
            theano.change_flags(floatX="int32"):
        pass
    assert theano.config.floatX == before


@pytest.mark.parametrize("flag, value", [("floatX", "float128"),
                                         ("exception_verbosity", "medium")])
def test_setting_a_flag_to_an_invalid_value(flag, value):
    before = getattr(theano.config, flag)
    with _raises(ValueError, f'"{flag}"', value):
        setattr(theano.config, flag, value)
    assert getattr(theano.config, flag) == before


# ----------------------------------------------------------------------------- flags, .theanorc

# Each case starts a fresh interpreter (flags are read at import).  They all run at once
# (the fixture below starts them together) to keep this file fast.
_SNIPPET = "import theano; print('floatX', theano.config.floatX)"

_CONFIG_CASES = {
    # name: (THEANO_FLAGS or None, {file name: text} for the THEANORC list or None,
    #        text of $HOME/.theanorc or None)
    "flags-floatX-int32": ("floatX=int32", None, None),
    "flags-device": ("device=tpu", None, None),
    "flags-optimizer": ("optimizer=bogus", None, None),
    "flags-verbosity": ("exception_verbosity=medium", None, None),
    "flags-bool": ("allow_gc=maybe", None, None),
    "flags-int": ("traceback.limit=abc", None, None),
    "flags-unknown": ("nonexistent_flag_xyz=1", None, None),
    "flags-no-value": ("floatX", None, None),
    "flags-unclosed-quote": ('floatX=float32,"unclosed', None, None),
    "rc-no-section": (None, {"a.rc": "floatX = float32\n"}, None),
    "rc-bad-floatX": (None, {"a.rc": "[global]\nfloatX = int32\n"}, None),
    "rc-no-equals": (None, {"a.rc": "[global]\nfloatX\n"}, None),
    "rc-duplicate": (None, {"a.rc": "[global]\nfloatX = float32\nfloatX = float64\n"}, None),
    "rc-garbage": (None, {"a.rc": "\x00\x01\x02garbage"}, None),
    "rc-bad-device": (None, {"a.rc": "[global]\ndevice = tpu\n"}, None),
    "rc-unknown-key": (None, {"a.rc": "[global]\nnot_a_flag = 3\n"}, None),
    "rc-second-file": (None, {"good.rc": "[global]\nfloatX = float32\n",
                              "bad.rc": "[global]\nfloatX = int8\n"}, None),
    "home-theanorc": (None, None, "[global]\ncast_policy = bogus\n"),
}


@pytest.fixture(scope="module")
def config_runs(tmp_path_factory):
    """name -> (returncode, stdout, stderr, the THEANORC paths) for every _CONFIG_CASES."""
    procs = {}
    for name, (flags, rc_files, home_rc) in _CONFIG_CASES.items():
        home = tmp_path_factory.mktemp(name)
        env = {k: v for k, v in os.environ.items() if k not in ("THEANO_FLAGS", "THEANORC")}
        env["HOME"] = str(home)
        if flags is not None:
            env["THEANO_FLAGS"] = flags
        paths = []
        for fname, text in (rc_files or {}).items():
            path = home / fname
            path.write_text(text)
            paths.append(str(path))
        if paths:
            env["THEANORC"] = os.pathsep.join(paths)
        if home_rc is not None:
            (home / ".theanorc").write_text(home_rc)
            paths.append(str(home / ".theanorc"))
        proc = subprocess.Popen([sys.executable, "-c", _SNIPPET], env=env, cwd=home,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        procs[name] = (proc, paths)
    results = {}
    for name, (proc, paths) in procs.items():
        out, err = proc.communicate(timeout=120)
        results[name] = (proc.returncode, out, err, paths)
    return results


def _last_line(err):
    lines = [ln for ln in err.splitlines() if ln.strip()]
    return lines[-1] if lines else ""


@pytest.mark.parametrize("name, flag, value", [
    ("flags-floatX-int32", "floatX", "int32"),
    ("flags-device", "device", "tpu"),
    ("flags-optimizer", "optimizer", "bogus"),
    ("flags-verbosity", "exception_verbosity", "medium"),
    ("flags-bool", "allow_gc", "maybe"),
    ("flags-int", "traceback.limit", "abc"),
])
def test_theano_flags_with_an_invalid_value(config_runs, name, flag, value):
    rc, _out, err, _ = config_runs[name]
    last = _last_line(err)
    assert rc != 0 and last.startswith("ValueError:"), err
    assert f'"{flag}"' in last and value in last and "THEANO_FLAGS" in last, last


def test_theano_flags_unknown_flag_warns_and_is_ignored(config_runs):
    rc, out, err, _ = config_runs["flags-unknown"]
    assert rc == 0 and out.strip() == "floatX float64", err
    assert "UserWarning" in err and "nonexistent_flag_xyz" in err


def test_theano_flags_key_without_value_warns_and_is_ignored(config_runs):
    rc, out, err, _ = config_runs["flags-no-value"]
    assert rc == 0 and out.strip() == "floatX float64", err
    assert "Config key 'floatX' has no value, ignoring it" in err


def test_theano_flags_with_an_unclosed_quote_is_a_value_error(config_runs):
    rc, _out, err, _ = config_runs["flags-unclosed-quote"]
    assert rc != 0 and _last_line(err).startswith("ValueError: No closing quotation"), err


def test_theano_flags_with_an_unclosed_quote_names_the_variable(config_runs):
    _rc, _out, err, _ = config_runs["flags-unclosed-quote"]
    assert "THEANO_FLAGS" in _last_line(err), err


@pytest.mark.parametrize("name, exc_name, needles", [
    ("rc-no-section", "MissingSectionHeaderError", ["no section headers"]),
    ("rc-garbage", "MissingSectionHeaderError", ["no section headers"]),
    ("rc-no-equals", "ParsingError", ["[line  2]"]),
    ("rc-duplicate", "DuplicateOptionError", ["'floatx'", "[line  3]"]),
])
def test_malformed_theanorc_names_the_file(config_runs, name, exc_name, needles):
    rc, _out, err, paths = config_runs[name]
    assert rc != 0, err
    assert f"configparser.{exc_name}" in err
    assert issubclass(getattr(configparser, exc_name), configparser.Error)
    assert paths[0] in err
    for needle in needles:
        assert needle in err


@pytest.mark.parametrize("name, flag, value, file_index", [
    ("rc-bad-floatX", "floatX", "int32", 0),
    ("rc-bad-device", "device", "tpu", 0),
    ("rc-second-file", "floatX", "int8", 1),
    ("home-theanorc", "cast_policy", "bogus", 0),
])
def test_theanorc_with_an_invalid_value_names_flag_and_file(config_runs, name, flag, value,
                                                            file_index):
    rc, _out, err, paths = config_runs[name]
    last = _last_line(err)
    assert rc != 0 and last.startswith("ValueError:"), err
    assert f'"{flag}"' in last and value in last and paths[file_index] in last, last


def test_theanorc_unknown_key_warns_naming_key_and_file(config_runs):
    rc, out, err, paths = config_runs["rc-unknown-key"]
    assert rc == 0 and out.strip() == "floatX float64", err
    assert "not_a_flag" in err and paths[0] in err


# ----------------------------------------------------------------------------- huge allocations


@pytest.mark.parametrize("build, marker", [
    (lambda n: T.alloc(0.0, n, n), "<alloc-huge>"),  # <alloc-huge>
    (lambda n: T.zeros((n, n)) + 1, "<zeros-huge>"),  # <zeros-huge>
    (lambda n: T.eye(n), "<eye-huge>"),  # <eye-huge>
    (lambda n: T.alloc(T.cast(n, "float64"), n, n) * 2, "<alloc-x-huge>"),  # <alloc-x-huge>
], ids=["alloc", "zeros-plus-one", "eye", "alloc-times-two"])
def test_huge_allocation_names_the_node_and_changes_nothing(build, marker):
    # 10**14 elements: NumPy refuses at once (MemoryError) without touching memory.
    n = T.lscalar("n")
    f = _stateful([n], build(n))
    _fails(f, [10 ** 7], MemoryError, "while computing", "(10000000, 10000000)", line=marker)
    assert f(3).shape == (3, 3)  # the same function still works afterwards


def test_huge_arange():
    n = T.lscalar("n")
    f = _stateful([n], T.arange(n).sum())  # <arange-huge>
    _fails(f, [10 ** 13], MemoryError, "ARange", line="<arange-huge>")


def test_huge_constant_shaped_zeros_fail_at_call_time_not_compile_time():
    with theano.change_flags(on_opt_error="raise"):
        f = _stateful([], T.zeros((10 ** 7, 10 ** 6)), mode="FAST_RUN")
    _fails(f, [], MemoryError, "Alloc")


@pytest.mark.parametrize("build", [
    lambda x, n: T.alloc(x[0], n),
    lambda x, n: T.extra_ops.repeat(x, n),
], ids=["alloc", "repeat"])
def test_negative_length(build):
    # Theano 1.0.5's C code said MemoryError ('alloc failed'); NumPy says ValueError.
    # (alloc of a scalar: Theano's local_useless_alloc removes alloc(vector, n), assuming
    # n equals the vector's length, so that graph computes x for any n, here as there.)
    x = T.dvector("x")
    n = T.lscalar("n")
    f = _stateful([x, n], build(x, n))
    _fails(f, [np.ones(3), -3], (MemoryError, ValueError), "negative", "while computing")


# ----------------------------------------------------------------------------- user Op faults


def test_exception_in_a_user_op_mid_graph_writes_no_update():
    x = T.dvector("x")
    w = theano.shared(np.ones(3), "w_op")
    mid = _Boom(RuntimeError)(x * w)  # <boom-applied>
    f = _stateful([x], (mid + 1).sum(), updates=[(w, w * 2)])
    # The note names the Op and where its node was built: the line applying the Op, not
    # the Op's own make_node (which is outside the library too).
    err = _fails(f, [np.ones(3)], RuntimeError, "boom inside perform", "Boom[RuntimeError]",
                 line="<boom-applied>")
    assert "make_node" not in _text(err)


def test_keyboard_interrupt_in_a_user_op_propagates_and_writes_no_update():
    x = T.dvector("x")
    w = theano.shared(np.ones(3), "w_kb")
    mid = _Boom(KeyboardInterrupt)(x * w)
    f = _stateful([x], (mid + 1).sum(), updates=[(w, w * 2)])
    _fails(f, [np.ones(3)], KeyboardInterrupt, "boom inside perform")


def test_exception_in_an_as_op_function():
    @theano.compile.ops.as_op(itypes=[T.dvector], otypes=[T.dvector])
    def broken(a):
        raise ZeroDivisionError("from as_op")

    x = T.dvector("x")
    f = _stateful([x], broken(x) * 2)  # <as-op>
    _fails(f, [np.ones(2)], ZeroDivisionError, "from as_op", "broken", line="<as-op>")


# ----------------------------------------------------------------------------- scan


def test_exception_in_a_scan_step_writes_no_update():
    x = T.dvector("x")
    s = theano.shared(np.float64(0), "acc_sc")

    def step(v):
        return _Boom(ValueError)(v * 2), {s: s + v}

    out, upd = theano.scan(step, sequences=[x])  # <scan-boom>
    f = _stateful([x], out.sum(), updates=list(upd.items()))
    assert s in f.get_shared()
    _fails(f, [np.ones(3)], ValueError, "boom inside perform", "step 0 of for{cpu,scan_fn}",
           line="<scan-boom>")


def test_exception_in_a_scan_step_names_the_inner_node():
    x = T.dvector("x")
    out, _ = theano.scan(lambda v: _Boom(ValueError)(v * 2) + 1, sequences=[x])
    f = _stateful([x], out.sum())
    _fails(f, [np.ones(3)], ValueError, "Boom[ValueError]", "step 0")


def test_keyboard_interrupt_in_a_scan_step():
    x = T.dvector("x")
    s = theano.shared(np.float64(0), "acc_kb")
    out, upd = theano.scan(lambda v: (_Boom(KeyboardInterrupt)(v), {s: s + v}), sequences=[x])
    f = _stateful([x], out.sum(), updates=list(upd.items()))
    _fails(f, [np.ones(3)], KeyboardInterrupt, "boom inside perform")


def test_shape_error_in_a_scan_step():
    m = T.dmatrix("m")
    W = T.dmatrix("W")
    out, _ = theano.scan(lambda v, W: T.dot(W, v), sequences=[m], non_sequences=[W])  # <scan-dot>
    f = _stateful([m, W], out.sum())
    _fails(f, [np.ones((3, 4)), np.ones((2, 5))], ValueError, "(2,5)", "(4,)",
           line="<scan-dot>")


def test_scan_step_result_of_another_ndim_than_its_initial_state():
    x = T.dvector("x")
    with _raises(ValueError, "outputs_info", "dimension"):
        theano.scan(lambda v, acc: v, sequences=[x], outputs_info=[T.zeros(2)])


def test_scan_step_result_of_another_dtype_than_its_initial_state():
    x = T.dvector("x")
    with _raises(ValueError, "float32", "float64", "upcast"):
        theano.scan(lambda v, acc: acc + v, sequences=[x],
                    outputs_info=[T.constant(np.float32(0))])


def test_scan_step_returning_a_string():
    x = T.dvector("x")
    with _raises(ValueError, "return value of your scan lambda"):
        theano.scan(lambda v: "abc", sequences=[x])


def test_scan_with_more_initial_states_than_the_step_takes():
    x = T.dvector("x")
    with _raises(TypeError, "takes 2 positional arguments but 3 were given"):
        theano.scan(lambda v, a: a + v, sequences=[x],
                    outputs_info=[T.constant(0.0), T.constant(0.0)])


# ----------------------------------------------------------------------------- ifelse


def test_exception_in_the_taken_ifelse_branch_only():
    c = T.lscalar("c")
    x = T.dvector("x")
    w = theano.shared(np.ones(2), "w_if")
    f = _stateful([c, x], ifelse(c, _Boom(ValueError)(x), x * 2), updates=[(w, w + 1)])
    np.testing.assert_array_equal(f(0, np.ones(2)), [2.0, 2.0])  # lazy: the branch is skipped
    _fails(f, [1, np.ones(2)], ValueError, "boom inside perform", "Boom[ValueError]")


def test_keyboard_interrupt_in_an_ifelse_branch():
    c = T.lscalar("c")
    x = T.dvector("x")
    f = _stateful([c, x], ifelse(c, _Boom(KeyboardInterrupt)(x), x))
    _fails(f, [1, np.ones(2)], KeyboardInterrupt, "boom inside perform")


def test_shape_error_in_an_ifelse_branch():
    c = T.lscalar("c")
    x, y = T.dvectors("x", "y")
    both = x + y  # <ifelse-add>
    f = _stateful([c, x, y], ifelse(c, both, x))
    _fails(f, [1, np.ones(2), np.ones(3)], ValueError, "(2,)", "(3,)", line="<ifelse-add>")


def test_ifelse_branches_of_different_types():
    c = T.lscalar("c")
    x = T.dvector("xv")
    y = T.dmatrix("ym")
    with _raises(TypeError, "identical types", "TensorType(float64, vector)",
                 "TensorType(float64, matrix)"):
        ifelse(c, x, y)


def test_ifelse_condition_that_is_not_a_scalar():
    c = T.dvector("cv")
    a = T.dscalar("a")
    with _raises(TypeError, "scalar", "cv"):
        ifelse(c, a, a * 2)


def test_ifelse_branches_of_different_lengths():
    c = T.lscalar("c")
    a = T.dscalar("a")
    with _raises(ValueError, "`then` 2", "`else` 1"):
        ifelse(c, [a, a], [a])


# ----------------------------------------------------------------------------- pickles


def _pickled_function():
    w = theano.shared(np.arange(100.0), "w_pk")
    x = T.dvector("x")
    f = theano.function([x], x + w, updates=[(w, w + 1)])
    return f, w, pickle.dumps(f, protocol=pickle.HIGHEST_PROTOCOL)


def test_truncated_pickle_of_a_compiled_function():
    _f, w, data = _pickled_function()
    cuts = sorted({1, 2, 10, len(data) // 3, len(data) // 2, len(data) - 10, len(data) - 1})
    for cut in cuts:
        with _raises((pickle.UnpicklingError, EOFError), watch=[w]) as info:
            pickle.loads(data[:cut])
        assert str(info.value) in ("pickle data was truncated", "Ran out of input"), cut
    with _raises(EOFError, "Ran out of input", watch=[w]):
        pickle.loads(b"")
    g = pickle.loads(data)  # the full pickle still loads and runs
    np.testing.assert_array_equal(g(np.zeros(100)), np.arange(100.0))
    np.testing.assert_array_equal(w.get_value(), np.arange(100.0))  # g has its own copy


def test_corrupt_pickle_of_a_compiled_function():
    _f, w, data = _pickled_function()
    with _raises(pickle.UnpicklingError, "invalid load key", watch=[w]):
        pickle.loads(b"\x00" + data[1:])


def test_truncated_pickle_of_a_shared_variable():
    w = theano.shared(np.arange(100.0), "w_pk2")
    data = pickle.dumps(w, protocol=2)
    with _raises(pickle.UnpicklingError, "pickle data was truncated", watch=[w]):
        pickle.loads(data[:-10])


def test_truncated_pkl_utils_zip():
    w = theano.shared(np.arange(10.0), "w_zip")
    buf = io.BytesIO()
    pkl_utils.dump(w, buf)
    data = buf.getvalue()
    with _raises(zipfile.BadZipFile, "not a zip file", watch=[w]):
        pkl_utils.load(io.BytesIO(data[: len(data) // 2]))


# ----------------------------------------------------------------------------- gradients


def test_grad_of_a_non_scalar_cost():
    x = T.dvector("x")
    cost = x * 2
    cost.name = "loss_vec"
    with _raises(TypeError, "cost must be a scalar", "loss_vec"):
        T.grad(cost, x)


@pytest.mark.parametrize("other", [T.dvector("ydis"), theano.shared(np.ones(2), "w_dis")],
                         ids=["variable", "shared"])
def test_grad_wrt_a_disconnected_input_with_raise(other):
    x = T.dvector("x")
    watch = [other] if hasattr(other, "get_value") else []
    with _raises(DisconnectedInputError, other.name, watch=watch):
        T.grad((x * 2).sum(), [x, other], disconnected_inputs="raise")
    assert issubclass(DisconnectedInputError, ValueError)


@pytest.mark.parametrize("wrt, shown", [(3, "3"), ("x", "x")], ids=["int", "str-in-list"])
def test_grad_wrt_a_non_variable(wrt, shown):
    x = T.dvector("x")
    with _raises(TypeError, "Expected Variable", shown, type(wrt).__name__):
        T.grad((x * 2).sum(), wrt if isinstance(wrt, int) else [x, wrt])


def test_grad_with_an_unknown_disconnected_inputs_value():
    x, y = T.dvectors("x", "y")
    with _raises(ValueError, "disconnected_inputs"):
        T.grad((x * 2).sum(), [x, y], disconnected_inputs="bogus")


def test_grad_through_an_op_with_an_undefined_gradient():
    x = T.dvector("x")
    with _raises(NullTypeGradError, "_NoGradOp", "input 0 (x)", "no gradient here"):
        T.grad(_NoGradOp()(x).sum(), x)


def test_grad_through_an_op_without_grad_method():
    # Theano 1.0.5: AttributeError (the Op has no `grad`).
    x = T.dvector("x")
    with _raises(AttributeError, "_NoGradMethodOp", "no gradient"):
        T.grad(_NoGradMethodOp()(x).sum(), x)


def test_grad_of_none():
    x = T.dvector("x")
    with _raises(AssertionError, "cost and known_grads"):
        T.grad(None, x)


def test_jacobian_of_a_matrix():
    x = T.dvector("x")
    with _raises(AssertionError, "jacobian", "1 dimensional"):
        T.jacobian(T.outer(x, x), x)


def test_hessian_of_a_vector():
    x = T.dvector("x")
    with _raises(AssertionError, "hessian", "0 dimensional"):
        T.hessian(x * 2, x)


# ----------------------------------------------------------------------------- runtime shapes


def test_reshape_to_a_symbolic_shape_of_the_wrong_size():
    x = T.dvector("x")
    s = T.lscalar("s")
    f = _stateful([x, s], x.reshape((s, 3)))  # <reshape-sym>
    _fails(f, [np.ones(10), 2], ValueError, "size 10", "(2,3)", line="<reshape-sym>")


def test_reshape_to_a_constant_shape_of_the_wrong_size():
    x = T.dvector("x")
    f = _stateful([x], x.reshape((4, 3)))  # <reshape-const>
    _fails(f, [np.ones(10)], ValueError, "size 10", "(4,3)", line="<reshape-const>")


def test_reshape_by_a_vector_of_unknown_length():
    x = T.dvector("x")
    s = T.lvector("shape_vec")
    with _raises(ValueError, "shape_vec"):
        x.reshape(s)


def test_concatenate_of_mismatched_matrices():
    a, b = T.dmatrices("a", "b")
    f = _stateful([a, b], T.concatenate([a, b], axis=0))  # <concat>
    _fails(f, [np.ones((2, 3)), np.ones((2, 4))], ValueError, "Join", "(2, 3)", "(2, 4)",
           line="<concat>")


def test_stack_of_mismatched_vectors():
    a, b = T.dvectors("a", "b")
    f = _stateful([a, b], T.stack([a, b]))  # <stack>
    _fails(f, [np.ones(2), np.ones(3)], ValueError, "size 2", "size 3", line="<stack>")


def test_concatenate_along_a_missing_axis():
    a, b = T.dmatrices("a", "b")
    with _raises(ValueError, "axis", "3"):
        T.concatenate([a, b], axis=3)


@pytest.mark.parametrize("order", ["vector-matrix", "matrix-vector"])
def test_dot_with_a_vector_of_the_wrong_length(order):
    v = T.dvector("v")
    m = T.dmatrix("m")
    if order == "vector-matrix":
        f = _stateful([v, m], T.dot(v, m))  # <dot-vm>
        args, marker = [np.ones(3), np.ones((4, 2))], "<dot-vm>"
    else:
        f = _stateful([m, v], T.dot(m, v))  # <dot-mv>
        args, marker = [np.ones((2, 3)), np.ones(4)], "<dot-mv>"
    _fails(f, args, ValueError, "not aligned", line=marker)


def test_tensordot_with_mismatched_axes():
    a, b = T.dmatrices("a", "b")
    f = _stateful([a, b], T.tensordot(a, b, axes=[[1], [1]]))  # <tensordot>
    _fails(f, [np.ones((2, 3)), np.ones((2, 4))], ValueError, line="<tensordot>")


def test_batched_dot_with_different_batch_sizes():
    # ValueError as Theano 1.0.5's C code (its Python fallback, without a compiler, said
    # TypeError).
    a, b = T.tensor3s("a", "b")
    f = _stateful([a, b], T.batched_dot(a, b))  # <batched-dot>
    _fails(f, [np.ones((2, 3, 4)), np.ones((3, 4, 5))], ValueError, line="<batched-dot>")


def test_index_out_of_bounds():
    x = T.dvector("x")
    i = T.lscalar("i")
    f = _stateful([x, i], x[i])  # <index>
    _fails(f, [np.ones(3), 5], IndexError, "5", line="<index>")


def test_advanced_index_out_of_bounds():
    x = T.dvector("x")
    i = T.lvector("i")
    f = _stateful([x, i], x[i])  # <adv-index>
    _fails(f, [np.ones(3), np.array([0, 7])], IndexError, "index 7", line="<adv-index>")


def test_set_subtensor_of_the_wrong_length():
    x, y = T.dvectors("x", "y")
    f = _stateful([x, y], T.set_subtensor(x[:2], y))  # <set-sub>
    _fails(f, [np.ones(5), np.ones(3)], ValueError, "(3,)", "(2,)", line="<set-sub>")


def test_row_that_does_not_broadcast_against_a_matrix():
    a = T.dmatrix("a")
    r = T.drow("r")
    f = _stateful([a, r], a + r)  # <row-add>
    _fails(f, [np.ones((2, 4)), np.ones((1, 3))], ValueError, "(2, 4)", "(1, 3)",
           line="<row-add>")


def test_specify_shape_violated():
    x = T.dvector("x")
    f = _stateful([x], T.specify_shape(x, (3,)) * 2)  # <specify>
    _fails(f, [np.ones(4)], AssertionError, "SpecifyShape", "(4,)", line="<specify>")


def test_addbroadcast_of_a_dimension_longer_than_one():
    x = T.dmatrix("x")
    f = _stateful([x], T.addbroadcast(x, 0) * 2)  # <addbcast>
    _fails(f, [np.ones((3, 2))], ValueError, "Rebroadcast", "3", line="<addbcast>")


def test_split_sizes_that_do_not_add_up():
    x = T.dvector("x")
    s = T.lvector("s")
    f = _stateful([x, s], T.split(x, s, 2))
    _fails(f, [np.ones(5), np.array([1, 2])], ValueError, "Split", "5")


def test_inverse_of_a_singular_matrix():
    x = T.dmatrix("x")
    f = _stateful([x], T.nlinalg.matrix_inverse(x))  # <inv>
    _fails(f, [np.zeros((2, 2))], np.linalg.LinAlgError, "Singular", "MatrixInverse",
           line="<inv>")


def test_cholesky_of_a_matrix_that_is_not_positive_definite():
    x = T.dmatrix("x")
    f = _stateful([x], T.slinalg.cholesky(x))  # <chol>
    # SciPy's own message (SciPy 1.18 no longer says "positive definite"), kept as it is.
    with pytest.raises(np.linalg.LinAlgError) as scipy_error:
        scipy.linalg.cholesky(-np.eye(2), lower=True)
    _fails(f, [-np.eye(2)], np.linalg.LinAlgError, str(scipy_error.value), "Cholesky",
           line="<chol>")


# ----------------------------------------------------------------------------- issue 14 follow-ups


def test_intermediate_input_cut_leaves_the_rest_of_the_graph_needing_its_inputs():
    # Theano 1.0.5 (theano-ref): function([y], y + x) with y = x * 2 raised
    # MissingInputError (x is still needed by the addition); function([y, x], y + x) gave
    # y + x with y taken as given: [1, 2], [10, 20] -> [11, 22].
    x = T.dvector("x_cut")
    y = x * 2
    with _raises(MissingInputError, "x_cut"):
        theano.function([y], y + x)
    f = theano.function([y, x], y + x)
    np.testing.assert_array_equal(f(np.array([1.0, 2.0]), np.array([10.0, 20.0])), [11.0, 22.0])


def test_a_string_among_the_outputs():
    x = T.dvector("x")
    with _raises(TypeError, "Outputs must be theano Variable", "'abc'"):
        theano.function([x], [x + 1, "abc"])


# Theano 1.0.5's messages for a keyword naming no input (theano-ref, f(foo=1)).
@pytest.mark.parametrize("names, message", [
    ([None], ("The function has a single input variable which has no name, and thus cannot "
              "be assigned through a keyword argument (use 'name=...' in a Variable's "
              "constructor to give it a name).")),
    ([None, None], ("The function has 2 inputs, but none of them is named, and thus they "
                    "cannot be assigned through keyword arguments")),
    (["x"], "The function has 1 named input (x)."),
    (["x", "y"], "The function has 2 named inputs (x, y)."),
    (["x", None], ("The function has 1 named input (x), and 1 unnamed input which thus "
                   "cannot be accessed through keyword argument")),
    (["x", "y", None, None], ("The function has 2 named inputs (x, y), and 2 unnamed inputs "
                              "which thus cannot be accessed through keyword arguments")),
], ids=["one-unnamed", "two-unnamed", "one-named", "two-named", "mixed", "mixed-2-2"])
def test_unknown_keyword_message_counts_named_and_unnamed_inputs(names, message):
    xs = [T.dvector(n) for n in names]
    f = _stateful(xs, sum(xs[1:], xs[0]))
    _fails(f, [], TypeError, "Unknown input or state: foo. " + message,
           kwargs={"foo": np.ones(2)})


def test_concatenate_along_a_negative_missing_axis():
    a, b = T.dmatrices("a", "b")
    # Theano 1.0.5 (theano-ref): IndexError "Join axis -3 out of bounds [0, 2)"
    with _raises(IndexError, "axis", "-3"):
        T.concatenate([a, b], axis=-3)
    assert T.concatenate([a, b], axis=-1).type == a.type


def test_split_by_a_symbolic_size_vector():
    # Theano 1.0.5 (theano-ref): f([0, 1, 2, 3, 4], [2, 3]) -> [0, 1], [2, 3, 4].
    x = T.dvector("x")
    s = T.lvector("s")
    f = theano.function([x, s], T.split(x, s, 2))
    first, second = f(np.arange(5.0), np.array([2, 3]))
    np.testing.assert_array_equal(first, [0.0, 1.0])
    np.testing.assert_array_equal(second, [2.0, 3.0, 4.0])


@pytest.mark.parametrize("build", [lambda: T.eye(10 ** 7) + 1, lambda: T.arange(10 ** 13) * 2],
                         ids=["eye", "arange"])
def test_huge_constant_node_compiles_and_fails_when_called(build):
    # Constant folding must not build the 10**14-element constant at compile time.
    with theano.change_flags(on_opt_error="raise"):
        f = _stateful([], build(), mode="FAST_RUN")
    _fails(f, [], MemoryError)


def test_scan_random_update_stand_in_passes_debug_mode():
    # A draw advanced inside a step function, compiled without scan's updates: the
    # ScanUpdateNotGiven node passes the state through and must declare that view.
    m = MRG_RandomStreams(2)
    r, _ = theano.scan(lambda h: h + m.uniform(size=(2,)), outputs_info=T.zeros(2), n_steps=2)
    with pytest.warns(UserWarning, match="advanced by one draw made outside the loop"):
        f = theano.function([], r, mode="DebugMode")
    out = f()
    assert out.shape == (2, 2) and np.all((out[1] > out[0]) & (out[0] > 0) & (out[0] < 1))


class _Float32Double(_SameTypeOp):
    """Declares a float64 output but stores a float32 array (a user's bug)."""

    def perform(self, node, inputs, outputs):
        outputs[0][0] = (inputs[0] * 2).astype("float32")


class _DoubleWithBadGrad(_Double):
    """Doubles its input; its gradient is computed by _Float32Double."""

    def grad(self, inputs, output_grads):
        return [_Float32Double()(output_grads[0])]


def test_user_op_with_a_wrong_output_dtype_inside_a_jacobian_loop():
    # The jacobian's row loop (a Scan) runs the user Op in its compiled step; its output is
    # checked as in any compiled function (Theano 1.0.5: TypeError).
    x = T.dvector("x")
    f = _stateful([x], theano.gradient.jacobian(_DoubleWithBadGrad()(x), x))
    _fails(f, [np.ones(3)], TypeError, "_Float32Double.perform()", "float32", "float64")


# Python numbers (and NumPy scalars) for scalar inputs: Theano 1.0.5's accept/refuse rules,
# which the input check's fast path for Python numbers must keep.  Recorded with theano-ref
# (floatX=float64), one row per case, for allow_input_downcast None / False / True:
#     for dt, expr in CASES:
#         row = []
#         for allow in (None, False, True):
#             f = theano.function([x := T.scalar(dtype=dt)], x, allow_input_downcast=allow)
#             try: row.append(repr(f(eval(expr)).item()))
#             except Exception as e: row.append(type(e).__name__)
_SCALAR_CASTS = [
    ("int8", "100", "100", "100", "100"),
    ("int8", "300", "TypeError", "TypeError", "44"),
    ("int8", "-129", "TypeError", "TypeError", "127"),
    ("int8", "2**63", "OverflowError", "OverflowError", "OverflowError"),
    ("int16", "np.int64(70000)", "TypeError", "TypeError", "4464"),
    ("int32", "True", "1", "1", "1"),
    ("int32", "2**64", "OverflowError", "OverflowError", "OverflowError"),
    ("int64", "3.0", "3", "3", "3"),
    ("int64", "3.5", "TypeError", "TypeError", "3"),
    ("int64", "np.int32(5)", "5", "5", "5"),
    ("int64", "2**63 - 1", "9223372036854775807", "9223372036854775807", "9223372036854775807"),
    ("int64", "2**63", "OverflowError", "OverflowError", "OverflowError"),
    ("int64", "-2**63 - 1", "OverflowError", "OverflowError", "OverflowError"),
    ("uint8", "-1", "TypeError", "TypeError", "255"),
    ("uint8", "2**70", "OverflowError", "OverflowError", "OverflowError"),
    ("uint64", "2**63", "9223372036854775808", "9223372036854775808", "9223372036854775808"),
    ("uint64", "-1", "TypeError", "TypeError", "18446744073709551615"),
    ("uint64", "2**64", "OverflowError", "OverflowError", "OverflowError"),
    ("float64", "7", "7.0", "7.0", "7.0"),
    ("float64", "2**53 + 1", "9007199254740992.0", "9007199254740992.0", "9007199254740992.0"),
    ("float64", "2**70", "1.1805916207174113e+21", "1.1805916207174113e+21",
     "1.1805916207174113e+21"),
    ("float32", "16777216", "16777216.0", "16777216.0", "16777216.0"),
    ("float32", "2**24 + 1", "TypeError", "TypeError", "16777216.0"),
    ("float32", "2**70", "1.1805916207174113e+21", "1.1805916207174113e+21",
     "1.1805916207174113e+21"),
    ("float32", "0.5", "0.5", "0.5", "0.5"),
    ("float32", "0.1", "TypeError", "TypeError", "0.10000000149011612"),
    ("float32", "np.float64(0.1)", "TypeError", "TypeError", "0.10000000149011612"),
    ("float32", "1e300", "TypeError", "TypeError", "inf"),
    ("float32", "float('nan')", "nan", "nan", "nan"),
    ("float32", "float('inf')", "inf", "inf", "inf"),
    ("bool", "1", "True", "True", "True"),
    ("bool", "2", "TypeError", "TypeError", "True"),
    ("complex128", "3", "(3+0j)", "(3+0j)", "(3+0j)"),
]


@pytest.mark.parametrize("dtype, expr, with_none, with_false, with_true", _SCALAR_CASTS,
                         ids=[f"{c[0]}-{c[1]}" for c in _SCALAR_CASTS])
def test_python_number_for_a_scalar_input(dtype, expr, with_none, with_false, with_true):
    value = eval(expr)  # the expressions of the table above
    errors = {"TypeError": TypeError, "OverflowError": OverflowError}
    for allow, want in zip((None, False, True), (with_none, with_false, with_true)):
        with theano.change_flags(floatX="float64"):
            x = T.scalar("sc", dtype=dtype)
            f = theano.function([x], x, allow_input_downcast=allow)
        for call in (f, lambda v, f=f: f(sc=v)):  # the generated call and the general path
            if want in errors:
                with pytest.raises(errors[want], match='"sc"'):
                    call(value)
            else:
                out = call(value)
                assert type(out) is np.ndarray and out.dtype == dtype and out.ndim == 0
                assert repr(out.item()) == want, (allow, out)
