"""Graph rewriting: rules, a pattern matcher and a worklist driver (DESIGN.md §7).

A *rule* looks at one Apply node and either declines (returns None/False) or returns the
replacements for the node's outputs (a list aligned with ``node.outputs``, ``None`` for an
output it leaves alone, or a dict ``{old_variable: new_variable}``).

* `node_rule(name, ops, fn)` wraps ``fn(fgraph, node)``.
* `PatternRule(name, lhs, rhs)` is declarative: ``lhs`` is a nested tuple
  ``(op, arg, ...)`` whose leaves are pattern variables (strings), numbers (matched
  against scalar constants) or sub-patterns; ``rhs`` is a template of the same form or a
  callable receiving the bindings as keywords.

Rules are indexed by the keys of the Ops they can match (``Op.rewrite_keys()``: the Op
class, plus the scalar op for an Elemwise), so a node only tries the rules that can fire
on it.  `rewrite_to_fixed_point` applies a rule list until nothing changes.
"""

from __future__ import annotations

import collections
import logging
import time

from ..config import config
from ..errors import no_capture
from .basic import Variable

_log = logging.getLogger("theano_compat.rewrite")


class RewriteCycleError(RuntimeError):
    """The rules kept rewriting each other's results (a cycle in the rule set)."""


class Rule:
    """A node rewrite: `fn(fgraph, node)` -> replacements or None.

    `keys`: rewrite keys of the Ops it applies to (None: every node).
    `tags`: names by which `optimizer_excluding`/`Mode.excluding` can switch it off.
    """

    def __init__(self, name, keys, fn, tags=()):
        self.name = name
        self.keys = None if keys is None else tuple(keys)
        self.fn = fn
        self.tags = frozenset((name,) + tuple(tags))

    def __call__(self, fgraph, node):
        return self.fn(fgraph, node)

    def __repr__(self):
        return f"<rule {self.name}>"


def node_rule(name, ops, fn, tags=()):
    """A rule computed by `fn(fgraph, node)`; `ops` are Op classes, Op instances or keys."""
    keys = None if ops is None else [rewrite_key(o) for o in ops]
    return Rule(name, keys, fn, tags)


def rewrite_key(op_or_key):
    """The index key of an Op instance (its most specific key), or a key given as is."""
    keys = getattr(op_or_key, "rewrite_keys", None)
    if keys is not None and not isinstance(op_or_key, type):
        return keys()[-1]
    return op_or_key


# ------------------------------------------------------------------------- pattern rules


class PatternRule(Rule):
    """A declarative rule ``lhs -> rhs`` (PyTensor's PatternNodeRewriter, written anew).

    `const_value(var)` returns the scalar value of a constant-valued variable or raises;
    `commutative(op)` says whether a 2-input op may match its inputs in either order;
    `when(**bindings)` is an extra condition.
    """

    def __init__(self, name, lhs, rhs, *, const_value, commutative=lambda op: False,
                 when=None, tags=()):
        self.lhs = lhs
        self.rhs = rhs
        self.when = when
        self._const_value = const_value
        self._commutative = commutative
        super().__init__(name, [rewrite_key(lhs[0])], self._apply, tags)

    def _apply(self, fgraph, node):
        bindings = {}
        if not self._match(self.lhs, node.outputs[0], bindings, fgraph):
            return None
        if self.when is not None and not self.when(**bindings):
            return None
        new = self._build(self.rhs, bindings)
        return [new]

    def _match(self, pat, var, bindings, fgraph):
        if isinstance(pat, str):
            if pat in bindings:
                return bindings[pat] is var
            bindings[pat] = var
            return True
        if isinstance(pat, (int, float)):
            try:
                value = self._const_value(var)
            except Exception:  # noqa: BLE001 - any failure means "not that constant"
                return False
            return value == pat
        op, *args = pat
        node = var.owner
        if node is None or node.op != op or len(node.inputs) != len(args):
            return False
        orders = [node.inputs]
        if len(args) == 2 and self._commutative(op):
            orders.append(node.inputs[::-1])
        for inputs in orders:
            trial = dict(bindings)
            if all(self._match(p, v, trial, fgraph) for p, v in zip(args, inputs)):
                bindings.clear()
                bindings.update(trial)
                return True
        return False

    def _build(self, tmpl, bindings):
        if callable(tmpl) and not isinstance(tmpl, tuple) and not hasattr(tmpl, "make_node"):
            return tmpl(**bindings)
        if isinstance(tmpl, str):
            return bindings[tmpl]
        if isinstance(tmpl, tuple):
            op, *args = tmpl
            return op(*[self._build(a, bindings) for a in args])
        return tmpl


# ----------------------------------------------------------------------------- the driver


class RewriteReport:
    """What a rewrite phase did: applications per rule, failures, time."""

    def __init__(self):
        self.applied = collections.Counter()
        self.failed = {}
        self.seconds = 0.0

    def merge(self, other):
        self.applied.update(other.applied)
        self.failed.update(other.failed)
        self.seconds += other.seconds


