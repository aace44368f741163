"""Random Theano expressions for the differential fuzzer, written as Python source.

A :class:`Case` is a list of named inputs (dtype, broadcastable pattern, value) and one
expression over ``T`` (theano.tensor), ``np`` and those names, e.g.
``T.switch(T.lt(x0, 0.5), T.exp(x1), x0 // 2)``.  The same source is evaluated by Theano
(tests/fuzz/test_differential.py) and by the NumPy reference (tests/fuzz/reference.py), and
a failing case prints as a runnable script (:meth:`Case.script`).

The hypothesis strategy :func:`cases` builds the expression top-down from the shape the
result must have: every operand's shape is derived from its parent's, so the graph is
always well formed (broadcasting only over broadcastable axes).  Shrinking moves toward
fewer and simpler nodes (inputs first), smaller shapes and plain values.
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from tests.fuzz.reference import (
    Evaluator,
    FuzzTypeError,
    is_discrete,
    literal_dtype,
    mean_dtype,
    sum_dtype,
    upcast,
    upgrade_to_float,
)

INPUT_DTYPES = ("float64", "float32", "int32", "int8", "bool")
CAST_DTYPES = ("float64", "float32", "int32", "int8", "bool", "int16", "int64")
MAX_NDIM = 3

# Values: ordinary numbers most of the time, and the special ones the rewrites and the
# dtype rules are sensitive to.
_SPECIAL_FLOATS = [0.0, 1.0, -1.0, 0.5, 2.0, -3.0, 100.0, -100.0, float("nan"), float("inf"),
                   -float("inf"), -0.0, 1e30, -1e30, 1e-30, 20.0, -40.0, 750.0, -800.0]
_SPECIAL_INT8 = [0, 1, -1, 2, 127, -128, 100, -100]
_SPECIAL_INT32 = [0, 1, -1, 2, 3, 100, -100, 2 ** 31 - 1, -2 ** 31, 65536]

# Python literals used as operands (their dtypes follow Theano's autocasting).
_LITERALS = [1, 2, 0, -1, 0.5, 3, 1.5, -2.5, 0.1, 300, 2.0, 0.0, 1e10, 100000,
             float("nan"), float("inf")]
_NP_LITERALS = ["np.float32(0.5)", "np.int8(3)", "np.float64(2.5)", "np.int32(-2)"]
_EXPONENTS = [2, 0.5, 3, -1, -0.5, 0, 1, 1.5, -2, 4]


def _elements(dtype):
    if dtype == "bool":
        return st.booleans()
    if dtype == "int8":
        return st.one_of(st.sampled_from(_SPECIAL_INT8), st.integers(-128, 127))
    if dtype == "int32":
        return st.one_of(st.sampled_from(_SPECIAL_INT32), st.integers(-1000, 1000))
    width = 32 if dtype == "float32" else 64
    special = [v for v in _SPECIAL_FLOATS if width == 64 or not abs(v) >= 1e38]
    if width == 32:  # as float32 holds them (hypothesis checks the values it generates)
        special = [float(np.float32(v)) for v in special]
    return st.one_of(
        st.floats(-10, 10, allow_nan=False, width=width),
        st.sampled_from(special))


class Expr:
    """A generated (sub)expression: its source, Theano dtype, runtime shape and
    broadcastable pattern."""

    def __init__(self, src, dtype, shape, bc):
        self.src = src
        self.dtype = dtype
        self.shape = tuple(shape)
        self.bc = tuple(bc)
        assert len(self.shape) == len(self.bc)
        assert all(s == 1 for s, b in zip(self.shape, self.bc) if b)

    @property
    def ndim(self):
        return len(self.shape)

    def spec(self):
        return tuple(zip(self.shape, self.bc))


# How an input array is laid out in memory when passed to the compiled function (the
# values are the same): the generated code must not assume C order, write into its inputs
# or keep returning one buffer.  The same text defines these helpers in the reproducer.
LAYOUT_HELPERS = """\
def layout(a, kind):
    a = np.array(a)
    if kind == "fortran":
        return np.array(a, order="F")
    if kind == "strided" and a.ndim:
        return np.repeat(a, 2, axis=-1)[..., ::2]
    if kind == "reversed" and a.ndim:
        return np.flip(np.flip(a).copy())
    if kind == "readonly":
        a.flags.writeable = False
    return a
