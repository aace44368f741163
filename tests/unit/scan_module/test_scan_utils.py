"""theano.scan_module.scan_utils (theano_compat/scan_module/scan_utils.py): the helpers
of scan, with Theano 1.0.5's semantics (values recorded with ../shared/tools/theano-ref,
or computed here with NumPy)."""

import itertools

import numpy as np
import pytest

import theano
import theano.tensor as T
from theano.scan_module import scan_utils as su
from theano.tensor.type_other import NoneConst


def _replacer(graph):
    return getattr(graph.tag, "replacement", graph)


def test_safe_new_copies_type_name_and_test_value():
    x = T.dmatrix("x")
    x.tag.test_value = np.ones((2, 2))
    with theano.configparser.change_flags(compute_test_value="raise"):
        new = su.safe_new(x, "_copy")
    assert new is not x and new.owner is None
    assert new.type == x.type and new.name == "x_copy"
    assert np.array_equal(new.tag.test_value, np.ones((2, 2)))
    c = T.constant(np.arange(3.0))
    copied = su.safe_new(c)
    assert copied is not c and np.array_equal(copied.data, c.data)
    as_f32 = su.safe_new(T.dvector("v"), dtype="float32")
    assert as_f32.type.dtype == "float32"


def test_clone_replaces_at_once_and_copies_inputs_unless_shared():
    x, y, y2 = T.dvector("x"), T.dvector("y"), T.dvector("y2")
    z = theano.shared(0.25)
    f1 = z * (x + y) ** 2 + 5
    shared = su.clone(f1, replace=[(y, y2)], share_inputs=True)
    inputs = theano.gof.graph.inputs([shared])
    assert x in inputs and y2 in inputs and y not in inputs and z in inputs
    copied = su.clone(f1, replace=[(y, y2)], share_inputs=False)
    inputs = theano.gof.graph.inputs([copied])
    assert not any(v in inputs for v in (x, y, y2, z))
    # A replacement is not replaced in turn: x -> y and y -> x swap them.
    swapped = su.clone(x - y, replace={x: y, y: x})
    assert theano.function([x, y], swapped)([1.0], [3.0]).tolist() == [2.0]
    with pytest.raises(ValueError):
        su.clone(f1, replace=3)


def test_map_variables_replaces_leaves_and_computed_variables():
    a, b, c = T.scalars("a", "b", "c")
    b.tag.replacement = c
    u = a + b
    (v,) = su.map_variables(_replacer, [u])
    assert u.owner.inputs == [a, b]
    assert v.owner.inputs == [a, c]


def test_map_variables_inside_scan():
    x, y, z = T.vector("x"), T.scalar("y"), T.scalar("z")
    y.tag.replacement = z
    s, _ = theano.scan(lambda x: x * y, sequences=x)
    (s2,) = su.map_variables(_replacer, [s])
    f = theano.function([x, y, z], [s, s2])
    got = f(np.array([1, 2, 3], dtype=theano.config.floatX), 1, 2)
    assert np.array_equal(got, [[1, 2, 3], [2, 4, 6]])


def test_map_variables_brings_outer_variables_into_the_inner_graph():
    x = T.vector("x")
    outer = T.scalar("outer")
    shared = theano.shared(np.array(1.0, dtype=theano.config.floatX), name="shared")
    z = outer * (shared + T.constant(1, name="constant"))  # 1 for outer = 0.5

    def step(x, a):
        r = a + x
        r.tag.replacement = z * (a - x)
        return r

    s, _ = theano.scan(step, sequences=x, outputs_info=[np.array(0.0)])
    t = z * s
    (s2,) = su.map_variables(_replacer, [t])
    f = theano.function([x, outer], [t, z * s2])
    got = f(np.array([1, 2, 3], dtype=theano.config.floatX), 0.5)
    # cumulative sums, and cumulative differences: NumPy's cumsum of +x and -x
    assert np.array_equal(got, [np.cumsum([1, 2, 3]), -np.cumsum([1, 2, 3])])


