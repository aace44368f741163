"""The compiled function's Theano interface (compile/compiled.py): f[var] / f['name'] /
f.value / f.container, f.maker, input_storage / output_storage, defaults, copy, pickling,
free and fn.storage_map.  Expected values were printed by Theano 1.0.5 (theano-ref) for
the same programs."""

import copy
import pickle

import numpy as np
import pytest

import theano
import theano.tensor as T
from theano import In
from theano_compat.compile.function_module import DUPLICATE

from tests.support.modes import FAST_RUN


def _state_function():
    a = T.scalar()  # anonymous
    x, s = T.scalars("xs")
    f = theano.function([x, In(a, value=1.0, name="a"), In(s, value=0.0, update=s + a * x)],
                        s + a * x)
    return f, a, x, s


def test_state_access_by_variable_and_name_as_theano():
    f, a, x, s = _state_function()
    # Theano 1.0.5: 3.0 9.0 1.0 9.0 / 5.0 24.0 1.0 24.0
    assert (f(3.0), f(3.0, a=2.0), f[a], f[s]) == (3.0, 9.0, 1.0, 9.0)
    f[a] = 5.0
    assert f[a] == 5.0
    assert f(3.0) == 24.0
    # A default set by hand holds for one call; the state (with an update) keeps its value.
    assert f[a] == 1.0 and f[s] == 24.0 and f["s"] == 24.0
    assert f.value[2] == 24.0 and f.container[s].value == 24.0
    f[s] = 0.0
    assert f(1.0) == 1.0
    with pytest.raises(TypeError, match="Unknown input or state"):
        f[T.scalar()]
    with pytest.raises(TypeError, match="Unknown input or state"):
        f["nope"] = 1.0


def test_inputs_defaults_and_indices_layout():
    f, a, x, s = _state_function()
    # Theano 1.0.5: defaults [(True, False, None), (False, True, 1.0), (False, False, 0.0)]
    assert [(r, fd) for r, fd, _ in f.defaults] == [(True, False), (False, True),
                                                     (False, False)]
    assert f.defaults[1][2] == 1.0 and f.defaults[2][2] == 0.0 and f.defaults[0][2] is None
    assert [[i.variable for i in entry[2]] for entry in f.indices] == [[x], [a], [s]]
    assert [entry[1] for entry in f.indices] == [None, None, None]
    assert [(i.name, i.implicit, i.mutable, i.borrow, i.shared) for i in f.maker.inputs] == [
        ("x", False, False, None, False), ("a", False, False, None, False),
        ("s", False, True, None, False)]
    assert [type(c).__name__ for c in f.input_storage] == ["Container"] * 3
    assert f.maker.expanded_inputs is f.maker.inputs
    assert f.unpack_single and not f.return_none and f.n_returned_outputs == 1


def test_shared_variables_are_implicit_inputs_of_the_maker():
    x = T.dscalar("x")
    w = theano.shared(np.ones(2), name="w")
    g = theano.function([x], x * w, updates={w: w * 2})
    # Theano 1.0.5: [('x', False, False, None, False, None, 'NoneType'),
    #                ('w', True, True, True, True, Elemwise{mul,no_inplace}.0, 'Container')]
    ins = g.maker.inputs
    assert [(i.name, i.implicit, i.mutable, i.borrow, i.shared) for i in ins] == [
        ("x", False, False, None, False), ("w", True, True, True, True)]
    assert ins[0].update is None and ins[1].update is not None
    assert ins[1].value is w.container and ins[1].variable is w
    assert list(g.finder) == [0, x, "x", 1, w, "w"]
    assert g.container[w].storage is w.container.storage
    np.testing.assert_array_equal(g["w"], [1.0, 1.0])
    g[w] = np.zeros(2)
    np.testing.assert_array_equal(w.get_value(), [0.0, 0.0])
    with pytest.raises(TypeError, match="Tried to provide value for implicit input: w"):
        g(1.0, w=np.ones(2))
    assert g.get_shared() == [w]
    assert len(g.output_storage) == len(g.maker.fgraph.outputs) == 2


def test_duplicate_names_are_ambiguous():
    a, b = T.dscalars("x", "x")
    f = theano.function([a, b], a + b)
    assert f.finder["x"] is DUPLICATE
    with pytest.raises(TypeError, match="Ambiguous name: x"):
        f["x"]
    assert f(1.0, 2.0) == 3.0


