"""Every differentiable op of the library, checked with theano.gradient.verify_grad.

The list of ops is not written by hand: `library_ops()` walks the scalar op table and
every Op (and ScalarOp) subclass defined in the theano_compat modules.  Each op must be
either

* on the differentiated path of at least one case of CASES (each case runs through
  `theano.gradient.verify_grad` in float64 and float32, with Theano's tolerances per
  dtype, and its symbolic gradients must keep the inputs' dtype and broadcastable flags),
* or listed, with the reason, in NOT_CHECKED_BY_FINITE_DIFFERENCES.

So a new op without a gradient test fails `test_every_op_is_covered`.  Input shapes of
length 1 make broadcastable inputs (verify_grad's rule), which is how the broadcasting
cases (row + column, scalar + matrix...) are written.
"""

import importlib
import inspect
import pkgutil
import warnings
import zlib

import numpy as np
import pytest
import theano.tensor as T
from theano.gradient import jacobian, verify_grad

import theano
import theano_compat
from theano_compat.graph.basic import io_toposort
from theano_compat.graph.op import Op
from theano_compat.misc.doubleop import DoubleOp
from theano_compat.tests.breakpoint import PdbBreakpoint
from theano_compat.scalar import ops as S
from theano_compat.scalar.composite import Composite
from theano_compat.scalar.op import ScalarOp
from theano_compat.tensor import batched, extra_ops, nlinalg, slinalg
from theano_compat.tensor.elemwise import Elemwise, elemwise_of
from theano_compat.tensor.ifelse import ifelse
from theano_compat.tensor.nnet import abstract_conv, conv, crossentropy
from theano_compat.tensor.nnet import neighbours
from theano_compat.tensor.nnet import bn, sigm
from theano_compat.tensor.nnet import blocksparse, conv3d2d, corr, corr3d, ctc
from theano_compat.tensor.signal import pool as signal_pool
from theano_compat.tensor.opfromgraph import OpFromGraph
from theano_compat.tensor.random.mrg_ops import fused_multiply_add

# ----------------------------------------------------------------------------- the ops


def _short(module_name):
    return module_name.removeprefix("theano_compat.").removeprefix("theano.")


def op_key(obj):
    """'scalar.<name>' for an entry of the scalar table, else '<module>.<Class>'."""
    if type(obj) is ScalarOp:
        return f"scalar.{obj.name}"
    cls = obj if inspect.isclass(obj) else type(obj)
    return f"{_short(cls.__module__)}.{cls.__name__}"


def library_ops():
    """Keys of every scalar op of the table and every Op/ScalarOp class of the package."""
    keys = {op_key(op) for op in S.ALL.values()}
    for info in pkgutil.walk_packages(theano_compat.__path__, "theano_compat."):
        try:
            module = importlib.import_module(info.name)
        except ModuleNotFoundError as e:  # an optional dependency (cupy) is missing
            if e.name and e.name.split(".")[0] in ("theano_compat", "theano"):
                raise
            continue
        for obj in vars(module).values():
            # Each class once, under its public path (Theano's: theano.X is theano_compat.X);
            # Theano's class of a scalar table entry (``_table``) counts as that entry.
            if (inspect.isclass(obj) and _short(obj.__module__) == _short(module.__name__)
                    and issubclass(obj, (Op, ScalarOp)) and "_table" not in vars(obj)):
                keys.add(op_key(obj))
    return keys


