"""FunctionGraph: a mutable view of a graph with explicit inputs, outputs and clients.

Besides what the rewrite driver needs (``inputs``, ``outputs``, ``clients``, ``replace``),
it offers Theano 1.0.5's interface for code that manipulates graphs itself (``theano.gof.fg``):
*features* (objects with callbacks, see graph/features.py) attached with `attach_feature`
and told about every imported and pruned node and every changed input; `toposort` honours
the orderings features ask for (the DestroyHandler's); `validate` / `consistent` ask the
features whether the graph is still valid, and ``replace_validate`` /
``replace_all_validate`` / ``checkpoint`` / ``revert`` come from the ``ReplaceValidate``
feature, attached the first time one of them is used (Theano attached it to every graph;
here a compile that never asks for them pays nothing for it).
"""

from __future__ import annotations

import functools
import logging
import time

from ..config import config
from ..errors import MissingInputError  # noqa: F401  (part of theano.gof.fg's interface)
from .basic import Apply, Constant, Variable, clone_get_equiv, io_toposort, reduce_graph_object

_PUBLIC_MODULE = "theano.gof.fg"  # the legacy path these classes report
_log = logging.getLogger("theano_compat.gof.opt")


class InconsistencyError(Exception):
    """A feature found the graph invalid (e.g. a value destroyed twice), or a replacement
    would make it so; the replacement is then undone."""

    __module__ = _PUBLIC_MODULE


class CachedConstantError(Exception):
    """A FunctionGraph was built, without cloning, on a constant shared through a cache."""

    __module__ = _PUBLIC_MODULE


class AlreadyThere(Exception):
    """Raised by a feature's ``on_attach`` when an equivalent feature is attached already;
    `FunctionGraph.attach_feature` then drops the new one silently."""

    __module__ = "theano.gof.toolbox"


class ClientList(dict):
    """The (node or "output", input index) pairs that read one variable, in the order
    they started reading it.

    An insertion-ordered set (a dict with None values) rather than a list, so removing a
    client costs O(1): a constant or an input read by 10^5 nodes would otherwise make
    each rewrite that detaches one reader cost the number of readers.  Reads as the list
    Theano kept: iteration, ``len``, truth, ``in``, ``[k]`` and ``== [...]``.
    """

    __slots__ = ()

    def append(self, client):
        self[client] = None

    def remove(self, client):
        del self[client]

    def __getitem__(self, k):
        if isinstance(k, (int, slice)):
            return list(self)[k]
        return dict.__getitem__(self, k)

    def __eq__(self, other):
        if isinstance(other, (list, tuple)):
            return list(self) == list(other)
        return dict.__eq__(self, other)

    __hash__ = None

    def __repr__(self):
        return repr(list(self))


class Clients(dict):
    """variable -> ClientList of (node or "output", input index).

    Also callable, because Theano 1.0.5 exposed ``fgraph.clients(var)`` as a method; the
    call returns a list.
    """

    def __call__(self, var):
        users = self.get(var)
        return list(users) if users else []


# Events a feature may listen to (FunctionGraph.execute_callbacks looks them up once per
# attach, so a graph without features pays one dict lookup per event).
_EVENTS = ("on_import", "on_prune", "on_change_input", "validate")

# Attributes a lazily attached ReplaceValidate provides (see __getattr__).
_REPLACE_VALIDATE_API = frozenset((
    "replace_validate", "replace_all_validate", "replace_all_validate_remove",
    "checkpoint", "revert", "validate", "consistent",
))


