"""theano.sandbox.linalg (package): Theano's names for the linear-algebra functions."""

import theano.sandbox.linalg as linalg
import theano.tensor.nlinalg as nlinalg
import theano.tensor.slinalg as slinalg


def test_package_names_are_the_tensor_functions():
    assert linalg.cholesky is slinalg.cholesky and linalg.solve is slinalg.solve
    assert linalg.matrix_inverse is nlinalg.matrix_inverse and linalg.det is nlinalg.det
    for name in ("diag", "extract_diag", "alloc_diag", "eig", "eigh", "trace", "eigvalsh",
                 "psd", "spectral_radius_bound", "ops"):
        assert hasattr(linalg, name), name
    assert linalg.psd is linalg.ops.psd
