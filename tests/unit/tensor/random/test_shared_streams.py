"""RandomStreams (theano.tensor.shared_randomstreams) against Theano 1.0.5 and NumPy.

References: golden draws recorded under the original Theano 1.0.5 (tests/golden/
make_rng.py, make_rng_extra.py, seed3_examples), run unchanged here per floatX in a
subprocess; direct calls of numpy.random.RandomState seeded the way Theano seeded each
variable (``RandomState(seed).randint(2**30)`` per variable, in creation order); and the
numbers printed in the tutorial.
"""

import json
import os
import subprocess
import sys

import numpy as np
import pytest
import theano.tensor as T
from theano.tensor import raw_random
from theano.tensor.shared_randomstreams import RandomStreams

import theano
from theano import function
from theano_compat.config import change_flags

from tests.support.paths import GOLDEN, ROOT
FLOATX = ("float64", "float32")


def _load(name):
    with open(os.path.join(GOLDEN, name)) as fh:
        return json.load(fh)


def _run_script(name, floatx):
    env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""),
               THEANO_FLAGS=f"floatX={floatx}")
    proc = subprocess.run([sys.executable, os.path.join(GOLDEN, name)], env=env,
                          capture_output=True, text=True, timeout=300, cwd=GOLDEN)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout)


@pytest.fixture(scope="module")
def golden_runs():
    return {(script, fx): _run_script(script, fx)
            for script in ("make_rng.py", "make_rng_extra.py") for fx in FLOATX}


def _keys(name, prefix):
    return sorted(k for k in _load(name) if k.startswith(prefix))


@pytest.mark.parametrize("floatx", FLOATX)
@pytest.mark.parametrize("key", _keys("rng_floatX_float64.json", "RandomStreams_"))
def test_golden_draws_bit_exact(golden_runs, floatx, key):
    assert golden_runs[("make_rng.py", floatx)][key] == _load(f"rng_floatX_{floatx}.json")[key]


@pytest.mark.parametrize("floatx", FLOATX)
@pytest.mark.parametrize("key", _keys("rng_extra_floatX_float64.json", "RS_"))
def test_extra_golden_draws_bit_exact(golden_runs, floatx, key):
    ref = _load(f"rng_extra_floatX_{floatx}.json")[key]
    assert golden_runs[("make_rng_extra.py", floatx)][key] == ref


# ----------------------------------------------------------------------------- tutorial


def test_copying_random_state_between_graphs():
    """The tutorial's example: f1 gives 0.72803009, f2 0.55056769; after copying the
    state both give 0.59044123."""

    class Graph:
        def __init__(self, seed=123):
            self.rng = RandomStreams(seed)
            self.y = self.rng.uniform(size=(1,))

    with change_flags(floatX="float64"):
        g1 = Graph(seed=123)
        f1 = theano.function([], g1.y)
        g2 = Graph(seed=987)
        f2 = theano.function([], g2.y)
        np.testing.assert_allclose(f1(), [0.72803009], rtol=0, atol=5e-9)
        np.testing.assert_allclose(f2(), [0.55056769], rtol=0, atol=5e-9)
        for su1, su2 in zip(g1.rng.state_updates, g2.rng.state_updates):
            su2[0].set_value(su1[0].get_value())
        r1, r2 = f1(), f2()
    np.testing.assert_allclose(r1, [0.59044123], rtol=0, atol=5e-9)
    assert r1.tolist() == r2.tolist()
    with open(os.path.join(GOLDEN, "seed3_examples.theano105.out")) as fh:
        lines = fh.read().splitlines()
    ref = {line.split()[1]: json.loads(lines[i + 1]) for i, line in enumerate(lines)
           if line.startswith("[golden] rs_graph_")}
    assert r1.tolist() == ref["rs_graph_f1_after_copy"] == ref["rs_graph_f2_after_copy"]


def test_tutorial_rng_state_manipulation():
    srng = RandomStreams(seed=234)
    rv_u = srng.uniform((2, 2))
    f = function([], rv_u)
    nearly_zeros = function([], rv_u + rv_u - 2 * rv_u)
    assert not nearly_zeros().any()  # one draw per call, however often rv_u appears
    rng_val = rv_u.rng.get_value(borrow=True)
    assert srng[rv_u.rng] is rng_val  # the live object
    rng_val.seed(89234)
    rv_u.rng.set_value(rng_val, borrow=True)
    want = np.random.RandomState(89234).uniform(size=(2, 2))
    assert f().tolist() == want.tolist()
    state = rv_u.rng.get_value().get_state()
    v1 = f()
    rng = rv_u.rng.get_value(borrow=True)
    rng.set_state(state)
    srng[rv_u.rng] = rng
    assert f().tolist() == v1.tolist()