class FunctionGraph:
    """The graph a function computes: `inputs`, `outputs`, `clients`, and `replace`.

    Owner-less variables that are not inputs (constants, shared variables) are kept as
    ``orphans``.  Listeners (plain callables ``fn(event, *args)``) are told about
    replacements; the rewrite driver uses them to maintain its worklist.  Features
    (Theano's ``gof.toolbox.Feature`` protocol) are told about every change.
    """

    __module__ = _PUBLIC_MODULE

    def __init__(self, inputs, outputs, features=None, clone=True, update_mapping=None):
        if clone:
            memo = clone_get_equiv(inputs, outputs, copy_inputs=False)
            outputs = [memo[o] for o in outputs]
        else:
            # A graph taken as it is may not hold a constant of the tensor constant
            # cache (one shared by every graph): Theano refused it (see _import_var).
            self._refuse_cached = True
            for inp in inputs:
                self._check_not_cached(inp)
        self.inputs = list(inputs)
        self.outputs = list(outputs)
        self.clients = Clients()
        self.apply_nodes = set()
        self.variables = set()
        self.listeners = []
        self._features = []
        self._callbacks = {}
        self._order = None
        self.profile = None
        self.update_mapping = update_mapping
        self.execute_callbacks_time = 0
        self.execute_callbacks_times = {}
        for inp in self.inputs:
            self.clients.setdefault(inp, ClientList())
            self.variables.add(inp)
        for out in self.outputs:
            self._import_var(out, reason="init")
        for i, out in enumerate(self.outputs):
            self.clients[out].append(("output", i))
        self.__dict__.pop("_refuse_cached", None)
        for feature in features or ():
            self.attach_feature(feature)

    # -- building ----------------------------------------------------------------------------

    def add_input(self, input):
        """Make `input` (an owner-less variable) an input of the graph."""
        if input not in self.inputs:
            self.inputs.append(input)
            self.clients.setdefault(input, ClientList())
            self.variables.add(input)

    _refuse_cached = False  # True while __init__ imports a graph given with clone=False

    @staticmethod
    def _check_not_cached(var):
        if getattr(var, "cached", False):
            raise CachedConstantError(
                "You manually constructed a FunctionGraph, but you passed it a graph that "
                "has a cached constant. This should not happen. Clone the graph before "
                "building the FunctionGraph.")

    def _import_var(self, var, reason=None):
        if var in self.variables:
            return
        if var.owner is not None:
            self._import_node(var.owner, reason)
        else:
            if self._refuse_cached:
                self._check_not_cached(var)
            self.variables.add(var)
            self.clients.setdefault(var, ClientList())

    def _import_node(self, node, reason=None):
        """Add `node` and every producer of its inputs not yet in the graph.

        Walks only the new part of the graph (iterative post-order), so importing the
        few nodes a rewrite builds costs time in their number, not the graph's size.
        """
        if node in self.apply_nodes:
            return
        order = []
        seen = {node}
        stack = [(node, iter(node.inputs))]
        while stack:
            current, pending_inputs = stack[-1]
            for inp in pending_inputs:
                owner = inp.owner
                if owner is not None and inp not in self.variables and \
                        owner not in self.apply_nodes and owner not in seen:
                    seen.add(owner)
                    stack.append((owner, iter(owner.inputs)))
                    break
            else:
                stack.pop()
                order.append(current)
        importers = self._callbacks.get("on_import")
        for new in order:
            _check_maps(new)
            for inp in new.inputs:
                if inp not in self.variables and inp.owner is None:
                    if self._refuse_cached:
                        self._check_not_cached(inp)
                    self.variables.add(inp)
                    self.clients.setdefault(inp, ClientList())
            self.apply_nodes.add(new)
            for out in new.outputs:
                self.variables.add(out)
                self.clients.setdefault(out, ClientList())
            for i, inp in enumerate(new.inputs):
                self.clients[inp].append((new, i))
            if importers:
                self.execute_callbacks("on_import", new, reason)
        self._order = None

    @property
    def orphans(self):
        given = set(self.inputs)
        return [v for v in self.variables if v.owner is None and v not in given]

    # -- queries -----------------------------------------------------------------------------

    def toposort(self):
        """Apply nodes in an order where each comes after its inputs' producers, and after
        the nodes the features' `orderings` put before it (the DestroyHandler's)."""
        ords = self.orderings() if self._features else None
        if ords:
            return _toposort_with_orderings(self, ords)
        if self._order is None:
            self._order = io_toposort(self.inputs, self.outputs)
        return list(self._order)

    def orderings(self):
        """{node: [nodes that must run before it]}: what the features ask for."""
        combined = {}
        for feature in self._features:
            fn = getattr(feature, "orderings", None)
            if fn is None:
                continue
            ords = fn(self)
            for node, prereqs in ords.items():
                if not isinstance(prereqs, (list, tuple, dict)) and \
                        type(prereqs).__name__ != "OrderedSet":
                    raise TypeError(
                        "prereqs must be a type with a deterministic iteration order "
                        f"(a list), got {type(prereqs).__name__} from {feature}")
                combined.setdefault(node, []).extend(prereqs)
        return combined

    def check_integrity(self):
        """Raise when the cached nodes, variables or clients disagree with the graph."""
        nodes = set(io_toposort(self.inputs, self.outputs))
        if self.apply_nodes != nodes:
            raise Exception("The nodes are inappropriately cached. missing, in excess: ",
                            nodes - self.apply_nodes, self.apply_nodes - nodes)
        for node in nodes:
            for i, var in enumerate(node.inputs):
                if var not in self.variables:
                    raise Exception("Input of node should belong to the FunctionGraph.",
                                    var, (node, i))
                if (node, i) not in self.clients.get(var, ()):
                    raise Exception("Inconsistent clients list.", (node, i),
                                    self.clients.get(var))
        for var, users in self.clients.items():
            if var not in self.variables:
                continue
            for node, i in users:
                if node == "output":
                    if self.outputs[i] is not var:
                        raise Exception("Inconsistent clients list.", var, self.outputs[i])
                    continue
                if node not in nodes:
                    raise Exception("Client not in FunctionGraph.", var, (node, i))
                if node.inputs[i] is not var:
                    raise Exception("Inconsistent clients list.", var, node.inputs[i])

    def __str__(self):
        return "[%s]" % ", ".join(as_string(self.inputs, self.outputs))

    def __repr__(self):
        return self.__str__()

    # -- mutation ----------------------------------------------------------------------------

    def change_input(self, node, i, new_var, reason=None):
        """Make input `i` of `node` (or output `i` when node == "output") be `new_var`."""
        if node == "output":
            old = self.outputs[i]
        else:
            old = node.inputs[i]
        if old is new_var:
            return
        if old.type != new_var.type:
            raise TypeError("The type of the replacement must be the same as the type of "
                            "the original Variable.", old, new_var)
        if node == "output":
            self.outputs[i] = new_var
        else:
            node.inputs[i] = new_var
        self._import_var(new_var, reason)
        users = self.clients[old]
        users.remove((node, i))
        self.clients[new_var].append((node, i))
        # A graph output has an ("output", k) client, so no clients left means it is not
        # one (no scan of self.outputs: MLPs with their updates have hundreds).
        if not users and old.owner is not None:
            self._prune(old.owner, reason)
        self._order = None
        if self._callbacks.get("on_change_input"):
            self.execute_callbacks("on_change_input", node, i, old, new_var, reason=reason)

    def replace(self, old, new, reason=None, verbose=False):
        """Replace every use of `old` by `new` (types must agree; a variable not in the
        graph is left alone, as Theano did)."""
        if verbose is None:
            verbose = config.optimizer_verbose
        if old.type != new.type:
            converted = old.type.convert_variable(new)
            if converted is None:
                raise TypeError(
                    f"replace: {old} of type {old.type} cannot be replaced by {new} "
                    f"of type {new.type} (reason: {reason})"
                )
            new = converted
        if old is new or old not in self.variables:
            # Theano returned silently for a variable not in the graph: rules for
            # multi-output nodes may name an output already gone.
            return
        if verbose:
            print(reason, old, new)
        if old.owner is not None and new.owner is not None:
            _inherit_source(old.owner, new, reason, self.apply_nodes)
        for node, i in list(self.clients.get(old, [])):
            self.change_input(node, i, new, reason)
        for listener in self.listeners:
            listener("replace", old, new, reason)

    def replace_all(self, pairs, reason=None):
        for old, new in pairs:
            self.replace(old, new, reason)

    def _prune(self, node, reason=None):
        # A worklist, not recursion: replacing the end of a 10^4-node chain prunes it all.
        pruners = self._callbacks.get("on_prune")
        stack = [node]
        while stack:
            node = stack.pop()
            if node not in self.apply_nodes:
                continue
            if any(self.clients.get(o) for o in node.outputs):
                continue
            self.apply_nodes.discard(node)
            for out in node.outputs:
                self.variables.discard(out)
                self.clients.pop(out, None)
            if pruners:
                self.execute_callbacks("on_prune", node, reason)
            for i, inp in enumerate(node.inputs):
                users = self.clients.get(inp)
                if users is not None and (node, i) in users:
                    users.remove((node, i))
                    if not users and inp.owner is not None:
                        stack.append(inp.owner)

    # -- features ----------------------------------------------------------------------------

    def attach_feature(self, feature):
        """Attach a feature (graph/features.py) and call its ``on_attach``; a feature
        whose ``on_attach`` raises AlreadyThere is not attached."""
        if any(f is feature for f in self._features):
            return
        attach = getattr(feature, "on_attach", None)
        if attach is not None:
            try:
                attach(self)
            except AlreadyThere:
                return
        self.execute_callbacks_times.setdefault(feature, 0)
        self._features.append(feature)
        self._index_callbacks()

    def remove_feature(self, feature):
        """Detach `feature` (calling its ``on_detach``); nothing when it is not attached."""
        for k, f in enumerate(self._features):
            if f is feature:
                del self._features[k]
                break
        else:
            return
        self._index_callbacks()
        detach = getattr(feature, "on_detach", None)
        if detach is not None:
            detach(self)

    def _index_callbacks(self):
        self._callbacks = {
            name: [f for f in self._features if getattr(f, name, None) is not None]
            for name in _EVENTS
        }

    def execute_callbacks(self, name, *args, **kwargs):
        """Call ``getattr(feature, name)(self, *args, **kwargs)`` for every feature that
        has such a method."""
        t0 = time.perf_counter()
        features = self._callbacks.get(name)
        if features is None:
            features = [f for f in self._features if getattr(f, name, None) is not None]
        for feature in features:
            fn = getattr(feature, name, None)
            if fn is None:
                continue
            tf0 = time.perf_counter()
            fn(self, *args, **kwargs)
            self.execute_callbacks_times[feature] = (
                self.execute_callbacks_times.get(feature, 0) + time.perf_counter() - tf0)
        self.execute_callbacks_time += time.perf_counter() - t0

    def collect_callbacks(self, name, *args):
        """{feature: getattr(feature, name)(*args)} for every feature with that method."""
        out = {}
        for feature in self._features:
            fn = getattr(feature, name, None)
            if fn is not None:
                out[feature] = fn(*args)
        return out

    def __getattr__(self, name):
        # Theano attached ReplaceValidate to every FunctionGraph; here it comes the first
        # time its interface is used (graph/features.py sets these attributes).
        if name in _REPLACE_VALIDATE_API and "_features" in self.__dict__ and \
                not self.__dict__.get("_attaching_replace_validate"):
            self.__dict__["_attaching_replace_validate"] = True
            try:
                self.attach_feature(ReplaceValidate())
            finally:
                del self.__dict__["_attaching_replace_validate"]
            if name in self.__dict__:
                return self.__dict__[name]
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def disown(self):
        """Detach every feature and forget the graph (the object is unusable after)."""
        for feature in list(self._features):
            self.remove_feature(feature)
        self.apply_nodes = set()
        self.variables = set()
        self.clients = Clients()
        self.inputs = None
        self.outputs = None
        self.profile = None
        self.update_mapping = None

    # -- pickling and cloning ----------------------------------------------------------------

    def __getstate__(self):
        state = self.__dict__.copy()
        # Features put bound methods on the graph (fgraph.validate...): not picklable, and
        # given back by their ``unpickle`` on loading.
        for feature in self._features:
            for attr in getattr(feature, "pickle_rm_attr", ()):
                state.pop(attr, None)
        state.pop("execute_callbacks_times", None)
        state.pop("_callbacks", None)
        return state

    def __setstate__(self, state):
        if "clients" not in state:
            # Theano 1.0.5's pickle (of a compiled function's optimized graph): its features
            # are Theano's and are left out; the graph is kept to be read, not rewritten.
            state = dict(state, _features=[], clients={})
        self.__dict__.update(state)
        self.__dict__.setdefault("_features", [])
        self.__dict__.setdefault("listeners", [])
        self.__dict__.setdefault("profile", None)
        self.__dict__.setdefault("update_mapping", None)
        self.__dict__.setdefault("execute_callbacks_time", 0)
        self.execute_callbacks_times = {f: 0 for f in self._features}
        self._index_callbacks()
        for feature in self._features:
            unpickle = getattr(feature, "unpickle", None)
            if unpickle is not None:
                unpickle(self)

    def __reduce_ex__(self, protocol):
        # Its nodes are pickled first, producers first, so a deep graph pickles without
        # deep recursion (see graph.basic, "pickling").
        return reduce_graph_object(self, protocol, self.outputs)

    def clone(self, check_integrity=True):
        """A copy of the graph (new nodes, same input variables)."""
        return self.clone_get_equiv(check_integrity, attach_feature=False)[0]

    def clone_get_equiv(self, check_integrity=True, attach_feature=True):
        """(a copy of the graph with new inputs and nodes, {old node or variable: new})."""
        memo = clone_get_equiv(self.inputs, self.outputs)
        if check_integrity:
            self.check_integrity()
        new = FunctionGraph([memo[i] for i in self.inputs], [memo[o] for o in self.outputs],
                            clone=False)
        if check_integrity:
            new.check_integrity()
        if attach_feature:
            for feature in self._features:
                new.attach_feature(feature)
        return new, memo


