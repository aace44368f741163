"""The gradient-rule Ops: identity in the forward pass, a rule of their own backward.

``zero_grad``, ``disconnected_grad``, ``undefined_grad``, ``grad_clip``, ``grad_scale``
and the deprecated ``consider_constant`` (Theano's ``theano.gradient`` names, which that
module re-exports).  They are tensor Ops, applied by graph builders below the gradient
layer too: the MRG random streams mark their parameters with ``undefined_grad``.  Their
classes name ``theano.gradient`` as their module, Theano's path (pickles, reprs).
"""

from __future__ import annotations

import warnings

from ..graph.basic import Apply, Variable
from ..graph.null import disconnected_type, grad_undefined
from ..graph.op import Op
from .elemwise import as_tensor_variable, zeros_like
from .math import clip

class ViewGradOp(Op):
    """Identity in the forward pass with a custom gradient rule (zero_grad, grad_clip...)."""

    __props__ = ("kind", "a", "b")
    view_map = {0: [0]}
    a = b = None  # Theano 1.0.5's pickles of the no-argument ones store no attributes

    def __init__(self, kind, a=None, b=None):
        self.kind, self.a, self.b = kind, a, b

    def make_node(self, x):
        x = as_tensor_variable(x)
        return Apply(self, [x], [x.type()])

    def impl(self, xp, x):
        return x

    def infer_shape(self, node, shapes):
        return shapes

    def L_op(self, inputs, outputs, grads):
        (x,), (g,) = inputs, grads
        if self.kind in ("zero", "constant"):
            return [zeros_like(g)]
        if self.kind == "disconnected":
            return [disconnected_type()]
        if self.kind == "clip":
            return [clip(g, self.a, self.b)]
        if self.kind == "scale":
            return [g * self.a]
        if self.kind == "undefined":
            return [grad_undefined(self, 0, x)]
        return [g]

    def R_op(self, inputs, eval_points):
        if self.kind in ("zero", "disconnected", "undefined"):
            # Theano 1.0.5: these pass no tangent forward (the output acts as a constant).
            return [zeros_like(inputs[0])]
        return [eval_points[0]]

    def connection_pattern(self, node):
        return [[self.kind != "disconnected"]]

    def __str__(self):
        return {"zero": "ZeroGrad", "disconnected": "DisconnectedGrad", "clip": "GradClip",
                "scale": "GradScale", "constant": "ConsiderConstant",
                "undefined": "UndefinedGrad"}[self.kind]


# Theano's class names for the gradient-rule ops (code checks `isinstance(op, ZeroGrad)`).


class ConsiderConstant(ViewGradOp):
    kind = "constant"  # Theano 1.0.5's pickles of it store no attributes

    def __init__(self):
        super().__init__("constant")


class ZeroGrad(ViewGradOp):
    kind = "zero"  # Theano 1.0.5's pickles of it store no attributes

    def __init__(self):
        super().__init__("zero")


class DisconnectedGrad(ViewGradOp):
    kind = "disconnected"  # Theano 1.0.5's pickles of it store no attributes

    def __init__(self):
        super().__init__("disconnected")


class UndefinedGrad(ViewGradOp):
    kind = "undefined"  # Theano 1.0.5's pickles of it store no attributes

    def __init__(self):
        super().__init__("undefined")


class GradClip(ViewGradOp):
    def __init__(self, clip_lower_bound, clip_upper_bound):
        if (not isinstance(clip_lower_bound, Variable) and not isinstance(clip_upper_bound,
                                                                          Variable)
                and clip_upper_bound < clip_lower_bound):
            raise ValueError(f"grad_clip: the upper bound {clip_upper_bound} is below the "
                             f"lower bound {clip_lower_bound}")
        super().__init__("clip", clip_lower_bound, clip_upper_bound)


class GradScale(ViewGradOp):
    def __init__(self, multiplier):
        super().__init__("scale", multiplier)


def consider_constant(x):
    """x, but the gradient is not propagated through it (deprecated in Theano 1.0.5)."""
    warnings.warn("consider_constant() is deprecated, use zero_grad() or disconnected_grad() "
                  "instead.", stacklevel=2)
    return ConsiderConstant()(x)


def zero_grad(x):
    """x with a zero gradient."""
    return ZeroGrad()(x)


def disconnected_grad(x):
    """x whose gradient is disconnected (as if x did not depend on its inputs)."""
    return DisconnectedGrad()(x)


def grad_clip(x, lower_bound, upper_bound):
    """x whose gradient is clipped to [lower_bound, upper_bound] in the backward pass."""
    return GradClip(lower_bound, upper_bound)(x)


def grad_scale(x, multiplier):
    """x whose gradient is multiplied by `multiplier` in the backward pass."""
    return GradScale(multiplier)(x)


def undefined_grad(x):
    """x whose gradient is undefined: differentiating through it raises NullTypeGradError."""
    return UndefinedGrad()(x)


for _cls in (ViewGradOp, ConsiderConstant, ZeroGrad, DisconnectedGrad, UndefinedGrad, GradClip,
             GradScale):
    _cls.__module__ = "theano.gradient"
