"""OpFromGraph: a graph wrapped as one Op (Theano's ``theano.compile.builders``).

``OpFromGraph(inputs, outputs)`` makes an Op whose application computes `outputs` from
`inputs`.  The inner graph is a private copy: the given inputs are replaced by fresh
stand-ins (they may be intermediate variables of a bigger graph, which is then cut
there), and shared variables it reads become extra inputs of every node, after the
explicit ones (Theano did the same, so gradients reach them).

At link time the Op is handed ``compile_inner`` (graph.op.runner_for) and compiles its
inner graph once per compiled function, with that function's mode and backend; without
it (constant folding, ``perform``) the inner graph is interpreted node by node.
Gradients and R_op differentiate the inner graph and wrap the result in another
OpFromGraph, unless overridden (``grad_overrides`` / ``lop_overrides`` /
``rop_overrides``).  With ``inline=True`` the canonicalize phase replaces each node by
a copy of the inner graph (rule ``inline_ofg_expansion``), so the un-rewritten graph
still shows the Op, as in Theano.
"""

from __future__ import annotations

import copy
import functools
import weakref

from .. import hooks
from ..config import change_flags, config
from ..errors import MissingInputError
from ..graph.basic import Apply, Constant, Variable, clone_replace, graph_inputs, io_toposort
from ..graph.null import DisconnectedType, NullType, disconnected_type, is_disconnected, is_null
from ..graph.op import Op, runner_for
from ..graph.shared import SharedVariable
from ..scalar import dtypes as D
from . import basic as B
from .type import TensorType

# theano.function arguments Theano passed on to the inner function; the inner graph is
# compiled with the mode of the function that contains it, so these are accepted and
# have no effect.
_FUNCTION_KWARGS = {"mode", "profile", "on_unused_input", "name", "accept_inplace",
                    "allow_input_downcast", "rebuild_strict", "no_default_updates"}


