"""theano.tensor.io: LoadFromDisk/load and the MPI Ops (mpi4py optional)."""

import numpy as np
import pytest

import theano
import theano.tensor as T
from theano import Generic, Variable, function
from theano.gof.sched import sort_schedule_fn
from theano.tensor import io


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


@pytest.mark.skipif(io.mpi_enabled, reason="mpi4py is installed")
def test_mpi_ops_name_mpi4py_when_run_without_it():
    y = io.recv((2, 2), "float32", 0, 11) + 1
    f = theano.function([], y)  # compiling works without mpi4py
    with pytest.raises(ImportError, match="mpi4py"):
        f()


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
