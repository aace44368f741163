"""The golden recorders (tests/golden/make_*.py) and their records, for the tests that
evaluate the recorders' scenarios with ours and compare with what Theano 1.0.5 gave."""

import importlib.util
import json
import os

import numpy as np

from tests.support.paths import GOLDEN as GOLDEN_DIR


def load_recorder(name):
    """tests/golden/<name>.py imported as a fresh module named `name`."""
    spec = importlib.util.spec_from_file_location(name, os.path.join(GOLDEN_DIR, f"{name}.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def load_record(filename):
    """The JSON record tests/golden/<filename>."""
    with open(os.path.join(GOLDEN_DIR, filename)) as fh:
        return json.load(fh)


def assert_same(got, expected, where):
    """`got` equals the recorded `expected`: strings and bools exactly, lists item by
    item, numbers and arrays to rtol 1e-12; `where` names the place in failures."""
    if isinstance(expected, (str, bool)):
        assert got == expected, (where, got, expected)
    elif isinstance(expected, list):
        assert len(got) == len(expected), (where, got, expected)
        for k, (g, e) in enumerate(zip(got, expected)):
            assert_same(g, e, f"{where}[{k}]")
    else:
        np.testing.assert_allclose(got, expected, rtol=1e-12, err_msg=where)
