"""The elementwise core of the tensor layer: Elemwise, DimShuffle and the CAReduce reductions.

These Ops and the conversion that every ``make_node`` applies to its inputs
(`as_tensor_variable`, `constant`) build on one another (Elemwise pads its inputs with
DimShuffle; their gradients sum over broadcast axes with Sum and cast with an Elemwise;
the reductions' gradients are Elemwise graphs), so they live in one module, the lowest of
the tensor chain after type.py (the chain is described in theano_compat/tensor/__init__.py).
The builders those gradients use (`cast`, `fill`, `zeros_like`, `ones_like`, `sum`,
`prod`) are defined here too; basic.py and math.py re-export them under Theano's paths.
"""

from __future__ import annotations

import builtins as _builtins
import copy
import numbers
import sys

import numpy as np

from .. import hooks
from ..backend import to_host
from ..config import change_flags, config  # noqa: F401 - change_flags: Theano's name here
from ..graph.basic import Apply, Variable
from ..graph.null import (DisconnectedType, NullType,  # noqa: F401
                          grad_not_implemented, grad_undefined, is_disconnected, is_null)
from ..graph.op import Op
from .. import scalar  # noqa: F401 - a name of Theano's module
from ..scalar import dtypes as D
from ..scalar import ops as S
from ..scalar.composite import Composite
from ..scalar.dtype_casts import dtype_fixup, natural_dtype, with_fixup
from ..scalar.generated import GENERATED_MODULE
from ..scalar.type import Scalar as ScalarType
from ..scalar.type import get_scalar_type  # noqa: F401 - a name of Theano's module
from .type import TensorType, patternbroadcast
from ..utils import lazy_names

# ----------------------------------------------------------------------------- conversion


class AsTensorError(TypeError):
    """Raised when a value cannot be turned into a tensor variable."""

    __module__ = "theano.tensor.var"  # Theano's path: reprs and pickles


def constant(x, name=None, ndim=None, dtype=None):
    """A TensorConstant holding `x`, typed with Theano's literal rules (0.5 -> float32...).

    A GPU array (anything with ``__cuda_array_interface__``, e.g. CuPy's) is copied to the
    host: graph constants hold NumPy data, and the linker places them on the device."""
    if hasattr(x, "__cuda_array_interface__"):
        x = to_host(x)
    if dtype is not None:
        data = np.asarray(x, dtype=dtype)
    elif isinstance(x, np.ndarray):
        data = x
    elif isinstance(x, (bool, np.bool_)):
        data = np.asarray(x, dtype="bool")
    elif isinstance(x, (numbers.Integral, float, complex)) and not isinstance(x, np.generic):
        data = np.asarray(x, dtype=D.python_scalar_dtype(x))
    else:
        data = np.asarray(x)
        if data.size == 0 and not hasattr(x, "dtype"):
            data = np.asarray(x, dtype=config.floatX)
    if str(data.dtype) not in D.all_dtypes:
        # Strings, bytes, dates, float128: no TensorType holds them (Theano refused them
        # too), so `x + "abc"` fails when the graph is built, not when it runs.
        raise AsTensorError(f"Cannot convert {x!r} to TensorType: NumPy gives it dtype "
                            f"{data.dtype}, which no TensorType supports")
    if ndim is not None and data.ndim != ndim:
        if data.ndim > ndim and all(s == 1 for s in data.shape[: data.ndim - ndim]):
            data = data.reshape(data.shape[data.ndim - ndim:])
        elif data.ndim < ndim:
            data = data.reshape((1,) * (ndim - data.ndim) + data.shape)
        else:
            raise ValueError(f"constant: cannot make a {ndim}-d constant of shape {data.shape}")
    bcast = tuple(s == 1 for s in data.shape)
    ttype = TensorType(str(data.dtype), bcast)
    if name is not None or data.size != 1 or data.dtype.kind not in "iuf":
        return TensorType.Constant(ttype, data, name=name)
    # Theano's constant cache: an unnamed one-element int or float constant in [-10, 10] is
    # one shared object per type and value (so `1 / (1 + x)` holds TensorConstant{1} once,
    # and debugprint gives both uses one id, as Theano did)
    key = (ttype, data.dtype.str, data.shape, data.tobytes())  # the constant's signature()
    cached = constant_cache.get(key)
    if cached is not None:
        return cached
    ret = TensorType.Constant(ttype, data)
    if -10 <= data.item() <= 10 and (data.dtype.kind != "f" or len(constant_cache) < 10000):
        constant_cache[key] = ret
        ret.cached = True  # (a graph built with FunctionGraph(clone=False) refuses it)
    return ret


constant_cache: dict = {}


def as_tensor_variable(x, name=None, ndim=None):
    """Turn `x` (a variable, an Apply, a number, a list or an array) into a tensor variable."""
    if isinstance(x, Apply):
        if getattr(x.op, "default_output", None) is None and len(x.outputs) != 1:
            raise ValueError("It is ambiguous which output of a multi-output Op has to "
                             "be fetched.", x)
        x = x.default_output()
    if isinstance(x, Variable) and isinstance(x.type, TensorType):
        if ndim is None or x.type.ndim == ndim:
            return x
        if x.type.ndim > ndim:
            extra = x.type.ndim - ndim
            if all(x.type.broadcastable[:extra]):
                return DimShuffle_(x, list(range(extra, x.type.ndim)))
            raise ValueError(
                f"TensorType could not be cast to have {ndim} dimensions", x.type
            )
        return DimShuffle_(x, ["x"] * (ndim - x.type.ndim) + list(range(x.type.ndim)))
    if isinstance(x, Variable) and isinstance(x.type, ScalarType):
        # A variable of theano.scalar: Theano wrapped it with tensor_from_scalar (the Op
        # is declared later in the chain, in shapes.py, loaded with this package).
        x = sys.modules["theano_compat.tensor.shapes"].tensor_from_scalar(x)
        return as_tensor_variable(x, name, ndim)
    if isinstance(x, Variable):
        raise AsTensorError(f"Cannot convert {x} of type {x.type} to a tensor variable")
    if isinstance(x, bool):
        raise AsTensorError(
            f"Cannot cast {x} to a TensorType variable: Python bools are refused to catch "
            "`x == True` mistakes; use numpy.asarray(True) or T.constant(True)"
        )
    if isinstance(x, (list, tuple)) and any(isinstance(e, Variable) for e in _flat(x)):
        # stack is defined in construct.py, above this module: reached through its hook.
        return hooks.stack_tensors([as_tensor_variable(e) for e in x])
    try:
        return constant(x, name=name, ndim=ndim)
    except AsTensorError:
        raise
    except (TypeError, ValueError) as e:
        raise AsTensorError(f"Cannot convert {x!r} to TensorType: {e}") from None


as_tensor = as_tensor_variable


def _flat(x):
    for e in x:
        if isinstance(e, (list, tuple)):
            yield from _flat(e)
        else:
            yield e


def DimShuffle_(x, pattern):  # noqa: N802 - Theano-era helper name
    """`x` dimshuffled to `pattern` (a DimShuffle built for x's broadcastable flags)."""
    return DimShuffle(x.type.broadcastable, pattern)(x)


class _InplacePattern(dict):
    """Theano's ``Elemwise.inplace_pattern``, {output: input it overwrites}, hashable (it is
    one of the op's props).  An Elemwise with a pattern declares it as its ``destroy_map``
    and, in a compiled function, writes its result into that input's array, as Theano's
    did (theano.tensor.inplace, compiled with ``accept_inplace=True``).  The project's own
    rewrites never build one (DESIGN.md §1.4): only users' graphs hold them."""

    def __hash__(self):
        return hash(tuple(sorted(self.items())))