class OpFromGraph(Op):
    """An Op computing `outputs` from `inputs` (lists of variables).

    Parameters follow Theano 1.0.5: ``inline`` (substitute the inner graph at compile
    time), ``grad_overrides`` / ``lop_overrides`` (mutually exclusive) and
    ``rop_overrides`` (each 'default', a callable, an OpFromGraph, a NullType or
    DisconnectedType variable, or a list of those with one entry per input (gradients)
    or per output (R_op)), ``connection_pattern``, ``name``.  Ops compare by identity.
    """

    __module__ = "theano.compile.builders"  # Theano's path: reprs and pickles

    has_inner_graph = True

    def __init__(self, inputs, outputs, inline=False, lop_overrides="default",
                 grad_overrides="default", rop_overrides="default", connection_pattern=None,
                 name=None, **kwargs):
        if "updates" in kwargs or "givens" in kwargs:
            raise TypeError("updates and givens are not allowed here: OpFromGraph computes "
                            "its outputs from its inputs only")
        unknown = sorted(set(kwargs) - _FUNCTION_KWARGS)
        if unknown:
            raise TypeError(f"OpFromGraph got unexpected keyword arguments {unknown}")
        inputs, outputs = _check_io(inputs, outputs)
        self.is_inline = bool(inline)
        self.name = name
        self.kwargs = kwargs
        self._cp_override = connection_pattern
        self._build_inner_graph(inputs, outputs)
        if not _is_default(lop_overrides) and not _is_default(grad_overrides):
            raise ValueError("lop_overrides and grad_overrides are mutually exclusive")
        if not _is_default(lop_overrides):
            self.set_lop_overrides(lop_overrides)
        else:
            self.set_grad_overrides(grad_overrides)
        self.set_rop_overrides(rop_overrides)
        self._compiled = weakref.WeakKeyDictionary()
        self._interpreters = {}

    def _build_inner_graph(self, inputs, outputs):
        given = {id(v) for v in inputs}
        leaves = graph_inputs(outputs, blockers=inputs)
        shared, missing = [], []
        for v in leaves:
            if id(v) in given or isinstance(v, Constant):
                continue
            if isinstance(v, SharedVariable):
                shared.append(v)
            else:
                missing.append(v)
        if missing:
            raise MissingInputError(
                f"OpFromGraph: the outputs depend on {', '.join(str(v) for v in missing)}, "
                "which is not among the inputs (and is neither a constant nor a shared "
                "variable); add it to the inputs"
            )
        stand_ins = [_stand_in(v) for v in inputs]
        shared_stand_ins = [_stand_in(v) for v in shared]
        pairs = list(zip(inputs, stand_ins)) + list(zip(shared, shared_stand_ins))
        self.local_inputs = stand_ins + shared_stand_ins
        self.local_outputs = clone_replace(list(outputs), replace=pairs, strict=True)
        self.shared_inputs = shared
        self.n_explicit = len(inputs)
        self.input_types = [v.type for v in stand_ins]
        self.output_types = [o.type for o in self.local_outputs]
        self._inner_nodes = io_toposort(self.local_inputs, self.local_outputs)

    # -- overrides -----------------------------------------------------------------------------

    def set_grad_overrides(self, grad_overrides):
        """Override the gradient: see the class docstring (replaces L_op overrides)."""
        self._lop_kind = "grad"
        self._lop_overrides = _check_overrides(grad_overrides, self.n_explicit, "gradient")
        self._lop_cache = None

    def set_lop_overrides(self, lop_overrides):
        """Override L_op (callables see inputs, outputs and output gradients)."""
        self._lop_kind = "lop"
        self._lop_overrides = _check_overrides(lop_overrides, self.n_explicit, "L_op")
        self._lop_cache = None

    def set_rop_overrides(self, rop_overrides):
        """Override R_op: one entry per output, or one for all."""
        self._rop_overrides = _check_overrides(rop_overrides, len(self.output_types), "R_op")
        self._rop_cache = None

    # -- the Op --------------------------------------------------------------------------------

    def __str__(self):
        return f"{self.name or 'OpFromGraph'}{{inline={self.is_inline}}}"

    def __getstate__(self):
        state = self.__dict__.copy()
        # Compiled inner functions and bound runners are rebuilt on first use.
        state["_compiled"] = None
        state["_interpreters"] = {}
        return state

    def __setstate__(self, state):
        self.__dict__.update(state)
        self._compiled = weakref.WeakKeyDictionary()

    def make_node(self, *inputs):
        shared = list(self.shared_inputs)
        if shared and len(inputs) == len(self.input_types) + len(shared):
            # A node rebuilt on new inputs (graph cloning, an enclosing OpFromGraph
            # standing in for the shared variables) gives the shared inputs too.
            inputs, shared = inputs[:len(self.input_types)], list(inputs[len(self.input_types):])
            for old, new in zip(self.shared_inputs, shared):
                if new.type != old.type:
                    raise TypeError(f"{self}: the value given for the shared variable {old} "
                                    f"has type {new.type}, not {old.type}")
        if len(inputs) != len(self.input_types):
            raise ValueError(f"Expected {len(self.input_types)} inputs, got {len(inputs)} "
                             f"(calling {self})")
        converted = []
        for k, (t, v) in enumerate(zip(self.input_types, inputs)):
            if not isinstance(v, Variable) and isinstance(t, TensorType):
                v = B.constant(v, dtype=t.dtype)
            try:
                converted.append(t.filter_variable(v))
            except TypeError as e:
                raise TypeError(f"{self}: input {k} has the wrong type: {e}") from None
        return Apply(self, converted + shared, [t() for t in self.output_types])

    def runner(self, node, xp, compile_inner=None):
        """The callable computing `node`: the compiled inner function when the linker
        gives a `compile_inner`, else the inner graph interpreted node by node."""
        if compile_inner is None:
            run = functools.partial(self._interpret, xp)
        else:
            run = self._compiled.get(compile_inner) if self._compiled is not None else None
            if run is None:
                run = compile_inner(self.local_inputs, self.local_outputs,
                                    name=self.name or "OpFromGraph")
                self._compiled[compile_inner] = run
        if len(self.output_types) == 1:
            return lambda *args: run(*args)[0]
        return lambda *args: tuple(run(*args))

    def impl(self, xp, *values):
        outs = self._interpret(xp, *values)
        return outs[0] if len(outs) == 1 else tuple(outs)

    def _interpret(self, xp, *values):
        """Evaluate the inner graph with each node's own runner (no rewrites)."""
        runners = self._interpreters.get(xp)
        if runners is None:
            runners = [runner_for(n.op, n, xp, None) for n in self._inner_nodes]
            self._interpreters[xp] = runners
        env = {id(v): val for v, val in zip(self.local_inputs, values)}
        for node, run in zip(self._inner_nodes, runners):
            result = run(*[env[id(i)] if id(i) in env else i.data for i in node.inputs])
            if len(node.outputs) == 1:
                env[id(node.outputs[0])] = result
            else:
                env.update((id(o), r) for o, r in zip(node.outputs, result))
        outs, seen = [], set()
        for o in self.local_outputs:
            value = env[id(o)] if id(o) in env else o.data
            # An output that is (a view of) an input or a constant, or that was already
            # returned, is copied: the caller owns what it gets.
            if id(o) in seen or self._aliases_input(o):
                value = _fresh(value)
            seen.add(id(o))
            outs.append(value)
        return outs

    def _aliases_input(self, var):
        while var.owner is not None:
            src = (getattr(var.owner.op, "view_map", None) or {}).get(var.index)
            if not src:
                return False
            var = var.owner.inputs[src[0]]
        return True

    def infer_shape(self, node, shapes):
        return _infer_inner_shapes(self, node, shapes)

    # -- gradients -----------------------------------------------------------------------------

    def connection_pattern(self, node):
        if self._cp_override is not None:
            return [list(row) for row in self._cp_override]
        pattern = getattr(self, "_pattern", None)
        if pattern is None:
            pattern = self._pattern = _inner_connection_pattern(self)
        return [list(row) for row in pattern]

    def L_op(self, inputs, outputs, output_grads):
        if self._lop_cache is None:
            self._lop_cache = _build_lop(self)
        lop_op, used_outputs, plan = self._lop_cache
        results = []
        if lop_op is not None:
            gs = []
            for o, g, t in zip(outputs, output_grads, lop_op.input_types[-len(outputs):]):
                if g is None or is_disconnected(g) or is_null(g):
                    gs.append(B.zeros_like(o, dtype=t.dtype))
                else:
                    gs.append(B.as_type_of(g, t))
            outer_outputs = [outputs[k] for k in used_outputs]
            results = lop_op(*inputs, *outer_outputs, *gs, return_list=True)
        return [results[v] if kind == "op" else v for kind, v in plan]

    def R_op(self, inputs, eval_points):
        if self._rop_cache is None:
            self._rop_cache = _build_rop(self)
        rop_op, plan = self._rop_cache
        results = []
        if rop_op is not None:
            evs = [B.zeros_like(i) if e is None else B.as_type_of(e, i.type)
                   for i, e in zip(inputs, eval_points)]
            results = rop_op(*inputs, *evs, return_list=True)
        out = []
        for o, (kind, v) in zip(self.output_types, plan):
            out.append(results[v] if kind == "op" else v)
        return out

    def get_lop_op(self):
        """The OpFromGraph computing the gradients (built on first use)."""
        if self._lop_cache is None:
            self._lop_cache = _build_lop(self)
        return self._lop_cache[0]

    def get_rop_op(self):
        """The OpFromGraph computing R_op (built on first use)."""
        if self._rop_cache is None:
            self._rop_cache = _build_rop(self)
        return self._rop_cache[0]