# Ops that verify_grad does not check, each with the reason.  Anything else must be on the
# differentiated path of a case.
NOT_CHECKED_BY_FINITE_DIFFERENCES = {
    # -- bases, never applied themselves
    "gof.op.Op": "the base class",
    "scalar.basic.ScalarOp": "the base class of the table entries (checked one by one)",
    "tensor.elemwise.MaxOrMin": "shared base of Max and Min",
    "compile.ops._PassThroughOp": "shared base of ViewOp and DeepCopyOp",
    "tensor.subtensor.BaseSubtensor": "shared base of the Subtensor classes",
    "tensor.subtensor.BaseIncSubtensor": "shared base of the IncSubtensor classes",
    "tensor.signal.pool._PoolOpBase": "shared base of the pooling Ops",
    "tensor.signal.pool.PoolGrad": "shared base of MaxPoolGrad and AveragePoolGrad",
    "tensor.signal.pool.MaxPoolRop": "an R-operator, like Theano's without a gradient "
                                     "(values: tests/unit/tensor/signal/test_pool.py)",
    "tensor.elemwise.CAReduce": "generic reduction over any scalar op; like Theano's it has "
                                "no gradient (Sum, Prod, Max, Min have theirs)",
    "tensor.elemwise._BoolReduce": "shared base of All and Any",
    # -- user-defined ops: their gradient is what the user writes (tests/unit/graph/test_user_ops)
    "graph.op._FromFunctionOp": "as_op wrapper of a user function (no gradient unless given)",
    "tensor.type_other.MakeSlice": "builds a Python slice from integers (not differentiable: "
                                   "its gradients are disconnected, as in Theano)",
    "compile.ops.FromFunctionOp": "as_op wrapper of a user function (no gradient unless given)",
    "compile.ops.OutputGuard": "ViewOp declared destroying (Theano's output guard); its "
                               "gradient is ViewOp's, checked below",
    # -- gradient rules by design (tests/unit/test_gradient_api.py checks each rule)
    "gradient.ViewGradOp": "identity with a custom gradient rule",
    "gradient.ConsiderConstant": "gradient is zero by design",
    "gradient.ZeroGrad": "gradient is zero by design",
    "gradient.DisconnectedGrad": "gradient is disconnected by design",
    "gradient.UndefinedGrad": "gradient is undefined by design",
    "gradient.GradClip": "gradient is clipped by design",
    "gradient.GradScale": "gradient is scaled by design",
    # -- outputs that are integers or booleans (no gradient flows through them)
    "scalar.lt": "bool output", "scalar.gt": "bool output", "scalar.le": "bool output",
    "scalar.ge": "bool output", "scalar.eq": "bool output", "scalar.neq": "bool output",
    "scalar.isnan": "bool output", "scalar.isinf": "bool output",
    "scalar.and_": "integer-only", "scalar.or_": "integer-only", "scalar.xor": "integer-only",
    "scalar.invert": "integer-only",
    "compile.ops.Shape": "integer output", "compile.ops.Shape_i": "integer output",
    "tensor.basic.Eye": "no differentiable input", "tensor.basic.Tri": "no differentiable input",
    "tensor.basic.AllocEmpty": "no differentiable input (shapes only); uninitialised output",
    "tensor.basic.Mean": "Theano's Mean Op had no gradient (mean() builds Sum / length)",
    "tensor.basic.Default": "Theano's Default Op had no gradient",
    "tensor.elemwise.All": "bool output", "tensor.elemwise.Any": "bool output",
    "tensor.basic.Argmax": "integer output",
    "tensor.basic.Nonzero": "integer output (gradient undefined, as Theano)",
    "tensor.extra_ops.SearchsortedOp": "integer output",
    "tensor.extra_ops.Unique": "sorting/deduplication; Theano's Unique has no gradient",
    "tensor.extra_ops.RavelMultiIndex": "integer output",
    "tensor.extra_ops.UnravelIndex": "integer output",
    "tensor.extra_ops.Bartlett": "window of an integer length",
    # -- complex numbers (no complex gradients; Theano 1.0.5 failed on these too)
    "scalar.real": "complex gradients unsupported", "scalar.imag": "complex gradients "
    "unsupported", "scalar.conj": "complex gradients unsupported",
    # -- no gradient formula, as in Theano 1.0.5 (asking raises or gives NullType)
    "scalar.tri_gamma": "Theano 1.0.5 raised NotImplementedError for its gradient",
    "scalar.gammainc": "no gradient in Theano 1.0.5", "scalar.gammaincc": "no gradient in "
    "Theano 1.0.5", "scalar.gammau": "no gradient in Theano 1.0.5", "scalar.gammal": "no "
    "gradient in Theano 1.0.5", "scalar.chi2sf": "no gradient in Theano 1.0.5",
    "scalar.complex": "complex output", "scalar.complex_from_polar": "complex output",
    "tensor.basic.Choose": "gradient not implemented (as Theano)",
    "tensor.nlinalg.Eig": "Theano 1.0.5 had no gradient for eig",
    "tensor.nlinalg.SVD": "Theano 1.0.5 had no gradient for svd",
    "tensor.nlinalg.QRFull": "Theano 1.0.5 had no gradient for qr",
    "tensor.nlinalg.QRIncomplete": "Theano 1.0.5 had no gradient for qr",
    "tensor.nlinalg.TensorInv": "gradient not implemented (as Theano)",
    "tensor.nlinalg.TensorSolve": "gradient not implemented (as Theano)",
    "tensor.nlinalg.lstsq": "gradient not implemented (as Theano)",
    "tensor.nlinalg.EighGrad": "internal gradient of Eigh; no second derivative (as Theano)",
    "tensor.slinalg.EigvalshGrad": "internal gradient of Eigvalsh; no second derivative",
    "tensor.slinalg.ExpmGrad": "internal gradient of Expm; no second derivative (as Theano)",
    "tensor.nnet.nnet.CrossentropyCategorical1HotGrad":
        "internal gradient of the 1-hot cross-entropy; no second derivative (as Theano)",
    # -- random sampling (gradient undefined)
    "tensor.raw_random.RandomFunction": "random sampling",
    "sandbox.rng_mrg.MRGUniform": "random sampling",
    "tensor.random.mrg_ops.BoxMuller": "random sampling",
    "sandbox.multinomial.MultinomialFromUniform": "random sampling",
    "sandbox.multinomial.ChoiceFromUniform": "random sampling",
    "sandbox.rng_mrg.DotModulo": "random-stream seeding arithmetic on integers",
    "sandbox.multinomial.MultinomialWOReplacementFromUniform": "random sampling",
    "scan.utils.ScanUpdateNotGiven": "stand-in default update of a random state advanced "
                                     "inside scan (tests/unit/scan/test_scan.py)",
    # -- convolution bases (applied through their 2-d/3-d subclasses, which have cases)
    "tensor.nnet.abstract_conv.BaseAbstractConv": "shared base of the convolution Ops",
    "tensor.nnet.abstract_conv.AbstractConv": "N-d base of AbstractConv2d/3d",
    "tensor.nnet.abstract_conv.AbstractConv_gradWeights": "N-d base of the gradWeights Ops",
    "tensor.nnet.abstract_conv.AbstractConv_gradInputs": "N-d base of the gradInputs Ops",
    "tensor.nnet.corr._BaseCorr": "shared base of the CorrMM / Corr3dMM Ops",
    "tensor.nnet.corr._CorrForward": "N-d base of CorrMM / Corr3dMM",
    "tensor.nnet.corr._CorrGradWeights": "N-d base of the CorrMM gradWeights Ops",
    "tensor.nnet.corr._CorrGradInputs": "N-d base of the CorrMM gradInputs Ops",
    "tensor.nnet.corr.BaseCorrMM": "shared base of CorrMM and its gradient Ops",
    "tensor.nnet.corr3d.BaseCorr3dMM": "shared base of Corr3dMM and its gradient Ops",
    # -- the optimizer API's and in-place Ops' support (compile/pipeline.py, gof/op.py)
    "compile.pipeline.DestroyGuardCopy": "copy given to a user Op declaring destroy_map, "
                                         "inserted at compile time after gradients",
    "gof.op.COp": "base class of C-code Ops (a subclass's perform is what runs)",
    "gof.op.OpenMPOp": "base class of Ops with OpenMP C code",
    # -- typed lists (tests/unit/typed_list): Python lists, no gradient in Theano 1.0.5
    "typed_list.basic._ListOp": "shared base of the typed-list Ops",
    "typed_list.basic._ChangeOp": "shared base of the list-changing Ops (inplace flag)",
    **{f"typed_list.basic.{name}": "a typed-list Op: Theano 1.0.5 gave it no gradient "
       "(grad raised); its values are tested in tests/unit/typed_list/test_basic.py"
       for name in ("GetItem", "Append", "Extend", "Insert", "Remove", "Reverse", "Index",
                    "Count", "Length", "MakeList")},
    # -- Theano's C BLAS Ops (tensor/blas_c.py): Gemv and Ger computed without C
    **{f"tensor.blas_c.{name}": "Theano's C form of Gemv/Ger, which had no gradient (BLAS "
       "Ops enter graphs after differentiation); values in tests/unit/tensor/test_blas_c.py"
       for name in ("CGemv", "CGer")},
}

# ----------------------------------------------------------------------------- the cases

DOMAINS = {
    "any": (-2.0, 2.0), "pos": (0.5, 2.0), "unit": (-0.8, 0.8), "gt1": (1.2, 3.0),
    "small": (-1.2, 1.2), "gampos": (0.6, 3.0), "frac": (0.1, 0.4), "neg": (-2.0, -0.2),
    "erfc": (0.2, 1.8), "nonzero": (0.5, 2.0),
}


class Case:
    """fun(*inputs) -> one output; `inputs` are (shape, domain) pairs or fixed arrays."""

    def __init__(self, fun, *inputs, dtypes=("float64", "float32"), f32_tol=None):
        self.fun, self.inputs, self.dtypes, self.f32_tol = fun, inputs, dtypes, f32_tol

    def values(self, rng, dtype):
        out = []
        for spec in self.inputs:
            if isinstance(spec, np.ndarray):
                out.append(spec.astype(dtype))
                continue
            shape, domain = spec
            lo, hi = DOMAINS[domain]
            v = rng.uniform(lo, hi, size=shape)
            if domain == "nonzero":
                v *= rng.choice([-1.0, 1.0], size=shape)
            out.append(np.asarray(v, dtype=dtype))
        return out