# Scalar ops whose Elemwise takes any number of inputs, as in Theano (see _nary_node).
_NARY = (S.add, S.mul)


class Elemwise(Op):
    """Apply a ScalarOp elementwise with broadcasting (Theano's ``Elemwise{add,no_inplace}``).

    `elemwise_of(scalar_op)` gives the one shared instance per scalar op: it is what
    ``theano.tensor.add``, ``exp``... are (elemwise_ops.py), what ``x + y`` applies, and
    what a pickle of it loads back as.  The Elemwise of add and of mul take any number of
    inputs, as in Theano (``T.add(a, b, c)``): the graph built is a left fold of binary
    nodes, which adds in the order Theano's n-ary loop did (see `_nary_node`).
    """

    __module__ = "theano.tensor.elemwise"  # Theano's path: reprs and pickles

    __props__ = ("scalar_op", "inplace_pattern")

    def __init__(self, scalar_op, inplace_pattern=None, name=None, nfunc_spec=None):
        self.scalar_op = scalar_op
        self.inplace_pattern = _InplacePattern(inplace_pattern or {})
        # Theano's: the output overwrites the input of the pattern (compile/pipeline.py
        # checks such graphs; the linker runs the node on the input's own array).
        self.destroy_map = {o: [i] for o, i in self.inplace_pattern.items()}
        self.name = name
        self.nfunc_spec = nfunc_spec

    def make_node(self, *inputs):
        inputs = [as_tensor_variable(i) for i in inputs]
        nin = self.scalar_op.nin
        if nin != -1 and len(inputs) != nin:  # -1: any number (Theano's convention)
            if self.scalar_op in _NARY and inputs:
                return self._nary_node(inputs)
            raise TypeError(
                f"{self.scalar_op} expects {self.scalar_op.nin} inputs, got {len(inputs)}"
            )
        return self._apply(inputs)

    def nary(self, *inputs):
        """One node of add or mul over all `inputs` (Theano's ``Elemwise{add}(a, b, c)``),
        computed left to right as Theano's C loop did: ``((a + b) + c)``, accumulated in
        one buffer.  The rewrite that flattens add/mul chains builds it (fusion.py); graphs
        built by users stay binary folds (see `_nary_node`), which every rule reads."""
        if self.scalar_op not in _NARY or len(inputs) < 2 or self.inplace_pattern:
            raise TypeError(f"{self}: only add and mul take more than two inputs")
        return self._apply([as_tensor_variable(i) for i in inputs]).outputs[0]

    def _apply(self, inputs):
        ndim = max(i.type.ndim for i in inputs)
        padded = []
        for i in inputs:
            if i.type.ndim < ndim:
                i = DimShuffle(i.type.broadcastable, ["x"] * (ndim - i.type.ndim)
                               + list(range(i.type.ndim)))(i)
            padded.append(i)
        bcast = tuple(all(i.type.broadcastable[d] for i in padded) for d in range(ndim))
        try:
            out_dtype = self.scalar_op.output_dtype(*[i.type.dtype for i in padded])
        except TypeError as e:
            raise TypeError(
                f"{self.scalar_op} is not defined for inputs of dtype "
                f"{', '.join(i.type.dtype for i in padded)}: {e}"
            ) from None
        for i in self.inplace_pattern.values():
            self._check_inplace(padded, i, out_dtype, bcast)
        return Apply(self, padded, [TensorType(out_dtype, bcast)()])

    def _check_inplace(self, inputs, i, out_dtype, bcast):
        """Theano's checks of an inplace pattern: the overwritten input must have the
        output's dtype and no broadcastable dimension the output lacks."""
        if i >= len(inputs):
            raise ValueError(f"{self}: the inplace pattern names input {i}, of "
                             f"{len(inputs)} inputs")
        target = inputs[i].type
        if any(ib and not ob for ib, ob in zip(target.broadcastable, bcast)):
            raise ValueError("Operation cannot be done inplace on an input with broadcasted "
                             f"dimensions. ({self}: input {i} is {target}, the output has "
                             f"broadcastable pattern {bcast})")
        if target.dtype != out_dtype:
            raise TypeError(("Cannot do an inplace operation on incompatible data types.",
                             ([v.type.dtype for v in inputs], [out_dtype],
                              dict(self.inplace_pattern))))

    def _nary_node(self, inputs):
        """Theano's add and mul take any number of inputs (``T.add(a, b, c)``); here the
        graph stays binary: a left fold, whose dtype is Theano's n-ary upcast (Theano's
        ``scalar.upcast`` also adds the input dtypes one by one, left to right), computed
        in the left-to-right order of Theano's n-ary loop, so float results are the same.
        (An integer partial result that overflows the dtype of its own inputs wraps here,
        where Theano's C loop had promoted it to int: T.add(i8, i8, i16) with 100, 100, 1
        gives -55, Theano 201.)  One input gives a copy of it, as Theano's one-input add
        did."""
        if len(inputs) == 1:
            return elemwise_of(S.identity).make_node(inputs[0])
        acc = inputs[0]
        for x in inputs[1:-1]:  # a loop, not recursion: T.add(*many) has no depth limit
            acc = self(acc, x)
        return self.make_node(acc, inputs[-1])

    def __reduce_ex__(self, protocol):
        # The shared instance of a scalar op unpickles to itself (T.add stays T.add, and a
        # loaded graph's ops are the ones rewrites compare with); any other Elemwise (an
        # inplace or named one) pickles its fields.
        if type(self) is Elemwise and self.name is None and not self.inplace_pattern:
            return (elemwise_of, (self.scalar_op,))
        return super().__reduce_ex__(protocol)

    def __copy__(self):
        # A copy is a new instance (link/device.py renames the class of a copy), not the
        # shared one that __reduce_ex__ gives pickles.
        new = object.__new__(type(self))
        new.__dict__.update(self.__dict__)
        return new

    def __deepcopy__(self, memo):
        new = object.__new__(type(self))
        memo[id(self)] = new
        new.__dict__.update(copy.deepcopy(self.__dict__, memo))
        return new

    def rewrite_keys(self):
        return (Elemwise, self.scalar_op)

    def runner(self, node, xp, donated=()):
        """A callable computing the node: the ufunc plus the dtype fix-up Theano implies,
        and Theano's check that non-broadcastable dimensions agree (see with_size_checks)."""
        fn = self._runner(node, xp, donated)
        if isinstance(node, _FakeNode):
            return fn
        if self.inplace_pattern:
            fn = _write_into_input(fn, self, node, xp)
        return with_size_checks(fn, self, node)

    def _runner(self, node, xp, donated=()):
        # The dtype fix-up lives in scalar/fixup.py: fused Composite code applies the same.
        # `donated` (input positions the linker gives away) only matters to fused code.
        if is_nary(node):
            # The left fold as generated code: the partial sums share one buffer.
            composite = nary_composite(node)
            patterns = [tuple(i.type.broadcastable) for i in node.inputs]
            if len({len(p) for p in patterns}) != 1 or not patterns[0]:
                return composite.implementation(xp)
            return composite.implementation(xp, donated, patterns)
        if donated and isinstance(self.scalar_op, Composite):  # (only fused code takes them)
            patterns = [i.type.broadcastable for i in node.inputs]
            fn = self.scalar_op.implementation(xp, donated, patterns)
        else:
            fn = self.scalar_op.implementation(xp)
        in_dtypes = [i.type.dtype for i in node.inputs]
        casts, cast_out = dtype_fixup(self.scalar_op, in_dtypes, node.outputs[0].type.dtype)
        return with_fixup(fn, casts, cast_out)

    def impl(self, xp, *inputs):
        return self.runner(_FakeNode(self, inputs), xp)(*inputs)

    def link_constant(self, node, i, data):
        """The value the linker passes for constant input `i`: `data` cast to the output
        dtype when the ufunc would cast it to that dtype anyway (same loop, same result,
        without NumPy's per-call type resolution), else `data` itself."""
        out = node.outputs[0].type.dtype
        if self.scalar_op.ufunc is None or data.dtype == out or out not in D.float_dtypes \
                or is_nary(node):
            return data
        in_dtypes = [v.type.dtype for v in node.inputs]
        cast_dtypes = list(in_dtypes)
        cast_dtypes[i] = out
        if natural_dtype(self.scalar_op, in_dtypes) != out or \
                natural_dtype(self.scalar_op, cast_dtypes) != out:
            return data
        cast = data.astype(out)
        with np.errstate(all="ignore"):
            exact = np.array_equal(cast.astype(data.dtype), data)
        return cast if exact else data

    def infer_shape(self, node, shapes):
        out = []
        for d in range(node.outputs[0].type.ndim):
            dims = [s[d] for s, i in zip(shapes, node.inputs) if not i.type.broadcastable[d]]
            out.append(dims[0] if dims else 1)
        return [tuple(out)]

    def L_op(self, inputs, outputs, output_grads):
        (g,) = output_grads
        if outputs[0].type.dtype in D.discrete_dtypes:
            # An integer or boolean output carries no gradient: zeros for every input.
            return [_float_zeros_like(i) for i in inputs]
        grad_fn = self._grad_fn(inputs)
        raw = [None] * len(inputs) if grad_fn is None else grad_fn(*inputs, outputs[0], g)
        results = []
        for inp, gi in zip(inputs, raw):
            discrete_in = inp.type.dtype in D.discrete_dtypes
            if gi is None:
                results.append(_float_zeros_like(inp) if discrete_in else
                               _undefined_grad(self, inp, self.scalar_op.name))
                continue
            if is_null(gi) or is_disconnected(gi):
                results.append(gi)  # e.g. second's shape-only input, jv's order
                continue
            gi = as_tensor_variable(gi)
            if gi.type.dtype in D.discrete_dtypes:
                # A formula such as `x * 0` (ceil, sgn...) evaluated on an integer input.
                results.append(_float_zeros_like(inp))
                continue
            # Sum over the axes that were broadcast for this input.
            axes = [d for d, (bi, bo) in enumerate(zip(inp.type.broadcastable,
                                                        outputs[0].type.broadcastable))
                    if bi and not bo]
            if gi.type.ndim > inp.type.ndim:
                lead = list(range(gi.type.ndim - inp.type.ndim))
                gi = sum(gi, axis=lead)
            if axes:
                gi = sum(gi, axis=axes, keepdims=True)
            if gi.type.broadcastable != inp.type.broadcastable:
                gi = patternbroadcast(gi, inp.type.broadcastable)
            # A float input gets a gradient of its own dtype.  An integer input keeps the
            # float gradient of the formula: Theano 1.0.5 does not zero it when the output
            # is a float (grad((x * i).sum(), i) is x).
            if gi.type.dtype != inp.type.dtype and not discrete_in:
                gi = cast(gi, inp.type.dtype)
            results.append(gi)
        return results

    def R_op(self, inputs, eval_points):
        """Forward mode: the sum over inputs of (partial derivative) * (eval point)."""
        out = self(*inputs) if len(inputs) == 2 or self.scalar_op not in _NARY \
            else self.nary(*inputs)
        grad_fn = self._grad_fn(inputs)
        if grad_fn is None or out.type.dtype in D.discrete_dtypes:
            return [None]
        # With a unit output gradient the scalar formulas give the partial derivatives
        # elementwise, before any summing over broadcast axes (Theano's _bgrad).
        partials = grad_fn(*inputs, out, ones_like(out))
        total = None
        for k, (d, ev) in enumerate(zip(partials, eval_points)):
            if ev is None or d is None or is_disconnected(d):
                continue
            if is_null(d):
                raise NotImplementedError(
                    f"R_op of {self} for input {k}: {d.type.why_null}; compute the product "
                    "with Lop/grad instead, or leave that input out of wrt")
            term = as_tensor_variable(d) * ev
            total = term if total is None else total + term
        if total is None:
            return [None]
        if total.type.broadcastable != out.type.broadcastable:
            total = fill(out, total)
        if total.type.dtype != out.type.dtype:
            total = cast(total, out.type.dtype)
        return [total]

    def _grad_fn(self, inputs):
        """The scalar op's gradient formula; for an n-ary add or mul, its n-ary form."""
        if len(inputs) <= 2 or self.scalar_op not in _NARY:
            return self.scalar_op.grad_fn
        if self.scalar_op is S.add:
            return lambda *args: [args[-1]] * (len(args) - 2)

        def mul_grad(*args):
            *xs, _z, g = args
            grads = []
            for k in range(len(xs)):
                others = xs[:k] + xs[k + 1:]
                grads.append(g * (others[0] if len(others) == 1 else self(*others)))
            return grads
        return mul_grad

    def __str__(self):
        if self.name:
            return self.name
        inplace = "inplace" if self.inplace_pattern else "no_inplace"
        return f"Elemwise{{{self.scalar_op},{inplace}}}"


