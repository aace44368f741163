"""Variables, Apply nodes, Constants and graph walks (Theano's ``gof.graph``)."""

from __future__ import annotations

import copyreg
import itertools
import linecache
import numbers
from collections import deque
import threading
import weakref

from .. import hooks
from ..config import config
from ..errors import SourceInfo, no_capture
from ..utils import Scratchpad


def _reduce_source(info):
    return SourceInfo, (info.frames,)


# Where a node was built travels with pickled graphs (every pickle protocol, 0 included,
# which cannot pickle a __slots__ class by itself).
copyreg.pickle(SourceInfo, _reduce_source)


class TracedTag(Scratchpad):
    """The tag of a variable made by calling a Type (and of a Constant): Theano's
    ``tag.trace``, ``[[(filename, lineno, function, line), ...]]`` (outermost frame first;
    ``[]`` with ``config.traceback.limit = 0``), is made on first read from the user frames
    recorded when the variable was made (no line is read until then)."""

    __slots__ = ("_source",)

    def __init__(self, source):
        self._source = source

    def __getattr__(self, name):
        if name != "trace":
            raise AttributeError(name)
        src = self._source
        trace = [] if src is None else [[
            (f, n, fn, linecache.getline(f, n).strip() or None)
            for f, n, fn in reversed(src.frames)]]
        self.__dict__["trace"] = trace
        return trace

    def __reduce__(self):
        # A plain Scratchpad with the trace made (any pickle protocol).
        state = dict(self.__dict__)
        state["trace"] = self.trace
        return _scratchpad_from, (state,)


def _scratchpad_from(state):
    tag = Scratchpad()
    tag.__dict__.update(state)
    return tag


def _copy_tag(tag):
    """A copy of a variable's tag (a TracedTag keeps its recorded frames)."""
    if type(tag) is TracedTag:
        new = TracedTag(tag._source)
        new.__dict__.update(tag.__dict__)
        return new
    return Scratchpad().update(tag)


def add_trace_tag(var):
    """Give `var` a TracedTag recording where it is being made (Theano's add_tag_trace,
    which Type.__call__ and Constant applied); returns `var`."""
    limit = config.traceback__limit
    tag = TracedTag(SourceInfo.capture(limit if limit >= 0 else 1 << 30))
    old = var.tag.__dict__
    if old:
        tag.__dict__.update(old)
    var.tag = tag
    return var


class Node:
    """Common base of `Variable` and `Apply` (Theano's ``gof.graph.Node``)."""

    __module__ = "theano.gof.graph"  # Theano's path: reprs and pickles

    def get_parents(self):
        raise NotImplementedError(
            "Node is abstract: use Apply or Variable, which define get_parents")

    # Theano's Node (an object2): != is the negation of == (identity for variables and
    # nodes, which never build a graph for ==).
    def __ne__(self, other):
        return not self == other


class Apply(Node):
    """One application of an Op to input variables, producing output variables."""

    __module__ = "theano.gof.graph"  # Theano's path: reprs and pickles
    source = None  # Theano 1.0.5's pickles of nodes lack it

    def __init__(self, op, inputs, outputs):
        self.op = op
        self.inputs = list(inputs)
        self.outputs = []
        self.tag = Scratchpad()
        for i, out in enumerate(outputs):
            if out.owner is not None and (out.owner is not self or out.index != i):
                raise ValueError("All output variables passed to Apply must be fresh.", out)
            out.owner = self
            out.index = i
            self.outputs.append(out)
        for inp in self.inputs:
            if not isinstance(inp, Variable):
                raise TypeError(f"The inputs of an Apply must be Variables, got {inp!r}")
        self.source = SourceInfo.capture(config.traceback__limit)

    def default_output(self):
        """The output returned when the Op is called (Theano's ``default_output``)."""
        do = getattr(self.op, "default_output", None)
        if do is None:
            if len(self.outputs) == 1:
                return self.outputs[0]
            raise AttributeError(f"{self.op}.default_output should be an output index.")
        # Theano 1.0.5 raised AttributeError for a default_output that is not an int or
        # is out of range (no negative indexing).
        if not isinstance(do, numbers.Integral) or isinstance(do, bool):
            raise AttributeError(f"{self.op}.default_output should be an int or long")
        if do < 0 or do >= len(self.outputs):
            raise AttributeError(f"{self.op}.default_output is out of range.")
        return self.outputs[do]

    out = property(default_output)

    @property
    def nin(self):
        return len(self.inputs)

    @property
    def nout(self):
        return len(self.outputs)

    def get_parents(self):
        return list(self.inputs)

    def __reduce_ex__(self, protocol):
        return reduce_graph_object(self, protocol, self.inputs)

    def __copy__(self):
        return _plain_copy(self)

    def clone(self):
        """A new Apply with the same inputs and fresh outputs of the same types."""
        new = Apply(self.op, self.inputs, [o.clone() for o in self.outputs])
        new.tag = Scratchpad().update(self.tag)
        new.source = self.source
        return new

    def clone_with_new_inputs(self, inputs, strict=True):
        """Rebuild this node on `inputs` (types must match when `strict`)."""
        assert len(inputs) == len(self.inputs)
        if strict:
            for old, new in zip(self.inputs, inputs):
                if old.type != new.type:
                    converted = old.type.convert_variable(new)
                    if converted is None:
                        raise TypeError(
                            f"Cannot replace {old} of type {old.type} by {new} of type {new.type}"
                        )
            new_node = Apply(self.op, list(inputs), [o.clone() for o in self.outputs])
        else:
            new_node = self.op.make_node(*inputs)
        new_node.tag = Scratchpad().update(self.tag)
        new_node.source = self.source
        return new_node

    def __str__(self):
        from_inputs = ", ".join(str(i) for i in self.inputs)
        return f"{self.op}({from_inputs})"

    __repr__ = __str__


