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

import copyreg

import numpy as np

from ..backend import special_function
from .. import hooks
from ..config import config
from ..errors import MethodNotDefined
from ..graph import legacy_pickle
from ..graph.basic import Apply, Constant, Variable
from ..graph.null import grad_undefined, is_disconnected, is_null
from ..graph.op import Op, _declares_props
from . import dtypes as D
from . import type as ST
from .dtype_casts import dtype_fixup, with_fixup
from .type_rules import from_dtype_rule


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

# The attributes of a declaration (the forms its consumers read), set by `_declare`.
_FORMS = ("nin", "ufunc", "special", "fn", "dtype_rule", "no_gradient", "grad_fn", "c_form",
          "py_form", "symbol", "pp_form", "print_name", "commutative", "takes_out", "tensor",
          "output_types_preference", "logistic_role", "py_int_form")


class ScalarOp(Op):
    """One elementwise operation (Theano's ``theano.scalar.ScalarOp``).

    Two ways to make one:

    * a declaration of the table (scalar/ops.py), ``ScalarOp(name, nin, dtype=..., ...)``,
      with the keywords below;
    * Theano's way, ``ScalarOp(output_types_preference=None, name=None)`` (usually a user
      subclass defining ``nin``, ``impl(*numbers)``, ``grad(inputs, output_grads)`` or
      ``L_op``, and ``output_types`` or an ``output_types_preference`` such as
      ``theano.scalar.upgrade_to_float``).  Elemwise runs ``impl`` per element (as
      Theano's Python code did, through ``numpy.frompyfunc``) and differentiates through
      ``grad`` applied to scalar variables, whose scalar graph becomes an Elemwise graph.

    Applied to tensors, a scalar op builds an Elemwise node; applied to scalar variables
    (``theano.scalar.float64('x')``), a scalar Apply node, which compiles too.

    Declaration keywords
    --------------------
    name : the Theano name (``add``, ``exp``...), also the attribute name in `scalar.ops`.
    nin : number of inputs.
    ufunc : name of a ufunc present in both numpy and cupy.
    special : name of a scipy.special function (cupyx.scipy.special on GPU).
    fn : ``fn(xp, *arrays)`` when neither of the above applies.
    dtype : ``dtype(*input_dtypes) -> output dtype`` (may raise TypeError).
    grad : ``grad(*inputs, output, output_grad) -> [input grads]`` over symbolic variables
        (tensors, or scalar variables), or a `NoGradient` (``grad_fn`` is then None).
    c_form : the CUDA C form, ``c_form(args, dtypes, rt) -> C expression or None`` (see
        scalar/c_forms.py), or a ``c_forms.NoCForm(reason)``.
    py_form : a template over the argument expressions (``"({0} + {1})"``) computing the
        op on Python floats bit-identically to NumPy's float64 loop, or None (division
        and library functions: Python's differ on zero divisors or in the last bit;
        ``_py_div`` of link/scalar_inline.py divides as NumPy does, see inv).
    py_int_form : the template computing the op on Python ints (link/int_inline.py), where
        it differs from py_form (comparisons, Switch, ``//``, ``%``, min/max, abs).
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

    A declaration whose name Theano gave a class of its own (``Add``, ``Exp``, ``LT``...)
    is made an instance of that class (`give_theano_class`, from the table's list
    ``THEANO_CLASSES`` in scalar/ops.py), so ``isinstance(op, theano.scalar.Add)`` and
    ``type(op).__name__`` read as in Theano.
    """

    nin = -1
    nout = 1
    # The forms of an op written in Theano's style: none (Elemwise runs `impl`).
    name = None
    ufunc = special = fn = dtype_rule = no_gradient = None
    c_form = py_form = symbol = pp_form = print_name = py_int_form = None
    commutative = takes_out = tensor = False

    def __init__(self, *args, **kwargs):
        if "dtype" in kwargs:
            self._declare(*args, **kwargs)
        else:
            self._init_theano(*args, **kwargs)

    def _declare(self, name, nin, *, dtype, ufunc=None, special=None, fn=None, grad=None,
                 c_form=None, py_form=None, symbol=None, pp_form=None, print_name=None,
                 commutative=False, takes_out=False, tensor=False, logistic_role=None,
                 py_int_form=None):
        self.name = name
        self.nin = nin
        self.ufunc = ufunc
        self.special = special
        self.fn = fn
        self.dtype_rule = dtype
        self.output_types_preference = from_dtype_rule(dtype)
        self.no_gradient = grad if isinstance(grad, NoGradient) else None
        self.grad_fn = None if self.no_gradient is not None else grad
        self.c_form = c_form
        self.py_form = py_form
        self.py_int_form = py_int_form
        self.symbol = symbol
        self.pp_form = pp_form
        self.print_name = print_name
        self.commutative = commutative
        self.takes_out = takes_out
        self.tensor = tensor
        # "sig", "sp" or "neg": the op's place in the logistic family that the linker
        # evaluates together (link/logistic.py reads it off the op, never by name).
        self.logistic_role = logistic_role
        ST.OPS_BY_NAME.setdefault(name, self)

    def _init_theano(self, output_types_preference=None, name=None):
        self.name = name
        table = getattr(type(self), "_table", None)
        if table is not None:
            # `theano.scalar.Exp(upgrade_to_float, name=...)`: the table's op of that class
            # with another output type rule (its forms, unless the subclass redefines them).
            forms = [f for f in _FORMS if f not in ("dtype_rule", "output_types_preference")]
            if type(self).impl is not ScalarOp.impl:
                forms = [f for f in forms if f not in ("ufunc", "special", "fn", "logistic_role")]
            if type(self).grad is not ScalarOp.grad or type(self).L_op is not ScalarOp.L_op:
                forms = [f for f in forms if f not in ("grad_fn", "no_gradient")]
            for f in forms:
                if f in table.__dict__:
                    self.__dict__[f] = table.__dict__[f]
        if output_types_preference is not None:
            if not callable(output_types_preference):
                raise TypeError(
                    "Expected a callable for the 'output_types_preference' argument to "
                    f"{type(self)}. (got: {output_types_preference})")
            self.output_types_preference = output_types_preference

    @property
    def __class__(self):
        # Theano's class of a table op (see give_theano_class), for isinstance.
        return self.__dict__.get("_theano_class") or type(self)

    def _has_array_form(self):
        return self.ufunc is not None or self.special is not None or self.fn is not None

    # -- types -------------------------------------------------------------------------------

    def output_dtype(self, *input_dtypes):
        """The output dtype for these input dtypes (TypeError when the op refuses them)."""
        if self.dtype_rule is not None:
            return self.dtype_rule(*input_dtypes)
        if self.nout != 1:
            raise NotImplementedError(
                f"{self} has {self.nout} outputs: Elemwise computes scalar ops of one output "
                "here; apply it to scalar variables, or write one op per output")
        types = self.output_types([ST.get_scalar_type(d) for d in input_dtypes])
        return types[0].dtype

    def output_types(self, types):
        """Theano's type inference: the output `Scalar` types for these input types."""
        if self.dtype_rule is not None:
            return [ST.get_scalar_type(self.dtype_rule(*[t.dtype for t in types]))]
        otp = getattr(self, "output_types_preference", None)
        if otp is None:
            raise NotImplementedError(f"Cannot calculate the output types for {self}: give it "
                                      "an output_types_preference or define output_types")
        variables = otp(*types)
        if not isinstance(variables, (list, tuple)) or \
                any(not isinstance(x, ST.Scalar) for x in variables):
            raise TypeError("output_types_preference should return a list or a tuple of types",
                            otp, variables)
        if len(variables) != self.nout:
            raise TypeError(f"Not the right number of outputs types produced for {self} by "
                            f"{otp}. Expected {self.nout}, got {len(variables)}.")
        return variables

    # -- scalar graphs -----------------------------------------------------------------------

    def __call__(self, *inputs, **kwargs):
        """Applied to scalar variables: a scalar Apply node (Theano's scalar graph);
        otherwise elementwise to tensors (an Elemwise, built by the tensor layer)."""
        if any(isinstance(i, Variable) and isinstance(i.type, ST.Scalar) for i in inputs):
            return Op.__call__(self, *inputs, **kwargs)
        return hooks.lift_scalar_op(self, *inputs)

    def make_node(self, *inputs):
        if self.nin >= 0 and len(inputs) != self.nin:
            if inputs and self.nin == 2 and ST.OPS_BY_NAME.get(self.name) is self \
                    and self.name in ("add", "mul"):
                # Theano's add and mul take any number of inputs: a left fold here.
                if len(inputs) == 1:
                    return ST.OPS_BY_NAME["identity"].make_node(inputs[0])
                acc = inputs[0]
                for x in inputs[1:-1]:
                    acc = self(acc, x)
                return self.make_node(acc, inputs[-1])
            raise TypeError(f"Wrong number of inputs for {self}.make_node (got "
                            f"{len(inputs)}({', '.join(map(str, inputs))}), expected "
                            f"{self.nin})")
        inputs = [ST.as_scalar(i) for i in inputs]
        outputs = [t() for t in self.output_types([i.type for i in inputs])]
        if len(outputs) != self.nout:
            raise TypeError(f"Not the right number of outputs produced for {self}"
                            f"({', '.join(map(str, inputs))}). Expected {self.nout}, got "
                            f"{len(outputs)}.")
        return Apply(self, inputs, outputs)

    def runner(self, node, xp):
        """The callable computing a scalar Apply node of this op on NumPy scalars."""
        out_types = [o.type for o in node.outputs]
        if self._has_array_form():
            in_dtypes = [i.type.dtype for i in node.inputs]
            casts, cast_out = dtype_fixup(self, in_dtypes, out_types[0].dtype)
            fn = with_fixup(self.implementation(np), casts, cast_out)
            out_type = out_types[0]

            def run_declared(*args):
                with np.errstate(all="ignore"):
                    return out_type.filter(fn(*[np.asarray(a) for a in args]),
                                           allow_downcast=True)

            return run_declared

        def run_impl(*args):
            result = self.impl(*args)
            if len(out_types) == 1:
                return out_types[0].filter(result, allow_downcast=True)
            return tuple(t.filter(v, allow_downcast=True) for t, v in zip(out_types, result))

        return run_impl

    def perform(self, node, inputs, output_storage, params=None):
        result = self.runner(node, np)(*inputs)
        if len(output_storage) == 1:
            output_storage[0][0] = result
        else:
            for storage, value in zip(output_storage, result):
                storage[0] = value

    def impl(self, *inputs):
        """The op on numbers (Theano's ``impl``): ``exp.impl(1.0)``.  An op written in
        Theano's style defines it."""
        if not self._has_array_form():
            raise MethodNotDefined(f"impl is not defined for {type(self).__name__}")
        with np.errstate(all="ignore"):
            r = self.implementation(np)(*[np.asarray(i) for i in inputs])
        return r[()] if isinstance(r, np.ndarray) and r.ndim == 0 else r

    def implementation(self, xp):
        """The callable computing this op on arrays of module `xp`."""
        if self.ufunc is not None:
            return getattr(xp, self.ufunc)
        if self.special is not None:
            return special_function(xp, self.special)
        fn = self.fn
        if fn is not None:
            if self.takes_out:
                return lambda *args, out=None: fn(xp, *args, out=out)
            return lambda *args: fn(xp, *args)
        return self._impl_per_element(xp)

    def _impl_per_element(self, xp):
        """An op written in Theano's style: `impl` called per element (numpy.frompyfunc),
        the result given the op's output dtype, as Theano's Elemwise.perform did."""
        if type(self).impl is ScalarOp.impl:
            raise MethodNotDefined(f"{type(self).__name__} defines no impl(): Elemwise cannot "
                                   "compute it")
        if xp is not np:
            raise NotImplementedError(
                f"{self}: an op written with impl() runs on NumPy arrays only (its Python "
                "impl is called per element); run it with device=cpu")
        per_element = np.frompyfunc(self.impl, self.nin, self.nout)

        def run(*arrays):
            out = self.output_dtype(*[str(np.asarray(a).dtype) for a in arrays])
            return np.asarray(per_element(*arrays)).astype(out)

        return run

    def array_result_dtype(self, in_dtypes):
        """The dtype `implementation` returns for arrays of `in_dtypes`: the declared one
        for an op written with impl() (it casts), None (probe it) for a table op."""
        return None if self._has_array_form() else self.output_dtype(*in_dtypes)

    # -- gradients ---------------------------------------------------------------------------

    def L_op(self, inputs, outputs, output_grads):
        if "grad_fn" in self.__dict__ or "no_gradient" in self.__dict__:
            if self.grad_fn is not None:
                return self.grad_fn(*inputs, outputs[0], output_grads[0])
            if outputs[0].type.dtype in D.discrete_dtypes:
                return [i.zeros_like(dtype=config.floatX if i.type.dtype in D.discrete_dtypes
                                     else i.type.dtype) for i in inputs]
            reason = self.no_gradient.reason if self.no_gradient else "no gradient"
            return [grad_undefined(self, k, i, f"the scalar op {self} has no gradient: "
                                   f"{reason}") for k, i in enumerate(inputs)]
        return self.grad(inputs, output_grads)

    def grad(self, inputs, output_grads):
        if "grad_fn" in self.__dict__ or "no_gradient" in self.__dict__:
            return self.L_op(inputs, self.make_node(*inputs).outputs, output_grads)
        raise MethodNotDefined(f"grad is not defined for {type(self).__name__}")

    def grad_fn(self, *args):
        """Elemwise's gradient contract, ``grad_fn(*inputs, output, output_grad)`` over
        tensors, for an op written in Theano's style: its L_op applied to scalar
        variables, and the scalar graph it returns rebuilt over the tensors (Theano's
        Elemwise did the same)."""
        nin = len(args) - 2
        inputs, output, g = args[:nin], args[nin], args[nin + 1]
        s_inputs = [ST.get_scalar_type(i.type.dtype)() for i in inputs]
        with config.change_flags(compute_test_value="off"):
            s_outputs = self.make_node(*[ST.get_scalar_type(i.type.dtype)()
                                         for i in inputs]).outputs
            s_g = ST.get_scalar_type(g.type.dtype)()
            s_grads = self.L_op(s_inputs, s_outputs, [s_g])
        memo = dict(zip(s_inputs, inputs))
        memo[s_outputs[0]] = output
        memo[s_g] = g
        return [None if sg is None else _over_tensors(sg, memo) for sg in s_grads]

    # -- rewrites ----------------------------------------------------------------------------

    @property
    def rewrite_keys(self):
        """A scalar op has no rewrite keys of its own (hasattr is False): a rule naming
        one (``node_rule(..., (S.mul,), ...)``) is indexed by the op itself and meant for
        its Elemwise nodes (whose keys are ``(Elemwise, op)``), while a scalar Apply node
        is looked up by its class, which no tensor rule names."""
        raise AttributeError("rewrite_keys")

    # -- identity ----------------------------------------------------------------------------

    def __eq__(self, other):
        if "dtype_rule" in self.__dict__ and self.__dict__["dtype_rule"] is not None:
            return self is other  # a declaration: one object per op
        if _declares_props(type(self)):
            return Op.__eq__(self, other)
        return type(self) is type(other) and \
            getattr(self, "output_types_preference", None) == \
            getattr(other, "output_types_preference", None)

    def __hash__(self):
        if "dtype_rule" in self.__dict__ and self.__dict__["dtype_rule"] is not None:
            return id(self)
        if _declares_props(type(self)):
            return Op.__hash__(self)
        return hash((type(self), getattr(self, "output_types_preference", 0)))

    def __str__(self):
        if self.name:
            return self.name
        params = [(k, v) for k, v in self.__dict__.items()
                  if k not in _FORMS and k != "name" and not k.startswith("_")]
        if params:
            return f"{type(self).__name__}{{{', '.join(f'{k}={v}' for k, v in params)}}}"
        return type(self).__name__

    __repr__ = __str__

    def __setstate__(self, state):
        # Theano 1.0.5's pickles: completed from the table's op (graph/legacy_pickle.py).
        legacy_pickle.restore(self, state, _table_op_of)

    def __reduce__(self):
        # Pickle table entries by name (they are singletons; their grad lambdas do not
        # pickle); other ops by their class and attributes.
        if self.name is not None and ST.OPS_BY_NAME.get(self.name) is self:
            return (by_name, (self.name,))
        if getattr(type(self), "_table", None) is not None:
            # A variant of a table op (``Exp(rule)``): made again from its arguments (the
            # forms it copied from the table do not pickle).
            return (type(self), (getattr(self, "output_types_preference", None), self.name))
        return (copyreg.__newobj__, (type(self),), self.__dict__.copy())