def is_nary(node):
    """Whether `node` is an add or mul Elemwise of more than two inputs (Elemwise.nary)."""
    op = node.op
    return len(node.inputs) > 2 and isinstance(op, Elemwise) and op.scalar_op in _NARY


def node_scalar_op(node):
    """The scalar op computing Elemwise `node`: its op's, or for an n-ary add/mul node the
    Composite of its left fold (what the linker writes out or compiles into a kernel)."""
    return nary_composite(node) if is_nary(node) else node.op.scalar_op


_nary_composites = {}


def nary_composite(node):
    """The Composite computing n-ary add/mul `node` as Theano's C loop did: a left fold,
    ``((i0 + i1) + i2) + ...``, each partial result in the dtype of the binary node it
    stands for.  An integer result accumulates in the output dtype (integer sums and
    products modulo 2^bits do not depend on where the wrap-around happens), so
    ``add(int8, int8, int16)`` of 100, 100, 1 is 201 as in Theano.  Printed as Theano's
    ``(i0 + i1 + i2)``; one Composite per (op, dtypes), shared."""
    sop = node.op.scalar_op
    in_dtypes = tuple(i.type.dtype for i in node.inputs)
    out_dtype = node.outputs[0].type.dtype
    key = (sop, in_dtypes, out_dtype)
    composite = _nary_composites.get(key)
    if composite is None:
        nodes, chained, result = nary_fold(sop, in_dtypes, out_dtype,
                                           list(range(len(in_dtypes))), len(in_dtypes))
        composite = _nary_composites[key] = Composite(in_dtypes, nodes, result, chained)
    return composite


def nary_fold(sop, in_dtypes, out_dtype, refs, first):
    """Composite nodes ``(op, refs, dtype)`` folding `sop` over the references `refs` (of
    dtypes `in_dtypes`) left to right; `first` is the reference the first new node gets.
    Returns (nodes, indices of the chained nodes (relative to `first`), result ref)."""
    nodes = []
    chained = []
    integer = out_dtype in D.discrete_dtypes and out_dtype != "bool"

    def add_node(op, args, dtype):
        nodes.append((op, tuple(args), dtype))
        return first + len(nodes) - 1

    refs = list(refs)
    dtypes = list(in_dtypes)
    if integer:
        for k, d in enumerate(dtypes):
            if d != out_dtype:
                refs[k] = add_node(S.cast_op(out_dtype), [refs[k]], out_dtype)
                dtypes[k] = out_dtype
    acc, acc_dtype = refs[0], dtypes[0]
    for k in range(1, len(refs)):
        acc_dtype = sop.output_dtype(acc_dtype, dtypes[k])
        if k > 1:
            chained.append(len(nodes))
        acc = add_node(sop, [acc, refs[k]], acc_dtype)
    if acc_dtype != out_dtype:
        acc = add_node(S.cast_op(out_dtype), [acc], out_dtype)
    return nodes, chained, acc