M, ROW, COL, SCALAR, VEC, T3 = (3, 4), (1, 4), (3, 1), (), (4,), (2, 3, 4)


def _flatten_op(x):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # Theano's deprecated Op class
        return T.Flatten(2)(x)


def ew(scalar_op):
    return elemwise_of(scalar_op)


def spd(a):
    """A symmetric positive definite matrix built from any square matrix."""
    return T.dot(a, a.T) + 3.0 * T.eye(a.shape[0], dtype=a.dtype)


IDX = np.array([[2, 0, 1, 1], [0, 0, 2, 1], [1, 2, 0, 0]])  # along axis 0 of a (3, 4)
PERM = np.array([[2, 0, 3, 1], [1, 3, 0, 2], [3, 2, 1, 0]])
POOL_X = ((np.random.RandomState(0).permutation(40) - 20.0) / 7.0).reshape(1, 2, 4, 5)
MASK = np.array([[True, False, True, True], [False, True, False, True],
                 [True, True, False, False]])

UNARY = {
    "neg": "any", "abs_": "nonzero", "sgn": "nonzero", "inv": "nonzero", "sqr": "any",
    "sqrt": "pos", "exp": "any", "exp2": "any", "expm1": "any", "log": "pos", "log2": "pos",
    "log10": "pos", "log1p": "pos", "log1mexp": "neg", "sigmoid": "any", "softplus": "any",
    "sin": "any", "cos": "any", "tan": "small", "arcsin": "unit", "arccos": "unit",
    "arctan": "any", "sinh": "any", "cosh": "any", "tanh": "any", "arcsinh": "any",
    "arccosh": "gt1", "arctanh": "unit", "deg2rad": "any", "rad2deg": "any", "erf": "any",
    "erfc": "any", "erfcx": "any", "erfinv": "unit", "erfcinv": "erfc", "gamma": "gampos",
    "gammaln": "gampos", "psi": "gampos", "j0": "any", "j1": "any", "i0": "any", "i1": "any",
    "ceil": "any", "floor": "any", "trunc": "any", "round_half_to_even": "any",
    "round_half_away_from_zero": "any", "identity": "any", "angle": "nonzero",
    "softsign": "any", "xlogx": "pos",
}
BINARY = {
    "add": ("any", "any"), "sub": ("any", "any"), "mul": ("any", "any"),
    "true_div": ("any", "nonzero"), "int_div": ("any", "nonzero"), "mod": ("any", "nonzero"),
    "pow": ("pos", "any"), "maximum": ("any", "any"), "minimum": ("any", "any"),
    "arctan2": ("any", "nonzero"), "second": ("any", "any"), "xlogy0": ("any", "pos"),
}
# Broadcasting patterns for the binary ops: gradients are summed over broadcast axes.
PATTERNS = {"mm": (M, M), "row_col": (ROW, COL), "scalar_m": (SCALAR, M), "m_vec": (M, VEC)}

CASES = {}
for _name, _dom in UNARY.items():
    CASES[f"scalar.{_name}"] = Case(ew(getattr(S, _name)), (M, _dom))
for _name, (_da, _db) in BINARY.items():
    for _pname, (_sa, _sb) in PATTERNS.items():
        CASES[f"scalar.{_name}:{_pname}"] = Case(ew(getattr(S, _name)), (_sa, _da), (_sb, _db))