# ----------------------------------------------------------------------------- seeding


def _seeds(seed, n):
    gen = np.random.RandomState(seed)
    return [int(gen.randint(2**30)) for _ in range(n)]


def test_each_variable_draws_from_its_own_seeded_randomstate():
    with change_flags(floatX="float64"):
        srng = RandomStreams(666)
        outs = [srng.uniform((2, 3), low=-1.0, high=2.0), srng.normal((4,), avg=1.0, std=2.0),
                srng.binomial((5,), n=3, p=0.25), srng.random_integers((3,), 2, 7),
                srng.choice((4,), a=9, replace=False), srng.poisson((3,), lam=2.5),
                srng.permutation((2,), n=4), srng.multinomial((2,), n=5, pvals=[0.3, 0.7])]
        f = function([], outs)
        got = [f(), f()]
    s = [np.random.RandomState(v) for v in _seeds(666, len(outs))]
    for call in range(2):
        want = [s[0].uniform(-1.0, 2.0, (2, 3)), s[1].normal(1.0, 2.0, (4,)),
                s[2].binomial(3, 0.25, (5,)),
                np.array([s[3].randint(2, 8) for _ in range(3)]),
                s[4].choice(9, (4,), False), s[5].poisson(2.5, (3,)),
                np.array([s[6].permutation(4) for _ in range(2)]),
                np.array([s[7].multinomial(5, [0.3, 0.7]) for _ in range(2)])]
        for k, (g, w) in enumerate(zip(got[call], want)):
            assert g.tolist() == np.asarray(w).tolist(), k
            assert str(g.dtype) == ("float64" if k < 2 else "int64")


def test_seed_reseeds_existing_variables_only():
    srng = RandomStreams(10)
    u = srng.uniform((3,))
    n = srng.normal((3,))
    f = function([], [u, n])
    f()
    srng.seed(42)
    s = [np.random.RandomState(v) for v in _seeds(42, 2)]
    assert [v.tolist() for v in f()] == [s[0].uniform(size=3).tolist(),
                                         s[1].normal(size=3).tolist()]
    later = srng.uniform((2,))  # the construction-time seed generator goes on
    assert function([], later)().tolist() == \
        np.random.RandomState(_seeds(10, 3)[2]).uniform(size=2).tolist()
    srng.seed()  # back to the instance seed
    s = [np.random.RandomState(v) for v in _seeds(10, 3)]
    assert function([], [u, n, later])()[2].tolist() == s[2].uniform(size=2).tolist()


def test_updates_default_update_and_no_default_updates():
    srng = RandomStreams(3)
    u = srng.uniform((2,))
    rng, new_rng = u.update
    assert u.rng is rng and rng.default_update is new_rng and rng.tag.is_rng
    assert srng.updates() == [u.update] and srng.updates() is not srng.state_updates
    frozen = function([], u, no_default_updates=True)
    assert frozen().tolist() == frozen().tolist()
    only_listed = function([], u, no_default_updates=[rng])
    assert only_listed().tolist() == frozen().tolist()
    moving = function([], u)
    assert moving().tolist() != moving().tolist()
    assert isinstance(rng.get_value(), np.random.RandomState)
    assert rng.get_value() is not rng.get_value(borrow=True)


# ----------------------------------------------------------------------------- shapes


def test_symbolic_and_borrowed_sizes():
    srng = RandomStreams(5)
    x = T.matrix()
    xs = np.zeros((3, 4), dtype=theano.config.floatX)
    n = T.lscalar()
    b = srng.binomial(size=x.shape, p=0.5, dtype=theano.config.floatX)
    u = srng.uniform(size=(n, 2))
    v = srng.uniform(size=(2, -1), low=T.vector())
    p = srng.permutation(size=x.shape[:1], n=x.shape[1], ndim=1)
    f = function([x, n, v.owner.inputs[2]], [b, u, v, p])
    rb, ru, rv, rp = f(xs, 5, np.zeros(6, dtype=theano.config.floatX))
    assert rb.shape == (3, 4) and ru.shape == (5, 2) and rv.shape == (2, 6)
    assert rp.shape == (3, 4) and sorted(rp[1].tolist()) == [0, 1, 2, 3]
    assert srng.uniform((1, 3)).broadcastable == (True, False)
    assert srng.binomial((1, 3)).broadcastable == (False, False)  # as Theano
    with pytest.raises(ValueError):
        srng.uniform((2, 3), ndim=3)
    with pytest.raises(ValueError):
        srng.uniform((2,), low=np.zeros((2, 2)))
    with pytest.raises(ValueError):
        srng.permutation((2, 3), n=3, ndim=3)
    with pytest.raises(TypeError):
        srng.permutation(n=3, ndim=2)
    with pytest.raises(ValueError):
        srng.uniform(T.lvector())


