"""theano.tensor.io: LoadFromDisk/load and the MPI Ops (mpi4py optional).

The MPI Ops run for real under ``mpiexec -n 2`` (a script written to a temporary folder,
run in a subprocess) when mpi4py and mpiexec are installed (``pip install
"theano-compat[mpi]"``); those tests skip, naming what is missing, otherwise.
"""

import importlib.util
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import theano
import theano.tensor as T
from tests.support.mpi import missing_mpi, mpiexec
from tests.support.paths import ROOT
from theano import Generic, Variable, function
from theano.gof.sched import sort_schedule_fn
from theano.tensor import io


needs_mpi = pytest.mark.skipif(bool(missing_mpi()), reason=missing_mpi() or "-")


def run_mpi(script, n=2, args=(), timeout=300):
    """Runs `script` (a path) on `n` ranks; the completed process (checked: exit 0)."""
    env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""))
    proc = subprocess.run([mpiexec(), "-n", str(n), sys.executable, script, *args], cwd=ROOT,
                          env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                          timeout=timeout)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc


def test_load(tmp_path):
    data = np.arange(5, dtype=np.int32)
    name = str(tmp_path / "a.npy")
    np.save(name, data)
    path = Variable(Generic())
    fn = function([path], T.load(path, "int32", (False,)) * 2)
    np.testing.assert_array_equal(fn(name), data * 2)
    fn = function([path], io.load(path, "int32", (False,), mmap_mode="c"))
    np.testing.assert_array_equal(fn(name), data)
    fn = function([path], (io.load(path, "int32", (False,), "c") ** 2).sum())
    assert fn(name) == fn(name) == (data ** 2).sum()
    np.testing.assert_array_equal(np.load(name), data)  # copy-on-write: file unchanged
    with pytest.raises(TypeError, match="Expected an array of type float64"):
        function([path], io.load(path, "float64", (False,)))(name)
    for mode in ("r+", "r", "w+", "toto"):
        with pytest.raises(ValueError, match="mmap_mode"):
            io.load(path, "int32", (False,), mode)
    assert str(io.LoadFromDisk("int32", (False,))) == \
        "Load{dtype: int32, broadcastable: (False,), mmep: None}"


def test_mpi_graphs_build_and_order():
    x = T.matrix("x")
    y = io.send(x, 1, 11)
    waitnode, sendnode = y.owner, y.owner.inputs[0].owner
    assert (sendnode.op.dest, sendnode.op.tag) == (1, 11)
    addnode = (x + x).owner
    assert io.mpi_send_wait_cmp(sendnode, addnode) < 0
    assert io.mpi_send_wait_cmp(waitnode, addnode) > 0
    r = io.recv((10, 10), "float64", 0, 11)
    assert r.dtype == "float64" and r.broadcastable == (False, False)
    assert r.owner.inputs[0].owner.op.source == 0
    order = sort_schedule_fn(*io.mpi_cmps)
    assert callable(order)


def test_load_with_mmap_mode_c_returns_the_memmap(tmp_path):
    fname = str(tmp_path / "m.npy")
    np.save(fname, np.arange(6, dtype="int32"))
    path = Variable(Generic())
    x = io.load(path, "int32", (False,), mmap_mode="c")
    out = function([path], x)(fname)
    assert type(out) is np.memmap and out.tolist() == [0, 1, 2, 3, 4, 5]
    # Computed from it: a plain ndarray; without mmap_mode: a plain ndarray.
    assert type(function([path], x * 2)(fname)) is np.ndarray
    plain = function([path], io.load(path, "int32", (False,)))(fname)
    assert type(plain) is np.ndarray and plain.tolist() == [0, 1, 2, 3, 4, 5]


def test_load_matrix_from_a_string_path_and_refuses_npz(tmp_path):
    data = np.arange(12, dtype="float32").reshape(3, 4)
    name = str(tmp_path / "m.npy")
    np.save(name, data)
    x = io.load(name, "float32", (False, False), mmap_mode="c")  # a str: a Generic constant
    assert x.type == T.TensorType("float32", (False, False))
    out = function([], x.T * 2 + x.sum(axis=0).dimshuffle(0, "x"))()
    np.testing.assert_array_equal(out, data.T * 2 + data.sum(axis=0)[:, None])
    np.testing.assert_array_equal(np.load(name), data)
    np.savez(str(tmp_path / "z.npz"), a=data)
    path = Variable(Generic())
    with pytest.raises(ValueError, match="Expected a .npy file"):
        function([path], io.load(path, "float32", (False, False)))(str(tmp_path / "z.npz"))


