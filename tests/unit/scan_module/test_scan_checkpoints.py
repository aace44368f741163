"""theano.scan_module.scan_checkpoints (theano_compat/scan_module/scan_checkpoints.py):
the same values and gradients as the plain scan (A ** k, Theano's own test case)."""

import numpy as np
import pytest

import theano
import theano.tensor as T
from theano.scan_module.scan_checkpoints import scan_checkpoints


@pytest.mark.parametrize("k, every", [(101, 100), (7, 3), (6, 3)])
def test_values_and_gradient_match_the_plain_scan(k, every):
    n, A = T.iscalar("k"), T.dvector("A")
    plain, _ = theano.scan(lambda prior, A: prior * A, outputs_info=T.ones_like(A),
                           non_sequences=A, n_steps=n)
    check, _ = scan_checkpoints(lambda prior, A: prior * A, outputs_info=T.ones_like(A),
                                non_sequences=A, n_steps=n, save_every_N=every)
    f = theano.function([A, n], [plain[-1], check[-1], T.grad(plain[-1].sum(), A),
                                 T.grad(check[-1].sum(), A)])
    a = np.linspace(0.5, 1.1, 5)
    p, c, gp, gc = f(a, k)
    assert np.allclose(p, a ** k) and np.allclose(c, p)
    assert np.allclose(gp, k * a ** (k - 1)) and np.allclose(gc, gp)


def test_taps_are_refused():
    A = T.dvector("A")
    with pytest.raises(RuntimeError):
        scan_checkpoints(lambda: None, [], {"initial": A, "taps": [-2]})