def _write_into_input(fn, op, node, xp):
    """`fn` computing into the array of the input the op's inplace pattern overwrites
    (Theano's in-place Elemwise: that array is the result).  A plain ufunc writes with
    ``out=``; other computations are copied into it.  A value that cannot hold the result
    (not a writeable array of the result's shape) gives a new array, as a copy would."""
    ((_, pos),) = op.inplace_pattern.items()
    array_type = xp.ndarray

    def fits(target):
        # (CuPy's flags have no `writeable`: device arrays always are)
        return isinstance(target, array_type) and getattr(target.flags, "writeable", True)

    casts, cast_out = dtype_fixup(op.scalar_op, [i.type.dtype for i in node.inputs],
                                  node.outputs[0].type.dtype)
    if op.scalar_op.ufunc is not None and not any(casts) and cast_out is None:
        ufunc = op.scalar_op.implementation(xp)

        def run_ufunc_inplace(*args):
            target = args[pos]
            if fits(target) and all(getattr(a, "ndim", 0) <= target.ndim for a in args):
                return ufunc(*args, out=target)
            return fn(*args)

        return run_ufunc_inplace

    def run_inplace(*args):
        target = args[pos]
        result = fn(*args)
        if result is target or not fits(target) or \
                getattr(result, "shape", None) != target.shape:
            return result
        target[...] = result
        return target

    return run_inplace


def _strict_pairs(node):
    """[(ref, other, dims)]: input pairs whose sizes must agree at run time.

    NumPy broadcasts any length-1 dimension; Theano only broadcasts dimensions declared
    broadcastable.  Where two or more inputs declare a dimension non-broadcastable, each
    must have the size of the first such input (dims is None when every dim is checked).
    """
    inputs = node.inputs
    ndim = node.outputs[0].type.ndim
    if len(inputs) < 2 or any(i.type.ndim != ndim for i in inputs):
        return []
    pairs = {}
    for d in range(ndim):
        strict = [k for k, i in enumerate(inputs) if not i.type.broadcastable[d]]
        for other in strict[1:]:
            pairs.setdefault((strict[0], other), []).append(d)
    return [(r, o, None if len(dims) == ndim else tuple(dims))
            for (r, o), dims in pairs.items()]


def size_checks(op, node):
    """``(conditions, fail)`` for Theano's size rule on `node`'s inputs (see _strict_pairs).

    `conditions` are format strings over the input names (``"{0}.shape != {1}.shape"``),
    any of which is true when the rule is broken; ``fail(*arrays)`` raises Theano's
    "Input dimension mis-match" error.  Both empty/None when nothing needs checking.
    """
    pairs = _strict_pairs(node)
    if not pairs:
        return [], None
    tests = []
    for r, o, dims in pairs:
        if dims is None:
            tests.append(f"{{{r}}}.shape != {{{o}}}.shape")
        else:
            tests.extend(f"{{{r}}}.shape[{d}] != {{{o}}}.shape[{d}]" for d in dims)

    def fail(*args):
        for r, o, dims in pairs:
            a, b = args[r].shape, args[o].shape
            if a != b if dims is None else any(a[d] != b[d] for d in dims):
                _raise_mismatch(op, node, args, r, o, dims)

    return tests, fail


def with_size_checks(fn, op, node, what="shape check"):
    """`fn` preceded by the size checks of `size_checks` (`fn` itself when none are needed);
    `what` names the generated function in tracebacks."""
    tests, fail = size_checks(op, node)
    if not tests:
        return fn
    # One generated comparison per pair (a loop over the pairs costs more than the
    # ufunc itself on small arrays).
    n = len(node.inputs)
    names = [f"a{k}" for k in range(n)]
    joined = ", ".join(names)
    source = (f"def run({joined}):\n"
              f"    if {' or '.join(t.format(*names) for t in tests)}:\n"
              f"        _fail({joined})\n"
              f"    return fn({joined})\n")
    glob = {"fn": fn, "_fail": fail, "__name__": GENERATED_MODULE}  # see scalar/generated.py
    exec(compile(source, f"<theano_compat {what} {op}>", "exec"), glob)  # noqa: S102
    return glob["run"]


def _raise_mismatch(op, node, args, r, o, dims):
    a, b = args[r].shape, args[o].shape
    d = next(d for d in (range(len(a)) if dims is None else dims) if a[d] != b[d])
    shapes = ", ".join(str(tuple(x.shape)) for x in args)
    raise ValueError(
        f"Input dimension mis-match. (input[{r}].shape[{d}] = {a[d]}, "
        f"input[{o}].shape[{d}] = {b[d]})\n"
        f"{op}: input shapes {shapes}; dimension {d} is not broadcastable in inputs {r} and "
        f"{o} ({node.inputs[r].type}, {node.inputs[o].type}), so their sizes must be equal. "
        "To broadcast a length-1 dimension, declare it broadcastable (T.row/T.col, "
        "T.addbroadcast, or theano.shared(..., broadcastable=...))."
    )


class _FakeNode:
    """Minimal stand-in for an Apply when `impl` is called directly on arrays."""

    def __init__(self, op, arrays):
        self.op = op
        # (a.dtype first: np.asarray of a CuPy array raises)
        dtypes = [str(a.dtype if hasattr(a, "dtype") else np.asarray(a).dtype) for a in arrays]
        self.inputs = [TensorType(d, (False,) * np.ndim(a))() for d, a in zip(dtypes, arrays)]
        self.outputs = [TensorType(op.scalar_op.output_dtype(*dtypes), ())()]


def _float_zeros_like(x):
    """Zeros shaped like `x` with a float dtype (x's own when float, else floatX)."""
    dtype = x.type.dtype if x.type.dtype in D.float_dtypes else config.floatX
    return zeros_like(x, dtype=dtype)


def _undefined_grad(op, inp, name):
    return grad_undefined(op, 0, inp, f"the scalar op {name} has no gradient")


_ELEMWISE_CACHE = {}


def elemwise_of(scalar_op):
    """The shared Elemwise instance for a scalar op."""
    op = _ELEMWISE_CACHE.get(scalar_op)
    if op is None:
        op = _ELEMWISE_CACHE[scalar_op] = Elemwise(scalar_op)
    return op


def _lift(scalar_op, *inputs):
    return elemwise_of(scalar_op)(*inputs)


hooks.lift_scalar_op.fill(_lift)


# The most dimensions an array may have: 64 in NumPy 2 (and CuPy), 32 in NumPy 1.x.
_MAX_NDIM = 64 if np.lib.NumpyVersion(np.__version__) >= "2.0.0" else 32