def test_importing_theano_does_not_import_mpi4py():
    # Importing mpi4py.MPI initialises MPI: Theano did it at import, this project on first use.
    code = "import sys, theano, theano.tensor.io as io; print('mpi4py.MPI' in sys.modules)"
    env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""))
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True,
                         text=True, timeout=300)
    assert out.stdout.split() == ["False"], out.stderr
    assert io.mpi_enabled is (importlib.util.find_spec("mpi4py") is not None)


def test_mpi_ops_without_mpi4py_name_the_extra(monkeypatch):
    # As on a machine without mpi4py (whether or not it is installed here): the graph builds
    # and compiles, running it raises ImportError naming the extra to install.
    monkeypatch.setitem(sys.modules, "mpi4py", None)
    monkeypatch.setitem(sys.modules, "mpi4py.MPI", None)
    x = T.fmatrix("x")
    f = theano.function([x], [io.send(x, 1, 3), io.recv((2, 2), "float32", 1, 4) + 1])
    with pytest.raises(ImportError, match=r'pip install "theano-compat\[mpi\]"'):
        f(np.zeros((2, 2), "float32"))
    with pytest.raises(ImportError, match="mpi4py"):
        io.mpi_module()
    if not io.mpi_enabled:
        with pytest.raises(AttributeError, match="comm"):
            io.comm


ROUNDTRIP = """
import sys
import numpy as np
import theano
import theano.tensor as T
from theano.gof.sched import sort_schedule_fn
from theano.tensor.io import comm, irecv, isend, mpi_cmps, recv, send, MPIRecvWait, MPISendWait

rank = comm.Get_rank()
assert comm.Get_size() == 2, comm.Get_size()
scheduled = theano.Mode(optimizer=None,
                        linker=theano.OpWiseCLinker(schedule=sort_schedule_fn(*mpi_cmps)))
for mode in (scheduled, None):  # Theano's MPI schedule, then the default mode
    for dtype, shape in (("float32", (2, 3)), ("float64", (4,)), ("int64", (2, 2, 2))):
        if rank == 0:
            x = T.tensor(dtype, (False,) * len(shape))
            f = theano.function([x], [send(x + 1, 1, 11), recv(shape, dtype, 1, 12)], mode=mode)
            xx = np.arange(np.prod(shape)).reshape(shape).astype(dtype)
            done, z = f(xx)
            assert done is True or done == True, done
            assert z.dtype == dtype and z.shape == shape, (z.dtype, z.shape)
            np.testing.assert_array_equal(z, (xx + 1) * 3 - 2)
            print("ok", dtype, shape, flush=True)
        else:
            y = recv(shape, dtype, 0, 11)
            f = theano.function([], send(y * 3 - 2, 0, 12), mode=mode)
            f()
# Non-blocking Ops with their waits, two messages in flight with different tags.
if rank == 0:
    a, b = T.dvector("a"), T.dvector("b")
    r1, r2 = isend(a, 1, 21), isend(b, 1, 22)
    f = theano.function([a, b], [MPISendWait(21)(*r1), MPISendWait(22)(*r2)])
    result = f(np.array([1.0, 2.0]), np.array([5.0, 7.0, 9.0]))
else:
    q2, q1 = irecv((3,), "float64", 0, 22), irecv((2,), "float64", 0, 21)
    f = theano.function([], MPIRecvWait(22)(*q2) * 10 + MPIRecvWait(21)(*q1).sum())
    result = f().tolist()
# Rank 0 prints both (the ranks' outputs may interleave).
sent, received = comm.gather(result, root=0) or (None, None)
if rank == 0:
    print("sent", sent, flush=True)
    print("received", received, flush=True)
"""


@needs_mpi
def test_mpi_roundtrip_under_mpiexec(tmp_path):
    script = tmp_path / "roundtrip.py"
    script.write_text(textwrap.dedent(ROUNDTRIP))
    out = run_mpi(str(script)).stdout
    assert out.count("ok ") == 6, out
    assert "sent [True, True]" in out, out
    # rank 1: [5, 7, 9] * 10 + (1 + 2)
    assert "received [53.0, 73.0, 93.0]" in out, out
