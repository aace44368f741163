"""What the golden recorders (make_conv.py, make_nnet_extra.py, make_pool.py,
make_tensor_extra.py, make_lenet.py) share: evaluating their cases, encoding the arrays as
JSON, and reading the ``[golden]`` blocks that legacy programs print (also used by the
tests that run those programs).

Imports NumPy only: it runs under the reference Theano 1.0.5 (the recorders import it as
a sibling module) as well as in our tests.
"""

import ast
import json
import sys

import numpy as np


def encode(value):
    """Plain JSON data for an array: dtype, shape and the values in C order (complex
    values as [real, imag] pairs)."""
    value = np.asarray(value)
    flat = value.reshape(-1)
    if np.iscomplexobj(flat):
        data = [[float(v.real), float(v.imag)] for v in flat]
    elif flat.dtype == bool:
        data = [bool(v) for v in flat]
    elif flat.dtype.kind in "iu":
        data = [int(v) for v in flat]
    else:
        data = [float(v) for v in flat]
    return {"dtype": str(value.dtype), "shape": list(value.shape), "data": data}


def golden_blocks(text):
    """{label: (dtype, shape, values)} of the ``[golden] <label> dtype=... shape=...``
    blocks in a program's output, each followed by a line of its values as a Python
    literal (nan read as None)."""
    lines = text.splitlines()
    out = {}
    for i, line in enumerate(lines[:-1]):
        if line.startswith("[golden] ") and " dtype=" in line:
            label, rest = line[len("[golden] "):].split(" dtype=", 1)
            dtype, shape = rest.split(" shape=", 1)
            out[label] = (dtype, shape, ast.literal_eval(lines[i + 1].replace("nan", "None")))
    return out


def run_cases(theano, cases):
    """{name: [encoded output with its declared dtype, ...]} for `cases`, a dict
    {name: (inputs, outputs, input values)} of graphs compiled with theano.function."""
    record = {}
    for name, (inputs, outputs, values) in sorted(cases.items()):
        f = theano.function(inputs, outputs, on_unused_input="ignore")
        results = f(*values)
        record[name] = [dict(encode(r), declared=o.dtype) for o, r in zip(outputs, results)]
    return record


def write_case_lines(record, out=sys.stdout):
    """The record as a JSON object with one line per case (keeps the file small and its
    diffs readable)."""
    lines = [f"{json.dumps(k)}: {json.dumps(v, separators=(',', ':'))}"
             for k, v in sorted(record.items())]
    out.write("{\n" + ",\n".join(lines) + "\n}\n")