class Variable(Node):
    """A symbolic value: the output of an Apply (``owner``) or a graph input."""

    __module__ = "theano.gof.graph"  # Theano's path: reprs and pickles
    # Theano's class counter: every variable gets ``auto_name = "auto_<n>"`` from it, in
    # order of creation (code may read or replace it, as Theano's tests did).
    __count__ = itertools.count()

    def __init__(self, type, owner=None, index=None, name=None):
        self.type = type
        self.owner = owner
        self.index = index
        self.name = name
        self.tag = Scratchpad()
        self.auto_name = "auto_" + str(next(self.__count__))

    def get_parents(self):
        return [self.owner] if self.owner is not None else []

    def clone(self):
        """A new variable of the same type and name, without owner."""
        cp = self.__class__(self.type, None, None, self.name)
        cp.tag = _copy_tag(self.tag)
        return cp

    def __str__(self):
        if self.name is not None:
            return self.name
        if self.owner is not None:
            op = self.owner.op
            if self.index == getattr(op, "default_output", None) or len(self.owner.outputs) == 1:
                return f"{op}.0" if len(self.owner.outputs) == 1 else f"{op}.out"
            return f"{op}.{self.index}"
        return f"<{self.type}>"

    def __repr__(self):
        return str(self)

    def eval(self, inputs_to_values=None):
        """Compile (once, cached on the variable) and evaluate this variable.

        `inputs_to_values` maps input variables to values, as in Theano.
        """
        if inputs_to_values is None:
            inputs_to_values = {}
        key = tuple(inputs_to_values)
        cache = self.__dict__.setdefault("_fn_cache", {})
        if key not in cache:
            cache[key] = hooks.compile_function(list(key), self)
        return cache[key](*inputs_to_values.values())

    def __getstate__(self):
        d = self.__dict__.copy()
        d.pop("_fn_cache", None)
        return d

    def __reduce_ex__(self, protocol):
        return reduce_graph_object(self, protocol,
                                   self.owner.inputs if self.owner is not None else ())

    def __copy__(self):
        return _plain_copy(self)


class Constant(Variable):
    """A variable with a fixed value (``data``); never an input of a function."""

    __module__ = "theano.gof.graph"  # Theano's path: reprs and pickles
    owner = None  # Theano 1.0.5's pickles of constants lack it (a property there)

    def __init__(self, type, data, name=None):
        super().__init__(type, None, None, name)
        self.data = type.filter(data)
        add_trace_tag(self)

    @property
    def value(self):
        return self.data

    def signature(self):
        return (self.type, _data_key(self.data))

    def equals(self, other):
        """Whether `other` is a constant of the same type and value (Theano's method;
        ``==`` on variables stays identity)."""
        return isinstance(other, Constant) and self.signature() == other.signature()

    def clone(self):
        cp = self.__class__(self.type, self.data, self.name)
        cp.tag = _copy_tag(self.tag)
        return cp

    def __str__(self):
        if self.name is not None:
            return self.name
        text = str(self.data)
        if len(text) > 20:
            text = text[:10] + "..." + text[-10:]
        return f"{type(self).__name__}{{{text}}}"


