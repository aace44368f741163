"""Theano's optimizer classes (``theano.gof.opt``) over this project's rewrite driver.

User code and libraries written for Theano 1.0 define *local optimizers* (an object with
``transform(node)`` returning replacements, usually made with ``@local_optimizer``,
``PatternSub``, ``OpSub``, ``OpRemove``) and apply them with *global optimizers*
(``TopoOptimizer`` / ``in2out`` / ``out2in``, ``OpKeyOptimizer``,
``EquilibriumOptimizer``, ``SeqOptimizer``, ``MergeOptimizer``) by calling
``opt.optimize(fgraph)``.

Nothing here walks a graph by itself: a local optimizer becomes a rule of the project's
engine (`as_rule`) and the global optimizers run `rewrite_to_fixed_point` (graph/rewrite.py)
with the walk Theano's class had (a `Navigation`): one pass in topological order or its
reverse for TopoOptimizer, the fixed point for EquilibriumOptimizer, replacements
validated by the graph's features (``replace_all_validate_remove``, so a DestroyHandler
can refuse one) and Theano's ``failure_callback`` protocol.  The rules of this project
run the other way round through `RuleOptimizer`, so ``theano.tensor.opt.local_*`` names
are usable as Theano local optimizers.
"""

from __future__ import annotations

import contextlib
import copy
import functools
import inspect
import itertools
import logging
import sys
import time
import traceback
import warnings

from .. import hooks
from ..config import config
from ..errors import MethodNotDefined
from .basic import Apply, Constant, Variable, graph_inputs, io_toposort
from .destroy import DestroyHandler
from .features import NodeFinder
from .fgraph import (Clients, FunctionGraph, InconsistencyError, ReplaceValidate,
                     ReplacementDidntRemovedError)
from .merge import merge as _merge_pass
from .op import Op
from .rewrite import Navigation, Rule, rewrite_key, rewrite_to_fixed_point

_PUBLIC_MODULE = "theano.gof.opt"  # Theano's path: reprs and pickles
_logger = logging.getLogger("theano.gof.opt")
_optimizer_idx = [0]


def _list_of_nodes(fgraph):
    return list(io_toposort(fgraph.inputs, fgraph.outputs))


class LocalMetaOptimizerSkipAssertionError(AssertionError):
    """Raised while a LocalMetaOptimizer times a candidate: skip that candidate quietly."""

    __module__ = _PUBLIC_MODULE


def _numbered(self):
    """Theano's optimizer hash: a number given on first use (optimizers compare by id)."""
    idx = self.__dict__.get("_optimizer_idx")
    if idx is None:
        idx = self.__dict__["_optimizer_idx"] = _optimizer_idx[0]
        _optimizer_idx[0] += 1
    return idx


# ------------------------------------------------------------------------ global optimizers


class Optimizer:
    """Something that transforms a FunctionGraph: ``opt.optimize(fgraph)`` (or
    ``opt(fgraph)``) adds the features it needs (`add_requirements`) and `apply`-es it."""

    __module__ = _PUBLIC_MODULE

    __hash__ = _numbered

    def __eq__(self, other):
        return self is other

    def __ne__(self, other):
        return self is not other

    def apply(self, fgraph):
        """Transform `fgraph` in place (subclasses)."""

    def optimize(self, fgraph, *args, **kwargs):
        """``add_requirements(fgraph)`` then ``apply(fgraph)``; returns apply's result."""
        self.add_requirements(fgraph)
        return self.apply(fgraph, *args, **kwargs)

    def __call__(self, fgraph):
        return self.optimize(fgraph)

    def add_requirements(self, fgraph):
        """Attach the features `apply` relies on."""

    def print_summary(self, stream=sys.stdout, level=0, depth=-1):
        name = getattr(self, "name", None)
        print(f"{' ' * level}{type(self).__name__} {name} id={id(self)}", file=stream)

    @staticmethod
    def print_profile(stream, prof, level=0):
        if prof is not None:
            raise NotImplementedError(
                "The function print_profile must be overridden if the optimizer returns "
                "profiling information.")


class FromFunctionOptimizer(Optimizer):
    """A global optimizer made from a function ``fn(fgraph)`` (see `optimizer`)."""

    __module__ = _PUBLIC_MODULE

    def __init__(self, fn, requirements=()):
        self.fn = fn
        self.apply = fn
        self.requirements = requirements

    def add_requirements(self, fgraph):
        for req in self.requirements:
            req(fgraph)

    def print_summary(self, stream=sys.stdout, level=0, depth=-1):
        print(f"{' ' * level}{self.apply} id={id(self)}", file=stream)

    def __call__(self, *args, **kwargs):
        return self.fn(*args, **kwargs)

    def __str__(self):
        return getattr(self, "__name__", "<FromFunctionOptimizer>")


def optimizer(f):
    """Decorator: the function ``f(fgraph)`` as a global optimizer."""
    rval = FromFunctionOptimizer(f)
    rval.__name__ = f.__name__
    return rval


def _attach_destroy_handler(fgraph):
    fgraph.attach_feature(DestroyHandler())


def inplace_optimizer(f):
    """As `optimizer`, requiring a DestroyHandler on the graph."""
    rval = FromFunctionOptimizer(f, (_attach_destroy_handler,))
    rval.__name__ = f.__name__
    return rval


class SeqOptimizer(Optimizer, list):
    """Applies its optimizers one after the other.  A failing one is passed to
    ``failure_callback(exc, self, optimizer)`` when given (AssertionError always
    propagates), else the error propagates."""

    __module__ = _PUBLIC_MODULE

    @staticmethod
    def warn(exc, self, optimizer):
        _logger.error("SeqOptimizer apply %s", optimizer)
        _logger.error("Traceback:")
        _logger.error(traceback.format_exc())
        if config.on_opt_error == "raise":
            raise exc

    def __init__(self, *opts, **kw):
        if len(opts) == 1 and isinstance(opts[0], (list, tuple)):
            opts = opts[0]
        list.__init__(self, opts)
        self.failure_callback = kw.pop("failure_callback", None)
        if kw:
            raise TypeError(f"SeqOptimizer: unexpected keyword arguments {sorted(kw)}")

    __hash__ = _numbered
    __eq__ = Optimizer.__eq__
    __ne__ = Optimizer.__ne__

    def apply(self, fgraph):
        times = []
        sub_profs = []
        nb_nodes = []
        nb_before = len(fgraph.apply_nodes)
        for opt in self:
            try:
                n0 = len(fgraph.apply_nodes)
                t0 = time.perf_counter()
                sub_profs.append(opt.optimize(fgraph))
                times.append(time.perf_counter() - t0)
                nb_nodes.append((n0, len(fgraph.apply_nodes)))
            except AssertionError:
                raise
            except Exception as e:  # noqa: BLE001 - Theano's failure_callback protocol
                if self.failure_callback:
                    self.failure_callback(e, self, opt)
                    continue
                raise
        self.pre_profile = (self, times, None, None, nb_before, len(fgraph.apply_nodes),
                            sub_profs, [], nb_nodes, {})
        return self.pre_profile

    def __str__(self):
        return f"SeqOpt({list.__str__(self)})"

    def __repr__(self):
        return list.__repr__(self)

    def print_summary(self, stream=sys.stdout, level=0, depth=-1):
        Optimizer.print_summary(self, stream, level, depth)
        if depth != 0:
            for opt in self:
                opt.print_summary(stream, level=level + 2, depth=depth - 1)

    @staticmethod
    def print_profile(stream, prof, level=0):
        opts, times = prof[0], prof[1]
        blanc = "    " * level
        print(blanc, "SeqOptimizer", getattr(opts, "name", ""),
              f" time {sum(times):.3f}s for {prof[4]}/{prof[5]} nodes before/after "
              "optimization", file=stream)
        for opt, t in sorted(zip(opts, times), key=lambda a: -a[1]):
            print(blanc, f"  {t:.6f}s - {getattr(opt, 'name', opt)}", file=stream)


