"""Write an archive with Theano 1.0.5's theano.misc.pkl_utils.dump, to check that ours
loads Theano's files (tests/unit/test_legacy_paths.py).

Run under the reference Theano, from outside the repository ($REPO: this checkout):
    cd "$(mktemp -d)" && $REPO/../shared/tools/theano-ref $REPO/tests/golden/make_pkl_utils.py \
        $REPO/tests/golden/pkl_utils.theano105.zip

The archive holds arrays and plain Python objects only: pickles of Theano's own graph
classes describe Theano's internals and are not meant to load elsewhere.
"""

import sys

import numpy as np


def payload():
    """The object dumped (the test rebuilds it to compare)."""
    return {"W": np.arange(6.0).reshape(2, 3) / 3, "b": np.array([1.5, -2.0], dtype="float32"),
            "idx": np.array([[3, 1], [4, 1]], dtype="int64"), "n": 3,
            "nested": [np.int64(7), "text", (1.5, None), {"k": np.eye(2)}]}


def main():
    from theano.misc.pkl_utils import dump

    with open(sys.argv[1], "wb") as f:
        dump(payload(), f)


if __name__ == "__main__":
    main()
