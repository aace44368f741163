"""theano.sandbox.linalg.ops: hints about matrices (``psd``, symmetric, positive) and the
rewrites that use them, as Theano's sandbox had them.

`Hint` is an identity Op carrying ``key=value`` hints; canonicalization removes the Hint
nodes after handing their hints to the graph's `HintsFeature` (attached by
`HintsOptimizer`, registered in ``optdb`` as ``HintsOpt``).  Importing this module registers
its rewrites (as importing Theano's did): the transpose of an inverse becomes the inverse
of the transpose, ``dot(inv(A), b)`` a ``solve``, a solve with a Cholesky factor a
triangular solve, ``log(x ** y)`` becomes ``y * log(x)``...
"""

from __future__ import absolute_import, division, print_function  # noqa: F401

import logging
import sys

from six import integer_types, iteritems  # noqa: F401

from ... import tensor
from ...compile import optdb
from ...gof import Apply, Op, local_optimizer  # noqa: F401
from ...gof.opt import Optimizer
from ...tensor import DimShuffle, Dot
from ...tensor.blas import Dot22
from ...tensor.nlinalg import MatrixInverse, det, extract_diag, matrix_inverse, trace  # noqa: F401
from ...tensor.opt import register_canonicalize, register_specialize, register_stabilize
from ...tensor.slinalg import Cholesky, Solve, cholesky, solve

theano = sys.modules[__package__.split(".")[0]]  # Theano's module imported the package
logger = logging.getLogger("theano.sandbox.linalg.ops")
xrange = range
imported_scipy = True  # this project requires SciPy (Theano's flag for its optional import)


class Hint(Op):
    """Identity Op giving the optimizer arbitrary ``key=value`` information about its
    input; canonicalization removes it (see the module docstring)."""

    __props__ = ("hints",)

    def __init__(self, **kwargs):
        self.hints = tuple(kwargs.items())
        self.view_map = {0: [0]}

    def make_node(self, x):
        return Apply(self, [x], [x.type()])

    def perform(self, node, inputs, outstor, params=None):
        outstor[0][0] = inputs[0]

    def grad(self, inputs, g_out):
        return g_out


def is_hint_node(node):
    return node is not None and isinstance(node.op, Hint)


def hints(variable):
    """The hints known for `variable`: its graph's HintsFeature's, else its Hint node's."""
    if hasattr(variable, "fgraph"):
        try:
            return variable.fgraph.hints_feature.hints[variable]
        except (AttributeError, KeyError):
            return {}
    if is_hint_node(variable.owner):
        return dict(variable.owner.op.hints)
    return {}


@register_canonicalize
@local_optimizer([Hint])
def remove_hint_nodes(node):
    """Drop a Hint node, giving its hints to the graph's HintsFeature (when attached)."""
    if is_hint_node(node):
        feature = getattr(getattr(node, "fgraph", None), "hints_feature", None)
        if feature is not None:
            for k, v in node.op.hints:
                feature.add_hint(node.inputs[0], k, v)
        return node.inputs
    return False


class HintsFeature:
    """FunctionGraph feature keeping ``{variable: {hint: value}}``; a replacement passes the
    hints of the old variable on to the new one (and back)."""

    def add_hint(self, r, k, v):
        logger.debug("adding hint; %s, %s, %s", r, k, v)
        self.ensure_init_r(r)
        self.hints[r][k] = v

    def ensure_init_r(self, r):
        if r not in self.hints:
            self.hints[r] = {}

    def on_attach(self, fgraph):
        assert not hasattr(fgraph, "hints_feature")
        fgraph.hints_feature = self
        self.hints = {}
        for node in fgraph.toposort():
            self.on_import(fgraph, node, "on_attach")

    def on_import(self, fgraph, node, reason):
        for r in list(node.inputs) + list(node.outputs):
            self.ensure_init_r(r)

    def update_second_from_first(self, r0, r1):
        old_hints = self.hints[r0]
        new_hints = self.hints[r1]
        for k, v in old_hints.items():
            if k in new_hints and new_hints[k] is not v:
                raise NotImplementedError("conflicting hints", k, v, new_hints[k])
            new_hints.setdefault(k, v)

    def on_change_input(self, fgraph, node, i, r, new_r, reason):
        self.ensure_init_r(r)
        self.ensure_init_r(new_r)
        self.update_second_from_first(r, new_r)
        self.update_second_from_first(new_r, r)


class HintsOptimizer(Optimizer):
    """Attaches a HintsFeature to the graph (and changes nothing else)."""

    def add_requirements(self, fgraph):
        fgraph.attach_feature(HintsFeature())

    def apply(self, fgraph):
        pass


optdb.register("HintsOpt", HintsOptimizer(), -1, "fast_run", "fast_compile")


def psd(v):
    """`v` with the hint that it is symmetric positive semi-definite."""
    return Hint(psd=True, symmetric=True)(v)


def is_psd(v):
    return hints(v).get("psd", False)


def is_symmetric(v):
    return hints(v).get("symmetric", False)


def is_positive(v):
    """True when hinted positive, or an even constant power."""
    if hints(v).get("positive", False):
        return True
    if v.owner is not None and v.owner.op == tensor.pow:
        try:
            exponent = tensor.get_scalar_constant_value(v.owner.inputs[1])
        except tensor.NotScalarConstantError:
            return False
        return 0 == exponent % 2
    return False


