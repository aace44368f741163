"""ScalarOp: the description of one elementwise operation, written once.

A ScalarOp is one declaration (scalar/ops.py) from which every consumer reads what it
needs: the implementation on arrays (a ufunc name valid in NumPy and CuPy, a
special-function name, or an ``xp``-generic Python function: Elemwise and the fused CPU
code, link/fuse_cpu.py), the output dtype rule, the gradient (a function over symbolic
variables, or a `NoGradient` saying why there is none), the CUDA C form (fused kernels,
link/fuse_cuda.py; builders in scalar/c_forms.py), the Python-float form (0-d float64
code, link/scalar_inline.py), how the printers write it (``theano.pp`` in printing.py,
Composite names in scalar/composite.py), and whether ``theano.tensor`` exports it.
tests/unit/scalar/test_ops.py fails when a declaration lacks a form that a
consumer needs.
"""

from __future__ import annotations

from ..backend import special_function
from .. import hooks
from ..config import config
from . import dtypes as D


class NoGradient:
    """The gradient declaration of an op without a formula, with the reason.

    Elemwise then gives zeros where the output is discrete (integer, bool) and an
    undefined-gradient error where a float output depends on a float input."""

    def __init__(self, reason):
        self.reason = reason

    def __repr__(self):
        return f"NoGradient({self.reason!r})"


# Ops whose output is always discrete: Elemwise gives their inputs zero gradients without
# calling a formula (tests/unit/scalar/test_ops.py checks the dtype rules agree).
DISCRETE_OUTPUT = NoGradient("integer or boolean output: zero gradients (Elemwise)")


class ScalarOp:
    """One elementwise operation.

    Parameters
    ----------
    name : the Theano name (``add``, ``exp``...), also the attribute name in `scalar.ops`.
    nin : number of inputs.
    ufunc : name of a ufunc present in both numpy and cupy.
    special : name of a scipy.special function (cupyx.scipy.special on GPU).
    fn : ``fn(xp, *arrays)`` when neither of the above applies.
    dtype : ``dtype(*input_dtypes) -> output dtype`` (may raise TypeError).
    grad : ``grad(*inputs, output, output_grad) -> [input grads]`` over symbolic tensors,
        or a `NoGradient` (``grad_fn`` is then None).
    c_form : the CUDA C form, ``c_form(args, dtypes, rt) -> C expression or None`` (see
        scalar/c_forms.py), or a ``c_forms.NoCForm(reason)``.
    py_form : a template over the argument expressions (``"({0} + {1})"``) computing the
        op on Python floats bit-identically to NumPy's float64 loop, or None (division
        and library functions: Python's differ on zero divisors or in the last bit).
    symbol : the operator Theano's printers write, infix ``(a + b)`` or, with one input,
        prefix ``(-a)``; None: printed as a call.
    pp_form : ``theano.pp``'s text, a template over the argument texts, where it differs
        from the symbol or from ``name(args)`` (``|{0}|`` for abs_).
    print_name : the name Theano's scalar printer wrote in Composite names where it is not
        ``str(op)``: the class name of ops Theano declared without a name (``Abs``, ``LT``).
    commutative : the inputs of a two-input op may be swapped (read by rewrite patterns).
    tensor : True when ``theano.tensor`` exports the op under its name, as an Elemwise
        (`tensor_level` lists them in declaration order).
    takes_out : `fn` behaves as a ufunc towards fused code: it accepts ``out=`` (an array
        of the result's shape and dtype, written and returned) and otherwise returns a
        new array, so fused code may reuse buffers through it.
    """

    nout = 1

    def __init__(self, name, nin, *, dtype, ufunc=None, special=None, fn=None, grad=None,
                 c_form=None, py_form=None, symbol=None, pp_form=None, print_name=None,
                 commutative=False, takes_out=False, tensor=False):
        self.name = name
        self.nin = nin
        self.ufunc = ufunc
        self.special = special
        self.fn = fn
        self.dtype_rule = dtype
        self.no_gradient = grad if isinstance(grad, NoGradient) else None
        self.grad_fn = None if self.no_gradient is not None else grad
        self.c_form = c_form
        self.py_form = py_form
        self.symbol = symbol
        self.pp_form = pp_form
        self.print_name = print_name
        self.commutative = commutative
        self.takes_out = takes_out
        self.tensor = tensor
        _BY_NAME.setdefault(name, self)

    def output_dtype(self, *input_dtypes):
        return self.dtype_rule(*input_dtypes)

    def implementation(self, xp):
        """The callable computing this op on arrays of module `xp`."""
        if self.ufunc is not None:
            return getattr(xp, self.ufunc)
        if self.special is not None:
            return special_function(xp, self.special)
        fn = self.fn
        if self.takes_out:
            return lambda *args, out=None: fn(xp, *args, out=out)
        return lambda *args: fn(xp, *args)

    def __call__(self, *inputs):
        """Apply elementwise to symbolic tensors (lifted by the tensor layer)."""
        return hooks.lift_scalar_op(self, *inputs)

    def __str__(self):
        return self.name

    __repr__ = __str__

    def __reduce__(self):
        # Pickle by name: table entries are singletons (their grad lambdas do not pickle).
        return (by_name, (self.name,))


_BY_NAME = {}


def tensor_level():
    """``{tensor name: scalar op}`` of every op declared with ``tensor=True``, in order."""
    return {name: op for name, op in _BY_NAME.items() if op.tensor}


def by_name(name):
    """The scalar op registered under `name` (used to unpickle graphs)."""
    return _BY_NAME[name]


# ----------------------------------------------------------------------------- dtype rules


def upcast_out(*dts):
    return D.upcast(*dts)


def upcast_out_nobool(*dts):
    out = D.upcast(*dts)
    if out == "bool":
        raise TypeError("bool output not supported by this operation (use ~ or xor instead)")
    return out


def same_out(*dts):
    return dts[0]


def same_out_nobool(*dts):
    if dts[0] == "bool":
        raise TypeError("bool input not supported by this operation")
    return dts[0]


def float_out(*dts):
    return D.upgrade_to_float(D.upcast(*dts))


def float_only(*dts):
    out = D.upcast(*dts)
    if out not in D.float_dtypes:
        raise TypeError(f"this operation is only defined for float inputs, got {', '.join(dts)}")
    return out


def bool_out(*dts):
    return "bool"


def int_only(*dts):
    out = D.upcast(*dts)
    if out not in D.discrete_dtypes:
        raise TypeError(f"this operation is only defined for integer/bool inputs, got {out}")
    return out


def true_div_out(*dts):
    if all(d in D.discrete_dtypes for d in dts):
        if config.int_division == "raise":
            raise TypeError(
                "Dividing integers with `/` is ambiguous: use `//` for integer division "
                "or cast to float first"
            )
        # Theano 1.0.5: `/` on integers gives floatX whatever int_division says (only
        # 'raise' changes it); `//` is the integer division.
        return config.floatX
    return D.upcast(*dts)