def _over_tensors(r, memo):
    """The tensor graph of scalar graph `r` (leaves in `memo`): each scalar Apply applied
    again to the tensors (an Elemwise), each constant as its value."""
    if r in memo:
        return memo[r]
    if is_null(r) or is_disconnected(r):
        return r
    if not isinstance(r, Variable):
        return r
    node = r.owner
    if node is None:
        if isinstance(r, Constant):
            return np.asarray(r.data, dtype=r.type.dtype)
        raise TypeError(f"the gradient graph uses {r}, which is neither an input, the output, "
                        "the output gradient nor a constant")
    if not isinstance(node.op, ScalarOp):
        raise TypeError(f"the gradient graph applies {node.op}, which is not a scalar op")
    args = [_over_tensors(i, memo) for i in node.inputs]
    if not any(isinstance(a, Variable) for a in args):
        # A constant sub-graph: evaluate it.
        value = node.op.runner(node, np)(*args)
        out = value if node.nout == 1 else value[r.index]
        memo[r] = np.asarray(out)
        return memo[r]
    out = node.op(*args)
    memo[r] = out if node.nout == 1 else out[r.index]
    return memo[r]


class UnaryScalarOp(ScalarOp):
    nin = 1


class BinaryScalarOp(ScalarOp):
    nin = 2