class DimShuffle(Op):
    """Reorder, drop (broadcastable) or add ('x') dimensions; a view of its input."""

    __module__ = "theano.tensor.elemwise"  # Theano's path: reprs and pickles

    __props__ = ("input_broadcastable", "new_order", "inplace")
    view_map = {0: [0]}

    def __init__(self, input_broadcastable, new_order, inplace=True):
        self.input_broadcastable = tuple(bool(b) for b in input_broadcastable)
        for o in new_order:
            if o != "x" and (not isinstance(o, (int, np.integer)) or isinstance(o, bool)):
                raise TypeError(f"DimShuffle indices must be python ints. Got: {o!r} of type "
                                f"{type(o).__name__}.")
        self.new_order = tuple("x" if o == "x" else int(o) for o in new_order)
        self.inplace = inplace
        nd = len(self.input_broadcastable)
        kept = [o for o in self.new_order if o != "x"]
        for i, o in enumerate(self.new_order):
            if o == "x":
                continue
            if o >= nd or o < 0:
                raise ValueError(f"new_order[{i}] is {o}, but the input only has {nd} axes.")
            if o in self.new_order[i + 1:]:
                # Theano's message (tests look for "may not appear twice").
                raise ValueError("The same input dimension may not appear twice in the list "
                                 "of output dimensions", self.new_order)
        self.drop = tuple(i for i in range(nd) if i not in kept)
        for i in self.drop:
            if not self.input_broadcastable[i]:
                raise ValueError(
                    f"You cannot drop a non-broadcastable dimension. (dimension {i}; pattern "
                    f"{self.new_order} of input broadcastable {self.input_broadcastable})"
                )
        # After dropping, positions of kept dims shift down.
        remaining = [i for i in range(nd) if i not in self.drop]
        self.perm = tuple(remaining.index(o) for o in kept)
        self.expand = tuple(None if o == "x" else slice(None) for o in self.new_order)
        # Theano's attributes: the kept input dims in output order, the new axes' places.
        self.shuffle = list(kept)
        self.augment = [i for i, o in enumerate(self.new_order) if o == "x"]

    def make_node(self, x):
        x = as_tensor_variable(x)
        if x.type.broadcastable != self.input_broadcastable:
            if x.type.ndim != len(self.input_broadcastable) or any(
                b and not xb for b, xb in zip(self.input_broadcastable, x.type.broadcastable)
            ):
                raise TypeError(
                    f"DimShuffle built for broadcastable {self.input_broadcastable} applied to "
                    f"{x.type}"
                )
        bcast = tuple(True if o == "x" else x.type.broadcastable[o] for o in self.new_order)
        return Apply(self, [x], [TensorType(x.type.dtype, bcast)()])

    def impl(self, xp, x):
        if len(self.new_order) > _MAX_NDIM:  # NumPy's limit (Theano's reshape raised this)
            raise ValueError(f"{self}: the result would have {len(self.new_order)} "
                             f"dimensions; arrays have at most {_MAX_NDIM}")
        if self.drop:
            x = x.reshape(tuple(s for i, s in enumerate(x.shape) if i not in self.drop))
        if self.perm != tuple(range(len(self.perm))):
            x = x.transpose(self.perm)
        if len(self.expand) != len(self.perm):
            x = x[self.expand]
        return x

    def infer_shape(self, node, shapes):
        (s,) = shapes
        return [tuple(1 if o == "x" else s[o] for o in self.new_order)]

    def L_op(self, inputs, outputs, grads):
        (x,), (g,) = inputs, grads
        if x.type.dtype in D.discrete_dtypes:
            return [zeros_like(x, dtype=config.floatX)]
        g = as_tensor_variable(g)
        # Sum away the added ('x') axes, then put the input dims back in their order with
        # the dropped (broadcastable) ones reinserted.
        added = [p for p, o in enumerate(self.new_order) if o == "x"]
        if added:
            g = sum(g, axis=added)
        kept = [o for o in self.new_order if o != "x"]
        grad_order = ["x" if d in self.drop else kept.index(d)
                      for d in range(len(self.input_broadcastable))]
        gx = DimShuffle(g.type.broadcastable, grad_order)(g)
        return [patternbroadcast(gx, x.type.broadcastable)]

    def R_op(self, inputs, eval_points):
        return [None if eval_points[0] is None else self(eval_points[0])]

    def __str__(self):
        prefix = "InplaceDimShuffle" if self.inplace else "DimShuffle"
        return prefix + "{" + ",".join(str(o) for o in self.new_order) + "}"

# ----------------------------------------------------------------------------- builders
# Casts and fills, used by the gradients in this module (basic.py re-exports them).


def cast(x, dtype):
    """`x` converted to `dtype` ('floatX' means config.floatX); a no-op when already so."""
    if dtype == "floatX":
        dtype = config.floatX
    dtype = str(np.dtype(dtype))
    x = as_tensor_variable(x)
    if x.type.dtype == dtype:
        return x
    if x.type.dtype.startswith("complex") and not dtype.startswith("complex"):
        raise TypeError(
            "Casting from complex to real is ambiguous: consider real(), imag(), angle() or abs()"
        )
    return elemwise_of(S.cast_op(dtype))(x)


def _make_cast(dtype):
    def caster(x):
        return cast(x, dtype)

    caster.__name__ = f"cast_{dtype}"
    caster.__doc__ = f"Cast to {dtype}."
    return caster


# One caster per dtype, under the names Theano gave them: as in Theano, the Elemwise of
# the Cast scalar op (``_convert_to_int32.scalar_op``), which always builds a node.
_convert_to_bool = elemwise_of(S.cast_op("bool"))
_convert_to_int8 = elemwise_of(S.cast_op("int8"))
_convert_to_int16 = elemwise_of(S.cast_op("int16"))
_convert_to_int32 = elemwise_of(S.cast_op("int32"))
_convert_to_int64 = elemwise_of(S.cast_op("int64"))
_convert_to_uint8 = elemwise_of(S.cast_op("uint8"))
_convert_to_uint16 = elemwise_of(S.cast_op("uint16"))
_convert_to_uint32 = elemwise_of(S.cast_op("uint32"))
_convert_to_uint64 = elemwise_of(S.cast_op("uint64"))
_convert_to_float16 = elemwise_of(S.cast_op("float16"))
_convert_to_float32 = elemwise_of(S.cast_op("float32"))
_convert_to_float64 = elemwise_of(S.cast_op("float64"))
_convert_to_complex64 = elemwise_of(S.cast_op("complex64"))
_convert_to_complex128 = elemwise_of(S.cast_op("complex128"))


# fill(model, value): `value` broadcast to the shape of `model`.  As in Theano, ``fill``
# and ``second`` are the Elemwise of the scalar op second.
fill = second = elemwise_of(S.second)


def zeros_like(model, dtype=None):
    model = as_tensor_variable(model)
    if dtype is None:
        dtype = model.type.dtype
    return fill(model, constant(0, dtype=dtype))


def ones_like(model, dtype=None):
    model = as_tensor_variable(model)
    if dtype is None:
        dtype = model.type.dtype
    return fill(model, constant(1, dtype=dtype))


# The Elemwise instances the reductions' gradients use (the cached objects that
# theano.tensor.eq, switch and and_ are).
_eq = elemwise_of(S.eq)
_switch = elemwise_of(S.switch)
_and = elemwise_of(S.and_)


# ----------------------------------------------------------------------------- reductions


