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

from .. import hooks
from . import dtypes as D
from . import ops as S
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

    ``output_dtype`` accepts exactly the recorded input dtypes (as Theano's Composite);
    ``implementation(xp)`` is generated Python code calling the inner ops in sequence
    (written by link/fuse_cpu.py, reached through ``hooks.fused_function``: code
    generation lives in the link layer, above this one); ``grad_fn`` differentiates the
    inner graph.
    """

    def __init__(self, input_dtypes, nodes, output=None):
        self.input_dtypes = tuple(str(d) for d in input_dtypes)
        self.nodes = tuple((op, tuple(int(r) for r in refs), str(dt)) for op, refs, dt in nodes)
        self.nin = len(self.input_dtypes)
        self.output = self.nin + len(self.nodes) - 1 if output is None else int(output)
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
        self._key = (self.input_dtypes, self.nodes, self.output)
        self._hash = hash((Composite, self._key))
        self.print_name = None
        self.name = f"Composite{{{self._expression()}}}"
        self._impls = {}

    def _check(self):
        for j, (op, refs, _) in enumerate(self.nodes):
            if len(refs) != op.nin:
                raise ValueError(f"Composite node {j}: {op} takes {op.nin} inputs, got {len(refs)}")
            if any(r < 0 or r >= self.nin + j for r in refs):
                raise ValueError(f"Composite node {j}: references {refs} must name inputs or "
                                 "earlier nodes")
        if not 0 <= self.output < self.nin + len(self.nodes):
            raise ValueError(f"Composite output reference {self.output} is out of range")

    def dtype_of(self, ref):
        """The dtype of an input or inner result."""
        return self.input_dtypes[ref] if ref < self.nin else self.nodes[ref - self.nin][2]

    # -- the ScalarOp interface --------------------------------------------------------------

    def output_dtype(self, *input_dtypes):
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
        return "; ".join(defs + [self._text(self.output, named)])

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
                stack.extend(reversed(_pieces(op, refs)))
        return "".join(out)


def _pieces(op, args):
    """How one node prints, as Theano's scalar printer did (the op's declared `symbol`,
    infix or prefix, else a call of its `print_name` or ``str(op)``): literal strings
    around its argument references."""
    symbol = getattr(op, "symbol", None)
    if symbol is not None and len(args) == 2:
        return ["(", args[0], f" {symbol} ", args[1], ")"]
    if symbol is not None and len(args) == 1:
        return [f"({symbol}", args[0], ")"]
    pieces = [f"{getattr(op, 'print_name', None) or str(op)}("]
    for k, a in enumerate(args):
        pieces.extend([", ", a] if k else [a])
    pieces.append(")")
    return pieces


__all__ = ["Composite"]