"""
LAYOUTS = ("c", "fortran", "strided", "reversed", "readonly")
_ns = {"np": np}
exec(LAYOUT_HELPERS, _ns)  # noqa: S102 - one text for this module and the reproducer
layout = _ns["layout"]


class Case:
    """Inputs [(name, dtype, broadcastable, value)], the expression's source, optionally a
    second output (the source of a subexpression) and the inputs' memory layouts."""

    def __init__(self, inputs, src, floatX, extra=None, layouts=None):
        self.inputs = inputs
        self.src = src
        self.floatX = floatX
        self.extra = extra
        self.layouts = layouts or ["c"] * len(inputs)

    def __repr__(self):
        more = f", extra={self.extra}" if self.extra else ""
        return f"Case({self.src}{more})"

    @property
    def outputs(self):
        """Sources of the function's outputs."""
        return [self.src] + ([self.extra] if self.extra else [])

    def values(self):
        """The input values, in their layouts."""
        return [layout(v, k) for (_n, _d, _b, v), k in zip(self.inputs, self.layouts)]

    def script(self):
        """A standalone script reproducing the case under the three modes."""
        lines = ["import numpy as np", "import theano", "import theano.tensor as T",
                 "from theano.compile.mode import Mode", ""]
        if self.floatX != "float64":
            lines.insert(0, f"# run with THEANO_FLAGS=floatX={self.floatX}")
        if any(k != "c" for k in self.layouts):
            lines += LAYOUT_HELPERS.splitlines() + [""]
        for name, dtype, bc, _v in self.inputs:
            lines.append(f"{name} = T.TensorType({dtype!r}, {tuple(bc)!r})({name!r})")
        outs = ", ".join(self.outputs)
        lines.append(f"out = [{outs}]" if self.extra else f"out = {self.src}")
        vals = []
        for (_n, _d, _b, v), k in zip(self.inputs, self.layouts):
            vals.append(format_array(v) if k == "c" else f"layout({format_array(v)}, {k!r})")
        names = ", ".join(n for n, _d, _b, _v in self.inputs)
        lines.append(f"values = [{', '.join(vals)}]")
        lines.append("for mode in ['FAST_RUN', 'FAST_COMPILE', Mode(optimizer=None)]:")
        lines.append(f"    f = theano.function([{names}], out, mode=mode, "
                     "on_unused_input='ignore')")
        lines.append("    print(mode, repr(f(*values)))")
        return "\n".join(lines)


def format_array(v):
    """np.array(...) source for v, keeping NaN, infinities and -0.0."""
    v = np.asarray(v)

    def item(x):
        if v.dtype == bool:
            return repr(bool(x))
        if v.dtype.kind in "iu":
            return repr(int(x))
        x = float(x)
        if np.isnan(x):
            return "np.nan"
        if x in (float("inf"), -float("inf")):
            return "np.inf" if x > 0 else "-np.inf"
        return repr(x)

    def nested(a):
        if a.ndim == 0:
            return item(a)
        return "[" + ", ".join(nested(s) for s in a) + "]"

    return f"np.array({nested(v)}, dtype={str(v.dtype)!r})"


# Productions, most common first (shrinking moves toward the start of the list).
_KINDS = ["unary", "binary", "cast", "compare", "reduce", "switch", "clip", "subtensor",
          "idiom", "reuse", "dot", "cumsum", "incsub", "binary", "idiom", "unary",
          "dimshuffle", "reshape"]


