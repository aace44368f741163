"""Map a failure inside a generated program back to the Apply node and the user's line."""

from __future__ import annotations

import numpy as np

from ..config import config
from ..errors import add_note


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
        if tb.tb_frame.f_code.co_filename == program.filename:
            frame_tb = tb
        tb = tb.tb_next
    if frame_tb is None:
        return None
    node = program.line_nodes.get(frame_tb.tb_lineno)
    if node is None:
        return None
    local_vals = frame_tb.tb_frame.f_locals
    line = program.source.splitlines()[frame_tb.tb_lineno - 1]
    arg_names = line.split("(", 1)[1].rsplit(")", 1)[0].split(", ") if "(" in line else []
    shapes = []
    for a in arg_names:
        a = a.strip()
        if a in local_vals:
            shapes.append(_describe_value(local_vals[a]))
        elif a in frame_tb.tb_frame.f_globals:
            shapes.append(_describe_value(np.asarray(frame_tb.tb_frame.f_globals[a])))
    position = program.nodes.index(node)
    inputs_text = ", ".join(str(i) for i in node.inputs)
    note = [f"  while computing  {node.op}({inputs_text})   [node {position} of "
            f"{len(program.nodes)} in {fn_name}]"]
    if shapes:
        note.append("  input shapes/dtypes: " + "; ".join(shapes))
    if node.source is not None:
        note.append(f"  built at {node.source.describe()}")
    else:
        note.append("  (this node was created by the library, not at a line of your code)")
    if config.exception_verbosity != "high":
        note.append("  (set config.exception_verbosity='high' for the graph of this function)")
    add_note(exc, "\n".join(note))
    return node