def _normalise(node, result):
    if isinstance(result, dict):
        return list(result.items())
    if isinstance(result, Variable):
        result = [result]
    return [(old, new) for old, new in zip(node.outputs, result) if new is not None]


def _compatible(fgraph, old, new):
    """`new` converted to `old`'s type, or None when the rule produced a wrong type."""
    if old.type == new.type:
        return new
    return old.type.convert_variable(new)


def rewrite_to_fixed_point(fgraph, rules, excluded=(), *, phase="rewrite", report=None):
    """Apply `rules` to `fgraph` until none fires.  Returns a RewriteReport.

    Rules whose name or tags are in `excluded` are skipped.  A rule that raises is
    disabled for the rest of this call and reported once (or re-raised when
    ``config.on_opt_error == 'raise'``).  More than 10 rewrites per node (at least 1000)
    means the rules feed each other: RewriteCycleError names them.
    """
    started = time.perf_counter()
    report = report if report is not None else RewriteReport()
    excluded = set(excluded)
    active = [r for r in rules if not (r.tags & excluded)]
    by_key = collections.defaultdict(list)
    generic = []
    for r in active:
        if r.keys is None:
            generic.append(r)
        else:
            for k in r.keys:
                by_key[k].append(r)

    disabled = set()
    order = fgraph.toposort()
    queue = collections.deque(order)
    queued = set(order)
    known = set(order)
    cap = max(1000, 10 * len(order))
    count = 0
    verbose = config.optimizer_verbose

    def candidates(node):
        keys = node.op.rewrite_keys() if hasattr(node.op, "rewrite_keys") else (type(node.op),)
        out = []
        for k in keys:
            out.extend(by_key.get(k, ()))
        out.extend(generic)
        return out

    # (op, inputs) -> node, to merge a node a rule builds with an equal one already there
    # (rules compare values by identity, so duplicates would hide cancellations).
    signatures = {}
    for node in order:
        signatures.setdefault(_node_key(node), node)

    def enqueue_new(var):
        fresh = []
        stack = [var]
        while stack:
            v = stack.pop()
            node = v.owner
            if node is None or node in known or node not in fgraph.apply_nodes:
                continue
            known.add(node)
            fresh.append(node)
            stack.extend(node.inputs)
        # Producers first, so a node's key sees its inputs already merged.
        for node in reversed(fresh):
            if node not in fgraph.apply_nodes:
                continue
            key = _node_key(node)
            twin = signatures.get(key)
            if twin is not None and twin is not node and twin in fgraph.apply_nodes:
                for old, new in zip(node.outputs, twin.outputs):
                    if old.type == new.type:
                        fgraph.replace(old, new, reason="merge")
                continue
            signatures[key] = node
            if node not in queued:
                queued.add(node)
                queue.append(node)

    with no_capture():
        while queue:
            node = queue.popleft()
            queued.discard(node)
            if node not in fgraph.apply_nodes:
                continue
            for rule in candidates(node):
                if rule in disabled:
                    continue
                try:
                    result = rule(fgraph, node)
                    if not result:
                        continue
                    pairs = []
                    for old, new in _normalise(node, result):
                        new = _compatible(fgraph, old, new)
                        if new is None:
                            raise TypeError(
                                f"rule {rule.name} replaced {old} of type {old.type} by a "
                                f"variable of another type"
                            )
                        if new is not old:
                            pairs.append((old, new))
                except Exception as exc:  # noqa: BLE001 - reported below, once per rule
                    if config.on_opt_error == "raise":
                        raise
                    disabled.add(rule)
                    report.failed[rule.name] = f"{type(exc).__name__}: {exc}"
                    continue
                if not pairs:
                    continue
                for old, new in pairs:
                    if verbose:
                        print(f"rewriting: rule {rule.name} replaces {old.owner.op} "
                              f"by {new.owner.op if new.owner else new}")
                    clients_before = [c for c, _ in fgraph.clients(old) if c != "output"]
                    fgraph.replace(old, new, reason=rule.name)
                    enqueue_new(new)
                    for c in clients_before:
                        if c in fgraph.apply_nodes and c not in queued:
                            queued.add(c)
                            queue.append(c)
                report.applied[rule.name] += 1
                count += 1
                if count > cap:
                    top = ", ".join(f"{n} ({k}x)" for n, k in report.applied.most_common(4))
                    raise RewriteCycleError(
                        f"{phase}: more than {cap} rewrites on a graph of {len(order)} "
                        f"nodes; these rules keep firing on each other's results: {top}"
                    )
                break
    for name, message in report.failed.items():
        if config.on_opt_error != "ignore":
            _log.warning("%s: rule %s failed and was skipped for this compile (%s)",
                         phase, name, message)
    report.seconds += time.perf_counter() - started
    return report


def _node_key(node):
    try:
        key = (node.op, tuple(id(i) for i in node.inputs))
        hash(key)
        return key
    except TypeError:
        return id(node)


def graph_pass(name, fn, tags=()):
    """A whole-graph pass ``fn(fgraph)`` with a name (merge, constant folding, fusion)."""
    fn.pass_name = name
    fn.tags = frozenset((name,) + tuple(tags))
    return fn
