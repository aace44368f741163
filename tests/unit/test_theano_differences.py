"""Behaviours that once differed from Theano 1.0.5 (issue 14, point 5), now as Theano.

Each test asserts the exception type and what its message names (the input, the Op, the
user's line), or values and dtypes against NumPy or against tables recorded from the
original Theano 1.0.5 with ``shared/tools/theano-ref`` (RECORD_SCRIPT below made them).
Where this project deliberately goes further than Theano (an integer division by zero
raises in every mode, not only in Theano's C code; a user Op's wrong output dtype is an
error, not a C-level failure in the next node), the test says so.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import warnings

import numpy as np
import pytest
import theano
import theano.tensor as T
from theano import In
from theano_compat.errors import UnusedInputError

from tests.support.paths import ROOT

HERE = os.path.basename(__file__)


def _notes(exc):
    return "\n".join(getattr(exc, "__notes__", ()))


# --------------------------------------------------------------------------- recorded data

# The script that printed the tables below under Theano 1.0.5 (shared/tools/theano-ref).
RECORD_SCRIPT = """
import numpy as np
import theano
import theano.tensor as T

dts = ["bool", "int8", "uint8", "int16", "int32", "int64", "uint32", "uint64",
       "float16", "float32", "float64", "complex64"]
rng = np.random.RandomState(0)
triples = [tuple(rng.choice(dts, 3)) for _ in range(24)]
triples += [("int8", "uint8", "float16"), ("uint8", "float16", "int8")]
nary = []
for tr in triples:
    vs = [T.scalar(dtype=d) for d in tr]
    nary.append((tr, T.add(*vs).dtype, T.mul(*vs).dtype))
print("NARY_DTYPES =", nary)
lits = []
for d in ["int8", "int32", "float32", "bool"]:
    v = T.vector(dtype=d)
    for args in [(1, 2.5), (300, 1), (0.1, 2)]:
        lits.append((d, args, T.add(v, *args).dtype, T.mul(*args, v).dtype))
print("NARY_LITERALS =", lits)
means = []
for fx in ["float64", "float32"]:
    theano.config.floatX = fx
    for dt in ["int8", "int64", "uint8", "bool", "float16", "float32", "float64"]:
        s, v, m = T.scalar(dtype=dt), T.vector(dtype=dt), T.matrix(dtype=dt)
        row = [T.mean(s).dtype, T.mean(v).dtype, T.mean(m, axis=1).dtype,
               T.mean(m, axis=[]).dtype]
        for kw in [dict(dtype="float32"), dict(dtype="int64"), dict(dtype="float16"),
                   dict(acc_dtype="float32")]:
            try:
                row.append(T.mean(v, **kw).dtype)
            except TypeError:
                row.append("TypeError")
        means.append((fx, dt, tuple(row)))