def test_container_as_value_shares_storage_between_functions():
    a = T.scalar()
    x, s = T.scalars("xs")
    f = theano.function([x, In(a, value=1.0, name="a"),
                         In(s, value=0.0, update=s + a * x, mutable=True)], s + a * x)
    g = theano.function([x, In(a, value=1.0, name="a"),
                         In(s, value=f.container[s], update=s - a * x, mutable=True)],
                        s + a * x)
    assert g.container[s].storage is f.container[s].storage
    f(1, 2)
    assert f[s] == 2 and g[s] == 2
    g(1, 2)
    assert f[s] == 0 and g[s] == 0
    # Not implicit: the value given is stored in the shared storage (then updated).
    inc = theano.function([x, In(s, update=s + x, value=10.0)], [])
    dec = theano.function([x, In(s, update=s - x, value=inc.container[s], implicit=False)],
                          [])
    assert dec[s] is inc[s]
    inc[s] = 2
    dec(1)
    assert inc[s] == 1
    dec(1, 0)
    assert inc[s] == -1 and dec[s] == -1


def test_copy_like_theano():
    state = theano.shared(0, name="state")
    inc = T.iscalar("inc")
    acc = theano.function([inc], state, updates=[(state, state + inc)], name="acc")
    c1, c2, c3 = acc.copy(), copy.copy(acc), acc.copy(name="zz")
    assert (c1.name, c2.name, c3.name) == ("acc copy", "acc copy", "zz")
    assert c1(2) == [0] and acc(1) == 2 and state.get_value() == 3
    nothing = acc.copy(delete_updates=True)
    assert nothing(5) == [3] and state.get_value() == 3
    assert nothing.maker.inputs[1].update is None
    other = theano.shared(100, name="other")
    swapped = acc.copy(swap={state: other})
    assert swapped(1) == [100] and other.get_value() == 101 and state.get_value() == 3
    assert swapped.maker.inputs[1].variable is other
    assert swapped.maker.inputs[1].value is other.container
    with pytest.raises(ValueError, match="not found"):
        acc.copy(swap={theano.shared(0): theano.shared(1)})


def test_copy_of_mutable_input_copies_its_value_and_keeps_the_others():
    a = T.scalar()
    x, s = T.scalars("xs")
    f = theano.function([x, In(a, value=1.0, name="a"),
                         In(s, value=0.0, update=s + a * x, mutable=True)], s + a * x)
    g = copy.copy(f)
    assert g.container[x].storage is not f.container[x].storage
    assert g.container[s].storage is not f.container[s].storage
    assert g.value[a] is f.value[a]  # not mutable: the same value object
    assert g.value[s] is not f.value[s]  # mutable: its own copy
    assert f(2, 1) == g(2) and f(2, 1) == g(2)


def test_copy_share_memory_shares_the_intermediate_storage():
    x = T.fscalar("x")
    y, z = theano.shared(1), theano.shared(2)
    ori = theano.function([x], [T.tanh((x + y + 2) / (x + z - 0.2) ** 2)], updates={z: z + 1})
    cpy = ori.copy(share_memory=True)
    io_vars = cpy.maker.fgraph.inputs + cpy.maker.fgraph.outputs
    ori_cells = list(ori.fn.storage_map.values())
    shared_cells = [cell for var, cell in cpy.fn.storage_map.items()
                    if var not in io_vars or isinstance(var, theano.tensor.Constant)]
    assert shared_cells and all(any(c is o for o in ori_cells) for c in shared_cells)
    for here, there in zip(ori.input_storage, cpy.input_storage):
        assert here.data is there.data


def test_fn_allow_gc_keeps_outputs_until_free():
    x = T.vector("x")
    f = theano.function([x], x + 1)
    assert f.fn.allow_gc
    f.fn.allow_gc = False
    np.testing.assert_allclose(f([1.0]), [2.0])
    kept = [cell[0] for var, cell in f.fn.storage_map.items()
            if not isinstance(var, theano.gof.Constant)]
    assert any(v is not None for v in kept)
    np.testing.assert_allclose(f.output_storage[0].data, [2.0])
    f.free()
    assert all(cell[0] is None for var, cell in f.fn.storage_map.items()
               if not isinstance(var, theano.gof.Constant) and var not in f.maker.fgraph.inputs)
    np.testing.assert_allclose(f([2.0]), [3.0])


def test_output_subset_and_dict_outputs():
    x = T.dvector("x")
    f = theano.function([x], [x * 2, x + 1])
    out = f([1.0], output_subset=[1])
    assert len(out) == 1 and out[0][0] == 2.0
    g = theano.function([x], {"b": x * 2, "a": x + 1})
    assert list(g([1.0])) == ["a", "b"]  # Theano sorted the keys
    assert list(g([1.0], output_subset=["b"])) == ["b"]


