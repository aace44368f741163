"""Linking for a device backend (CUDA): which node runs where, and how device graphs print.

The linker asks this module, on a backend with ``is_device`` set:

* `device_runner(node, backend, compile_inner)`: the callable of a node.  Elementwise
  nodes run their CUDA kernel (fuse_cuda.py); Ops that only have ``perform`` (legacy user
  Ops, and RandomStreams' RandomFunction, whose NumPy RandomState lives on the host as in
  Theano) run on the host, their inputs copied from and outputs copied to the device
  (one warning per user Op class: that is correct but slow); every other Op runs its
  ``impl`` with the backend's array module.
* `constant_on_device(node, var)`: whether a graph constant is copied to the device once
  at link time (data: float/complex constants, and every input of an elementwise kernel)
  or passed as the host array (integer shapes, axes and indices, which Ops read on the
  host).
* `name_device_ops(fgraph, backend)`: after linking, the compiled graph's nodes get Op
  objects whose class name carries the backend's prefix (``GpuElemwise``, ``GpuDot``...,
  subclasses made on the fly), so legacy code that inspects
  ``type(node.op).__name__`` for 'Gpu' (Theano's tutorial "Used the gpu" check) sees the
  device ops.  Host-run Ops keep their names, as Theano's CPU ops did.
"""

from __future__ import annotations

import copy
import warnings

import numpy as np

from ..graph.basic import Constant
from ..graph.op import Op, runner_for
from ..tensor.elemwise import Elemwise
from .fuse_cuda import elemwise_runner

__all__ = ["DevicePlan", "device_runner", "runs_on_host", "constant_on_device",
           "name_device_ops", "device_class", "host_read", "HOST_PARAMETERS"]

_warned = set()


def runs_on_host(op):
    """Whether `op` computes through ``perform`` (host NumPy) rather than ``impl(xp)``, or
    declares ``host_only = True`` (its impl is NumPy-only)."""
    if getattr(op, "host_only", False):
        return True
    if getattr(op, "has_inner_graph", False) or getattr(op, "runner", None) is not None:
        return False
    return type(op).impl is Op.impl


def _is_user_op(op):
    return not type(op).__module__.startswith("theano_compat.")


# Inputs that Ops read as host integers (shapes, sizes, window parameters): on a device
# backend they stay in host memory (reading a device value costs a synchronising copy per
# element).  Keyed by class name (subclasses included); an Op may also declare
# ``host_inputs = (positions...)`` itself.
HOST_PARAMETERS = {
    "Reshape": (1,), "SpecifyShape": (1,), "Split": (1, 2), "Tile": (1,), "TileGrad": (1,),
    "AbstractConv_gradWeights": (2,), "AbstractConv_gradInputs": (2,),
    "Pool": (1, 2, 3), "MaxPoolGrad": (3, 4, 5), "AveragePoolGrad": (2, 3, 4),
    "DownsampleFactorMaxGradGrad": (3, 4, 5), "MRGUniform": (1,), "UnravelIndex": (1,),
}


def host_read(op, i, n_inputs):
    """Whether `op` reads its input `i` (of `n_inputs`) as host integers."""
    declared = getattr(op, "host_inputs", None)
    if declared is not None:
        return i in declared
    for cls in type(op).__mro__:
        if cls.__name__ == "Alloc":
            return i >= 1  # the output shape
        if cls.__name__ == "RavelMultiIndex":
            return i == n_inputs - 1  # dims
        positions = HOST_PARAMETERS.get(cls.__name__)
        if positions is not None:
            return i in positions
    return False


def _discrete(var):
    return getattr(var.type, "dtype", "") in ("bool", "int8", "int16", "int32", "int64",
                                               "uint8", "uint16", "uint32", "uint64")


class DevicePlan:
    """Where each node of a program runs on device `backend` (see the module docstring).

    Host nodes: Ops that run through ``perform`` or declare ``host_only``; Shape/Shape_i
    (they read array metadata only); and shape arithmetic, i.e. nodes whose inputs are all
    host values and whose outputs are integer scalars or vectors (``x.shape[0] * 2``,
    ``arange(x.shape[0])``), which would otherwise pay a device round trip per value.
    Every other node runs on the device; its inputs that may be host values (host node
    outputs, 0-d graph inputs: Python floats and 0-d shared values stay on the host)
    are copied to the device at call time unless the Op reads them on the host.
    """

    def __init__(self, order, inputs, backend):
        self.backend = backend
        self.host_nodes = set()
        host = set()  # ids of variables certainly in host memory
        maybe = {id(v) for v in inputs if getattr(v.type, "ndim", 0) == 0}
        for node in order:
            if self._runs_on_host(node, host):
                self.host_nodes.add(node)
                host.update(id(o) for o in node.outputs)
            for i, var in enumerate(node.inputs):
                if isinstance(var, Constant) and not self.constant_on_device(node, i, var):
                    host.add(id(var))
        self.maybe_host = maybe | host

    def _runs_on_host(self, node, host):
        op = node.op
        if runs_on_host(op) or type(op).__name__ in ("Shape", "Shape_i"):
            return True
        if not node.inputs or not all(_discrete(o) and o.type.ndim <= 1 for o in node.outputs):
            return False
        return all(id(v) in host or (isinstance(v, Constant) and _discrete(v)
                                     and np.ndim(v.data) <= 1) for v in node.inputs)

    def constant_on_device(self, node, i, var):
        """Whether constant `var` (input `i` of `node`) is copied to the device once."""
        if not isinstance(var, Constant) or not isinstance(var.data, np.ndarray):
            return False
        if node in self.host_nodes or runs_on_host(node.op):
            return False
        if isinstance(node.op, Elemwise):
            return True  # kernel arguments
        if host_read(node.op, i, len(node.inputs)):
            return False
        # Integer scalars are axes, indices and sizes (read on the host); other data goes.
        return var.data.ndim > 0 or var.data.dtype.kind in "fc"

    def runner(self, node, compile_inner=None):
        """The callable computing `node` (see the class docstring)."""
        backend = self.backend
        op = node.op
        if node in self.host_nodes:
            if runs_on_host(op):
                return _host_runner(node, backend, runner_for(op, node, np, compile_inner))
            return runner_for(op, node, np, compile_inner)  # host values in, host out
        if isinstance(op, Elemwise):
            return elemwise_runner(node, backend, [
                i for i, v in enumerate(node.inputs) if id(v) in self.maybe_host])
        run = runner_for(op, node, backend.xp, compile_inner)
        moved = [i for i, v in enumerate(node.inputs)
                 if id(v) in self.maybe_host and not host_read(op, i, len(node.inputs))
                 and (v.type.ndim > 0 or not _discrete(v))]
        return _moving_inputs(run, moved, node, backend) if moved else run


