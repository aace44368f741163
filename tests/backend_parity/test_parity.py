"""Every Op of the library on NumPy and on CuPy: forward and gradient, float32 and float64.

The cases are tests/unit/test_op_coverage.py's CASES table, imported (every Op class of
the package is on the differentiated path of some case, or on its exemption list, and
the exempted ones are covered by the forward-only table of parity.py).  Each case runs

* node by node: every Apply of the case's graph and of its gradient graph, unrewritten,
  with its NumPy implementation and with its device implementation (elementwise nodes
  through their CUDA kernel);
* compiled: ``theano.function`` of the output and gradients (FAST_RUN: fusion into one
  kernel per group, device placement of inputs, constants, shared values and outputs)
  on the CPU and on the GPU.

Needs an NVIDIA GPU with CuPy (skips otherwise, with the reason):

    THEANO_FLAGS=device=cuda python -m pytest tests/backend_parity

THEANO_COMPAT_FAKE_GPU=1 runs it on the simulated GPU of tests/support/fake_cupy.py.
"""

import pytest

from tests.backend_parity import parity
from tests.unit.test_op_coverage import NOT_CHECKED_BY_FINITE_DIFFERENCES, library_ops

CASES = [pytest.param(n, d, id=f"{n}-{d}") for n, d in parity.case_params()]


@pytest.mark.parametrize("name,dtype", CASES)
def test_nodes_numpy_vs_device(device, name, dtype):
    assert parity.check_nodes(name, dtype, device) > 0


@pytest.mark.parametrize("name,dtype", CASES)
def test_compiled_numpy_vs_device(device, name, dtype):
    f = parity.check_function(name, dtype, device)
    # The compiled graph names its device ops as Theano's GPU back-end did.
    assert any(type(n.op).__name__.startswith("Gpu") for n in f.maker.fgraph.toposort())


@pytest.mark.parametrize("name", parity.forward_names())
def test_forward_only_ops(device, name):
    parity.check_forward(name, device)


# Exempted Ops that no forward case reaches: abstract bases, gradient-rule helpers (they
# compile to identities or zeros), user-op wrappers and scan's internal marker.
NOT_RUN = {
    "tensor.elemwise.MaxOrMin", "compile.ops._PassThroughOp",
    "tensor.basic.AllocEmpty",  # uninitialised output: nothing to compare
    "tensor.subtensor.BaseSubtensor", "tensor.subtensor.BaseIncSubtensor",
    "tensor.signal.pool._PoolOpBase", "tensor.elemwise.CAReduce", "graph.op._FromFunctionOp",
    "gradient.ViewGradOp", "gradient.ConsiderConstant", "gradient.ZeroGrad",
    "gradient.DisconnectedGrad", "gradient.UndefinedGrad", "gradient.GradClip",
    "gradient.GradScale", "scan.utils.ScanUpdateNotGiven",
    "tensor.nnet.abstract_conv.BaseAbstractConv", "tensor.nnet.abstract_conv.AbstractConv",
    "tensor.nnet.abstract_conv.AbstractConv_gradWeights",
    "tensor.nnet.abstract_conv.AbstractConv_gradInputs",
    "tensor.nnet.corr._BaseCorr", "tensor.nnet.corr._CorrForward",
    "tensor.nnet.corr._CorrGradWeights", "tensor.nnet.corr._CorrGradInputs",
    "tensor.nnet.corr.BaseCorrMM", "tensor.nnet.corr3d.BaseCorr3dMM",
    # reached through the gradients of Eigh, Eigvalsh, Expm and the 1-hot crossentropy
    "tensor.nlinalg.EighGrad", "tensor.slinalg.EigvalshGrad", "tensor.slinalg.ExpmGrad",
    "tensor.nnet.nnet.CrossentropyCategorical1HotGrad",
    # host-side by nature: a user's Python function, an identity guard, a Python slice
    "compile.ops.FromFunctionOp", "compile.ops.OutputGuard", "tensor.type_other.MakeSlice",
    "sandbox.multinomial.MultinomialWOReplacementFromUniform",
    # typed lists: Python lists of arrays, computed on the host (tests/unit/typed_list)
    *(f"typed_list.basic.{name}" for name in (
        "_ListOp", "_ChangeOp", "GetItem", "Append", "Extend", "Insert", "Remove", "Reverse",
        "Index", "Count", "Length", "MakeList")),
    # copies for user Ops that destroy inputs; C-code Op bases (tests/unit/compile,
    # tests/unit/gof)
    "compile.pipeline.DestroyGuardCopy", "gof.op.COp", "gof.op.OpenMPOp",
    # base classes: the Op base itself, a user's ScalarOp subclass (tests/unit/scalar), and
    # the base of All/Any (their forward cases are below)
    "gof.op.Op", "scalar.basic.ScalarOp", "tensor.elemwise._BoolReduce",
    "tensor.signal.pool.PoolGrad",
}


def test_the_parity_tables_reach_every_op():
    # Runs without a GPU: a guard that the suite above really covers the library.
    exempt = set(NOT_CHECKED_BY_FINITE_DIFFERENCES) & library_ops()
    forward_keys = {
        "scalar.lt", "scalar.gt", "scalar.le", "scalar.ge", "scalar.eq", "scalar.neq",
        "scalar.isnan", "scalar.isinf", "scalar.and_", "scalar.or_", "scalar.xor",
        "scalar.invert", "compile.ops.Shape", "compile.ops.Shape_i", "tensor.basic.Eye",
        "tensor.basic.Tri", "tensor.elemwise.All", "tensor.elemwise.Any",
        "tensor.basic.Argmax", "tensor.basic.Nonzero", "tensor.extra_ops.SearchsortedOp",
        "tensor.basic.Mean", "tensor.basic.Default",
        "tensor.extra_ops.Unique", "tensor.extra_ops.RavelMultiIndex",
        "tensor.extra_ops.UnravelIndex", "tensor.extra_ops.Bartlett", "scalar.real",
        "scalar.imag", "scalar.conj", "scalar.tri_gamma", "tensor.basic.Choose",
        "scalar.gammainc", "scalar.gammaincc", "scalar.gammau", "scalar.gammal",
        "scalar.chi2sf", "scalar.complex", "scalar.complex_from_polar",
        "tensor.nlinalg.Eig", "tensor.nlinalg.SVD", "tensor.nlinalg.QRFull",
        "tensor.nlinalg.QRIncomplete", "tensor.nlinalg.TensorInv",
        "tensor.nlinalg.TensorSolve", "tensor.nlinalg.lstsq", "tensor.raw_random.RandomFunction",
        "sandbox.rng_mrg.MRGUniform", "tensor.random.mrg_ops.BoxMuller",
        "sandbox.multinomial.MultinomialFromUniform",
        "sandbox.multinomial.ChoiceFromUniform",
        "sandbox.rng_mrg.DotModulo", "tensor.blas_c.CGemv", "tensor.blas_c.CGer",
        "tensor.signal.pool.MaxPoolRop",
    }
    missing = sorted(exempt - forward_keys - NOT_RUN)
    assert not missing, f"exempted ops with no forward parity case: {missing}"
    assert forward_keys | NOT_RUN <= set(NOT_CHECKED_BY_FINITE_DIFFERENCES)