def inline_ofg_expansion(fgraph, node):
    """Rewrite rule: a node of an ``inline=True`` OpFromGraph becomes a copy of its inner
    graph applied to the node's inputs."""
    op = node.op
    if not isinstance(op, OpFromGraph) or not op.is_inline:
        return None
    return clone_replace(op.local_outputs, replace=list(zip(op.local_inputs, node.inputs)),
                         strict=True)


# ----------------------------------------------------------------------------- construction


def _check_io(inputs, outputs):
    if isinstance(inputs, Variable):
        # Theano 1.0.5 failed here with a ValueError too (it tried to iterate the variable).
        msg = (f"OpFromGraph: inputs must be a list of variables, got the single variable "
               f"{inputs}; write [{inputs}]")
        raise ValueError(msg)  # noqa: TRY004
    if not isinstance(inputs, (list, tuple)):
        raise TypeError(f"OpFromGraph: inputs must be a list of variables, got "
                        f"{type(inputs).__name__}")
    if not isinstance(outputs, (list, tuple)):
        raise TypeError(f"outputs must be list, got {type(outputs)}")
    for v in list(inputs) + list(outputs):
        if not isinstance(v, Variable):
            raise TypeError(f"OpFromGraph: inputs and outputs must be Variable instances, "
                            f"got {v!r}")
    if len({id(v) for v in inputs}) != len(inputs):
        raise ValueError(f"OpFromGraph: an input appears twice in {list(inputs)}; each input "
                         "must be a distinct variable")
    return list(inputs), list(outputs)