# --------------------------------------------------------------------------------- features
#
# Theano's gof.toolbox protocol.  The ones FunctionGraph itself relies on are here; the
# others (Bookkeeper, NodeFinder, PrintListener...) are in graph/features.py.

_TOOLBOX = "theano.gof.toolbox"


class ReplacementDidntRemovedError(Exception):
    """A rewrite's replacement left in the graph a node it promised to remove; the
    replacement was undone."""

    __module__ = _TOOLBOX


class Feature:
    """Base of FunctionGraph extensions: objects whose callbacks the graph calls.

    ``on_attach(fgraph)`` / ``on_detach(fgraph)``; ``on_import(fgraph, node, reason)``
    when a node enters the graph; ``on_prune(fgraph, node, reason)`` when one leaves it;
    ``on_change_input(fgraph, node, i, old, new, reason)`` after ``node.inputs[i]``
    changed; ``orderings(fgraph)`` -> {node: [nodes to run before it]}; and
    ``validate(fgraph)``, which raises InconsistencyError when the graph is invalid.
    """

    __module__ = _TOOLBOX

    def on_attach(self, function_graph):
        """Called by attach_feature; may raise AlreadyThere to cancel the attachment."""

    def on_detach(self, function_graph):
        """Called by remove_feature: remove what on_attach installed."""

    def on_import(self, function_graph, node, reason):
        """Called when `node` enters the graph."""

    def on_prune(self, function_graph, node, reason):
        """Called when `node` has left the graph."""

    def on_change_input(self, function_graph, node, i, r, new_r, reason=None):
        """Called after ``node.inputs[i]`` changed from `r` to `new_r`."""

    def orderings(self, function_graph):
        """{node: [nodes that must be computed before it]}."""
        return {}


