"""theano.tensor.utils: hashing arrays, and the numeric shapes of a graph's variables.

``hash_from_ndarray(a)`` hashes the data, shape, strides and dtype of `a` (a view and its
copy hash alike: non-contiguous data is made contiguous first).
``shape_of_variables(fgraph, {input: shape})`` gives the shape of every tensor variable of
`fgraph` (a FunctionGraph built with ``clone=False``), computed by a compiled function of
the input shapes (the graph's shape rewrites keep it from computing the values).
"""

from __future__ import absolute_import, annotations, division, print_function  # noqa: F401

import hashlib
import sys

import numpy as np

from .. import hooks
from ..graph.basic import Variable
from .shapes import shape

theano = sys.modules[__name__.split(".")[0]]  # the package (a name of Theano's module)
izip = zip

__all__ = ["hash_from_code", "hash_from_ndarray", "shape_of_variables"]


def hash_from_code(msg):
    """'m' + the SHA-256 hex digest of `msg` (str as UTF-8, or bytes-like)."""
    if isinstance(msg, str):
        msg = msg.encode()
    return "m" + hashlib.sha256(msg).hexdigest()


def hash_from_ndarray(data):
    """A hash of an ndarray's data, shape, strides and dtype."""
    if not data.flags["C_CONTIGUOUS"]:
        data = np.ascontiguousarray(data)
    return hash_from_code(hash_from_code(data) + hash_from_code(str(data.shape))
                          + hash_from_code(str(data.strides)) + hash_from_code(str(data.dtype)))


def _tensor_variables(fgraph):
    seen, out = set(), []

    def add(v):
        if v not in seen and isinstance(getattr(v.type, "ndim", None), int):
            seen.add(v)
            out.append(v)

    for v in fgraph.inputs:
        add(v)
    for node in fgraph.toposort():
        for v in list(node.inputs) + list(node.outputs):
            add(v)
    for v in fgraph.outputs:
        add(v)
    return out


def shape_of_variables(fgraph, input_shapes):
    """{variable: shape tuple (of 0-d int64 arrays)} for the tensor variables of `fgraph`,
    from `input_shapes` ({input: shape}).  ValueError when a key is not an input of
    `fgraph` (FunctionGraph clones its graph unless given ``clone=False``)."""
    if any(i not in fgraph.inputs for i in input_shapes):
        raise ValueError(
            "input_shapes keys aren't in the fgraph.inputs. FunctionGraph() interface "
            "changed. Now by default, it clones the graph it receives. To have the old "
            "behavior, give it this new parameter `clone=False`.")
    variables = _tensor_variables(fgraph)
    # The shapes of the inputs are free variables: the shape graph of each variable is
    # rebuilt on inputs whose shapes are those symbols.
    dims = [shape(v)[i] for v in variables for i in range(v.type.ndim)]
    inputs = [v for v in fgraph.inputs if isinstance(v, Variable)
              and not hasattr(v, "data")]
    compute = hooks.compile_function(inputs, dims) if dims else None
    values = []
    for inp in inputs:
        if inp in input_shapes:
            values.append(np.zeros(tuple(int(d) for d in input_shapes[inp]),
                                   dtype=inp.type.dtype))
        else:
            raise ValueError(f"input_shapes gives no shape for the input {inp}")
    numbers = iter(compute(*values) if compute is not None else ())
    return {v: tuple(np.asarray(next(numbers)) for _ in range(v.type.ndim))
            for v in variables}
