"""A sum or product of a fused elementwise group as one ``cupy.ReductionKernel`` (CUDA).

``(T.exp(x) * y).sum()`` compiled for a GPU is a fused ``Elemwise(Composite)`` node and a
``Sum`` node.  Run apart they are two kernels: one writes a temporary the size of the
inputs, the other reads it back.  When the Sum (or Prod) is the elementwise result's
only reader, one ReductionKernel does both: each thread maps its elements with the
group's C code (fuse_cuda.py) and accumulates them, and the temporary never exists.

`foldable_reductions(order, kernel_nodes, outputs)` picks the pairs.  A pair folds when

* the reduction is exactly ``Sum`` or ``Prod`` (any axes) with C types for its
  accumulator and output;
* its input is the output of an elementwise node that runs as a kernel, that output
  has no other reader and is not a result of the function;
* the reduction comes right after the elementwise node in the program.  The
  elementwise node's runner then only checks sizes and places its arguments
  (`deferred_elemwise_runner`); the reduction's runner launches the kernel on them.
  Nothing runs in between, so no other node can overwrite those arguments (an
  in-place Op, a reused buffer) before the kernel reads them.

The kernel computes as the separate nodes do: every element is computed in the group's
output dtype, converted to the reduction's accumulator dtype (Theano's acc_dtype:
float32 sums and products accumulate in float64) and reduced; the result is converted
to the output dtype.  Only the order of the additions differs (a tree on the GPU).
"""

from __future__ import annotations

import itertools

import numpy as np

from ..scalar.c_forms import CTYPES, ctype
from ..tensor.elemwise import Prod, Sum
from .fuse_cuda import _preparer, _with_size_checks, node_kernel_source

__all__ = [
    "REDUCTIONS",
    "MappedOperands",
    "deferred_elemwise_runner",
    "foldable_reductions",
    "reduction_kernel_args",
    "reduction_runner",
]

# Reduction Op class -> (label, reduce_expr, identity).
REDUCTIONS = {Sum: ("sum", "a + b", "0"), Prod: ("prod", "a * b", "1")}


def foldable_reductions(order, kernel_nodes, outputs=()):
    """{reduction node: elementwise node} for the pairs of `order` (the program's nodes in
    the order it runs them) that run as one reduction kernel (see the module docstring).
    `kernel_nodes`: the elementwise nodes that run as kernels; `outputs`: the function's
    results."""
    results = {id(v) for v in outputs}
    readers = {}
    for node in order:
        for var in node.inputs:
            readers[id(var)] = readers.get(id(var), 0) + 1
    pairs = {}
    for before, node in itertools.pairwise(order):
        if type(node.op) not in REDUCTIONS or before not in kernel_nodes:
            continue
        if len(before.outputs) != 1 or node.inputs[0] is not before.outputs[0]:
            continue
        mapped = before.outputs[0]
        if readers.get(id(mapped)) != 1 or id(mapped) in results or mapped.type.ndim == 0:
            continue
        if reduction_kernel_args(node, before) is None:
            continue
        pairs[node] = before
    return pairs


class MappedOperands:
    """The placed arguments of an elementwise node whose reduction computes it (what the
    elementwise node's runner returns in a folded pair; only that reduction reads it)."""

    __slots__ = ("args",)

    def __init__(self, args):
        self.args = args


def deferred_elemwise_runner(node, backend, host_positions=()):
    """The runner of a folded elementwise node: Theano's size check, its arguments placed
    as its kernel takes them (host values converted), no launch."""
    in_dtypes = [np.dtype(i.type.dtype) for i in node.inputs]
    prepare = _preparer(backend, in_dtypes)

    def defer(*args):
        return MappedOperands(prepare(args))

    return _with_size_checks(defer, node)


def reduction_kernel_args(reduce_node, elemwise_node):
    """The arguments of ``backend.reduction_kernel`` computing `reduce_node` of
    `elemwise_node`'s output in one kernel, or None when that cannot be done."""
    source = node_kernel_source(elemwise_node)
    label, reduce_expr, identity = REDUCTIONS[type(reduce_node.op)]
    mapped_dtype = elemwise_node.outputs[0].type.dtype
    acc = reduce_node.op._acc_dtype(mapped_dtype)
    out = reduce_node.outputs[0].type.dtype
    if source is None or any(d not in CTYPES for d in (acc, out, mapped_dtype)):
        return None
    # The group's statements become a device function of its inputs (a ReductionKernel
    # takes the map as one expression).
    map_fn = f"{source.name}_map"
    nin = len(elemwise_node.inputs)
    params = ", ".join(f"{ctype(i.type.dtype)} i{k}"
                       for k, i in enumerate(elemwise_node.inputs))
    mapped_ct = ctype(mapped_dtype)
    function = (f"__device__ __forceinline__ {mapped_ct} {map_fn}({params}) {{\n"
                f"{mapped_ct} o0;\n{source.operation}\nreturn o0;\n}}\n")
    map_expr = f"{map_fn}({', '.join(f'i{k}' for k in range(nin))})"
    name = f"theano_{label}_of_{source.name[len('theano_'):]}"
    return {"in_params": source.in_params, "out_params": f"{out} o0", "map_expr": map_expr,
            "reduce_expr": reduce_expr, "post_map_expr": f"o0 = ({ctype(out)})(a)",
            "identity": identity, "name": name, "reduce_type": ctype(acc),
            "preamble": source.preamble + function}


def reduction_runner(reduce_node, elemwise_node, backend):
    """The runner of the reduction of a folded pair: it receives the MappedOperands of
    the elementwise node and launches one reduction kernel."""
    kernel = backend.reduction_kernel(**reduction_kernel_args(reduce_node, elemwise_node))
    axis = reduce_node.op._axes(reduce_node.inputs[0].type.ndim)

    def run(mapped):
        if not isinstance(mapped, MappedOperands):
            raise TypeError(f"{reduce_node.op}: folded with {elemwise_node.op} but received "
                            f"{type(mapped).__name__} (the program did not run the pair "
                            "together)")
        return kernel(*mapped.args, axis=axis)

    return run