class CAReduce(Op):
    """Reduce along axes with a commutative and associative binary scalar op (Theano's
    ``Reduce{add}{0, 1}``): ``CAReduce(scalar.add)`` sums, ``mul`` multiplies,
    ``maximum``/``minimum``, ``and_``/``or_``/``xor`` reduce bitwise.

    `axis` is None (every axis), an int or a sequence of ints; negative axes count from
    the end and are resolved when the node is built (the node's op holds them resolved).
    The output keeps the input's dtype; the subclasses (Sum, Prod...) choose theirs."""

    __module__ = "theano.tensor.elemwise"  # Theano's path: reprs and pickles

    __props__ = ("scalar_op", "axis")
    numpy_name = None

    def __init__(self, scalar_op, axis=None):
        if getattr(scalar_op, "nin", 2) not in (-1, 2) or getattr(scalar_op, "nout", 1) != 1:
            raise NotImplementedError(
                "CAReduce only supports binary functions with a single output.")
        self.scalar_op = scalar_op
        self.axis = _axis_tuple(axis)

    @property
    def ufunc(self):
        """The NumPy ufunc whose ``reduce`` computes this reduction (Theano's attribute;
        a Python-level ufunc of the scalar op when NumPy has none)."""
        name = getattr(self.scalar_op, "ufunc", None)
        if name is not None:
            return getattr(np, name)
        fn = self.scalar_op.implementation(np)
        return np.frompyfunc(lambda a, b: fn(np.asarray(a), np.asarray(b))[()], 2, 1)

    def _axes(self, ndim):
        return tuple(range(ndim)) if self.axis is None else self.axis

    def _output_dtype(self, in_dtype):
        return in_dtype

    def output_dtype(self, in_dtype):
        return self._output_dtype(in_dtype)

    def _acc_dtype(self, in_dtype):
        return self._output_dtype(in_dtype)

    def _with(self, **fields):
        """A copy of this op with `fields` changed (the cached hash dropped)."""
        op = copy.copy(self)
        op.__dict__.pop("_props_hash", None)
        op.__dict__.update(fields)
        return op

    def _resolved(self, ndim):
        """This op with its axes checked against an input of `ndim` dimensions and the
        negative ones resolved (a copy when some were negative)."""
        if self.axis is None:
            return self
        for a in self.axis:
            if a >= ndim or a < -ndim:
                raise ValueError(
                    f"Not enough dimensions on an input of {ndim} dimensions to reduce on "
                    f"axis {a}")
        if all(a >= 0 for a in self.axis):
            return self
        return self._with(axis=tuple(sorted({a % ndim for a in self.axis})))

    def make_node(self, x):
        x = as_tensor_variable(x)
        op = self._resolved(x.type.ndim)
        axes = op._axes(x.type.ndim)
        bcast = tuple(b for i, b in enumerate(x.type.broadcastable) if i not in axes)
        out_dtype = op._output_dtype(x.type.dtype)
        return Apply(op, [x], [TensorType(out_dtype, bcast)()])

    def runner(self, node, xp):
        axis = self._axes(node.inputs[0].type.ndim)
        out_dtype = node.outputs[0].type.dtype
        acc = self._acc_dtype(node.inputs[0].type.dtype)
        reduce = self._reducer(xp)

        def run(x):
            return xp.asarray(reduce(x, axis, acc)).astype(out_dtype, copy=False)
        return run

    def _reducer(self, xp):
        """``reduce(x, axis, acc_dtype)`` computing this reduction on arrays of `xp`."""
        name = self.numpy_name
        if name in ("sum", "prod"):
            # On NumPy, the ufunc's reduce itself (what np.sum & co. call, so the same
            # result): it skips np.sum's Python wrapper, and a floating-point warning it
            # raises is then attributed to this module, which link/errors.py's filter
            # silences (one raised in numpy's wrapper module could not be told from the
            # user's own np.sum).
            r = _NUMPY_REDUCE[name] if xp is np else getattr(xp, name)
            return lambda x, axis, acc: r(x, axis=axis, dtype=acc)
        if name is not None:
            r = _NUMPY_REDUCE[name] if xp is np else getattr(xp, name)

            def extremum(x, axis, acc):
                if x.size == 0 and name in ("max", "min"):
                    raise ValueError(
                        f"{self}: cannot reduce an empty array (shape {x.shape}) without "
                        "identity")
                return r(x, axis=axis)
            return extremum
        ufunc = getattr(self.scalar_op, "ufunc", None)
        if ufunc is not None:
            u = getattr(xp, ufunc)
            # Theano's perform: the input converted to the accumulator dtype, reduced by
            # the ufunc one axis at a time, the last first (so floating-point results are
            # Theano's to the bit); NumPy raises for an empty axis of an op without identity.

            def each_axis(x, axis, acc):
                x = x.astype(acc, copy=False)
                if not axis:
                    return u.reduce(x, axis=())  # a copy
                for a in sorted(axis, reverse=True):
                    x = u.reduce(x, axis=a)
                return x
            return each_axis
        return self._fold(xp)

    def _fold(self, xp):
        """The reduction as a loop of the scalar op's elementwise implementation over the
        reduced axes (scalar ops NumPy has no ufunc for)."""
        fn = self.scalar_op.implementation(xp)
        identity = getattr(self.scalar_op, "identity", None)

        def fold(x, axis, acc):
            x = x.astype(acc, copy=False)
            for a in sorted(axis, reverse=True):
                if x.shape[a] == 0:
                    if identity is None:
                        raise ValueError(
                            f"{self}: cannot reduce an empty axis ({a}) without identity")
                    x = xp.full(x.shape[:a] + x.shape[a + 1:], identity, dtype=acc)
                    continue
                res = xp.take(x, 0, axis=a)
                for k in range(1, x.shape[a]):
                    res = xp.asarray(fn(res, xp.take(x, k, axis=a))).astype(acc, copy=False)
                x = res
            return x
        return fold

    def impl(self, xp, x):
        node = self.make_node(TensorType(str(x.dtype), (False,) * x.ndim)())
        return node.op.runner(node, xp)(x)

    def infer_shape(self, node, shapes):
        axes = self._axes(node.inputs[0].type.ndim)
        return [tuple(s for i, s in enumerate(shapes[0]) if i not in axes)]

    def __str__(self):
        if type(self) is CAReduce:
            axes = "" if self.axis is None else "{" + ", ".join(map(str, self.axis)) + "}"
            return f"Reduce{{{self.scalar_op}}}{axes}"
        parts = []
        if self.axis is not None:
            parts.append("axis=[" + ", ".join(str(a) for a in self.axis) + "]")
        if getattr(self, "acc_dtype", None) is not None:
            parts.append(f"acc_dtype={self.acc_dtype}")
        name = type(self).__name__
        return f"{name}{{{', '.join(parts)}}}" if parts else name


def _axis_tuple(axis):
    """Theano's normal form of a reduction's `axis`: None, or a sorted tuple of distinct
    ints (negative ones kept until the input's rank is known)."""
    if axis is None:
        return None
    if isinstance(axis, (int, np.integer)) or (isinstance(axis, np.ndarray) and axis.ndim == 0):
        return (int(axis),)
    return tuple(sorted({int(a) for a in axis}))


_NUMPY_REDUCE = {"sum": np.add.reduce, "prod": np.multiply.reduce, "max": np.maximum.reduce,
                 "min": np.minimum.reduce, "all": np.logical_and.reduce,
                 "any": np.logical_or.reduce}

# Theano's default output dtype of sum and prod (CAReduceDtype): small integers widen to
# 64 bits; and their default accumulator (also float16/32 -> float32/64, complex64 ->
# complex128).
_WIDE_INT = {"bool": "int64", "int8": "int64", "int16": "int64", "int32": "int64",
             "uint8": "uint64", "uint16": "uint64", "uint32": "uint64"}
_WIDE_ACC = {**_WIDE_INT, "float16": "float32", "float32": "float64",
             "complex64": "complex128"}


def _sum_dtype(in_dtype):
    return _WIDE_INT.get(in_dtype, in_dtype)


