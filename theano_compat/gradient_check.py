"""Finite-difference checking of symbolic gradients: Theano's verify_grad and numeric_grad.

Exported through theano.gradient under Theano 1.0.5's names and signatures: the gradient
module imports this one, and `verify_grad` reaches `grad` through ``hooks.gradient_api``.
"""

from __future__ import annotations

import numpy as np

from . import hooks
from .graph import shared as _graph_shared
from .tensor import math as TM
from .tensor.type import TensorType


class GradientError(Exception):
    """verify_grad found a symbolic gradient that disagrees with finite differences.

    `arg` is the input index, `err_pos` the flat position of the worst entry, `val1` the
    symbolic (analytic) value there and `val2` the numeric one.
    """

    __module__ = "theano.gradient"  # Theano's path: reprs and pickles

    def __init__(self, arg, err_pos, shape, val1, val2, abs_err, rel_err, abs_tol, rel_tol):
        super().__init__()
        self.arg, self.err_pos, self.shape = arg, err_pos, shape
        self.val1, self.val2 = val1, val2
        self.abs_err, self.rel_err = abs_err, rel_err
        self.abs_tol, self.rel_tol = abs_tol, rel_tol

    def __str__(self):
        extra = ", ".join(str(a) for a in self.args)
        return (
            "GradientError: numeric gradient and analytic gradient exceed tolerance:\n"
            f"        At position {self.err_pos} of argument {self.arg} with shape "
            f"{self.shape},\n"
            f"            val1 = {self.val1:f}      ,  val2 = {self.val2:f}\n"
            f"            abs. error = {self.abs_err:f},  abs. tolerance = {self.abs_tol:f}\n"
            f"            rel. error = {self.rel_err:f},  rel. tolerance = {self.rel_tol:f}\n"
            f"Exception args: {extra}"
        )


