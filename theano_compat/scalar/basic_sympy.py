"""theano.scalar.basic_sympy: a scalar op from a SymPy expression (Theano's ``SymPyCCode``).

SymPy is not a dependency of this project.  The module imports without it; making a
`SymPyCCode` without SymPy installed raises ImportError saying so.  With SymPy installed
the op computes through ``sympy.lambdify`` (Theano compiled SymPy's C code; this project
has no C back-end) and differentiates through ``expr.diff``.
"""

import importlib
import importlib.util
import itertools as it

from ..graph.basic import Apply  # noqa: F401 - a name of Theano's module
from .op import ScalarOp
from .type import as_scalar, float32, float64, int64  # noqa: F401

imported_sympy = importlib.util.find_spec("sympy") is not None

names = (f"sympy_func_{i}" for i in it.count(0))


def include_line(line):
    return "#include" in line


def remove(pred, lst):
    return [x for x in lst if not pred(x)]


def _sympy():
    if not imported_sympy:
        raise ImportError("theano.scalar.basic_sympy.SymPyCCode needs SymPy, which is not "
                          "installed (pip install sympy); without it, write the expression "
                          "with theano.scalar ops (or a ScalarOp subclass with impl/grad)")
    return importlib.import_module("sympy")


def sympy_dtype(expr):
    """The C type SymPy's code generator gives `expr` ('double', 'float' or 'int')."""
    _sympy()
    if expr.is_integer:
        return "int"
    return "double"


def theano_dtype(expr):
    return {"double": float64, "float": float32, "int": int64}[sympy_dtype(expr)]


class SymPyCCode(ScalarOp):
    """A scalar op computing SymPy expression `expr` of the symbols `inputs`."""

    nin = property(lambda self: len(self.inputs))

    def __init__(self, inputs, expr, name=None):
        _sympy()
        self.name = name or next(names)
        self.inputs = inputs
        self.expr = expr

    def output_types(self, input_types):
        return [theano_dtype(self.expr)]

    def impl(self, *args):
        f = _sympy().lambdify(self.inputs, self.expr)
        return f(*args)

    def c_code(self, node, name, input_names, output_names, sub):
        raise NotImplementedError("SymPyCCode.c_code: this project has no C back-end; the op "
                                  "computes through sympy.lambdify instead")

    def grad(self, inputs, output_grads):
        return [SymPyCCode(self.inputs, self.expr.diff(inp), name=f"{self.name}_grad_{i}")(
            *inputs) * output_grads[0] for i, inp in enumerate(self.inputs)]

    def __eq__(self, other):
        return type(self) is type(other) and self.inputs == other.inputs and \
            self.expr == other.expr

    def __hash__(self):
        return hash((type(self), tuple(self.inputs), self.expr))


SymPyCCode.__module__ = "theano.scalar.basic_sympy"