CASES.update({
    "DoubleOp": Case(lambda x: DoubleOp()(x), (M, "any")),
    "PdbBreakpoint": Case(lambda x: PdbBreakpoint("b")(T.gt(x.sum(), 1e9), x) * x, (M, "any")),
    # scalar ops with non-tensor arguments or several roles
    "scalar.jv": Case(lambda x: T.jv(2.5, x), (M, "pos")),
    "scalar.iv": Case(lambda x: T.iv(1.5, x), (M, "pos")),
    "scalar.switch": Case(lambda c, a, b: T.switch(c > 0, a, b), (M, "any"), (ROW, "any"),
                          (M, "any")),
    "scalar.clip": Case(lambda x, lo, hi: T.clip(x, lo, hi + 0.5), (M, "any"),
                        (SCALAR, "frac"), (COL, "frac")),
    # float32 only: a cast in the float64 run would round the output to float32
    "scalar.Cast": Case(lambda x: T.cast(x, "float64") ** 2, (M, "any"), dtypes=("float32",)),
    "scalar.Composite": Case(
        lambda x, y: Elemwise(Composite([x.dtype, y.dtype], [
            (S.mul, (0, 1), x.dtype), (S.exp, (2,), x.dtype), (S.add, (3, 0), x.dtype)]))(x, y),
        (M, "any"), (ROW, "any")),
    # shapes and construction
    "MakeVector": Case(lambda a, b: T.stack([a, b, a * b]) ** 2, (SCALAR, "any"),
                       (SCALAR, "any")),
    "Reshape": Case(lambda x: x.reshape((2, 6)) * np.arange(12.0).reshape(2, 6), (M, "any")),
    "SpecifyShape": Case(lambda x: T.specify_shape(x, (3, 4)) ** 2, (M, "any")),
    "TensorCopy": Case(lambda x: T.TensorCopy()(x) ** 2, (M, "any")),
    "ViewOp": Case(lambda x: theano.compile.ops.view_op(x) ** 2, (M, "any")),
    "DeepCopyOp": Case(lambda x: theano.compile.ops.deep_copy_op(x) ** 2, (M, "any")),
    "Alloc": Case(lambda v, s: T.alloc(v, 3, 4) * T.alloc(s, 2, 3, 1), (VEC, "any"),
                  (SCALAR, "any")),
    "ARange:start": Case(lambda a: T.arange(a, a + 3.4, 0.5) ** 2, (SCALAR, "any")),
    "ARange:step": Case(lambda s: T.arange(0.0, 2.0, s) ** 2, np.array(0.27)),
    "Join": Case(lambda a, b: T.concatenate([a, b ** 2], axis=0), (M, "any"), (ROW, "any")),
    "Split": Case(lambda x: T.sum(T.split(x, [1, 2], 2, axis=0)[0], axis=0)
                  * T.sum(T.split(x, [1, 2], 2, axis=0)[1] ** 2, axis=0), (M, "any")),
    "DimShuffle": Case(lambda x: x.dimshuffle(1, "x", 0) * np.arange(12.0).reshape(4, 1, 3),
                       (M, "any")),
    "MaxAndArgmax": Case(lambda x: T.max_and_argmax(x, [0])[0] ** 2, (M, "any")),
    "Flatten": Case(lambda x: _flatten_op(x) ** 2, (T3, "any")),
    "TensorFromScalar": Case(lambda x: T.tensor_from_scalar(T.scalar_from_tensor(x)) ** 2,
                             (SCALAR, "any")),
    "Rebroadcast": Case(lambda r, m: T.Rebroadcast((0, True))(r) * m, np.ones((1, 4)) * 0.3,
                        (M, "any")),
    "CpuContiguous": Case(lambda x: extra_ops.cpu_contiguous(x.T) ** 2, (M, "any")),
    "_PrintOp": Case(lambda x: theano.printing.Print("x", attrs=())(x) ** 2, (M, "any")),
    # reductions
    "Sum": Case(lambda x: T.sum(x, axis=(0, 2), keepdims=True) * x, (T3, "any")),
    "Prod": Case(lambda x: T.prod(x, axis=1), (T3, "nonzero")),
    "Max": Case(lambda x: T.max(x, axis=-1), (T3, "any")),
    "Min": Case(lambda x: T.min(x, axis=(0, 1), keepdims=True), (T3, "any")),
    # sorting, scans, repetition, diagonals
    "SortOp": Case(lambda x: T.sort(x, axis=0) * np.arange(12.0).reshape(3, 4), (M, "any")),
    "TopKOp": Case(lambda x: T.topk(x, 2, axis=1, sorted=False) * np.array([1.0, 2.0]), (M, "any")),
    "CumOp:sum": Case(lambda x: T.cumsum(x, axis=1) ** 2, (M, "any")),
    "CumOp:prod": Case(lambda x: T.cumprod(x), (M, "nonzero")),
    "RepeatOp": Case(lambda x: T.repeat(x, np.array([2, 0, 1, 3]), axis=1) ** 2, (M, "any")),
    "Tile": Case(lambda x: T.tile(x, (2, 1, 2)) ** 2, (M, "any")),
    "ExtractDiag": Case(lambda x: T.diagonal(x, 1) ** 2, (M, "any")),
    "AllocDiag": Case(lambda v: T.diag(v) ** 2, (VEC, "any")),
    "AllocDiag:axes": Case(lambda x: T.AllocDiag(-1, 0, 2)(x) ** 2, (M, "any")),
    "nlinalg.AllocDiag": Case(lambda v: nlinalg.alloc_diag(v) ** 2, (VEC, "any")),
    "FillDiagonal": Case(lambda a, v: T.fill_diagonal(a, v) ** 2, (M, "any"), (SCALAR, "any")),
    "FillDiagonalOffset": Case(lambda a, v: T.fill_diagonal_offset(a, v, 1) ** 2, (M, "any"),
                               (SCALAR, "any")),
    "DiffOp": Case(lambda x: extra_ops.diff(x, n=2, axis=1) ** 2, (M, "any")),
    "PermuteRowElements": Case(lambda x: T.permute_row_elements(x, PERM) * np.arange(12.0)
                               .reshape(3, 4), (ROW, "any")),
    # the ops gradients are made of (second-order gradients go through them)
    "PutAlongAxis": Case(lambda b, v: extra_ops.PutAlongAxis(1)(b, np.argsort(PERM), v),
                         (M, "any"), (M, "any")),
    "TakeAlongAxis": Case(lambda x: extra_ops.TakeAlongAxis(0)(x, IDX) ** 2, (M, "any")),
    "ScatterAddAlongAxis": Case(lambda b, v: extra_ops.ScatterAddAlongAxis(0)(b, IDX, v) ** 2,
                                (M, "any"), (M, "any")),
    "RepeatGrad": Case(lambda g: extra_ops.RepeatGrad(1)(T.zeros((3, 3)), np.array([2, 0, 3]), g)
                       ** 2, ((3, 5), "any")),
    "TileGrad": Case(lambda g: extra_ops.TileGrad()(T.zeros((2, 2)), T.constant(np.array([2, 3])),
                                                    g) ** 2, ((4, 6), "any")),
    "DiagGrad": Case(lambda g: extra_ops.DiagGrad(1)(T.zeros((3, 4)), g) ** 2, ((3,), "any")),
    "_AssertAll": Case(lambda x: extra_ops._AssertAll("x is not NaN")(x, T.all(T.eq(x, x)))
                       ** 2, (M, "any")),
    "Einsum": Case(lambda a, b: batched.Einsum("ij,kj->ik")(a, b), (M, "any"), ((2, 4), "any")),
    "SoftmaxGrad": Case(lambda dy, sm: crossentropy.SoftmaxGrad()(dy, sm), (M, "any"),
                        (M, "pos")),
    "FusedMultiplyAdd": Case(fused_multiply_add, (M, "any"), (ROW, "any"), (COL, "any")),
    # products
    "Dot:mm": Case(T.dot, (M, "any"), ((4, 2), "any")),
    "Dot:mv": Case(T.dot, (M, "any"), (VEC, "any")),
    "Dot:vm": Case(T.dot, ((3,), "any"), (M, "any")),
    "Dot:vv": Case(T.dot, (VEC, "any"), (VEC, "any")),
    "Dot:row": Case(T.dot, (ROW, "any"), ((4, 2), "any")),
    "BatchedTensordot": Case(T.batched_dot, (T3, "any"), ((2, 4, 3), "any")),
    # indexing
    "Subtensor": Case(lambda x: x[1:, ::-2] * x[0, 1], (M, "any")),
    "AdvancedSubtensor1": Case(lambda x: x[np.array([2, 0, 2])] ** 2, (M, "any")),
    "AdvancedSubtensor": Case(lambda x: x[np.array([0, 2, 2]), np.array([1, 3, 3])] ** 2,
                              (M, "any")),
    "AdvancedBooleanSubtensor": Case(lambda x: x[MASK] ** 2, (M, "any")),
    "IncSubtensor": Case(lambda x, y: T.inc_subtensor(x[1:, 2], y) ** 2, (M, "any"),
                         (SCALAR, "any")),
    "IncSubtensor:set": Case(lambda x, y: T.set_subtensor(x[0:2], y) ** 2, (M, "any"),
                             (ROW, "any")),
    "AdvancedIncSubtensor1": Case(lambda x, y: T.inc_subtensor(x[np.array([2, 0, 2])], y) ** 2,
                                  (M, "any"), (ROW, "any")),
    "AdvancedIncSubtensor": Case(
        lambda x, y: T.set_subtensor(x[np.array([0, 2]), np.array([1, 3])], y) ** 2,
        (M, "any"), ((2,), "any")),
    "AdvancedBooleanIncSubtensor": Case(lambda x, y: T.inc_subtensor(x[MASK], y) ** 2,
                                        (M, "any"), (SCALAR, "any")),
    # nnet
    "Softmax": Case(T.nnet.softmax, (M, "any")),
    "LogSoftmax": Case(T.nnet.logsoftmax, (M, "any")),
    "CrossentropyCategorical1Hot": Case(lambda x: crossentropy.crossentropy_categorical_1hot(
        T.nnet.softmax(x), np.array([1, 0, 3])), (M, "any")),
    # pooling (tests/unit/tensor/signal/test_pool.py checks every mode against NumPy); POOL_X
    # has distinct values, so max pooling is differentiable there
    "Pool": Case(lambda x: signal_pool.pool_2d(x, ws=(2, 3), stride=(1, 2), pad=(1, 1),
                                               ignore_border=True), POOL_X),
    "Pool:average": Case(lambda x: signal_pool.pool_2d(x, ws=(3, 2), stride=(2, 1),
                                                       ignore_border=False,
                                                       mode="average_exc_pad"), POOL_X),
    "MaxPoolGrad": Case(lambda x: T.grad((signal_pool.pool_2d(
        x, ws=(2, 2), stride=(1, 1), ignore_border=False) ** 2).sum(), x), POOL_X),
    "AveragePoolGrad": Case(lambda x: T.grad((signal_pool.pool_2d(
        x, ws=(2, 2), pad=(1, 1), ignore_border=True, mode="average_inc_pad") ** 2).sum(), x),
        POOL_X),
    "DownsampleFactorMaxGradGrad": Case(lambda g: signal_pool.DownsampleFactorMaxGradGrad(True)(
        T.cast(POOL_X, g.dtype), signal_pool.pool_2d(T.cast(POOL_X, g.dtype), ws=(2, 2),
                                                     ignore_border=True), g, (2, 2)),
        (POOL_X.shape, "any")),
    "Images2Neibs": Case(lambda x: neighbours.images2neibs(x, (3, 2), (2, 1), mode="half"),
                         ((1, 2, 5, 4), "any")),
    "Images2NeibsGrad": Case(lambda x: T.grad((neighbours.images2neibs(
        x, (3, 3), (1, 1), mode="wrap_centered") ** 2).sum(), x), ((1, 1, 4, 5), "any")),
    # linear algebra
    "MatrixInverse": Case(lambda a: nlinalg.matrix_inverse(spd(a)), ((3, 3), "any")),
    "MatrixPinv": Case(nlinalg.pinv, (M, "any"), f32_tol=3e-2),
    "Det": Case(lambda a: nlinalg.det(spd(a)), ((3, 3), "any")),
    "Eigh": Case(lambda a: nlinalg.eigh(spd(a))[0] + nlinalg.eigh(spd(a))[1][0] ** 2,
                 ((3, 3), "any"), dtypes=("float64",)),
    "Cholesky": Case(lambda a: slinalg.cholesky(spd(a)), ((3, 3), "any")),
    "Solve": Case(lambda a, b: slinalg.solve(spd(a), b), ((3, 3), "any"), ((3, 2), "any")),
    "Eigvalsh": Case(lambda a, b: slinalg.eigvalsh(spd(a), spd(b)), ((3, 3), "any"),
                     ((3, 3), "any"), dtypes=("float64",)),
    "Expm": Case(lambda a: slinalg.expm(a * 0.5), ((3, 3), "any")),
    # loops: the jacobian's loop over rows (a Scan over arange; its gradient a reverse Scan)
    "Scan:jacobian": Case(lambda x: jacobian(T.tanh(x) * x.sum(), x), ((3,), "any")),
    # scan: back-propagation through time over a recurrence with two taps, a sequence, a
    # non-sequence and the initial states (tests/unit/scan/test_scan.py checks the rest)
    "Scan": Case(lambda x, h0, w: theano.scan(
        lambda xt, h2, h1, w: T.tanh(xt * w + h1 * 0.5 - h2 * 0.25),
        sequences=x, outputs_info=dict(initial=h0, taps=[-2, -1]), non_sequences=w)[0],
        ((4, 3), "any"), ((2, 3), "any"), ((3,), "any")),
    # convolutions (tests/unit/tensor/nnet/test_conv.py checks every parameter against SciPy);
    # in float32 each output is a long sum, so finite differences (eps 3e-4) carry ~1e-2
    # rounding noise
    "AbstractConv2d": Case(lambda x, w: T.nnet.conv2d(x, w, border_mode="half",
                                                      subsample=(2, 1), num_groups=2),
                           ((2, 4, 5, 4), "any"), ((4, 2, 3, 2), "any"), f32_tol=5e-2),
    "AbstractConv2d_gradWeights": Case(
        lambda x, g: abstract_conv.AbstractConv2d_gradWeights(
            border_mode=1, filter_dilation=(1, 2))(x, g, (2, 2)),
        ((2, 2, 3, 3), "any"), ((2, 3, 4, 3), "any"), f32_tol=5e-2),
    "AbstractConv2d_gradInputs": Case(
        lambda w, g: abstract_conv.AbstractConv2d_gradInputs(
            border_mode="full", subsample=(2, 2), filter_flip=False)(w, g, (4, 5)),
        ((3, 2, 2, 3), "any"), ((2, 3, 3, 4), "any"), f32_tol=5e-2),
    "AbstractConv3d": Case(lambda x, w: T.nnet.conv3d(x, w, border_mode=(1, 0, 1)),
                           ((2, 2, 3, 4, 3), "any"), ((2, 2, 2, 2, 2), "any"), f32_tol=5e-2),
    "AbstractConv3d_gradWeights": Case(
        lambda x, g: abstract_conv.AbstractConv3d_gradWeights(subsample=(1, 2, 1))(
            x, g, (2, 2, 2)), ((2, 2, 3, 4, 3), "any"), ((2, 2, 2, 2, 2), "any"),
        f32_tol=5e-2),
    "AbstractConv3d_gradInputs": Case(
        lambda w, g: abstract_conv.AbstractConv3d_gradInputs(border_mode="half")(
            w, g, (3, 2, 3)), ((2, 2, 2, 2, 2), "any"), ((2, 2, 4, 3, 4), "any"),
        f32_tol=5e-2),
    "ConvOp": Case(lambda x, w: conv.conv2d(x, w, border_mode="full"), ((2, 2, 3, 4), "any"),
                   ((3, 2, 2, 2), "any"), f32_tol=5e-2),
    # CorrMM / Corr3dMM (tests/unit/tensor/nnet/test_corr*.py check them against a direct
    # correlation), block-sparse products, CTC, the diagonal stripes of conv3d2d
    "CorrMM": Case(lambda x, w: corr.CorrMM("half", (2, 1), num_groups=2)(x, w),
                   ((2, 4, 5, 4), "any"), ((4, 2, 3, 2), "any"), f32_tol=5e-2),
    "CorrMM_gradWeights": Case(
        lambda x, g: corr.CorrMM_gradWeights(1, filter_dilation=(1, 2))(x, g, (2, 2)),
        ((2, 2, 3, 3), "any"), ((2, 3, 4, 3), "any"), f32_tol=5e-2),
    "CorrMM_gradInputs": Case(
        lambda w, g: corr.CorrMM_gradInputs("full", (2, 2))(w, g, (4, 5)),
        ((3, 2, 2, 3), "any"), ((2, 3, 3, 4), "any"), f32_tol=5e-2),
    "Corr3dMM": Case(lambda x, w: corr3d.Corr3dMM((1, 0, 1))(x, w),
                     ((2, 2, 3, 4, 3), "any"), ((2, 2, 2, 2, 2), "any"), f32_tol=5e-2),
    "Corr3dMM_gradWeights": Case(
        lambda x, g: corr3d.Corr3dMM_gradWeights(subsample=(1, 2, 1))(x, g, (2, 2, 2)),
        ((2, 2, 3, 4, 3), "any"), ((2, 2, 2, 2, 2), "any"), f32_tol=5e-2),
    "Corr3dMM_gradInputs": Case(
        lambda w, g: corr3d.Corr3dMM_gradInputs("half")(w, g, (3, 2, 3)),
        ((2, 2, 2, 2, 2), "any"), ((2, 2, 4, 3, 4), "any"), f32_tol=5e-2),
    "SparseBlockGemv": Case(
        lambda W, h, b: blocksparse.sparse_block_dot(
            W, h, np.array([[0, 1, 1], [4, 2, 0]], "int32"), b,
            np.array([[3, 0], [1, 1]], "int32")),
        ((5, 4, 3, 2), "any"), ((2, 3, 3), "any"), ((4, 2), "any")),
    "SparseBlockOuter": Case(
        lambda o, x, y: blocksparse.SparseBlockOuter()(
            o, x, y, np.array([[0, 1, 1], [4, 2, 0]], "int32"),
            np.array([[3, 0], [1, 1]], "int32")),
        ((5, 4, 3, 2), "any"), ((2, 3, 3), "any"), ((2, 2, 2), "any")),
    "ConnectionistTemporalClassification": Case(
        lambda a: ctc.ctc(a, np.array([[1, 2], [2, -1]], "int32"),
                          np.array([4, 3], "int32")), ((4, 2, 3), "any"), f32_tol=5e-2),
    "DiagonalSubtensor": Case(lambda x: conv3d2d.diagonal_subtensor(x, 1, 2),
                              ((2, 5, 3), "any")),
    "IncDiagonalSubtensor": Case(lambda x, a: conv3d2d.inc_diagonal_subtensor(x, 1, 2, a),
                                 ((2, 5, 3), "any"), ((2, 3, 3), "any")),
    # lazy conditional: the gradient goes to the branch taken (the condition is chosen
    # away from its switching point)
    "IfElse:then": Case(lambda a, b: ifelse(T.gt(a.sum(), 0), T.tanh(a) * b, a * b ** 2),
                        (M, "pos"), (M, "any")),
    "IfElse:else": Case(lambda a, b: ifelse(T.gt(a.sum(), 0), T.tanh(a) * b, a * b ** 2),
                        (M, "neg"), (M, "any")),
    # inner graphs: default gradients are OpFromGraphs of the differentiated inner graph
    "OpFromGraph": Case(lambda a, b: _ofg(lambda p, q: [T.tanh(p) * q + p ** 2], a, b)[0],
                        (M, "any"), (ROW, "any")),
    "OpFromGraph:two_outputs": Case(
        lambda a, b: T.prod(_ofg(lambda p, q: [T.exp(p) * q, T.dot(p, q.T)], a, b)[1]) * 0.1
        + _ofg(lambda p, q: [T.exp(p) * q, T.dot(p, q.T)], a, b)[0].sum(),
        (M, "small"), (ROW, "small")),
})
CASES["Assert"] = Case(lambda x: T.opt.assert_op(x, T.all(T.ge(x, -9.0))) * 2.0, (M, "any"))

