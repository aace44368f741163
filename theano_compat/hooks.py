"""The one wiring point between layers: named hooks that higher layers fill at import.

Layers import only downward (DESIGN.md §3).  Where a lower layer needs a service that a
higher one provides (``Variable.eval`` needs the compiler, an OpFromGraph needs
``grad``), it calls a hook declared here; the providing layer fills the hook when it is
imported.  Every hook of the project is declared in this module, so the wiring is read
in one place, and an empty hook fails with a message naming who fills it instead of an
``AttributeError`` on ``None``.
"""

from __future__ import annotations


class HookNotWiredError(RuntimeError):
    """A hook was called before the layer that fills it was imported."""


class Hook:
    """A named slot for a callable or object that a higher layer provides.

    ``hook.fill(value)`` installs it (once per import of the provider; filling again
    replaces it, which a reload needs); ``hook.get()`` returns it; calling the hook calls
    the installed value.
    """

    __slots__ = ("name", "filled_by", "_value")

    def __init__(self, name, filled_by):
        self.name = name
        self.filled_by = filled_by
        self._value = None

    def fill(self, value):
        self._value = value
        return value

    @property
    def wired(self):
        return self._value is not None

    def get(self):
        value = self._value
        if value is None:
            raise HookNotWiredError(
                f"theano_compat hook {self.name!r} is not wired: {self.filled_by} fills it "
                f"when imported (`import theano` imports every layer)"
            )
        return value

    def __call__(self, *args, **kwargs):
        return self.get()(*args, **kwargs)

    def __repr__(self):
        state = "wired" if self.wired else "empty"
        return f"<Hook {self.name} ({state}; filled by {self.filled_by})>"


compile_function = Hook(
    "compile_function", "theano_compat.compile.function_module")
"""``compile_function(inputs, outputs, mode=None)`` -> a compiled function
(``theano.function`` without the legacy keywords).  Used by ``Variable.eval`` and by
``verify_grad``."""

debugprint = Hook("debugprint", "theano_compat.printing")
"""``debugprint(var, file="str")`` -> the graph's text, for the checking modes' messages
(``hooks.debugprint.wired`` is False until printing is imported)."""

lift_scalar_op = Hook("lift_scalar_op", "theano_compat.tensor.elemwise")
"""``lift_scalar_op(scalar_op, *tensor_inputs)`` -> the Elemwise output(s): what calling
a scalar op on tensors builds."""

gradient_api = Hook("gradient_api", "theano_compat.gradient")
"""An object with ``grad``, ``Rop``, ``Lop``, ``jacobian``, ``hessian``,
``consider_constant``, ``zero_grad``, ``disconnected_grad`` (the module
``theano_compat.gradient``).  Used by OpFromGraph, by ``verify_grad`` (gradient_check
sits below gradient) and by ``theano.tensor``'s names for them."""

map_over_index = Hook("map_over_index", "theano_compat.scan.index_map")
"""``map_over_index(n, index, outputs)`` -> a list: each graph of `outputs`, written over
the int64 scalar variable `index`, evaluated for index = 0 .. n-1 and stacked along a new
first axis, by a loop (a Scan node).  Used by ``jacobian`` and ``hessian``
(theano_compat.gradient), which sit below the loop layer."""

fused_function = Hook("fused_function", "theano_compat.link.fuse_cpu")
"""``fused_function(composite, xp, donated=(), patterns=None)`` -> the generated Python
function computing a scalar Composite on arrays of module `xp`.  Used by
``Composite.implementation`` (scalar layer): the fused CPU loop writer is in link/."""

stack_tensors = Hook("stack_tensors", "theano_compat.tensor.construct")
"""``stack_tensors(variables)`` -> one tensor stacking them (a MakeVector or a Join):
how ``as_tensor_variable`` (tensor/elemwise.py, the bottom of the tensor chain) converts
a Python list that holds variables; the stacking Ops sit above it in the chain."""

make_thunk = Hook("make_thunk", "theano_compat.gof.link")
"""``make_thunk(node, storage_map, compute_map, no_recycling, impl=None)`` -> the node's
thunk over those cells (Theano's ``Op.make_thunk``, which the Op base class offers)."""

construct_sparse_from_list = Hook("construct_sparse_from_list", "theano_compat.sparse.basic")
"""``construct_sparse_from_list(x, values, ilist)`` -> a sparse matrix of x's shape holding
the rows `values` at `ilist`: the gradient of ``AdvancedSubtensor1(sparse_grad=True)``
(tensor layer), whose sparse type lives above it (``import theano.sparse`` fills it)."""
