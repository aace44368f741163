"""theano.compile.mode: the mode, linker and optimizer names, get_mode, register_mode and
Mode's including / excluding / requiring / register / clone."""

import copy
import pickle

import numpy as np
import pytest

import theano
import theano.tensor as T
from theano.compile import mode as M


def test_predefined_names_as_theano():
    # Theano 1.0.5: ['DEBUG_MODE', 'FAST_COMPILE', 'FAST_RUN']
    assert {"FAST_RUN", "FAST_COMPILE", "DEBUG_MODE"} <= set(M.predefined_modes)
    assert sorted(M.predefined_linkers) == ["c", "cvm", "cvm_nogc", "c|py", "c|py_nogc",
                                            "py", "vm", "vm_nogc"]
    assert sorted(str(k) for k in M.predefined_optimizers) == [
        "None", "None", "fast_compile", "fast_run", "fast_run_stable", "merge", "o1", "o2",
        "o3", "o4", "stabilize", "unsafe"]
    assert M.get_mode("FAST_RUN") is M.predefined_modes["FAST_RUN"]
    assert M.get_default_mode().optimizer == M.get_mode(theano.config.mode).optimizer
    assert M.instantiated_default_mode is None
    for name in ("OPT_NONE", "OPT_MERGE", "OPT_FAST_RUN", "OPT_FAST_RUN_STABLE",
                 "OPT_FAST_COMPILE", "OPT_STABILIZE", "OPT_O2", "OPT_O3", "OPT_UNSAFE"):
        assert M.Mode(optimizer=getattr(M, name)).optimizer is not None


def test_get_and_register_mode_errors():
    with pytest.raises(ValueError, match="No predefined mode exist for string: NOPE"):
        M.get_mode("NOPE")
    with pytest.raises(ValueError, match="ProfileMode was removed"):
        M.get_mode("ProfileMode")
    with pytest.raises(ValueError, match="already taken"):
        M.register_mode("FAST_RUN", M.FAST_RUN)
    with pytest.raises(ValueError, match="already taken"):
        M.register_optimizer("fast_run", "fast_run")
    with pytest.raises(KeyError, match="Unknown optimizer"):  # Theano: KeyError too
        M.Mode(optimizer="fast_run2")


def test_modes_compile_the_same_values():
    x = T.dvector("x")
    for mode in ("FAST_RUN", "FAST_COMPILE", M.Mode("py", "fast_run"), M.Mode("c|py", None),
                 M.Mode(optimizer="merge").including("fast_compile"),
                 M.get_default_mode().excluding("fusion"), M.Mode(optimizer="stabilize")):
        f = theano.function([x], T.log(1 + T.exp(x)), mode=mode)
        np.testing.assert_allclose(f(np.array([0.0, 1.0])), np.log1p(np.exp([0.0, 1.0])))


def test_linker_names_and_clone():
    mode = M.Mode("c|py_nogc", "fast_run")
    assert mode.provided_linker == "c|py_nogc" and mode.linker is M.predefined_linkers[
        "c|py_nogc"]
    assert not mode.linker.allow_gc and M.Mode("vm").linker.allow_gc
    clone = mode.clone(optimizer="fast_compile")
    assert clone.optimizer == "fast_compile" and mode.optimizer == "fast_run"
    assert clone.linker is mode.linker
    copy.deepcopy(M.get_default_mode().including("specialize"))
    back = pickle.loads(pickle.dumps(mode))
    assert back.optimizer == "fast_run" and back.provided_linker == "c|py_nogc"


def test_register_runs_optimizer_objects_around_the_pipeline():
    seen = []

    class Recorder(M.AddFeatureOptimizer):
        def apply(self, fgraph):
            seen.append(len(fgraph.apply_nodes))

    x = T.dvector("x")
    mode = M.Mode(optimizer="fast_run").register((Recorder(None), 0.5), (Recorder(None), 50))
    f = theano.function([x], x * 2 + 1, mode=mode)
    np.testing.assert_array_equal(f([1.0]), [3.0])
    assert len(seen) == 2  # before and after the pipeline
    assert M.Mode(optimizer="fast_run").registered == ()
    with pytest.raises(TypeError, match="pairs"):
        mode.register(Recorder(None))
    calls = []
    f = theano.function([x], x + 1, mode=M.Mode(optimizer=lambda fg: calls.append(fg)))
    assert len(calls) == 1 and f([1.0])[0] == 2.0