class _Gen:
    """State of one draw: the inputs made so far and the subexpressions to reuse."""

    def __init__(self, draw, floatX, max_depth):
        self.draw = draw
        self.floatX = floatX
        self.max_depth = max_depth
        self.inputs = []  # [name, dtype, bc, shape]
        self.made = []    # Exprs, for reuse

    # -- helpers --------------------------------------------------------------------------

    def choice(self, options):
        return self.draw(st.sampled_from(options))

    def chance(self, percent):
        return self.draw(st.integers(0, 99)) < percent

    def relaxed(self, spec):
        """A spec that broadcasts to `spec`: some non-broadcastable axes made
        broadcastable (length 1), some leading axes dropped."""
        out = []
        for s, b in spec:
            if not b and self.chance(20):
                out.append((1, True))
            else:
                out.append((s, b))
        while out and out[0] == (1, True) and self.chance(50):
            out.pop(0)
        return tuple(out)

    def sizes(self, n):
        return [self.draw(st.integers(1, 3)) for _ in range(n)]

    def literal(self):
        """(source, dtype, value) of a Python or NumPy scalar operand."""
        lit = self.choice(_LITERALS + _NP_LITERALS)
        if isinstance(lit, str):
            value = eval(lit, {"np": np})
            return lit, str(value.dtype), float(value)
        if isinstance(lit, float) and np.isnan(lit):
            return "float('nan')", literal_dtype(lit, self.floatX), lit
        if lit == float("inf"):
            return "float('inf')", literal_dtype(lit, self.floatX), lit
        return repr(lit), literal_dtype(lit, self.floatX), float(lit)

    def remember(self, e):
        self.made.append(e)
        return e

    # -- productions ----------------------------------------------------------------------

    def expr(self, spec, depth=0):
        """An expression whose shape and broadcastable pattern are `spec`."""
        spec = tuple(spec)
        if depth >= self.max_depth or (depth and self.chance(10 + 20 * depth)):
            return self.leaf(spec)
        for _attempt in range(3):
            kind = self.choice(_KINDS)
            e = getattr(self, "make_" + kind)(spec, depth + 1)
            if e is not None:
                return self.remember(e)
        return self.leaf(spec)

    def leaf(self, spec):
        shape = tuple(s for s, _b in spec)
        bc = tuple(b for _s, b in spec)
        same = [i for i in self.inputs if i[2] == bc and i[3] == shape]
        if same and self.chance(40):
            name, dtype = self.choice([(i[0], i[1]) for i in same])
        else:
            dtype = self.choice(INPUT_DTYPES)
            name = f"x{len(self.inputs)}"
            self.inputs.append([name, dtype, bc, shape])
        return Expr(name, dtype, shape, bc)

    def make_reuse(self, spec, depth):
        same = [e for e in self.made if e.spec() == spec]
        if not same:
            return None
        return self.choice(same)

    def make_unary(self, spec, depth):
        x = self.expr(spec, depth)
        op = self.choice(["neg", "abs", "sqr", "exp", "log", "sqrt", "tanh", "sigmoid",
                          "softplus"])
        if op == "neg":
            if x.dtype == "bool":
                x = self.cast_expr(x, "int8")
            src = self.choice([f"-({x.src})", f"T.neg({x.src})"])
            return Expr(src, x.dtype, x.shape, x.bc)
        if op == "abs":
            src = self.choice([f"abs({x.src})", f"T.abs_({x.src})"])
            return Expr(src, x.dtype, x.shape, x.bc)
        if op == "sqr":
            return Expr(f"T.sqr({x.src})", x.dtype, x.shape, x.bc)
        fn = {"sigmoid": "T.nnet.sigmoid", "softplus": "T.nnet.softplus"}.get(op, "T." + op)
        return Expr(f"{fn}({x.src})", upgrade_to_float(x.dtype), x.shape, x.bc)

    def cast_expr(self, x, dtype):
        src = self.choice([f"T.cast({x.src}, {dtype!r})", f"({x.src}).astype({dtype!r})"])
        return Expr(src, dtype, x.shape, x.bc)

    def make_cast(self, spec, depth):
        x = self.expr(spec, depth)
        return self.cast_expr(x, self.choice(CAST_DTYPES))

    def operands(self, spec, depth, allow_literal=True):
        """Two operands whose broadcast has exactly `spec`: the first of the pair has the
        full spec, the other broadcasts to it (or is a literal); returned in random
        order, each as (src, dtype, Expr or None)."""
        a = self.expr(spec, depth)
        if allow_literal and self.chance(30):
            src, dt, _v = self.literal()
            b = (src, dt, None)
        else:
            e = self.expr(self.relaxed(spec), depth)
            b = (e.src, e.dtype, e)
        pair = [(a.src, a.dtype, a), b]
        if self.chance(40):
            pair.reverse()
        return pair

    def make_binary(self, spec, depth):
        op = self.choice(["add", "mul", "sub", "true_div", "int_div", "mod", "pow",
                          "maximum", "minimum"])
        if op == "pow" and self.chance(60):
            x = self.expr(spec, depth)
            exp = self.choice(_EXPONENTS)
            dt = upcast(x.dtype, literal_dtype(exp, self.floatX))
            if is_discrete(dt) and (exp < 0 or not float(exp).is_integer()):
                exp = abs(int(exp)) or 2
                dt = upcast(x.dtype, literal_dtype(exp, self.floatX))
            dt = "int8" if dt == "bool" else dt
            src = self.choice([f"({x.src}) ** {exp!r}", f"T.pow({x.src}, {exp!r})"])
            return Expr(src, dt, x.shape, x.bc)
        (sa, da, ea), (sb, db, eb) = self.operands(spec, depth)
        if op == "sub" and da == "bool" and db == "bool":
            e = ea if ea is not None else eb
            c = self.cast_expr(e, "int8")
            if ea is e:
                sa, da = c.src, "int8"
            else:
                sb, db = c.src, "int8"
        if op == "true_div":
            dt = self.floatX if is_discrete(da) and is_discrete(db) else upcast(da, db)
        else:
            dt = upcast(da, db)
            if op == "pow" and dt == "bool":
                dt = "int8"
        sym = {"add": "+", "mul": "*", "sub": "-", "true_div": "/", "int_div": "//",
               "mod": "%", "pow": "**"}.get(op)
        if sym and (ea is None or eb is None or self.chance(70)):
            src = f"({sa} {sym} {sb})"
        else:
            src = f"T.{op}({sa}, {sb})"
        return Expr(src, dt, spec_shape(spec), spec_bc(spec))

    def make_compare(self, spec, depth):
        op = self.choice(["lt", "gt", "le", "ge", "eq", "neq"])
        (sa, _da, ea), (sb, _db, _eb) = self.operands(spec, depth)
        sym = {"lt": "<", "gt": ">", "le": "<=", "ge": ">="}.get(op)
        if sym and ea is not None and self.chance(50):
            src = f"({sa} {sym} {sb})"
        else:
            src = f"T.{op}({sa}, {sb})"
        return Expr(src, "bool", spec_shape(spec), spec_bc(spec))

    def make_switch(self, spec, depth):
        cond = self.expr(self.relaxed(spec), depth)
        (sa, da, _ea), (sb, db, _eb) = self.operands(spec, depth)
        src = f"T.switch({cond.src}, {sa}, {sb})"
        return Expr(src, upcast(da, db), spec_shape(spec), spec_bc(spec))

    def make_clip(self, spec, depth):
        x = self.expr(spec, depth)
        bounds = []
        for _ in range(2):
            if self.chance(60):
                bounds.append(self.literal())
            else:
                e = self.expr(self.relaxed(spec), depth)
                bounds.append((e.src, e.dtype, float("inf")))
        if self.chance(70):
            bounds.sort(key=lambda b: b[2] if b[2] == b[2] else float("inf"))
        dt = upcast(x.dtype, bounds[0][1], bounds[1][1])
        return Expr(f"T.clip({x.src}, {bounds[0][0]}, {bounds[1][0]})", dt, x.shape, x.bc)

    def make_reduce(self, spec, depth):
        op = self.choice(["sum", "max", "mean", "prod", "min", "argmax", "logsumexp"])
        nd = len(spec)
        keepable = [d for d, (_s, b) in enumerate(spec) if b]
        if nd == 0 and self.chance(50):
            child_nd = self.draw(st.integers(1, MAX_NDIM))
            child = self.expr(self.new_spec(child_nd), depth)
            axis, keepdims = None, False
        elif keepable and self.chance(30):
            axes = [d for d in keepable if self.chance(60)] or keepable[:1]
            child_spec = list(spec)
            for d in axes:
                child_spec[d] = self.new_axis()
            child = self.expr(tuple(child_spec), depth)
            axis, keepdims = axes, True
        else:
            if nd >= MAX_NDIM:
                return None
            k = 1 if nd + 1 >= MAX_NDIM or self.chance(70) else 2
            child_spec = list(spec)
            axes = []
            for _ in range(k):
                pos = self.draw(st.integers(0, len(child_spec)))
                child_spec.insert(pos, self.new_axis())
                axes = [a + (a >= pos) for a in axes] + [pos]
            child = self.expr(tuple(child_spec), depth)
            axis, keepdims = sorted(axes), False
        if axis is not None:
            cnd = child.ndim
            axis = [a - cnd if self.chance(25) else a for a in axis]
            axis = axis[0] if len(axis) == 1 and self.chance(70) else tuple(axis)
        if op == "argmax" and isinstance(axis, tuple) and len(axis) > 1 and self.chance(50):
            return None
        kw = [f"axis={axis!r}"] if axis is not None or self.chance(30) else []
        if keepdims:
            kw.append("keepdims=True")
        args = ", ".join(kw)
        if op == "logsumexp":
            # the forms local_log_sum_exp rewrites, plain and shifted by the max (the
            # stable idiom of issue 14)
            c = child.src
            inner = f"T.exp({c})"
            if self.chance(50):
                m_kw = f"axis={axis!r}, keepdims=True" if axis is not None else ""
                inner = self.choice([f"T.exp({c} - T.max({c}{', ' + m_kw if m_kw else ''}))",
                                     f"T.exp({c} - ({c}).max({m_kw}))"])
            src = f"T.log(T.sum({inner}{', ' + args if args else ''}))"
            try:
                dt = _template_dtype(src.replace(c, "{x}"), child, child, self.floatX)
            except FuzzTypeError:
                return None  # bool - bool
            return Expr(src, dt, spec_shape(spec), spec_bc(spec))
        if self.chance(40):
            src = f"({child.src}).{op}({args})"
        else:
            src = f"T.{op}({child.src}{', ' + args if args else ''})"
        dt = {"sum": sum_dtype, "prod": sum_dtype, "mean": mean_dtype}.get(
            op, lambda d: "int64" if op == "argmax" else d)(child.dtype)
        return Expr(src, dt, spec_shape(spec), spec_bc(spec))

    def new_axis(self):
        if self.chance(15):
            return (1, True)
        return (self.draw(st.integers(1, 3)), False)

    def new_spec(self, nd):
        return tuple(self.new_axis() for _ in range(nd))

    def make_dot(self, spec, depth):
        nd = len(spec)
        if nd > 2:
            return None
        k = self.new_axis()
        if nd == 0:
            a, b = self.expr((k,), depth), self.expr((k,), depth)
        elif nd == 1:
            if self.chance(50):
                a, b = self.expr((spec[0], k), depth), self.expr((k,), depth)
            else:
                a, b = self.expr((k,), depth), self.expr((k, spec[0]), depth)
        else:
            a, b = self.expr((spec[0], k), depth), self.expr((k, spec[1]), depth)
        src = f"T.dot({a.src}, {b.src})"
        return Expr(src, upcast(a.dtype, b.dtype), spec_shape(spec), spec_bc(spec))

    def make_cumsum(self, spec, depth):
        nd = len(spec)
        if nd == 0:
            return None
        fn = self.choice(["T.extra_ops.cumsum", "T.cumsum"])
        if nd == 1 and not spec[0][1] and self.chance(40):
            n = spec[0][0]
            shapes = [((n, False),)] + [((a, False), (n // a, False))
                                        for a in range(1, n + 1) if n % a == 0]
            child = self.expr(self.choice(shapes), depth)
            return Expr(f"{fn}({child.src})", child.dtype, spec_shape(spec), spec_bc(spec))
        axis = self.draw(st.integers(-nd, nd - 1))
        child = self.expr(spec, depth)
        return Expr(f"{fn}({child.src}, axis={axis})", child.dtype, child.shape, child.bc)

    def make_dimshuffle(self, spec, depth):
        """A transpose, or broadcastable axes added or dropped by dimshuffle."""
        nd = len(spec)
        way = self.choice(["transpose", "add", "drop"])
        if way == "transpose" and nd >= 2:
            child = self.expr(tuple(reversed(spec)), depth)
            src = self.choice([f"({child.src}).T", f"T.transpose({child.src})"])
            return Expr(src, child.dtype, spec_shape(spec), spec_bc(spec))
        if way == "add" and any(b for _s, b in spec):
            added = [d for d, (_s, b) in enumerate(spec) if b and self.chance(70)]
            added = added or [next(d for d, (_s, b) in enumerate(spec) if b)]
            child = self.expr(tuple(x for d, x in enumerate(spec) if d not in added), depth)
            order, k = [], 0
            for d in range(nd):
                if d in added:
                    order.append("x")
                else:
                    order.append(k)
                    k += 1
        elif way == "drop" and nd < MAX_NDIM:
            pos = self.draw(st.integers(0, nd))
            child_spec = list(spec)
            child_spec.insert(pos, (1, True))
            child = self.expr(tuple(child_spec), depth)
            order = [d for d in range(nd + 1) if d != pos]
        else:
            return None
        args = ", ".join(repr(o) for o in order)
        return Expr(f"({child.src}).dimshuffle({args})", child.dtype, spec_shape(spec),
                    spec_bc(spec))

    def make_reshape(self, spec, depth):
        """reshape to the spec's shape (a constant 1 is broadcastable, so a non-broadcastable
        length 1 is written -1), or flatten to a vector."""
        n = int(np.prod(spec_shape(spec), dtype=int))
        factors = [a for a in range(1, n + 1) if n % a == 0]
        shapes = [(n,)] + [(a, n // a) for a in factors] + \
            [(1, a, n // a) for a in factors]
        child_shape = self.choice(shapes)
        child = self.expr(tuple((s, False) for s in child_shape), depth)
        if len(spec) == 1 and not spec[0][1] and n > 1 and self.chance(40):
            return Expr(f"({child.src}).flatten()", child.dtype, spec_shape(spec),
                        spec_bc(spec))
        target = []
        for s, b in spec:
            if s == 1 and not b:
                if -1 in target:
                    return None
                target.append(-1)
            else:
                target.append(s)
        if -1 not in target and target and self.chance(30):
            k = self.draw(st.integers(0, len(target) - 1))
            if target[k] != 1:
                target[k] = -1
        shape = "(" + ", ".join(str(t) for t in target) + ("," if len(target) == 1 else "") + ")"
        src = self.choice([f"({child.src}).reshape({shape})", f"T.reshape({child.src}, {shape})"])
        return Expr(src, child.dtype, spec_shape(spec), spec_bc(spec))

    def index_for(self, spec):
        """(index source, index object, result spec) for indexing a value of `spec`."""
        nd = len(spec)
        if nd == 0:
            return None
        if self.chance(20):
            n = spec[0][0]
            m = self.draw(st.integers(1, 4))  # a one-element list is broadcastable
            lst = [self.draw(st.integers(-n, n - 1)) for _ in range(m)]
            return repr(lst), ((m, m == 1),) + tuple(spec[1:])
        entries, out = [], []
        count = self.draw(st.integers(1, nd))
        for d in range(count):
            s, b = spec[d]
            kind = self.choice(["slice", "int", "full"])
            if kind == "int":
                entries.append(str(self.draw(st.integers(-s, s - 1))))
            elif kind == "full":
                entries.append(":")
                out.append((s, b))
            else:
                sl = self.choice(_slices(s))
                entries.append(_slice_src(sl))
                n = len(range(*sl.indices(s)))
                keep = b and (sl.start in (None, 0)) and (sl.stop is None or sl.stop > 0)
                out.append((n, keep))
        if any(n == 0 for n, _b in out):
            return None
        out += list(spec[count:])
        return ", ".join(entries), tuple(out)

    def make_subtensor(self, spec, depth):
        # the indexed value: spec with an extra axis (an int index) or a longer axis
        if len(spec) < MAX_NDIM and self.chance(50):
            pos = self.draw(st.integers(0, len(spec)))
            child_spec = list(spec)
            size = self.draw(st.integers(1, 3))
            child_spec.insert(pos, (size, False))
            child = self.expr(tuple(child_spec), depth)
            idx = [":"] * pos + [str(self.draw(st.integers(-size, size - 1)))]
            src = f"({child.src})[{', '.join(idx)}]"
            return Expr(src, child.dtype, spec_shape(spec), spec_bc(spec))
        if not spec:
            return None
        d = self.draw(st.integers(0, len(spec) - 1))
        s, b = spec[d]
        if b:
            return None
        if d == 0 and s > 1 and self.chance(30):
            n = self.draw(st.integers(1, 3))
            lst = [self.draw(st.integers(-n, n - 1)) for _ in range(s)]
            child = self.expr(((n, False),) + tuple(spec[1:]), depth)
            return Expr(f"({child.src})[{lst!r}]", child.dtype, spec_shape(spec),
                        spec_bc(spec))
        n = s + self.draw(st.integers(0, 2))
        options = [sl for sl in _slices(n) if len(range(*sl.indices(n))) == s]
        sl = self.choice(options)
        child_spec = list(spec)
        child_spec[d] = (n, False)
        child = self.expr(tuple(child_spec), depth)
        idx = [":"] * d + [_slice_src(sl)]
        return Expr(f"({child.src})[{', '.join(idx)}]", child.dtype, spec_shape(spec),
                    spec_bc(spec))

    def make_incsub(self, spec, depth):
        found = self.index_for(spec)
        if found is None:
            return None
        idx_src, target = found
        x = self.expr(spec, depth)
        if self.chance(25):
            ysrc, ydt, _v = self.literal()
        else:
            y = self.expr(self.relaxed(target), depth)
            ysrc, ydt = y.src, y.dtype
        # A wider y of the same kind is cast when written (float64 into float32, int32 into
        # int8), as Theano did; otherwise cast it explicitly (Theano fails at run time).
        if upcast(x.dtype, ydt) != x.dtype and not (
                np.can_cast(ydt, x.dtype, casting="same_kind") and self.chance(50)):
            ysrc = f"T.cast({ysrc}, {x.dtype!r})"
        fn = self.choice(["T.inc_subtensor", "T.set_subtensor"])
        return Expr(f"{fn}(({x.src})[{idx_src}], {ysrc})", x.dtype, x.shape, x.bc)

    def make_idiom(self, spec, depth):
        """Forms the rewrites look for (and the WHITELIST excuses)."""
        x = self.expr(spec, depth)
        y = self.expr(self.relaxed(spec), depth)
        template = self.choice(_IDIOMS)
        try:
            dtype = _template_dtype(template, x, y, self.floatX)
        except FuzzTypeError:
            return None
        src = template.format(x=x.src, y=y.src)
        return Expr(src, dtype, spec_shape(spec), spec_bc(spec))


# {x} has the requested spec, {y} broadcasts to it.
_IDIOMS = [
    "({x} - {x})", "({x} / {x})", "({x} * 0)", "(0 / {x})", "(0 // {x})", "T.eq({x}, {x})",
    "T.le({x}, {x})", "T.neq({x}, {x})", "({x}) ** 0.5", "({x}) ** -0.5",
    "T.log(T.nnet.sigmoid({x}))", "T.log(1 - T.nnet.sigmoid({x}))", "T.log(1 + T.exp({x}))",
    "(T.exp({x}) / (1 + T.exp({x})))", "(1 / (1 + T.exp({x})))", "(1 - T.nnet.sigmoid({x}))",
    "T.sqrt(T.sqr({x}))", "T.log(T.exp({x}))", "T.log(1 + {x})", "(T.exp({x}) - 1)",
    "(({x} * {y}) / {y})", "(({x} + {y}) - {y})", "(T.switch(T.lt({y}, 0), 0, {x}) * {y})",
    "(T.switch(T.lt({y}, 0), 0, {x}) / {y})", "(({x} / {y} + 1) * {y})", "(({x} + 0) * {y})",
    "(1 / ({x} + 0))", "(1 / (0 - {x}))", "({x} * (1 / {x}))", "((-{x}) + {x})",
]


def _template_dtype(template, x, y, floatX):
    """The dtype of an idiom, from the reference's rules on stand-ins of x and y."""
    ev = Evaluator(floatX)
    ns = ev.namespace()
    ns["__x"] = ev.input("__x", x.dtype, x.bc, np.ones(x.shape, dtype=x.dtype))
    ns["__y"] = ev.input("__y", y.dtype, y.bc, np.ones(y.shape, dtype=y.dtype))
    with np.errstate(all="ignore"):
        return eval(template.format(x="__x", y="__y"), ns).dtype


def spec_shape(spec):
    return tuple(s for s, _b in spec)


def spec_bc(spec):
    return tuple(b for _s, b in spec)


def _slices(n):
    out = []
    for start in (None, 0, 1, -1, -2):
        for stop in (None, 1, 2, -1, n):
            for step in (None, 2, -1):
                sl = slice(start, stop, step)
                if len(range(*sl.indices(n))) > 0:
                    out.append(sl)
    return out


def _slice_src(sl):
    def f(v):
        return "" if v is None else str(v)

    s = f"{f(sl.start)}:{f(sl.stop)}"
    return s + (f":{sl.step}" if sl.step is not None else "")


@st.composite
def cases(draw, floatX="float64", max_depth=4):
    """A random Case: the output's spec, the expression, maybe a second output, then the
    input values and layouts."""
    gen = _Gen(draw, floatX, max_depth)
    nd = draw(st.integers(0, 2)) if draw(st.integers(0, 9)) else 3
    spec = gen.new_spec(nd)
    e = gen.expr(spec)
    extra = None
    others = [m.src for m in gen.made if m.src != e.src]
    if others and draw(st.integers(0, 3)) == 3:
        extra = draw(st.sampled_from(others))
    inputs, layouts = [], []
    for name, dtype, bc, shape in gen.inputs:
        value = draw(hnp.arrays(dtype, shape, elements=_elements(dtype)))
        inputs.append((name, dtype, bc, value))
        layouts.append(draw(st.sampled_from(LAYOUTS)) if draw(st.integers(0, 3)) == 3
                       else "c")
    return Case(inputs, e.src, floatX, extra, layouts)
