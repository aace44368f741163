"""Legacy path ``theano.gof``: the graph core under its Theano 1.0 names (facade).

The graph objects and FunctionGraph (theano_compat/graph/), the optimizer classes and
databases running over this project's rewrite driver (graph/optimizers.py,
graph/optdb.py), the FunctionGraph features and the DestroyHandler (graph/features.py,
graph/destroy.py); the linkers and C-compilation names are in gof/link.py, gof/cc.py...
"""

import theano_compat as theano  # noqa: F401 - Theano's package held `theano`

from ..compile import mode as _compile_mode
from ..errors import MethodNotDefined, MissingInputError  # noqa: F401
from ..graph.basic import Apply, Constant, Node, Variable, view_roots  # noqa: F401
from ..graph.destroy import DestroyHandler  # noqa: F401
from ..graph.features import (Bookkeeper, Feature, History, NodeFinder,  # noqa: F401
                              NoOutputFromInplace, PrintListener,
                              ReplacementDidntRemovedError, ReplaceValidate, Validator)
from ..graph.fgraph import CachedConstantError, FunctionGraph, InconsistencyError  # noqa: F401
from ..graph.op import Op, PureOp  # noqa: F401
from ..graph.optdb import (DB, EquilibriumDB, LocalGroupDB, ProxyDB, Query,  # noqa: F401
                           SequenceDB)
from ..graph.optimizers import (CheckStackTraceOptimization,  # noqa: F401
                                EquilibriumOptimizer, LocalOptGroup, LocalOptimizer,
                                MergeOptimizer, NavigatorOptimizer, OpKeyOptimizer,
                                OpRemove, OpSub, Optimizer, PatternSub, SeqOptimizer,
                                TopoOptimizer, inplace_optimizer, local_optimizer,
                                optimizer)
from ..graph.shared import Container  # noqa: F401
from ..graph.type import Generic, Type, generic  # noqa: F401
from ..utils import Scratchpad as scratchpad  # noqa: F401
from . import graph, op, type, utils  # noqa: F401,A004
from . import callcache, cc, cmodule, compilelock, lazylinker_c, link, null_type  # noqa: F401
from . import destroyhandler, fg, opt, optdb, params_type, sched, toolbox, unify, vm  # noqa: F401
from .cc import CLinker, DualLinker, HideC, OpWiseCLinker  # noqa: F401
from .link import Linker, LocalLinker, PerformLinker, WrapLinker, WrapLinkerMany  # noqa: F401
from .op import COp, OpenMPOp, ops_with_inner_function  # noqa: F401
from .params_type import Params, ParamsType  # noqa: F401
from .type import CEnumType, EnumList, EnumType  # noqa: F401
from .utils import hashtype, object2  # noqa: F401

# Theano's linker names name these Linker objects (``Mode('py').linker`` is a
# PerformLinker...).  A mode given a name still runs the generated program: only a Linker
# object passed to Mode itself runs through that linker (see link.py).
_compile_mode.predefined_linkers.update({
    "py": PerformLinker(), "c": CLinker(), "c|py": OpWiseCLinker(),
    "c|py_nogc": OpWiseCLinker(allow_gc=False), "vm": vm.VM_Linker(use_cloop=False),
    "cvm": vm.VM_Linker(use_cloop=True), "vm_nogc": vm.VM_Linker(allow_gc=False, use_cloop=False),
    "cvm_nogc": vm.VM_Linker(allow_gc=False, use_cloop=True)})
