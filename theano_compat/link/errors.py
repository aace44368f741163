"""Map a failure inside a generated program back to the Apply node and the user's line."""

from __future__ import annotations

import types

import numpy as np

from ..backend import to_host
from ..config import config
from ..errors import add_note, is_internal_file


def _describe_value(v):
    shape = getattr(v, "shape", None)
    dtype = getattr(v, "dtype", None)
    if shape is None:
        return type(v).__name__
    return f"{tuple(shape)} {dtype}"


def annotate_runtime_error(exc, program, fn_name):
    """Add a note naming the failing node, its input shapes and where the user built it."""
    tb = exc.__traceback__
    frame_tb = None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename in program.variants:
            frame_tb = tb
        tb = tb.tb_next
    if frame_tb is None:
        return None
    source, line_nodes = program.variants[frame_tb.tb_frame.f_code.co_filename]
    node = line_nodes.get(frame_tb.tb_lineno)
    if node is None:
        return None
    local_vals = frame_tb.tb_frame.f_locals
    values = []
    for a in program.node_args.get(node, ()):
        if a in local_vals:
            values.append(local_vals[a])
        elif a in frame_tb.tb_frame.f_globals:
            value = frame_tb.tb_frame.f_globals[a]  # a constant (a device array on a GPU)
            values.append(value if hasattr(value, "shape") else np.asarray(value))
    position = program.nodes.index(node)
    inputs_text = ", ".join(str(i) for i in node.inputs)
    note = [f"  while computing  {node.op}({inputs_text})   [node {position} of "
            f"{len(program.nodes)} in {fn_name}]"]
    if values:
        note.append("  input shapes/dtypes: " + "; ".join(_describe_value(v) for v in values))
    if node.source is not None:
        note.append(f"  built at {node.source.describe()}")
    else:
        note.append("  (this node was created by the library, not at a line of your code)")
    others = [s for s in getattr(node.tag, "fused_sources", ()) if s is not node.source]
    if others:
        note.append("  fused with the elementwise operations built at:")
        note.extend(f"    {src.describe()}" for src in others)
    if config.exception_verbosity == "high":
        for name, v in zip([str(i) for i in node.inputs], values, strict=False):
            text = (np.array2string(np.asarray(to_host(v)), threshold=20)
                    if hasattr(v, "shape") else repr(v))
            note.append(f"  input {name} = {text}")
        note.append("  the whole program:")
        note.extend("    " + src for src in source.splitlines())
    else:
        note.append("  (set config.exception_verbosity='high' for the graph of this function)")
    add_note(exc, "\n".join(note))
    return node


def user_traceback(tb, program):
    """`tb` without this package's frames, keeping the generated program's failing line.

    DESIGN.md §9.3 (JAX's traceback filtering): at exception_verbosity='low' the user sees
    their own frames, the generated line naming the Op, and third-party frames (NumPy);
    nothing is dropped at 'high'.
    """
    kept = []
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename in program.variants or not is_internal_file(filename):
            kept.append(tb)
        tb = tb.tb_next
    new = None
    for entry in reversed(kept):
        new = types.TracebackType(new, entry.tb_frame, entry.tb_lasti, entry.tb_lineno)
    return new
