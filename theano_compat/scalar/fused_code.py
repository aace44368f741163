"""Composite -> generated Python function calling the inner ops in sequence (DESIGN.md §8.3).

For ``Composite{((exp(i0) * i1) + i2)}`` the generated code is::

    def fused_3f2a9c01b2d4(i0, i1, i2):
        if getattr(i0, "ndim", 0):
            try:
                r0 = exp(i0)                            # exp
                r0 = multiply(r0, i1, out=r0)           # mul
                return add(r0, i2, out=r0)              # add
            except (ValueError, TypeError):
                pass  # an out= buffer does not fit these shapes: no reuse
        return _plain(i0, i1, i2)

where ``_plain`` is the same sequence without ``out=`` (compiled on first use).
Each inner op runs with the dtype fix-up Elemwise applies (scalar/fixup.py), written out
as ``.astype`` calls, so the results are bit-identical to the unfused graph.  The first
body reuses dead temporaries as ``out=`` buffers: only arrays a ufunc freshly allocated
in this call (never an input, never a view), of the op's result dtype.  Inside a fused
Elemwise node every temporary has the output's shape (the group shares one broadcast
pattern and Elemwise checks the input sizes), so the buffers always fit; for arrays
nobody checked, or 0-d values (ufuncs return scalars), the plain body runs instead.
Rebinding a register drops the dead array it held, so memory peaks as unfused.
The source is registered with linecache so tracebacks show the failing line.  Only the
array module's own functions are called, so the code runs on NumPy and CuPy alike.
"""

from __future__ import annotations

import builtins
import itertools
import linecache
import re

from .fixup import dtype_fixup

_ids = itertools.count()


def generate(composite, xp, donated=(), full=()):
    """The function computing `composite` on arrays of module `xp`.

    `donated`: positions of inputs whose arrays the caller gives away (the linker donates
    an intermediate that dies at this node): the fast body may use them as ``out=``
    buffers like its own temporaries, so e.g. ``w - lr * g`` is written into g's memory.
    `full`: positions of inputs known to have the output's whole shape (the donated
    ones must be among them).  With donation, a temporary is written into only when it
    has the whole shape or the result does not, so no ``out=`` can fail half-way after a
    donated array was overwritten; that body therefore has no fallback.
    """
    glob = {}
    by_op = {}
    for op, _, _ in composite.nodes:
        if op not in by_op:
            by_op[op] = _global_name(op, xp, glob)
    fn_names = [by_op[op] for op, _, _ in composite.nodes]
    steps = []  # per node: (function name, input casts, output cast, takes out=, owns result)
    for j, (op, refs, dtype) in enumerate(composite.nodes):
        casts, cast_out = dtype_fixup(op, [composite.dtype_of(r) for r in refs], dtype)
        is_ufunc = isinstance(op.implementation(xp), _ufunc_type(xp))
        # A ufunc allocates its result (so the array is ours to overwrite later) and takes
        # out= when no cast follows; astype copies, so a cast result is ours as well.
        steps.append((fn_names[j], casts, cast_out, is_ufunc and cast_out is None,
                      is_ufunc or cast_out is not None))
    last_use = _last_uses(composite)
    plain = _body(composite, steps, last_use, reuse=False)
    fast = _body(composite, steps, last_use, reuse=True, donated=donated, full=full)
    params = ", ".join(f"i{k}" for k in range(composite.nin))
    fname = f"fused_{hash(composite) & 0xFFFFFFFFFFFF:012x}"
    if donated:
        fname += "_d" + "_".join(str(k) for k in sorted(donated))
    if fast == plain or composite.nin == 0:
        return _compile(fname, params, plain, glob, composite)

    def compile_plain(*args):
        # The plain body is compiled on first need only (0-d values, unchecked shapes):
        # compiling costs about as much as running a 10^4-line body once.
        fn = glob["_plain"] = _compile(fname + "_plain", params, plain, glob, composite)
        return fn(*args)

    glob["_plain"] = compile_plain
    if donated:
        # The linker donates only arrays of the output's whole shape (never 0-d).
        return _compile(fname, params, fast, glob, composite)
    lines = ['if getattr(i0, "ndim", 0):', "    try:"]
    lines.extend("        " + s for s in fast)
    lines.append("    except (ValueError, TypeError):")
    lines.append("        pass  # an out= buffer does not fit these shapes: no reuse")
    lines.append(f"return _plain({params})")
    return _compile(fname, params, lines, glob, composite)


def _compile(fname, params, body, glob, composite):
    """Define `fname(params)` with `body` in `glob`, its source registered with linecache."""
    source = f"def {fname}({params}):\n" + "".join(f"    {s}\n" for s in body)
    filename = f"<theano_compat {fname}#{next(_ids)}: {_short(composite)}>"
    code = compile(source, filename, "exec")
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    exec(code, glob)  # noqa: S102 - our own generated source
    fn = glob[fname]
    fn.source = source
    return fn


