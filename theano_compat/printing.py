"""Printing graphs: ``theano.pp`` (math-like text) and ``debugprint`` (one line per node)."""

from __future__ import annotations

import sys

from .compile.compiled import CompiledFunction
from .graph.basic import Apply, Constant, Variable
from .graph.fgraph import FunctionGraph
from .graph.op import Op
from .scalar import ops as S
from .tensor.elemwise import DimShuffle, Elemwise
from .tensor.math import Dot
from .tensor.subtensor import BaseSubtensor

# ----------------------------------------------------------------------------- pp


def _pp(var, seen_depth=0):
    if var.name is not None and (var.owner is None or seen_depth > 0):
        return var.name
    if isinstance(var, Constant) or var.owner is None:
        return str(var)
    node = var.owner
    op = node.op
    args = node.inputs
    if isinstance(op, Elemwise):
        sop = op.scalar_op
        if sop is S.neg:
            return f"(-{_pp(args[0], 1)})"
        if sop is S.abs_:
            return f"|{_pp(args[0], 1)}|"
        if sop is S.invert:
            return f"(~{_pp(args[0], 1)})"
        if sop.symbol is not None and len(args) == 2:
            return f"({_pp(args[0], 1)} {sop.symbol} {_pp(args[1], 1)})"
        label = "fill" if sop is S.second else sop.name
        return f"{label}({', '.join(_pp(a, 1) for a in args)})"
    if isinstance(op, DimShuffle):
        inner = _pp(args[0], 1)
        kept = [o for o in op.new_order if o != "x"]
        if kept == list(range(len(op.input_broadcastable)))[::-1] and len(kept) > 1:
            return f"{inner}.T"
        return inner
    if isinstance(op, Dot):
        return f"({_pp(args[0], 1)} \\dot {_pp(args[1], 1)})"
    if isinstance(op, BaseSubtensor):
        return f"{_pp(args[0], 1)}[{_index_text(op.idx_list, args[1:])}]"
    return f"{op}({', '.join(_pp(a, 1) for a in args)})"


def _index_text(spec, inputs):
    it = iter(inputs)
    parts = []
    for entry in spec:
        if entry[0] == "slice":
            fields = []
            for f in entry[1:]:
                fields.append(_pp(next(it), 1) if f == "v" else ("" if f is None else str(f)))
            if fields[2] == "":
                fields = fields[:2]
            parts.append(":".join(fields))
        elif entry[0] == "int":
            parts.append(_pp(next(it), 1) if entry[1] == "v" else str(entry[1]))
        elif entry[0] == "adv":
            parts.append(_pp(next(it), 1))
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


def debugprint(obj, depth=-1, print_type=False, file=None, ids="CHAR", stop_on_name=False,
               done=None, print_storage=False, used_ids=None):
    """Print one line per node, children indented (``file='str'`` returns the text)."""
    order = None
    if isinstance(obj, CompiledFunction):
        fg = obj.maker.fgraph
        outputs = fg.outputs
        order = fg.toposort()
    elif isinstance(obj, FunctionGraph):
        outputs = obj.outputs
        order = obj.toposort()
    elif isinstance(obj, Apply):
        outputs = obj.outputs
    elif isinstance(obj, (list, tuple)):
        outputs = list(obj)
    elif isinstance(obj, Variable):
        outputs = [obj]
    else:
        raise TypeError(f"debugprint cannot print {type(obj).__name__}")
    position = {id(n): k for k, n in enumerate(order or [])}
    id_of = {}
    lines = []
    done = set() if done is None else done

    def ident(v):
        key = id(v.owner) if v.owner is not None else id(v)
        if key not in id_of:
            id_of[key] = _char_id(len(id_of)) if ids == "CHAR" else str(key)
        return f" [id {id_of[key]}]" if ids else ""

    def walk(v, prefix, prefix_child, level):
        type_text = f" <{v.type}>" if print_type else ""
        if v.owner is None:
            lines.append(f"{prefix}{v}{ident(v)}{type_text}")
            return
        node = v.owner
        out_idx = f".{v.index}" if len(node.outputs) > 1 else ""
        pos = position.get(id(node))
        tail = f"   {pos}" if pos is not None else "   "
        name = v.name or ""
        lines.append(f"{prefix}{node.op}{out_idx}{ident(v)}{type_text} '{name}'{tail}")
        if id(node) in done or (stop_on_name and v.name and level > 0) or depth == level + 1:
            return
        done.add(id(node))
        last = len(node.inputs) - 1
        for k, inp in enumerate(node.inputs):
            walk(inp, prefix_child + " |", prefix_child + ("  " if k == last else " |"),
                 level + 1)

    for out in outputs:
        walk(out, "", "", 0)
    text = "\n".join(lines) + "\n"
    if file == "str":
        return text
    (file or sys.stdout).write(text)
    return None


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