def device_runner(node, backend, compile_inner=None):
    """The callable of one node on device `backend`, planned without the rest of the
    program (all inputs assumed to be device values)."""
    return DevicePlan([node], [], backend).runner(node, compile_inner)


def constant_on_device(node, var):
    """Whether a constant input of `node` goes to the device (a one-node plan)."""
    i = next(k for k, v in enumerate(node.inputs) if v is var)
    return DevicePlan([node], [], None).constant_on_device(node, i, var)


def _moving_inputs(run, positions, node, backend):
    """`run` with the arguments at `positions` copied to the device when they are not."""
    xp = backend.xp
    is_device = backend.is_device_array
    dtypes = {i: np.dtype(node.inputs[i].type.dtype) for i in positions}

    def run_on_device(*args):
        args = list(args)
        for i in positions:
            if not is_device(args[i]):
                args[i] = xp.asarray(args[i], dtype=dtypes[i])
        return run(*args)

    return run_on_device


def _host_runner(node, backend, run):
    op = node.op
    if _is_user_op(op) and type(op) not in _warned:
        _warned.add(type(op))
        warnings.warn(
            f"{type(op).__name__} defines only perform(): on the GPU it runs on the host, "
            "with its inputs copied from and its outputs copied to the device. Define "
            "impl(self, xp, *inputs) with array-module code to run it on the GPU.",
            RuntimeWarning, stacklevel=2)
    to_host = backend.to_host
    n_out = len(node.outputs)

    def back(value):
        return backend.asarray(value) if isinstance(value, np.ndarray) else value

    if n_out == 1:
        def run_on_host(*args):
            return back(run(*[to_host(a) for a in args]))
    else:
        def run_on_host(*args):
            return tuple(back(v) for v in run(*[to_host(a) for a in args]))
    return run_on_host


# ----------------------------------------------------------------------------- names

_CLASSES = {}


def device_class(cls, prefix):
    """`cls` renamed ``prefix + name`` (a subclass made once per class and prefix).

    Instances compare and hash like the original Op would (same props), pickle as the
    original class, and are still instances of `cls` for isinstance checks."""
    key = (cls, prefix)
    sub = _CLASSES.get(key)
    if sub is None:
        sub = type(prefix + cls.__name__, (cls,), {
            "__module__": cls.__module__,
            "__reduce_ex__": _reduce_as_original,
            "device_original_class": cls,
        })
        _CLASSES[key] = sub
    return sub


def _reduce_as_original(self, protocol):
    original = type(self).device_original_class
    state = dict(self.__dict__)
    state.pop("_props_hash", None)
    if any("__reduce__" in c.__dict__ or "__reduce_ex__" in c.__dict__
           for c in original.__mro__ if c is not object):
        plain = original.__new__(original)  # the class's own pickling (not copy.copy:
        plain.__dict__.update(state)         # that would call this method again)
        return plain.__reduce_ex__(protocol)
    return (_restore_original, (original, state))


def _restore_original(cls, state):
    obj = cls.__new__(cls)
    if hasattr(obj, "__setstate__"):
        obj.__setstate__(state)
    else:
        obj.__dict__.update(state)
    return obj


def name_device_ops(fgraph, backend):
    """Give the nodes of compiled `fgraph` that run on `backend`'s device Ops named with
    its prefix (no-op for the CPU backend).  Nodes are the compiled graph's own (cloned),
    so user graphs and shared Op instances are untouched."""
    prefix = getattr(backend, "op_prefix", "")
    if not prefix:
        return
    for node in fgraph.toposort():
        op = node.op
        cls = type(op)
        if cls.__name__.startswith(prefix) or runs_on_host(op):
            continue
        renamed = copy.copy(op)
        renamed.__dict__.pop("_props_hash", None)
        # object.__setattr__: Ops written as frozen dataclasses refuse plain assignment.
        object.__setattr__(renamed, "__class__", device_class(cls, prefix))
        node.op = renamed