def _data_key(data):
    tobytes = getattr(data, "tobytes", None)
    if tobytes is not None:
        return (str(getattr(data, "dtype", "")), getattr(data, "shape", ()), tobytes())
    return data


# ----------------------------------------------------------------------------- pickling
#
# Python's pickle (and copy.deepcopy) recurse into an object's state: a Variable's owner,
# the owner's inputs, their owners...  about six levels of recursion per graph node, so
# the default recursion limit stopped at graphs some 150 nodes deep.  A graph object
# pickled first (the outermost one) therefore pickles, before itself, the list of the Apply
# nodes above it in topological order: each of those finds its inputs already pickled
# (the pickler's memo) and recurses one node deep at most.  Objects met while that goes on
# belong to the same "session" and list only the nodes not listed yet, so a pickle costs
# time in the graph's size.  The session ends with the outermost object's pickling: its
# token (an argument of the reduction, held by the pickler until it is done with the
# object) is then freed, which the weak reference below sees.  Loading needs no care: the
# unpickler is not recursive.


class _Session(threading.local):
    token = None  # weak reference to the outermost object's token
    listed = None  # ids of the Apply nodes listed in this session


_session = _Session()


class _Token:
    """Marks a pickling session (see above); pickles as None."""

    __slots__ = ("__weakref__",)

    def __reduce__(self):
        return (_none, ())


def _none():
    return None


def _rebuild_after(prefix, token, func, args):
    """Unpickling: `prefix` (the nodes above, already rebuilt) and `token` only fixed the
    order in which the pickle was written; build the object as its class's own reduce
    said."""
    return func(*args)


def reduce_graph_object(obj, protocol, roots):
    """``__reduce_ex__`` of a graph object whose state leads to `roots` (variables): the
    object's own reduction, preceded by the Apply nodes above `roots` that are not listed
    yet in this pickling session (see above)."""
    reduced = object.__reduce_ex__(obj, protocol)
    live = _session.token is not None and _session.token() is not None
    token = None
    if not live:
        if not any(r.owner is not None for r in roots):
            return reduced  # nothing above: no recursion to avoid
        token = _Token()
        _session.token = weakref.ref(token)
        _session.listed = set()
    prefix = nodes_above(roots, _session.listed)
    if not prefix and token is None:
        return reduced
    return (_rebuild_after, (prefix, token, reduced[0], reduced[1])) + tuple(reduced[2:])


def nodes_above(roots, listed):
    """The Apply nodes `roots` depend on that are not in `listed` (ids), producers
    first; they are added to `listed`.  The walk stops at listed nodes."""
    order = []
    stack = []
    for r in roots:
        node = r.owner
        if node is not None and id(node) not in listed:
            listed.add(id(node))
            stack.append((node, iter(node.inputs)))
            while stack:
                current, pending = stack[-1]
                for inp in pending:
                    producer = inp.owner
                    if producer is not None and id(producer) not in listed:
                        listed.add(id(producer))
                        stack.append((producer, iter(producer.inputs)))
                        break
                else:
                    stack.pop()
                    order.append(current)
    return order


def _plain_copy(obj):
    """copy.copy of a graph object: its state copied as is (no walk of the graph, which
    __reduce_ex__ would make)."""
    func, args, state = object.__reduce_ex__(obj, 4)[:3]
    new = func(*args)
    if state is not None:
        setstate = getattr(new, "__setstate__", None)
        if setstate is not None:
            setstate(state)
        else:
            slots = None
            if isinstance(state, tuple):
                state, slots = state
            if state:
                new.__dict__.update(state)
            for k, v in (slots or {}).items():
                setattr(new, k, v)
    return new


# ----------------------------------------------------------------------------- graph walks