def test_pickle_keeps_storage_shared_between_functions_pickled_together():
    a = T.scalar()
    x, s = T.scalars("xs")
    v = T.vector("v")
    f1 = theano.function([x, In(a, value=1.0, name="a"),
                          In(s, value=0.0, update=s + a * x, mutable=True)], s + a * x)
    f2 = theano.function([x, In(a, value=1.0, name="a"),
                          In(s, value=f1.container[s], update=s + a * x, mutable=True)],
                         s + a * x)
    f3 = theano.function([x, In(v, value=np.asarray([2, 3, 4.0], dtype=v.dtype))], x + v)
    things = [s, x, v, a * x + s, f1, f2, f3]
    new = pickle.loads(pickle.dumps(things, protocol=-1))
    assert new[3].owner.inputs[1] is not s and new[3].owner.inputs[1].type == s.type
    assert new[4][new[0]] is not f1[s] and new[4][new[0]] == f1[s]
    assert new[4](3) == f1(3)
    assert new[4].container[new[0]].storage is new[5].container[new[0]].storage
    assert new[5](3) == f2(3)
    assert new[4].value[new[0]] == 6
    np.testing.assert_array_equal(new[6][new[2]], [2.0, 3.0, 4.0])


def test_pickle_with_a_shared_variable_keeps_it_the_functions():
    w = theano.shared(np.array([1.0, 2.0]), name="w")
    x = T.dvector("x")
    f = theano.function([x], x * w, updates={w: w + 1})
    w2, g = pickle.loads(pickle.dumps((w, f)))
    np.testing.assert_array_equal(g([1.0, 1.0]), [1.0, 2.0])
    np.testing.assert_array_equal(w2.get_value(), [2.0, 3.0])
    np.testing.assert_array_equal(w.get_value(), [1.0, 2.0])


def test_deepcopy_keeps_trust_input_name_and_defaults():
    a = T.dscalar()
    x, s = T.dscalars("xs")
    f = theano.function([x, In(a, value=1.0, name="a"),
                         In(s, value=0.0, update=s + a * x, mutable=True)], s + a * x)
    f.trust_input = True
    g = copy.deepcopy(f)
    assert g.trust_input and g.name == f.name
    assert g.maker.fgraph.name == f.maker.fgraph.name
    assert [(r, fd) for r, fd, _ in g.defaults] == [(r, fd) for r, fd, _ in f.defaults]
    assert g._check_for_aliased_inputs is f._check_for_aliased_inputs
    assert f(np.asarray(2.0)) == g(np.asarray(2.0)) == 2.0


# ------------------------------------------------------------- In(mutable=True) (Theano)


@pytest.mark.parametrize("build", [lambda a: a * 2, lambda a: T.exp(a) * 2 + 1])
def test_a_mutable_input_array_is_overwritten_and_an_immutable_one_kept(build):
    # Theano 1.0.5 (test_function.py::test_in_mutable): with mutable=True the function
    # computes in place in the caller's array; with mutable=False it leaves it alone.
    a = T.dvector()
    out = build(a)
    ref = theano.function([a], out)
    for mutable in (True, False):
        f = theano.function([In(a, mutable=mutable)], out)
        v = np.random.RandomState(0).rand(10)
        v0 = v.copy()
        np.testing.assert_allclose(f(v), ref(v0))
        assert np.array_equal(v, v0) is (not mutable)


def test_mutable_inputs_sharing_memory_are_copied_first():
    # Theano's aliasing rule (test_pfunc.py Test_aliasing_rules): the same array given for
    # two mutable inputs gives the same result as two separate arrays.
    x, y = T.dvectors("x", "y")
    m1, m2 = T.dmatrices("m1", "m2")
    f = theano.function([In(x, mutable=True), In(y, mutable=True), In(m1, mutable=True),
                         In(m2, mutable=True)], T.dot(x * 2, m1) + T.dot(y * 3, m2))
    v, m = np.arange(1.0, 6.0), np.eye(5)
    same = f(v, v, m, m)
    v, m = np.arange(1.0, 6.0), np.eye(5)
    np.testing.assert_allclose(same, f(v, v.copy(), m, m.copy()))
    np.testing.assert_allclose(same, np.arange(1.0, 6.0) * 5)


def test_a_read_only_or_strided_mutable_input_is_not_written():
    a = T.dvector()
    f = theano.function([In(a, mutable=True)], a * 2)
    ro = np.ones(3)
    ro.flags.writeable = False
    np.testing.assert_array_equal(f(ro), [2.0, 2.0, 2.0])
    base = np.ones(6)
    np.testing.assert_array_equal(f(base[::2]), [2.0, 2.0, 2.0])
    np.testing.assert_array_equal(base, np.ones(6))


def test_a_mutable_input_with_a_default_keeps_its_default():
    a = T.dvector()
    f = theano.function([In(a, value=np.ones(2), mutable=True)], a * 2)
    for _ in range(2):
        np.testing.assert_array_equal(f(), [2.0, 2.0])