@register_canonicalize
@local_optimizer([DimShuffle])
def transinv_to_invtrans(node):
    """``inv(X).T`` -> ``inv(X.T)``."""
    if isinstance(node.op, DimShuffle) and tuple(node.op.new_order) == (1, 0):
        (A,) = node.inputs
        if A.owner is not None and isinstance(A.owner.op, MatrixInverse):
            (X,) = A.owner.inputs
            return [A.owner.op(node.op(X))]
    return False


@register_stabilize
@local_optimizer([Dot, Dot22])
def inv_as_solve(node):
    """``dot(inv(A), b)`` -> ``solve(A, b)``; ``dot(b, inv(A))`` -> ``solve(A.T, b.T).T``."""
    if isinstance(node.op, (Dot, Dot22)):
        left, right = node.inputs
        if left.owner is not None and left.owner.op == matrix_inverse:
            return [solve(left.owner.inputs[0], right)]
        if right.owner is not None and right.owner.op == matrix_inverse:
            A = right.owner.inputs[0]
            if is_symmetric(A):
                return [solve(A, left.T).T]
            return [solve(A.T, left.T).T]
    return False


def _is_cholesky(var):
    return var.owner is not None and isinstance(var.owner.op, Cholesky)


@register_stabilize
@register_canonicalize
@local_optimizer([Solve])
def tag_solve_triangular(node):
    """A general solve with a Cholesky factor (or its transpose) -> a triangular solve."""
    if node.op == solve and node.op.A_structure == "general":
        A, b = node.inputs
        if _is_cholesky(A):
            kind = "lower_triangular" if A.owner.op.lower else "upper_triangular"
            return [Solve(kind)(A, b)]
        if A.owner is not None and isinstance(A.owner.op, DimShuffle) and \
                tuple(A.owner.op.new_order) == (1, 0):
            (A_T,) = A.owner.inputs
            if _is_cholesky(A_T):
                kind = "upper_triangular" if A_T.owner.op.lower else "lower_triangular"
                return [Solve(kind)(A, b)]
    return False


@register_canonicalize
@register_stabilize
@register_specialize
@local_optimizer([DimShuffle])
def no_transpose_symmetric(node):
    """The transpose of a matrix hinted symmetric is the matrix."""
    if isinstance(node.op, DimShuffle):
        x = node.inputs[0]
        if x.type.ndim == 2 and is_symmetric(x) and list(node.op.new_order) == [1, 0]:
            return [x]
    return False


@register_stabilize
@local_optimizer(None)
def psd_solve_with_chol(node):
    """``solve(A, b)`` with A hinted psd -> two triangular solves with cholesky(A)."""
    if node.op == solve:
        A, b = node.inputs
        if is_psd(A):
            L = cholesky(A)
            Li_b = Solve("lower_triangular")(L, b)
            return [Solve("upper_triangular")(L.T, Li_b)]
    return False


@register_stabilize
@register_specialize
@local_optimizer(None)
def local_det_chol(node):
    """``det(X)`` when ``cholesky(X)`` is also computed -> ``prod(diag(L) ** 2)``."""
    if node.op == det:
        (x,) = node.inputs
        fgraph = getattr(node, "fgraph", None)
        clients = fgraph.clients[x] if fgraph is not None and hasattr(fgraph, "clients") \
            and not callable(fgraph.clients) else getattr(x, "clients", [])
        for client, _ in clients:
            if client != "output" and isinstance(client.op, Cholesky):
                L = client.outputs[0]
                return [tensor.prod(extract_diag(L) ** 2)]
    return False


@register_canonicalize
@register_stabilize
@register_specialize
@local_optimizer([tensor.log])
def local_log_prod_sqr(node):
    """``log(prod(p))`` with p positive -> ``sum(log(p))``."""
    if node.op == tensor.log:
        (x,) = node.inputs
        if x.owner is not None and isinstance(x.owner.op, tensor.elemwise.Prod):
            p = x.owner.inputs[0]
            if is_positive(p):
                return [tensor.log(p).sum(axis=x.owner.op.axis)]
    return False


@register_canonicalize
@register_stabilize
@register_specialize
@local_optimizer([tensor.log])
def local_log_pow(node):
    """``log(x ** y)`` -> ``y * log(x)``."""
    if node.op == tensor.log:
        (x,) = node.inputs
        if x.owner is not None and x.owner.op == tensor.pow:
            base, exponent = x.owner.inputs
            return [exponent * tensor.log(base)]
    return False


def spectral_radius_bound(X, log2_exponent):
    """An upper bound of the largest eigenvalue of the symmetric matrix `X`:
    ``trace(X ** (2 ** k)) ** (2 ** -k)`` with ``k = log2_exponent`` (a positive int;
    larger is tighter).  V. Pan, 1990."""
    if X.type.ndim != 2:
        raise TypeError("spectral_radius_bound requires a matrix argument", X)
    if not isinstance(log2_exponent, integer_types):
        raise TypeError("spectral_radius_bound requires an integer exponent", log2_exponent)
    if log2_exponent <= 0:
        raise ValueError("spectral_radius_bound requires a strictly positive exponent",
                         log2_exponent)
    XX = X
    for _ in range(log2_exponent):
        XX = tensor.dot(XX, XX)
    return tensor.pow(trace(XX), 2 ** (-log2_exponent))


for _cls in (Hint, HintsFeature, HintsOptimizer):
    _cls.__module__ = "theano.sandbox.linalg.ops"
