"""Every scalar op is declared once, with every form its consumers read (scalar/ops.py).

The consumers: Elemwise and the fused CPU code (the implementation), the gradient
(Elemwise.L_op), the CUDA kernel writer (``c_form``, link/fuse_cuda.py), the Python-float
writer (``py_form``, link/scalar_inline.py), ``theano.pp`` (``symbol``/``pp_form``,
printing.py) and Composite names (``symbol``/``print_name``, scalar/composite.py).  A
declaration that lacks a form fails here, not in a kernel on some user's GPU; and the
consumers keep no per-op table of their own.
"""

import ast
import itertools
import math
import pathlib
import string

import numpy as np
import pytest
import theano.tensor as T

import theano
import theano_compat
from theano_compat.link.scalar_inline import PY_HELPERS
from theano_compat.scalar import c_forms as C
from theano_compat.scalar import dtypes as D
from theano_compat.scalar import ops as S
from theano_compat.scalar.op import DISCRETE_OUTPUT, NoGradient

PACKAGE = pathlib.Path(theano_compat.__file__).parent
DTYPES = ["bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
          "float16", "float32", "float64", "complex64", "complex128"]
OPS = sorted(S.ALL.items())


def accepted_dtypes(op):
    """Every input-dtype combination the op's dtype rule accepts, with its output dtype."""
    combos = itertools.product(DTYPES, repeat=op.nin) if op.nin < 3 else \
        itertools.product(["bool", "int8", "int32", "float32", "float64"], repeat=3)
    out = []
    for dts in combos:
        try:
            out.append((dts, op.output_dtype(*dts)))
        except TypeError:
            pass
    return out


def placeholders(template):
    return {int(field) for _, field, _, _ in string.Formatter().parse(template)
            if field is not None}


# ----------------------------------------------------------------------------- implementation


@pytest.mark.parametrize("name,op", OPS, ids=[n for n, _ in OPS])
def test_declaration_has_exactly_one_implementation(name, op):
    given = [k for k in ("ufunc", "special", "fn") if getattr(op, k) is not None]
    assert len(given) == 1, (name, given)
    assert op.name == name and op.nin in (1, 2, 3)
    if op.ufunc is not None:  # a NumPy function CuPy has too (np.real is not a ufunc)
        assert callable(getattr(np, op.ufunc)), name
    assert accepted_dtypes(op), f"{name}: the dtype rule accepts no dtype"


# ----------------------------------------------------------------------------- gradient


@pytest.mark.parametrize("name,op", OPS, ids=[n for n, _ in OPS])
def test_declaration_has_a_gradient_or_says_why_not(name, op):
    if op.no_gradient is None:
        assert callable(op.grad_fn), f"{name}: declare grad= or grad=NoGradient(reason)"
        return
    assert isinstance(op.no_gradient, NoGradient) and op.no_gradient.reason, name
    assert op.grad_fn is None, name  # what Elemwise reads
    if op.no_gradient is DISCRETE_OUTPUT:
        # Elemwise gives zeros without calling a formula only where the output is discrete.
        floats = [(dts, out) for dts, out in accepted_dtypes(op) if out not in D.discrete_dtypes]
        assert not floats, f"{name} is declared DISCRETE_OUTPUT but gives {floats[:3]}"


# ----------------------------------------------------------------------------- CUDA C form


@pytest.mark.parametrize("name,op", OPS, ids=[n for n, _ in OPS])
def test_declaration_has_a_c_form_or_says_why_not(name, op):
    assert op.c_form is not None, f"{name}: declare c_form= or c_form=C.NoCForm(reason)"
    if isinstance(op.c_form, C.NoCForm):
        assert op.c_form.reason, name
        return
    # A real form writes C for some dtypes the kernels handle (link/test_fuse_cuda.py compiles
    # and runs every one of them against NumPy).
    texts = [op.c_form([f"i{k}" for k in range(op.nin)], list(dts), out)
             for dts, out in accepted_dtypes(op) if all(d in C.CTYPES for d in (*dts, out))]
    assert any(isinstance(t, str) and t for t in texts), \
        f"{name}: the C form gives no expression for any dtype"


