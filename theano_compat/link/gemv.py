"""Gemv nodes written out as lines of the program: one BLAS call into an owned buffer.

The BLAS rewrites (tensor/rewrites/blas.py) turn ``dot(x, w)`` into
``Gemv{inplace}(AllocEmpty(Shape_i{0}(x)), 1.0, x, w, 0.0)`` and ``w * c + dot(A, v)`` into
``Gemv{no_inplace}(w, 1.0, A, v, c)``, as Theano did.  Run as nodes, that is three calls
(the shape, an uninitialised array, the Op with its checks of alpha and beta) where the
Dot it replaced was one ``dot(x, w, out=buffer)``.  Alpha and beta are constants, so the
program can say what Gemv computes for them directly:

    t = dot(A, x, out=b)            # b: a buffer of the program, or a new array
    multiply(t, alpha, t)           # when alpha != 1
    add(t, multiply(beta, y), t)    # when beta != 0 (add(t, y) when beta == 1)

which are the operations Gemv.impl performs, in its order (the same numbers).  An
``AllocEmpty(Shape_i{0}(A))`` read only by an in-place Gemv with beta 0 is never read
(Gemv's contract), so its nodes are left out of the program.  A Gemv writing into another
array in place (an input the caller lets it overwrite) keeps its runner.
"""

from __future__ import annotations

import numpy as np

from ..graph.basic import Constant
from ..tensor.blas import Gemv
from ..tensor.construct import AllocEmpty
from ..tensor.shapes import Shape_i


def _constant(var):
    if not isinstance(var, Constant) or getattr(var.type, "ndim", None) != 0:
        return None
    return var.data


def _only_reader(var, node, clients, keep):
    return id(var) not in keep and [n for n in clients.get(id(var), ())] == [node]


def plan(order, clients, keep):
    """{gemv node: whether its y is an unread AllocEmpty} for the Gemv nodes written out,
    and the set of nodes left out (those AllocEmpty and the Shape_i read only by them)."""
    gemvs, skipped = {}, set()
    for node in order:
        if not isinstance(node.op, Gemv):
            continue
        y, alpha, A, _x, beta = node.inputs
        a, b = _constant(alpha), _constant(beta)
        if a is None or b is None:
            continue
        alloc = y.owner
        fresh_y = (alloc is not None and isinstance(alloc.op, AllocEmpty) and b == 0
                   and len(alloc.inputs) == 1 and _only_reader(y, node, clients, keep))
        shape = alloc.inputs[0] if fresh_y else None
        if fresh_y and not (shape.owner is not None and isinstance(shape.owner.op, Shape_i)
                            and shape.owner.op.i == 0 and shape.owner.inputs[0] is A):
            fresh_y = False
        if node.op.inplace and not fresh_y:
            continue  # writes into an array someone gave it: the runner does that
        gemvs[node] = fresh_y
        if fresh_y:
            skipped.add(alloc)
            if _only_reader(shape, alloc, clients, keep):
                skipped.add(shape.owner)
    return gemvs, skipped


def buffer_shape(node):
    """The result's shape over the argument names {0} (y) ... {4} (beta)."""
    return "({2}.shape[0],)"


def lines(node, pos, args, target, glob, fresh_y, buffer, runner):
    """The lines computing Gemv `node` into `target` (see the module docstring); `args`:
    the argument names (y's unused when `fresh_y`); `runner` raises Gemv's error for
    shapes that do not fit."""
    y, alpha, A, x, beta = args
    a, b = _constant(node.inputs[1]), _constant(node.inputs[4])
    glob.update(_gv_dot=np.dot, _gv_mul=np.multiply, _gv_add=np.add)
    glob[f"_gvfail{pos}"] = runner
    out = []
    dest = f", out={buffer}" if buffer is not None else ""
    if fresh_y:
        glob[f"_gvy{pos}"] = np.empty
        fail = (f"_gvfail{pos}(_gvy{pos}({A}.shape[0], {A}.dtype), {alpha}, {A}, {x}, "
                f"{beta})")
    else:
        # (y's length is checked first: NumPy would broadcast a y of length 1)
        out.append(f"if {A}.shape[0] != {y}.shape[0]: _gvfail{pos}({', '.join(args)})")
        fail = f"_gvfail{pos}({', '.join(args)})"
    # A and x that do not fit make dot raise ValueError: then the runner raises Gemv's
    # error (a try costs nothing when nothing is raised; a test of the shapes would).
    out += ["try:",
            f"    {target} = _gv_dot({A}, {x}{dest})   # {node.op}",
            "except ValueError:",
            f"    {fail}",
            "    raise"]
    if a != 1:
        out.append(f"_gv_mul({target}, {alpha}, {target})")
    if b != 0:
        other = y if b == 1 else f"_gv_mul({beta}, {y})"
        out.append(f"_gv_add({target}, {other}, {target})")
    return out
