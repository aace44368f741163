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
from .basic import Variable, io_toposort

_log = logging.getLogger("theano_compat.rewrite")


class RewriteCycleError(RuntimeError, AssertionError):
    """The rules kept rewriting each other's results (a cycle in the rule set).

    Raised only under ``on_opt_error=raise``; otherwise the runaway rule is stopped and
    the compile goes on (see `rewrite_to_fixed_point`).  Also an AssertionError, which
    is what Theano 1.0.5 raised for its "max'ed out" condition.
    """


class Rule:
    """A node rewrite: `fn(fgraph, node)` -> replacements or None.

    `keys`: rewrite keys of the Ops it applies to (None: every node).
    `tags`: names by which `optimizer_excluding`/`Mode.excluding` can switch it off.
    """

    # An optional rule runs only when a mode includes one of its tags (Theano's rules
    # registered without "fast_run", such as local_remove_all_assert).
    optional = False

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
        # rule name -> why it was stopped (a cycle or a runaway; see rewrite_to_fixed_point)
        self.stopped = {}
        self.seconds = 0.0

    def merge(self, other):
        self.applied.update(other.applied)
        self.failed.update(other.failed)
        self.stopped.update(other.stopped)
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


# Smallest per-rule budget: a rule may always fire this often in one call, whatever the size.
MIN_RULE_BUDGET = 16


class Navigation:
    """How `rewrite_to_fixed_point` walks the graph; the defaults are the project's own
    phases.  Theano's optimizer classes (graph/optimizers.py) run the same driver with
    other settings:

    `equilibrium`: after a rewrite, the readers of the replaced variables are visited
    again, until no rule fires (False: one pass, each node of the graph visited once,
    Theano's TopoOptimizer).  `order`: "in_to_out" takes the next node from the inputs'
    end of the worklist, "out_to_in" from the outputs' end (new nodes are visited next).
    `queue_new`: visit the nodes rules build (Theano's ``ignore_newtrees=False``).
    `merge_new`: merge a node a rule builds with an equal one already in the graph.
    `replace(fgraph, pairs, rule, node)`: makes a rule's replacements and returns whether
    it did (a validating replacement may refuse); None: ``fgraph.replace`` each pair.
    `on_error(exc, rule, node, pairs)`: called when a rule raises (it may re-raise); None:
    the rule is disabled for the call and reported.  `max_use_ratio`: the per-rule budget
    (None: ``config.optdb.max_use_ratio``), `budget_floor` its minimum, and
    `stop_all_on_budget`: a rule over budget stops the whole call (Theano's
    EquilibriumOptimizer) rather than only that rule.
    """

    def __init__(self, *, equilibrium=True, order="in_to_out", queue_new=True,
                 merge_new=True, replace=None, on_error=None, max_use_ratio=None,
                 budget_floor=MIN_RULE_BUDGET, stop_all_on_budget=False):
        if order not in ("in_to_out", "out_to_in"):
            raise ValueError("order must be 'out_to_in' or 'in_to_out'")
        self.equilibrium = equilibrium
        self.order = order
        self.queue_new = queue_new
        self.merge_new = merge_new
        self.replace = replace
        self.on_error = on_error
        self.max_use_ratio = max_use_ratio
        self.budget_floor = budget_floor
        self.stop_all_on_budget = stop_all_on_budget


_DEFAULT_NAVIGATION = Navigation()


