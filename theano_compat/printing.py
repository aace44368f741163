"""Printing graphs: ``theano.pp`` (math-like text) and ``debugprint`` (one line per node)."""

from __future__ import annotations

import sys

import numpy as np

from .compile.compiled import CompiledFunction
from .compile.io import SymbolicInput, SymbolicOutput
from .graph.basic import Apply, Variable
from .graph.fgraph import FunctionGraph
from .graph.op import Op
from .scalar import ops as S
from .tensor.elemwise import DimShuffle, Elemwise
from .tensor.math import Dot
from .tensor.subtensor import BaseSubtensor

# ----------------------------------------------------------------------------- pp

# The elementwise ops Theano 1.0.5's pprint wrote infix (tensor/basic.py registers exactly
# these); every other elementwise op prints as ``name(args)``, e.g. ``mod(x, 2)``, ``gt(x, 0)``.
_INFIX = {S.add: "+", S.mul: "*", S.sub: "-", S.true_div: "/", S.int_div: "//", S.pow: "**"}


def _pp(var):
    """Theano's pprint of one variable: leaves by name, every operator parenthesised.

    Names of intermediate results are not used (Theano only used them when printing a
    whole graph with ``process_graph``), so ``pp`` always shows the full expression.
    """
    node = var.owner
    if node is None:
        return str(var)
    op = node.op
    args = node.inputs
    if isinstance(op, Elemwise):
        sop = op.scalar_op
        if sop is S.neg:
            return f"(-{_pp(args[0])})"
        if sop is S.abs_:
            return f"|{_pp(args[0])}|"
        symbol = _INFIX.get(sop)
        if symbol is not None:
            return "(" + f" {symbol} ".join(_pp(a) for a in args) + ")"
        return f"{_elemwise_name(sop)}({', '.join(_pp(a) for a in args)})"
    if isinstance(op, DimShuffle):
        return _pp_dimshuffle(op.new_order, args[0])
    if isinstance(op, Dot):
        return f"({_pp(args[0])} \\dot {_pp(args[1])})"
    if type(op).__name__ == "Subtensor" and isinstance(op, BaseSubtensor):
        return f"{_pp(args[0])}[{_index_text(op.idx_list, args[1:])}]"
    return f"{op}({', '.join(_pp(a) for a in args)})"


def _elemwise_name(sop):
    """The function name Theano printed: ``fill`` for second, ``float32`` for a cast."""
    if sop is S.second:
        return "fill"
    if sop.name.startswith("convert_to_"):
        return sop.name[len("convert_to_"):]
    return sop.name


def _pp_dimshuffle(new_order, inner):
    """Theano's DimShufflePrinter: added broadcast dims are silent, a full reversal is .T."""
    order = list(new_order)
    while order and order[0] == "x":
        order = order[1:]
    ndim = inner.type.ndim
    if order == list(range(ndim)):
        return _pp(inner)
    if order == list(reversed(range(ndim))):
        return f"{_pp(inner)}.T"
    return f"DimShuffle{{{', '.join(map(str, order))}}}({_pp(inner)})"


def _index_text(spec, inputs):
    """Subtensor indices as Theano printed them.

    Theano stored slice bounds as scalar *types*, so it printed ``x[int64:int64]`` for
    ``x[1:3]``; an integer index printed as ``Constant{2}`` or ``ScalarFromTensor(i)``.
    """
    it = iter(inputs)
    parts = []
    for entry in spec:
        kind = entry[0]
        if kind == "slice":
            fields = []
            for f in entry[1:]:
                if f is None:
                    fields.append("")
                elif f == "v":
                    fields.append(str(next(it).type.dtype))
                else:
                    fields.append("int64")
            text = f"{fields[0]}:{fields[1]}"
            parts.append(text + (f":{fields[2]}" if fields[2] else ""))
        elif kind == "int":
            parts.append(f"ScalarFromTensor({_pp(next(it))})" if entry[1] == "v"
                         else f"Constant{{{entry[1]}}}")
        elif kind == "adv":
            parts.append(_pp(next(it)))
        else:
            parts.append("None")
    return ", ".join(parts)


def pp(*args):
    """Pretty-print a variable as a math-like expression: ``((x * w) + b)``."""
    var = args[0] if len(args) == 1 else args[-1]
    if isinstance(var, Apply):
        var = var.default_output()
    if isinstance(var, (list, tuple)):
        return "\n".join(pp(v) for v in var)
    return _pp(var)


