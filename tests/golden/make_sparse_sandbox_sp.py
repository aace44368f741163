"""Record Theano 1.0.5's theano.sparse.sandbox.sp results (tests/unit/sparse/sandbox/test_sp.py):
the patch-matrix pattern of ConvolutionIndices.evaluate over modes, steps and shapes, and
the values of convolve and max_pool.

Run under the reference Theano, from outside the repository ($REPO: this checkout):
    cd "$(mktemp -d)" && $REPO/../shared/tools/theano-ref \
        $REPO/tests/golden/make_sparse_sandbox_sp.py \
        > $REPO/tests/golden/sparse_sandbox_sp.theano105.json

Theano 1.0.5's evaluate computes its row indices with ``/`` (floats under Python 3),
which current SciPy refuses as sparse-matrix indices, so under Python 3 the original
fails before returning; the recorder indexes the lil_matrix with the integer values the
code meant (that patch applies only when the script runs under the original Theano).
"""

import json
import sys

import numpy as np

PATTERNS = [(mode, step, imgshp, kshp)
            for mode in ("valid", "full")
            for step in ((1, 1), (2, 1), (1, 2), (2, 3))
            for imgshp, kshp in (((5, 6), (2, 3)), ((2, 4, 5), (3, 2)))]


def key(mode, step, imgshp, kshp):
    return "%s %s %s %s" % (mode, step, imgshp, kshp)


def inputs():
    rng = np.random.RandomState(3)
    return rng.rand(3, 2 * 4 * 5), rng.rand(4, 2 * 6), rng.rand(4)


def results(theano, sp):
    import theano.tensor as T
    out = {}
    for mode, step, imgshp, kshp in PATTERNS:
        ind, ptr, shp, typ, outshp = sp.convolution_indices.evaluate(imgshp, kshp, step,
                                                                      mode=mode)
        out["pattern " + key(mode, step, imgshp, kshp)] = [
            np.asarray(ind).tolist(), np.asarray(ptr).tolist(), [int(v) for v in shp], typ,
            np.asarray(outshp).tolist()]
    x, k, b = inputs()
    imgs, kerns, bias = T.dmatrix(), T.dmatrix(), T.dvector()
    for mode in ("valid", "full"):
        o, oshp = sp.convolve(kerns, (3, 2), 4, imgs, (2, 4, 5), (1, 2), bias=bias, mode=mode)
        f = theano.function([kerns, imgs, bias], o)
        out["convolve " + mode] = [f(k, x, b).tolist(), np.asarray(oshp).tolist()]
    o, oshp = sp.convolve(kerns, (3, 2), 4, imgs, (2, 4, 5), flatten=False)
    out["convolve unflattened"] = [theano.function([kerns, imgs], o)(k, x).tolist(),
                                   np.asarray(oshp).tolist()]
    p, pshp = sp.max_pool(imgs, (2, 4, 5), (2, 2))
    out["max_pool"] = [theano.function([imgs], p)(x).tolist(), np.asarray(pshp).tolist()]
    return out


if __name__ == "__main__":
    import scipy.sparse
    import theano
    from theano.sparse.sandbox import sp

    original_setitem = scipy.sparse.lil_matrix.__setitem__

    def setitem_with_integer_indices(self, index, value):
        return original_setitem(self, (int(index[0]), int(index[1])), value)

    scipy.sparse.lil_matrix.__setitem__ = setitem_with_integer_indices
    json.dump(results(theano, sp), sys.stdout)
    sys.stdout.write("\n")
