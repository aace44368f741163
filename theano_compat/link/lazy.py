"""Where each node runs when a graph holds lazy Ops (ifelse): the block structure.

A lazy Op (``op.lazy = True``, ``op.branches(node) -> (then_positions,
else_positions)``, input 0 the condition) becomes a Python ``if``/``else`` in the
generated program.  A node whose results are needed only through one branch of it runs
inside that branch, so only the taken branch computes (Theano's lazy evaluation).

Each node gets a *home*: ``None`` (the function body) or ``(lazy node, 0 | 1)`` (its
then / else block).  A node's home is the innermost block enclosing every use of its
results: a use by a lazy node's branch value counts as inside that branch, any other use
counts where the using node lives, a function output counts as the function body.
"""

from __future__ import annotations


def is_lazy(node):
    return getattr(node.op, "lazy", False) and hasattr(node.op, "branches")


def _chain(home, home_of):
    """[home, its enclosing block, ..., None]."""
    out = [home]
    while home is not None:
        home = home_of[home[0]]
        out.append(home)
    return out


def _common(a, b, home_of):
    chain_a = _chain(a, home_of)
    for h in _chain(b, home_of):
        if h in chain_a:
            return h
    return None


def homes(nodes, outputs):
    """node -> home, for `nodes` in topological order (see the module docstring)."""
    home_of = {}
    uses = {}  # id(var) -> list of homes using it
    kept = {id(o) for o in outputs}
    for node in nodes:
        branch_of_input = {}
        if is_lazy(node):
            then_pos, else_pos = node.op.branches(node)
            branch_of_input.update((k, 0) for k in then_pos)
            branch_of_input.update((k, 1) for k in else_pos)
        for k, var in enumerate(node.inputs):
            uses.setdefault(id(var), []).append((node, branch_of_input.get(k)))
    for node in reversed(nodes):
        home = "unset"
        for out in node.outputs:
            if id(out) in kept:
                home = None
            for user, branch in uses.get(id(out), ()):
                where = (user, branch) if branch is not None else home_of[user]
                home = where if home == "unset" else _common(home, where, home_of)
        home_of[node] = None if home == "unset" else home
    return home_of


def blocks(nodes, outputs):
    """The body as nested blocks: a list of nodes, where a lazy node is followed, in its
    own entry, by its two branch blocks: ``[node, ...]`` with ``branch_blocks[node] =
    (then_nodes, else_nodes)`` returned alongside."""
    home_of = homes(nodes, outputs)
    members = {}
    for node in nodes:  # topological order is kept inside every block
        members.setdefault(home_of[node], []).append(node)
    branch_blocks = {node: (members.get((node, 0), []), members.get((node, 1), []))
                     for node in nodes if is_lazy(node)}
    return members.get(None, []), branch_blocks