def _stand_in(v):
    """A fresh owner-less variable of `v`'s type (keeping its name)."""
    return v.type.make_variable(name=v.name) if hasattr(v.type, "make_variable") else v.type()


def _is_default(spec):
    return isinstance(spec, str) and spec == "default"


def _check_overrides(overrides, n, what):
    """Validate an override spec; returns 'default' or a normalised value."""
    if isinstance(overrides, list):
        if len(overrides) != n:
            raise ValueError(f"Need to override {n} {'outputs' if what == 'R_op' else 'gradients'}"
                             f", got {len(overrides)}", overrides)
        for entry in overrides:
            _check_override_entry(entry, what)
        return list(overrides)
    _check_override_entry(overrides, what)
    return overrides


def _check_override_entry(entry, what):
    if isinstance(entry, str):
        if entry != "default":
            raise TypeError(f"{what} override should be (single or list of) 'default' | "
                            f"OpFromGraph | callable | Variable with NullType or "
                            f"DisconnectedType, got {entry!r}")
        return
    if isinstance(entry, Variable):
        if not isinstance(entry.type, (NullType, DisconnectedType)):
            msg = ("Overriding Variable instance can only have type of DisconnectedType or "
                   f"NullType, got {entry.type}")
            raise ValueError(msg)  # noqa: TRY004
        return
    if not callable(entry):
        raise TypeError(f"{what} override should be (single or list of) 'default' | "
                        f"OpFromGraph | callable | Variable with NullType or "
                        f"DisconnectedType, got {entry!r}")


# ----------------------------------------------------------------------------- gradients


def _grad_stand_in(o):
    """The variable standing for the gradient of inner output `o` (floatX for integers)."""
    if isinstance(o.type, TensorType) and o.type.dtype not in D.float_dtypes:
        return TensorType(config.floatX, o.type.broadcastable)()
    return o.type()


# As Theano: the inner gradient graph is built without test values (its stand-ins have
# none).
@change_flags(compute_test_value="off")
def _build_lop(op):
    """(gradient OpFromGraph or None, positions of the outer outputs it reads, plan).

    The gradient Op's inputs are the inner inputs, the inner outputs that are computed
    (so the backward pass reuses the forward results instead of recomputing them) and
    one gradient per output; `plan` says, per input of the node, ('op', k) for output k
    of the gradient Op or ('var', v) for a fixed disconnected / undefined gradient.
    """
    grad = hooks.gradient_api.get().grad  # the gradient layer sits above this one
    xs = op.local_inputs
    explicit = xs[:op.n_explicit]
    outs = op.local_outputs
    gs = [_grad_stand_in(o) for o in outs]
    used_outputs, seen = [], {id(x) for x in xs}
    for k, o in enumerate(outs):
        if o.owner is not None and id(o) not in seen:
            seen.add(id(o))
            used_outputs.append(k)

    default_cache = []

    def default():
        if not default_cache:
            known = {}
            for o, g in zip(outs, gs):
                if isinstance(o.type, TensorType) and o.type.dtype not in D.float_dtypes:
                    continue  # no gradient flows back through integer outputs
                known[o] = known[o] + g if o in known else g
            if known:
                default_cache.extend(grad(None, xs, known_grads=known,
                                          disconnected_inputs="ignore",
                                          return_disconnected="Disconnected",
                                          null_gradients="return"))
            else:
                default_cache.extend(disconnected_type() for _ in xs)
        return default_cache

    def call(entry, single):
        if isinstance(entry, OpFromGraph):
            args = explicit + (outs if op._lop_kind == "lop" else []) + gs
            res = entry(*args, return_list=True)
            return res[0] if single else res
        if op._lop_kind == "lop":
            res = entry(list(explicit), list(outs), list(gs))
        else:
            res = entry(list(explicit), list(gs))
        if not single and not isinstance(res, (list, tuple)):
            raise TypeError(f"Gradient/L_op overriding function should return a list, got "
                            f"\"{type(res)}\"")
        return res if single else list(res)

    spec = op._lop_overrides
    if isinstance(spec, list):
        grads = []
        for k, entry in enumerate(spec):
            if isinstance(entry, str):
                grads.append(default()[k])
            elif isinstance(entry, Variable):
                grads.append(entry)
            else:
                grads.append(call(entry, single=True))
    elif isinstance(spec, str):
        grads = list(default()[:op.n_explicit])
    elif isinstance(spec, Variable):
        grads = [spec] * op.n_explicit
    else:
        grads = call(spec, single=False)
        if len(grads) != op.n_explicit:
            raise ValueError(f"{op}: the gradient override returned {len(grads)} gradients "
                             f"for {op.n_explicit} inputs")
    # Shared variables read by the inner graph always get their computed gradient.
    grads = grads + list(default()[op.n_explicit:]) if op.shared_inputs else grads

    regular, plan = [], []
    for k, (x, g) in enumerate(zip(xs, grads)):
        if g is None or is_disconnected(g):
            plan.append(("var", disconnected_type()))
            continue
        if is_null(g):
            plan.append(("var", g))
            continue
        if not isinstance(g, Variable):
            g = B.as_tensor_variable(g)
        if isinstance(x.type, TensorType) and isinstance(g.type, TensorType):
            if g.type.ndim != x.type.ndim:
                raise ValueError(f"{op}.grad returned a term with {g.type.ndim} dimensions, "
                                 f"but {x.type.ndim} are required (gradient of input {k}, {x})")
            if x.type.dtype in D.float_dtypes:
                g = B.as_type_of(g, x.type)
        plan.append(("op", len(regular)))
        regular.append(g)
    if not regular:
        return None, used_outputs, plan
    lop_inputs = list(xs) + [outs[k] for k in used_outputs] + gs
    lop_op = OpFromGraph(lop_inputs, regular, inline=op.is_inline,
                         name=f"{op.name}_grad" if op.name else None)
    return lop_op, used_outputs, plan


