"""Composite -> generated Python function calling the inner ops in sequence (DESIGN.md §8.3).

The fused CPU loop writer.  ``Composite.implementation`` (scalar layer, below this one)
reaches `generate` through ``hooks.fused_function``, which this module fills.

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

from .. import hooks
from ..scalar.dtype_casts import dtype_fixup
from ..scalar.generated import GENERATED_MODULE

_ids = itertools.count()


def generate(composite, xp, donated=(), patterns=None):
    """The function computing `composite` on arrays of module `xp`.

    `patterns`: the broadcastable pattern of each input, given when the caller has
    checked Theano's size rule (non-broadcastable dimensions agree) and every input has
    the output's ndim (at least 1).  Then every temporary's shape is known from its
    pattern, so the fast body passes an ``out=`` buffer only where it fits and needs no
    fallback.  Without patterns the fast body runs under ``try`` and falls back to the
    plain one when a buffer does not fit.
    `donated`: positions of inputs whose arrays the caller gives away (the linker donates
    an intermediate that dies at this node): the fast body may use them as ``out=``
    buffers like its own temporaries, so e.g. ``w - lr * g`` is written into g's memory.
    Donation needs `patterns` (an overwritten input cannot be taken back by a fallback).
    """
    if patterns is not None and not _patterns_usable(composite, patterns):
        patterns = None
    if donated and patterns is None:
        raise ValueError("fuse_cpu.generate: donated inputs need the input patterns")
    glob = {"__name__": GENERATED_MODULE}
    steps = _steps(composite, xp, glob)
    last_use = _last_uses(composite)
    plain = _body(composite, steps, last_use, reuse=False)
    fast = _body(composite, steps, last_use, reuse=True, donated=donated, patterns=patterns)
    params = ", ".join(f"i{k}" for k in range(composite.nin))
    fname = f"fused_{hash(composite) & 0xFFFFFFFFFFFF:012x}"
    if donated:
        fname += "_d" + "_".join(str(k) for k in sorted(donated))
    if fast == plain or composite.nin == 0 or patterns is not None:
        return _compile(fname, params, fast, glob, composite)

    def compile_plain(*args):
        # The plain body is compiled on first need only (0-d values, unchecked shapes):
        # compiling costs about as much as running a 10^4-line body once.
        fn = glob["_plain"] = _compile(fname + "_plain", params, plain, glob, composite)
        return fn(*args)

    glob["_plain"] = compile_plain
    lines = ['if getattr(i0, "ndim", 0):', "    try:"]
    lines.extend("        " + s for s in fast)
    lines.append("    except (ValueError, TypeError):")
    lines.append("        pass  # an out= buffer does not fit these shapes: no reuse")
    lines.append(f"return _plain({params})")
    return _compile(fname, params, lines, glob, composite)


def inline_lines(composite, xp, glob, in_names, target, prefix, patterns, donated=(),
                 out_buffer=None, replaced=None):
    """The fast body as lines of the caller's own generated code (no function call).

    Inputs are read from the expressions `in_names`, registers are named `prefix` + k,
    the result is assigned to `target`, and the ufuncs are bound in `glob`.  `patterns`
    is required (see generate).  With `out_buffer` (the name of an array of the result's
    shape and dtype), the last step writes into it when it is a ufunc without cast; the
    caller checks `writes_into_buffer` first.  `replaced`: {step: name of an array the
    caller computed with that step's value} (link/logistic.py); such an array is only
    read, never written.
    """
    if not _patterns_usable(composite, patterns):
        raise ValueError("inline_lines: the inputs' patterns must share the output's ndim")
    steps = _steps(composite, xp, glob)
    if replaced:
        steps = [(replaced[j], None, None, False, False) if j in replaced else s
                 for j, s in enumerate(steps)]
    return _body(composite, steps, _last_uses(composite), reuse=True, donated=donated,
                 patterns=patterns, in_names=in_names, prefix=prefix, target=target,
                 out_buffer=out_buffer)


def writes_into_buffer(composite, xp):
    """Whether the result comes from a ufunc without cast (so it can take ``out=``)."""
    if composite.output < composite.nin:
        return False
    op, refs, dtype = composite.nodes[composite.output - composite.nin]
    if not ufunc_like(op, xp):
        return False
    _casts, cast_out = dtype_fixup(op, [composite.dtype_of(r) for r in refs], dtype)
    return cast_out is None


# Blocked ("chunked") evaluation of large fused nodes: the ufunc sequence runs over
# blocks of CHUNK elements with preallocated block temporaries, so each input is read
# once and the result written once while the temporaries stay in cache.  Each element
# sees the same ufuncs in the same order (the same numbers), and block starts are
# multiples of CHUNK, so SIMD loops split the elements as they do over whole arrays.
CHUNK = 131072
CHUNK_MIN = 4 * CHUNK  # elements: below this, per-block call overhead does not pay


def chunked_function(composite, xp, glob, patterns, donated=()):
    """The global name (bound in `glob`) of a function evaluating `composite` block by
    block, or None where that does not apply.

    It is called as ``f(i0, ..., out)`` with C-contiguous arrays of the output's shape
    for the inputs whose pattern is the output's (`full_inputs`; the caller checks the
    sizes and the contiguity) and one-element arrays for the others; `out` is an array
    of the result's shape and dtype to write into, or None: then a donated input
    (positions `donated`, see generate) of the result's dtype, C-contiguous and
    writeable, receives it, else a new array.  It returns the result.  Applies on NumPy
    to composites of at least two steps, each a ufunc (or ``takes_out`` function)
    without dtype fix-ups, whose inputs all have the output's pattern or are all
    broadcastable.
    """
    if getattr(xp, "__name__", "") != "numpy" or len(composite.nodes) < 2 or \
            composite.output != composite.nin + len(composite.nodes) - 1 or \
            not _patterns_usable(composite, patterns):
        return None
    full = full_inputs(composite, patterns)
    if not full:
        return None
    key = ("_chunked", composite, tuple(sorted(donated)), tuple(full))
    cache = glob.setdefault("_chunked_names", {})
    if key in cache:
        return cache[key]
    steps = _steps(composite, xp, glob)
    if not all(takes_out and all(c is None for c in casts)
               for _f, casts, _co, takes_out, _o in steps):
        return None
    nin, nodes = composite.nin, composite.nodes
    last_use = _last_uses(composite)
    lines = [f"n = i{full[0]}.size"]
    for k in range(nin):
        if k not in last_use:
            continue
        lines.append(f"f{k} = i{k}.reshape(-1)" if k in full else f"f{k} = i{k}.reshape(())")
    out_dtype = nodes[-1][2]
    glob.setdefault("_empty", xp.empty)
    lines.append("if out is None:")
    for d in sorted(donated):
        if d in full and composite.dtype_of(d) == out_dtype:
            lines.append(f"    if i{d}.flags.writeable and i{d}.flags.c_contiguous: out = i{d}")
            lines.append("if out is None:")
    lines.append(f"    out = _empty(i{full[0]}.shape, {out_dtype!r})")
    lines.append("fo = out.reshape(-1)")
    # registers: one block temporary per live intermediate, reused per dtype
    reg_of, reg_dtype, free = {}, [], []
    loop = []
    for j, (fn_name, _casts, _co, _t, _o) in enumerate(steps):
        k = nin + j
        refs, dtype = nodes[j][1], nodes[j][2]
        args = [f"a{r}" if r < nin and r in full else f"f{r}" if r < nin
                else f"R{reg_of[r]}" for r in refs]
        for r in refs:
            if r >= nin and last_use[r] == j and reg_of[r] not in free:
                free.append(reg_of[r])
        if k == composite.output:
            loop.append(f"{fn_name}({', '.join(args)}, out=fo[s:e])")
            break
        reg = next((g for g in free if reg_dtype[g] == dtype), None)
        if reg is None:
            reg = len(reg_dtype)
            reg_dtype.append(dtype)
        else:
            free.remove(reg)
        reg_of[k] = reg
        loop.append(f"{fn_name}({', '.join(args)}, out=R{reg})")
    for g, dtype in enumerate(reg_dtype):
        lines.append(f"R{g} = _empty({CHUNK}, {dtype!r})")
    lines.append(f"for s in range(0, n, {CHUNK}):")
    lines.append(f"    e = s + {CHUNK}")
    lines.append("    if e > n:")
    lines.append("        e = n")
    lines.extend(f"        R{g} = R{g}[:e - s]" for g in range(len(reg_dtype)))
    lines.extend(f"    a{k} = f{k}[s:e]" for k in full if k in last_use)
    lines.extend("    " + t for t in loop)
    lines.append("return out")
    fname = f"fused_{hash(composite) & 0xFFFFFFFFFFFF:012x}_chunked"
    if donated:
        fname += "_d" + "_".join(str(k) for k in sorted(donated))
    params = ", ".join([f"i{k}" for k in range(nin)] + ["out"])
    _compile(fname, params, lines, glob, composite)
    cache[key] = fname
    return fname


def full_inputs(composite, patterns):
    """Positions of the inputs with the output's pattern, when every other input is all
    broadcastable (one element); else ()."""
    ndim = len(patterns[0])
    out_pat = tuple(all(p[d] for p in patterns) for d in range(ndim))
    if all(out_pat):
        return ()
    full = tuple(k for k, p in enumerate(patterns) if tuple(p) == out_pat)
    if any(tuple(p) != out_pat and not all(p) for p in patterns):
        return ()
    return full


def _patterns_usable(composite, patterns):
    ndims = {len(p) for p in patterns}
    return len(patterns) == composite.nin and len(ndims) == 1 and ndims != {0}


def _steps(composite, xp, glob):
    """Per inner node: (function name, input casts, output cast, takes out=, owns result)."""
    by_op = {}
    for op, _, _ in composite.nodes:
        if op not in by_op:
            by_op[op] = _global_name(op, xp, glob)
    steps = []
    for op, refs, dtype in composite.nodes:
        casts, cast_out = dtype_fixup(op, [composite.dtype_of(r) for r in refs], dtype)
        is_ufunc = ufunc_like(op, xp)
        # A ufunc allocates its result (so the array is ours to overwrite later) and takes
        # out= when no cast follows; astype copies, so a cast result is ours as well.
        steps.append((by_op[op], casts, cast_out, is_ufunc and cast_out is None,
                      is_ufunc or cast_out is not None))
    return steps


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


def _body(composite, steps, last_use, reuse, donated=(), patterns=None, in_names=None,
          prefix="r", target=None, out_buffer=None):
    """Lines computing the result, one per inner node.

    Results live in registers ``r0, r1...``: a result takes the register of an operand
    that dies at that node, or a free one, so rebinding drops dead arrays and no more
    arrays are alive than the unfused graph keeps.  With `reuse`, a dead array that the
    code allocated itself, of the result's dtype (and, with `patterns`, of the result's
    broadcastable pattern, hence shape), is passed as ``out=``.  The last line returns
    the result, or assigns it to `target`.
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
    pattern_of = {}  # register -> broadcastable pattern of the array it holds
    pat = list(patterns) if patterns is not None else None
    free = []  # registers holding dead arrays
    n_regs = 0
    lines = []
    finish = "return " if target is None else f"{target} = "

    def name(r):
        if r in reg_of:
            return f"{prefix}{reg_of[r]}"
        return f"i{r}" if in_names is None else in_names[r]

    for r in sorted(donated):
        # A donated input starts in a register of its own, as an array we may overwrite.
        if r in last_use:
            lines.append(f"{prefix}{n_regs} = {name(r)}")
            reg_of[r] = n_regs
            content[n_regs] = (composite.dtype_of(r), True)
            pattern_of[n_regs] = pat[r]
            n_regs += 1

    for j, (fn_name, casts, cast_out, takes_out, owns) in enumerate(steps):
        k = nin + j
        dtype = nodes[j][2]
        refs = nodes[j][1]
        if pat is not None:
            pat.append(tuple(all(pat[r][d] for r in refs) for d in range(len(pat[0]))))
        dying = []
        for r in refs:
            if r in reg_of and last_use[r] == j and r != out_ref and reg_of[r] not in dying:
                dying.append(reg_of[r])
        available = dying + free
        out_name = None
        if reuse and takes_out:
            if k == out_ref and out_buffer is not None:
                out_name = out_buffer
            else:
                out_reg = next((g for g in available if content[g] == (dtype, True) and (
                    pat is None or pattern_of[g] == pat[k])), None)
                out_name = None if out_reg is None else f"{prefix}{out_reg}"
        if casts is None:  # a value the caller computed (inline_lines' `replaced`)
            text = fn_name
        else:
            args = [name(r) if c is None else f"{name(r)}.astype({c!r})"
                    for r, c in zip(refs, casts)]
            if out_name is not None:
                args.append(f"out={out_name}")
            text = f"{fn_name}({', '.join(args)})"
        if cast_out is not None:
            text += f".astype({cast_out!r})"
        if k == out_ref:
            lines.append(f"{finish}{text}".ljust(44) + f"# {nodes[j][0]}")
            return lines
        reg = None if out_name is None else int(out_name[len(prefix):])
        if reg is None:
            later = wanted_after[j] if reuse else ()
            useless = [g for g in available if not (content[g][1] and content[g][0] in later)]
            if useless or available:
                reg = (useless or available)[0]
            else:
                reg = n_regs
                n_regs += 1
        lines.append(f"{prefix}{reg} = {text}".ljust(44) + f"# {nodes[j][0]}")
        if not owns:
            # The result may be (a view of) an operand (identity, second, real): the
            # operand's array must never become an out= buffer while the result lives.
            for r in refs:
                if r in reg_of:
                    content[reg_of[r]] = (content[reg_of[r]][0], False)
        free = [g for g in available if g != reg]
        content[reg] = (dtype, owns or out_name is not None)
        if pat is not None:
            pattern_of[reg] = pat[k]
        reg_of[k] = reg
    lines.append(f"{finish}{name(out_ref)}")
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


def ufunc_like(op, xp):
    """Whether `op`'s implementation on `xp` takes ``out=`` and returns new arrays as a
    ufunc does (a ufunc, or a function declared ``takes_out``)."""
    return getattr(op, "takes_out", False) or isinstance(op.implementation(xp), _ufunc_type(xp))


def _short(composite, limit=60):
    s = str(composite)
    return s if len(s) <= limit else s[:limit - 3] + "..."


# Composite.implementation (scalar layer) generates its function through this hook.
hooks.fused_function.fill(generate)
