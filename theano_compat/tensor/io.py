"""theano.tensor.io: loading an array from a .npy file inside a graph, and MPI Ops.

``load(path, dtype, broadcastable, mmap_mode=None)`` builds a ``LoadFromDisk`` node: the
path is a Generic variable (or a string), read with ``np.load`` when the function runs;
``mmap_mode='c'`` maps the file copy-on-write (in-place Ops never change the file).

The MPI Ops (``isend``/``send``, ``irecv``/``recv`` and their wait Ops) run over mpi4py
(``pip install "theano-compat[mpi]"``: mpi4py and the ``mpich`` wheel, which brings the MPI
library and ``mpiexec``).  mpi4py is imported lazily, the first time one of these Ops runs
(importing ``mpi4py.MPI`` initialises MPI), so graphs can be built and compiled without
it; running one then raises ImportError naming the extra.  ``mpi_enabled`` says whether
mpi4py is installed (found without importing it); ``comm`` (``MPI.COMM_WORLD``) and ``MPI``
are looked up on first use.  ``mpi_cmps`` / ``mpi_keys`` order a schedule so that sends
and receives start early and waits happen late
(``theano.gof.sched.sort_schedule_fn(*mpi_cmps)``).
"""

from __future__ import absolute_import, annotations, division, print_function  # noqa: F401

import importlib.util
import sys

import numpy as np

from ..graph.basic import Apply, Constant, Variable
from ..graph.op import Op
from ..graph.type import Generic
from .type import TensorType

# Whether mpi4py is installed, found without importing it: importing mpi4py.MPI
# initialises MPI, which `import theano` must not do (Theano imported it here).
mpi_enabled = importlib.util.find_spec("mpi4py") is not None

MPI_EXTRA = 'pip install "theano-compat[mpi]"'

theano = sys.modules[__name__.split(".")[0]]  # the package (a name of Theano's module)

_MODULE = "theano.tensor.io"


def tensor(dtype, broadcastable, name=None):
    """A variable of ``TensorType(dtype, broadcastable)`` (theano.tensor.tensor)."""
    return TensorType(str(np.dtype(dtype)), tuple(broadcastable))(name)


def mpi_module(what="theano.tensor.io's MPI Ops"):
    """mpi4py's ``MPI`` module, imported on first use (this initialises MPI); an
    ImportError naming the ``mpi`` extra when mpi4py (or the MPI library) is missing."""
    module = sys.modules.get("mpi4py.MPI")
    if module is not None:
        return module
    try:
        from mpi4py import MPI  # optional dependency, imported lazily (DESIGN.md 1.6)
    except ImportError as exc:
        raise ImportError(
            f"{what} need(s) mpi4py and an MPI library: {MPI_EXTRA} installs both "
            f"(mpi4py and the mpich wheel, with mpiexec); import failed with: {exc}"
        ) from exc
    return MPI


def _comm(what):
    return mpi_module(what).COMM_WORLD


def key_to_cmp(key):
    """The comparator (-1, 0, 1) ordering by ``key(x)``."""
    def key_cmp(a, b):
        ka, kb = key(a), key(b)
        return (ka > kb) - (ka < kb)
    return key_cmp


class LoadFromDisk(Op):
    """Loads the array of a .npy file, whose path is the input (not differentiable)."""

    __props__ = ("dtype", "broadcastable", "mmap_mode")
    __module__ = _MODULE
    # With mmap_mode='c' the value is a np.memmap, which functions return as it is (the
    # linker converts other ndarray subclasses to ndarrays).
    returns_array_subclass = True

    def __init__(self, dtype, broadcastable, mmap_mode=None):
        self.dtype = np.dtype(dtype)
        self.broadcastable = tuple(broadcastable)
        if mmap_mode not in (None, "c"):
            raise ValueError("The only supported values for mmap_mode are None and 'c', "
                             f"got {mmap_mode}")
        self.mmap_mode = mmap_mode

    def make_node(self, path):
        if isinstance(path, str):
            path = Constant(Generic(), path)
        return Apply(self, [path], [tensor(self.dtype, self.broadcastable)])

    def perform(self, node, inp, out, params=None):
        path = inp[0]
        if str(path).split(".")[-1] == "npz":
            raise ValueError(f"Expected a .npy file, got {path} instead")
        result = np.load(path, mmap_mode=self.mmap_mode)
        if result.dtype != self.dtype:
            raise TypeError(f"Expected an array of type {self.dtype}, got {result.dtype} "
                            "instead")
        out[0][0] = result

    def do_constant_folding(self, node):
        return False

    def __str__(self):
        return (f"Load{{dtype: {self.dtype}, broadcastable: {self.broadcastable}, "
                f"mmep: {self.mmap_mode}}}")


def load(path, dtype, broadcastable, mmap_mode=None):
    """The array of the .npy file at `path` (a Generic variable holding a string), of
    `dtype` and `broadcastable` pattern; ``mmap_mode='c'`` maps it copy-on-write."""
    return LoadFromDisk(dtype, broadcastable, mmap_mode)(path)


