"""theano.compile.ops: as_op, the view/copy Ops functions use, and the shape Ops.

``ViewOp`` returns its input (a declared view), ``DeepCopyOp`` a copy of it,
``OutputGuard`` is a ViewOp declared as destroying its input (Theano put it on outputs
to keep in-place rewrites off them).  ``as_op`` turns a NumPy function into an Op
(`FromFunctionOp`), which pickles by reference to the decorated module-level name, as
in Theano.  The ``register_*_c_code`` functions of Theano told these Ops how to write C
code for a Type; nothing here is compiled to C (the generated program is Python over
NumPy or CuPy), so they accept their arguments, return None and warn once.
"""

from __future__ import annotations

import copy
import importlib
import sys
import warnings

from ..graph.basic import Apply
from ..graph.op import _FromFunctionOp
from ..graph.op import Op
from ..graph.type import Type
from ..tensor.basic import Shape, Shape_i, SpecifyShape, shape, specify_shape
from ..tensor.type import Rebroadcast

__all__ = [
    "ViewOp", "view_op", "OutputGuard", "DeepCopyOp", "deep_copy_op", "Shape", "shape",
    "Shape_i", "shape_i", "shape_i_op", "SpecifyShape", "specify_shape", "Rebroadcast",
    "FromFunctionOp", "as_op", "load_back", "expandable_types",
    "register_view_op_c_code", "register_deep_copy_op_c_code", "register_shape_c_code",
    "register_shape_i_c_code", "register_rebroadcast_c_code",
    "register_specify_shape_c_code",
]


class _PassThroughOp(Op):
    """One input, one output of its type, gradient and R_op passed through: what ViewOp
    and DeepCopyOp share (they differ in how `perform` hands the value on)."""

    __props__ = ()

    def make_node(self, x):
        return Apply(self, [x], [x.type()])

    def infer_shape(self, node, input_shapes):
        return input_shapes

    def grad(self, inputs, output_grads):
        return output_grads

    def R_op(self, inputs, eval_points):
        return list(eval_points)

    def __str__(self):
        return type(self).__name__


class ViewOp(_PassThroughOp):
    """Returns its input unchanged, as a declared view of it (Theano's ``ViewOp``)."""

    __module__ = "theano.compile.ops"  # Theano's path: reprs and pickles

    view_map = {0: [0]}
    __props__ = ()
    # Theano's table of C code per Type (register_view_op_c_code); unused here.
    c_code_and_version: dict = {}

    def perform(self, node, inputs, output_storage, params=None):
        output_storage[0][0] = inputs[0]


view_op = ViewOp()


class OutputGuard(ViewOp):
    """A ViewOp declared as destroying its input: Theano placed it on function outputs so
    that no in-place rewrite could overwrite them.  It computes a view, like ViewOp."""

    __module__ = "theano.compile.ops"  # Theano's path: reprs and pickles

    destroy_map = {0: [0]}
    check_input = False


_output_guard = OutputGuard()


class DeepCopyOp(_PassThroughOp):
    """Returns a copy of its input (``x.copy()`` when the value has one, else a deep
    copy), as functions did to keep outputs from aliasing inputs or constants."""

    __module__ = "theano.compile.ops"  # Theano's path: reprs and pickles

    __props__ = ()
    check_input = False
    c_code_and_version: dict = {}

    def perform(self, node, inputs, output_storage, params=None):
        value = inputs[0]
        output_storage[0][0] = value.copy() if hasattr(value, "copy") else \
            copy.deepcopy(value)


deep_copy_op = DeepCopyOp()


def shape_i(var, i, fgraph=None):
    """``var.shape[i]`` (Theano used the graph's shape feature when there was one; the
    rewrites here resolve shapes of known size by themselves)."""
    return var.shape[i]


_SHAPE_I_OPS: dict = {}