class numeric_grad:  # noqa: N801 - Theano's name
    """Forward-difference gradient of a scalar function f(*pt) (Theano's numeric_grad).

    Every input entry is moved by `eps` in turn: ``(f(x + eps e_i) - f(x)) / eps``.  The
    inputs are packed in the most precise of their dtypes; `eps` defaults to the largest
    step among their dtypes (``type_eps``).  The gradient is in ``self.gf``, a list like
    `pt` (a single array when `pt` is one array).
    """

    __module__ = "theano.gradient"  # Theano's path: reprs and pickles

    type_eps = {"float64": 1e-7, "float32": 3e-4, "float16": 1e-1,
                np.dtype("float64"): 1e-7, np.dtype("float32"): 3e-4,
                np.dtype("float16"): 1e-1}

    def __init__(self, f, pt, eps=None, out_type=None):
        single = not isinstance(pt, (list, tuple))
        points = [np.array(p) for p in ([pt] if single else pt)]
        dtypes = [str(p.dtype) for p in points]
        for k, dt in enumerate(dtypes):
            if dt not in self.type_eps:
                raise TypeError(f"numeric_grad needs float inputs; input {k} has dtype {dt}")
        work = min(dtypes, key=lambda dt: self.type_eps[dt])
        if eps is None:
            eps = max(self.type_eps[dt] for dt in dtypes)
        grad_dtype = out_type if out_type is not None and out_type.startswith("complex") \
            else work
        sizes = [p.size for p in points]
        flat = np.concatenate([p.ravel() for p in points]).astype(work) if points else \
            np.zeros(0, work)
        gflat = np.zeros(flat.size, dtype=grad_dtype)

        def unpack(vec):
            out, start = [], 0
            for p, size in zip(points, sizes):
                out.append(vec[start:start + size].reshape(p.shape).copy())
                start += size
            return out

        f_x = f(*unpack(flat))
        for i in range(flat.size):
            moved = flat.copy()
            moved[i] += eps
            gflat[i] = (f(*unpack(moved)) - f_x) / eps
        self.gf = unpack(gflat)
        if single:
            self.gf = self.gf[0]

    @staticmethod
    def abs_rel_err(a, b):
        """Absolute and relative error: |a - b| and |a - b| / max(|a| + |b|, 1e-8)."""
        abs_err = np.asarray(abs(a - b))
        return abs_err, np.asarray(abs_err / np.maximum(abs(a) + abs(b), 1e-8))

    def abs_rel_errors(self, g_pt):
        """[(abs_err, rel_err)] of each symbolic gradient in `g_pt` against ``self.gf``."""
        gf = self.gf if isinstance(self.gf, list) else [self.gf]
        if len(g_pt) != len(gf):
            raise ValueError("argument has wrong number of elements", len(g_pt))
        errs = []
        for k, (a, b) in enumerate(zip(g_pt, gf)):
            if np.shape(a) != np.shape(b):
                raise ValueError(f"argument element {k} has wrong shape "
                                 f"{(np.shape(a), np.shape(b))}")
            errs.append(self.abs_rel_err(np.asarray(a), b))
        return errs

    def max_err(self, g_pt, abs_tol, rel_tol):
        """The worst entry over `g_pt`: (arg, flat position, abs error, rel error).

        An entry's badness is min(abs_err / abs_tol, rel_err / rel_tol): above 1 means
        both tolerances are exceeded.
        """
        worst = []
        for abs_err, rel_err in self.abs_rel_errors(g_pt):
            if not np.all(np.isfinite(abs_err)):
                raise ValueError("abs_err not finite", repr(abs_err))
            if not np.all(np.isfinite(rel_err)):
                raise ValueError("rel_err not finite", repr(rel_err))
            scaled = np.minimum(abs_err / abs_tol, rel_err / rel_tol).ravel()
            pos = int(scaled.argmax()) if scaled.size else 0
            worst.append((scaled[pos] if scaled.size else -1.0, pos,
                          abs_err.ravel()[pos] if scaled.size else 0.0,
                          rel_err.ravel()[pos] if scaled.size else 0.0))
        arg = int(np.argmax([w[0] for w in worst]))
        return arg, worst[arg][1], worst[arg][2], worst[arg][3]


# Default tolerances of verify_grad: the loosest among the input dtypes is used.
_VERIFY_TOL = {"float16": 5e-2, "float32": 1e-2, "float64": 1e-4}


def mode_not_slow(mode):
    """`mode`, or FAST_RUN when it names a slow checking mode (DebugMode)."""
    name = mode if isinstance(mode, str) else type(mode).__name__ if mode is not None else None
    if name in ("DebugMode", "DEBUG_MODE"):
        return "FAST_RUN"
    return mode


def _compile(inputs, outputs, mode):
    # verify_grad compiles; the compile layer sits above this one (a hook, not an import).
    # (accept_inplace: Theano's verify_grad compiled in-place Ops too, exp_inplace...)
    return hooks.compile_function(inputs, outputs, mode=mode, accept_inplace=True)