def test_broadcast_arguments_and_size_none():
    srng = RandomStreams(12)
    avg = np.array([[0.0], [10.0]])
    std = np.array([1.0, 2.0, 3.0])
    out = srng.normal(avg=avg, std=std)
    assert out.ndim == 2
    got = function([], out)()
    want = np.random.RandomState(_seeds(12, 1)[0]).normal(avg, std, size=(2, 3))
    assert got.tolist() == want.tolist()


def test_random_integers_equals_theano_per_element_loop():
    """Theano called randint(low[i], high[i] + 1) element by element, broadcasting."""
    low = np.array([[0], [2]])
    high = np.array([[3, 9, 20]])
    rs = np.random.RandomState(4)
    got = raw_random.random_integers_helper(np.random.RandomState(4), low, high, None)
    want = np.empty((2, 3))
    for i in range(2):
        for j in range(3):
            want[i, j] = rs.randint(low=low[i, 0], high=high[0, j] + 1)
    assert got.tolist() == want.tolist() and got.dtype == np.float64
    rs = np.random.RandomState(4)
    got = raw_random.random_integers_helper(np.random.RandomState(4), np.asarray(3),
                                            np.asarray(3), (2, 2))
    assert got.tolist() == [[3.0, 3.0], [3.0, 3.0]]


def test_multinomial_scales_rows_summing_just_above_one():
    pv = np.array([0.3, 0.3, 0.400001])  # sums to 1 + 1e-6: NumPy alone would refuse
    got = raw_random.multinomial_helper(np.random.RandomState(2), np.asarray(4), pv, (3,))
    rs = np.random.RandomState(2)
    want = [rs.multinomial(4, pv * (1 - 5e-5)) for _ in range(3)]
    assert got.tolist() == np.asarray(want).tolist()


def test_shuffle_row_elements_and_permute_row_elements():
    srng = RandomStreams(21)
    m = T.matrix()
    shuffled = srng.shuffle_row_elements(m)
    f = function([m], [shuffled, shuffled.permutation])
    mv = np.arange(12, dtype=theano.config.floatX).reshape(3, 4)
    out, perm = f(mv)
    assert out.tolist() == np.take_along_axis(mv, perm, axis=1).tolist()
    rs = np.random.RandomState(_seeds(21, 1)[0])
    assert perm.tolist() == [rs.permutation(4).tolist() for _ in range(3)]
    # inverse undoes the permutation; one permutation broadcasts over rows
    y = T.lvector()
    inv = function([m, y], T.permute_row_elements(T.permute_row_elements(m, y), y, 1))
    assert inv(mv, [2, 0, 3, 1]).tolist() == mv.tolist()
    g = theano.grad((T.permute_row_elements(m, y) * np.arange(4.0)).sum(), m)
    gv = function([m, y], g)(mv, [2, 0, 3, 1])
    assert gv.tolist() == [[1.0, 3.0, 0.0, 2.0]] * 3


def test_raw_random_functions_with_an_explicit_rng():
    """The raw_random API legacy code uses directly (an rng shared variable + update)."""
    rng = theano.shared(np.random.RandomState(77))
    new_rng, draw = raw_random.uniform(rng, size=(3,), low=0.0, high=2.0)
    f = function([], draw, updates=[(rng, new_rng)])
    rs = np.random.RandomState(77)
    assert f().tolist() == rs.uniform(0.0, 2.0, (3,)).astype(theano.config.floatX).tolist()
    assert f().tolist() == rs.uniform(0.0, 2.0, (3,)).astype(theano.config.floatX).tolist()
    assert str(draw.owner.op) == "RandomFunction{uniform}"
    assert isinstance(rng.type, raw_random.RandomStateType)
