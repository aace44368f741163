"""Record what Theano 1.0.5's gof linkers, VMs, schedules, unification and CallCache give
(tests/unit/gof/test_link.py, test_vm.py, test_cc.py, test_sched.py, test_unify.py,
test_callcache.py).

Run under the original Theano, from outside the repository ($REPO: this checkout):
    cd "$(mktemp -d)" && $REPO/../shared/tools/theano-ref $REPO/tests/golden/make_gof_linkers.py
It writes gof_linkers.theano105.json next to this script.  `scenarios(theano, T, mode)`
is shared with the tests, which run it on theano_compat and compare; `mode(**kw)` builds
the Mode a linker is given to (theano.Mode under Theano).
"""

import json
import os
import sys

import numpy as np


def scenarios(theano, T, mode):
    from theano.gof import Apply, Op, Type, graph
    from theano.gof.callcache import CallCache
    from theano.gof.cc import DualLinker, OpWiseCLinker
    from theano.gof.link import PerformLinker, WrapLinker
    from theano.gof.sched import (_toposort, key_to_cmp, make_dependence_cmp, posort,
                                  reverse_dict, sort_apply_nodes, sort_schedule_fn)
    from theano.gof.unify import (NotVariable, OrVariable, V, Variable, VariableInList,
                                  unify, unify_merge, unify_walk, Unification, BoundVariable,
                                  FreeVariable)
    from theano.gof.vm import VM_Linker, calculate_reallocate_info
    from theano.ifelse import ifelse

    FunctionGraph = theano.gof.FunctionGraph

    class TDouble(Type):
        def filter(self, data, strict=False, allow_downcast=None):
            return float(data)

        def __eq__(self, other):
            return type(self) is type(other)

        def __hash__(self):
            return hash(type(self))

    tdouble = TDouble()

    def double(name):
        return graph.Variable(tdouble, None, None, name=name)

    class MyOp(Op):
        __props__ = ("nin", "name")

        def __init__(self, nin, name, fn):
            self.nin = nin
            self.name = name
            self.fn = fn

        def make_node(self, *inputs):
            return Apply(self, list(inputs), [double(self.name + "_R")])

        def __str__(self):
            return self.name

        def perform(self, node, inputs, out):
            out[0][0] = self.fn(*inputs)

    add = MyOp(2, "Add", lambda a, b: a + b)
    sub = MyOp(2, "Sub", lambda a, b: a - b)
    mul = MyOp(2, "Mul", lambda a, b: a * b)
    div = MyOp(2, "Div", lambda a, b: a / b)

    def small_graph():
        x, y, z = double("x"), double("y"), double("z")
        return [x, y, z], add(mul(add(x, y), div(x, y)), sub(sub(x, y), z))

    xv = np.array([[0.5, -1.0, 2.0], [1.5, 0.25, -0.75]])
    yv = np.array([[1.0, 2.0, -1.0], [0.5, -0.5, 3.0]])

    def tensor_graph():
        x, y = T.dmatrices("x", "y")
        return [x, y], [T.exp(x) * y + T.tanh(x - y).sum(axis=0), (x * y).sum()]

    def linked(linker):
        ins, outs = tensor_graph()
        fn = linker.accept(FunctionGraph(ins, outs)).make_function()
        return [np.asarray(v).tolist() for v in fn(xv, yv)]

    def perform_values():
        ins, out = small_graph()
        fn = PerformLinker().accept(FunctionGraph(ins, [out])).make_function()
        return [fn(2.0, 3.0, 4.0), fn(-1.5, 0.5, 7.0)]

    def perform_thunk():
        ins, out = small_graph()
        thunk, i, o = PerformLinker().accept(FunctionGraph(ins, [out])).make_thunk()
        i[0].data = 2.0
        i[1].data = 3.0
        i[2].data = 4.0
        thunk()
        return o[0].data

    def wrap_order():
        ins, out = small_graph()
        seen = []

        def wrapper(i, node, th):
            seen.append([i, str(node.op)])
            th()

        fg = FunctionGraph(ins, [out])
        fn, i, o = WrapLinker([PerformLinker(allow_gc=False)], wrapper).accept(fg).make_thunk()
        for c, v in zip(i, (2.0, 3.0, 4.0)):
            c.data = v
        fn()
        expected_order = [str(n.op) for n in fg.toposort()]
        return [[s[0] for s in seen], [s[1] for s in seen] == expected_order, o[0].data]

    def dual_checks():
        ins, out = small_graph()
        checked = []

        def checker(a, b):
            checked.append(a[0] == b[0])

        fn = DualLinker(checker=checker).accept(FunctionGraph(ins, [out])).make_function()
        return [fn(2.0, 3.0, 4.0), checked]

    def vm_values():
        out = {}
        for lazy in (None, True, False):
            for gc in (True, False):
                out[f"lazy={lazy},gc={gc}"] = linked(VM_Linker(lazy=lazy, allow_gc=gc,
                                                               use_cloop=False))
        return out

    def vm_callback_counts():
        counts = {}

        def callback(node, thunk, storage_map, compute_map):
            key = type(node.op).__name__
            counts[key] = counts.get(key, 0) + 1

        a, b, c = T.dscalars("abc")
        f = theano.function([a, b, c], (a + b) + c,
                            mode=mode(optimizer=None, linker=VM_Linker(callback=callback)))
        first = float(f(1.0, 2.0, 3.0))
        plain = dict(counts)
        counts.clear()
        g = theano.function([a, b, c], ifelse(a, 2 * b, 2 * c),
                            mode=mode(optimizer=None, linker=VM_Linker(callback=callback)))
        taken = [float(g(1.0, 2.0, 3.0))]
        then_counts = dict(counts)
        counts.clear()
        taken.append(float(g(0.0, 2.0, 3.0)))
        return [first, plain, taken, then_counts, dict(counts)]

    class Boom(Exception):
        pass

    class Explode(Op):
        __props__ = ()

        def make_node(self, v):
            return Apply(self, [v], [v.type()])

        def perform(self, node, inputs, out):
            raise Boom("boom")

    def lazy_branch_not_run():
        a = T.dscalar("a")
        x = T.dvector("x")
        out = ifelse(a, Explode()(x), x * 2)
        results = {}
        for name, linker in (("vm_lazy", VM_Linker(lazy=True, use_cloop=False)),
                             ("vm_auto", VM_Linker(use_cloop=False)),
                             ("vm_not_lazy", VM_Linker(lazy=False, use_cloop=False)),
                             ("perform", PerformLinker())):
            fn = linker.accept(FunctionGraph([a, x], [out])).make_function()
            try:
                results[name] = np.asarray(fn(0.0, np.array([1.0, 2.0]))).tolist()
            except Boom:
                results[name] = "Boom"
        return results

    def raise_with_op_info():
        x = T.dvector("x")
        out = Explode()(T.exp(x))
        fg = FunctionGraph([x], [out])
        fn = VM_Linker(use_cloop=False).accept(fg).make_function()
        try:
            fn(np.array([1.0, 2.0]))
        except Boom as e:
            text = str(e)
            return [text.split("\n")[0], "Apply node that caused the error: " in text,
                    "Toposort index: 1" in text, "Inputs shapes: [(2,)]" in text,
                    type(e).__name__]
        return "no error"

    def opwise_values():
        return linked(OpWiseCLinker())

    def reallocation():
        s = T.dscalar

        class Step(Op):
            __props__ = ("tag",)

            def __init__(self, tag):
                self.tag = tag

            def make_node(self, v):
                return Apply(self, [v], [s(self.tag + "_out")])

            def perform(self, node, inputs, out):
                out[0][0] = np.asarray(inputs[0] + 1.0)

        x = s("x")
        a = Step("a")(x)
        b = Step("b")(a)
        c = Step("c")(b)
        d = Step("d")(c)
        fg = FunctionGraph([x], [d], clone=False)
        order = fg.toposort()
        storage_map = {v: [None] for v in fg.variables}
        from collections import defaultdict
        compute_map_re = defaultdict(lambda: [0])
        compute_map_re[x][0] = 1
        deps = VM_Linker().accept(fg).compute_gc_dependencies(storage_map)
        info = calculate_reallocate_info(order, fg, storage_map, compute_map_re, deps)
        return sorted([str(k), [str(v) for v in pair]] for k, pair in info.items())

    def sched_cases():
        nums = list(range(1, 20))
        cmps = [lambda a, b: a % 10 - b % 10, lambda a, b: (a // 10) % 2 - (b // 10) % 2,
                lambda a, b: a - b]
        edges = {1: {4, 6, 7}, 2: {4, 6, 7}, 3: {5, 7}, 4: {6, 7}, 5: {7}}
        ins, out = small_graph()

        def str_cmp(p, q):
            return (str(p) > str(q)) - (str(p) < str(q))

        dep = make_dependence_cmp()
        nodes = graph.io_toposort(ins, [out])
        deps = [[str(p), str(q), dep(p, q)] for p in nodes for q in nodes]
        fg = FunctionGraph(ins, [out])
        sched = [str(n) for n in sort_schedule_fn(str_cmp)(fg)]
        by_key = posort(nums, key_to_cmp(lambda v: (v % 3, -v)))
        return [posort(list("asdfghjkl"), lambda p, q: (p > q) - (p < q)),
                posort(nums, *cmps), _toposort(edges),
                sorted(reverse_dict({"a": (1, 2), "b": (2, 3), "c": ()}).items()),
                [str(n) for n in sort_apply_nodes(ins, [out], [str_cmp])], deps, sched,
                by_key]

    def unify_cases():
        vx = NotVariable("x", ["big", "bones"])
        vy = OrVariable("y", ["hello", "big"])
        vz = V("z")
        va = V("a")
        vl = VariableInList(vz)
        out = []
        U = unify_walk(dict(hey=vx, ulala=va, a=1), dict(hey=vy, ulala=10, b=2),
                       Unification())
        out.append([str(U[va]), str(U[vx]) if U else None, str(U[vy]) if U else None,
                    sorted(unify_merge(dict(hey=vx, ulala=va, a=1),
                                       dict(hey=vy, ulala=10, b=2), U).items())])
        U = unify_walk((1, 2), (va, va), Unification())
        out.append(bool(U))
        U = unify_walk((1, 1), (va, va), Unification())
        out.append(str(U[va]))
        p, q = V("p"), V("q")
        merged, U = unify([5, p, q], [p, V("r"), 9])
        out.append([merged, str(U[p]), str(U[q]), str(U[V("r")])])
        merged, U = unify([5, [p, q]], [p, [1, 2]])
        out.append([merged, bool(U)])
        U = unify_walk(vl, [1, 2, 3], Unification())
        out.append([type(U[vz]).__name__, list(U[vz].options)])
        merged, U = unify(["hello", FreeVariable("f")], [OrVariable("o", ["hello", 1]), 4])
        out.append([merged, bool(U)])
        merged, U = unify([BoundVariable("b", 3)], [3])
        out.append([merged, bool(U)])
        merged, U = unify({"k": NotVariable("n", [1])}, {"k": 1})
        out.append([merged, bool(U)])
        out.append(str(Variable("w")))
        return out

    def callcache_counts():
        calls = []

        def fn(*args):
            calls.append(args)
            return sum(args)

        cache = CallCache()
        results = [cache.call(fn, (1, 2)), cache.call(fn, (1, 2)), cache.call(fn, (3,)),
                   cache.call(fn, (1, 2), key="k"), cache.call(fn, (5, 5), key="k")]
        return [results, len(calls), sorted(str(k) for k in cache.cache if isinstance(k, str))]

    return {
        "perform_values": perform_values,
        "perform_thunk": perform_thunk,
        "perform_tensor": lambda: linked(PerformLinker()),
        "perform_tensor_nogc": lambda: linked(PerformLinker(allow_gc=False)),
        "wrap_order": wrap_order,
        "dual_checks": dual_checks,
        "opwise_values": opwise_values,
        "vm_values": vm_values,
        "vm_callback_counts": vm_callback_counts,
        "lazy_branch_not_run": lazy_branch_not_run,
        "raise_with_op_info": raise_with_op_info,
        "reallocation": reallocation,
        "sched": sched_cases,
        "unify": unify_cases,
        "callcache": callcache_counts,
    }


if __name__ == "__main__":
    import theano.tensor as T

    import theano

    results = {name: thunk() for name, thunk in scenarios(theano, T, theano.Mode).items()}
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                        "gof_linkers.theano105.json")
    with open(path, "w") as fh:
        json.dump(results, fh, indent=1, sort_keys=True)
    sys.stdout.write(f"wrote {path}\n")
