"""The logistic functions of one array evaluated together (sigmoid and softplus of x, -x).

A cross-entropy over a sigmoid and its gradient read ``sigmoid(z)``, ``sigmoid(-z)``,
``softplus(z)`` and ``softplus(-z)`` of the same array, in several nodes (Theano's graph
for the tutorial's logistic regression has all four).  Each op on its own computes an
``exp`` and applies the clamps of Theano's C code (|x| > 30: exactly 0, 1, x or 0), about
nine NumPy calls.  Together they need two exponentials of one clamped array:

    c = z, or +-inf where |z| > 30
    sigmoid(z)  = 1 / (1 + exp(-c))      sigmoid(-z)  = 1 / (1 + exp(c))
    softplus(z) = log1p(exp(c))          softplus(-z) = log1p(exp(-c))
    (softplus(z) is z where z > 30, softplus(-z) is -z where z < -30)

exp of +-inf is inf or 0, which gives the clamped values exactly; elsewhere these are
the ops' own formulas on the same values, so the results are theirs bit for bit (NaN
and infinities included).

The linker (codegen.py) asks `plan` which nodes read which member; it computes the
members right after the array is computed and the reading nodes use them by name.  Only
float64 arrays read at least twice qualify, and only in the straight-line part of the
program (not inside an ifelse branch).
"""

from __future__ import annotations

import numpy as np

from ..graph.basic import Constant
from ..scalar.composite import Composite
from ..tensor.elemwise import Elemwise


def _kind(op):
    """"sig" or "sp" where the scalar op declares itself sigmoid or softplus."""
    role = getattr(op, "logistic_role", None)
    return role if role in ("sig", "sp") else None


def _is_neg(op):
    return getattr(op, "logistic_role", None) == "neg"


def _signed_base(var):
    """(array, sign) with var = sign * array: sees through one Elemwise{neg} node."""
    node = var.owner
    if node is not None and isinstance(node.op, Elemwise) and _is_neg(node.op.scalar_op) \
            and not node.op.inplace_pattern and node.inputs[0].type == var.type:
        return node.inputs[0], -1
    return var, 1


def _usable(var, out):
    t = var.type
    return (not isinstance(var, Constant) and getattr(t, "dtype", None) == "float64"
            and getattr(t, "ndim", 0) >= 1 and t.broadcastable == out.type.broadcastable)


def _sites(node):
    """[(step or None, array, member)] of the logistic functions `node` computes of a
    float64 array of its result's shape: its own op (step None) or a Composite's steps."""
    op = node.op
    if not isinstance(op, Elemwise) or op.inplace_pattern or len(node.outputs) != 1:
        return []
    out = node.outputs[0]
    if getattr(out.type, "dtype", None) != "float64":
        return []
    sop = op.scalar_op
    if not isinstance(sop, Composite):
        kind = _kind(sop)
        if kind is None or len(node.inputs) != 1 or not _usable(node.inputs[0], out):
            return []
        base, sign = _signed_base(node.inputs[0])
        return [(None, base, (kind, sign))]
    if sop.nout != 1:
        return []
    found = []
    for j, (inner, refs, dtype) in enumerate(sop.nodes):
        kind = _kind(inner)
        if kind is None or dtype != "float64" or len(refs) != 1:
            continue
        ref, sign = refs[0], 1
        if ref >= sop.nin:
            prev, prefs, pdtype = sop.nodes[ref - sop.nin]
            if not _is_neg(prev) or pdtype != "float64" or prefs[0] >= sop.nin:
                continue
            ref, sign = prefs[0], -1
        if sop.input_dtypes[ref] != "float64" or not _usable(node.inputs[ref], out):
            continue
        base, s = _signed_base(node.inputs[ref])
        found.append((j, base, (kind, sign * s)))
    return found