class MPIRecv(Op):
    """Starts receiving an array from rank `source` (outputs: the request, the buffer)."""

    __props__ = ("source", "tag", "shape", "dtype")
    __module__ = _MODULE

    def __init__(self, source, tag, shape, dtype):
        self.source = source
        self.tag = tag
        self.shape = shape
        self.dtype = np.dtype(dtype)
        self.broadcastable = (False,) * len(shape)

    def make_node(self):
        return Apply(self, [], [Variable(Generic()), tensor(self.dtype, self.broadcastable)])

    def perform(self, node, inp, out, params=None):
        c = _comm("MPIRecv")
        data = np.zeros(self.shape, dtype=self.dtype)
        out[0][0] = c.Irecv(data, self.source, self.tag)
        out[1][0] = data

    def __str__(self):
        return (f"MPIRecv{{source: {self.source}, tag: {self.tag}, shape: {self.shape}, "
                f"dtype: {self.dtype}}}")

    def infer_shape(self, node, shapes):
        return [None, self.shape]

    def do_constant_folding(self, node):
        return False


class MPIRecvWait(Op):
    """Waits for a receive started by MPIRecv; its output is the received array."""

    __props__ = ("tag",)
    __module__ = _MODULE
    view_map = {0: [1]}

    def __init__(self, tag):
        self.tag = tag

    def make_node(self, request, data):
        return Apply(self, [request, data], [tensor(data.dtype, data.broadcastable)])

    def perform(self, node, inp, out, params=None):
        _comm("MPIRecvWait")
        request, data = inp
        request.wait()
        out[0][0] = data

    def infer_shape(self, node, shapes):
        return [shapes[1]]

    def do_constant_folding(self, node):
        return False


class MPISend(Op):
    """Starts sending an array to rank `dest` (outputs: the request, the array)."""

    __props__ = ("dest", "tag")
    __module__ = _MODULE
    view_map = {1: [0]}

    def __init__(self, dest, tag):
        self.dest = dest
        self.tag = tag

    def make_node(self, data):
        return Apply(self, [data], [Variable(Generic()), data.type()])

    def perform(self, node, inp, out, params=None):
        c = _comm("MPISend")
        data = np.ascontiguousarray(inp[0])  # MPI sends a contiguous buffer
        out[0][0] = c.Isend(data, self.dest, self.tag)
        out[1][0] = data

    def __str__(self):
        return f"MPISend{{dest: {self.dest}, tag: {self.tag}}}"

    def do_constant_folding(self, node):
        return False


class MPISendWait(Op):
    """Waits for a send started by MPISend (output: True)."""

    __props__ = ("tag",)
    __module__ = _MODULE

    def __init__(self, tag):
        self.tag = tag

    def make_node(self, request, data):
        return Apply(self, [request, data], [Variable(Generic())])

    def perform(self, node, inp, out, params=None):
        _comm("MPISendWait")
        inp[0].wait()
        out[0][0] = True

    def do_constant_folding(self, node):
        return False


def isend(var, dest, tag):
    """Non-blocking send of `var` to rank `dest`."""
    return MPISend(dest, tag)(var)


def send(var, dest, tag):
    """Blocking send of `var` to rank `dest`."""
    return MPISendWait(tag)(*isend(var, dest, tag))


def irecv(shape, dtype, source, tag):
    """Non-blocking receive of an array of `shape` and `dtype` from rank `source`."""
    return MPIRecv(source, tag, shape, dtype)()


def recv(shape, dtype, source, tag):
    """Blocking receive of an array of `shape` and `dtype` from rank `source`."""
    return MPIRecvWait(tag)(*irecv(shape, dtype, source, tag))


def mpi_send_wait_key(a):
    """Wait as long as possible on Waits, start Sends/Recvs early."""
    if isinstance(a.op, (MPIRecvWait, MPISendWait)):
        return 1
    if isinstance(a.op, (MPIRecv, MPISend)):
        return -1
    return 0


def mpi_tag_key(a):
    """Break MPI ties by the tag: lower tags first."""
    if isinstance(a.op, (MPISend, MPIRecv, MPIRecvWait, MPISendWait)):
        return a.op.tag
    return 0


mpi_send_wait_cmp = key_to_cmp(mpi_send_wait_key)
mpi_tag_cmp = key_to_cmp(mpi_tag_key)

mpi_keys = (mpi_send_wait_key, mpi_tag_key)
mpi_cmps = (mpi_send_wait_cmp, mpi_tag_cmp)

__all__ = ["LoadFromDisk", "load", "key_to_cmp", "MPIRecv", "MPIRecvWait", "MPISend", "MPISendWait",
           "isend", "send", "irecv", "recv", "mpi_send_wait_key", "mpi_tag_key",
           "mpi_send_wait_cmp", "mpi_tag_cmp", "mpi_keys", "mpi_cmps", "mpi_enabled"]


def __getattr__(name):
    # ``comm`` and ``MPI`` (Theano bound them at import when mpi4py was there): looked up
    # on first use, so that importing this module does not initialise MPI; absent (as in
    # Theano) without mpi4py.
    if name in ("comm", "MPI") and not mpi_enabled:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r} (mpi4py is not "
                             f"installed: {MPI_EXTRA})")
    if name == "comm":
        return _comm("theano.tensor.io.comm")
    if name == "MPI":
        return mpi_module("theano.tensor.io.MPI")
    # ``gof``: theano.gof, a layer above this one, looked up once loaded (never imported).
    if name == "gof":
        module = sys.modules.get(__name__.split(".")[0] + ".gof")
        if module is not None:
            return module
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | {"gof"})
