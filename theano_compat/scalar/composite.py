"""Composite: a small graph of scalar ops used as one scalar op (Theano's ``scalar.Composite``).

Elementwise fusion (tensor/rewrites/fusion.py) turns a group of Elemwise nodes into one
``Elemwise(Composite)`` node.  The Composite records the scalar graph *with its dtypes*
(every inner result keeps the dtype its Elemwise node had), so the fused code applies the
same per-op dtype fix-ups as the unfused graph and gives bit-identical results.

The graph is a tuple of nodes ``(scalar_op, arg_refs, out_dtype)`` in execution order; a
reference ``k < nin`` names input ``k``, ``k >= nin`` the result of node ``k - nin``.
Composites compare and hash by that structure (so merge unites identical fused nodes),
print as Theano printed them (``Composite{((i0 * i1) + i2)}``) and pickle by value.
"""

from __future__ import annotations

import numpy as np

from .. import hooks
from ..graph.basic import Apply, Constant, Variable, io_toposort
from ..graph.fgraph import FunctionGraph
from . import c_forms as C
from . import dtypes as D
from . import ops as S
from . import type as ST
from .dtype_casts import dtype_fixup, with_fixup
from .op import ScalarOp

# Past this many characters the printed form names shared sub-expressions instead of
# repeating them (a DAG with much sharing would otherwise print exponentially long).
_EXPANDED_LIMIT = 4000