class MergeFeature:
    """Marks a graph as served by a MergeOptimizer (``fgraph.merge_feature``)."""

    __module__ = _PUBLIC_MODULE

    def on_attach(self, fgraph):
        fgraph.merge_feature = self
        self.blacklist = []

    def on_detach(self, fgraph):
        fgraph.__dict__.pop("merge_feature", None)

    pickle_rm_attr = []


class MergeOptimizer(Optimizer):
    """Merges identical constants and nodes (same Op, same inputs) into one: the
    project's merge pass; with a DestroyHandler on the graph, each merge is validated and
    two nodes whose results are both destroyed are kept apart."""

    __module__ = _PUBLIC_MODULE

    def add_requirements(self, fgraph):
        if "merge_feature" not in fgraph.__dict__:
            fgraph.attach_feature(MergeFeature())

    def apply(self, fgraph):
        t0 = time.perf_counter()
        before = len(fgraph.apply_nodes)
        if "destroy_handler" not in fgraph.__dict__:
            _merge_pass(fgraph)
            nb_fail = 0
        else:
            nb_fail = _validated_merge(fgraph)
        return (nb_fail, time.perf_counter() - t0, None, None, {},
                before - len(fgraph.apply_nodes), 0)

    def __str__(self):
        return type(self).__name__

    @staticmethod
    def print_profile(stream, prof, level=0):
        blanc = "    " * level
        print(blanc, "MergeOptimizer", file=stream)
        print(blanc, f"  nb fail={prof[0]:5d} merged={prof[5]:5d}", file=stream)


def _destroyed_readers(fgraph, var):
    n = 0
    for client, i in fgraph.clients.get(var, ()):
        if client == "output":
            continue
        dm = getattr(client.op, "destroy_map", None) or {}
        if any(i in ins for ins in dm.values()):
            n += 1
    return n


def _validated_merge(fgraph):
    """The merge pass with each replacement validated (a DestroyHandler is attached)."""
    fails = 0
    seen_const = {}
    for var in [v for v in fgraph.variables if isinstance(v, Constant)]:
        try:
            key = var.signature()
            hash(key)
        except TypeError:
            continue
        rep = seen_const.setdefault(key, var)
        if rep is not var and var in fgraph.variables:
            fgraph.replace_all([(var, rep)], reason="MergeOptimizer")
    seen = {}
    for node in io_toposort(fgraph.inputs, fgraph.outputs):
        if node not in fgraph.apply_nodes:
            continue
        try:
            key = (node.op, tuple(id(i) for i in node.inputs))
            hash(key)
        except TypeError:
            continue
        rep = seen.get(key)
        if rep is None or rep not in fgraph.apply_nodes:
            seen[key] = node
            continue
        pairs = [(old, new) for old, new in zip(node.outputs, rep.outputs)
                 if old.type == new.type]
        if any(_destroyed_readers(fgraph, o) + _destroyed_readers(fgraph, n) > 1
               for o, n in pairs):
            continue
        try:
            fgraph.replace_all_validate(pairs, "MergeOptimizer")
        except InconsistencyError:
            fails += 1
    return fails


def is_same_graph_with_merge(var1, var2, givens=None):
    """Whether `var1` and `var2` compute the same thing once the substitutions `givens`
    ({variable: replacement}, applied to both graphs) are made: decided by merging
    copies of the two graphs (Theano's merge-based ``is_same_graph``)."""
    givens = dict(givens or {})
    copied = copy.deepcopy([var1, var2, givens])
    vars_, givens = copied[:2], copied[2]
    leaves = graph_inputs(vars_ + list(givens) + list(givens.values()))
    for v in leaves:  # the copies of cached constants are not in the cache
        v.__dict__.pop("cached", None)
    fgraph = FunctionGraph(graph_inputs(vars_), vars_, clone=False)
    for old, new in givens.items():
        fgraph.replace(old, new)
    MergeOptimizer().optimize(fgraph)
    replaced = [givens.get(v, v) for v in fgraph.outputs]
    o1, o2 = [v.owner for v in replaced]
    if o1 is None and o2 is None:
        return replaced[0] is replaced[1]
    return o1 is o2


@contextlib.contextmanager
def nodes_constructed():
    """Context manager yielding a list that receives the output variables of every
    Apply node built in its body (Theano's ``gof.graph.nodes_constructed``)."""
    created = []
    original_init = Apply.__init__

    @functools.wraps(original_init)
    def recording_init(self, *args, **kwargs):
        original_init(self, *args, **kwargs)
        created.extend(self.outputs)

    Apply.__init__ = recording_init
    try:
        yield created
    finally:
        Apply.__init__ = original_init


def pre_constant_merge(vars):
    """Merge the equal constants of the graphs of `vars` (before they enter a graph):
    every input that is a constant equal to one met before is replaced by that one, in
    place.  Returns `vars` as a list."""
    if isinstance(vars, Variable):
        vars = [vars]
    seen = set()
    by_signature = {}

    def merged(var):
        if var in seen or not hasattr(var, "owner"):
            return var
        seen.add(var)
        if isinstance(var, Constant):
            try:
                sig = var.signature()
                return by_signature.setdefault(sig, var)
            except TypeError:  # an unhashable signature (a slice before Python 3.12)
                return var
        return var

    for node in io_toposort(graph_inputs(vars), vars):
        for k, inp in enumerate(node.inputs):
            node.inputs[k] = merged(inp)
    return [merged(v) for v in vars]


# ------------------------------------------------------------------------- local optimizers


class LocalOptimizer:
    """A node rewrite: ``transform(node)`` returns False/None (no change), a list of
    variables replacing ``node.outputs``, or a dict {old variable: new variable}.
    ``tracks()``: the Op classes or instances it applies to (None: every node)."""

    __module__ = _PUBLIC_MODULE

    __hash__ = _numbered

    def tracks(self):
        return None

    def transform(self, node):
        raise MethodNotDefined("transform", type(self), type(self).__name__)

    def add_requirements(self, fgraph):
        """Attach the features `transform` relies on."""

    def print_summary(self, stream=sys.stdout, level=0, depth=-1):
        print(f"{' ' * level}{type(self).__name__} id={id(self)}", file=stream)


class FromFunctionLocalOptimizer(LocalOptimizer):
    """A local optimizer made from ``fn(node)`` (see `local_optimizer`)."""

    __module__ = _PUBLIC_MODULE

    def __init__(self, fn, tracks=None, requirements=()):
        self.fn = fn
        self.transform = fn
        self._tracks = tracks
        self.requirements = requirements

    def add_requirements(self, fgraph):
        for req in self.requirements:
            req(fgraph)

    def tracks(self):
        return self._tracks

    def __str__(self):
        return getattr(self, "__name__", "<FromFunctionLocalOptimizer instance>")

    def print_summary(self, stream=sys.stdout, level=0, depth=-1):
        print(f"{' ' * level}{self.transform} id={id(self)}", file=stream)

    def __reduce__(self):
        # By name, as the decorated function was (a module-level optimizer).
        return (_local_optimizer_by_name, (self.fn.__module__, self.__name__))