class GetCheckpoint:
    """``fgraph.checkpoint()``: starts a new history and returns its number."""

    __module__ = _TOOLBOX

    def __init__(self, history, fgraph):
        self.h = history
        self.fgraph = fgraph
        self.nb = 0

    def __call__(self):
        self.h.history[self.fgraph] = []
        self.nb += 1
        return self.nb


class LambdExtract:
    """One recorded input change; calling it undoes the change."""

    __module__ = _TOOLBOX

    def __init__(self, fgraph, node, i, r, reason=None):
        self.fgraph = fgraph
        self.node = node
        self.i = i
        self.r = r
        self.reason = reason

    def __call__(self):
        return self.fgraph.change_input(self.node, self.i, self.r, reason=("Revert", self.reason))


class History(Feature):
    """Records the input changes since the last ``fgraph.checkpoint()`` so that
    ``fgraph.revert(checkpoint)`` can undo them (one checkpoint back, as Theano)."""

    __module__ = _TOOLBOX
    pickle_rm_attr = ["checkpoint", "revert"]

    def __init__(self):
        self.history = {}

    def on_attach(self, fgraph):
        if "checkpoint" in fgraph.__dict__ or "revert" in fgraph.__dict__:
            raise AlreadyThere("History feature is already present or in conflict with "
                               "another plugin.")
        self.history[fgraph] = []
        History.unpickle(self, fgraph)

    def unpickle(self, fgraph):
        self.history.setdefault(fgraph, [])
        fgraph.checkpoint = GetCheckpoint(self, fgraph)
        fgraph.revert = functools.partial(History.revert, self, fgraph)

    def on_detach(self, fgraph):
        fgraph.__dict__.pop("checkpoint", None)
        fgraph.__dict__.pop("revert", None)
        self.history.pop(fgraph, None)

    def on_change_input(self, fgraph, node, i, r, new_r, reason=None):
        h = self.history.get(fgraph)
        if h is not None:
            h.append(LambdExtract(fgraph, node, i, r, reason))

    def revert(self, fgraph, checkpoint):
        """Undo every change since `checkpoint` (the number checkpoint() returned)."""
        h = self.history[fgraph]
        self.history[fgraph] = None  # the undoing changes are not recorded
        if fgraph.checkpoint.nb != checkpoint:
            raise ValueError("revert: only the last checkpoint can be reverted to")
        try:
            while h:
                h.pop()()
        finally:
            self.history[fgraph] = h

    def __getstate__(self):
        state = self.__dict__.copy()
        state["history"] = {}
        return state