def verify_grad(fun, pt, n_tests=2, rng=None, eps=None, out_type=None, abs_tol=None,
                rel_tol=None, mode=None, cast_to_output_type=False, no_debug_ref=True):
    """Check the symbolic gradient of `fun` against finite differences (Theano's test tool).

    `fun` maps symbolic inputs (one per array of the list `pt`, with the same dtypes) to
    one symbolic output.  The cost ``sum(r * fun(*inputs))`` with a random projection `r`
    (drawn from `rng`, a numpy RandomState) is differentiated symbolically and by
    `numeric_grad` at `pt`, `n_tests` times with new projections.  Raises
    ``verify_grad.E_grad`` (GradientError) when an entry exceeds both `abs_tol` and
    `rel_tol` (defaults per dtype: float64 1e-4, float32 1e-2, float16 5e-2).
    """
    if not isinstance(pt, (list, tuple)):
        raise TypeError("verify_grad can work only with lists of ndarrays: pass pt=[array, ...]")
    pt = [np.array(p) for p in pt]
    for k, p in enumerate(pt):
        if str(p.dtype) not in _VERIFY_TOL:
            raise TypeError(f"verify_grad can work only with floating point inputs, but input "
                            f"{k} has dtype \"{p.dtype}\".")
    if rng is None:
        raise TypeError(
            "rng should be a valid instance of numpy.random.RandomState. You may want to use "
            "theano.tests.unittest_tools.verify_grad instead of theano.gradient.verify_grad."
        )
    if abs_tol is None:
        abs_tol = max(_VERIFY_TOL[str(p.dtype)] for p in pt)
    if rel_tol is None:
        rel_tol = max(_VERIFY_TOL[str(p.dtype)] for p in pt)
    tensor_pt = [TensorType(str(p.dtype), tuple(s == 1 for s in p.shape))(f"input {k}")
                 for k, p in enumerate(pt)]
    o_output = fun(*tensor_pt)
    if isinstance(o_output, (list, tuple)):
        raise NotImplementedError("cant (yet) autotest gradient of fun with multiple outputs: "
                                  "check each output with its own verify_grad call")
    o_fn_out = _compile(tensor_pt, o_output, mode)(*[p.copy() for p in pt])
    if isinstance(o_fn_out, (list, tuple)):
        raise TypeError("It seems like you are trying to use verify_grad on an op or a "
                        "function which outputs a list: there should be a single (array-like) "
                        "output instead")

    def random_projection():
        shape = np.shape(o_fn_out)
        plain = (rng.rand(*shape) if hasattr(rng, "rand") else rng.random(shape)) + 0.5
        if cast_to_output_type and o_output.type.dtype == "float32":
            return np.asarray(plain, dtype="float32")
        return plain

    t_r = _graph_shared.shared(random_projection(), borrow=True, name="random_projection")
    cost = TM.sum(t_r * o_output)
    compiled_cost = _compile(tensor_pt, cost, mode_not_slow(mode) if no_debug_ref else mode)

    def cost_fn(*values):
        # numeric_grad moves every input in the most precise dtype among them; give each
        # input its own dtype back (Theano 1.0.5 raised for mixed float32/float64 points).
        return compiled_cost(*[np.asarray(v, dtype=p.dtype) for v, p in zip(values, pt)])

    # grad comes from theano_compat.gradient, which imports this module (to export Theano's
    # theano.gradient.verify_grad): reached through its hook, not imported back.
    grad = hooks.gradient_api.get().grad
    grad_fn = _compile(tensor_pt, grad(cost, tensor_pt, disconnected_inputs="ignore"), mode)
    for test_num in range(n_tests):
        try:
            num_grad = numeric_grad(cost_fn, [p.copy() for p in pt], eps, out_type)
            # A sparse gradient (theano.sparse_grad) is compared as its dense matrix, as
            # Theano's scipy did (sparse - dense gave a dense matrix).
            analytic = [a.toarray() if hasattr(a, "toarray") else a
                        for a in grad_fn(*[p.copy() for p in pt])]
            arg, pos, abs_err, rel_err = num_grad.max_err(analytic, abs_tol, rel_tol)
            if abs_err > abs_tol and rel_err > rel_tol:
                raise verify_grad.E_grad(arg, pos, analytic[arg].shape,
                                         analytic[arg].ravel()[pos],
                                         num_grad.gf[arg].ravel()[pos], abs_err, rel_err,
                                         abs_tol, rel_tol)
            if test_num < n_tests - 1:
                t_r.set_value(random_projection(), borrow=True)
        except Exception as e:
            e.args += ("\nThe error happened with the following inputs:", pt,
                       "\nThe value of eps is:", eps, "\nThe out_type is:", out_type)
            raise


verify_grad.E_grad = GradientError