def _local_optimizer_by_name(module, name):
    return getattr(sys.modules[module], name)


def local_optimizer(tracks, inplace=False, requirements=()):
    """Decorator: ``f(node)`` as a local optimizer applying to the Ops (classes or
    instances) of `tracks` (None: every node).  ``inplace=True`` requires a
    DestroyHandler on the graph (the rewrite introduces Ops that destroy inputs)."""
    def decorator(f):
        if tracks is not None:
            if len(tracks) == 0:
                raise ValueError("Use None instead of an empty list to apply to all nodes.",
                                 f.__module__, f.__name__)
            for t in tracks:
                if not (isinstance(t, Op) or (isinstance(t, type) and issubclass(t, Op))):
                    raise ValueError("Tracks are op classes or instances", f.__module__,
                                     f.__name__)
        req = tuple(requirements)
        if inplace:
            req = req + (_attach_destroy_handler,)
        rval = FromFunctionLocalOptimizer(f, tracks, req)
        rval.__name__ = f.__name__
        return rval
    return decorator


def _op_matches(op, track):
    if isinstance(track, type):
        return isinstance(op, track)
    try:
        return bool(op == track)
    except Exception:  # noqa: BLE001 - an Op whose __eq__ fails is not that Op
        return False


class LocalOptGroup(LocalOptimizer):
    """Tries its local optimizers on a node, in order, and returns the first result
    (``apply_all_opts=True``: then tries them again on the node built, until none
    applies)."""

    __module__ = _PUBLIC_MODULE

    def __init__(self, *optimizers, **kwargs):
        if len(optimizers) == 1 and isinstance(optimizers[0], list):
            optimizers = tuple(optimizers[0])
        self.opts = tuple(optimizers)
        self.reentrant = any(getattr(o, "reentrant", True) for o in self.opts)
        self.retains_inputs = all(getattr(o, "retains_inputs", False) for o in self.opts)
        self.apply_all_opts = kwargs.pop("apply_all_opts", False)
        self.profile = kwargs.pop("profile", False)
        if kwargs:
            raise TypeError(f"LocalOptGroup: unexpected keyword arguments {sorted(kwargs)}")
        self.track_map = {}
        self.time_opts, self.process_count, self.applied_true, self.node_created = {}, {}, {}, {}
        for o in self.opts:
            for d in (self.time_opts, self.process_count, self.applied_true,
                      self.node_created):
                d.setdefault(o, 0)
            tracks = o.tracks()
            for t in (None,) if tracks is None else tracks:
                self.track_map.setdefault(t, []).append(o)

    def __str__(self):
        return getattr(self, "__name__",
                       f"LocalOptGroup({','.join(str(o) for o in self.opts)})")

    def tracks(self):
        out = []
        for o in self.opts:
            t = o.tracks()
            if t:
                out.extend(t)
        return out

    def _opts_for(self, node):
        found = list(self.track_map.get(type(node.op), ()))
        for track, opts in self.track_map.items():
            if track is None or isinstance(track, type):
                continue
            if _op_matches(node.op, track):
                found.extend(opts)
        found.extend(self.track_map.get(None, ()))
        return found

    def transform(self, node):
        if not self.opts:
            return None
        repl = None
        while True:
            new_repl = None
            for opt in self._opts_for(node):
                t0 = time.perf_counter()
                new_repl = opt.transform(node)
                self.time_opts[opt] += time.perf_counter() - t0
                self.process_count[opt] += 1
                if not new_repl:
                    continue
                self.applied_true[opt] += 1
                break
            if not new_repl:
                return repl
            if not self.apply_all_opts:
                return new_repl
            new_vars = list(new_repl.values()) if isinstance(new_repl, dict) else new_repl
            if not new_vars or new_vars[0].owner is None:
                return new_repl
            repl = new_repl
            node = new_vars[0].owner

    @staticmethod
    def print_profile(stream, prof, level=0):
        time_opts, process_count, applied_true, node_created, profile = prof
        if not profile:
            return
        blanc = "    " * int(level)
        print(blanc, "LocalOptGroup", file=stream)
        for o, count in process_count.items():
            if count:
                print(blanc, f"  {time_opts[o]:.3f}s - {applied_true[o]} - {count} - {o}",
                      file=stream)

    def print_summary(self, stream=sys.stdout, level=0, depth=-1):
        LocalOptimizer.print_summary(self, stream, level, depth)
        if depth != 0:
            for lopt in self.opts:
                lopt.print_summary(stream, level=level + 2, depth=depth - 1)

    def add_requirements(self, fgraph):
        for opt in self.opts:
            opt.add_requirements(fgraph)


class GraphToGPULocalOptGroup(LocalOptGroup):
    """Theano's group for its GPU graph converter (``transform(op, context_name, inputs,
    outputs)``); there is no GPU graph conversion here (DESIGN.md §9.4: no Gpu* Ops), so
    it only dispatches to its optimizers with that signature."""

    __module__ = _PUBLIC_MODULE

    def transform(self, op, context_name, inputs, outputs):
        for opt in self.opts:
            tracks = opt.tracks()
            if tracks is not None and not any(_op_matches(op, t) for t in tracks):
                continue
            new_repl = opt.transform(op, context_name, inputs, outputs)
            if new_repl:
                return new_repl
        return None


class OpSub(LocalOptimizer):
    """Replaces each application of `op1` by one of `op2` on the same inputs
    (``OpSub(add, sub)``)."""

    __module__ = _PUBLIC_MODULE
    reentrant = False  # it does not apply to the nodes it produces
    retains_inputs = True

    def __init__(self, op1, op2, transfer_tags=True):
        self.op1 = op1
        self.op2 = op2
        self.transfer_tags = transfer_tags

    def op_key(self):
        return self.op1

    def tracks(self):
        return [self.op1]

    def transform(self, node):
        if node.op != self.op1:
            return False
        repl = self.op2.make_node(*node.inputs)
        if self.transfer_tags:
            repl.tag = copy.copy(node.tag)
            for output, new_output in zip(node.outputs, repl.outputs):
                new_output.tag = copy.copy(output.tag)
        return repl.outputs

    def __str__(self):
        return f"{self.op1} -> {self.op2}"


class OpRemove(LocalOptimizer):
    """Removes each application of `op`, its outputs replaced by its inputs."""

    __module__ = _PUBLIC_MODULE
    reentrant = False

    def __init__(self, op):
        self.op = op

    def op_key(self):
        return self.op

    def tracks(self):
        return [self.op]

    def transform(self, node):
        if node.op != self.op:
            return False
        return node.inputs

    def __str__(self):
        return f"{self.op}(x) -> x"

    def print_summary(self, stream=sys.stdout, level=0, depth=-1):
        print(f"{' ' * level}{type(self).__name__}({self.op}) id={id(self)}", file=stream)