def stack_search(start, expand, mode="bfs", build_inv=False):
    """Walk a graph from the nodes of `start` (a deque, emptied), breadth first ('bfs':
    taken from the left) or depth first ('dfs': taken from the right); `expand(node)`
    gives the nodes to visit next (or None).  Each node is listed once, in the order it
    is reached; with `build_inv`, also returns {node: [nodes whose expand gave it]}."""
    if mode not in ("bfs", "dfs"):
        raise ValueError("mode should be bfs or dfs", mode)
    take = start.popleft if mode == "bfs" else start.pop
    seen, order, inverse = set(), [], {}
    while start:
        node = take()
        if id(node) in seen:
            continue
        seen.add(id(node))
        order.append(node)
        more = expand(node)
        if more:
            more = list(more)
            if build_inv:
                for m in more:
                    inverse.setdefault(m, []).append(node)
            start.extend(more)
    if build_inv:
        return order, inverse
    return order


def _id_set(variables):
    return {id(v) for v in variables or ()}


def ancestors(variables, blockers=None):
    """Every variable the given ones depend on, themselves included, in Theano's order:
    depth first from the LAST of `variables`, each node's inputs left to right; the walk
    does not go above `blockers`."""
    blocked = _id_set(blockers)
    order, seen = [], set()
    stack = list(variables)
    while stack:
        v = stack.pop()
        if id(v) in seen:
            continue
        seen.add(id(v))
        order.append(v)
        if v.owner is not None and id(v) not in blocked:
            stack.extend(reversed(v.owner.inputs))
    return order


def inputs(variables, blockers=None):
    """Theano's ``gof.graph.inputs``: the owner-less variables (inputs, shared variables,
    constants) in the order `ancestors` reaches them; a blocker that has an owner is not
    listed (use `graph_inputs` to get those too)."""
    return [v for v in ancestors(variables, blockers) if v.owner is None]


def graph_inputs(variables, blockers=None):
    """The leaves of the graph above `variables`: the owner-less variables and the
    `blockers` reached, in the order of `ancestors` (Theano's ``inputs`` plus blockers)."""
    blocked = _id_set(blockers)
    return [v for v in ancestors(variables, blockers) if v.owner is None or id(v) in blocked]


def general_toposort(outputs, deps, debug_print=False, compute_deps_cache=None,
                     deps_cache=None, clients=None):
    """Theano's ``general_toposort``: the nodes reachable from `outputs` through `deps`
    (a function node -> list of nodes it depends on), each after its dependencies.
    Raises ValueError on a cycle.  `clients`, a dict, receives node -> dependents."""
    if compute_deps_cache is None:
        deps_cache = {}

        def compute_deps_cache(node):
            if node not in deps_cache:
                d = deps(node)
                deps_cache[node] = list(d) if d else d
                return d
            return deps_cache[node]
    reachable, dependents = stack_search(deque(outputs), compute_deps_cache, "dfs", True)
    if clients is not None:
        clients.update(dependents)
    sources = deque(r for r in reachable if not deps_cache.get(r, None))
    done, order = set(), []
    while sources:
        node = sources.popleft()
        if node in done:
            continue
        order.append(node)
        done.add(node)
        for client in dependents.get(node, []):
            left = [d for d in deps_cache[client] if d is not node]
            deps_cache[client] = left
            if not left:
                sources.append(client)
    if len(order) != len(reachable):
        if debug_print:
            print(reachable, order)
        raise ValueError("graph contains cycles")
    return order


def io_toposort(inputs, outputs, orderings=None, clients=None):
    """Apply nodes between `inputs` and `outputs`, each after the nodes it depends on,
    in Theano's order (a node's inputs are computed right to left: the walk of Theano's
    VM).  `orderings` ({node: [nodes that must come before]}) and `clients` (a dict
    filled with node -> dependents) take Theano's general sort instead."""
    if not orderings and clients is None:
        computed = _id_set(inputs)
        todo = [o.owner for o in reversed(outputs) if o.owner is not None]
        order = []
        # Theano skips a node whose first output is computed (done, or one of `inputs`).
        # A node needed for another of its outputs (the first one given in `inputs`, the
        # others not) is `wanted`: it is computed all the same, where Theano looped.
        wanted = set()
        while todo:
            node = todo.pop()
            if id(node.outputs[0]) in computed and id(node) not in wanted:
                continue
            if all(id(i) in computed or i.owner is None for i in node.inputs):
                computed.update(id(o) for o in node.outputs)
                wanted.discard(id(node))
                order.append(node)
            else:
                todo.append(node)
                for i in node.inputs:
                    if i.owner is not None:
                        todo.append(i.owner)
                        if id(i) not in computed and id(i.owner.outputs[0]) in computed:
                            wanted.add(id(i.owner))
        return order
    given = _id_set(inputs)
    orderings = orderings or {}

    def deps(obj):
        if id(obj) in given:
            return []
        if isinstance(obj, Apply):
            found = list(obj.inputs)
        else:
            found = [obj.owner] if obj.owner is not None else []
        found.extend(orderings.get(obj, []))
        return found

    order = general_toposort(list(outputs), deps, clients=clients)
    return [n for n in order if isinstance(n, Apply)]


