"""Linking for a device backend (CUDA): which node runs where, and how device graphs print.

`DevicePlan(order, inputs, backend)`, made by the code generator for a device backend,
decides for every node of a program:

* elementwise nodes run their CUDA kernel (fuse_cuda.py); a Sum or Prod that is the
  only reader of one, right after it, runs with it as one reduction kernel
  (reduce_cuda.py; needs the program's results, given as `outputs`);
* Ops that only have ``perform`` (legacy user Ops, and RandomStreams' RandomFunction,
  whose NumPy RandomState lives on the host as in Theano) or declare ``host_only`` run
  on the host, their inputs copied from and outputs copied to the device (one warning
  per user Op class: correct but slow); so do Shape/Shape_i and integer shape arithmetic;
* every other Op runs its ``impl`` with the backend's array module, with its inputs
  placed where it reads them (data on the device, shapes and scalar indices on the host);
* where each graph constant goes (see `DevicePlan.constant_placement`).

`name_device_ops(fgraph, backend)`: after linking, the compiled graph's nodes get Op
objects whose class name carries the backend's prefix (``GpuElemwise``, ``GpuDot``...,
subclasses made on the fly), so legacy code that inspects ``type(node.op).__name__`` for
'Gpu' (the "Used the gpu" check of Theano's tutorial) sees the device ops.  Host-run Ops
keep their names, as Theano's CPU ops did.
"""

from __future__ import annotations

import copy
import warnings

import numpy as np

from ..graph.basic import Constant
from ..graph.op import Op, runner_for
from ..tensor.elemwise import Elemwise
from ..utils import defined_here
from .fuse_cuda import elemwise_runner, node_kernel_source
from .reduce_cuda import deferred_elemwise_runner, foldable_reductions, reduction_runner

__all__ = [
    "HOST_PARAMETERS",
    "DevicePlan",
    "device_class",
    "device_runner",
    "host_read",
    "name_device_ops",
    "runs_on_host",
]

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
    return not defined_here(type(op))


# Inputs that Ops read as host numbers (shapes, sizes, window parameters, scalar indices,
# arange bounds): on a device backend they are kept in host memory, and a device value
# arriving there is copied to the host once (instead of a synchronising read per
# element inside the Op).  Keyed by class name (subclasses included): a tuple of
# positions, or an int k for "every position from k on"; an Op may also declare
# ``host_inputs = (positions...)`` itself.
HOST_PARAMETERS = {
    "Reshape": (1,), "SpecifyShape": (1,), "Split": (1, 2), "Tile": (1,), "TileGrad": (1,),
    "Alloc": 1, "ARange": 0, "Eye": 0, "Tri": 0,
    "AbstractConv_gradWeights": (2,), "AbstractConv_gradInputs": (2,),
    "Pool": (1, 2, 3), "MaxPoolGrad": (3, 4, 5), "AveragePoolGrad": (2, 3, 4),
    "DownsampleFactorMaxGradGrad": (3, 4, 5), "MRGUniform": (1,), "UnravelIndex": (1,),
}
# Subtensor-like Ops: their 0-d index inputs (from this position on) are host integers;
# index arrays (advanced indexing) are data and go to the device.
_INDEX_FROM = {"BaseSubtensor": 1, "BaseIncSubtensor": 2}


