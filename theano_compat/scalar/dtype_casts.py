"""How a scalar op runs on arrays so its result has the dtype the graph declared.

NumPy picks a result dtype from its inputs ("natural" dtype); Theano's type rules
sometimes declare another one (``exp(int8)`` is float32, int/int ``/`` is floatX).  Theano's
C code casts the operands first, so the computation happens in the declared precision.
`dtype_fixup` says which casts reproduce that, and `with_fixup` applies them.  Elemwise
and the fused Composite code both use these two functions, so a fused graph computes
exactly what the unfused one does.
"""

from __future__ import annotations

import numpy as np

from . import dtypes as D

_NATURAL = {}

# NumPy 1.x casts by value: a 0-d operand (a constant, a scalar input) of a wider dtype
# than the arrays it meets is computed in the arrays' dtype (float32 array * float64 0-d
# -> float32), where NumPy 2 (NEP 50) and Theano's C code compute in the declared dtype.
# There, dtype_fixup casts the operands of a many-input op to the declared dtype first.
_VALUE_BASED_CASTING = np.lib.NumpyVersion(np.__version__) < "2.0.0"
_KIND_GROUP = {"u": "int", "i": "int", "f": "float", "c": "complex"}


def natural_dtype(scalar_op, in_dtypes):
    """The dtype the array library gives `scalar_op` for these input dtypes (probed once;
    None when the library refuses those dtypes)."""
    key = (scalar_op, tuple(in_dtypes))
    if key not in _NATURAL:
        # An op that knows (a Composite: its steps cast as they go) answers without a
        # probe, which for a fused group would compile and run a body as long as it.
        known = getattr(scalar_op, "array_result_dtype", None)
        known = known(key[1]) if known is not None else None
        if known is not None:
            _NATURAL[key] = known
            return known
        probes = [np.ones(1, dtype=d) for d in in_dtypes]
        with np.errstate(all="ignore"):
            try:
                result = scalar_op.implementation(np)(*probes)
                _NATURAL[key] = str(np.asarray(result).dtype)
            except TypeError:
                _NATURAL[key] = None
    return _NATURAL[key]


def dtype_fixup(scalar_op, in_dtypes, out_dtype):
    """``(input_casts, output_cast)`` making `scalar_op` produce `out_dtype`.

    `input_casts` has one entry per input: the dtype to cast that input to, or None;
    `output_cast` is the dtype to cast the result to, or None.  Both are empty (all None)
    when the library already gives `out_dtype`.
    """
    in_dtypes = tuple(in_dtypes)
    none = (None,) * len(in_dtypes)
    natural = natural_dtype(scalar_op, in_dtypes)
    if natural == out_dtype:
        if _VALUE_BASED_CASTING and len(in_dtypes) > 1 and out_dtype != "bool" \
                and getattr(scalar_op, "array_result_dtype", lambda d: None)(in_dtypes) is None:
            # Only an operand of the output's kind (float32 for float64...) can be computed
            # in a narrower dtype than declared; others keep their loops (and in-place use).
            kind = _KIND_GROUP.get(np.dtype(out_dtype).kind)
            casts = tuple(out_dtype if d != out_dtype and _KIND_GROUP.get(np.dtype(d).kind) == kind
                          else None for d in in_dtypes)
            return casts, None
        return none, None
    if out_dtype in D.float_dtypes and natural != "bool":
        # Compute in the output precision (Theano's C code casts its operands first).
        casts = tuple(out_dtype if d != out_dtype else None for d in in_dtypes)
        # Some special functions compute in float64 whatever their input (scipy's
        # polygamma, used by the gradient of psi): cast their result back as well.
        cast_dtypes = [c or d for c, d in zip(casts, in_dtypes)]
        cast_out = natural_dtype(scalar_op, cast_dtypes) != out_dtype
        return casts, (out_dtype if cast_out else None)
    return none, out_dtype


def with_fixup(fn, input_casts, output_cast):
    """`fn` wrapped with the casts of `dtype_fixup` (`fn` itself when there are none)."""
    if not any(input_casts):
        if output_cast is None:
            return fn

        def run_cast_output(*args):
            return fn(*args).astype(output_cast)

        return run_cast_output

    def run_cast_inputs(*args):
        out = fn(*[a if c is None else a.astype(c) for a, c in zip(args, input_casts)])
        return out if output_cast is None else out.astype(output_cast)

    return run_cast_inputs