class CAReduceDtype(CAReduce):
    """A CAReduce with an output `dtype` and an accumulator `acc_dtype` (Theano's base of
    Sum and Prod).  By default the output widens small integers to (u)int64 and the
    accumulator also widens float16/float32/complex64; an explicit accumulator less
    precise than the input is refused (a float one for integers is fine).  The node's op
    holds both dtypes resolved (``Sum()(bmatrix).owner.op.acc_dtype == 'int64'``)."""

    __props__ = ("scalar_op", "axis", "dtype", "acc_dtype")

    def __init__(self, scalar_op, axis=None, dtype=None, acc_dtype=None):
        super().__init__(scalar_op, axis)
        self.dtype = None if dtype is None else _dtype_name(dtype)
        self.acc_dtype = None if acc_dtype is None else _dtype_name(acc_dtype)

    def _output_dtype(self, in_dtype):
        return self.dtype if self.dtype is not None else _sum_dtype(in_dtype)

    def _acc_dtype(self, in_dtype):
        acc = self.acc_dtype
        if acc is None:
            return _WIDE_ACC.get(in_dtype, in_dtype)
        if acc in D.continuous_dtypes and in_dtype in D.discrete_dtypes:
            return acc
        if D.upcast(in_dtype, acc) != acc:
            raise TypeError(
                f"Cannot build {self} node with input dtype {in_dtype} and acc_dtype {acc}, "
                "as precision would be lost. To correct this error, you can:\n"
                "  - not specify acc_dtype, or\n"
                f"  - use an acc_dtype at least as precise as {in_dtype}.\n"
                '  - specify "dtype" instead of "acc_dtype", so the reduction will be '
                'precise, but the result will be casted into "dtype" at the end.\n'
                "If you are expecting the precision loss, you can use tensor.cast(..., "
                f'dtype="{acc}"), on your input.')
        return acc

    def make_node(self, x):
        x = as_tensor_variable(x)
        dtype = self._output_dtype(x.type.dtype)
        acc = self._acc_dtype(x.type.dtype)
        op = self if (dtype, acc) == (self.dtype, self.acc_dtype) else self._with(
            dtype=dtype, acc_dtype=acc)
        return CAReduce.make_node(op, x)

    def __str__(self):
        if type(self) is CAReduceDtype:
            axis = "" if self.axis is None else \
                "axis=[" + ", ".join(str(a) for a in self.axis) + "], "
            return f"ReduceDtype{{{self.scalar_op}}}{{{axis}acc_dtype={self.acc_dtype}}}"
        return super().__str__()


def _dtype_name(dtype):
    return config.floatX if dtype == "floatX" else str(np.dtype(dtype))


class Sum(CAReduceDtype):
    """Sum over axes; ints accumulate in (u)int64, float32 in float64 (Theano's acc_dtype)."""

    __module__ = "theano.tensor.elemwise"  # Theano's path: reprs and pickles

    __props__ = ("axis", "dtype", "acc_dtype")
    numpy_name = "sum"

    def __init__(self, axis=None, dtype=None, acc_dtype=None):
        super().__init__(S.add, axis, dtype, acc_dtype)

    def L_op(self, inputs, outputs, grads):
        (x,), (g,) = inputs, grads
        if x.type.dtype in D.discrete_dtypes:
            return [zeros_like(x, dtype=config.floatX)]
        g = _expand_reduced(g, x, self._axes(x.type.ndim))
        out = fill(x, g)
        return [cast(out, x.type.dtype) if out.type.dtype != x.type.dtype else out]

    def R_op(self, inputs, eval_points):
        return [None if eval_points[0] is None else self(eval_points[0])]


class Prod(CAReduceDtype):
    """Product over axes.  Its gradient handles zeros in the input as Theano's (one zero
    in a group: the product of the others there; two or more: 0), unless
    ``no_zeros_in_input=True`` promises there are none (then it is prod / x, which has a
    gradient itself)."""

    __module__ = "theano.tensor.elemwise"  # Theano's path: reprs and pickles

    __props__ = ("axis", "dtype", "acc_dtype")
    numpy_name = "prod"

    def __init__(self, axis=None, dtype=None, acc_dtype=None, no_zeros_in_input=False):
        super().__init__(S.mul, axis, dtype, acc_dtype)
        self.no_zeros_in_input = no_zeros_in_input

    def __setstate__(self, state):
        self.__dict__.update(state)
        self.__dict__.setdefault("no_zeros_in_input", False)

    def L_op(self, inputs, outputs, grads):
        (x,), (z,), (g,) = inputs, outputs, grads
        if x.type.dtype in D.discrete_dtypes or (self.acc_dtype or "") in D.discrete_dtypes:
            return [zeros_like(x, dtype=config.floatX)]
        axes = self._axes(x.type.ndim)
        if not axes:
            return [g]
        gz = _expand_reduced(g * z, x, axes)
        if self.no_zeros_in_input:
            gx = gz / x
            return [cast(gx, x.type.dtype) if gx.type.dtype != x.type.dtype else gx]
        # d prod / d x_i = prod / x_i, with the zero cases handled like Theano's Prod.grad:
        # exactly one zero -> the product of the others; two or more zeros -> 0.
        is_zero = _eq(x, 0)
        n_zeros = sum(is_zero, axis=list(axes), keepdims=True)
        safe_x = _switch(is_zero, 1, x)
        prod_nonzero = _expand_reduced(
            prod(safe_x, axis=list(axes)), x, axes)
        # Divide by safe_x (x with its zeros replaced by 1): the quotient is only used
        # where no entry is zero, and dividing by x itself would warn about 0/0.
        grad_no_zero = gz / safe_x
        one_zero = _eq(n_zeros, 1)
        where_zero = _switch(_and(is_zero, one_zero),
                             _expand_reduced(g, x, axes) * prod_nonzero, 0)
        gx = _switch(_eq(n_zeros, 0), grad_no_zero, where_zero)
        return [cast(gx, x.type.dtype) if gx.type.dtype != x.type.dtype else gx]

    def R_op(self, inputs, eval_points):
        # Not in Theano 1.0.5 (Rop through prod raised there).  The L_op with a unit output
        # gradient gives every partial derivative, zeros in the input included.
        (x,), (v,) = inputs, eval_points
        if v is None or x.type.dtype in D.discrete_dtypes:
            return [None]
        z = self(x)
        (partials,) = self.L_op([x], [z], [ones_like(z)])
        return [sum(partials * v, axis=list(self._axes(x.type.ndim)), dtype=z.type.dtype)]

    def __str__(self):
        return Op.__str__(self)


def _mul_without_zeros(xp, x, y):
    return xp.where(x == 0, y, xp.where(y == 0, x, x * y))


class MulWithoutZeros(S.ScalarOp):
    """x * y where a zero operand counts as absent: ``y`` when x is 0, ``x`` when y is 0
    (so a reduction by it is the product of the nonzero entries, 0 when all are zero).
    The output dtype is the upcast of the inputs' (Theano's ``upcast_out``), whatever
    rule the constructor is given."""

    identity = 0.0
    associative = True

    def __init__(self, output_types_preference=None, name="mul_without_zeros"):
        super().__init__(name, 2, fn=_mul_without_zeros, dtype=S.upcast_out,
                         grad=_NO_MWZ_GRAD, commutative=True)


_NO_MWZ_GRAD = S.NoGradient("mul_without_zeros has no gradient (Theano gave it none)")
mul_without_zeros = MulWithoutZeros(S.upcast_out, name="mul_without_zeros")


class ProdWithoutZeros(CAReduceDtype):
    """The product of the nonzero entries along axes (0 where every entry is zero); used
    by the gradient of Prod in Theano.  It has no gradient (Theano's: not implemented)."""

    __props__ = ("axis", "dtype", "acc_dtype")

    def __init__(self, axis=None, dtype=None, acc_dtype=None):
        super().__init__(mul_without_zeros, axis, dtype, acc_dtype)

    def _reducer(self, xp):
        def reduce(x, axis, acc):
            nonzero = x != 0
            p = xp.multiply.reduce(xp.where(nonzero, x, 1).astype(acc, copy=False),
                                   axis=axis)
            return xp.where(xp.logical_or.reduce(nonzero, axis=axis), p, 0).astype(
                acc, copy=False)
        return reduce

    def L_op(self, inputs, outputs, grads):
        (a,) = inputs
        return [grad_not_implemented(
            self, 0, a,
            "2nd derivatives of `product(a)` is not currently supported.If `a` is "
            "guaranteed to contains no zeros, use `product(a, no_zeros_in_input=True)`.")]

    def __str__(self):
        return Op.__str__(self)


