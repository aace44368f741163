"""theano.gof.cc: Theano 1.0.5's C linkers and C code generation.

theano_compat compiles no C code; every Op has a Python implementation.  So:

* `OpWiseCLinker` runs each node with its Python implementation, which is what Theano's
  OpWiseCLinker did for every Op without C code (``fallback_on_perform``), and for all
  of them when no compiler was configured: same results;
* `DualLinker` runs the graph twice side by side (the PerformLinker and the
  OpWiseCLinker, both Python here) and compares every node's outputs with its
  `checker`, as Theano's did;
* `CLinker` compiled the whole graph into one C function: linking a graph with it raises
  NotImplementedError (use PerformLinker or OpWiseCLinker, which compute the same);
* the C code generators (`CodeBlock`, `failure_code`, `code_gen`, `struct_gen`,
  `get_c_declare`, ...) raise NotImplementedError at use;
* `HideC` keeps Theano's meaning: a mixin whose C methods raise MethodNotDefined.
"""

from __future__ import annotations

import logging
import os  # noqa: F401 - a name of Theano's module
import sys  # noqa: F401 - a name of Theano's module
from copy import copy
from io import StringIO  # noqa: F401 - a name of Theano's module

import numpy as np  # noqa: F401 - a name of Theano's module

import theano_compat as theano  # noqa: F401 - a name of Theano's module

from ..compat import PY3  # noqa: F401 - a name of Theano's module
from ..config import config  # noqa: F401 - a name of Theano's module
from ..errors import MethodNotDefined
from . import cmodule, graph, link, utils  # noqa: F401 - names of Theano's module
from .callcache import CallCache  # noqa: F401 - a name of Theano's module
from .cmodule import c_only_function, c_unavailable
from .compilelock import get_lock, release_lock  # noqa: F401 - names of Theano's module
from .link import reraise  # noqa: F401 - a name of Theano's module

_logger = logging.getLogger("theano.gof.cc")

izip = zip
xrange = range
string_types = (str,)

_PY_LINKERS = ("theano.gof.PerformLinker or theano.gof.OpWiseCLinker (or any Mode "
               "without linker=)")

get_module_cache = c_only_function("theano.gof.cc.get_module_cache", None,
                                   "The process's cache of compiled C modules.")
get_persistent_module_cache = c_only_function(
    "theano.gof.cc.get_persistent_module_cache", None,
    "The CallCache of compiled modules kept in config.compiledir.")
run_cthunk = c_only_function("theano.gof.cc.run_cthunk",
                             "the Python thunks of theano.gof.link / theano.gof.vm",
                             "Run a C thunk.")


class CodeBlock:
    """A piece of C code (declare, behaviour, cleanup) of a generated C function."""

    __module__ = "theano.gof.cc"  # Theano's path: reprs and pickles

    def __init__(self, declare, behavior, cleanup, sub):
        raise c_unavailable("theano.gof.cc.CodeBlock (C code generation)", _PY_LINKERS)


_GENERATORS = {
    "failure_code": "The C code that jumps to the failure handler.",
    "failure_code_init": "The C failure code of an init block.",
    "code_gen": "Join the CodeBlocks of a C function.",
    "struct_gen": "The C struct of a linked graph.",
    "get_nothing": "An empty C code fragment for a variable.",
    "get_c_declare": "The C declaration of a variable.",
    "get_c_init": "The C initialisation of a variable.",
    "get_c_extract": "The C code extracting a variable from Python.",
    "get_c_extract_out": "The C code extracting an output variable from Python.",
    "get_c_cleanup": "The C cleanup of a variable.",
    "get_c_sync": "The C code writing a variable back to Python.",
    "apply_policy": "Apply a C code policy to a variable.",
    "struct_variable_codeblocks": "The CodeBlocks of one variable of a C struct.",
}

failure_code = c_only_function("theano.gof.cc.failure_code", _PY_LINKERS,
                               _GENERATORS["failure_code"])