# theano.tensor.nnet's softmax / cross-entropy / prepend / batch-norm / sigmoid Ops
_W = np.arange(12.0).reshape(3, 4)
_LABELS = np.array([2, 0, 3])
_BN_IN = [(M, "any"), (ROW, "any"), (ROW, "any"), (ROW, "any"), (ROW, "pos")]
CASES.update({
    "SoftmaxWithBias": Case(lambda x, b: crossentropy.softmax_with_bias(x, b) * _W,
                            (M, "any"), (VEC, "any")),
    "CrossentropySoftmaxArgmax1HotWithBias": Case(
        lambda x, b: crossentropy.crossentropy_softmax_argmax_1hot_with_bias(x, b, _LABELS)[0]
        * np.array([1.0, 2.0, 3.0]), (M, "any"), (VEC, "any")),
    "CrossentropySoftmaxArgmax1HotWithBias:sm": Case(
        lambda x, b: crossentropy.crossentropy_softmax_argmax_1hot_with_bias(x, b, _LABELS)[1]
        * _W, (M, "any"), (VEC, "any")),
    "CrossentropySoftmax1HotWithBiasDx": Case(
        lambda dy, sm: crossentropy.crossentropy_softmax_1hot_with_bias_dx(dy, sm, _LABELS) * _W,
        ((3,), "any"), (M, "pos")),
    "Prepend_scalar_constant_to_each_row": Case(
        lambda x: crossentropy.prepend_1_to_each_row(x) ** 2, (M, "any")),
    "Prepend_scalar_to_each_row": Case(
        lambda v, x: crossentropy.prepend_scalar_to_each_row(v, x) ** 2, (SCALAR, "any"),
        (M, "any")),
    "AbstractBatchNormTrain": Case(
        lambda x, g, b, rm, rv: sum(o * w for o, w in zip(
            bn.AbstractBatchNormTrain((0,))(x, g, b, 1e-3, 0.3, rm, rv),
            [_W, 1.0, 2.0, 3.0, 4.0])), *_BN_IN, f32_tol=5e-2),
    "AbstractBatchNormInference": Case(
        lambda x, g, b, m, v: bn.AbstractBatchNormInference((0,))(x, g, b, m, v, 1e-3) * _W,
        *_BN_IN),
    "AbstractBatchNormTrainGrad": Case(
        lambda x, dy, g, m, iv: sum(o * w for o, w in zip(
            bn.AbstractBatchNormTrainGrad((0,))(x, dy, g, m, iv), [_W, 2.0, 3.0])),
        (M, "any"), (M, "any"), (ROW, "any"), (ROW, "any"), (ROW, "pos")),
    "UltraFastScalarSigmoid": Case(lambda x: sigm.ultra_fast_sigmoid(x) * _W, (M, "any")),
})