class PatternSub(LocalOptimizer):
    """Replaces the occurrences of an input pattern by an output pattern.

    ``in_pattern``: ``(op, sub, ...)`` where each sub-pattern is a pattern, a string
    (a pattern variable: the same string twice must match the same variable), a Constant
    (an equal constant), an int or float (a constant of that value), or
    ``{"pattern": p, "constraint": fn(var) -> bool, "allow_multiple_clients": bool}``.
    ``out_pattern``: ``(op, sub, ...)`` built from the bindings, a string (a bound
    variable), a number or a Constant.  Inner matched expressions must have one reader
    unless `allow_multiple_clients`; `skip_identities_fn(expr)` may give an equivalent
    expression to try when one does not match.
    """

    __module__ = _PUBLIC_MODULE

    def __init__(self, in_pattern, out_pattern, allow_multiple_clients=False,
                 skip_identities_fn=None, name=None, pdb=False, tracks=(), get_nodes=None,
                 values_eq_approx=None):
        self.in_pattern = in_pattern
        self.out_pattern = out_pattern
        self.values_eq_approx = values_eq_approx
        if isinstance(in_pattern, (list, tuple)):
            self.op = in_pattern[0]
        elif isinstance(in_pattern, dict):
            self.op = in_pattern["pattern"][0]
        else:
            raise TypeError("The pattern to search for must start with a specific Op "
                            "instance.")
        self.allow_multiple_clients = allow_multiple_clients
        self.skip_identities_fn = skip_identities_fn
        if name:
            self.__name__ = name
        self.pdb = pdb
        self._tracks = tracks
        self.get_nodes = get_nodes
        if tracks != () and not get_nodes:
            raise ValueError("PatternSub: give get_nodes with tracks")

    def op_key(self):
        return self.op

    def tracks(self):
        if self._tracks != ():
            return self._tracks
        return [self.op]

    def transform(self, node, get_nodes=True):
        if get_nodes and self.get_nodes is not None:
            for real_node in self.get_nodes(node):
                if real_node == "output":
                    continue
                ret = self.transform(real_node, get_nodes=False)
                if ret is not False and ret is not None:
                    return dict(zip(real_node.outputs, ret))
        if node.op != self.op:
            return False
        fgraph = getattr(node, "fgraph", None)
        clients = fgraph.clients if fgraph is not None else None

        def n_clients(var):
            if clients is None:
                return 1
            return len(clients.get(var, ()))

        def retry(pattern, expr, u, allow_multiple):
            if not self.skip_identities_fn:
                return None
            equiv = self.skip_identities_fn(expr)
            if equiv is None:
                return None
            return match(pattern, equiv, u, allow_multiple)

        def match(pattern, expr, u, allow_multiple=False):
            """The bindings `u` extended so that `expr` matches `pattern`, or None."""
            if isinstance(pattern, (list, tuple)):
                if expr.owner is None:
                    return None
                if not (expr.owner.op == pattern[0]) or \
                        (not allow_multiple and n_clients(expr) > 1):
                    return retry(pattern, expr, u, allow_multiple)
                if len(pattern) - 1 != len(expr.owner.inputs):
                    return retry(pattern, expr, u, allow_multiple)
                for p, v in zip(pattern[1:], expr.owner.inputs):
                    u = match(p, v, u, self.allow_multiple_clients)
                    if u is None:
                        return None
                return u
            if isinstance(pattern, dict):
                try:
                    real = pattern["pattern"]
                except KeyError:
                    raise KeyError(f"Malformed pattern: {pattern} (expected key "
                                   "'pattern')") from None
                constraint = pattern.get("constraint", lambda expr: True)
                if constraint(expr):
                    return match(real, expr, u,
                                 pattern.get("allow_multiple_clients", allow_multiple))
                return retry(pattern, expr, u, allow_multiple)
            if isinstance(pattern, str):
                bound = u.get(pattern)
                if bound is not None and bound is not expr:
                    return retry(pattern, expr, u, allow_multiple)
                return {**u, pattern: expr}
            if isinstance(pattern, (int, float)) and isinstance(expr, Constant):
                try:
                    equal = bool((expr.data == pattern).all()) \
                        if hasattr(expr.data == pattern, "all") else expr.data == pattern
                except Exception:  # noqa: BLE001 - not comparable: not that constant
                    equal = False
                return u if equal else retry(pattern, expr, u, allow_multiple)
            if isinstance(pattern, Constant) and isinstance(expr, Constant) and \
                    _constants_equal(pattern, expr):
                return u
            return retry(pattern, expr, u, allow_multiple)

        u = match(self.in_pattern, node.out, {}, True)
        if u is None:
            return False

        def build(pattern):
            if isinstance(pattern, (list, tuple)):
                return pattern[0](*[build(p) for p in pattern[1:]])
            if isinstance(pattern, str):
                return u[pattern]
            if isinstance(pattern, (int, float)):
                return pattern
            return pattern.clone()

        ret = build(self.out_pattern)
        if self.values_eq_approx and isinstance(ret, Variable):
            ret.tag.values_eq_approx = self.values_eq_approx
        return [ret]

    def __str__(self):
        if getattr(self, "__name__", None):
            return self.__name__

        def text(pattern):
            if isinstance(pattern, (list, tuple)):
                return f"{pattern[0]}({', '.join(text(p) for p in pattern[1:])})"
            if isinstance(pattern, dict):
                return (f"{text(pattern['pattern'])} subject to "
                        f"{pattern.get('constraint', 'no conditions')}")
            return str(pattern)

        return f"{text(self.in_pattern)} -> {text(self.out_pattern)}"

    def __repr__(self):
        return str(self)

    def print_summary(self, stream=sys.stdout, level=0, depth=-1):
        name = getattr(self, "__name__", getattr(self, "name", None))
        print(f"{' ' * level}{type(self).__name__} {name}({self.in_pattern}, "
              f"{self.out_pattern}) id={id(self)}", file=stream)


def _constants_equal(a, b):
    equals = getattr(a, "equals", None)
    if equals is not None:
        try:
            return bool(equals(b))
        except Exception:  # noqa: BLE001
            return False
    try:
        return a.type == b.type and a.signature() == b.signature()
    except Exception:  # noqa: BLE001 - unhashable or incomparable data
        return False


class LocalMetaOptimizer(LocalOptimizer):
    """Tries several local optimizers on a node, compiles each candidate (on the test
    values of the node's inputs, or `provide_inputs`) and keeps the fastest."""

    __module__ = _PUBLIC_MODULE

    def __init__(self):
        self.verbose = getattr(getattr(config, "metaopt", None), "verbose", 0)
        self.track_dict = {}
        self.tag_dict = {}
        self._tracks = []
        self.optimizers = []

    def register(self, optimizer, tag_list):
        self.optimizers.append(optimizer)
        for c in optimizer.tracks():
            self.track_dict.setdefault(c, []).append(optimizer)
            self._tracks.append(c)
        for tag in tag_list:
            self.tag_dict.setdefault(tag, []).append(optimizer)

    def tracks(self):
        return self._tracks

    def provide_inputs(self, node, inputs):
        # Theano's LocalOptTracker left this abstract too: a subclass that feeds inputs to
        # its optimizers defines it.
        raise NotImplementedError(f"{type(self).__name__}.provide_inputs: abstract here, as in "
                                  "Theano; define it in a subclass")

    def get_opts(self, node):
        return self.track_dict.get(type(node.op), [])

    def time_call(self, fn):
        start = time.perf_counter()
        fn()
        return time.perf_counter() - start

    def transform(self, node):
        if self._tracks and not any(_op_matches(node.op, t) for t in self._tracks):
            return None
        values = {}
        missing = set()
        for inp in node.inputs:
            if isinstance(inp, Constant) or hasattr(inp, "get_value"):
                continue
            if hasattr(inp.tag, "test_value"):
                values[inp] = inp.tag.test_value
            else:
                missing.add(inp)
        if missing:
            try:
                given = self.provide_inputs(node, missing)
            except NotImplementedError:
                given = {}
            for var, shared in given.items():
                values[var] = shared.get_value(borrow=True) if hasattr(shared, "get_value") \
                    else shared
            missing.difference_update(given)
        if missing:
            return None
        timings = []
        for opt in self.get_opts(node):
            outputs = opt.transform(node)
            if not outputs:
                continue
            outputs = list(outputs.values()) if isinstance(outputs, dict) else list(outputs)
            try:
                fn = hooks.compile_function(list(values), outputs)
                args = list(values.values())
                timing = min(self.time_call(lambda: fn(*args)) for _ in range(2))
            except LocalMetaOptimizerSkipAssertionError:
                continue
            except Exception as e:  # noqa: BLE001 - a candidate that fails is skipped
                if self.verbose > 0:
                    print(f"* {opt}: exception", e)
                continue
            timings.append((timing, len(timings), outputs, opt))
        if timings:
            timings.sort(key=lambda t: t[:2])
            return timings[0][2]
        return None


