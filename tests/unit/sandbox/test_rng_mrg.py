"""theano.sandbox.rng_mrg: Theano's module names over this project's MRG generator."""

import numpy as np
import theano
import theano.tensor as T
from theano.sandbox import rng_mrg


def test_theano_names_of_the_module():
    assert rng_mrg.MRG_RandomStreams is theano.tensor.random.mrg_streams.MRG_RandomStreams
    # L'Ecuyer's MRG31k3p constants (Theano's values)
    assert (rng_mrg.M1, rng_mrg.M2) == (2147483647, 2147462579)
    assert (rng_mrg.MASK12, rng_mrg.MASK13, rng_mrg.MASK2, rng_mrg.MULT2) == (
        511, 16777215, 65535, 21069)
    assert [int(v) for v in rng_mrg.np_int32_vals] == [0, 7, 9, 15, 16, 22, 24]
    assert all(v.dtype == np.int32 for v in rng_mrg.np_int32_vals)
    assert rng_mrg.multinomial is theano.sandbox.multinomial
    assert rng_mrg.theano is theano and rng_mrg.tensor is T
    assert rng_mrg.xrange is range
    assert (rng_mrg.bool_t.dtype, rng_mrg.int_t.dtype) == ("bool", "int32")


def test_make_inplace_rewrite_never_applies():
    rng = rng_mrg.MRG_RandomStreams(1)
    u = rng.uniform((3,))
    node = [v for v in theano.gof.graph.ancestors([u])
            if v.owner is not None and isinstance(v.owner.op, rng_mrg.mrg_uniform_base)][0].owner
    assert rng_mrg.mrg_random_make_inplace.transform(node) is False


def test_an_empty_size_draws_one_scalar_sample():
    # Theano accepted size=() (as_tensor_variable makes it a float64 vector) for a 0-d draw.
    rng = rng_mrg.MRG_RandomStreams(234)
    for draw in (rng.uniform(()), rng.binomial(size=(), p=0.5), rng.normal(())):
        assert draw.type.ndim == 0
        value = theano.function([], draw)()
        assert np.asarray(value).shape == ()
    f = theano.function([], rng.uniform(()))
    first, second = f(), f()
    assert 0.0 < first < 1.0 and 0.0 < second < 1.0 and first != second  # the state moves
    low = T.dscalar()
    try:
        theano.grad(rng.uniform((), low=low), low)
    except theano.gradient.NullTypeGradError:
        pass
    else:
        raise AssertionError("the gradient of a draw w.r.t. its bounds is undefined")