# ----------------------------------------------------------------------------- helpers


def _ofg(build, *args):
    """An OpFromGraph of `build` over stand-ins of `args`, applied to `args`."""
    stand_ins = [a.type() for a in args]
    return OpFromGraph(stand_ins, build(*stand_ins))(*args, return_list=True)


def _symbolic_inputs(case, dtype):
    values = case.values(np.random.RandomState(0), dtype)
    return [T.TensorType(dtype, tuple(s == 1 for s in v.shape))() for v in values]


def _differentiated_keys(case, dtype):
    """Keys of the ops on a path from an input to the output of the case's graph."""
    inputs = _symbolic_inputs(case, dtype)
    out = case.fun(*inputs)
    live = {id(i) for i in inputs}
    keys = set()
    for node in io_toposort(inputs, [out]):
        if not any(id(i) in live for i in node.inputs):
            continue
        live.update(id(o) for o in node.outputs)
        keys.add(op_key(node.op))
        if isinstance(node.op, Elemwise):
            keys.add(op_key(node.op.scalar_op))
    return keys


def _case_params():
    return [pytest.param(name, dtype, id=f"{name}-{dtype}")
            for name, case in CASES.items() for dtype in case.dtypes]


# Op classes the walk above did not see while they reported Theano's path (its filter then
# compared __module__ with the theano_compat module's name): each still needs a verify_grad
# case or a reason in NOT_CHECKED_BY_FINITE_DIFFERENCES.  Remove a key once it has either
# (test_every_op_is_covered fails on a key no longer needed).  The packages of the prefixes
# were being written by other helpers of issue 16 at the time: classify their Ops then.
UNCLASSIFIED_PREFIXES = ("sparse.", "typed_list.", "tensor.nnet.")
UNCLASSIFIED_SINCE_PUBLIC_PATHS = frozenset({
    "raise_op.Raise", "sandbox.fourier.FFT", "sandbox.fourier.GradTodo",
    "sandbox.linalg.ops.Hint", "scalar.basic.BinaryBitOp", "scalar.basic.BinaryScalarOp",
    "scalar.basic.FixedLogicalComparison", "scalar.basic.InRange",
    "scalar.basic.LogicalComparison", "scalar.basic.UnaryBitOp", "scalar.basic.UnaryScalarOp",
    "scalar.basic_sympy.SymPyCCode", "tensor.blas.BatchedDot", "tensor.blas.Dot22",
    "tensor.blas.Dot22Scalar", "tensor.blas.Gemm", "tensor.blas.GemmRelated",
    "tensor.blas.Gemv", "tensor.blas.Ger", "tensor.blas_scipy.ScipyGer",
    "tensor.elemwise.CAReduceDtype", "tensor.elemwise.MulWithoutZeros",
    "tensor.elemwise.ProdWithoutZeros", "tensor.extra_ops.CumprodOp",
    "tensor.extra_ops.CumsumOp", "tensor.fft.IRFFTOp", "tensor.fft.RFFTOp",
    "tensor.fourier.Fourier", "tensor.io.LoadFromDisk", "tensor.io.MPIRecv",
    "tensor.io.MPIRecvWait", "tensor.io.MPISend", "tensor.io.MPISendWait",
    "tensor.slinalg.CholeskyGrad", "tensor.sort.ArgSortOp", "tensor.sort.SortOp",
    "tensor.sort._PermuteAlongAxis", "tensor.sort._SortBase",
    "tensor.subtensor.BaseAdvancedIncSubtensor", "tensor.subtensor.BaseAdvancedSubtensor",
})


