"""FunctionGraph: a mutable view of a graph with explicit inputs, outputs and clients."""

from __future__ import annotations

from .basic import Apply, Constant, Variable, clone_get_equiv, io_toposort, reduce_graph_object


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


class FunctionGraph:
    """The graph a function computes: `inputs`, `outputs`, `clients`, and `replace`.

    Owner-less variables that are not inputs (constants, shared variables) are kept as
    ``orphans``.  Listeners (plain callables ``fn(event, *args)``) are told about
    replacements; the rewrite driver uses them to maintain its worklist.
    """

    def __init__(self, inputs, outputs, clone=True):
        if clone:
            memo = clone_get_equiv(inputs, outputs, copy_inputs=False)
            outputs = [memo[o] for o in outputs]
        self.inputs = list(inputs)
        self.outputs = list(outputs)
        self.clients = Clients()
        self.apply_nodes = set()
        self.variables = set()
        self.listeners = []
        self._order = None
        for inp in self.inputs:
            self.clients.setdefault(inp, ClientList())
            self.variables.add(inp)
        for i, out in enumerate(self.outputs):
            self._import_var(out)
            self.clients[out].append(("output", i))

    # -- building ----------------------------------------------------------------------------

    def _import_var(self, var):
        if var in self.variables:
            return
        if var.owner is not None:
            self._import_node(var.owner)
        else:
            self.variables.add(var)
            self.clients.setdefault(var, ClientList())

    def _import_node(self, node):
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
        for new in order:
            for inp in new.inputs:
                if inp not in self.variables and inp.owner is None:
                    self.variables.add(inp)
                    self.clients.setdefault(inp, ClientList())
            self.apply_nodes.add(new)
            for out in new.outputs:
                self.variables.add(out)
                self.clients.setdefault(out, ClientList())
            for i, inp in enumerate(new.inputs):
                self.clients[inp].append((new, i))
        self._order = None

    @property
    def orphans(self):
        given = set(self.inputs)
        return [v for v in self.variables if v.owner is None and v not in given]

    # -- queries -----------------------------------------------------------------------------

    def toposort(self):
        """Apply nodes in an order where each comes after its inputs' producers."""
        if self._order is None:
            self._order = io_toposort(self.inputs, self.outputs)
        return list(self._order)

    def __str__(self):
        return f"FunctionGraph({', '.join(str(o) for o in self.outputs)})"

    # -- mutation ----------------------------------------------------------------------------

    def change_input(self, node, i, new_var, reason=None):
        """Make input `i` of `node` (or output `i` when node == "output") be `new_var`."""
        if node == "output":
            old = self.outputs[i]
            self.outputs[i] = new_var
        else:
            old = node.inputs[i]
            node.inputs[i] = new_var
        self._import_var(new_var)
        users = self.clients[old]
        users.remove((node, i))
        self.clients[new_var].append((node, i))
        # A graph output has an ("output", k) client, so no clients left means it is not
        # one (no scan of self.outputs: MLPs with their updates have hundreds).
        if not users and old.owner is not None:
            self._prune(old.owner)
        self._order = None

    def replace(self, old, new, reason=None, verbose=False):
        """Replace every use of `old` by `new` (types must agree)."""
        if old.type != new.type:
            converted = old.type.convert_variable(new)
            if converted is None:
                raise TypeError(
                    f"replace: {old} of type {old.type} cannot be replaced by {new} "
                    f"of type {new.type} (reason: {reason})"
                )
            new = converted
        if old is new:
            return
        if old.owner is not None and new.owner is not None:
            _inherit_source(old.owner, new, reason, self.apply_nodes)
        for node, i in list(self.clients.get(old, [])):
            self.change_input(node, i, new, reason)
        for listener in self.listeners:
            listener("replace", old, new, reason)

    def replace_all(self, pairs, reason=None):
        for old, new in pairs:
            self.replace(old, new, reason)

    def _prune(self, node):
        # A worklist, not recursion: replacing the end of a 10^4-node chain prunes it all.
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
            for i, inp in enumerate(node.inputs):
                users = self.clients.get(inp)
                if users is not None and (node, i) in users:
                    users.remove((node, i))
                    if not users and inp.owner is not None:
                        stack.append(inp.owner)

    def __reduce_ex__(self, protocol):
        # Its nodes are pickled first, producers first, so a deep graph pickles without
        # deep recursion (see graph.basic, "pickling").
        return reduce_graph_object(self, protocol, self.outputs)

    def clone(self):
        memo = clone_get_equiv(self.inputs, self.outputs, copy_inputs=False)
        return FunctionGraph(self.inputs, [memo[o] for o in self.outputs], clone=False)


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