def test_c_form_builders_only_build_strings():
    # The builders are plain string functions: no graph, no array module.
    tree = ast.parse((PACKAGE / "scalar" / "c_forms.py").read_text())
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import)
                for alias in node.names}
    imported |= {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert imported <= {"numpy", "__future__"}, imported


def test_cuda_only_functions_are_the_ones_the_forms_call():
    called = set()
    for _, op in OPS:
        if not isinstance(op.c_form, C.NoCForm):
            text = op.c_form(["x"] * op.nin, ["float64"] * op.nin, "float64") or ""
            called.update(f for f in C.CUDA_ONLY_FUNCTIONS if f"{f}(" in text)
    assert called == set(C.CUDA_ONLY_FUNCTIONS)


# ----------------------------------------------------------------------------- Python float


SPECIALS = [0.0, -0.0, 1.5, -2.25, 0.1, 3.0, 1e308, -1e308, 5e-324, math.inf, -math.inf,
            math.nan, 7.0e-3, -123456.789]


@pytest.mark.parametrize("name,op", [(n, o) for n, o in OPS if o.py_form is not None],
                         ids=[n for n, o in OPS if o.py_form is not None])
def test_python_float_form_is_bit_identical_to_numpy(name, op):
    assert placeholders(op.py_form) == set(range(op.nin)), (name, op.py_form)
    assert op.output_dtype(*["float64"] * op.nin) == "float64"
    impl = op.implementation(np)
    for args in itertools.product(SPECIALS, repeat=op.nin):
        with np.errstate(all="ignore"):  # (the helpers give NumPy's inf/nan and warning)
            got = eval(op.py_form.format(*[f"_a{k}" for k in range(op.nin)]),  # noqa: S307
                       {**PY_HELPERS, **{f"_a{k}": a for k, a in enumerate(args)}})
        with np.errstate(all="ignore"):
            want = impl(*[np.array([a]) for a in args])[0]
        assert isinstance(got, float), name
        assert np.float64(got).tobytes() == np.float64(want).tobytes() or \
            (math.isnan(got) and math.isnan(want)), (name, args, got, want)


# ----------------------------------------------------------------------------- printing


@pytest.mark.parametrize("name,op", OPS, ids=[n for n, _ in OPS])
def test_printing_declaration_fits_the_arity(name, op):
    if op.symbol is not None:
        assert op.nin in (1, 2), f"{name}: a symbol prints infix (2 inputs) or prefix (1)"
        assert op.symbol and op.symbol.strip() == op.symbol
    if op.pp_form is not None:
        assert placeholders(op.pp_form) == set(range(op.nin)), (name, op.pp_form)
    if op.print_name is not None:
        assert op.print_name.isidentifier(), name


def test_theano_printed_these_ops_as_operators():
    # Theano 1.0.5's scalar printer (Composite names) and its pprint (theano.pp).
    symbols = {name: op.symbol for name, op in OPS if op.symbol is not None}
    assert symbols == {"add": "+", "sub": "-", "mul": "*", "true_div": "/", "int_div": "//",
                       "mod": "%", "pow": "**", "neg": "-"}
    assert S.mod.pp_form == "mod({0}, {1})" and S.abs_.pp_form == "|{0}|"
    assert S.cast_op("float32").pp_form == "float32({0})"


# ----------------------------------------------------------------------------- no second table

CONSUMERS = ["link/fuse_cuda.py", "link/fuse_cpu.py", "link/scalar_inline.py", "link/logistic.py",
             "link/inline.py", "link/codegen.py", "printing.py", "scalar/c_forms.py",
             "link/int_inline.py"]


@pytest.mark.parametrize("path", CONSUMERS)
def test_consumers_name_no_scalar_op(path):
    """The writers read forms off the op they are given: none names a table entry (an
    ``S.add``, ``from ..scalar.ops import exp``) or keys a table by an op's name."""
    tree = ast.parse((PACKAGE / path).read_text())
    aliases = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").endswith("scalar.ops"):
            named = {a.name for a in node.names} & set(S.ALL)
            assert not named, (path, named)
        if isinstance(node, ast.ImportFrom) and (node.module or "").endswith("scalar"):
            aliases |= {a.asname or a.name for a in node.names if a.name == "ops"}
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) \
                and node.value.id in aliases:
            assert node.attr not in S.ALL, (path, node.attr)
        if isinstance(node, ast.Dict):
            keys = {k.value for k in node.keys if isinstance(k, ast.Constant)}
            assert len(keys & set(S.ALL)) < 3, (path, sorted(keys & set(S.ALL)))


