"""RowMap: the loop jacobian and hessian run (Theano 1.0.5 built them with scan).

`row_map(n, index, outputs)` evaluates an inner graph, written over a scalar `index`, for
every index in range(n) and stacks (or sums) the results.  What the inner graph reads
that does not depend on the index becomes an input of the loop and is computed once,
outside it.  Its gradient and R_op are row maps themselves, so jacobians can be
differentiated again (hessians of jacobians, Rop of a jacobian).
"""

from __future__ import annotations

import numpy as np

from .graph.basic import Apply, Constant, clone_replace, graph_inputs, io_toposort
from .graph.null import disconnected_type, is_disconnected, is_null
from .graph.op import Op, runner_for
from .tensor import basic as TB
from .tensor import math as TM
from .tensor.type import TensorType


def row_map(n, index, outputs, replace=None, mode="stack"):
    """Outer variables evaluating `outputs` (a graph over the scalar `index`) for every
    index in range(n), stacked along a new first axis (mode 'stack') or summed ('sum').

    Everything the inner graph reads that does not depend on `index` becomes an input of
    the loop, computed once outside it.  `replace` maps inner variables to the outer
    variables they stand for.
    """
    nodes = io_toposort(graph_inputs(outputs), outputs)
    varying = {id(index)}
    for node in nodes:
        if any(id(i) in varying for i in node.inputs):
            varying.update(id(o) for o in node.outputs)
    free, seen = [], set()

    def add_free(v):
        if id(v) not in varying and not isinstance(v, Constant) and id(v) not in seen:
            seen.add(id(v))
            free.append(v)

    for node in nodes:
        if id(node.outputs[0]) in varying:
            for i in node.inputs:
                add_free(i)
    for o in outputs:
        add_free(o)
    outer = clone_replace(free, replace, strict=False) if replace and free else free
    return RowMap(index, free, outputs, mode)(n, *outer, return_list=True)


class RowMap(Op):
    """A loop over rows: evaluates an inner graph for each index in range(n).

    Inputs: ``n`` and the free variables of the inner graph (see `row_map`).  Outputs have
    shape (n,) + row shape (mode 'stack') or the row shape (mode 'sum', the sum over the
    rows: what the gradient of a stacked map needs).  The inner graph is interpreted with
    each node's own implementation, on NumPy arrays (the inner graph is not rewritten or
    compiled); its gradient and R_op are row maps themselves.
    """

    # The rows run node by node on NumPy: on a GPU backend the linker runs this Op on the
    # host (inputs copied from, outputs copied to the device; link/device.py).
    host_only = True

    def __init__(self, index, free, outputs, mode):
        if mode not in ("stack", "sum"):
            raise ValueError(f"RowMap mode must be 'stack' or 'sum', got {mode!r}")
        self.index, self.free, self.inner_outputs, self.mode = index, list(free), list(
            outputs), mode
        self._nodes = io_toposort([index] + self.free, self.inner_outputs)
        self._runners = None

    def __getstate__(self):
        state = self.__dict__.copy()
        state["_runners"] = None  # closures over the nodes: rebuilt on first use
        return state

    def make_node(self, n, *free):
        n = TB.as_tensor_variable(n)
        outs = [TensorType(o.type.dtype, (False,) + o.type.broadcastable)()
                if self.mode == "stack" else o.type() for o in self.inner_outputs]
        return Apply(self, [n, *free], outs)

    def _rows(self, free_values, n):
        if self._runners is None:
            self._runners = [_node_runner(node) for node in self._nodes]
        env = {id(v): val for v, val in zip(self.free, free_values)}
        for k in range(n):
            env[id(self.index)] = np.asarray(k, dtype=self.index.type.dtype)
            for node, run in zip(self._nodes, self._runners):
                args = [env[id(i)] if id(i) in env else i.data for i in node.inputs]
                result = run(*args)
                if len(node.outputs) == 1:
                    env[id(node.outputs[0])] = result
                else:
                    env.update((id(o), r) for o, r in zip(node.outputs, result))
            yield [env[id(o)] if id(o) in env else o.data for o in self.inner_outputs]

    def impl(self, xp, n, *free):
        n = int(n)
        if n <= 0:
            raise ValueError(
                f"{self}: cannot loop over {n} rows (the jacobian/hessian of an empty "
                "expression is not defined; Theano 1.0.5's scan refused 0 iterations too)"
            )
        dtypes = [o.type.dtype for o in self.inner_outputs]
        if self.mode == "stack":
            rows = list(zip(*self._rows(free, n)))
            results = [np.stack([np.asarray(r) for r in col]).astype(dt, copy=False)
                       for col, dt in zip(rows, dtypes)]
        else:
            results = None
            for row in self._rows(free, n):
                if results is None:
                    results = [np.array(r, dtype=dt) for r, dt in zip(row, dtypes)]
                else:
                    for total, r in zip(results, row):
                        total += r
        return results[0] if len(results) == 1 else tuple(results)

    def L_op(self, inputs, outputs, output_grads):
        n = inputs[0]
        replace = dict(zip(self.free, inputs[1:]))
        cost = None
        for o_inner, g in zip(self.inner_outputs, output_grads):
            if is_disconnected(g) or is_null(g):
                continue
            stand_in = g.type()
            replace[stand_in] = g
            row = stand_in[self.index] if self.mode == "stack" else stand_in
            term = TM.sum(row * o_inner)
            cost = term if cost is None else cost + term
        if cost is None:
            return [disconnected_type() for _ in inputs]
        grads = grad(cost, self.free, consider_constant=self.free, disconnected_inputs="ignore",
                     return_disconnected="None", null_gradients="return")
        live = [k for k, g in enumerate(grads) if g is not None and not is_null(g)]
        summed = iter(row_map(n, self.index, [grads[k] for k in live], replace, "sum")
                      if live else ())
        result = [disconnected_type()]
        for k, g in enumerate(grads):
            result.append(next(summed) if k in live else
                          g if g is not None else disconnected_type())
        return result

    def connection_pattern(self, node):
        return [[False] * len(node.outputs)] + [[True] * len(node.outputs)
                                                for _ in node.inputs[1:]]

    def R_op(self, inputs, eval_points):
        pairs = [(f, e) for f, e in zip(self.free, eval_points[1:]) if e is not None]
        if not pairs:
            return [None] * len(self.inner_outputs)
        stand_ins = [e.type() for _, e in pairs]
        replace = dict(zip(self.free, inputs[1:]))
        replace.update(zip(stand_ins, [e for _, e in pairs]))
        tangents = Rop(self.inner_outputs, [f for f, _ in pairs], stand_ins,
                       disconnected_outputs="ignore", return_disconnected="None")
        live = [t for t in tangents if t is not None]
        mapped = iter(row_map(inputs[0], self.index, live, replace, self.mode) if live else ())
        return [None if t is None else next(mapped) for t in tangents]

    def __str__(self):
        return f"RowMap{{{self.mode}}}"


def _node_runner(node):
    """A callable computing `node` on NumPy arrays: the linker's own runner (the op's
    runner, impl or perform; a user Op's perform has its outputs checked, see
    graph.op._perform_runner)."""
    return runner_for(node.op, node, np)


# Bottom import: grad and Rop (used by the L_op/R_op above) import this module.
from .gradient import Rop, grad  # noqa: E402