# -------------------------------------------------------------- local optimizer <-> rule


class _Detached:
    """What a project rule sees as its graph when a node is transformed outside one."""

    def __init__(self):
        self.clients = Clients()
        self.apply_nodes = set()
        self.variables = set()


class RuleOptimizer(LocalOptimizer):
    """A rule of this project's rewrite engine seen as a Theano local optimizer (the
    ``theano.tensor.opt.local_*`` names): ``transform(node)`` runs the rule on the node
    (declining nodes its keys do not cover); `as_rule` gives the rule back."""

    __module__ = _PUBLIC_MODULE

    def __init__(self, rule):
        self.rule = rule
        self.__name__ = rule.name
        self.name = rule.name

    def tracks(self):
        return None

    def transform(self, node):
        keys = self.rule.keys
        if keys is not None:
            node_keys = node.op.rewrite_keys() if hasattr(node.op, "rewrite_keys") \
                else (type(node.op),)
            if not any(k in keys for k in node_keys):
                return False
        fgraph = getattr(node, "fgraph", None) or _Detached()
        result = self.rule(fgraph, node)
        if not result:
            return False
        if isinstance(result, Variable):
            return [result]
        return result

    def __str__(self):
        return self.rule.name

    def __repr__(self):
        return f"<RuleOptimizer {self.rule.name}>"

    def __reduce__(self):
        return (RuleOptimizer, (self.rule,))


def _lopt_name(lopt):
    for attr in ("name", "__name__"):
        name = getattr(lopt, attr, None)
        if isinstance(name, str) and name:
            return name
    return str(lopt)


@contextlib.contextmanager
def _seen_in(fgraph, node):
    """Give `node` and the variables around it Theano's ``.fgraph`` / ``.clients``
    attributes while a local optimizer looks at it (this graph keeps them in
    ``fgraph.clients``, not on the objects, so that pickles stay small), then remove
    them."""
    touched = []

    def put(obj, attr, value):
        if attr not in obj.__dict__:
            obj.__dict__[attr] = value
            touched.append((obj, attr))

    put(node, "fgraph", fgraph)
    around = list(node.inputs) + list(node.outputs)
    for inp in node.inputs:
        if inp.owner is not None:
            put(inp.owner, "fgraph", fgraph)
            around.extend(inp.owner.inputs)
    clients = fgraph.clients
    for var in around:
        users = clients.get(var)
        put(var, "clients", users if users is not None else [])
        put(var, "fgraph", fgraph)
    try:
        yield
    finally:
        for obj, attr in touched:
            obj.__dict__.pop(attr, None)


def as_rule(lopt, *, use_tracks=True, name=None, tags=()):
    """`lopt` (a LocalOptimizer) as a rule of the project's engine.

    With `use_tracks`, the rule is indexed by the Ops of ``lopt.tracks()`` (and declines
    other nodes), as Theano's EquilibriumOptimizer dispatched; without, it is tried on
    every node, as TopoOptimizer did.  A dict result may carry Theano's ``"remove"`` key
    (nodes the replacement must remove); it is kept on the rule for the replacement step.
    """
    if isinstance(lopt, Rule):
        return lopt
    if isinstance(lopt, RuleOptimizer) and name in (None, lopt.rule.name):
        if not tags:
            return lopt.rule
        # The project's rule itself, with the tags it was registered under (no detour
        # through transform: the rule reads the graph directly).
        rule = Rule(lopt.rule.name, lopt.rule.keys, lopt.rule.fn, tags)
        rule.optional = lopt.rule.optional
        return rule
    name = name or _lopt_name(lopt)
    tracks = lopt.tracks() if use_tracks else None
    keys = None
    if tracks:
        keys = []
        for t in tracks:
            if isinstance(t, type):
                keys.append(t)
            else:
                keys.extend(t.rewrite_keys()[-1:] if hasattr(t, "rewrite_keys")
                            else [type(t)])

    def fn(fgraph, node):
        if tracks and not any(_op_matches(node.op, t) for t in tracks):
            return None
        rule.pending_remove = ()
        with _seen_in(fgraph, node):
            result = lopt.transform(node)
        if result is False or result is None:
            return None
        if isinstance(result, dict):
            result = dict(result)
            rule.pending_remove = tuple(result.pop("remove", ()))
            return result
        if not isinstance(result, (list, tuple)):
            if isinstance(result, Variable):
                return [result]
            raise TypeError(f"Optimizer {lopt} gave wrong type of replacement. Expected "
                            f"list or tuple. Got {result}")
        if len(result) != len(node.outputs):
            raise ValueError(f"Optimizer {lopt} gave wrong number of replacements")
        for old, new in zip(node.outputs, result):
            if new is None and fgraph.clients.get(old):
                raise ValueError("A local optimizer tried to remove a Variable that is used")
        return list(result)

    rule = Rule(name, keys, fn, tags)
    rule.lopt = lopt
    rule.pending_remove = ()
    return rule


class Updater:
    """A feature calling `importer(node)`, `pruner(node)` and `chin(node, i, r, new_r,
    reason)` on the graph's events."""

    __module__ = _PUBLIC_MODULE

    def __init__(self, importer, pruner, chin, name=None):
        self.importer = importer
        self.pruner = pruner
        self.chin = chin
        self.name = name

    def __str__(self):
        return f"Updater{{{self.name}}}"

    def on_import(self, fgraph, node, reason):
        if self.importer:
            self.importer(node)

    def on_prune(self, fgraph, node, reason):
        if self.pruner:
            self.pruner(node)

    def on_change_input(self, fgraph, node, i, r, new_r, reason):
        if self.chin:
            self.chin(node, i, r, new_r, reason)

    def on_detach(self, fgraph):
        self.importer = None
        self.pruner = None
        self.chin = None