def rewrite_to_fixed_point(fgraph, rules, excluded=(), *, phase="rewrite", report=None,
                           navigation=None, included=None):
    """Apply `rules` to `fgraph` until none fires.  Returns a RewriteReport.

    Rules whose name or tags are in `excluded` are skipped, and, when `included` is
    given (the tags of a pipeline's mode), optional rules whose name and tags are not in
    it.  A rule that raises is
    disabled for the rest of this call and reported once (or re-raised when
    ``config.on_opt_error == 'raise'``).

    Rules that keep rewriting each other's results (a cycle, or a rule that feeds on its
    own output) are stopped, as Theano's EquilibriumOptimizer stopped at
    ``optdb.max_use_ratio``.  Three limits, all scaled by that ratio (8 by default):

    * a rule may build the same result (the same Ops over the same variables) at most
      ``ratio`` times: rules that undo each other bring the same expressions back;
    * a rule may fire at most ``4 * ratio`` times in a row on what it has just built (a
      node and its inputs, built by its previous application), which catches cycles that
      grow the graph: each turn builds new nodes, so a budget proportional to the size
      would never run out.  A rule that walks the graph (lifting a shape through a chain
      of nodes) rewrites its own result too, but over inputs it did not build, which
      does not count;
    * and, as Theano's budget, a rule may fire at most ``ratio * nodes`` times in one call
      (nodes: the larger of the graph's size at the start and now; at least 16).

    The first two catch a runaway after a few dozen rewrites whatever the graph's size.

    The rule that crosses a limit is disabled for the rest of the call; the graph keeps
    the rewrites made so far (each of them preserves the value) and one error is logged
    naming the rules, as Theano did.  Under ``on_opt_error=raise`` a RewriteCycleError
    is raised instead, so the test suite catches cycles.

    `navigation` (a Navigation) changes how the graph is walked: one pass instead of a
    fixed point, the direction, validated replacements... (Theano's optimizer classes).
    """
    nav = navigation or _DEFAULT_NAVIGATION
    started = time.perf_counter()
    report = report if report is not None else RewriteReport()
    excluded = set(excluded)
    active = [r for r in rules if not (r.tags & excluded) and not (
        r.optional and included is not None and not r.tags.intersection(included))]
    by_key = collections.defaultdict(list)
    generic = []
    for r in active:
        if r.keys is None:
            generic.append(r)
        else:
            for k in r.keys:
                by_key[k].append(r)

    disabled = set()
    if getattr(fgraph, "_features", None):
        # Data dependencies only: a feature's orderings (the DestroyHandler's) may make a
        # graph under repair impossible to sort, and rules must still see it.
        order = io_toposort(fgraph.inputs, fgraph.outputs)
    else:
        order = fgraph.toposort()
    queue = collections.deque(order)
    take = queue.popleft if nav.order == "in_to_out" else queue.pop
    queued = set(order)
    known = set(order)
    verbose = config.optimizer_verbose
    ratio = float(config.optdb.max_use_ratio)
    budget_ratio = ratio if nav.max_use_ratio is None else float(nav.max_use_ratio)
    start_size = len(order)
    max_repeats = max(4, int(4 * ratio))
    fired = collections.Counter()
    # node built by a rewrite -> (number of that application, rule, how many times in a
    # row the rule had fired on its own fresh result then): see `runaway`.
    born = {}
    applications = 0
    # (rule, picture of a result it built) -> how often; the variables the pictures name
    # by id stay referenced in `alive`, so an id is not reused for another variable.
    results = collections.Counter()
    alive = []
    stopped = {}

    by_keys = {}  # rewrite keys of an op -> its candidate rules (built once per kind)

    def candidates(node):
        keys = node.op.rewrite_keys() if hasattr(node.op, "rewrite_keys") else (type(node.op),)
        out = by_keys.get(keys)
        if out is None:
            out = by_keys[keys] = [r for k in keys for r in by_key.get(k, ())] + generic
        return out

    # (op, inputs) -> node, to merge a node a rule builds with an equal one already there
    # (rules compare values by identity, so duplicates would hide cancellations).
    signatures = {}
    for node in order:
        signatures.setdefault(_node_key(node), node)

    def enqueue_new(var):
        """Queue the nodes of `var` not yet seen (merged with equal ones); returns them."""
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
        kept = []
        for node in reversed(fresh):
            if node not in fgraph.apply_nodes:
                continue
            if nav.merge_new:
                key = _node_key(node)
                twin = signatures.get(key)
                if twin is not None and twin is not node and twin in fgraph.apply_nodes:
                    for old, new in zip(node.outputs, twin.outputs):
                        if old.type == new.type:
                            fgraph.replace(old, new, reason="merge")
                    continue
                signatures[key] = node
            kept.append(node)
            if nav.queue_new and node not in queued:
                queued.add(node)
                queue.append(node)
        return kept

    def repeats(rule, node):
        """1 + how many times in a row `rule` has fired on its own fresh result, if
        `node` and one of its inputs' producers come from its last application."""
        info = born.get(node)
        if info is None or info[1] is not rule:
            return 1
        for i in node.inputs:
            if i.owner is not None and born.get(i.owner, (None,))[0] == info[0]:
                return info[2] + 1
        return 1

    def runaway(rule, in_a_row, same_results):
        """Why `rule` must stop (it just fired, the `in_a_row`-th time on its own fresh
        result, building a result it had built `same_results` times), or None."""
        if same_results > ratio:
            return (f"rule {rule.name} built the same result {same_results} times (the "
                    f"rules firing on each other's results: {_listing(fired)})")
        if in_a_row > max_repeats:
            return (f"rule {rule.name} fired {in_a_row} times in a row on what it had just "
                    f"built (each turn rewrites the previous turn's result); most applied "
                    f"in this phase: {_listing(fired)}")
        if fired[rule] > max(nav.budget_floor,
                             budget_ratio * max(start_size, len(fgraph.apply_nodes))):
            return (f"rule {rule.name} fired {fired[rule]} times on a graph of "
                    f"{start_size} nodes; the rules firing on each other's results: "
                    f"{_listing(fired)}")
        return None

    stop_all = False
    def after_replace(rule, old, new, clients_before, in_a_row):
        """Queue what a replacement built and, at a fixed point, the readers of `old`;
        returns how often `rule` built this result (see `runaway`)."""
        built = enqueue_new(new)
        for b in built:
            born[b] = (applications, rule, in_a_row)
        same = 0
        if nav.merge_new:
            # Without merging, equal results at different places are not a cycle.
            picture = _picture(new, built, alive)
            if picture is not None:
                results[rule, picture] += 1
                same = results[rule, picture]
        if nav.equilibrium:
            for c in clients_before:
                if c in fgraph.apply_nodes and c not in queued:
                    queued.add(c)
                    queue.append(c)
        return same

    with no_capture():
        while queue and not stop_all:
            node = take()
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
                    if nav.on_error is not None:
                        nav.on_error(exc, rule, node, None)
                        continue
                    if config.on_opt_error == "raise":
                        raise
                    disabled.add(rule)
                    report.failed[rule.name] = f"{type(exc).__name__}: {exc}"
                    continue
                if not pairs:
                    continue
                in_a_row = repeats(rule, node)
                if nav.replace is None:
                    applications += 1
                    same_results = 0
                    for old, new in pairs:
                        if verbose:
                            print(f"rewriting: rule {rule.name} replaces {old.owner.op} "
                                  f"by {new.owner.op if new.owner else new}")
                        clients_before = [c for c, _ in fgraph.clients(old) if c != "output"]
                        fgraph.replace(old, new, reason=rule.name)
                        same_results = max(same_results, after_replace(
                            rule, old, new, clients_before, in_a_row))
                else:
                    clients_before = {old: [c for c, _ in fgraph.clients(old) if c != "output"]
                                      for old, _ in pairs}
                    if not nav.replace(fgraph, pairs, rule, node):
                        continue  # refused (and undone): the next rule may try
                    applications += 1
                    same_results = 0
                    for old, new in pairs:
                        same_results = max(same_results, after_replace(
                            rule, old, new, clients_before[old], in_a_row))
                report.applied[rule.name] += 1
                fired[rule] += 1
                why = runaway(rule, in_a_row, same_results)
                if why is not None:
                    if config.on_opt_error == "raise":
                        raise RewriteCycleError(f"{phase}: {why}")
                    disabled.add(rule)
                    stopped[rule.name] = why
                    if nav.stop_all_on_budget:
                        stop_all = True
                break
    for name, message in report.failed.items():
        if config.on_opt_error != "ignore":
            _log.warning("%s: rule %s failed and was skipped for this compile (%s)",
                         phase, name, message)
    new_stops = {k: v for k, v in stopped.items() if k not in report.stopped}
    report.stopped.update(stopped)
    if new_stops:
        # Theano 1.0.5 logged its "EquilibriumOptimizer max'ed out" at error level too.
        _log.error(
            "%s: rewriting max'ed out: %s. %s stopped for this compile; the graph keeps "
            "the rewrites made so far, so the results are still correct. The limits "
            "scale with the flag 'optdb.max_use_ratio' (now %g).",
            phase, "; ".join(new_stops.values()),
            "That rule was" if len(new_stops) == 1 else "Those rules were", ratio)
    report.seconds += time.perf_counter() - started
    return report