# ----------------------------------------------------------------------------- Theano's rules


def test_abs_of_a_complex_is_real():
    assert S.abs_.output_dtype("complex64") == "float32"
    assert S.abs_.output_dtype("complex128") == "float64"
    assert S.abs_.output_dtype("int8") == "int8"
    c = T.cvector()
    out = theano.function([c], abs(c))(np.array([3 + 4j, -1j], dtype="complex64"))
    assert out.dtype == np.float32
    np.testing.assert_allclose(out, [5.0, 1.0])


@pytest.mark.parametrize("name", ["ceil", "floor", "trunc", "erfc", "erfcx", "erfinv",
                                  "erfcinv"])
def test_no_complex_unary_ops_refuse_complex(name):
    with pytest.raises(TypeError):
        getattr(T, name)(T.cvector())
    assert getattr(T, name)(T.bvector()).dtype == "float32"


def test_clip_refuses_complex():
    with pytest.raises(TypeError):
        T.clip(T.zvector(), T.dscalar(), T.dscalar())
    assert T.clip(T.ivector(), 0, 3).dtype == "int32"


def test_pow_gradient_wrt_the_exponent_is_zero_at_a_zero_base():
    a, b = T.dvector(), T.dvector()
    ga, gb = theano.function([a, b], T.grad((a ** b).sum(), [a, b]))([0.0, 2.0], [2.0, 3.0])
    # Theano 1.0.5 (theano-ref): [0, 12] and [0, log(2) * 8]
    np.testing.assert_allclose(ga, [0.0, 12.0])
    np.testing.assert_allclose(gb, [0.0, np.log(2.0) * 8])


def test_identity_returns_a_new_array():
    x = T.dvector()
    xv = np.arange(3.0)
    for mode in ("FAST_COMPILE", "FAST_RUN"):
        out = theano.function([x], T.tensor_copy(x), mode=mode)(xv)
        assert out is not xv and not np.shares_memory(out, xv)
        np.testing.assert_array_equal(out, xv)


def test_cast_output_types_preference_is_theanos_specific_out():
    from theano.tensor.basic import _convert_to_float32, _convert_to_int32

    for conv, dtype in ((_convert_to_int32, "int32"), (_convert_to_float32, "float32")):
        pref = conv.scalar_op.output_types_preference
        assert [t.dtype for t in pref.spec] == [dtype]
        assert [t.dtype for t in pref(theano.scalar.float64)] == [dtype]


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_sigmoid_and_softplus_fast_path_equal_theanos_clamped_definition(dtype):
    # Theano 1.0.5: sigmoid is 0 below -30, 1 above 30, 1 / (1 + exp(-x)) between;
    # softplus 0 below -30, x above 30, log1p(exp(x)) between.  Arrays entirely inside
    # [-30, 30] skip the clamps (ops._within_clamps); both paths must give these values.
    from theano_compat.scalar import ops as S

    rng = np.random.RandomState(3)
    for scale in (0.5, 10.0, 30.0, 45.0):
        x = (rng.randn(16, 33) * scale).astype(dtype)
        x.flat[:3] = [30.0, -30.0, 0.0]
        one = np.asarray(1.0, dtype)
        with np.errstate(over="ignore"):
            sig = np.where(x < -30, 0, np.where(x > 30, 1, one / (one + np.exp(-x))))
            sp = np.where(x < -30, 0, np.where(x > 30, x, np.log1p(np.exp(x))))
        got_sig, got_sp = S._sigmoid(np, x), S._softplus(np, x)
        assert got_sig.dtype == got_sp.dtype == np.dtype(dtype)
        np.testing.assert_array_equal(got_sig, sig.astype(dtype))
        np.testing.assert_array_equal(got_sp, sp.astype(dtype))
    nan = np.array([np.nan, 1.0], dtype)
    assert np.isnan(S._sigmoid(np, nan)[0]) and np.isnan(S._softplus(np, nan)[0])