# As Theano: the inner gradient graph is built without test values (its stand-ins have
# none).
@change_flags(compute_test_value="off")
def _build_rop(op):
    """(R_op OpFromGraph or None, plan): inputs are the inner inputs and one eval point
    per input; plan gives per output ('op', k) or ('var', v) for a fixed result."""
    Rop = hooks.gradient_api.get().Rop
    xs = op.local_inputs
    explicit = xs[:op.n_explicit]
    outs = op.local_outputs
    evs = [x.type() for x in xs]

    default_cache = []

    def default():
        if not default_cache:
            default_cache.extend(Rop(outs, xs, evs, disconnected_outputs="ignore",
                                     return_disconnected="zero"))
        return default_cache

    def call(entry, single):
        if isinstance(entry, OpFromGraph):
            res = entry(*explicit, *evs[:op.n_explicit], return_list=True)
            return res[0] if single else res
        res = entry(list(explicit), list(evs[:op.n_explicit]))
        if not single and not isinstance(res, (list, tuple)):
            raise TypeError(f"R_op overriding function should return a list, got "
                            f"\"{type(res)}\"")
        return res if single else list(res)

    spec = op._rop_overrides
    if isinstance(spec, list):
        results = []
        for k, entry in enumerate(spec):
            if isinstance(entry, str):
                results.append(default()[k])
            elif isinstance(entry, Variable):
                results.append(entry)
            else:
                results.append(call(entry, single=True))
    elif isinstance(spec, str):
        results = list(default())
    elif isinstance(spec, Variable):
        results = [spec] * len(outs)
    else:
        results = call(spec, single=False)
        if len(results) != len(outs):
            raise ValueError(f"{op}: the R_op override returned {len(results)} results for "
                             f"{len(outs)} outputs")

    regular, plan = [], []
    for k, (o, r) in enumerate(zip(outs, results)):
        if r is None or is_disconnected(r):
            # Theano 1.0.5: a disconnected R_op is zero (R_op has no disconnected type).
            r = B.zeros_like(o)
        if is_null(r):
            raise ValueError(
                f"{op}: the R_op of output {k} is overridden as undefined (NullType: "
                f"{r.type.why_null}); Rop cannot go through it. Compute the product with "
                "Lop/grad instead, or override it with a variable."
            )
        if not isinstance(r, Variable):
            r = B.as_tensor_variable(r)
        if isinstance(o.type, TensorType) and r.type.ndim != o.type.ndim:
            raise ValueError(f"{op}.R_op returned a term with {r.type.ndim} dimensions for "
                             f"output {k}, but {o.type.ndim} are required")
        plan.append(("op", len(regular)))
        regular.append(B.as_type_of(r, o.type))
    if not regular:
        return None, plan
    rop_op = OpFromGraph(list(xs) + evs, regular, inline=op.is_inline,
                         name=f"{op.name}_rop" if op.name else None)
    return rop_op, plan


