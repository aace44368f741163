"""FunctionGraph: a mutable view of a graph with explicit inputs, outputs and clients."""

from __future__ import annotations

from .basic import Apply, Constant, Variable, clone_get_equiv, io_toposort


class Clients(dict):
    """variable -> list of (node or "output", input index).

    Also callable, because Theano 1.0.5 exposed ``fgraph.clients(var)`` as a method.
    """

    def __call__(self, var):
        return self.get(var, [])


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
            self.clients.setdefault(inp, [])
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
            self.clients.setdefault(var, [])

    def _import_node(self, node):
        for new in io_toposort([v for v in self.variables], [o for o in node.outputs]):
            if new in self.apply_nodes:
                continue
            for inp in new.inputs:
                if inp not in self.variables:
                    if inp.owner is None:
                        self.variables.add(inp)
                        self.clients.setdefault(inp, [])
                    else:  # pragma: no cover - io_toposort orders producers first
                        self._import_node(inp.owner)
            self.apply_nodes.add(new)
            for out in new.outputs:
                self.variables.add(out)
                self.clients.setdefault(out, [])
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
        self.clients[old].remove((node, i))
        self.clients[new_var].append((node, i))
        if not self.clients[old] and old.owner is not None and old not in self.outputs:
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
            _inherit_source(old.owner, new, reason)
        for node, i in list(self.clients.get(old, [])):
            self.change_input(node, i, new, reason)
        for listener in self.listeners:
            listener("replace", old, new, reason)

    def replace_all(self, pairs, reason=None):
        for old, new in pairs:
            self.replace(old, new, reason)

    def _prune(self, node):
        if node not in self.apply_nodes:
            return
        if any(self.clients.get(o) for o in node.outputs):
            return
        self.apply_nodes.discard(node)
        for out in node.outputs:
            self.variables.discard(out)
            self.clients.pop(out, None)
        for i, inp in enumerate(node.inputs):
            users = self.clients.get(inp)
            if users is not None and (node, i) in users:
                users.remove((node, i))
                if not users and inp.owner is not None and inp not in self.outputs:
                    self._prune(inp.owner)

    def clone(self):
        memo = clone_get_equiv(self.inputs, self.outputs, copy_inputs=False)
        return FunctionGraph(self.inputs, [memo[o] for o in self.outputs], clone=False)


def _inherit_source(old_node: Apply, new: Variable, reason):
    """Give the new nodes of a rewrite the user line of the node they replace."""
    stack = [new]
    seen = set()
    while stack:
        v = stack.pop()
        node = v.owner
        if node is None or id(node) in seen or isinstance(v, Constant):
            continue
        seen.add(id(node))
        if node.source is None or node.source is old_node.source:
            node.source = old_node.source
            if reason is not None:
                node.tag.rewritten_by = reason
            stack.extend(node.inputs)