# ----------------------------------------------------------------------------- tests


@pytest.mark.parametrize("name,dtype", _case_params())
def test_verify_grad(name, dtype):
    case = CASES[name]
    rng = np.random.RandomState(zlib.crc32(name.encode()))
    pt = case.values(rng, dtype)
    tol = case.f32_tol if dtype == "float32" else None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # e.g. the round() default-mode warning
        verify_grad(case.fun, pt, rng=rng, abs_tol=tol, rel_tol=tol)
    # The symbolic gradients keep each input's dtype and broadcastable pattern.
    inputs = _symbolic_inputs(case, dtype)
    grads = T.grad(T.sum(case.fun(*inputs)), inputs, disconnected_inputs="ignore")
    for x, g in zip(inputs, grads):
        assert g.dtype == x.dtype, (name, g.dtype, x.dtype)
        assert g.broadcastable == x.broadcastable, (name, g.broadcastable, x.broadcastable)


def test_every_op_is_covered():
    ops = library_ops()
    covered = set()
    for case in CASES.values():
        covered |= _differentiated_keys(case, case.dtypes[0])
    missing = sorted(k for k in ops - covered - set(NOT_CHECKED_BY_FINITE_DIFFERENCES)
                     - UNCLASSIFIED_SINCE_PUBLIC_PATHS if not k.startswith(UNCLASSIFIED_PREFIXES))
    assert not missing, (
        "ops with neither a verify_grad case in tests/unit/test_op_coverage.py nor a reason "
        f"in NOT_CHECKED_BY_FINITE_DIFFERENCES: {missing}")
    # The list of exceptions names no op that is gone (renamed ops must be re-listed).
    stale = sorted(set(NOT_CHECKED_BY_FINITE_DIFFERENCES) - ops)
    assert not stale, f"NOT_CHECKED_BY_FINITE_DIFFERENCES names unknown ops: {stale}"
    done = sorted(UNCLASSIFIED_SINCE_PUBLIC_PATHS - (ops - covered
                                                     - set(NOT_CHECKED_BY_FINITE_DIFFERENCES)))
    assert not done, f"remove from UNCLASSIFIED_SINCE_PUBLIC_PATHS: {done}"


def test_enumeration_finds_known_ops():
    # Guards the walk itself: if it stopped finding ops, the coverage test would pass
    # vacuously.
    ops = library_ops()
    for key in ["scalar.add", "scalar.tanh", "scalar.basic.Cast", "tensor.basic.Dot",
                "tensor.subtensor.AdvancedIncSubtensor1", "tensor.nnet.nnet.Softmax",
                "tensor.extra_ops.CumOp", "scan_module.scan_op.Scan", "tensor.elemwise.Elemwise"]:
        assert key in ops, key
    assert len(ops) > 150


def test_case_keys_name_their_op():
    # Each case named after an op (before any ':') really differentiates through it.
    for name, case in CASES.items():
        head = name.split(":")[0]
        keys = _differentiated_keys(case, case.dtypes[0])
        if head.startswith("scalar."):
            target = head if f"scalar.{head[7:]}" in keys else None
            assert target or any(k.endswith("." + head[7:]) for k in keys), (name, keys)
        else:
            assert any(k.endswith("." + head) for k in keys), (name, keys)


# ----------------------------------------------------------------------------- Rop / Lop

# Ops without R_op, as in Theano 1.0.5 (Rop through them raised there too).  Rop through
# any other op on a case's path must work and agree with finite differences.
NO_R_OP = {
    "tensor.basic.ExtractDiag", "tensor.extra_ops.FillDiagonal",
    "tensor.extra_ops.FillDiagonalOffset", "tensor.extra_ops._AssertAll",
    "tests.breakpoint.PdbBreakpoint",
    "tensor.opt.Assert",
    "tensor.sort.TopKOp", "tensor.basic.PermuteRowElements",
    "tensor.nlinalg.MatrixPinv", "tensor.nlinalg.Det", "tensor.nlinalg.Eigh",
    "tensor.slinalg.Cholesky", "tensor.slinalg.Solve", "tensor.slinalg.Eigvalsh",
    "tensor.slinalg.Expm", "tensor.nnet.nnet.SoftmaxGrad",
    "tensor.nnet.nnet.CrossentropyCategorical1Hot",
    # Theano had no such op (its MRG kernels fused the multiply-add in C).
    "tensor.random.mrg_ops.FusedMultiplyAdd",
}
# theano.tensor.nnet's Ops without R_op in Theano 1.0.5 either
NO_R_OP |= {
    "tensor.nnet.nnet.SoftmaxWithBias",
    "tensor.nnet.nnet.CrossentropySoftmaxArgmax1HotWithBias",
    "tensor.nnet.nnet.CrossentropySoftmax1HotWithBiasDx",
    "tensor.nnet.nnet.Prepend_scalar_constant_to_each_row",
    "tensor.nnet.nnet.Prepend_scalar_to_each_row",
    "tensor.nnet.bn.AbstractBatchNormTrain", "tensor.nnet.bn.AbstractBatchNormInference",
    "tensor.nnet.bn.AbstractBatchNormTrainGrad",
}