def _inner_connection_pattern(op):
    """[input][output] -> whether the output depends on the input through connected
    edges of the inner graph (each inner node's own connection_pattern)."""
    deps = {id(x): {k} for k, x in enumerate(op.local_inputs)}
    for node in op._inner_nodes:
        pattern_fn = getattr(node.op, "connection_pattern", None)
        pattern = pattern_fn(node) if pattern_fn is not None else None
        for j, out in enumerate(node.outputs):
            acc = set()
            for i, inp in enumerate(node.inputs):
                if pattern is None or pattern[i][j]:
                    acc |= deps.get(id(inp), set())
            deps[id(out)] = acc
    n_out = len(op.local_outputs)
    rows = [[False] * n_out for _ in op.local_inputs]
    for j, o in enumerate(op.local_outputs):
        for k in deps.get(id(o), ()):
            rows[k][j] = True
    return rows


# ----------------------------------------------------------------------------- shapes


def _infer_inner_shapes(op, node, shapes):
    """Output shapes from the inner graph's shape inference, over the outer inputs.

    An entry that only the inner computation itself could give (an inner Op without
    infer_shape) is None, so asking for the shape does not recompute the inner graph.
    """
    shape_of = {}
    given = set()
    for x, shp in zip(op.local_inputs, shapes):
        if shp is not None:
            shape_of[id(x)] = tuple(shp)
            given.update(id(s) for s in shp if isinstance(s, Variable))
    unknown = set()

    def shape_for(var):
        if id(var) in shape_of:
            return shape_of[id(var)]
        if isinstance(var, Constant) and hasattr(var.data, "shape"):
            return tuple(int(s) for s in var.data.shape)
        if not hasattr(var.type, "ndim"):
            return None
        entries = tuple(B.Shape_i(d)(var) for d in range(var.type.ndim))
        unknown.update(id(e) for e in entries)
        return entries

    for inner in op._inner_nodes:
        in_shapes = [shape_for(i) for i in inner.inputs]
        try:
            outs = inner.op.infer_shape(inner, in_shapes)
        except Exception:  # noqa: BLE001 - any failure means "not known without running"
            outs = None
        for j, out in enumerate(inner.outputs):
            if not hasattr(out.type, "ndim"):
                continue
            entries = outs[j] if outs is not None else None
            if entries is None:
                shape_of[id(out)] = shape_for(out)
                continue
            fixed = []
            for d, e in enumerate(entries):
                if out.type.broadcastable[d]:
                    fixed.append(1)
                elif e is None:
                    fallback = B.Shape_i(d)(out)
                    unknown.add(id(fallback))
                    fixed.append(fallback)
                else:
                    fixed.append(e)
            shape_of[id(out)] = tuple(fixed)
    replace = list(zip(op.local_inputs, node.inputs))
    local_ids = {id(x) for x in op.local_inputs}
    result = []
    for out in op.local_outputs:
        if not hasattr(out.type, "ndim"):
            result.append(None)
            continue
        entries = []
        for d, e in enumerate(shape_for(out)):
            if out.type.broadcastable[d]:
                entries.append(1)
            elif not isinstance(e, Variable):
                entries.append(e)
            elif _needs_inner_values(e, unknown, local_ids | given):
                entries.append(None)
            else:
                entries.append(clone_replace(e, replace=replace, strict=False))
        result.append(tuple(entries))
    return result


def _needs_inner_values(entry, unknown, stop):
    stack, seen = [entry], set()
    while stack:
        v = stack.pop()
        if id(v) in seen:
            continue
        seen.add(id(v))
        if id(v) in unknown:
            return True
        if id(v) in stop or v.owner is None:
            continue
        stack.extend(v.owner.inputs)
    return False


# ----------------------------------------------------------------------------- helpers


def _fresh(value):
    if hasattr(value, "dtype") and hasattr(value, "copy"):
        return value.copy()
    return copy.deepcopy(value)