failure_code_init = c_only_function("theano.gof.cc.failure_code_init", _PY_LINKERS,
                                    _GENERATORS["failure_code_init"])
code_gen = c_only_function("theano.gof.cc.code_gen", _PY_LINKERS, _GENERATORS["code_gen"])
struct_gen = c_only_function("theano.gof.cc.struct_gen", _PY_LINKERS,
                             _GENERATORS["struct_gen"])
get_nothing = c_only_function("theano.gof.cc.get_nothing", _PY_LINKERS,
                              _GENERATORS["get_nothing"])
get_c_declare = c_only_function("theano.gof.cc.get_c_declare", _PY_LINKERS,
                                _GENERATORS["get_c_declare"])
get_c_init = c_only_function("theano.gof.cc.get_c_init", _PY_LINKERS,
                             _GENERATORS["get_c_init"])
get_c_extract = c_only_function("theano.gof.cc.get_c_extract", _PY_LINKERS,
                                _GENERATORS["get_c_extract"])
get_c_extract_out = c_only_function("theano.gof.cc.get_c_extract_out", _PY_LINKERS,
                                    _GENERATORS["get_c_extract_out"])
get_c_cleanup = c_only_function("theano.gof.cc.get_c_cleanup", _PY_LINKERS,
                                _GENERATORS["get_c_cleanup"])
get_c_sync = c_only_function("theano.gof.cc.get_c_sync", _PY_LINKERS,
                             _GENERATORS["get_c_sync"])
apply_policy = c_only_function("theano.gof.cc.apply_policy", _PY_LINKERS,
                               _GENERATORS["apply_policy"])
struct_variable_codeblocks = c_only_function("theano.gof.cc.struct_variable_codeblocks",
                                             _PY_LINKERS,
                                             _GENERATORS["struct_variable_codeblocks"])


class CLinker(link.Linker):
    """Theano's linker compiling the whole graph into one C function.

    Not available (no C compiler in theano_compat): the object can be made (so that
    tables of linkers, such as the Mode's, may hold one), and accepting a graph or
    making a thunk raises NotImplementedError.  `OpWiseCLinker` and
    `theano.gof.PerformLinker` compute the same values in Python.
    """

    __module__ = "theano.gof.cc"  # Theano's path: reprs and pickles

    def __init__(self, schedule=None):
        self.fgraph = None
        if schedule:
            self.schedule = schedule

    def accept(self, fgraph, no_recycling=None, profile=None):
        raise c_unavailable("theano.gof.cc.CLinker", _PY_LINKERS)

    def make_thunk(self, input_storage=None, output_storage=None, storage_map=None,
                   keep_lock=False):
        raise c_unavailable("theano.gof.cc.CLinker", _PY_LINKERS)

    def code_gen(self):
        raise c_unavailable("theano.gof.cc.CLinker.code_gen", _PY_LINKERS)


class OpWiseCLinker(link.PerformLinker):
    """Theano's per-node linker: each node runs its Python implementation, as Theano's
    OpWiseCLinker did for Ops without C code (see the module docstring).

    `fallback_on_perform` is accepted (every node falls back); `nice_errors=False` runs
    the thunks without the node description on failure; `allow_gc` and `schedule` as in
    PerformLinker.
    """

    __module__ = "theano.gof.cc"  # Theano's path: reprs and pickles

    __cache__ = {}

    def __init__(self, fallback_on_perform=True, allow_gc=None, nice_errors=True,
                 schedule=None):
        super().__init__(allow_gc=allow_gc, schedule=schedule)
        self.fallback_on_perform = fallback_on_perform
        self.nice_errors = nice_errors
        self._nice_errors = nice_errors

    def accept(self, fgraph, no_recycling=None, profile=None):
        if self.fgraph is not None and self.fgraph is not fgraph:
            new = type(self)(fallback_on_perform=self.fallback_on_perform,
                             allow_gc=self.allow_gc, nice_errors=self.nice_errors,
                             schedule=self.schedule)
            new._compile_inner = getattr(self, "_compile_inner", None)
            return new.accept(fgraph, no_recycling, profile)
        return super().accept(fgraph, no_recycling, profile)

    def make_all(self, profiler=None, input_storage=None, output_storage=None,
                 storage_map=None):
        return super().make_all(input_storage, output_storage, storage_map)


