"""Graph -> runnable program.  One generated Python function per compiled graph.

The generated function takes the input values (explicit inputs, then shared values),
calls one bound callable per Apply node in topological order, frees intermediates at
their last use, and returns the output values.  It is registered with ``linecache`` so
tracebacks show its source; a failing line maps back to its Apply node.
"""

from __future__ import annotations

import copy
import itertools
import linecache

import numpy as np

from ..graph.basic import Constant
from ..graph.op import runner_for  # noqa: F401 - re-exported (moved to graph)
from .errors import annotate_runtime_error, user_traceback  # noqa: F401 - re-exported
from .profile import ProfileStats, clock  # noqa: F401 - re-exported
from .scalar_inline import constant_literal, inline_expression
from .storage import donatable_inputs, view_lifetimes

_ids = itertools.count()


class Program:
    """A linked graph: ``fn(*input_values) -> list of output values``.

    Attributes: ``fn`` (the generated function), ``source``, ``filename``, ``line_nodes``
    (generated line number -> Apply node), ``nodes`` (execution order).
    """

    def __init__(self, fn, source, filename, line_nodes, nodes, inputs, outputs):
        self.fn = fn
        self.source = source
        self.filename = filename
        self.line_nodes = line_nodes
        self.nodes = nodes
        self.inputs = inputs
        self.outputs = outputs


def link(fgraph, inputs, outputs, *, backend, name=None, copy_outputs=(), profile=None,
         compile_inner=None):
    """Generate the program computing `outputs` from `inputs` over `fgraph`'s nodes.

    `copy_outputs` lists output positions whose value may alias an input or a constant
    and must be returned as a fresh array.  With a `profile` (link/profile.py), the
    program reads a clock around every node and adds the time to the profile; that is a
    separate program, so the unprofiled one has no such lines.  `compile_inner` is
    handed to Ops with inner graphs (see graph.op.runner_for).
    """
    xp = backend.xp
    nodes = fgraph.toposort()
    names = {}
    glob = {"_asarray": np.asarray, "_copy": np.array, "_deepcopy": copy.deepcopy,
            "_f64": np.float64}
    if profile is not None:
        glob["_T"] = profile.attach(nodes)
        glob["_clock"] = clock
    for k, v in enumerate(inputs):
        names[id(v)] = f"i{k}"
    # Last use of every variable (position in `nodes`), to free intermediates early.
    last_use = {}
    for pos, node in enumerate(nodes):
        for inp in node.inputs:
            last_use[id(inp)] = pos
    keep = {id(o) for o in outputs}
    alias_last_use = view_lifetimes(nodes, last_use, keep)
    lines = []
    header = "def run(" + ", ".join(f"i{k}" for k in range(len(inputs))) + "):"
    lines.append(header)
    line_nodes = {}
    const_ids = itertools.count()

    def name_of(var):
        """The generated name of a variable; constants become globals on first use."""
        if id(var) not in names:
            if not isinstance(var, Constant):
                raise KeyError(f"link: {var} is neither an input nor computed")
            cname = f"k{next(const_ids)}"
            glob[cname] = var.data
            names[id(var)] = cname
        return names[id(var)]

    def arg_name(node, i, var):
        """Like name_of, but an Op may pass a constant in a faster equivalent form."""
        hook = getattr(node.op, "link_constant", None)
        if hook is None or not isinstance(var, Constant) or not hasattr(var.data, "dtype"):
            return name_of(var)
        value = hook(node, i, var.data)
        if value is var.data:
            return name_of(var)
        key = (id(var), str(value.dtype))
        if key not in names:
            cname = f"k{next(const_ids)}"
            glob[cname] = value
            names[key] = cname
        return names[key]

    # Nodes computed as Python float expressions (link/scalar_inline.py), and which of
    # their results some other node or an output needs as an array.
    inline = {node for node in nodes
              if inline_expression(node, ["x"] * len(node.inputs)) is not None}
    needs_array = set(keep)
    for node in nodes:
        if node not in inline:
            needs_array.update(id(i) for i in node.inputs)
    py_names = {}

    def float_of(var):
        """A Python float expression for a 0-d float64 value (converted once)."""
        if isinstance(var, Constant):
            return constant_literal(var)
        if id(var) not in py_names:
            fname_ = f"{name_of(var)}_f"
            lines.append(f"    {fname_} = float({name_of(var)})")
            py_names[id(var)] = fname_
        return py_names[id(var)]

    for pos, node in enumerate(nodes):
        if node in inline:
            expr = inline_expression(node, [float_of(i) for i in node.inputs])
            out = node.outputs[0]
            fvar = f"t{pos}_0_f"
            lines.append(f"    {fvar} = {expr}   # {node.op}")
            line_nodes[len(lines)] = node
            py_names[id(out)] = fvar
            if id(out) in needs_array:
                lines.append(f"    t{pos}_0 = _f64({fvar})")
                names[id(out)] = f"t{pos}_0"
            else:
                names[id(out)] = fvar
            continue
        args = [arg_name(node, i, inp) for i, inp in enumerate(node.inputs)]
        fname = f"op{pos}"
        donated = donatable_inputs(node, pos, last_use, keep, alias_last_use)
        if donated:
            glob[fname] = node.op.runner(node, xp, donated=donated)
        else:
            glob[fname] = runner_for(node.op, node, xp, compile_inner)
        outs = []
        for j, out in enumerate(node.outputs):
            oname = f"t{pos}_{j}"
            names[id(out)] = oname
            outs.append(oname)
        target = outs[0] if len(outs) == 1 else ", ".join(outs)
        if profile is not None:
            lines.append("    _s = _clock()")
        lines.append(f"    {target} = {fname}({', '.join(args)})   # {node.op}")
        line_nodes[len(lines)] = node
        if profile is not None:
            lines.append(f"    _T[{pos}] += _clock() - _s")
        dead = [names[id(i)] for i in node.inputs
                if last_use.get(id(i)) == pos and id(i) not in keep
                and names.get(id(i), "k").startswith("t")]
        if dead:
            lines.append(f"    del {', '.join(sorted(set(dead)))}")
    results = []
    for k, out in enumerate(outputs):
        ref = name_of(out)
        if not hasattr(out.type, "ndim"):
            # Non-array values (RandomState, lists in generic shared variables) pass as they
            # are, or as a deep copy where they would alias a shared value (Theano's rule).
            results.append(f"_deepcopy({ref})" if k in copy_outputs else ref)
        else:
            results.append(f"_copy({ref})" if k in copy_outputs else f"_asarray({ref})")
    lines.append("    return [" + ", ".join(results) + "]")
    source = "\n".join(lines) + "\n"
    filename = f"<theano_compat fn {name or 'unnamed'}#{next(_ids)}>"
    code = compile(source, filename, "exec")
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    exec(code, glob)
    return Program(glob["run"], source, filename, line_nodes, nodes, inputs, outputs)