class Composite(ScalarOp):
    """A scalar graph used as one scalar op.

    Parameters
    ----------
    input_dtypes : the dtype of each input (``nin = len(input_dtypes)``).
    nodes : ``(scalar_op, arg_refs, out_dtype)`` per inner node, in execution order.
    output : reference of the result (default: the last node).
    chained : indices of inner add/mul nodes that continue the add/mul of their first
        operand: one n-ary ``add(a, b, c)`` of Theano, evaluated as its C loop did
        (``(a + b) + c``), is stored as two binary nodes and prints ``(i0 + i1 + i2)``.

    ``output_dtype`` accepts exactly the recorded input dtypes (as Theano's Composite);
    ``implementation(xp)`` is generated Python code calling the inner ops in sequence
    (written by link/fuse_cpu.py, reached through ``hooks.fused_function``: code
    generation lives in the link layer, above this one); ``grad_fn`` differentiates the
    inner graph.
    """

    def __init__(self, input_dtypes, nodes, output=None, chained=()):
        self._input_names = None
        if any(isinstance(v, Variable) for v in list(input_dtypes) + list(nodes)):
            # Theano's signature, Composite(inputs, outputs), over a scalar graph.
            self._input_names = tuple(getattr(v, "name", None) for v in input_dtypes)
            input_dtypes, nodes, output = _from_graph(list(input_dtypes), list(nodes))
        self.input_dtypes = tuple(str(d) for d in input_dtypes)
        self.nodes = tuple((op, tuple(int(r) for r in refs), str(dt)) for op, refs, dt in nodes)
        self.nin = len(self.input_dtypes)
        if output is None:
            output = self.nin + len(self.nodes) - 1
        self.output_refs = tuple(int(r) for r in output) if isinstance(output, (tuple, list)) \
            else (int(output),)
        self.nout = len(self.output_refs)
        self.output = self.output_refs[0]
        self.chained = frozenset(int(j) for j in chained)
        self._check()
        self.out_dtype = self.dtype_of(self.output)
        # The ScalarOp attributes, for code that reads them off any scalar op.  A Composite
        # has no C or Python-float form of its own: the kernel and inline writers handle
        # it node by node.
        self.ufunc = self.special = self.fn = None
        self.c_form = self.py_form = self.symbol = self.pp_form = None
        self.commutative = self.takes_out = self.tensor = False
        self.dtype_rule = self.output_dtype
        self.grad_fn = self._grad
        self.no_gradient = None
        self._key = (self.input_dtypes, self.nodes,
                     self.output if self.nout == 1 else self.output_refs)
        if self.chained:
            self._key += (tuple(sorted(self.chained)),)
        self._hash = hash((Composite, self._key))
        self.print_name = None
        self.name = f"Composite{{{self._expression()}}}"
        self._impls = {}
        self._graph = None

    def _check(self):
        for j, (op, refs, _) in enumerate(self.nodes):
            if len(refs) != op.nin:
                raise ValueError(f"Composite node {j}: {op} takes {op.nin} inputs, got {len(refs)}")
            if any(r < 0 or r >= self.nin + j for r in refs):
                raise ValueError(f"Composite node {j}: references {refs} must name inputs or "
                                 "earlier nodes")
        for out in self.output_refs:
            if not 0 <= out < self.nin + len(self.nodes):
                raise ValueError(f"Composite output reference {out} is out of range")

    def dtype_of(self, ref):
        """The dtype of an input or inner result."""
        return self.input_dtypes[ref] if ref < self.nin else self.nodes[ref - self.nin][2]

    # -- the ScalarOp interface --------------------------------------------------------------

    def output_dtype(self, *input_dtypes):
        if self.nout != 1:
            raise NotImplementedError(
                f"{self} has {self.nout} outputs: Elemwise computes scalar ops of one output "
                "here; make one Composite per output (or apply it to scalar variables)")
        if tuple(str(d) for d in input_dtypes) != self.input_dtypes:
            raise TypeError(
                f"{self} was built for inputs of dtype ({', '.join(self.input_dtypes)}), "
                f"got ({', '.join(map(str, input_dtypes))}); build a new Composite (or fuse "
                "the unfused graph again) for other dtypes"
            )
        return self.out_dtype

    def array_result_dtype(self, in_dtypes):
        """The dtype `implementation` returns for arrays of `in_dtypes` (None: unknown).

        For the recorded input dtypes it is the declared output dtype, since every inner
        step applies the fix-up casts of scalar/fixup.py; `fixup.natural_dtype` asks this
        instead of probing the generated code."""
        return self.out_dtype if tuple(str(d) for d in in_dtypes) == self.input_dtypes \
            else None

    def implementation(self, xp, donated=(), patterns=None):
        """A function of `nin` arrays computing the result with `xp` (NumPy or CuPy).

        `patterns`: the inputs' broadcastable patterns when the caller checks Theano's
        size rule; `donated`: input positions whose arrays the caller no longer needs
        (see link/fuse_cpu.generate)."""
        patterns = None if patterns is None else tuple(tuple(p) for p in patterns)
        key = (id(xp), tuple(sorted(donated)), patterns)
        fn = self._impls.get(key)
        if fn is None:
            fn = self._impls[key] = hooks.fused_function(self, xp, donated, patterns)
        return fn

    def _grad(self, *args):
        """Reverse mode over the inner graph: ``grad(*inputs, output, output_grad)``.

        Fusion runs after ``T.grad``, so this is only used when a fused graph is
        differentiated again.  Like Elemwise, an integer inner result stops the gradient
        (zeros) and an op without gradient makes the gradient of the inputs it depends on
        undefined (None, which Elemwise turns into an undefined-gradient error).
        """
        *inputs, _, g = args
        if self.nout != 1:
            raise NotImplementedError(f"{self}: the gradient of a Composite of several "
                                      "outputs is not supported; differentiate one Composite "
                                      "per output")
        values = list(inputs)
        for op, refs, _ in self.nodes:
            values.append(op(*[values[r] for r in refs]))
        grads = [None] * len(values)
        undefined = [False] * len(values)
        grads[self.output] = g
        for j in range(len(self.nodes) - 1, -1, -1):
            k = self.nin + j
            op, refs, dtype = self.nodes[j]
            if grads[k] is None and not undefined[k]:
                continue
            if dtype in D.discrete_dtypes:
                continue
            if undefined[k] or op.grad_fn is None:
                for r in refs:
                    undefined[r] = True
                continue
            partials = op.grad_fn(*[values[r] for r in refs], values[k], grads[k])
            for r, p in zip(refs, partials):
                if p is None:
                    undefined[r] = True
                    continue
                rd = self.dtype_of(r)
                if r >= self.nin and rd in D.float_dtypes and getattr(
                        getattr(p, "type", None), "dtype", rd) != rd:
                    p = S.cast_op(rd)(p)  # Elemwise gives an inner result a grad of its dtype
                grads[r] = p if grads[r] is None else grads[r] + p
        out = []
        for i in range(self.nin):
            if undefined[i]:
                out.append(None)
            elif grads[i] is None:
                # No path carries a gradient (integer steps): zeros, as the unfused graph.
                out.append(S.second(inputs[i], 0))
            else:
                out.append(grads[i])
        return out

    # -- identity, printing, pickling ----------------------------------------------------------

    def __eq__(self, other):
        return type(other) is Composite and other._key == self._key

    def __hash__(self):
        return self._hash

    def __str__(self):
        return self.name

    __repr__ = __str__

    def __reduce__(self):
        return (Composite, self._key)

    # -- Theano's scalar-graph interface ---------------------------------------------------

    def _build_graph(self):
        """``(inputs, outputs)``: the scalar graph of this Composite, built once."""
        if self._graph is None:
            names = self._input_names or (None,) * self.nin
            values = [ST.get_scalar_type(d)(n) for d, n in zip(self.input_dtypes, names)]
            inputs = list(values)
            for op, refs, dt in self.nodes:
                if isinstance(op, ConstantOp):
                    values.append(ST.ScalarConstant(ST.get_scalar_type(dt), op.value))
                    continue
                out = ST.get_scalar_type(dt)()
                Apply(op, [values[r] for r in refs], [out])
                values.append(out)
            self._graph = (inputs, [values[r] for r in self.output_refs])
        return self._graph

    @property
    def inputs(self):
        return self._build_graph()[0]

    @property
    def outputs(self):
        return self._build_graph()[1]

    @property
    def fgraph(self):
        """The scalar graph as a FunctionGraph (a new one each time: it is not shared)."""
        return FunctionGraph(*self._build_graph(), clone=False)

    def output_types(self, types):
        if [t.dtype for t in types] != list(self.input_dtypes):
            raise TypeError(f"{self} was built for inputs of dtype "
                            f"({', '.join(self.input_dtypes)})")
        return [ST.get_scalar_type(self.dtype_of(r)) for r in self.output_refs]

    def make_node(self, *inputs):
        """A scalar Apply of this Composite; inputs of other dtypes give a Composite
        rebuilt for them, as Theano's."""
        inputs = [ST.as_scalar(i) for i in inputs]
        if len(inputs) != self.nin:
            raise TypeError(f"{self} takes {self.nin} inputs, got {len(inputs)}")
        if tuple(i.type.dtype for i in inputs) == self.input_dtypes:
            return Apply(self, inputs, [ST.get_scalar_type(self.dtype_of(r))()
                                        for r in self.output_refs])
        fresh = [ST.get_scalar_type(i.type.dtype)() for i in inputs]
        values = list(fresh)
        for op, refs, _ in self.nodes:
            values.append(ST.ScalarConstant(ST.get_scalar_type(op.value.dtype), op.value)
                          if isinstance(op, ConstantOp) else op(*[values[r] for r in refs]))
        rebuilt = Composite(fresh, [values[r] for r in self.output_refs])
        return rebuilt.make_node(*inputs)

    def impl(self, *inputs):
        """The Composite on numbers: each inner op in turn, with its dtype fix-ups."""
        values = [np.asarray(v, dtype=d) for v, d in zip(inputs, self.input_dtypes)]
        with np.errstate(all="ignore"):
            for op, refs, dt in self.nodes:
                in_dtypes = [self.dtype_of(r) for r in refs]
                fn = with_fixup(op.implementation(np), *dtype_fixup(op, in_dtypes, dt))
                values.append(np.asarray(fn(*[values[r] for r in refs])).astype(dt))
        out = [values[r][()] for r in self.output_refs]
        return out[0] if self.nout == 1 else out

    def clone_float32(self):
        """This Composite computing in float32 where it computed in float16."""
        def f32(dt):
            return "float32" if dt == "float16" else dt

        nodes = []
        for op, refs, dt in self.nodes:
            if isinstance(op, ConstantOp):
                op = ConstantOp(op.value.astype(f32(str(op.value.dtype))))
            elif isinstance(op, S.Cast) and op.o_dtype == "float16":
                op = S.cast_op("float32")
            nodes.append((op, refs, f32(dt)))
        return Composite([f32(d) for d in self.input_dtypes], nodes,
                         self.output if self.nout == 1 else self.output_refs)

    def _expression(self):
        """Theano's text: the scalar graph as one expression, leaves named i0, i1..."""
        uses = [0] * (self.nin + len(self.nodes))
        for _, refs, _ in self.nodes:
            for r in refs:
                uses[r] += 1
        # Expanded size of each sub-expression, to know whether expanding is affordable.
        size = [2] * self.nin
        for op, refs, _ in self.nodes:
            size.append(len(str(op)) + 4 + sum(size[r] for r in refs))
        named = set()
        if size[self.output] > _EXPANDED_LIMIT:
            named = {self.nin + j for j in range(len(self.nodes)) if uses[self.nin + j] > 1}
        defs = [f"t{k - self.nin}={self._text(k, named)}" for k in sorted(named)]
        return "; ".join(defs + [", ".join(self._text(r, named) for r in self.output_refs)])

    def _text(self, ref, named):
        """The expression of `ref`; members of `named` below it print as t<j>.  Built
        from a work stack of pieces, so a 10^4-node chain costs its length, not more."""
        out = []
        stack = [ref]
        while stack:
            item = stack.pop()
            if isinstance(item, str):
                out.append(item)
            elif item < self.nin:
                out.append(f"i{item}")
            elif item in named and item != ref:
                out.append(f"t{item - self.nin}")
            else:
                op, refs, _ = self.nodes[item - self.nin]
                if item - self.nin in self.chained:
                    refs = self._chain_operands(item, named)
                stack.extend(reversed(_pieces(op, refs)))
        return "".join(out)


    def _chain_operands(self, ref, named):
        """The operands of the n-ary add/mul whose last step is node `ref` (chained)."""
        operands = []
        while ref - self.nin in self.chained:
            _, (left, right), _ = self.nodes[ref - self.nin]
            operands.append(right)
            ref = left
            if ref < self.nin or ref in named:
                break
        else:
            operands.extend(reversed(self.nodes[ref - self.nin][1]))
            return operands[::-1]
        operands.append(ref)
        return operands[::-1]