# Ops of Theano 1.0.5 that had an R_op: ours must have one too.
THEANO_R_OPS = [
    "compile.ops.Shape", "tensor.opt.MakeVector", "tensor.basic.Reshape",
    "compile.ops.SpecifyShape", "tensor.basic.TensorCopy", "tensor.basic.Alloc",
    "tensor.basic.ARange", "tensor.basic.Join", "tensor.basic.Split",
    "tensor.elemwise.Elemwise", "tensor.elemwise.DimShuffle", "tensor.elemwise.Sum",
    "tensor.elemwise.Max", "tensor.elemwise.Min", "tensor.basic.Dot",
    "tensor.batched.BatchedTensordot", "tensor.subtensor.Subtensor",
    "tensor.subtensor.AdvancedSubtensor1", "tensor.subtensor.AdvancedSubtensor",
    "tensor.subtensor.IncSubtensor", "tensor.subtensor.AdvancedIncSubtensor1",
    "tensor.subtensor.AdvancedIncSubtensor", "compile.ops.Rebroadcast", "tensor.nnet.nnet.Softmax",
    "tensor.nnet.nnet.LogSoftmax", "tensor.nlinalg.MatrixInverse", "gradient.ZeroGrad",
    "gradient.DisconnectedGrad", "gradient.UndefinedGrad", "tensor.raw_random.RandomFunction",
    "printing._PrintOp", "ifelse.IfElse", "scan_module.scan_op.Scan",
    "tensor.signal.pool.Pool",
    "compile.builders.OpFromGraph", "tensor.nnet.abstract_conv.AbstractConv2d",
    "tensor.nnet.abstract_conv.AbstractConv3d", "tensor.nnet.conv.ConvOp",
]

ROP_CASES = [n for n, c in CASES.items() if "float64" in c.dtypes
             and not n.startswith("ARange")]  # ARange.R_op gives no tangent, as in Theano


def _class_by_key(key):
    module, name = key.rsplit(".", 1)
    return getattr(importlib.import_module("theano_compat." + module), name)


def test_theano_r_ops_exist():
    missing = [k for k in THEANO_R_OPS if _class_by_key(k).R_op is Op.R_op]
    assert not missing, missing
    extra = [k for k in NO_R_OP if _class_by_key(k).R_op is not Op.R_op]
    assert not extra, f"listed in NO_R_OP but defines R_op: {extra}"


@pytest.mark.parametrize("name", ROP_CASES)
def test_rop_matches_jvp_and_lop_is_its_transpose(name):
    case = CASES[name]
    rng = np.random.RandomState(zlib.crc32(name.encode()) + 1)
    xs = case.values(rng, "float64")
    inputs = _symbolic_inputs(case, "float64")
    out = case.fun(*inputs)
    if _differentiated_keys(case, "float64") & NO_R_OP:
        with pytest.raises(NotImplementedError, match="R_op"):
            T.Rop(out, inputs, [x.type() for x in inputs])
        return
    tangents = [x.type() for x in inputs]
    vs = [rng.standard_normal(np.shape(x)) for x in xs]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        rop = T.Rop(out, inputs, tangents, disconnected_outputs="ignore")
        f_rop = theano.function(inputs + tangents, rop, on_unused_input="ignore")
        f = theano.function(inputs, out)
        h = 1e-6
        jvp = (f(*[x + h * v for x, v in zip(xs, vs)])
               - f(*[x - h * v for x, v in zip(xs, vs)])) / (2 * h)
        got = f_rop(*xs, *vs)
        np.testing.assert_allclose(got, jvp, rtol=1e-5, atol=1e-6)
        # <u, J v> == <J^T u, v>: Lop is the transpose of Rop.
        u = out.type()
        uv = rng.standard_normal(np.shape(jvp))
        lop = T.Lop(out, inputs, u, disconnected_inputs="ignore")
        lops = theano.function(inputs + [u], lop, on_unused_input="ignore")(*xs, uv)
    lhs = float(np.sum(uv * got))
    rhs = float(sum(np.sum(lv * v) for lv, v in zip(lops, vs)))
    np.testing.assert_allclose(lhs, rhs, rtol=1e-9, atol=1e-9)


# ----------------------------------------------------------------------------- conventions
# Gradient rules that are Theano 1.0.5 conventions rather than calculus (checked with
# tools/theano-ref; tests/unit/test_gradient.py covers max/maximum ties, clip bounds and
# integer inputs).


def test_second_gives_its_shape_input_a_disconnected_gradient():
    x, y = T.dvectors("x", "y")
    with pytest.raises(theano.gradient.DisconnectedInputError):
        T.grad(T.fill(x, y).sum(), x)
    g = T.grad(T.fill(x, y).sum() + x.sum(), [x, y])
    got = theano.function([x, y], g)(np.ones(3), np.ones(3))
    np.testing.assert_array_equal(got, [np.ones(3), np.ones(3)])


def test_undefined_and_unimplemented_gradients():
    x, v = T.dvectors("x", "v")
    with pytest.raises(theano.gradient.NullTypeGradError, match="jv op is not implemented"):
        T.grad(T.jv(v, x).sum(), v)
    with pytest.raises(theano.gradient.NullTypeGradError, match="Nonzero op is mathematically"):
        T.grad(T.cast(T.nonzero(x)[0], "float64").sum(), x)
    # angle of a real number is piecewise constant: zero gradient (not undefined).
    g = T.grad(T.angle(x).sum(), x)
    np.testing.assert_array_equal(g.eval({x: np.array([-1.0, 2.0])}), [0.0, 0.0])


def test_rop_through_integer_inputs():
    # Theano 1.0.5 propagates an integer eval point through a cast (values from theano-ref).
    i = T.ivector("i")
    x = T.dvector("x")
    iv = np.array([1, 2], dtype="int32")
    r = T.Rop(T.cast(i, "float64") * 2, i, i)
    np.testing.assert_array_equal(theano.function([i], r)(iv), [2.0, 4.0])
    r = T.Rop(T.cast(i, "float64") * x, i, i)
    np.testing.assert_array_equal(theano.function([i, x], r)(iv, np.array([3.0, 4.0])),
                                  [3.0, 8.0])