def variables_and_orphans(i, o):
    """Theano's ``variables_and_orphans``: every variable between `i` and `o` (the
    outputs of the nodes walked included), depth first from the last of `o`, and the
    owner-less ones among them that are not in `i`."""
    given = _id_set(i)

    def expand(r):
        if r.owner is not None and id(r) not in given:
            return list(reversed(list(r.owner.inputs) + list(r.owner.outputs)))
        return None

    found = stack_search(deque(o), expand, "dfs")
    return found, [r for r in found if r.owner is None and id(r) not in given]


def variables(i, o):
    """Every variable used between `i` and `o` (Theano's order: see variables_and_orphans)."""
    return variables_and_orphans(i, o)[0]


def orphans(i, o):
    """Owner-less variables (constants, missing inputs) the outputs need beyond `i`."""
    return variables_and_orphans(i, o)[1]


def ops(i, o):
    """The Apply nodes between `i` and `o` (a set, as Theano's ``ops``)."""
    found, orph = variables_and_orphans(i, o)
    skip = _id_set(i) | _id_set(orph)
    return {r.owner for r in found if id(r) not in skip and r.owner is not None}


def list_of_nodes(inputs, outputs):
    """Theano's ``list_of_nodes``: the Apply nodes above `outputs` (breadth first), not
    going above the nodes that produce one of `inputs`."""
    given = _id_set(inputs)
    return stack_search(
        deque(o.owner for o in outputs),
        lambda node: [v.owner for v in node.inputs if v.owner is not None
                      and not any(id(out) in given for out in v.owner.outputs)])


def is_in_ancestors(l_node, f_node):
    """True when the Apply node `f_node` is `l_node` or above it."""
    computed = set()
    todo = [l_node]
    while todo:
        node = todo.pop()
        if id(node.outputs[0]) in computed:
            continue
        if all(id(i) in computed or i.owner is None for i in node.inputs):
            computed.update(id(o) for o in node.outputs)
            if node is f_node:
                return True
        else:
            todo.append(node)
            todo.extend(i.owner for i in node.inputs if i.owner is not None)
    return False


def clone_get_equiv(inputs, outputs, copy_inputs=True, copy_orphans=None, memo=None):
    """Clone the graph between inputs and outputs; return the old->new mapping (`memo`,
    filled in place when given).

    `copy_inputs`: whether the `inputs` are copied.  `copy_orphans` (Theano's argument):
    whether the other owner-less variables met are copied; None (the default here) copies
    them with `copy_inputs`, constants excepted (a constant is never changed in place, so
    the copy shares it) but for those of the tensor constant cache (always copied)."""
    memo = {} if memo is None else memo
    for inp in inputs:
        if inp not in memo:
            memo[inp] = inp.clone() if copy_inputs else inp
    with no_capture():  # each copy takes the source line of its original below
        _clone_nodes(inputs, outputs, copy_inputs, copy_orphans, memo)
    for out in outputs:
        if out not in memo:
            memo[out] = out.clone() if copy_inputs else out
    return memo


def _clone_nodes(inputs, outputs, copy_inputs, copy_orphans, memo):
    for node in io_toposort(inputs, outputs):
        for inp in node.inputs:
            if inp not in memo:
                if copy_orphans is None:
                    # A constant of the tensor constant cache is copied all the same:
                    # the cache lends it to every graph (FunctionGraph refuses it).
                    copy = getattr(inp, "cached", False) or (
                        copy_inputs and not isinstance(inp, Constant))
                else:
                    copy = copy_orphans
                memo[inp] = inp.clone() if copy else inp
        new_inputs = [memo[i] for i in node.inputs]
        # Same input types: copy the node as it is (no type inference to redo).
        same = all(n is o or n.type == o.type for n, o in zip(new_inputs, node.inputs))
        new_node = node.clone_with_new_inputs(new_inputs, strict=same)
        memo[node] = new_node
        for old, new in zip(node.outputs, new_node.outputs):
            if not same:  # make_node built the outputs (strict ones are clones already)
                if new.name is None:
                    new.name = old.name
                new.tag = Scratchpad().update(old.tag)
            memo[old] = new