class ConstantOp:
    """A constant inside a Composite built from a scalar graph: a node of its inner table
    without inputs (never an op of an Apply; printed ``Constant{v}``, as Theano printed
    constants in Composite names).  It has the attributes of a scalar op that the
    Composite's consumers read."""

    nin = 0
    nout = 1
    ufunc = special = fn = no_gradient = symbol = pp_form = print_name = None
    commutative = takes_out = tensor = False

    def __init__(self, value):
        self.value = np.asarray(value)
        dtype = str(self.value.dtype)
        self.name = f"Constant{{{self.value}}}"
        self.dtype_rule = lambda: dtype
        self.grad_fn = _no_partials
        self.c_form = C.NoCForm("a constant of a user's Composite (runs on the CPU)")
        finite_f64 = dtype == "float64" and np.isfinite(self.value)
        self.py_form = repr(float(self.value)) if finite_f64 else None
        self._value_key = (dtype, self.value.tobytes())

    def implementation(self, xp):
        value = self.value
        return lambda: xp.asarray(value)

    def output_dtype(self):
        return str(self.value.dtype)

    def __str__(self):
        return self.name

    __repr__ = __str__

    def __call__(self, *inputs):
        return self.value.copy()

    def __eq__(self, other):
        return type(other) is ConstantOp and other._value_key == self._value_key

    def __hash__(self):
        return hash(self._value_key)

    def __reduce__(self):
        return (ConstantOp, (self.value,))