# Results of more nodes than this are not pictured (see _picture).
_PICTURE_MAX_NODES = 64


def _picture(var, built, alive):
    """A hashable picture of `var`: the Ops of the nodes of `built` under it, over the
    ids of the other variables they read (appended to `alive`).

    None when nothing was built (a rule may well return the same existing variable for
    several nodes, as fill(m1, x) and fill(m2, x) both give x; a cycle has to build
    something to bring a node back), when too big (a large result is not a cycle's small
    back-and-forth) or not hashable.  A result equal to one still in the graph is merged
    with it, so the same picture twice means the first was rewritten away meanwhile."""
    if not built or len(built) > _PICTURE_MAX_NODES:
        return None
    built = set(built)
    done = {}
    stack = [(var, False)]
    while stack:
        v, ready = stack.pop()
        if id(v) in done:
            continue
        node = v.owner
        if node not in built:
            done[id(v)] = id(v)
            alive.append(v)
        elif ready:
            done[id(v)] = (node.op, node.outputs.index(v)) + tuple(
                done[id(i)] for i in node.inputs)
        else:
            stack.append((v, True))
            stack.extend((i, False) for i in node.inputs)
    try:
        hash(done[id(var)])
    except TypeError:
        return None
    return done[id(var)]


def _listing(counts, top=4):
    """'a (5x), b (3x)': the `top` most frequent rules (keys: names or rules)."""
    return ", ".join(f"{getattr(key, 'name', key)} ({k}x)" for key, k in counts.most_common(top))


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