def clone(inputs, outputs, copy_inputs=True, copy_orphans=None):
    """Theano's ``gof.graph.clone``: returns (new_inputs, new_outputs).  `copy_orphans`:
    see `clone_get_equiv`."""
    memo = clone_get_equiv(inputs, outputs, copy_inputs, copy_orphans)
    return [memo[i] for i in inputs], [memo[o] for o in outputs]


def clone_replace(output, replace=None, strict=True, share_inputs=True):
    """Copy the graph of `output`, substituting the variables of `replace` (Theano's ``clone``).

    `replace` is a dict or a list of (old, new) pairs.  With `share_inputs`, the
    owner-less variables not replaced are kept as they are (shared variables stay shared).
    """
    if replace is None:
        pairs = []
    elif isinstance(replace, dict):
        pairs = list(replace.items())
    else:
        pairs = list(replace)
    single = not isinstance(output, (list, tuple))
    outputs = [output] if single else list(output)
    memo = {}
    for old, new in pairs:
        if strict and hasattr(old.type, "convert_variable") and old.type != new.type:
            converted = old.type.convert_variable(new)
            if converted is None:
                raise TypeError(
                    f"clone: cannot replace {old} (type {old.type}) by {new} (type {new.type})"
                )
            new = converted
        memo[old] = new
    stop = list(memo)
    leaves = graph_inputs(outputs, stop)
    for leaf in leaves:
        if leaf not in memo:
            memo[leaf] = leaf if (share_inputs or isinstance(leaf, Constant)) else leaf.clone()
    replaced = set(stop)  # (not `v not in stop`: thousands of givens made it quadratic)
    for node in io_toposort(stop + [v for v in leaves if v not in replaced], outputs):
        if any(i in memo for i in node.inputs) or node not in memo:
            new_inputs = [memo.get(i, i) for i in node.inputs]
            if all(a is b for a, b in zip(new_inputs, node.inputs)) and not strict:
                new_node = node
            else:
                new_node = node.clone_with_new_inputs(new_inputs, strict=False)
            for old, new in zip(node.outputs, new_node.outputs):
                if old in replaced:  # a sibling output was replaced: keep its replacement
                    continue
                if new is not old:
                    new.name = old.name
                    new.tag = Scratchpad().update(old.tag)
                memo[old] = new
    result = [memo.get(o, o) for o in outputs]
    return result[0] if single else type(output)(result) if isinstance(output, tuple) else result


def is_same_graph(var1, var2, givens=None):
    """True when the two variables compute the same thing (structural comparison)."""
    return equal_computations([var1], [var2], givens=givens)


def equal_computations(xs, ys, in_xs=None, in_ys=None, givens=None):
    """Structural equality of two lists of graphs (Theano's scan_utils.equal_computations)."""
    if len(xs) != len(ys):
        return False
    pairs = {}
    for a, b in zip(in_xs or [], in_ys or []):
        pairs[id(a)] = b
    if givens:
        for a, b in givens.items() if isinstance(givens, dict) else givens:
            pairs[id(a)] = b

    def same(top_a, top_b):
        # Depth first, inputs in order, on a stack of its own (graphs may be 10^5 deep);
        # a pair is recorded as equal once everything below it compared equal.
        stack = [(top_a, top_b, False)]
        while stack:
            a, b, checked = stack.pop()
            if checked:
                pairs[id(a)] = b
                continue
            if id(a) in pairs:
                if pairs[id(a)] is not b:
                    return False
                continue
            if a is b:
                continue
            if isinstance(a, Constant) and isinstance(b, Constant):
                if not (a.type == b.type and a.signature() == b.signature()):
                    return False
                continue
            if a.owner is None or b.owner is None:
                return False
            if a.index != b.index or a.owner.op != b.owner.op:
                return False
            if len(a.owner.inputs) != len(b.owner.inputs):
                return False
            stack.append((a, b, True))
            stack.extend((x, y, False) for x, y in
                         zip(reversed(a.owner.inputs), reversed(b.owner.inputs)))
        return True

    return all(x.type == y.type and same(x, y) for x, y in zip(xs, ys))


def view_roots(v):
    """Theano API stub kept for legacy callers: variables are never views here."""
    return [v]