def _no_partials(z, g):
    return []


def _from_graph(inputs, outputs):
    """``(input_dtypes, nodes, output refs)`` of the scalar graph from `inputs` to
    `outputs`; constants become `ConstantOp` nodes.  As Theano's, a Composite computing the
    only output is inlined (fusion nests them there), other inner Composites stay nodes."""
    for v in inputs:
        if not isinstance(v, Variable) or not isinstance(v.type, ST.Scalar):
            raise TypeError(f"Composite inputs must be scalar variables, got {v!r}")
    outputs = [ST.as_scalar(o) for o in outputs]
    refs = {v: k for k, v in enumerate(inputs)}
    nodes = []
    nin = len(inputs)

    def ref_of(v):
        if v in refs:
            return refs[v]
        if isinstance(v, Constant):
            nodes.append((ConstantOp(v.data), (), v.type.dtype))
            refs[v] = nin + len(nodes) - 1
            return refs[v]
        raise ValueError(f"Composite: {v} is needed by the outputs but is not among the "
                         f"inputs {inputs}")

    for node in io_toposort(inputs, outputs):
        op = node.op
        if not isinstance(op, ScalarOp):
            raise TypeError(f"Composite: {op} is not a scalar op")
        args = [ref_of(i) for i in node.inputs]
        if isinstance(op, Composite) and len(outputs) == 1 and node is outputs[0].owner:
            # Inline it: its inputs are `args`, its nodes follow ours.
            inner = list(args)
            for iop, irefs, idt in op.nodes:
                nodes.append((iop, tuple(inner[r] for r in irefs), idt))
                inner.append(nin + len(nodes) - 1)
            for out, r in zip(node.outputs, op.output_refs):
                refs[out] = inner[r]
            continue
        if len(node.outputs) != 1:
            raise NotImplementedError(f"Composite: the scalar op {op} has several outputs, "
                                      "which a Composite here cannot hold")
        nodes.append((op, tuple(args), node.outputs[0].type.dtype))
        refs[node.outputs[0]] = nin + len(nodes) - 1
    out_refs = tuple(ref_of(o) for o in outputs)
    return [v.type.dtype for v in inputs], nodes, out_refs


def _pieces(op, args):
    """How one node prints, as Theano's scalar printer did (the op's declared `symbol`,
    infix or prefix, else a call of its `print_name` or ``str(op)``; a constant as
    ``Constant{v}``): literal strings around its argument references."""
    if isinstance(op, ConstantOp):
        return [str(op)]
    symbol = getattr(op, "symbol", None)
    if symbol is not None and len(args) >= 2:
        pieces = ["(", args[0]]
        for a in args[1:]:
            pieces.extend([f" {symbol} ", a])
        return pieces + [")"]
    if symbol is not None and len(args) == 1:
        return [f"({symbol}", args[0], ")"]
    pieces = [f"{getattr(op, 'print_name', None) or str(op)}("]
    for k, a in enumerate(args):
        pieces.extend([", ", a] if k else [a])
    pieces.append(")")
    return pieces


Composite.__module__ = "theano.scalar.basic"

__all__ = ["Composite"]