class Validator(Feature):
    """Gives the graph ``validate()`` (ask every feature's ``validate``; raises when one
    finds the graph invalid) and ``consistent()`` (the same as a bool)."""

    __module__ = _TOOLBOX
    pickle_rm_attr = ["validate", "consistent"]

    def on_attach(self, fgraph):
        if "validate" in fgraph.__dict__ or "validate_time" in fgraph.__dict__:
            raise AlreadyThere("Validator feature is already present or in conflict with "
                               "another plugin.")
        Validator.unpickle(self, fgraph)

    def unpickle(self, fgraph):
        fgraph.validate = functools.partial(self.validate_, fgraph)
        fgraph.consistent = functools.partial(self.consistent_, fgraph)

    def on_detach(self, fgraph):
        fgraph.__dict__.pop("validate", None)
        fgraph.__dict__.pop("consistent", None)

    def validate_(self, fgraph):
        t0 = time.perf_counter()
        fgraph.execute_callbacks("validate")
        if fgraph.profile is not None and hasattr(fgraph.profile, "validate_time"):
            fgraph.profile.validate_time += time.perf_counter() - t0
        return True

    def consistent_(self, fgraph):
        try:
            fgraph.validate()
            return True
        except Exception:  # noqa: BLE001 - any failure of a feature's check means "no"
            return False