def _default_checker(x, y):
    """DualLinker's default check: the two cells hold equal values (``==``)."""
    if x[0] != y[0]:
        raise Exception("Output mismatch.", {"performlinker": x[0], "clinker": y[0]})


class DualLinker(link.Linker):
    """Runs the graph with a PerformLinker and an OpWiseCLinker side by side and calls
    ``checker(cell_1, cell_2)`` on each output of each node (the first linker's cell,
    then the second's); the checker raises to report a mismatch.  The first linker's
    inputs and outputs are the function's."""

    __module__ = "theano.gof.cc"  # Theano's path: reprs and pickles

    def __init__(self, checker=_default_checker, schedule=None):
        self.fgraph = None
        self.checker = checker
        self.no_recycling = []
        if schedule:
            self.schedule = schedule

    def accept(self, fgraph, no_recycling=None, profile=None):
        if no_recycling is None:
            no_recycling = []
        if self.fgraph is not None and self.fgraph is not fgraph:
            new = type(self)(self.checker, self.schedule)
            new._compile_inner = getattr(self, "_compile_inner", None)
            return new.accept(fgraph, no_recycling, profile)
        self.fgraph = fgraph
        self.no_recycling = no_recycling
        return self

    def make_thunk(self, **kwargs):
        fgraph = self.fgraph
        no_recycling = self.no_recycling
        inner = getattr(self, "_compile_inner", None)
        first = link.PerformLinker(schedule=self.schedule)
        second = OpWiseCLinker(schedule=self.schedule)
        for lnk in (first, second):
            lnk._compile_inner = inner
        _f, i1, o1, thunks1, order1 = first.accept(
            fgraph, no_recycling=no_recycling).make_all(**kwargs)
        kwargs.pop("input_storage", None)
        _f, i2, o2, thunks2, order2 = second.accept(
            fgraph, no_recycling=no_recycling).make_all(**kwargs)
        checker = self.checker

        def f():
            for in1, in2 in zip(i1, i2):
                # A copy, so that an in-place Op of one run does not change the other's.
                in2.storage[0] = copy(in1.storage[0])
            for thunk1, thunk2, node1, node2 in zip(thunks1, thunks2, order1, order2):
                for out, cell in zip(node1.outputs, thunk1.outputs):
                    if out in no_recycling:
                        cell[0] = None
                for out, cell in zip(node2.outputs, thunk2.outputs):
                    if out in no_recycling:
                        cell[0] = None
                try:
                    thunk1()
                    thunk2()
                    for out1, out2 in zip(thunk1.outputs, thunk2.outputs):
                        checker(out1, out2)
                except Exception:
                    link._raise_with_op(node1, None, None, None, fgraph)

        return f, i1, o1


def _hidden(*args):
    raise MethodNotDefined()


class HideC:
    """A mixin hiding the C implementation an Op would inherit: its C methods raise
    MethodNotDefined (so the Op runs its Python implementation) and its C code has no
    cache version."""

    __module__ = "theano.gof.cc"  # Theano's path: reprs and pickles

    c_code = _hidden
    c_code_cleanup = _hidden
    c_headers = _hidden
    c_header_dirs = _hidden
    c_libraries = _hidden
    c_lib_dirs = _hidden
    c_support_code = _hidden
    c_support_code_apply = _hidden
    c_compile_args = _hidden
    c_no_compile_args = _hidden
    c_init_code = _hidden
    c_init_code_apply = _hidden
    c_init_code_struct = _hidden
    c_support_code_struct = _hidden
    c_cleanup_code_struct = _hidden

    def c_code_cache_version(self):
        return ()

    def c_code_cache_version_apply(self, node):
        return self.c_code_cache_version()
