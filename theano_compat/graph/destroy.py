"""The DestroyHandler (Theano's ``gof.destroyhandler``): checks a graph whose Ops declare
in-place work.

An Op may declare that an output is a view of an input (``view_map = {out: [in]}``) or
that computing it overwrites an input (``destroy_map = {out: [in]}``).  Views chain: the
*root* of a variable is the value it is ultimately a view of, and destroying a view
destroys its root and every other view of it (the root's *impact*).  A graph is
consistent when

* no value is destroyed twice (two destroyers of one root);
* no constant, and no variable tagged ``tag.indestructible``, is destroyed;
* a destroyer does not also read the value it destroys through another input
  ("input aliasing"), unless its Op tolerates it (``destroyhandler_tolerate_same``:
  the very same variable at those two inputs; ``destroyhandler_tolerate_aliased``: any
  aliasing between those two inputs);
* every other reader of a destroyed value can run before its destroyer: the destroyer
  is ordered after them (`orderings`), and those orderings plus the data dependencies
  must not form a cycle.

This project's own Ops never destroy their inputs (DESIGN.md §1.4: the linker decides
where results go); the handler serves Ops users declare with ``destroy_map`` and graphs
that code builds and checks itself.  How a compiled function keeps such an Op from
clobbering a value still needed is compile/pipeline.py's ``protect_destroyed_inputs``.
"""

from __future__ import annotations

import collections

from .basic import Constant
from .features import AlreadyThere, Bookkeeper
from .fgraph import InconsistencyError

_PUBLIC_MODULE = "theano.gof.destroyhandler"


class ProtocolError(Exception):
    """The graph called the handler's callbacks in an impossible order (a node pruned
    or changed that was never imported, or imported twice)."""

    __module__ = _PUBLIC_MODULE


def _destroyed_inputs(op):
    """[(output index, input index)] of an Op's destroy_map (one input per output)."""
    out = []
    for o_idx, i_list in (getattr(op, "destroy_map", None) or {}).items():
        if len(i_list) != 1:
            raise NotImplementedError(
                f"{op}: destroy_map entry {o_idx}: {list(i_list)}; an output may destroy "
                "one input only")
        out.append((o_idx, i_list[0]))
    return out


def _views(op):
    """[(output index, input index)] of an Op's view_map (one input per output)."""
    out = []
    for o_idx, i_list in (getattr(op, "view_map", None) or {}).items():
        if len(i_list) > 1:
            raise NotImplementedError(
                f"{op}: view_map entry {o_idx}: {list(i_list)}; an output may be a view "
                "of one input only")
        if i_list:
            out.append((o_idx, i_list[0]))
    return out


def contains_cycle(fgraph, orderings):
    """Whether the data dependencies of `fgraph` plus `orderings` ({node: [nodes before
    it]}) contain a cycle."""
    nodes = fgraph.apply_nodes
    waiting = {}
    after = collections.defaultdict(list)
    for node in nodes:
        before = {i.owner for i in node.inputs if i.owner is not None and i.owner in nodes}
        before.update(n for n in orderings.get(node, ()) if n in nodes)
        before.discard(node)
        waiting[node] = len(before)
        for b in before:
            after[b].append(node)
        if any(n is node for n in orderings.get(node, ())):
            return True
    ready = collections.deque(n for n, k in waiting.items() if k == 0)
    done = 0
    while ready:
        node = ready.popleft()
        done += 1
        for nxt in after.get(node, ()):
            waiting[nxt] -= 1
            if waiting[nxt] == 0:
                ready.append(nxt)
    return done != len(nodes)


def fast_inplace_check(fgraph, inputs=None):
    """The variables of `inputs` that an in-place rewrite may still choose to destroy:
    not constants, not destroyed already, not protected (graph outputs and the inputs a
    feature marks ``protected``).  Also accepts Theano's ``fast_inplace_check(inputs)``
    when the variables know their graph (``var.fgraph``)."""
    if inputs is None:
        inputs = list(fgraph)
        fgraph = getattr(inputs[0], "fgraph", None) if inputs else None
        if fgraph is None:
            raise TypeError("fast_inplace_check(fgraph, inputs): pass the FunctionGraph")
    protected = []
    for feature in fgraph._features:
        protected.extend(getattr(feature, "protected", ()) or ())
    protected.extend(fgraph.outputs)
    has = getattr(fgraph, "has_destroyers", None)
    return [i for i in inputs
            if not isinstance(i, Constant)
            and not (has is not None and has([i]))
            and not any(i is p for p in protected)]


