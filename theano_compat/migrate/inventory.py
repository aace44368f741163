"""The inventory of Theano 1.0.5's public API that this project checks itself against.

Data shared by tools/api_inventory.py (which compares the package with it and gates a
test) and the migration scanner (``python -m theano_compat.migrate``, which tells a
codebase what of it is supported): one copy, so the two cannot drift.

* `RECORD`: theano105_api_names.json, every module of Theano 1.0.5 outside its tests and
  GPU back-ends with its public names and their kinds (recorded under the original with
  ``tools/api_inventory.py --record``);
* `OMISSIONS`: the deliberate omissions, ``{"module" or "module.name": reason}`` (a
  module key covers the whole module).  Keep each reason true and short; everything
  else must exist.  New entries go here.
"""

from __future__ import annotations

import os

HERE = os.path.dirname(os.path.abspath(__file__))
RECORD = os.path.join(HERE, "theano105_api_names.json")
EXCLUDED_PREFIXES = ("theano.gpuarray", "theano.sandbox.cuda", "theano.sandbox.gpuarray",
                     "theano.d3viz", "theano.misc.tests")

# Names defined in Theano modules that are not API: Python 2 compatibility flags.
FUTURE_FLAGS = {"absolute_import", "division", "print_function", "unicode_literals",
                "generators", "nested_scopes", "with_statement"}

# Deliberate omissions (see the module docstring).
OMISSIONS: dict[str, str] = {}

# theano.tensor and theano.tensor.basic: names of the layers above the tensor layer.
_TENSOR_LAYERS = ("a module or name of a higher layer (compile, gof, printing), initialised "
                  "after theano.tensor: the layered imports keep it out of this namespace; "
                  "use it by its own path (theano.printing.pprint, theano.gof.ParamsType...)")
OMISSIONS["theano.tensor.tests"] = ("Theano's own test package: its files run against this "
                                    "project with tools/conformance/run.py")
for _module in ("theano.tensor", "theano.tensor.basic"):
    for _name in ("compile", "gof", "printing", "pprint", "min_informative_str", "ParamsType"):
        OMISSIONS[f"{_module}.{_name}"] = _TENSOR_LAYERS

# theano.scalar: modules of the layers above the scalar layer that Theano's basic.py imported,
# and the float16 helpers of Theano's C code generation.
_SCALAR_LAYERS = ("a module (or printing.pprint) of a layer above theano.scalar that Theano's "
                  "basic.py imported: the layered imports keep it out; use theano.gof, "
                  "theano.printing or theano by their own paths")
_SCALAR_F32 = ("Theano's internal float16->float32 graph rewriting for its C code (no C code "
               "here); Composite.clone_float32() is the public method")
for _module in ("theano.scalar", "theano.scalar.basic", "theano.scalar.basic_scipy"):
    for _name in ("gof", "pprint", "printing", "theano", "utils"):
        OMISSIONS[f"{_module}.{_name}"] = _SCALAR_LAYERS
    for _name in ("Compositef32", "composite_f32", "handle_cast", "handle_composite"):
        OMISSIONS[f"{_module}.{_name}"] = _SCALAR_F32
OMISSIONS["theano.scalar.tests"] = ("Theano's own test package: tools/conformance/run.py runs "
                                    "its files against this project")
for _module in ("theano.compile", "theano.gof"):
    OMISSIONS[f"{_module}.tests"] = OMISSIONS["theano.scalar.tests"]
OMISSIONS["theano.typed_list.tests"] = OMISSIONS["theano.scalar.tests"]
for _package in ("theano.misc", "theano.sandbox", "theano.sandbox.linalg", "theano.scan_module",
                 "theano.sparse", "theano.tensor.signal"):
    OMISSIONS[f"{_package}.tests"] = OMISSIONS["theano.scalar.tests"]

# Theano's GPU benchmark scripts for its own back-ends (libgpuarray contexts, cuDNN): their
# module bodies or main() drive theano.gpuarray, which this project does not have.
OMISSIONS["theano.misc.burn_gpu"] = (
    "a cuDNN power-burn script over theano.gpuarray.dnn (Theano's libgpuarray back-end)")
OMISSIONS["theano.misc.check_multi_gpu"] = (
    "compares dot products on two libgpuarray contexts (theano.gpuarray.init_dev)")
OMISSIONS["theano.misc.latence_gpu_transfert"] = (
    "a script whose import times host<->GPU transfers with Theano's GpuArray back-end")
OMISSIONS["theano.d3viz"] = (
    "the d3viz package, left out of this inventory with the GPU back-ends (EXCLUDED_PREFIXES): "
    "its viewer is the d3.js/dagre JavaScript Theano bundled; theano.printing.pydotprint "
    "draws the same graphs (PNG, SVG or DOT)")
OMISSIONS["theano.p"] = ("the loop variable Theano's __init__ left behind while it scanned "
                         "sys.path (the last entry seen): not API")

# theano.tensor.nnet's softmax / sigmoid / batch-norm / neighbours modules: modules of the
# layers above theano.tensor that Theano's modules imported.
_NNET_LAYERS = ("a module or name of a layer above theano.tensor (gof, compile, printing, "
                "theano.tensor.opt's registration helpers) that Theano's module imported: the "
                "layered imports keep it out; use it by its own path")
OMISSIONS["theano.tensor.nnet.tests"] = OMISSIONS["theano.tensor.tests"]
OMISSIONS["theano.tensor.signal.tests"] = OMISSIONS["theano.tensor.tests"]
for _module, _names in (
        ("theano.tensor.nnet.nnet", ("gof", "opt", "optdb", "theano")),
        ("theano.tensor.nnet.sigm", ("gof", "opt", "pprint", "printing", "theano")),
        ("theano.tensor.nnet.bn", ("register_specialize_device", "theano")),
        ("theano.tensor.nnet.neighbours", ("EnumList", "theano")),
        ("theano.tensor.nnet.opt", ("compile", "gof", "opt", "register_specialize_device",
                                    "theano"))):
    for _name in _names:
        OMISSIONS[f"{_module}.{_name}"] = _NNET_LAYERS
OMISSIONS["theano.tensor.nnet.bn.BNComposite"] = (
    "the scalar Composite of Theano's batch_normalization(mode='high_mem'); both modes build "
    "the same elementwise graph here, which elemwise fusion turns into one Composite")
OMISSIONS["theano.tensor.nnet.ctc.local_ctc_no_grad"] = (
    "a rewrite reading Variable.clients, which graphs here do not keep (clients live in the "
    "FunctionGraph); it only spared warp-ctc's gradient work: build "
    "ConnectionistTemporalClassification(compute_grad=False) to compute the costs alone")