def shape_i_op(i):
    """The one ``Shape_i(i)`` Op per `i` (Theano's cached constructor)."""
    op = _SHAPE_I_OPS.get(i)
    if op is None:
        op = _SHAPE_I_OPS[i] = Shape_i(i)
    return op


shape_i_op.cache = _SHAPE_I_OPS

# Theano's Types that Scan could add a dimension to, besides tensors: none.
expandable_types = ()

_C_CODE_NOTE = {"warned": False}


def _c_code_unused(what):
    if not _C_CODE_NOTE["warned"]:
        _C_CODE_NOTE["warned"] = True
        warnings.warn(
            f"theano.compile.ops.{what}: C code registered for a Type is not used by "
            "theano_compat (there is no C code generation: the compiled program is Python "
            "over NumPy or CuPy, and these Ops run for every Type); the call does nothing",
            stacklevel=3,
        )


def register_view_op_c_code(type, code, version=()):  # noqa: A002 - Theano's signature
    """No C code here: accepted and ignored (see the module docstring)."""
    _c_code_unused("register_view_op_c_code")


def register_deep_copy_op_c_code(typ, code, version=()):
    """No C code here: accepted and ignored (see the module docstring)."""
    _c_code_unused("register_deep_copy_op_c_code")


def register_shape_c_code(type, code, version=()):  # noqa: A002 - Theano's signature
    """No C code here: accepted and ignored (see the module docstring)."""
    _c_code_unused("register_shape_c_code")


def register_shape_i_c_code(typ, code, check_input, version=()):
    """No C code here: accepted and ignored (see the module docstring)."""
    _c_code_unused("register_shape_i_c_code")


def register_rebroadcast_c_code(typ, code, version=()):
    """No C code here: accepted and ignored (see the module docstring)."""
    _c_code_unused("register_rebroadcast_c_code")


def register_specify_shape_c_code(typ, code, version=(), c_support_code_apply=None):
    """No C code here: accepted and ignored (see the module docstring)."""
    _c_code_unused("register_specify_shape_c_code")


def load_back(mod, name):
    """The object named `name` in module `mod` (how an as_op Op unpickles)."""
    importlib.import_module(mod)
    return getattr(sys.modules[mod], name)


class FromFunctionOp(_FromFunctionOp):
    """An Op built by `as_op` around a Python function (Theano's ``FromFunctionOp``).

    Two such Ops are equal when they wrap the same function.  A pickle refers to the
    decorated name in its module, so only an Op bound to a module-level name pickles
    (PicklingError otherwise, as in Theano)."""

    __module__ = "theano.compile.ops"  # Theano's path: reprs and pickles

    # Equality, hashing and pickling by reference are _FromFunctionOp's (graph/op.py).


def as_op(itypes, otypes, infer_shape=None):
    """Decorator turning a NumPy function into an Op (Theano's ``compile.ops.as_op``).

    `itypes` / `otypes`: the Types of the inputs and outputs (one or a list);
    `infer_shape(node, input_shapes) -> output_shapes`, optional, lets shape rewrites
    see through the Op.
    """
    if not isinstance(itypes, (list, tuple)):
        itypes = [itypes]
    if any(not isinstance(t, Type) for t in itypes):
        raise TypeError("itypes has to be a list of Theano types")
    if not isinstance(otypes, (list, tuple)):
        otypes = [otypes]
    if any(not isinstance(t, Type) for t in otypes):
        raise TypeError("otypes has to be a list of Theano types")
    if infer_shape is not None and not callable(infer_shape):
        raise TypeError("infer_shape needs to be a callable")

    def make_op(fn):
        return FromFunctionOp(fn, list(itypes), list(otypes), infer_shape)

    return make_op

from collections import OrderedDict  # noqa: F401,E402 - names of Theano's module

from .legacy_names import (GOF, THEANO, integer_types, iteritems, lazy_names,  # noqa: F401,E402
                           xrange)

__getattr__, __dir__ = lazy_names(__name__, {"theano": THEANO, "gof": GOF})
