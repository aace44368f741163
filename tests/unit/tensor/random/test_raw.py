"""RandomStreams.choice / raw_random.choice (theano_compat/tensor/random/raw.py) as
Theano 1.0.5: any false ``p`` (0, None, [], an array holding one zero) means "no p"
(uniform draws).  Draws recorded with ../shared/tools/theano-ref (seed 123)."""

import pickle

import numpy as np
import pytest
from theano.tensor import raw_random
from theano.tensor.shared_randomstreams import RandomStreams

import theano
import theano.tensor as T
from theano_compat.tensor.random import raw as _raw


@pytest.mark.parametrize("p", [None, 0, 0.0, [], (), np.array([0.0])])
def test_choice_with_a_false_p_draws_uniformly(p):
    rs = RandomStreams(seed=123)
    c = rs.choice(size=(5,), a=3, p=p)
    f = theano.function([], c)
    assert c.dtype == "int64" and c.broadcastable == (False,)
    assert f().tolist() == [0, 0, 2, 0, 1]
    assert f().tolist() == [1, 2, 2, 1, 2]


def test_choice_without_replacement_and_with_weights():
    rs = RandomStreams(seed=123)
    f = theano.function([], rs.choice(size=(2, 3), a=10, replace=False, p=0))
    assert f().tolist() == [[9, 7, 1], [3, 2, 5]]
    assert f().tolist() == [[9, 7, 3], [0, 8, 1]]
    rs = RandomStreams(seed=123)
    f = theano.function([], rs.choice(size=(4,), a=3, p=[0.1, 0.2, 0.7]))
    assert f().tolist() == [2, 2, 1, 2]
    assert f().tolist() == [2, 2, 2, 2]


# ----------------------------------------------------------------------------- binomial(1, p)
# RandomFunction draws binomial(n=1, p) in one vectorised pass (raw.py `_binomial_one`) and
# copies the RandomState without NumPy's state dictionaries (`_copy_random_state`); the
# reference for both is NumPy's own RandomState (and Theano 1.0.5's recorded draws).

def test_binomial_in_scan_matches_theano_105():
    # printed by ../shared/tools/theano-ref (Theano 1.0.5, NumPy 1.23)
    rs = RandomStreams(seed=2024)
    h0 = T.matrix("h0", dtype="float64")

    def step(h):
        m = T.nnet.sigmoid(T.dot(h, np.eye(4)) * 3 - 1)
        return rs.binomial(size=m.shape, n=1, p=m, dtype="float64")

    out, upd = theano.scan(step, outputs_info=[h0], n_steps=3)
    f = theano.function([h0], out, updates=upd)
    h = np.asarray([[0.1, 0.9, 0.5, 0.3], [0.7, 0.2, 0.95, 0.05]])
    assert f(h).astype(int).tolist() == [
        [[0, 1, 1, 1], [1, 0, 1, 0]], [[0, 1, 1, 0], [1, 0, 1, 0]],
        [[0, 1, 1, 0], [1, 1, 0, 1]]]
    assert f(h).astype(int).tolist() == [
        [[0, 0, 0, 0], [1, 0, 1, 0]], [[0, 0, 0, 0], [1, 0, 1, 0]],
        [[0, 0, 0, 0], [1, 0, 1, 0]]]


def test_binomial_scalar_p_matches_theano_105():
    rs = RandomStreams(seed=7)
    g = theano.function([], rs.binomial(size=(3, 5), n=1, p=0.7, dtype="int8"))
    assert g().tolist() == [[1, 1, 1, 1, 1], [1, 1, 0, 0, 1], [1, 0, 0, 1, 1]]
    assert g().tolist() == [[1, 1, 1, 1, 0], [1, 1, 0, 1, 1], [1, 1, 0, 1, 1]]


def _p_values(kind, rng, shape):
    if kind == "uniform":
        return rng.rand(*shape)
    if kind == "float32":
        return rng.rand(*shape).astype("float32")
    if kind == "extremes":  # 0, 1, 0.5, just above 0.5, tiny
        return np.choose(rng.randint(0, 5, shape),
                         [0.0, 1.0, 0.5, np.nextafter(0.5, 1.0), 1e-300])
    if kind == "saturated":
        return 1.0 / (1.0 + np.exp(-10.0 * rng.randn(*shape)))
    if kind == "row":
        return rng.rand(shape[-1])
    return np.float64(rng.rand())  # "scalar"


@pytest.mark.parametrize("kind", ["uniform", "float32", "extremes", "saturated", "row",
                                  "scalar"])