class DestroyHandler(Bookkeeper):
    """Checks the in-place Ops of a graph (see the module docstring) and gives the graph
    ``destroyers(var)`` (the node destroying `var`'s root, in a list) and
    ``has_destroyers(vars)``; its `orderings` put each destroyer after the other readers
    of what it destroys, which `FunctionGraph.toposort` then honours."""

    __module__ = _PUBLIC_MODULE
    pickle_rm_attr = ["destroyers", "has_destroyers"]

    def __init__(self, do_imports_on_attach=True, algo=None):
        self.fgraph = None
        self.do_imports_on_attach = do_imports_on_attach
        self.algo = algo or "regular"
        self.droot = {}
        self.impact = {}
        self.root_destroyer = {}
        self.fail_validate = {}
        # The compile pipeline gives a destroyer of a constant a copy of it, and checks
        # the rest (compile/pipeline.py): constants are no error there.
        self.tolerate_constants = False

    # -- attaching ---------------------------------------------------------------------------

    def on_attach(self, fgraph):
        if self.fgraph is fgraph or "destroyers" in fgraph.__dict__ or \
                "destroy_handler" in fgraph.__dict__:
            raise AlreadyThere("DestroyHandler feature is already present or in conflict "
                               "with another plugin.")
        if self.fgraph is not None:
            raise Exception("A DestroyHandler instance can only serve one FunctionGraph.")
        self.fgraph = fgraph
        self.destroyers = {}  # Apply nodes with a destroy_map (an ordered set)
        self.view_i = {}  # view variable -> the variable it views
        self.view_o = {}  # variable -> {its direct views}
        self.stale_droot = True
        self.imported = set()
        self.unpickle(fgraph)
        fgraph.destroy_handler = self
        if self.do_imports_on_attach:
            Bookkeeper.on_attach(self, fgraph)

    def unpickle(self, fgraph):
        fgraph.destroyers = self.get_destroyers_of
        fgraph.has_destroyers = self.has_destroyers

    def on_detach(self, fgraph):
        if fgraph is not self.fgraph:
            raise Exception("detaching wrong fgraph", fgraph)
        for attr in ("destroyers", "has_destroyers", "destroy_handler"):
            fgraph.__dict__.pop(attr, None)
        self.fgraph = None

    def __getstate__(self):
        state = self.__dict__.copy()
        state.pop("fgraph", None)
        return state

    def __setstate__(self, state):
        self.__dict__.update(state)
        self.fgraph = None

    # -- queries -----------------------------------------------------------------------------

    def refresh_droot_impact(self):
        """(droot, impact, root_destroyer), recomputed when the graph changed:
        droot: destroyed variable or view of one -> its root; impact: root -> the root
        and all its views; root_destroyer: root -> the node destroying it."""
        if self.stale_droot:
            self.droot, self.impact, self.root_destroyer = self._build_droot_impact()
            self.stale_droot = False
        return self.droot, self.impact, self.root_destroyer

    def _build_droot_impact(self):
        droot, impact, root_destroyer = {}, {}, {}
        for app in self.destroyers:
            for _, i_idx in _destroyed_inputs(app.op):
                root = app.inputs[i_idx]
                while root in self.view_i:
                    root = self.view_i[root]
                if root in droot:
                    raise InconsistencyError(f"Multiple destroyers of {root}")
                droot[root] = root
                root_destroyer[root] = app
                views = {}
                pending = collections.deque([root])
                while pending:
                    v = pending.popleft()
                    for w in self.view_o.get(v, ()):
                        if w not in views:
                            views[w] = None
                            pending.append(w)
                for w in views:
                    droot[w] = root
                impact[root] = dict(views)
                impact[root][root] = None
        return droot, impact, root_destroyer

    def get_destroyers_of(self, r):
        droot, _, root_destroyer = self.refresh_droot_impact()
        try:
            return [root_destroyer[droot[r]]]
        except KeyError:
            return []

    def has_destroyers(self, protected_list):
        """Whether a variable of `protected_list` (or a view of it) is destroyed."""
        droot, _, root_destroyer = self.refresh_droot_impact()
        return any(droot.get(v) in root_destroyer for v in protected_list)

    # -- callbacks ---------------------------------------------------------------------------

    def on_import(self, fgraph, app, reason):
        if app in self.imported:
            raise ProtocolError("double import")
        self.imported.add(app)
        if getattr(app.op, "destroy_map", None):
            self.destroyers[app] = None
        for o_idx, i_idx in _views(app.op):
            out, inp = app.outputs[o_idx], app.inputs[i_idx]
            self.view_i[out] = inp
            self.view_o.setdefault(inp, {})[out] = None
        self.stale_droot = True

    def on_prune(self, fgraph, app, reason):
        if app not in self.imported:
            raise ProtocolError("prune without import")
        self.imported.discard(app)
        self.destroyers.pop(app, None)
        for o_idx, i_idx in _views(app.op):
            out, inp = app.outputs[o_idx], app.inputs[i_idx]
            self.view_i.pop(out, None)
            views = self.view_o.get(inp)
            if views is not None:
                views.pop(out, None)
                if not views:
                    del self.view_o[inp]
        self.fail_validate.pop(app, None)
        self.stale_droot = True

    def on_change_input(self, fgraph, app, i, old_r, new_r, reason=None):
        if app != "output":
            if app not in self.imported:
                raise ProtocolError("change without import")
            for o_idx, i_idx in _views(app.op):
                if i_idx != i:
                    continue
                out = app.outputs[o_idx]
                self.view_i[out] = new_r
                views = self.view_o.get(old_r)
                if views is not None:
                    views.pop(out, None)
                    if not views:
                        del self.view_o[old_r]
                self.view_o.setdefault(new_r, {})[out] = None
        self.stale_droot = True

    # -- checks ------------------------------------------------------------------------------

    def validate(self, fgraph):
        """Raise InconsistencyError when the graph breaks a rule of the module docstring."""
        if self.destroyers:
            if contains_cycle(fgraph, self.orderings(fgraph)):
                raise InconsistencyError("Dependency graph contains cycles")
        return True

    def orderings(self, fgraph, ordered=True):
        """{destroyer: [the other readers of what it destroys]} (they must run first);
        raises InconsistencyError for an illegal destruction or input aliasing."""
        out = {}
        if not self.destroyers:
            return out
        droot, impact, _ = self.refresh_droot_impact()
        illegal = [r for r in droot
                   if (isinstance(r, Constant) and not self.tolerate_constants)
                   or getattr(r.tag, "indestructible", False)]
        if illegal:
            raise InconsistencyError(
                f"Attempting to destroy indestructible variables: {illegal}")
        clients = fgraph.clients
        for app in self.destroyers:
            before = {}
            tolerate_same = list(getattr(app.op, "destroyhandler_tolerate_same", []))
            tolerate_aliased = list(getattr(app.op, "destroyhandler_tolerate_aliased", []))
            for _, d_idx in _destroyed_inputs(app.op):
                destroyed = app.inputs[d_idx]
                root_impact = impact[droot[destroyed]]
                tolerated = {b for a, b in tolerate_same if a == d_idx} | {d_idx}
                ignored = {b for a, b in tolerate_aliased if a == d_idx}
                for k, inp in enumerate(app.inputs):
                    if k in ignored:
                        continue
                    if inp in root_impact and (k not in tolerated or inp is not destroyed):
                        raise InconsistencyError(f"Input aliasing: {app} ({d_idx}, {k})")
                for r in root_impact:
                    for client, _ in clients.get(r, ()):
                        if client != "output":
                            before[client] = None
            before.pop(app, None)
            if before:
                out[app] = list(before)
        return out


# Theano's module-level helpers under their names.
_contains_cycle = contains_cycle
