"""theano.sandbox.neighbours: Theano's old path of images2neibs."""

import numpy as np
import theano
import theano.tensor as T
from theano.sandbox.neighbours import Images2Neibs, images2neibs, neibs2images


def test_images2neibs_through_the_old_path():
    import theano.tensor.nnet.neighbours as nb

    assert (images2neibs, neibs2images, Images2Neibs) == (
        nb.images2neibs, nb.neibs2images, nb.Images2Neibs)
    x = T.dtensor4("x")
    f = theano.function([x], images2neibs(x, (2, 2)))
    img = np.arange(16.0).reshape(1, 1, 4, 4)
    np.testing.assert_array_equal(f(img)[0], [0, 1, 4, 5])
