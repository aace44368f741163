"""theano.tensor.elemwise_cgen: Theano 1.0.5's generator of the C loops of Elemwise and
CAReduce.

theano_compat compiles no C code: elementwise graphs run as NumPy calls (fused groups
as one generated Python/NumPy function, see theano_compat/link/).  The names exist and
raise NotImplementedError at use.
"""

from __future__ import annotations

import sys

xrange = range
# The package (a name of Theano's module), looked up rather than imported: the tensor
# layer does not import the package root.
theano = sys.modules[__name__.split(".")[0]]


def _c_only(name, doc):
    def unavailable(*args, **kwargs):
        raise NotImplementedError(
            f"theano.tensor.elemwise_cgen.{name}: no C compiler in theano_compat, so no C "
            "loops; use T.Elemwise / T.elemwise.CAReduce Ops (they compute in NumPy; the "
            "Python linker computes the same)")

    unavailable.__name__ = unavailable.__qualname__ = name
    unavailable.__doc__ = f"{doc}\n\nNot available (no C code): raises NotImplementedError."
    return unavailable


make_declare = _c_only("make_declare", "C declarations of the loop variables.")
make_checks = _c_only("make_checks", "C checks of the operands' shapes.")
make_alloc = _c_only("make_alloc", "C allocation of an output.")
make_loop = _c_only("make_loop", "The C loop nest of an Elemwise.")
make_reordered_loop = _c_only("make_reordered_loop",
                              "The C loop nest of an Elemwise, in stride order.")
make_loop_careduce = _c_only("make_loop_careduce", "The C loop nest of a CAReduce.")