class NavigatorOptimizer(Optimizer):
    """Base of the optimizers that apply one local optimizer over a graph.

    `ignore_newtrees`: whether the nodes a rewrite builds are left alone in this pass
    ('auto': the local optimizer's ``reentrant`` attribute says).  `failure_callback(exc,
    navigator, [(old, new)...], local_opt, node)` is called when the local optimizer
    raises (the new variables are then None) or the graph refuses its replacement; None
    lets the error propagate.
    """

    __module__ = _PUBLIC_MODULE

    @staticmethod
    def warn(exc, nav, repl_pairs, local_opt, node):
        """failure_callback: log the error (raise it for AssertionError or
        ``on_opt_error=raise``)."""
        if config.on_opt_error != "ignore":
            _logger.error("Optimization failure due to: %s", local_opt)
            _logger.error("node: %s", node)
            _logger.error("TRACEBACK:")
            _logger.error(traceback.format_exc())
        if isinstance(exc, AssertionError) or config.on_opt_error == "raise":
            raise exc

    @staticmethod
    def warn_inplace(exc, nav, repl_pairs, local_opt, node):
        """failure_callback: as warn, ignoring InconsistencyError (an in-place rewrite
        the DestroyHandler refused)."""
        if isinstance(exc, InconsistencyError):
            return
        return NavigatorOptimizer.warn(exc, nav, repl_pairs, local_opt, node)

    @staticmethod
    def warn_ignore(exc, nav, repl_pairs, local_opt, node):
        """failure_callback: ignore every error."""

    def __init__(self, local_opt, ignore_newtrees="auto", failure_callback=None):
        self.local_opt = local_opt
        if ignore_newtrees == "auto":
            self.ignore_newtrees = not getattr(local_opt, "reentrant", True)
        else:
            self.ignore_newtrees = ignore_newtrees
        self.failure_callback = failure_callback

    def attach_updater(self, fgraph, importer, pruner, chin=None, name=None):
        if self.ignore_newtrees:
            importer = None
        if importer is None and pruner is None:
            return None
        u = Updater(importer, pruner, chin, name=name)
        fgraph.attach_feature(u)
        return u

    def detach_updater(self, fgraph, u):
        if u is not None:
            fgraph.remove_feature(u)

    def _navigation(self, **kw):
        """The driver settings for this optimizer's replacement and failure protocol."""

        def on_error(exc, rule, node, pairs):
            lopt = getattr(rule, "lopt", rule)
            if self.failure_callback is None:
                raise exc
            self.failure_callback(exc, self, [(x, None) for x in node.outputs], lopt, node)

        def replace(fgraph, pairs, rule, node):
            lopt = getattr(rule, "lopt", rule)
            remove = getattr(rule, "pending_remove", ())
            try:
                fgraph.replace_all_validate_remove(pairs, reason=rule.name, remove=remove)
                return True
            except Exception as e:
                if self.failure_callback is None:
                    raise
                self.failure_callback(e, self, pairs, lopt, node)
                return False

        return Navigation(replace=replace, on_error=on_error, merge_new=False, **kw)

    def process_node(self, fgraph, node, lopt=None):
        """Try `lopt` (default: this optimizer's) on `node`; True when the graph took
        its replacement."""
        lopt = lopt or self.local_opt
        rule = as_rule(lopt, use_tracks=False)
        nav = self._navigation()
        try:
            result = rule(fgraph, node)
        except Exception as e:
            nav.on_error(e, rule, node, None)
            return False
        if not result:
            return False
        items = list(result.items()) if isinstance(result, dict) else \
            list(zip(node.outputs, result))
        pairs = [(old, new) for old, new in items if new is not None and new is not old]
        if not pairs:
            return False
        return nav.replace(fgraph, pairs, rule, node)

    def add_requirements(self, fgraph):
        fgraph.attach_feature(ReplaceValidate())
        if self.local_opt:
            self.local_opt.add_requirements(fgraph)

    def print_summary(self, stream=sys.stdout, level=0, depth=-1):
        print(f"{' ' * level}{type(self).__name__} ({id(self)})", file=stream)
        if depth != 0 and self.local_opt is not None:
            self.local_opt.print_summary(stream, level=level + 2, depth=depth - 1)


class TopoOptimizer(NavigatorOptimizer):
    """Applies its local optimizer to each node once, in topological order
    (``order='in_to_out'``) or the reverse (``'out_to_in'``); with
    ``ignore_newtrees=False`` the nodes it builds are visited too."""

    __module__ = _PUBLIC_MODULE

    def __init__(self, local_opt, order="in_to_out", ignore_newtrees=False,
                 failure_callback=None):
        if order not in ("out_to_in", "in_to_out"):
            raise ValueError("order must be 'out_to_in' or 'in_to_out'")
        self.order = order
        NavigatorOptimizer.__init__(self, local_opt, ignore_newtrees, failure_callback)

    def apply(self, fgraph, start_from=None):
        nb_start = len(fgraph.apply_nodes)
        t0 = time.perf_counter()
        rule = as_rule(self.local_opt, use_tracks=False)
        report = rewrite_to_fixed_point(
            fgraph, [rule], phase=str(self),
            navigation=self._navigation(equilibrium=False, order=self.order,
                                        queue_new=not self.ignore_newtrees))
        return (self, report.applied[rule.name], nb_start, len(fgraph.apply_nodes), 0,
                time.perf_counter() - t0, 0, self.local_opt)

    @staticmethod
    def print_profile(stream, prof, level=0):
        blanc = "    " * level
        if prof is None:
            print(blanc, "TopoOptimizer merge_profile not implemented", file=stream)
            return
        opt, nb, n0, n1, _, loop_t = prof[:6]
        print(blanc, "TopoOptimizer ", getattr(opt, "name", getattr(opt, "__name__", "")),
              file=stream)
        print(blanc, "  nb_node (start, end, changed)", (n0, n1, nb), file=stream)
        print(blanc, "  loop time", loop_t, file=stream)

    def __str__(self):
        return getattr(self, "__name__", "<TopoOptimizer instance>")


def _topo(order, local_opts, kwargs):
    name = kwargs.pop("name", None)
    if len(local_opts) > 1:
        local_opts = LocalOptGroup(*local_opts)
    else:
        (local_opts,) = local_opts
        if not name:
            name = getattr(local_opts, "__name__", None)
    kwargs.setdefault("failure_callback", TopoOptimizer.warn_inplace)
    ret = TopoOptimizer(local_opts, order=order, **kwargs)
    if name:
        ret.__name__ = name
    return ret


def out2in(*local_opts, **kwargs):
    """A TopoOptimizer from the outputs towards the inputs over `local_opts` (a
    LocalOptGroup when several)."""
    return _topo("out_to_in", local_opts, kwargs)


def in2out(*local_opts, **kwargs):
    """A TopoOptimizer from the inputs towards the outputs over `local_opts` (a
    LocalOptGroup when several)."""
    return _topo("in_to_out", local_opts, kwargs)


class OpKeyOptimizer(NavigatorOptimizer):
    """Applies its local optimizer (which has an ``op_key()``) to the nodes of that Op,
    the last imported first; requires a NodeFinder (``fgraph.get_nodes``)."""

    __module__ = _PUBLIC_MODULE

    def __init__(self, local_opt, ignore_newtrees=False, failure_callback=None):
        if not hasattr(local_opt, "op_key"):
            raise TypeError("LocalOptimizer for OpKeyOptimizer must have an 'op_key' "
                            "method.")
        NavigatorOptimizer.__init__(self, local_opt, ignore_newtrees, failure_callback)

    def apply(self, fgraph):
        key = self.local_opt.op_key()
        ops = key if isinstance(key, (list, tuple)) else [key]
        inner = as_rule(self.local_opt, use_tracks=False)

        def fn(fg, node):
            if not any(_op_matches(node.op, op) for op in ops):
                return None
            result = inner.fn(fg, node)
            keyed.pending_remove = inner.pending_remove
            return result

        keyed = Rule(inner.name, [rewrite_key(op) for op in ops], fn)
        keyed.lopt = self.local_opt
        keyed.pending_remove = ()
        rewrite_to_fixed_point(
            fgraph, [keyed], phase=str(self),
            navigation=self._navigation(equilibrium=False, order="out_to_in",
                                        queue_new=not self.ignore_newtrees))

    def add_requirements(self, fgraph):
        super().add_requirements(fgraph)
        fgraph.attach_feature(NodeFinder())