def test_linker_names_name_theano_gof_linker_objects_and_keep_the_fast_program():
    # Theano 1.0.5's T_bunch_of_modes: 'py' is a PerformLinker, 'c|py' an OpWiseCLinker,
    # 'vm' a VM_Linker, DEBUG_MODE its own linker (four classes).
    from theano.compile.compiled import FunctionMaker
    from theano.compile.mode import Mode, predefined_linkers

    assert isinstance(predefined_linkers["py"], theano.gof.PerformLinker)
    assert isinstance(predefined_linkers["c|py"], theano.gof.OpWiseCLinker)
    assert not predefined_linkers["vm_nogc"].allow_gc
    classes = set()
    for mode in ["FAST_COMPILE", "FAST_RUN", "DEBUG_MODE"] + [
            Mode(name, "fast_run") for name in ("py", "c|py", "c|py_nogc", "vm", "vm_nogc")]:
        x, y = theano.tensor.matrix(), theano.tensor.vector()
        f = theano.function([x, y], x + y, mode=mode)
        np.testing.assert_allclose(f([[1, 2], [3, 4]], [5, 6]), [[6, 8], [8, 10]])
        classes.add(type(f.maker.mode.linker))
        if mode != "DEBUG_MODE":
            assert type(f.maker) is FunctionMaker  # the generated program runs it
    assert len(classes) == 4
    # A mode given the Linker object a name stands for is that name (the fast program);
    # another Linker object runs through that linker.
    x = theano.tensor.dvector()
    same = Mode(linker=theano.compile.get_default_mode().linker, optimizer=None)
    assert type(theano.function([x], x * 2, mode=same).maker) is FunctionMaker
    own = Mode(linker=theano.gof.PerformLinker(), optimizer=None)
    f = theano.function([x], x * 2, mode=own)
    assert type(f.maker) is not FunctionMaker and list(f([1.0])) == [2.0]


def ops_of(f):
    return [type(node.op).__name__ for node in f.maker.fgraph.toposort()]


def test_optimizer_query_as_theano_and_editable():
    # Theano: Mode('fast_run')._optimizer is the OPT_FAST_RUN Query; including/excluding
    # extend it.  Legacy code edits it, in place or by assignment, and the mode then runs
    # optdb.query of that Query.
    mode = M.Mode(linker="py", optimizer="fast_run")
    q = mode._optimizer
    assert list(q.include) == ["fast_run"] and q.position_cutoff == float("inf")
    assert list(mode.excluding("a")._optimizer.exclude) == ["a"]
    assert M.Mode(optimizer=None)._optimizer is None
    x = T.dvector("x")
    y = T.exp(x) * 2 + x * 2
    xv = np.array([0.5, -1.0, 2.0])
    want = np.exp(xv) * 2 + xv * 2
    fused = theano.function([x], y, mode=mode)
    assert ops_of(fused) == ["Elemwise"] and "Composite" in str(fused.maker.fgraph.toposort())
    # Only canonicalize: no fusion, the three elementwise nodes stay.
    canon = M.Mode(linker="py", optimizer="fast_run")
    canon._optimizer = theano.gof.Query(["canonicalize"])
    f = theano.function([x], y, mode=canon)
    assert "Composite" not in str(f.maker.fgraph.toposort()) and len(ops_of(f)) == 4
    np.testing.assert_allclose(f(xv), want)
    # In place: stop after stabilize (Theano's test_opt idiom).
    cut = M.Mode(linker="py", optimizer="fast_run")
    cut._optimizer.position_cutoff = 1.50001
    f = theano.function([x], y, mode=cut)
    assert "Composite" not in str(f.maker.fgraph.toposort())
    np.testing.assert_allclose(f(xv), want)
    # A mode derived from an edited one keeps the edit.
    assert "Composite" not in str(theano.function([x], y, mode=canon.including("x"))
                                  .maker.fgraph.toposort())


@pytest.mark.parametrize("flags", [{"optimizer": "None"}, {"mode": "FAST_COMPILE"}])
def test_a_mode_named_explicitly_ignores_the_default_modes_flags(flags):
    # Theano 1.0.5 (theano-ref, THEANO_FLAGS=optimizer=None): mode="FAST_RUN" still gives
    # ['Elemwise{Composite{(i0 + (i1 * exp(i2)))}}'] (`optimizer` shapes the default mode
    # only), while the default mode keeps exp, mul and add apart.
    x = T.dvector("x")
    with theano.change_flags(**flags):
        fast = theano.function([x], T.exp(x) * 2 + 1, mode="FAST_RUN")
        plain = theano.function([x], T.exp(x) * 2 + 1)
        assert M.get_mode("FAST_RUN") is M.FAST_RUN and M.FAST_RUN.optimizer == "fast_run"
    assert [type(n.op.scalar_op).__name__ for n in fast.maker.fgraph.toposort()] == \
        ["Composite"]
    assert sorted(str(n.op.scalar_op) for n in plain.maker.fgraph.toposort()
                  if isinstance(n.op, T.Elemwise)) == ["add", "exp", "mul"]
    xv = np.array([-1.0, 0.5])
    np.testing.assert_allclose(fast(xv), np.exp(xv) * 2 + 1, rtol=1e-15)
    np.testing.assert_allclose(plain(xv), np.exp(xv) * 2 + 1, rtol=1e-15)
