"""Map a failure inside a generated program back to the Apply node and the user's line."""

from __future__ import annotations

import types
import warnings

import numpy as np

from ..backend import to_host
from ..config import config
from ..errors import add_note, is_internal_file
from ..graph.shared import SharedVariable

# NumPy's floating-point warnings ("divide by zero encountered in log", "invalid value
# encountered in sqrt", "overflow ...", "underflow ...") raised while a compiled function
# runs: in its generated code (module GENERATED_MODULE, see scalar/generated.py) or in
# an Op's implementation (modules of this package).  Theano 1.0.5 was silent about them
# (its numpy.seterr_all flag defaulted to 'ignore'); a filter is free on the call path,
# whereas np.errstate around every call would cost about as much as a small call.  Only
# warnings raised in this package's frames match: the user's own NumPy warnings stay.
_FP_MESSAGE = r"(divide by zero|invalid value|overflow|underflow) encountered"
_FP_MODULE = r"theano_compat\."


def silence_numpy_fp_warnings():
    """Install the warnings filter above, unless it is in ``warnings.filters`` already.

    It goes last, so it only replaces the default action: any filter of the user's
    (``-W error``, ``simplefilter('always')``, pytest's ``filterwarnings``) still decides.
    Called when this module is imported, and again at each compile, which puts it back if
    a ``warnings.catch_warnings()`` block that was open at import (pytest's collection)
    dropped it.
    """
    for action, msg, category, module, _ in warnings.filters:
        if (action == "ignore" and category is RuntimeWarning and msg is not None
                and module is not None and msg.pattern == _FP_MESSAGE
                and module.pattern == _FP_MODULE):
            return
    warnings.filterwarnings("ignore", message=_FP_MESSAGE, category=RuntimeWarning,
                            module=_FP_MODULE, append=True)


silence_numpy_fp_warnings()


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
        for var, v in zip(node.inputs, values, strict=False):
            if v is None and isinstance(var, SharedVariable):
                # Theano accepted set_value(None) too, and failed here ("expected an
                # ndarray, not None"): say which variable and why.
                note.append(f"  the shared variable {var} holds None (emptied with "
                            "set_value(None)): give it a value with set_value() first")
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
