"""Legacy path ``theano.gof.op``: the Op classes and the test-value helpers (facade).

``COp`` (an Op whose implementation is C code in files) and ``OpenMPOp`` exist for code
that subclasses them; this project compiles no C, so a COp without a Python ``perform``
raises NotImplementedError when run, naming the alternative.
"""

import inspect  # noqa: F401 - names of Theano's module
import logging  # noqa: F401
import os  # noqa: F401
import re  # noqa: F401
import sys  # noqa: F401
import warnings

import numpy as np  # noqa: F401

import theano_compat as theano  # noqa: F401

from ..config import config
from ..errors import MethodNotDefined
from ..graph.basic import Constant, Variable
from ..graph.fgraph import FunctionGraph  # noqa: F401
from ..graph.op import Op, PureOp, as_op  # noqa: F401
from ..graph.shared import SharedVariable
from ..scan.op import Scan
from ..tensor.basic import as_tensor_variable
from . import graph, utils  # noqa: F401
from .type import CLinkerObject

PY3 = True

_NO_C = ("theano_compat compiles no C code (no C compiler is used); define "
         "perform(self, node, inputs, output_storage) in Python instead")


def itervalues(d):
    """six.itervalues."""
    return iter(d.values())


class CLinkerOp(CLinkerObject):
    """The C-code interface of an Op (``c_code``...): never called here."""

    __module__ = "theano.gof.op"

    def c_code(self, node, name, inputs, outputs, sub):
        raise MethodNotDefined("c_code", type(self), type(self).__name__)

    def c_code_cleanup(self, node, name, inputs, outputs, sub):
        raise MethodNotDefined("c_code_cleanup", type(self), type(self).__name__)

    def c_support_code_apply(self, node, name):
        raise MethodNotDefined("c_support_code_apply", type(self), type(self).__name__)


class OpenMPOp(Op):
    """An Op whose C code may use OpenMP (``openmp``: config.openmp by default).  There
    is no C code here: the attribute is kept for the Op's own use."""

    __module__ = "theano.gof.op"
    gxx_support_openmp = False

    def __init__(self, openmp=None):
        if openmp is None:
            openmp = getattr(config, "openmp", False)
        self.openmp = openmp

    def __setstate__(self, d):
        self.__dict__.update(d)
        self.__dict__.setdefault("openmp", False)

    def c_compile_args(self):
        return []

    def c_headers(self):
        return []

    @staticmethod
    def test_gxx_support():
        return False

    def update_self_openmp(self):
        self.openmp = False


class COp(Op, CLinkerOp):
    """An Op implemented by C code in `func_files` (Theano's ``COp``).

    Subclasses keep working when they define ``perform``; run without one, the node
    raises NotImplementedError (no C compiler here)."""

    __module__ = "theano.gof.op"

    def __init__(self, func_files, func_name=None):
        if not isinstance(func_files, list):
            func_files = [func_files]
        self.func_files = func_files
        self.func_name = func_name
        self.code_sections = {}

    def perform(self, node, inputs, output_storage, params=None):
        raise NotImplementedError(
            f"{type(self).__name__} is a COp: its implementation is the C code of "
            f"{self.func_files}, which {_NO_C}.")


class GCC_compiler:
    """Theano's g++ driver; there is no C compilation here."""

    __module__ = "theano.gof.cmodule"

    @staticmethod
    def compile_str(*args, **kwargs):
        raise NotImplementedError(f"GCC_compiler.compile_str: {_NO_C}")

    @staticmethod
    def try_compile_tmp(*args, **kwargs):
        return False

    @staticmethod
    def try_flags(*args, **kwargs):
        return False


# Op class -> the attribute holding its inner graph (Theano filled it from its modules).
ops_with_inner_function = {Scan: "fn"}


def simple_meth(tag):
    """Theano's helper making a ``c_<tag>()`` method from ``self.code_sections``."""
    def f(self):
        if tag in getattr(self, "code_sections", {}):
            return self.code_sections[tag]
        raise MethodNotDefined("c_" + tag, type(self), type(self).__name__)
    f.__name__ = "c_" + tag
    return f


def apply_meth(tag):
    """Theano's helper making a ``c_<tag>(node, name)`` method from ``code_sections``."""
    def f(self, node, name):
        if tag in getattr(self, "code_sections", {}):
            return self.code_sections[tag]
        raise MethodNotDefined("c_" + tag, type(self), type(self).__name__)
    f.__name__ = "c_" + tag
    return f


def get_test_value(v):
    """The test value of `v`: a constant's data, a shared variable's value, or
    ``v.tag.test_value`` (AttributeError when there is none).  A value that is not a
    variable is first made a constant (``as_tensor_variable``)."""
    if not isinstance(v, Variable):
        v = as_tensor_variable(v)
    if isinstance(v, Constant):
        return v.data
    if isinstance(v, SharedVariable):
        return v.get_value(borrow=True, return_internal_type=True)
    if hasattr(v.tag, "test_value"):
        try:
            return v.type.filter(v.tag.test_value)
        except Exception as e:
            raise type(e)(f"For compute_test_value, one input test value does not have the "
                          f"requested type.\n{e}") from e
    raise AttributeError(f"{v} has no test value  (compute_test_value is "
                         f"{config.compute_test_value!r}; set {v}.tag.test_value)")


def missing_test_message(msg):
    """Report a missing test value as config.compute_test_value says: 'raise' raises
    AttributeError, 'warn' warns, 'ignore' / 'off' do nothing."""
    action = config.compute_test_value
    if action == "raise":
        raise AttributeError(msg)
    if action == "warn":
        warnings.warn(msg, stacklevel=2)
    elif action not in ("ignore", "off"):
        raise ValueError(f"compute_test_value={action!r}")


def debug_error_message(msg):
    """An error found while computing test values: ValueError ('raise', 'ignore'), or a
    warning ('warn')."""
    action = config.compute_test_value
    if action == "off":
        raise AssertionError("debug_error_message needs compute_test_value != 'off'")
    if action in ("raise", "ignore"):
        raise ValueError(msg)
    warnings.warn(msg, stacklevel=2)


def debug_assert(condition, msg=None):
    """An assertion on test values: AssertionError ('raise', 'ignore') or a warning."""
    if not condition:
        if config.compute_test_value in ("raise", "ignore"):
            raise AssertionError(msg)
        warnings.warn(msg, stacklevel=3)


def get_debug_values(*args):
    """[tuple of the test values of `args`] when all have one and compute_test_value is
    on, else [] (a missing one is reported by missing_test_message)."""
    if config.compute_test_value == "off":
        return []
    values = []
    for i, arg in enumerate(args):
        try:
            values.append(get_test_value(arg))
        except AttributeError:
            name = getattr(arg, "name", None)
            if name is not None:
                missing_test_message(f"Argument {i}('{name}') has no test value")
            else:
                missing_test_message(f"Argument {i} has no test value")
            return []
    return [tuple(values)]