def test_map_variables_refuses_a_shared_variable_with_an_update_in_a_loop():
    x = T.vector("x")
    counter = theano.shared(0, name="counter")
    counter.update = counter + 1

    def step(x, a):
        r = a + x
        r.tag.replacement = counter * (a - x)
        return r

    s, _ = theano.scan(step, sequences=x, outputs_info=[np.array(0.0)])
    with pytest.raises(NotImplementedError, match="update"):
        su.map_variables(_replacer, [s])


def test_equal_computations():
    assert su.equal_computations([NoneConst], [NoneConst])
    m = T.matrix()
    assert su.equal_computations(T.max_and_argmax(m), T.max_and_argmax(m))
    x, y = T.dvectors("x", "y")
    assert not su.equal_computations([x + 1], [y + 1])
    assert su.equal_computations([x + 1], [y + 1], [x], [y])
    assert not su.equal_computations([x + 1], [x + 2])
    assert not su.equal_computations([x * 2], [x + 2])


def test_infer_shape_without_compiling():
    w, v = T.dmatrix("w"), T.dvector("v")
    (shape,) = su.infer_shape([T.dot(w, v) + 1], [w, v],
                              [(T.constant(5), T.constant(3)), (T.constant(3),)])
    assert [int(s.eval()) for s in shape] == [5]  # Theano 1.0.5: [5]


def test_is_nan_or_inf_or_none():
    cases = (None, np.nan, np.inf, 3, T.constant(np.inf), T.constant(2.0))
    # Theano 1.0.5: [True, True, True, False, True, False]
    assert [bool(su.isNaN_or_Inf_or_None(v)) for v in cases] == [True, True, True, False,
                                                                 True, False]


def test_hash_lists_dicts_tuples_xors_the_elements():
    value = [1, (2, 3), {4: 5}]
    assert su.hash_listsDictsTuples(value) == hash(1) ^ hash(2) ^ hash(3) ^ hash(4) ^ hash(5)


def test_expand_empty_adds_rows_after_the_value():
    v = T.dvector("v")
    got = theano.function([v], su.expand_empty(v, 3))(np.arange(4.0))
    assert got.shape == (7,)  # Theano 1.0.5: (7,)
    assert got[:4].tolist() == [0.0, 1.0, 2.0, 3.0]
    assert su.expand_empty(v, 0) is v


def test_get_updates_and_outputs():
    v = T.dvector("v")
    s = theano.shared(0.0)
    cond, outs, upd = su.get_updates_and_outputs((v * 2, theano.scan_module.until(v.sum() > 1)))
    assert cond is not None and len(outs) == 1 and not upd  # Theano 1.0.5: [True, 1, 0]
    cond, outs, upd = su.get_updates_and_outputs(([v], {s: s + 1}))
    assert cond is None and outs == [v] and list(upd) == [s]
    with pytest.raises(ValueError):
        su.get_updates_and_outputs(({s: s + 1}, [v]))
    with pytest.raises(ValueError):
        su.get_updates_and_outputs((v, 3))


def test_forced_replace_replaces_equal_subgraphs():
    v, y = T.dvector("v"), T.dvector("y")
    sig = T.nnet.sigmoid(v)
    out = su.forced_replace(sig * (1 - sig), T.nnet.sigmoid(v), y)
    assert v not in theano.gof.graph.inputs([out])
    got = theano.function([y], out)(np.array([3.0, 0.5]))
    assert got.tolist() == [3.0 * (1 - 3.0), 0.5 * (1 - 0.5)]
    assert su.forced_replace(None, v, y) is None


def test_validator_builds_equivalents_over_valid_variables():
    x, y, x2 = T.dvectors("x", "y", "x2")
    validator = su.Validator(valid=[y], invalid=[], valid_equivalent={x: x2})
    out, ok = validator.check((x + y) * 2)
    assert not ok and x not in theano.gof.graph.inputs([out])
    assert theano.function([x2, y], out)([1.0], [2.0]).tolist() == [6.0]
    assert validator.check(y * 30)[1] is True
    # A constant of the tensor constant cache is replaced by a copy (Theano 1.0.5: False).
    assert validator.check(y * 3)[1] is False
    assert su.Validator(invalid=[x]).check(x + 1) is None


