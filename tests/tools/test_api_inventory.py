"""tools/api_inventory.py: the reference walk's record format and the comparison's counting."""

from __future__ import annotations

import importlib.util
import json
import os

import pytest

from tests.support.paths import TOOLS


@pytest.fixture()
def inventory():
    path = os.path.join(TOOLS, "api_inventory.py")
    spec = importlib.util.spec_from_file_location("api_inventory", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_reference_covers_every_non_gpu_module(inventory):
    with open(inventory.RECORD) as fh:
        reference = json.load(fh)
    assert len(reference) > 140  # Theano 1.0.5 has 152 such modules
    assert "theano.tensor.basic" in reference and "theano.compile.function_module" in reference
    assert not any(m.startswith(inventory.EXCLUDED_PREFIXES) for m in reference)
    # Kinds as recorded under Theano 1.0.5: classes carry Theano's module path.
    assert reference["theano.tensor"]["TensorVariable"] == "class:theano.tensor.var.TensorVariable"
    assert reference["theano"]["tensor"] == "module:theano.tensor"


def test_omissions_cover_python2_flags_and_foreign_modules_only(inventory):
    assert inventory._omitted("theano.x", "print_function", "object") is not None
    assert inventory._omitted("theano.x", "np", "module:numpy") is not None
    assert inventory._omitted("theano.x", "tensor", "module:theano.tensor") is None
    assert inventory._omitted("theano.x", "dot", "object") is None


def test_compare_counts_missing_names_and_unimportable_modules(inventory, tmp_path, capsys,
                                                               monkeypatch):
    fake = {
        "theano.tensor": {"dot": "object", "no_such_name_here": "object", "np": "module:numpy"},
        "theano.no_such_module": {"x": "object"},
        "theano.needs_mpi": {"__unimportable__": "ImportError: mpi4py"},
    }
    path = tmp_path / "ref.json"
    path.write_text(json.dumps(fake))
    monkeypatch.setattr(inventory, "RECORD", str(path))
    failed, missing = inventory.compare([])
    out = capsys.readouterr().out
    assert (failed, missing) == (1, 1)
    assert "theano.tensor: 1 of 2 names missing" in out and "no_such_name_here" in out
    assert "theano.no_such_module: cannot import" in out