class ReplaceValidate(History, Validator):
    """History + Validator, and the replacements that are undone when the graph becomes
    invalid: ``fgraph.replace_validate(old, new)``, ``fgraph.replace_all_validate(pairs)``,
    ``fgraph.replace_all_validate_remove(pairs, remove)``."""

    __module__ = _TOOLBOX
    pickle_rm_attr = (["replace_validate", "replace_all_validate",
                       "replace_all_validate_remove"]
                      + History.pickle_rm_attr + Validator.pickle_rm_attr)

    def on_attach(self, fgraph):
        for attr in ("replace_validate", "replace_all_validate",
                     "replace_all_validate_remove"):
            if attr in fgraph.__dict__:
                raise AlreadyThere("ReplaceValidate feature is already present or in "
                                   "conflict with another plugin.")
        self._nodes_removed = set()
        self.fail_validate = False
        History.on_attach(self, fgraph)
        Validator.on_attach(self, fgraph)
        self.unpickle(fgraph)

    def unpickle(self, fgraph):
        History.unpickle(self, fgraph)
        Validator.unpickle(self, fgraph)
        self.__dict__.setdefault("_nodes_removed", set())
        self.__dict__.setdefault("fail_validate", False)
        fgraph.replace_validate = functools.partial(self.replace_validate, fgraph)
        fgraph.replace_all_validate = functools.partial(self.replace_all_validate, fgraph)
        fgraph.replace_all_validate_remove = functools.partial(
            self.replace_all_validate_remove, fgraph)

    def on_detach(self, fgraph):
        History.on_detach(self, fgraph)
        Validator.on_detach(self, fgraph)
        for attr in ("replace_validate", "replace_all_validate",
                     "replace_all_validate_remove"):
            fgraph.__dict__.pop(attr, None)

    def replace_validate(self, fgraph, r, new_r, reason=None):
        self.replace_all_validate(fgraph, [(r, new_r)], reason=reason)

    def replace_all_validate(self, fgraph, replacements, reason=None, verbose=None):
        """Make the replacements, then validate; on any failure undo them all and
        re-raise.  Returns the checkpoint taken before the replacements."""
        chk = fgraph.checkpoint()
        if verbose is None:
            verbose = config.optimizer_verbose
        for r, new_r in replacements:
            try:
                fgraph.replace(r, new_r, reason=reason, verbose=False)
            except Exception:
                fgraph.revert(chk)
                raise
        try:
            fgraph.validate()
        except Exception as e:
            fgraph.revert(chk)
            if verbose:
                print(f"validate failed on node {r}.\n Reason: {reason}, {e}")
            raise
        if verbose:
            print(reason, r, new_r)
        return chk

    def replace_all_validate_remove(self, fgraph, replacements, remove, reason=None,
                                    warn=True):
        """As replace_all_validate, and undo it when a node or variable of `remove` is
        still in the graph afterwards (ReplacementDidntRemovedError)."""
        chk = fgraph.replace_all_validate(replacements, reason)
        self._nodes_removed.update(remove)
        for rm in remove:
            if rm in fgraph.apply_nodes or rm in fgraph.variables:
                fgraph.revert(chk)
                if warn:
                    _log.warning(
                        "An optimization wanted to replace a Variable in the graph, but the "
                        "replacement for it doesn't remove it. The optimization was "
                        "disabled; the function still runs correctly (%s: %s)",
                        reason, replacements)
                raise ReplacementDidntRemovedError()

    def on_import(self, fgraph, node, reason):
        if node in self._nodes_removed:
            self.fail_validate = True

    def validate(self, fgraph):
        if self.fail_validate:
            self.fail_validate = False
            raise InconsistencyError("Trying to reintroduce a removed node")

    def __getstate__(self):
        state = History.__getstate__(self)
        state["_nodes_removed"] = set()
        return state