def test_binomial_one_draws_numpys_numbers_and_advances_its_stream(kind):
    shape = (20, 37)
    p = _p_values(kind, np.random.RandomState(11), shape)
    pv = T.as_tensor_variable(p)
    r = raw_random.random_state_type()
    post, out = raw_random.binomial(r, size=shape, n=1, p=pv, dtype="float64")
    f = theano.function([r], [post, out])
    ref = np.random.RandomState(99)
    expected = ref.binomial(1, p, size=shape).astype("float64")
    start = np.random.RandomState(99)
    new_r, got = f(start)
    np.testing.assert_array_equal(got, expected)
    # the given state is left as it was; the new one continues NumPy's stream
    np.testing.assert_array_equal(start.random_sample(4),
                                  np.random.RandomState(99).random_sample(4))
    np.testing.assert_array_equal(new_r.random_sample(6), ref.random_sample(6))


def test_binomial_one_without_size_uses_the_shape_of_p():
    p = np.random.RandomState(3).rand(4, 6)
    got = _raw._binomial_one(np.random.RandomState(5), np.int8(1), p, None)
    np.testing.assert_array_equal(got, np.random.RandomState(5).binomial(1, p))


def test_binomial_one_near_a_tie_rewinds_and_lets_numpy_draw(monkeypatch):
    shape = (3, 4)
    u = np.random.RandomState(8).random_sample(shape)
    p = np.random.RandomState(4).rand(*shape) * 0.5
    k = np.unravel_index(np.argmax(u), shape)  # u[k] > 0.5: p = 1 - u[k] puts q on u[k]
    p[k] = 1.0 - u[k]
    restores = []
    real_restore = _raw._mt_restore
    monkeypatch.setattr(_raw, "_mt_restore", lambda r, s: (restores.append(1), real_restore(r, s)))
    rng = np.random.RandomState(8)
    got = _raw._binomial_one(rng, np.int8(1), p, shape)
    ref = np.random.RandomState(8)
    np.testing.assert_array_equal(got, ref.binomial(1, p, size=shape))
    assert restores == [1]
    np.testing.assert_array_equal(rng.random_sample(5), ref.random_sample(5))


@pytest.mark.parametrize("n, p", [(2, 0.3), (np.int8(1), 1.5), (1.0, 0.3), (1, np.nan)])
def test_binomial_one_leaves_other_draws_to_numpy(n, p):
    rng = np.random.RandomState(1)
    assert _raw._binomial_one(rng, np.asarray(n), np.asarray(p), (3,)) is None
    np.testing.assert_array_equal(rng.random_sample(3), np.random.RandomState(1).random_sample(3))


def test_binomial_one_errors_are_numpys():
    r = raw_random.random_state_type()
    post, out = raw_random.binomial(r, size=(2,), n=1, p=T.dvector())
    f = theano.function([r, out.owner.inputs[3]], out)
    with pytest.raises(ValueError, match="p < 0, p > 1 or p contains NaNs"):
        f(np.random.RandomState(0), np.asarray([0.5, 1.5]))


@pytest.mark.parametrize("normals", [0, 1, 2])
def test_copy_random_state_is_an_independent_exact_copy(normals):
    src = np.random.RandomState(31)
    src.random_sample(700)  # past one regeneration of the 624-word state
    src.standard_normal(normals)  # an odd count leaves a cached Gaussian
    ref = np.random.RandomState(0)
    ref.set_state(src.get_state())  # NumPy's own state transfer
    new = _raw._copy_random_state(src)
    assert new is not src and new._bit_generator is not src._bit_generator
    a, b = new.get_state(), ref.get_state()
    assert a[0] == b[0] and a[2:] == b[2:]
    np.testing.assert_array_equal(a[1], b[1])
    assert pickle.dumps(new) == pickle.dumps(ref)
    np.testing.assert_array_equal(new.standard_normal(5), ref.standard_normal(5))
    np.testing.assert_array_equal(src.standard_normal(5), _next_normals(normals))


def _next_normals(normals):
    """The next 5 normals of the test above's source, had it not been copied."""
    r = np.random.RandomState(31)
    r.random_sample(700)
    r.standard_normal(normals)
    return r.standard_normal(5)


def test_without_the_fast_paths_draws_are_the_same(monkeypatch):
    # where the first-use check of the fast copy fails, NumPy's own API does the work
    p = np.random.RandomState(2).rand(5, 6)
    r = raw_random.random_state_type()
    post, out = raw_random.binomial(r, size=(5, 6), n=1, p=p, dtype="int64")
    f = theano.function([r], [post, out])
    fast = f(np.random.RandomState(12))
    monkeypatch.setitem(_raw._FAST, "ok", False)
    slow = f(np.random.RandomState(12))
    np.testing.assert_array_equal(fast[1], np.random.RandomState(12).binomial(1, p))
    np.testing.assert_array_equal(slow[1], fast[1])
    np.testing.assert_array_equal(slow[0].random_sample(3), fast[0].random_sample(3))