def test_pickle_protocol_0_and_the_source_of_nodes():
    # Theano's test_pickle uses protocol 0 too.
    f, a, x, s = _state_function()
    g = pickle.loads(pickle.dumps(f, protocol=0))
    assert f(2.0, 1.0) == g(2.0) == 2.0
    node = g.maker.fgraph.toposort()[0]
    before = f.maker.fgraph.toposort()[0].source
    assert (node.source is None) == (before is None)
    if before is not None:
        assert node.source.frames == before.frames


def test_constructor_function_maker_compiles_theano_pickled_arguments():
    from theano.compile.function_module import _constructor_FunctionMaker
    from theano import Out

    x = T.dvector("x")
    maker = _constructor_FunctionMaker({"inputs": [In(x)], "outputs": [Out(x * 2)],
                                        "mode": None, "accept_inplace": False})
    np.testing.assert_array_equal(maker.create()(np.ones(2)), [[2.0, 2.0]])
    with theano.configparser.change_flags(unpickle_function=False):
        assert _constructor_FunctionMaker({"inputs": [], "outputs": []}) is None


def test_legacy_module_names_of_theano_compile():
    import theano.compile.debugmode as dm
    import theano.compile.function_module as fm

    assert theano.compile.gof is theano.gof and fm.theano is theano
    assert fm.graph is theano.gof.graph and dm.link is theano.gof.link
    assert theano.compile.io_connection_pattern is theano.gof.graph.io_connection_pattern
    assert list(fm.izip([1], [2])) == [(1, 2)] and fm.string_types == (str,)
    assert "gof" in dir(fm)
    with pytest.raises(AttributeError):
        fm.no_such_name  # noqa: B018


def test_a_mutable_input_of_another_dtype_than_the_result_is_not_written():
    a, b = T.fvector("a"), T.dvector("b")
    # FAST_RUN fuses the graph into one float64 loop: a's float32 buffer cannot take its
    # result.  (Without fusion exp(a) is float32 and a mutable input may take it.)
    f = theano.function([In(a, mutable=True), b], T.exp(a) * b + 1, mode=FAST_RUN)
    v = np.ones(3, "float32")
    out = f(v, np.ones(3))
    assert out.dtype == np.float64 and np.array_equal(v, np.ones(3, "float32"))
    np.testing.assert_allclose(out, np.exp(np.float32(1)) + 1, rtol=1e-6)


def test_legacy_names_of_gradient_updates_and_ifelse():
    import theano.gradient as G
    import theano.ifelse as I
    import theano.updates as U
    from theano.compile.debugmode import DebugMode

    assert G.DebugMode is DebugMode and G.FAST_RUN is theano.compile.mode.FAST_RUN
    assert G.ViewOp is theano.compile.ops.ViewOp and G.gof is theano.gof
    assert G.get_debug_values is theano.gof.op.get_debug_values
    assert U.SharedVariable is theano.compile.SharedVariable and U.logger.name == "theano.updates"
    assert I.IfElse.__module__ == "theano.ifelse" and I.optdb is theano.compile.optdb


def test_outputs_aliasing_inputs_or_constants_are_deepcopy_nodes():
    # Theano's insert_deepcopy: an output that is an input, or a constant, is a DeepCopyOp
    # node of the compiled graph, and the caller gets a fresh array each call.
    x = T.dvector("x")
    c = T.constant(np.ones(2))
    f = theano.function([x], [x, c])
    assert [type(n.op).__name__ for n in f.maker.fgraph.toposort()] == ["DeepCopyOp"] * 2
    a = np.arange(3.0)
    got_x, got_c = f(a)
    np.testing.assert_array_equal(got_x, a)
    assert not np.shares_memory(got_x, a)
    got_c[0] = 5.0
    np.testing.assert_array_equal(f(a)[1], np.ones(2))
    # Borrowing both sides needs no copy (Theano put a ViewOp there).
    g = theano.function([In(x, borrow=True)], theano.Out(x, borrow=True))
    assert not any(type(n.op).__name__ == "DeepCopyOp" for n in g.maker.fgraph.toposort())
    assert np.shares_memory(g(a), a)


def test_fn_without_arguments_runs_on_the_input_storage():
    # Theano's VM call: inputs read from f.input_storage, every output (the update's too)
    # written to f.output_storage, no update applied.
    x = T.dvector("x")
    s = theano.shared(np.array([1.0, 2.0]))
    f = theano.function([x], x * 2, updates=[(s, s + x)])
    f.input_storage[0].storage[0] = np.array([3.0, 4.0])
    f.fn()
    assert [c.value.tolist() for c in f.output_storage] == [[6.0, 8.0], [4.0, 6.0]]
    assert s.get_value().tolist() == [1.0, 2.0]
    assert f.fn(np.array([1.0, 1.0]), np.array([0.0, 0.0]))[0].tolist() == [2.0, 2.0]