class ChangeTracker:
    """A feature recording whether the graph changed (``fgraph.change_tracker``)."""

    __module__ = _PUBLIC_MODULE

    def __init__(self):
        self.changed = False
        self.nb_imported = 0

    def on_import(self, fgraph, node, reason):
        self.nb_imported += 1
        self.changed = True

    def on_change_input(self, fgraph, node, i, r, new_r, reason):
        self.changed = True

    def reset(self):
        self.changed = False

    def on_attach(self, fgraph):
        fgraph.change_tracker = self

    def on_detach(self, fgraph):
        fgraph.__dict__.pop("change_tracker", None)


def merge_dict(d1, d2):
    """{key: d1[key] + d2[key]}, keys of either."""
    d = d1.copy()
    for k, v in d2.items():
        d[k] = d[k] + v if k in d else v
    return d


class EquilibriumOptimizer(NavigatorOptimizer):
    """Applies local (and global) optimizers until none changes the graph.

    Each round runs the global optimizers, then the local ones to a fixed point (the
    project's driver), then `final_optimizers`; `cleanup_optimizers` run after each of
    those steps.  A local optimizer may be applied at most ``max_use_ratio`` times the
    number of nodes; one that goes over stops the optimizer (logged, or raised under
    ``on_opt_error=raise``, as Theano's "max'ed out").
    """

    __module__ = _PUBLIC_MODULE

    def __init__(self, optimizers, failure_callback=None, ignore_newtrees=True,
                 tracks_on_change_inputs=False, max_use_ratio=None, final_optimizers=None,
                 cleanup_optimizers=None, rules=(), navigation=None):
        super().__init__(None, ignore_newtrees=ignore_newtrees,
                         failure_callback=failure_callback)
        self.local_optimizers_map = {}
        self.local_optimizers_all = []
        self.global_optimizers = []
        self.final_optimizers = list(final_optimizers or ())
        self.cleanup_optimizers = list(cleanup_optimizers or ())
        self.tracks_on_change_inputs = tracks_on_change_inputs
        # Rules of this project run along (the optdb slots of its own phases).
        self.rules = list(rules)
        self.navigation = navigation
        for opt in optimizers:
            if isinstance(opt, Rule):
                self.rules.append(opt)
            elif isinstance(opt, LocalOptimizer):
                if opt.tracks() is None:
                    self.local_optimizers_all.append(opt)
                else:
                    for c in opt.tracks():
                        self.local_optimizers_map.setdefault(c, []).append(opt)
            else:
                self.global_optimizers.append(opt)
        if max_use_ratio is None:
            raise AssertionError("max_use_ratio has to be a number")
        self.max_use_ratio = max_use_ratio

    def get_local_optimizers(self):
        seen = set()
        for opt in itertools.chain(self.local_optimizers_all,
                                   *self.local_optimizers_map.values()):
            if id(opt) not in seen:
                seen.add(id(opt))
                yield opt

    def add_requirements(self, fgraph):
        super().add_requirements(fgraph)
        for opt in itertools.chain(self.get_local_optimizers(), self.global_optimizers,
                                   self.final_optimizers, self.cleanup_optimizers):
            opt.add_requirements(fgraph)

    def _rules(self):
        cache = self.__dict__.setdefault("_rule_cache", {})
        out = list(self.rules)
        for lopt in self.get_local_optimizers():
            rule = cache.get(id(lopt))
            if rule is None:
                rule = cache[id(lopt)] = as_rule(lopt)
            out.append(rule)
        return out

    def apply(self, fgraph, start_from=None):
        tracker = ChangeTracker()
        fgraph.attach_feature(tracker)
        rules = self._rules()
        if self.navigation is not None:
            nav = self.navigation
        else:
            nav = self._navigation(equilibrium=True, order="out_to_in",
                                   max_use_ratio=self.max_use_ratio, budget_floor=0,
                                   stop_all_on_budget=True)
        counts = {}
        t0 = time.perf_counter()
        rounds = 0
        try:
            while True:
                rounds += 1
                changed = False
                for gopt in self.global_optimizers:
                    tracker.reset()
                    gopt.apply(fgraph)
                    if tracker.changed:
                        changed = True
                        counts[gopt] = counts.get(gopt, 0) + 1
                changed |= self._cleanup(fgraph, tracker, counts)
                tracker.reset()
                report = rewrite_to_fixed_point(fgraph, rules, phase=str(self),
                                                navigation=nav)
                if tracker.changed:
                    changed = True
                    changed |= self._cleanup(fgraph, tracker, counts)
                for name, k in report.applied.items():
                    counts[name] = counts.get(name, 0) + k
                for gopt in self.final_optimizers:
                    tracker.reset()
                    gopt.apply(fgraph)
                    if tracker.changed:
                        changed = True
                        counts[gopt] = counts.get(gopt, 0) + 1
                changed |= self._cleanup(fgraph, tracker, counts)
                if report.stopped or not changed or \
                        not (self.global_optimizers or self.final_optimizers):
                    break
                if rounds > max(1.0, self.max_use_ratio * len(fgraph.apply_nodes)):
                    msg = ("EquilibriumOptimizer max'ed out by its global optimizers. You "
                           "can safely raise the current threshold of "
                           f"{config.optdb.max_use_ratio} with the theano flag "
                           "'optdb.max_use_ratio'.")
                    if config.on_opt_error == "raise":
                        raise AssertionError(msg)
                    _logger.error(msg)
                    break
        finally:
            fgraph.remove_feature(tracker)
        return (self, [time.perf_counter() - t0], [counts], (0, len(fgraph.apply_nodes), 0))

    def _cleanup(self, fgraph, tracker, counts):
        changed = False
        for copt in self.cleanup_optimizers:
            tracker.reset()
            copt.apply(fgraph)
            if tracker.changed:
                changed = True
                counts[copt] = counts.get(copt, 0) + 1
        return changed

    def print_summary(self, stream=sys.stdout, level=0, depth=-1):
        name = getattr(self, "name", None)
        print(f"{' ' * level}{type(self).__name__} {name} id={id(self)}", file=stream)
        if depth != 0:
            for lopt in self.get_local_optimizers():
                lopt.print_summary(stream, level=level + 2, depth=depth - 1)

    @staticmethod
    def print_profile(stream, prof, level=0):
        blanc = "    " * level
        print(blanc, "EquilibriumOptimizer", getattr(prof[0], "name", ""), file=stream)
        print(blanc, f"  time {sum(prof[1]):.3f}s", file=stream)
        for k, v in sorted(prof[2][0].items(), key=lambda kv: -kv[1]):
            print(blanc, f"    {v} - {k}", file=stream)

    def __str__(self):
        return getattr(self, "name", None) or type(self).__name__


# --------------------------------------------------------------------------------- helpers