class Family:
    """The members of one array's logistic family a program uses, and where."""

    def __init__(self, base, index):
        self.base = base
        self.prefix = f"lf{index}_"
        self.members = set()  # (kind, sign)
        self.sites = []  # (node, step or None, member)
        self.last = None  # the last node reading a member

    def name(self, member):
        kind, sign = member
        return f"{self.prefix}{kind}{'p' if sign > 0 else 'n'}"

    def lines(self, z, glob):
        """The lines computing the members from the array named `z`.  (Constants are 0-d
        arrays and outputs positional: both cost less per call on arrays of a few
        hundred elements than Python floats and keywords.)

        Where both exponentials are needed, c and -c are the two rows of one array
        ``C`` (each a contiguous array of z's shape), so one call of exp, add, divide
        and log1p computes both signs: on a few hundred elements a call costs far
        more than its arithmetic."""
        glob.update(_lf_gt=np.greater, _lf_lt=np.less, _lf_neg=np.negative, _lf_exp=np.exp,
                    _lf_putmask=np.putmask, _lf_add=np.add, _lf_div=np.divide,
                    _lf_log1p=np.log1p, _lf_empty=np.empty,
                    _lf_1=np.ones((), "float64"), _lf_30=np.full((), 30.0),
                    _lf_m30=np.full((), -30.0), _lf_inf=np.full((), np.inf),
                    _lf_minf=np.full((), -np.inf))
        p = self.prefix
        has = self.members.__contains__
        need_ep = has(("sig", -1)) or has(("sp", 1))  # exp(c)
        need_em = has(("sig", 1)) or has(("sp", -1))  # exp(-c)
        # c = z, or +-inf where |z| > 30 (the masks also place softplus's own branches)
        out = [f"{p}hi = _lf_gt({z}, _lf_30)", f"{p}lo = _lf_lt({z}, _lf_m30)"]
        temps = [f"{p}hi", f"{p}lo"]
        if need_ep and need_em:
            out += [f"{p}C = _lf_empty((2,) + {z}.shape)",
                    f"{p}C[0] = {z}",
                    f"{p}c = {p}C[0]"]
            temps += [f"{p}C", f"{p}c"]
        else:
            out.append(f"{p}c = {z}.copy()")
            temps.append(f"{p}c")
        out += [f"_lf_putmask({p}c, {p}hi, _lf_inf)   # z, or +-inf where |z| > 30",
                f"_lf_putmask({p}c, {p}lo, _lf_minf)"]
        if need_ep and need_em:
            # rows: exp(c), exp(-c)
            out += [f"_lf_neg({p}c, {p}C[1])", f"_lf_exp({p}C, {p}C)"]
            rows = {1: f"{p}C[0]", -1: f"{p}C[1]"}  # exp(+-c)
        elif need_ep:
            out.append(f"_lf_exp({p}c, {p}c)")
            rows = {1: f"{p}c"}
        else:
            out += [f"_lf_neg({p}c, {p}c)", f"_lf_exp({p}c, {p}c)"]
            rows = {-1: f"{p}c"}
        # sigmoid(+-z) = 1 / (1 + exp(-+c)); softplus(+-z) = log1p(exp(+-c)), with z
        # itself where z > 30 (-z where z < -30)
        for kind, fn in (("sig", None), ("sp", "_lf_log1p")):
            signs = [s for s in (1, -1) if has((kind, s))]
            if not signs:
                continue
            # the row each member reads: sigmoid(z) reads exp(-c), softplus(z) exp(c)
            src = {s: rows[-s if kind == "sig" else s] for s in signs}
            if len(signs) == 2:
                whole = f"{p}{kind.upper()}"
                temps.append(whole)
                out.append(f"{whole} = _lf_add({p}C, _lf_1)" if fn is None else
                           f"{whole} = {fn}({p}C)")
                if fn is None:
                    out.append(f"_lf_div(_lf_1, {whole}, {whole})")
                # C's rows are exp(c), exp(-c): sigmoid(-z), sigmoid(z); softplus(z),
                # softplus(-z)
                order = (-1, 1) if kind == "sig" else (1, -1)
                for row, s in enumerate(order):
                    out.append(f"{self.name((kind, s))} = {whole}[{row}]")
            else:
                s = signs[0]
                n = self.name((kind, s))
                if fn is None:
                    out += [f"{n} = _lf_add({src[s]}, _lf_1)", f"_lf_div(_lf_1, {n}, {n})"]
                else:
                    out.append(f"{n} = {fn}({src[s]})")
            if kind == "sp":
                for s in signs:
                    n = self.name((kind, s))
                    out.append(f"_lf_putmask({n}, {p}hi, {z})" if s > 0 else
                               f"_lf_putmask({n}, {p}lo, _lf_neg({z}))")
        out.append(f"del {', '.join(temps)}")
        return out

    def release(self):
        """The line deleting the members (after the last node reading them)."""
        return "del " + ", ".join(sorted(self.name(m) for m in self.members))


def plan(order, top, inline):
    """The families worth computing: {id(array): Family} and {node: {step: name}} (step
    None: the node's own value is that member).  `order`: the nodes in program order;
    `top`: the nodes of the straight-line part; `inline`: the nodes written out as lines
    (a Composite's steps are replaced only there)."""
    top = set(top)
    families = {}
    for node in order:
        for step, base, member in _sites(node):
            if step is not None and node not in inline:
                continue
            fam = families.get(id(base))
            if fam is None:
                fam = families[id(base)] = Family(base, len(families))
            fam.sites.append((node, step, member))
            fam.members.add(member)
            fam.last = node
    chosen = {}
    reads = {}
    for key, fam in families.items():
        if len(fam.sites) < 2 or any(n not in top for n, _, _ in fam.sites):
            continue
        owner = fam.base.owner
        if owner is not None and owner not in top:
            continue
        chosen[key] = fam
        for node, step, member in fam.sites:
            reads.setdefault(node, {})[step] = fam.name(member)
    return chosen, reads


def unread_inputs(node, reads):
    """{position: name of a family member} for the inputs of `node` that nothing reads
    once `reads` ({step: name}, see plan) replace its steps: their producer may be left
    out, and the member, an array of their shape, stands in for the size checks."""
    if None in reads:  # the node is the member itself
        return {k: reads[None] for k in range(len(node.inputs))}
    sop = node.op.scalar_op
    out = {}
    for k in range(sop.nin):
        users = [j for j, (_op, refs, _dt) in enumerate(sop.nodes) if k in refs]
        if users and all(j in reads for j in users) and k not in sop.output_refs:
            out[k] = reads[users[0]]
    return out
