"""``from theano.X import *`` gives the names it gave under Theano 1.0.5 (issue 16 point 5).

Theano defined ``__all__`` in few modules, so a star import gave every public name of the
module, the modules it imported included (``np``, ``theano``...): legacy scripts relied
on them.  The reference sets were recorded with tests/golden/make_star_imports.py under the
original Theano.  A name ours lacks fails the test, unless it is in ``NOT_PROVIDED`` below
with the reason (a whole feature missing, or a name the layered imports cannot hold).
"""

import types

import pytest

from tests.support import golden

recorder = golden.load_recorder("make_star_imports")
REFERENCE = golden.load_record("star_imports.theano105.json")

_LAYERS = ("a module of a higher layer (compile, gof, printing): it is initialised after "
           "this one, so this module's namespace cannot hold it (layered imports); it is "
           "reachable by its own path (theano.gof...)")

# module -> {reason: names}
NOT_PROVIDED = {
    "theano": {
        "Theano's own handler on the 'theano' logger is not installed (this project "
        "reports through warnings and exceptions)": {
            "disable_log_handler", "has_handlers", "logging_default_formatter",
            "logging_default_handler", "theano_logger"},
        "leftovers of Theano's check of sys.path at import (the realpath of its package "
        "and the loop variable)": {"p", "rpath"},
        "Theano's nose test runner: Theano's suite runs with tools/conformance/run.py":
            {"test"},
    },
    "theano.gradient": {
        _LAYERS: {"DebugMode", "FAST_RUN", "ViewOp", "get_debug_values", "get_mode", "gof",
                  "utils"},
    },
    "theano.tensor": {
        _LAYERS: {"compile", "gof", "printing", "pprint", "utils"},
        "the slice and None types of theano.tensor.type_other are not in theano.tensor's "
        "namespace": {
            "MakeSlice", "NoneConst", "NoneTypeT", "SliceConstant", "SliceType",
            "as_int_none_variable", "make_slice", "none_type_t", "slicetype", "type_other"},
        "internals of Theano's Subtensor (idx_list conversion, its errors and printer): "
        "indexing here is implemented differently": {
            "AdvancedBooleanIndexingError", "AdvancedIndexingError",
            "BaseAdvancedIncSubtensor", "BaseAdvancedSubtensor", "SubtensorPrinter",
            "adv_index_broadcastable_pattern", "as_index_variable",
            "check_advanced_indexing_dimensions", "check_and_reject_bool",
            "get_canonical_form_slice", "get_idx_list", "make_constant"},
        "names of higher layers Theano's tensor/basic.py imported (theano.gof's ParamsType, "
        "theano.printing's min_informative_str): reachable by their own paths": {
            "ParamsType", "min_informative_str"},
        "theano.tensor.subtensor's sparse_module_ref (its lazy reference to theano.sparse)": {
            "sparse_module_ref"},
    },
    "theano.tensor.nnet": {
        "Ops of Theano's nnet this project does not have (softmax with bias, the "
        "1-hot crossentropy family, prepend Ops, blocksparse, corr3d) and their rewrites":
            {"CrossentropySoftmax1HotWithBiasDx", "CrossentropySoftmaxArgmax1HotWithBias",
             "Prepend_scalar_constant_to_each_row", "Prepend_scalar_to_each_row",
             "SoftmaxWithBias", "blocksparse", "corr3d",
             "crossentropy_to_crossentropy_with_softmax",
             "crossentropy_to_crossentropy_with_softmax_with_bias", "scalar_sigmoid", "sigm",
             "sigmoid_inplace", "softmax_simplifier"},
        "theano.tensor.nnet defines __all__ here (Theano's did not), so its imports are "
        "not exported": {"absolute_import", "division", "print_function", "opt", "warnings"},
    },
    "theano.printing": {
        "Theano's PPrinter family (pprint's printer classes), pydotprint and the "
        "min_informative_str helpers are not provided (pp/pprint/debugprint are)": {
            "DefaultPrinter", "FunctionPrinter", "IgnorePrinter", "LeafPrinter",
            "OperatorPrinter", "PPrinter", "PatternPrinter", "PrinterState", "VALID_ASSOC",
            "default_colorCodes", "default_printer", "greek", "hex_digest", "leaf_printer",
            "min_informative_str", "position_independent_str", "pydot_imported",
            "pydot_imported_msg", "pydotprint", "special", "use_ascii", "var_descriptor"},
    },
}


@pytest.mark.parametrize("module", recorder.MODULES)
def test_star_import_gives_theano_names(module):
    ours = recorder.star_names(module)
    skipped = set().union(*NOT_PROVIDED.get(module, {}).values())
    missing = sorted(set(REFERENCE[module]["names"]) - set(ours) - skipped)
    assert missing == [], f"`from {module} import *` lacks names Theano 1.0.5 gave"
    # The modules among them are modules here too (np is numpy, theano the package...).
    not_modules = [n for n in REFERENCE[module]["modules"]
                   if n in ours and not isinstance(ours[n], types.ModuleType)]
    assert not_modules == []


def test_star_import_of_theano_gives_numpy_and_the_package():
    import numpy
    import theano

    names = recorder.star_names("theano")
    assert names["np"] is numpy and names["as_op"] is theano.compile.ops.as_op
    assert recorder.star_names("theano.gradient")["theano"] is theano
    assert recorder.star_names("theano.tensor")["grad"] is theano.gradient.grad
    assert recorder.star_names("theano.printing")["theano"] is theano