"""

# "input dtypes -> T.add dtype, T.mul dtype" (Theano's n-ary upcast).
NARY_DTYPES = [
    "int64 bool int16 -> int64 int64",
    "complex64 int16 uint64 -> complex128 complex128",
    "float32 int16 int64 -> float64 float64",
    "uint8 int32 uint64 -> float64 float64",
    "uint32 float16 float16 -> float64 float64",
    "float64 int8 uint32 -> float64 float64",
    "uint64 uint64 float16 -> float64 float64",
    "int8 int64 float32 -> float64 float64",
    "float16 float32 int32 -> float64 float64",
    "int16 bool int16 -> int16 int16",
    "int64 bool uint8 -> int64 int64",
    "int16 float16 int8 -> float32 float32",
    "int16 int16 int16 -> int16 int16",
    "uint64 bool int8 -> float64 float64",
    "float32 float32 bool -> float32 float32",
    "float64 int32 uint64 -> float64 float64",
    "int16 complex64 uint8 -> complex64 complex64",
    "uint64 uint8 bool -> uint64 uint64",
    "bool int32 int64 -> int64 int64",
    "int64 uint32 float16 -> float64 float64",
    "int32 int8 int32 -> int32 int32",
    "float32 float64 float64 -> float64 float64",
    "float16 int8 int8 -> float16 float16",
    "uint64 float32 float32 -> float64 float64",
    "int8 uint8 float16 -> float32 float32",
    "uint8 float16 int8 -> float16 float16",
]
# (vector dtype, Python literals, dtype of T.add(v, *lits), of T.mul(*lits, v))
NARY_LITERALS = [
    ("int8", (1, 2.5), "float32", "float32"),
    ("int8", (300, 1), "int16", "int16"),
    ("int8", (0.1, 2), "float64", "float64"),
    ("int32", (1, 2.5), "float64", "float64"),
    ("int32", (300, 1), "int32", "int32"),
    ("int32", (0.1, 2), "float64", "float64"),
    ("float32", (1, 2.5), "float32", "float32"),
    ("float32", (300, 1), "float32", "float32"),
    ("float32", (0.1, 2), "float64", "float64"),
    ("bool", (1, 2.5), "float32", "float32"),
    ("bool", (300, 1), "int16", "int16"),
    ("bool", (0.1, 2), "float64", "float64"),
]
# "floatX input_dtype: mean(scalar) mean(vector) mean(matrix, axis=1) mean(matrix, axis=[])
#  mean(v, dtype=float32) mean(v, dtype=int64) mean(v, dtype=float16)
#  mean(v, acc_dtype=float32)"
MEAN_DTYPES = [
    "float64 int8: float64 float64 float64 float64 float32 float64 float16 float64",
    "float64 int64: float64 float64 float64 float64 float32 float64 float16 float64",
    "float64 uint8: float64 float64 float64 float64 float32 float64 float16 float64",
    "float64 bool: float64 float64 float64 float64 float32 float64 float16 float64",
    "float64 float16: float16 float16 float16 float16 float32 float64 float16 float16",
    "float64 float32: float32 float32 float32 float32 float32 float64 float16 float32",
    "float64 float64: float64 float64 float64 float64 float32 float64 float16 TypeError",
    "float32 int8: float64 float64 float64 float64 float32 float64 float16 float64",
    "float32 int64: float64 float64 float64 float64 float32 float64 float16 float64",
    "float32 uint8: float64 float64 float64 float64 float32 float64 float16 float64",
    "float32 bool: float64 float64 float64 float64 float32 float64 float16 float64",
    "float32 float16: float16 float16 float16 float16 float32 float64 float16 float16",
    "float32 float32: float32 float32 float32 float32 float32 float64 float16 float32",
    "float32 float64: float64 float64 float64 float64 float32 float64 float16 TypeError",
]


# --------------------------------------------------------------------------- a. n-ary add/mul


@pytest.mark.parametrize("row", NARY_DTYPES)
def test_nary_add_mul_dtypes_as_theano(row):
    ins, outs = row.split(" -> ")
    want_add, want_mul = outs.split()
    vs = [T.scalar(dtype=d) for d in ins.split()]
    assert T.add(*vs).dtype == want_add
    assert T.mul(*vs).dtype == want_mul


@pytest.mark.parametrize("dtype, lits, want_add, want_mul", NARY_LITERALS)
def test_nary_add_mul_with_python_literals(dtype, lits, want_add, want_mul):
    v = T.vector(dtype=dtype)
    assert T.add(v, *lits).dtype == want_add
    assert T.mul(*lits, v).dtype == want_mul


def test_nary_add_mul_values_against_numpy():
    a, b, c, d, e = (T.dvector(n) for n in "abcde")
    m = T.dmatrix("m")
    s = T.dscalar("s")
    vals = [np.array([1.5, -2.0]), np.array([0.25, 3.0]), np.array([2.0, 2.0]),
            np.array([-1.0, 0.5]), np.array([4.0, 1e300])]
    f = theano.function([a, b, c, d, e], [T.add(a, b, c, d, e), T.mul(a, b, c, d, e)])
    got_add, got_mul = f(*vals)
    np.testing.assert_array_equal(got_add, ((((vals[0] + vals[1]) + vals[2]) + vals[3])
                                            + vals[4]))
    np.testing.assert_array_equal(got_mul, vals[0] * vals[1] * vals[2] * vals[3] * vals[4])
    # Broadcasting across ranks, as Theano's n-ary Elemwise did.
    g = theano.function([a, m, s], T.add(a, m, s))
    mv = np.arange(6.0).reshape(2, 3)
    out = g(np.array([1.0, 2.0, 3.0]), mv, 5.0)
    assert out.shape == (2, 3)
    np.testing.assert_array_equal(out, np.array([1.0, 2.0, 3.0]) + mv + 5.0)


def test_nary_add_of_one_and_of_many_inputs():
    x = T.dvector("x")
    y = T.add(x)  # Theano: a one-input add, the value of x
    assert y is not x and y.type == x.type
    np.testing.assert_array_equal(theano.function([x], T.mul(x))(np.array([2.0, 3.0])),
                                  [2.0, 3.0])
    np.testing.assert_array_equal(theano.function([x], y)(np.array([2.0, 3.0])), [2.0, 3.0])
    many = [T.dscalar(f"s{k}") for k in range(300)]  # a left fold: no recursion limit
    total = theano.function(many, T.add(*many))(*[float(k) for k in range(300)])
    assert float(total) == sum(range(300))
    with pytest.raises(TypeError):
        T.add()


@pytest.mark.parametrize("name", ["and_", "or_", "xor", "maximum", "minimum", "sub",
                                  "true_div", "int_div", "pow", "bitwise_and"])
def test_binary_only_ops_still_refuse_three_inputs(name):
    # Theano 1.0.5: "TypeError: Wrong number of inputs for AND.make_node (got 3 ...,
    # expected 2)" for each of these; only add and mul were n-ary.
    xs = [T.bscalar(n) for n in "xyz"]
    with pytest.raises(TypeError, match="expects 2 inputs, got 3"):
        getattr(T, name)(*xs)


# --------------------------------------------------------------------------- b. mean dtypes


@pytest.mark.parametrize("row", MEAN_DTYPES)
def test_mean_dtypes_as_theano(row):
    head, dtypes = row.split(": ")
    floatx, dt = head.split()
    want = dtypes.split()
    with theano.config.change_flags(floatX=floatx):
        s, v, m = T.scalar(dtype=dt), T.vector(dtype=dt), T.matrix(dtype=dt)
        got = [T.mean(s).dtype, T.mean(v).dtype, T.mean(m, axis=1).dtype,
               T.mean(m, axis=[]).dtype]
        for kw in [{"dtype": "float32"}, {"dtype": "int64"}, {"dtype": "float16"},
                   {"acc_dtype": "float32"}]:
            try:
                got.append(T.mean(v, **kw).dtype)
            except TypeError:
                got.append("TypeError")
    assert got == want


def test_mean_of_integers_is_a_float_value():
    i = T.iscalar("i")
    r = theano.function([i], T.mean(i))(7)
    assert r.dtype == np.float64 and float(r) == 7.0  # Theano: array(7.), as np.mean
    iv = T.ivector("iv")
    x = np.array([1, 2, 4], dtype="int32")
    r = theano.function([iv], [T.mean(iv), T.mean(iv, dtype="int64")])(x)
    for out in r:
        assert out.dtype == np.float64
        np.testing.assert_allclose(out, np.mean(x))
    im = T.imatrix("im")
    xm = np.array([[1, 2], [4, 7]], dtype="int32")
    r = theano.function([im], T.mean(im, axis=[]))(xm)
    assert r.dtype == np.float64
    np.testing.assert_array_equal(r, xm.astype("float64"))


def test_sum_refuses_a_less_precise_accumulator():
    v = T.dvector("v")
    with pytest.raises(TypeError, match="acc_dtype float32, as precision would be lost"):
        T.sum(v, acc_dtype="float32")
    with pytest.raises(TypeError, match="input dtype float64 and acc_dtype float32"):
        T.prod(v, acc_dtype="float32")
    assert T.sum(T.fvector(), acc_dtype="float64").dtype == "float32"


# --------------------------------------------------------------------------- c. x // 0, x % 0


INT_DTYPES = ["int8", "int32", "int64", "uint8", "bool"]


@pytest.mark.parametrize("dtype", INT_DTYPES)
@pytest.mark.parametrize("ndim", [0, 1])
@pytest.mark.parametrize("op, what", [(lambda a, b: a // b, "division"),
                                      (lambda a, b: a % b, "modulo"),
                                      (T.int_div, "division"), (T.mod, "modulo")])
def test_integer_division_by_zero_raises(dtype, ndim, op, what):
    # Theano 1.0.5 (FAST_RUN, its C code): "ZeroDivisionError: integer division by zero"
    # / "integer modulo by zero", for every integer dtype and bool.  (Its Python code,
    # under FAST_COMPILE, gave NumPy's 0; here every mode raises.)
    x = T.TensorType(dtype, (False,) * ndim)("x")
    y = T.TensorType(dtype, (False,) * ndim)("y")
    f = theano.function([x, y], op(x, y))
    xv = np.array([True, False, True] if dtype == "bool" else [7, 1, 0], dtype=dtype)
    yv = np.zeros(3, dtype=dtype)
    if ndim == 0:
        xv, yv = xv[0], yv[0]
    with pytest.raises(ZeroDivisionError, match=f"integer {what} by zero") as info:
        f(xv, yv)
    notes = _notes(info.value)
    assert ("int_div" if what == "division" else "mod") in notes or "Composite" in notes
    assert HERE in notes  # the user's line that built the node


def test_integer_division_raises_on_any_zero_divisor_and_in_fused_code():
    x, y = T.ivectors("x", "y")
    f = theano.function([x, y], (x // y) * 2 + x % 3)
    ok = f(np.array([7, -7], "int32"), np.array([2, 3], "int32"))
    np.testing.assert_array_equal(ok, (np.array([7, -7]) // np.array([2, 3])) * 2
                                  + np.array([7, -7]) % 3)
    with pytest.raises(ZeroDivisionError, match="integer division by zero"):
        f(np.array([7, -7], "int32"), np.array([2, 0], "int32"))
    # A literal zero divisor: the error is raised when the function runs, not when it is
    # compiled (constant folding leaves the node alone).
    g = theano.function([x], x % 0)
    with pytest.raises(ZeroDivisionError, match="integer modulo by zero"):
        g(np.array([1, 2], "int32"))
    h = theano.function([], T.constant(np.int32(3)) // T.constant(np.int32(0)))
    with pytest.raises(ZeroDivisionError):
        h()


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_float_division_by_zero_is_inf_nan_silently(dtype):
    # Theano 1.0.5: [inf, -inf, nan] for //, [nan, nan, nan] for %, no warning (NumPy's
    # values); an int // float is a float division as well.
    x = T.vector("x", dtype=dtype)
    y = T.vector("y", dtype=dtype)
    xv = np.array([7, -7, 0], dtype=dtype)
    yv = np.zeros(3, dtype=dtype)
    with np.errstate(all="ignore"):
        want_div, want_mod = xv // yv, xv % yv
    with warnings.catch_warnings(record=True) as caught:
        f = theano.function([x, y], [x // y, x % y, T.cast(x, "int32") // y])
        got_div, got_mod, got_mixed = f(xv, yv)
    assert [str(w.message) for w in caught] == []
    np.testing.assert_array_equal(got_div, want_div)
    np.testing.assert_array_equal(got_mod, want_mod)
    np.testing.assert_array_equal(got_mixed, want_div)
    assert got_div.dtype == dtype and got_mixed.dtype == np.dtype("float64")


# --------------------------------------------------------------------------- d. flag names


def _run(code, env_extra=None, cwd=None):
    env = dict(os.environ)
    env.pop("THEANO_FLAGS", None)
    env.pop("THEANORC", None)
    env.pop("PYTHONWARNINGS", None)
    env["PYTHONPATH"] = ROOT + os.pathsep + env.get("PYTHONPATH", "")
    env.update(env_extra or {})
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True,
                          text=True, env=env, cwd=cwd, timeout=120, check=False)


def test_wrong_case_flag_is_warned_about_and_ignored(tmp_path):
    # Theano 1.0.5: "UserWarning: Theano does not recognise this flag: floatx", and
    # floatX stays float64.
    res = _run("import theano; print('floatX=' + theano.config.floatX)",
               {"THEANO_FLAGS": "floatx=float32"}, cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    assert "floatX=float64" in res.stdout
    assert "Theano does not recognise this flag: 'floatx'" in res.stderr
    assert "did you mean 'floatX'" in res.stderr
    res = _run("import theano; print('floatX=' + theano.config.floatX)",
               {"THEANO_FLAGS": "floatX=float32"}, cwd=tmp_path)
    assert "floatX=float32" in res.stdout and "recognise" not in res.stderr


def test_theanorc_option_names_stay_case_insensitive(tmp_path):
    # Theano read .theanorc with ConfigParser, which lower-cases option names.
    rc = tmp_path / "rc"
    rc.write_text("[global]\nFloatX = float32\n")
    res = _run("import theano; print('floatX=' + theano.config.floatX)",
               {"THEANORC": str(rc)}, cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    assert "floatX=float32" in res.stdout and "recognise" not in res.stderr


# --------------------------------------------------------------------------- e. strings


def test_adding_a_string_fails_when_the_graph_is_built():
    # Theano 1.0.5: "TypeError: unsupported operand type(s) for +: 'TensorVariable' and
    # 'str'"; as_tensor_variable("abc") raised AsTensorError (a TypeError).
    x = T.dvector("x")
    with pytest.raises(TypeError, match="unsupported operand type"):
        x + "abc"
    with pytest.raises(TypeError):
        "abc" + x
    with pytest.raises(TypeError):
        x * "abc"
    for bad in ["abc", b"abc", np.array(["a", "b"]), ["a", "b"],
                np.array([1, "a"], dtype=object), np.datetime64("2020-01-01")]:
        with pytest.raises(T.AsTensorError, match="Cannot convert .* to TensorType"):
            T.as_tensor_variable(bad)
    with pytest.raises(TypeError, match="abc"):
        T.add(x, "abc")
    with pytest.raises(TypeError, match="Unsupported dtype for TensorType: <U3"):
        T.TensorType("<U3", ())
    with pytest.raises(TypeError, match="Unsupported dtype for TensorType: object"):
        T.TensorType(object, (False,))


@pytest.mark.skipif(np.dtype(np.longdouble).itemsize <= 8, reason="no extended precision")
def test_longdouble_constant_is_refused():
    # Theano 1.0.5: "TypeError: ('Could not convert 1.5 to TensorType', numpy.float128)".
    with pytest.raises(TypeError, match="Cannot convert"):
        T.constant(np.longdouble(1.5))


# --------------------------------------------------------------------------- f. user Ops


class _VectorOp(theano.Op):
    __props__ = ()

    def make_node(self, x):
        x = T.as_tensor_variable(x)
        return theano.Apply(self, [x], [x.type()])


class WrongDtypeOp(_VectorOp):
    def perform(self, node, inputs, out):
        out[0][0] = inputs[0].astype("float32")


class WrongNdimOp(_VectorOp):
    def perform(self, node, inputs, out):
        out[0][0] = inputs[0].reshape(1, -1)


class NoOutputOp(_VectorOp):
    def perform(self, node, inputs, out):
        pass


class ListOutputOp(_VectorOp):
    def perform(self, node, inputs, out):
        out[0][0] = [1.0, 2.0]


class TwoOutputsOp(theano.Op):
    __props__ = ()

    def make_node(self, x):
        x = T.as_tensor_variable(x)
        return theano.Apply(self, [x], [x.type(), T.dscalar()])

    def perform(self, node, inputs, out):
        out[0][0] = inputs[0] * 2
        out[1][0] = None if inputs[0].size else np.float64(0)


@pytest.mark.parametrize("downstream", [False, True])
def test_user_op_returning_the_wrong_dtype_or_ndim_is_named(downstream):
    # Theano 1.0.5 accepted both silently in its Python path; its C code failed in the
    # NEXT node ("TypeError: expected type_num 12 (NPY_FLOAT64) got 11").  Here the Op
    # itself is named, with the output and the declared type.
    x = T.dvector("x")
    xv = np.arange(3.0)
    wrong_dtype = (r"WrongDtypeOp\.perform\(\) stored an array of dtype float32 .* "
                   r"TensorType\(float64, vector\)")
    wrong_ndim = r"WrongNdimOp\.perform\(\) stored an array of 2 dimensions \(shape \(1, 3\)\)"
    for cls, pattern in [(WrongDtypeOp, wrong_dtype), (WrongNdimOp, wrong_ndim)]:
        out = cls()(x)
        f = theano.function([x], out * 2 if downstream else out)
        with pytest.raises(TypeError, match=pattern) as info:
            f(xv)
        assert HERE in _notes(info.value)


def test_user_op_that_sets_no_output_is_named():
    # Theano 1.0.5: "AttributeError: 'NoneType' object has no attribute 'shape'" (Python)
    # or "ValueError: expected an ndarray, not None" (C) in the next node, naming neither
    # the Op nor its perform.
    x = T.dvector("x")
    f = theano.function([x], NoOutputOp()(x) * 2)
    with pytest.raises(TypeError, match=r"NoOutputOp\.perform\(\) did not set the output "
                                        r".*output_storage\[0\]\[0\] is None") as info:
        f(np.arange(3.0))
    assert HERE in _notes(info.value)
    g = theano.function([x], TwoOutputsOp()(x))
    with pytest.raises(TypeError, match=r"did not set output 1 .* of TwoOutputsOp"):
        g(np.arange(3.0))


def test_user_op_python_values_are_converted_to_the_declared_type():
    x = T.dvector("x")
    r = theano.function([x], ListOutputOp()(x) * 2)(np.arange(3.0))
    assert r.dtype == np.float64
    np.testing.assert_array_equal(r, [2.0, 4.0])
    a, b = theano.function([x], TwoOutputsOp()(x))(np.zeros(0))
    assert a.shape == (0,) and b.dtype == np.float64 and b.ndim == 0


# --------------------------------------------------------------------------- g. outputs


def test_function_output_that_is_not_a_variable():
    # Theano 1.0.5: "TypeError: Outputs must be theano Variable or Out instances.
    # Received 3 of type <class 'int'>" (not UnusedInputError for x).
    x = T.dvector("x")
    for outputs in [3, [x, 3], np.arange(3), "abc"]:
        with pytest.raises(TypeError, match="Outputs must be theano Variable or Out "
                                            "instances. Received"):
            theano.function([x], outputs)
    with pytest.raises(TypeError, match="Received 3 of type <class 'int'>"):
        theano.function([], 3)
    with pytest.raises(UnusedInputError):  # None means no output, as in Theano
        theano.function([x], None)


# --------------------------------------------------------------------------- h. set_value(None)


def test_set_value_none_then_get_value_and_call():
    # Theano 1.0.5 accepted set_value(None); get_value() then returned None, and a
    # function reading the variable failed in its first node ("expected an ndarray, not
    # None").  Here the failure names the shared variable and the cause.
    w = theano.shared(np.zeros(3), name="w")
    f = theano.function([], w * 2)
    w.set_value(None)
    assert w.get_value() is None and w.get_value(borrow=True) is None
    with pytest.raises((TypeError, ValueError)) as info:
        f()
    notes = _notes(info.value)
    assert "shared variable w holds None" in notes and "set_value(None)" in notes
    w.set_value(np.ones(3))
    np.testing.assert_array_equal(f(), [2.0, 2.0, 2.0])
    s = theano.shared(1.5, name="s")
    s.set_value(None)
    assert s.get_value() is None


# --------------------------------------------------------------------------- i. In defaults


def test_bad_in_default_value_names_the_input():
    # Theano 1.0.5: ValueError("could not convert string to float: 'abc'",
    # 'Container name "x"'), when the function is built.
    x = T.dvector("x")
    with pytest.raises(ValueError, match=r'input 0 \("x".*could not convert string to '
                                         r"float: 'abc'"):
        theano.function([In(x, value="abc")], x * 2)
    with pytest.raises(TypeError, match=r'"x".*Wrong number of dimensions'):
        theano.function([In(x, value=np.zeros((2, 2)))], x * 2)
    # The In's own allow_downcast applies (Theano refused In(iscalar, value=1.5) and a
    # float64 array for a float32 input, at build time).
    i = T.iscalar("i")
    with pytest.raises(TypeError, match=r'"i".*cannot store accurately value 1.5'):
        theano.function([In(i, value=1.5)], i * 2)
    assert int(theano.function([In(i, value=1.5, allow_downcast=True)], i * 2)()) == 2
    fv = T.fvector("fv")
    with pytest.raises(TypeError, match=r'"fv".*float64 without risking loss'):
        theano.function([In(fv, value=np.zeros(2))], fv * 2)
    r = theano.function([In(x, value=[1, 2])], x * 2)()
    assert r.dtype == np.float64
    np.testing.assert_array_equal(r, [2.0, 4.0])


# --------------------------------------------------------------------------- j. warnings


def _graphs():
    x = T.dvector("x")
    m = T.dmatrix("m")
    s = T.dscalar("s")
    scan_out, _ = theano.scan(lambda v: T.log(v) + 1 / v, sequences=x)
    return [
        ([x], T.log(x) * 2 + T.exp(x)),            # fused elementwise
        ([x], 1.0 / x),                            # an Op implementation (true_div)
        ([x], T.sqrt(x) / x),                      # size-checked binary elementwise
        ([s], T.log(s)),                           # 0-d
        ([x], T.sum(x * 10) + T.prod(x)),          # reductions
        ([x], T.extra_ops.cumprod(x)),             # cumulative ops
        ([x], T.var(x)),
        ([m], T.nnet.softmax(m)),
        ([x], scan_out),                           # a scan inner loop
        ([x], T.cast(T.log(x), "int32")),          # invalid value in a cast
        ([x], x + T.log(T.constant(np.array([0.0, -1.0, 1.0, 1.0])))),  # folded constant
    ]


def _feed(ins):
    big = np.array([1e308, 1e308, -1.0, 0.0])
    return [big if v.ndim == 1 else (np.array([[1e308, -np.inf, np.inf, 0.0]])
                                     if v.ndim == 2 else np.float64(0.0)) for v in ins]


def test_numpy_warnings_from_compiled_functions_are_silent():
    # Theano 1.0.5 printed no RuntimeWarning for log(0), 1/0, overflow...  (it set
    # numpy.seterr(all='ignore') at import).  Here a warnings filter silences NumPy's
    # floating-point warnings raised in the library's own code only: a NumPy warning of
    # the user's own code still shows.  The filter only replaces the default action: a
    # filter the user sets (e.g. simplefilter('error')) still applies, see below.
    with warnings.catch_warnings(record=True) as caught:
        fns = [(theano.function(ins, out), _feed(ins)) for ins, out in _graphs()]
        for f, args in fns:
            f(*args)
        leaked = [str(w.message) + " @ " + w.filename for w in caught
                  if issubclass(w.category, RuntimeWarning)]
        assert leaked == []
        np.log(np.zeros(1))
        np.sum(np.array([1e308, 1e308]))
    texts = [str(w.message) for w in caught]
    assert any("divide by zero encountered in log" in t for t in texts)
    assert any("overflow encountered" in t for t in texts)
    x = T.dvector("x")
    f = theano.function([x], T.log(x))
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)  # the user's own choice wins
        with pytest.raises(RuntimeWarning, match="divide by zero encountered in log"):
            f(np.zeros(2))


def test_numpy_warnings_silent_in_a_fresh_process(tmp_path):
    # The filter installed by `import theano` itself (not by the test harness), and a
    # user's own NumPy warning after it.
    code = """
        import numpy as np
        import theano, theano.tensor as T
        x = T.dvector("x")
        f = theano.function([x], [T.log(x), 1.0 / x, T.exp(x).sum(), T.sqrt(x)])
        f(np.array([0.0, -1.0, 1e308]))
        print("USER")
        np.log(np.zeros(1))
    """
    res = _run(code, cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    assert "theano_compat" not in res.stderr and "<theano_compat" not in res.stderr
    assert res.stderr.count("RuntimeWarning") == 1
    assert "divide by zero encountered in log" in res.stderr