pprint = pp

# ----------------------------------------------------------------------------- debugprint


def _char_id(n):
    s = ""
    n += 1
    while n:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s


def _roots(obj):
    """(variable, toposort or None) for each graph `obj` holds, in Theano's order."""
    items = obj if isinstance(obj, (list, tuple, set)) else [obj]
    roots = []
    for item in items:
        if isinstance(item, CompiledFunction):
            fg = item.maker.fgraph
            order = fg.toposort()
            roots.extend((o, order) for o in fg.outputs)
        elif isinstance(item, FunctionGraph):
            order = item.toposort()
            roots.extend((o, order) for o in item.outputs)
        elif isinstance(item, Apply):
            roots.extend((o, None) for o in item.outputs)
        elif isinstance(item, Variable):
            roots.append((item, None))
        elif isinstance(item, (SymbolicInput, SymbolicOutput)):
            roots.append((item.variable, None))
        elif isinstance(item, (int, float, np.ndarray)):
            roots.append((item, None))
        else:
            raise TypeError("debugprint cannot print an object of this type", item)
    return roots


def debugprint(obj, depth=-1, print_type=False, file=None, ids="CHAR", stop_on_name=False,
               done=None, print_storage=False, used_ids=None):
    """Print one line per node, children indented with `` |`` (Theano's exact layout).

    ``ids`` is ``"CHAR"`` (``[id A]``), ``"int"`` (``[id 0]``), ``"id"`` (Python ids) or
    ``""``.  A node reached a second time is printed without its inputs.  ``file='str'``
    returns the text; a file object is written to and returned; ``None`` prints.
    """
    lines = []
    done = {} if done is None else done
    used = {}  # Theano resets used_ids on every call, whatever the caller passes

    def ident(key, obj):
        if key not in used:
            if ids == "CHAR":
                used[key] = f"[id {_char_id(len(used))}]"
            elif ids == "int":
                used[key] = f"[id {len(used)}]"
            elif ids == "id":
                used[key] = f"[id {id(obj)}]"
            else:
                used[key] = ""
        return used[key]

    def walk(v, prefix, prefix_child, depth_left, order):
        if depth_left == 0:
            return
        type_text = f" <{v.type}>" if print_type else ""
        node = v.owner
        if node is None:
            lines.append(f"{prefix}{v} {ident(id(v), v)}{type_text}")
            return
        already = id(node) in done
        id_str = ident(id(node), v)
        done[id(node)] = id_str
        out_idx = f".{node.outputs.index(v)}" if len(node.outputs) > 1 else ""
        pos = str(order.index(node)) if order else ""
        name = v.name or ""
        # Theano's template: op, index, id, type, 'name', destroy map, view map, position.
        lines.append(f"{prefix}{node.op}{out_idx} {id_str}{type_text} '{name}'   {pos}")
        if already or (stop_on_name and v.name is not None):
            return
        last = len(node.inputs) - 1
        for k, inp in enumerate(node.inputs):
            walk(inp, prefix_child + " |", prefix_child + ("  " if k == last else " |"),
                 depth_left - 1, order)

    for root, order in _roots(obj):
        if isinstance(root, Variable):
            walk(root, "", "", depth, order)
        else:
            lines.append(str(root))
    text = "".join(line + "\n" for line in lines)
    if file == "str":
        return text
    if file is None:
        sys.stdout.write(text)
        return None
    file.write(text)
    return file


class Print:
    """An identity op that prints its input's value when computed (theano.printing.Print)."""

    def __init__(self, message="", attrs=("__str__",)):
        self.message = message
        self.attrs = attrs

    def __call__(self, x):
        return _print_op(self.message, self.attrs)(x)


def _print_op(message, attrs):
    return _PrintOp(message, tuple(attrs))


class _PrintOp(Op):
    __props__ = ("message", "attrs")
    view_map = {0: [0]}

    def __init__(self, message, attrs):
        self.message = message
        self.attrs = attrs

    def make_node(self, x):
        return Apply(self, [x], [x.type()])

    def perform(self, node, inputs, output_storage, params=None):
        (x,) = inputs
        for attr in self.attrs:
            value = getattr(x, attr)
            if callable(value):
                value = value()
            print(self.message, attr, "=", value)
        output_storage[0][0] = x

    def L_op(self, inputs, outputs, grads):
        return grads

    def __str__(self):
        return "Print"