class LogicalComparison(BinaryScalarOp):
    """A comparison: bool output, zero gradients."""


class FixedLogicalComparison(UnaryScalarOp):
    """A test of one value (isnan, isinf): bool output, zero gradients."""


class UnaryBitOp(UnaryScalarOp):
    """A bitwise operation of one integer or bool input."""


class BinaryBitOp(BinaryScalarOp):
    """A bitwise operation of two integer or bool inputs."""


for _cls in (ScalarOp, UnaryScalarOp, BinaryScalarOp, LogicalComparison,
             FixedLogicalComparison, UnaryBitOp, BinaryBitOp):
    _cls.__module__ = "theano.scalar.basic"

def give_theano_class(op, class_name, module, base):
    """Give declaration `op` Theano's class of that op, a subclass of `base` made here
    (``theano.scalar.Exp(rule)`` makes a variant of the op).

    The declaration stays a plain `ScalarOp` (``type(op)``: the table's entries are one
    kind of object); its ``__class__`` reports the Theano class, which is what
    ``isinstance(op, theano.scalar.Exp)`` consults."""
    if type(op) is not ScalarOp:
        raise TypeError(f"{op} already has the class {type(op).__name__}")
    op.__dict__["_theano_class"] = type(class_name, (base,), {
        "__module__": module, "__qualname__": class_name, "_table": op,
        "__doc__": f"Theano's {class_name}: the class of the scalar op ``{op.name}``."})


def theano_class(name):
    """Theano's class of the table op `name` (``theano_class('add')`` is ``Add``)."""
    return ST.OPS_BY_NAME[name].__class__


def tensor_level():
    """``{tensor name: scalar op}`` of every op declared with ``tensor=True``, in order."""
    return {name: op for name, op in ST.OPS_BY_NAME.items() if op.tensor}


def _table_op_of(obj, state):
    """The table's op a scalar op of Theano's pickle stands for: the one of its name
    and class, else the one of its class, else one made from its props."""
    cls = type(obj)
    op = ST.OPS_BY_NAME.get(state.get("name"))
    if op is None or (op.__class__ is not cls and type(op) is not cls):
        # (``__class__``: Theano's class of a table op.)  By class only when one op has it.
        found = {id(o): o for o in ST.OPS_BY_NAME.values() if o.__class__ is cls}
        op = next(iter(found.values())) if len(found) == 1 else None
    if op is None:
        return legacy_pickle.from_props(obj, state)
    obj.__dict__["_pickle_canonical"] = op  # what an Elemwise of it is made with
    return op


def by_name(name):
    """The scalar op registered under `name` (used to unpickle graphs)."""
    return ST.OPS_BY_NAME[name]


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

