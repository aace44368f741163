"""theano.scan_module as a package and its module scan.py: Theano 1.0.5's names, where
``theano.scan_module.scan`` is the function (its module shadowed, as in Theano)."""

import importlib

import numpy as np

import theano
import theano.tensor as T


def test_package_names():
    sm = theano.scan_module
    assert sm.scan is theano.scan and callable(sm.scan)
    for name in ("scan_op", "scan_opt", "scan_utils", "scan_views"):
        assert getattr(sm, name).__name__ == f"theano_compat.scan_module.{name}"
    assert sm.until is sm.scan_utils.until
    assert sm.clone is sm.scan_utils.clone is theano.clone
    assert sm.scan_checkpoints is theano.scan_checkpoints
    assert (sm.map, sm.reduce, sm.foldl, sm.foldr) == (theano.map, theano.reduce,
                                                       theano.foldl, theano.foldr)


def test_scan_module_of_scan():
    mod = importlib.import_module("theano_compat.scan_module.scan")
    assert mod.scan is theano.scan
    for name in ("OrderedUpdates", "safe_new", "traverse", "izip", "ifilter", "xrange",
                 "integer_types", "iteritems", "opt", "ops", "function"):
        assert hasattr(mod, name), name
    x = T.dvector("x")
    out, updates = mod.scan(lambda v, acc: acc + v, sequences=x,
                            outputs_info=T.constant(np.float64(0)))
    assert isinstance(updates, mod.OrderedUpdates) and not updates
    assert theano.function([x], out)([1.0, 2.0, 3.0]).tolist() == [1.0, 3.0, 6.0]