def _check_chain(r, chain):
    chain = list(reversed(chain))
    while chain:
        elem = chain.pop()
        if elem is None:
            if r.owner is not None:
                return False
        elif r.owner is None:
            return False
        elif isinstance(elem, Op):
            if not r.owner.op == elem:
                return False
        else:
            try:
                if issubclass(elem, Op) and not isinstance(r.owner.op, elem):
                    return False
            except TypeError:
                return False
        if chain:
            r = r.owner.inputs[chain.pop()]
    return r is not None


def check_chain(r, *chain):
    """Whether `r` is computed by ``chain[0](chain[1](...))`` through first inputs (an
    element is an Op instance, an Op class, or None for "no owner")."""
    if isinstance(r, Apply):
        r = r.outputs[0]
    flat = []
    for x in chain:
        flat += [x, 0]
    return _check_chain(r, flat)


def pre_greedy_local_optimizer(list_optimizations, out):
    """`out` with the local optimizers applied greedily to its graph, producers first
    (no fixed point; the graph is not in a FunctionGraph).  Returns the new variable."""
    if out.owner is None:
        return out
    memo = {}
    for node in io_toposort(graph_inputs([out]), [out]):
        new_inputs = [memo.get(i, i) for i in node.inputs]
        if any(a is not b for a, b in zip(new_inputs, node.inputs)):
            current = node.clone_with_new_inputs(new_inputs, strict=False)
        else:
            current = node
        results = list(current.outputs)
        for lopt in list_optimizations:
            ret = lopt.transform(current)
            if ret is False or ret is None:
                continue
            ret = list(ret.values()) if isinstance(ret, dict) else list(ret)
            if len(ret) != len(current.outputs):
                raise AssertionError(f"{lopt} gave {len(ret)} replacements for "
                                     f"{len(current.outputs)} outputs")
            results = ret
            if ret[0].owner is not None and ret[0].owner is not current:
                current = ret[0].owner
            else:
                break
        for old, new in zip(node.outputs, results):
            memo[old] = new
    return memo.get(out, out)


def copy_stack_trace(from_var, to_var):
    """Append the stack traces (``tag.trace``) of `from_var` (a variable or a list) to
    those of `to_var` (a variable or a list); the nodes of `to_var` without a recorded
    user line take the one of `from_var`'s nodes.  Returns `to_var`."""
    sources = from_var if isinstance(from_var, list) else [from_var]
    tr = []
    for v in sources:
        tr += list(getattr(v.tag, "trace", []))
    if tr and isinstance(tr[0], tuple):
        tr = [tr]
    source = next((v.owner.source for v in sources
                   if getattr(v, "owner", None) is not None and v.owner.source is not None),
                  None)
    for v in to_var if isinstance(to_var, list) else [to_var]:
        v.tag.trace = list(getattr(v.tag, "trace", [])) + tr
        if source is not None and v.owner is not None and v.owner.source is None:
            v.owner.source = source
    return to_var


@contextlib.contextmanager
def inherit_stack_trace(from_var):
    """Context manager: the variables built in its body get `from_var`'s stack trace."""
    with nodes_constructed() as new_vars:
        yield
    copy_stack_trace(from_var, new_vars)


def _has_trace(var):
    if getattr(var.tag, "trace", None):
        return True
    return var.owner is not None and var.owner.source is not None


def check_stack_trace(f_or_fgraph, ops_to_check="last", bug_print="raise"):
    """Whether the outputs of the nodes selected by `ops_to_check` ('last': those of
    the graph's outputs, 'all', an Op or Op class or a list of them, or a predicate on
    nodes) know where the user built them (a ``tag.trace`` or the node's recorded source
    line).  `bug_print` ('raise', 'warn', 'ignore') says what to do when nothing is
    selected."""
    if isinstance(f_or_fgraph, FunctionGraph):
        fgraph = f_or_fgraph
    elif getattr(getattr(f_or_fgraph, "maker", None), "fgraph", None) is not None:
        fgraph = f_or_fgraph.maker.fgraph
    else:
        raise ValueError("The type of f_or_fgraph is not supported")
    if isinstance(ops_to_check, Op) or (inspect.isclass(ops_to_check)
                                        and issubclass(ops_to_check, Op)):
        ops_to_check = (ops_to_check,)
    if isinstance(ops_to_check, str):
        if ops_to_check == "last":
            nodes = [o.owner for o in fgraph.outputs if o.owner is not None]
        elif ops_to_check == "all":
            nodes = list(fgraph.apply_nodes)
        else:
            raise ValueError("The string ops_to_check is not recognised")
    elif isinstance(ops_to_check, (tuple, list)):
        instances = [o for o in ops_to_check if isinstance(o, Op)]
        classes = tuple(o for o in ops_to_check if not isinstance(o, Op))
        nodes = [n for n in fgraph.apply_nodes
                 if any(n.op == o for o in instances) or isinstance(n.op, classes)
                 or isinstance(getattr(n.op, "scalar_op", None), classes)]
    elif callable(ops_to_check):
        nodes = [n for n in fgraph.apply_nodes if ops_to_check(n)]
    else:
        raise ValueError("ops_to_check does not have the right type")
    if not nodes:
        msg = "Provided op instances/classes are not in the graph or the graph is empty"
        if bug_print == "warn":
            warnings.warn(msg, stacklevel=2)
        elif bug_print == "raise":
            raise Exception(msg)
        elif bug_print != "ignore":
            raise ValueError("The string bug_print is not recognised")
    return all(_has_trace(o) for n in nodes for o in n.outputs)


class CheckStrackTraceFeature:
    """Checks, as nodes are imported, that they know their user line
    (``config.check_stack_trace``)."""

    __module__ = _PUBLIC_MODULE

    def on_import(self, fgraph, node, reason):
        mode = getattr(config, "check_stack_trace", "off")
        if mode == "off" or all(_has_trace(o) for o in node.outputs):
            return
        msg = f"Empty stack trace! The optimization that inserted this variable is {reason}"
        if mode == "raise":
            raise AssertionError(msg)
        if mode == "warn":
            warnings.warn(msg, stacklevel=2)


class CheckStackTraceOptimization(Optimizer):
    """Attaches a CheckStrackTraceFeature."""

    __module__ = _PUBLIC_MODULE

    def add_requirements(self, fgraph):
        if not any(isinstance(f, CheckStrackTraceFeature) for f in fgraph._features):
            fgraph.attach_feature(CheckStrackTraceFeature())

    def apply(self, fgraph):
        pass


__all__ = [
    "ChangeTracker", "CheckStackTraceOptimization", "CheckStrackTraceFeature",
    "EquilibriumOptimizer", "FromFunctionLocalOptimizer", "FromFunctionOptimizer",
    "GraphToGPULocalOptGroup", "LocalMetaOptimizer", "LocalMetaOptimizerSkipAssertionError",
    "LocalOptGroup", "LocalOptimizer", "MergeFeature", "MergeOptimizer",
    "NavigatorOptimizer", "OpKeyOptimizer", "OpRemove", "OpSub", "Optimizer", "PatternSub",
    "ReplacementDidntRemovedError", "RuleOptimizer", "SeqOptimizer", "TopoOptimizer",
    "Updater", "as_rule", "check_chain", "check_stack_trace", "copy_stack_trace", "in2out",
    "inherit_stack_trace", "inplace_optimizer", "is_same_graph_with_merge",
    "local_optimizer", "merge_dict", "nodes_constructed", "optimizer", "out2in",
    "pre_constant_merge",
    "pre_greedy_local_optimizer",
]