class MaxOrMin(CAReduce):
    """Shared gradient of Max and Min: the output gradient goes to every extremum."""

    def L_op(self, inputs, outputs, grads):
        (x,), (z,), (g,) = inputs, outputs, grads
        if x.type.dtype in D.discrete_dtypes:
            return [zeros_like(x, dtype=config.floatX)]
        axes = self._axes(x.type.ndim)
        zx = _expand_reduced(z, x, axes)
        gx = _eq(zx, x) * _expand_reduced(g, x, axes)
        return [cast(gx, x.type.dtype) if gx.type.dtype != x.type.dtype else gx]

    def R_op(self, inputs, eval_points):
        (x,), (v,) = inputs, eval_points
        if v is None or x.type.dtype in D.discrete_dtypes:
            return [None]
        # The Jacobian that L_op transposes: a 1 at every extremum of each reduced slice.
        axes = self._axes(x.type.ndim)
        zx = _expand_reduced(self(x), x, axes)
        out = sum(v * _eq(zx, x), axis=list(axes))
        return [cast(out, x.type.dtype) if out.type.dtype != x.type.dtype else out]


class Max(MaxOrMin):
    numpy_name = "max"

    def __init__(self, axis=None):
        super().__init__(S.maximum, axis)


class Min(MaxOrMin):
    numpy_name = "min"

    def __init__(self, axis=None):
        super().__init__(S.minimum, axis)


class _BoolReduce(CAReduce):
    """All and Any: a bool output, zero gradients, Theano's ``All{0, 1}`` printing."""

    __props__ = ("axis",)

    def _output_dtype(self, in_dtype):
        return "bool"

    def L_op(self, inputs, outputs, grads):
        return [zeros_like(inputs[0], dtype=config.floatX)]

    def __str__(self):
        name = type(self).__name__
        return name if self.axis is None else f"{name}{{{', '.join(map(str, self.axis))}}}"


class All(_BoolReduce):
    """Logical and along axes (any input dtype: nonzero is true)."""

    __module__ = "theano.tensor.elemwise"  # Theano's path: reprs and pickles

    numpy_name = "all"

    def __init__(self, axis=None):
        super().__init__(S.and_, axis)


class Any(_BoolReduce):
    """Logical or along axes (any input dtype: nonzero is true)."""

    __module__ = "theano.tensor.elemwise"  # Theano's path: reprs and pickles

    numpy_name = "any"

    def __init__(self, axis=None):
        super().__init__(S.or_, axis)



def _expand_reduced(g, x, axes):
    """Re-insert the reduced axes of `g` as broadcastable dimensions (to combine with x)."""
    pattern = []
    k = 0
    for d in range(x.type.ndim):
        if d in axes:
            pattern.append("x")
        else:
            pattern.append(k)
            k += 1
    g = as_tensor_variable(g)
    return DimShuffle(g.type.broadcastable, pattern)(g)


def sum_to_broadcast(g, var):
    """Sum gradient `g` over the dims `var` was broadcast along, giving var's pattern."""
    extra = g.type.ndim - var.type.ndim
    if extra > 0:
        g = sum(g, axis=list(range(extra)))
    axes = [i for i, b in enumerate(var.type.broadcastable) if b and not g.type.broadcastable[i]]
    if axes:
        g = sum(g, axis=axes, keepdims=True)
    return patternbroadcast(g, var.type.broadcastable)

# ----------------------------------------------------------------------------- sum and prod
# The reduction builders of theano.tensor (math.py re-exports them), used by the gradients
# above.


def _norm_axis(axis, ndim):
    if axis is None:
        return None
    if isinstance(axis, (list, tuple)):
        axes = [int(a) for a in axis]
    elif hasattr(axis, "type"):
        from_const = getattr(axis, "data", None)
        if from_const is None:
            raise NotImplementedError(
                "symbolic reduction axes are not supported: pass Python ints"
            )
        axes = [int(a) for a in np.atleast_1d(from_const)]
    else:
        axes = [int(axis)]
    out = []
    for a in axes:
        if a < -ndim or a >= _builtins.max(ndim, 1):
            raise ValueError(f"axis {a} is out of range for a {ndim}-d tensor")
        out.append(a + ndim if a < 0 else a)
    return out


def _keep(out, x, axes, keepdims):
    if not keepdims:
        return out
    return _expand_reduced(out, x, range(x.type.ndim) if axes is None else axes)


def sum(input, axis=None, dtype=None, keepdims=False, acc_dtype=None):  # noqa: A001
    """Sum over `axis` (all axes by default); ints sum to int64, float32 accumulates in float64."""
    x = as_tensor_variable(input)
    axes = _norm_axis(axis, x.type.ndim)
    return _keep(Sum(axes, dtype, acc_dtype)(x), x, axes, keepdims)


def prod(input, axis=None, dtype=None, keepdims=False, acc_dtype=None, no_zeros_in_input=False):
    x = as_tensor_variable(input)
    axes = _norm_axis(axis, x.type.ndim)
    return _keep(Prod(axes, dtype, acc_dtype, no_zeros_in_input)(x), x, axes, keepdims)


# ------------------------------------------------------------- the rest of Theano's module


class DimShufflePrinter:
    """The ``theano.pp`` form of a DimShuffle: its input when it only adds leading
    broadcastable dimensions or keeps the order, ``x.T`` for a full reversal, else
    ``DimShuffle{1, 0, x}(x)``."""

    def process(self, r, pstate):
        if r.owner is None or not isinstance(r.owner.op, DimShuffle):
            raise TypeError("Can only print DimShuffle.")
        order = list(r.owner.op.new_order)
        while order and order[0] == "x":
            order.pop(0)
        x = r.owner.inputs[0]
        inner = pstate.pprinter.process(x)
        if order == list(range(x.type.ndim)):
            return inner
        if order == list(reversed(range(x.type.ndim))):
            return f"{inner}.T"
        return f"DimShuffle{{{', '.join(map(str, order))}}}({inner})"


# Python 2 compatibility names Theano's module imported (six, theano.compat).
integer_types = (int,)
izip = zip
xrange = range


def iteritems(d, **kw):
    """six.iteritems."""
    return iter(d.items(**kw))


# Names of Theano's module that live in higher layers (theano.gof, theano.printing,
# the package itself) or later in the tensor chain (the variable classes): found where
# ``import theano`` put them, as this module may import neither.
_HIGHER = {"gof": ("theano_compat.gof", None), "theano": ("theano_compat", None),
           "COp": ("theano_compat.gof.op", "COp"),
           "OpenMPOp": ("theano_compat.gof.op", "OpenMPOp"),
           "ParamsType": ("theano_compat.gof.params_type", "ParamsType"),
           "pprint": ("theano_compat.printing", "pprint"),
           "frozendict": ("theano_compat.misc.frozendict", "frozendict"),
           "cgen": ("theano_compat.tensor.elemwise_cgen", None),
           "TensorVariable": ("theano_compat.tensor.variable", "TensorVariable"),
           "TensorConstant": ("theano_compat.tensor.variable", "TensorConstant")}


__getattr__, __dir__ = lazy_names(__name__, _HIGHER)


# The classes this module added for Theano's API report Theano's module path (reprs and
# pickles name theano.tensor.elemwise, which the theano package maps to this module).
for _cls in (CAReduceDtype, ProdWithoutZeros, MulWithoutZeros, DimShufflePrinter):
    _cls.__module__ = "theano.tensor.elemwise"

__all__ = ["Elemwise", "DimShuffle", "CAReduce", "CAReduceDtype", "Sum", "Prod",
           "ProdWithoutZeros", "MulWithoutZeros", "mul_without_zeros", "Max", "Min", "All",
           "Any", "DimShufflePrinter", "DisconnectedType"]