def _check_maps(node):
    """Theano's check of an Op's view_map / destroy_map: values must be lists of inputs."""
    op = node.op
    for attr in ("view_map", "destroy_map"):
        m = getattr(op, attr, None)
        if m and not all(isinstance(v, (list, tuple)) for v in m.values()):
            kind = "view" if attr == "view_map" else "destroy"
            raise Exception(f"Op '{op}' have a bad {kind} map '{m}', the values must be "
                            "tuples or lists.")


def _toposort_with_orderings(fgraph, ords):
    """Nodes of `fgraph` in an order respecting data dependencies and `ords`
    ({node: [nodes before it]}), as io_toposort would give without `ords` where possible."""
    base = io_toposort(fgraph.inputs, fgraph.outputs)
    position = {node: k for k, node in enumerate(base)}
    done = set()
    order = []
    for start in base:
        if start in done:
            continue
        stack = [(start, False)]
        active = set()
        while stack:
            node, expanded = stack.pop()
            if node in done:
                continue
            if expanded:
                active.discard(node)
                done.add(node)
                order.append(node)
                continue
            if node in active:
                raise ValueError("graph contains cycles")
            active.add(node)
            stack.append((node, True))
            before = [i.owner for i in node.inputs
                      if i.owner is not None and i.owner in position] + \
                [n for n in ords.get(node, ()) if n in position]
            for prev in sorted(set(before), key=position.__getitem__, reverse=True):
                if prev in active:
                    raise ValueError("graph contains cycles")
                if prev not in done:
                    stack.append((prev, False))
    return order