def _mitsot_sitsot_nitsot_scan():
    def step(seq, m3, m1, s1, ns):
        total = seq + m3 + m1 + s1 + ns
        return total, total, total * 2

    inputs = [T.dvector("seq"), T.dvector("m0"), T.dscalar("s0"), T.dscalar("ns")]
    seq, m0, s0, ns = inputs
    outs, _ = theano.scan(step, sequences=[seq],
                          outputs_info=[dict(initial=m0, taps=[-3, -1]), s0, None],
                          non_sequences=[ns])
    return outs[0].owner.inputs[0].owner, inputs


def test_scan_args_sorts_a_nodes_inputs_and_outputs_by_kind():
    node, _ = _mitsot_sitsot_nitsot_scan()
    args = su.scan_args(node.inputs, node.outputs, node.op.inputs, node.op.outputs,
                        node.op.info)
    assert args.mit_sot_in_slices == [[-3, -1]]
    assert len(args.inner_in_mit_sot[0]) == 2 and len(args.inner_in_sit_sot) == 1
    assert len(args.inner_out_nit_sot) == 1 and len(args.outer_in_nit_sot) == 1
    assert args.outer_in_non_seqs == [node.inputs[-1]]
    assert args.info["tap_array"] == [[-3, -1], [-1]]
    assert args.outer_inputs == node.inputs and args.outer_outputs == node.outputs
    rebuilt = theano.scan_module.scan_op.Scan(args.inner_inputs, args.inner_outputs, args.info)
    assert rebuilt == node.op  # the same loop over a copy of the inner graph
    merged = args.merge(args)
    assert len(merged.outer_in_seqs) == 2 and len(args.outer_in_seqs) == 1


def test_compress_outs_and_scan_can_remove_outs():
    node, inputs = _mitsot_sitsot_nitsot_scan()
    op = node.op
    # The nit_sot (output 2) feeds nothing recurrent: it can go; a state cannot.
    assert su.scan_can_remove_outs(op, [2]) == ([2], [])
    assert su.scan_can_remove_outs(op, [0]) == ([], [0])
    ins, outs, info, node_ins, mapping = su.compress_outs(op, [2], node.inputs)
    assert info["n_nit_sot"] == 0 and info["n_mit_sot"] == 1 and info["n_sit_sot"] == 1
    assert len(outs) == 2 and dict(mapping) == {0: 0, 1: 1}
    new = theano.scan_module.scan_op.Scan(ins, outs, info)(*node_ins, return_list=True)
    f = theano.function(inputs, [new[0], new[1], node.outputs[0], node.outputs[1]])
    got = f(np.arange(4.0), np.ones(3), 2.0, 0.5)
    assert np.array_equal(got[0], got[2]) and np.array_equal(got[1], got[3])
    # NumPy: the state s runs s_t = seq_t + m_{t-3} + m_{t-1} + s_{t-1} + 0.5.
    m, s = [1.0, 1.0, 1.0], [2.0]
    for t in range(4):
        total = t + m[-3] + m[-1] + s[-1] + 0.5
        m.append(total)
        s.append(total)
    assert np.allclose(got[1], s) and np.allclose(got[0], m)


def test_reconstruct_graph_gives_new_inputs():
    x, y = T.dvectors("x", "y")
    new_in, new_out = su.reconstruct_graph([x, y], [x * y + 1], tag="_r")
    assert [v.name for v in new_in] == ["x_r", "y_r"]
    assert set(theano.gof.graph.inputs(new_out)) - {v for v in theano.gof.graph.inputs(new_out)
                                                    if isinstance(v, theano.Constant)} \
        == set(new_in)
    assert theano.function(new_in, new_out[0])([2.0], [3.0]).tolist() == [7.0]


def test_opfromgraph_in_map_variables_keeps_its_values():
    a, b = T.scalars("a", "b")
    op = theano.OpFromGraph([a, b], [a + b])
    c, d = T.scalars("c", "d")
    t = op(c, d) * 2
    (v,) = su.map_variables(lambda g: g, [t])
    f = theano.function([c, d], v)
    for m, n in itertools.combinations(range(4), 2):
        assert f(m, n) == 2 * (m + n)