def _body(composite, steps, last_use, reuse, donated=(), full=()):
    """Lines computing the result, one per inner node.

    Results live in registers ``r0, r1...``: a result takes the register of an operand
    that dies at that node, or a free one, so rebinding drops dead arrays and no more
    arrays are alive than the unfused graph keeps.  With `reuse`, a dead array that the
    code allocated itself, of the result's dtype, is passed as ``out=``.
    """
    nin, nodes, out_ref = composite.nin, composite.nodes, composite.output
    # dtypes that later out=-taking steps produce: a dead array of such a dtype is kept.
    wanted_after = []
    wanted = set()
    for j in range(len(steps) - 1, -1, -1):
        wanted_after.append(frozenset(wanted))
        if steps[j][3]:
            wanted.add(nodes[j][2])
    wanted_after.reverse()
    reg_of = {}  # inner reference -> register
    content = {}  # register -> (dtype, whether the array is ours to overwrite)
    free = []  # registers holding dead arrays
    n_regs = 0
    lines = []

    def name(r):
        return f"i{r}" if r not in reg_of else f"r{reg_of[r]}"

    # Whole-shape results (known only when the caller says which inputs are whole).
    whole = set(full)
    whole_reg = {}
    for r in sorted(donated):
        # A donated input starts in a register of its own, as an array we may overwrite.
        if r in last_use:
            reg_of[r] = n_regs
            content[n_regs] = (composite.dtype_of(r), True)
            whole_reg[n_regs] = True
            lines.append(f"r{n_regs} = i{r}")
            n_regs += 1

    for j, (fn_name, casts, cast_out, takes_out, owns) in enumerate(steps):
        k = nin + j
        dtype = nodes[j][2]
        refs = nodes[j][1]
        dying = []
        for r in refs:
            if r in reg_of and last_use[r] == j and r != out_ref and reg_of[r] not in dying:
                dying.append(reg_of[r])
        available = dying + free
        out_reg = None
        is_whole = any(r in whole for r in refs)
        if is_whole:
            whole.add(k)
        if reuse and takes_out:
            out_reg = next((g for g in available if content[g] == (dtype, True)
                            and (not donated or whole_reg.get(g) or not is_whole)), None)
        args = [name(r) if c is None else f"{name(r)}.astype({c!r})" for r, c in zip(refs, casts)]
        if out_reg is not None:
            args.append(f"out=r{out_reg}")
        text = f"{fn_name}({', '.join(args)})"
        if cast_out is not None:
            text += f".astype({cast_out!r})"
        if k == out_ref:
            lines.append(f"return {text}".ljust(44) + f"# {nodes[j][0]}")
            return lines
        target = out_reg
        if target is None:
            later = wanted_after[j] if reuse else ()
            useless = [g for g in available if not (content[g][1] and content[g][0] in later)]
            if useless or available:
                target = (useless or available)[0]
            else:
                target = n_regs
                n_regs += 1
        lines.append(f"r{target} = {text}".ljust(44) + f"# {nodes[j][0]}")
        if not owns:
            # The result may be (a view of) an operand (identity, second, real): the
            # operand's array must never become an out= buffer while the result lives.
            for r in refs:
                if r >= nin:
                    content[reg_of[r]] = (content[reg_of[r]][0], False)
        free = [g for g in available if g != target]
        content[target] = (dtype, owns or out_reg is not None)
        whole_reg[target] = is_whole or bool(out_reg is not None and whole_reg.get(out_reg))
        reg_of[k] = target
    lines.append(f"return {name(out_ref)}")
    return lines


def _last_uses(composite):
    last = {}
    for j, (_, refs, _) in enumerate(composite.nodes):
        for r in refs:
            last[r] = j
    return last


def _global_name(op, xp, glob):
    """A readable, unique global name for the callable of `op` (the ufunc name if any)."""
    impl = op.implementation(xp)
    base = getattr(impl, "__name__", None) if isinstance(impl, _ufunc_type(xp)) else None
    base = base or "".join(c if c.isalnum() else "_" for c in str(op).split("{")[0]) or "op"
    if base == "Cast":
        base = f"cast_{op.o_dtype}" if hasattr(op, "o_dtype") else "cast"
    if re.fullmatch(r"[it]\d+", base) or hasattr(builtins, base):
        base += "_fn"  # scipy's i0 must not shadow the parameter i0, nor a builtin
    name = base
    n = 1
    while name in glob and glob[name] is not impl:
        n += 1
        name = f"{base}_{n}"
    glob[name] = impl
    return name


def _ufunc_type(xp):
    return getattr(xp, "ufunc", ())


def _short(composite, limit=60):
    s = str(composite)
    return s if len(s) <= limit else s[:limit - 3] + "..."