def host_read(node, i):
    """Whether the Op of `node` reads its input `i` as host numbers."""
    op = node.op
    declared = getattr(op, "host_inputs", None)
    if declared is not None:
        return i in declared
    for cls in type(op).__mro__:
        name = cls.__name__
        if name == "RavelMultiIndex":
            return i == len(node.inputs) - 1  # dims
        if name in _INDEX_FROM:
            return i >= _INDEX_FROM[name] and getattr(node.inputs[i].type, "ndim", 0) == 0
        positions = HOST_PARAMETERS.get(name)
        if positions is not None:
            return i >= positions if isinstance(positions, int) else i in positions
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
    Every other node runs on the device.  Its inputs that may arrive as host values (host
    node outputs, 0-d graph inputs: Python floats and 0-d shared values stay on the host)
    are copied to the device at call time, and device values reaching inputs the Op reads
    on the host (`host_read`) are copied to the host.

    Constants: arrays (ndim >= 1) are copied to the device once at link time, except where
    the Op reads them on the host; scalars (0-d) stay on the host, and an elementwise
    kernel receives them as NumPy scalars of their dtype (passed by value to the kernel).
    """

    def __init__(self, order, inputs, backend, outputs=None):
        self.backend = backend
        self.host_nodes = set()
        self.kernel_nodes = set()
        host = set()  # ids of variables certainly in host memory
        maybe = {id(v) for v in inputs if getattr(v.type, "ndim", 0) == 0}
        for node in order:
            if self._runs_on_host(node, host):
                self.host_nodes.add(node)
                if not runs_on_host(node.op):  # perform() results are copied to the device
                    host.update(id(o) for o in node.outputs)
            elif isinstance(node.op, Elemwise) and node_kernel_source(node) is not None:
                self.kernel_nodes.add(node)
            for i, var in enumerate(node.inputs):
                if isinstance(var, Constant) and self.constant_placement(node, i, var) == "host":
                    host.add(id(var))
        self.maybe_host = maybe | host
        # A Sum/Prod reading only a kernel node's result: one reduction kernel computes
        # both (reduce_cuda.py).  Needs the function's results (`outputs`) to know that.
        self.folded = {} if outputs is None else foldable_reductions(
            order, self.kernel_nodes, outputs)
        self.folded_elemwise = set(self.folded.values())

    def _runs_on_host(self, node, host):
        op = node.op
        if runs_on_host(op) or type(op).__name__ in ("Shape", "Shape_i"):
            return True
        if not node.inputs or not all(_discrete(o) and o.type.ndim <= 1 for o in node.outputs):
            return False
        return all(id(v) in host or (isinstance(v, Constant) and _discrete(v)
                                     and np.ndim(v.data) <= 1) for v in node.inputs)

    def constant_placement(self, node, i, var):
        """"device" (copied once), "scalar" (a NumPy scalar for a kernel) or "host"."""
        if not isinstance(var, Constant) or not isinstance(var.data, np.ndarray):
            return "host"
        if node in self.host_nodes or runs_on_host(node.op):
            return "host"
        if var.data.ndim == 0:
            if node in self.kernel_nodes:
                return "scalar"
            return "device" if isinstance(node.op, Elemwise) else "host"
        return "host" if host_read(node, i) else "device"

    def constant_value(self, node, i, var):
        """The object a program binds for constant input `i` of `node`."""
        placement = self.constant_placement(node, i, var)
        if placement == "device":
            return self.backend.asarray(var.data)
        if placement == "scalar":
            return var.data[()]
        return var.data

    def runner(self, node, compile_inner=None):
        """The callable computing `node` (see the class docstring)."""
        backend = self.backend
        op = node.op
        if node in self.host_nodes:
            if runs_on_host(op):
                return _host_runner(node, backend, runner_for(op, node, np, compile_inner))
            return runner_for(op, node, np, compile_inner)  # host values in, host out
        if node in self.folded:
            return reduction_runner(node, self.folded[node], backend)
        if node in self.folded_elemwise:
            return deferred_elemwise_runner(node, backend)
        if isinstance(op, Elemwise):
            return elemwise_runner(node, backend, [
                i for i, v in enumerate(node.inputs) if id(v) in self.maybe_host])
        run = runner_for(op, node, backend.xp, compile_inner)
        # (Sparse matrices, values_are_ndarrays = False, are placed by their Ops.)
        to_device = [i for i, v in enumerate(node.inputs)
                     if id(v) in self.maybe_host and not host_read(node, i)
                     and (v.type.ndim > 0 or not _discrete(v))
                     and getattr(v.type, "values_are_ndarrays", True)]
        to_host = [i for i, v in enumerate(node.inputs)
                   if host_read(node, i) and id(v) not in self.maybe_host
                   and not isinstance(v, Constant)]
        if to_device or to_host:
            return _placing_inputs(run, to_device, to_host, node, backend)
        return run


def device_runner(node, backend, compile_inner=None):
    """The callable of one node on device `backend`, planned without the rest of the
    program (all inputs assumed to be device values)."""
    return DevicePlan([node], [], backend).runner(node, compile_inner)


def _placing_inputs(run, to_device, to_host, node, backend):
    """`run` with the arguments at `to_device` copied to the device when they are host
    values, and those at `to_host` copied to the host when they are device values."""
    xp = backend.xp
    is_device = backend.is_device_array
    host = backend.to_host
    dtypes = {i: np.dtype(node.inputs[i].type.dtype) for i in to_device}

    def run_placed(*args):
        args = list(args)
        for i in to_device:
            if not is_device(args[i]):
                args[i] = xp.asarray(args[i], dtype=dtypes[i])
        for i in to_host:
            if is_device(args[i]):
                args[i] = host(args[i])
        return run(*args)

    return run_placed


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

    Instances are still instances of `cls` (isinstance checks, printing and behaviour are
    the original's) and pickle as the original class."""
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