def as_string(inputs, outputs, leaf_formatter=str,
              node_formatter=lambda node, args: f"{node.op}({', '.join(args)})"):
    """The graph between `inputs` and `outputs` as text, one string per output (Theano's
    ``gof.graph.as_string``): ``Op(arg, ...)``, a node used twice shown once as
    ``*1 -> Op(...)`` and then as ``*1``; an output of a multi-output node gets ``::k``."""
    inputs = set(inputs)
    nodes = io_toposort(list(inputs), outputs)
    in_graph = set(nodes)
    seen, multi = set(), set()
    for out in outputs:
        if out.owner in seen:
            multi.add(out.owner)
        seen.add(out.owner)
    for node in nodes:
        for inp in node.inputs:
            producer = inp.owner
            if inp in inputs or producer is None or producer not in in_graph:
                continue
            if producer in seen:
                multi.add(producer)
            seen.add(producer)
    # Theano numbered the shared nodes in the order of a set of them; here in the order
    # they were built (which is what that set gave for graphs built in one go).
    numbers = {node: k + 1 for k, node in enumerate(sorted(multi, key=_creation_rank))}
    done = set()

    def describe(var):
        node = var.owner
        if node is None or var in inputs or node not in in_graph:
            return leaf_formatter(var)
        suffix = "" if len(node.outputs) == 1 else "::%i" % node.outputs.index(var)
        if node in done:
            return "*%i%s" % (numbers[node], suffix)
        done.add(node)
        text = node_formatter(node, [describe(i) for i in node.inputs])
        if node in multi:
            return "*%i -> %s" % (numbers[node], text)
        return text

    return [describe(o) for o in outputs]


def _creation_rank(node):
    """When `node` was built, relative to other nodes (its first output's auto_name)."""
    try:
        return int(node.outputs[0].auto_name.rpartition("_")[2])
    except (IndexError, ValueError, AttributeError):
        return -1


def _inherit_source(old_node: Apply, new: Variable, reason, existing=()):
    """Give the new nodes of a rewrite the user line of the node they replace.

    Stops at the nodes of `existing` (those already in the graph, which are not new):
    otherwise, in a graph built on one line, each replacement walked every node below it.
    """
    stack = [new]
    seen = set()
    while stack:
        v = stack.pop()
        node = v.owner
        if node is None or id(node) in seen or isinstance(v, Constant) or node in existing:
            continue
        seen.add(id(node))
        if node.source is None or node.source is old_node.source:
            node.source = old_node.source
            if reason is not None:
                node.tag.rewritten_by = reason
            stack.extend(node.inputs)
