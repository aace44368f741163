"""The source of a compiled graph's program: straight-line Python, a few lines per node.

For ``theano.function([x, y], cost, updates={w: w - 0.1 * gw})`` the body looks like::

    try:                                  # this run's buffer set (see _TAKE_SET)
        _B = _Bpop()
    except IndexError:
        _B = _Bnew()
    t0_0 = op0(i0, i2)                    # dot (a runner call)
    if t0_0.shape != i1.shape: _fail1(t0_0, i1)
    p1r0 = multiply(t0_0, i1)             # a fused node written out (inline.py)
    t1_0 = exp(p1r0, out=p1r0)
    del p1r0
    b2 = _B[0]                            # a result kept in a buffer between calls
    if b2.shape != (i0.shape[1],): b2 = _B[0] = _empty((i0.shape[1],), _dt2)
    t2_0 = op2(i0.T, t1_0, out=b2)
    del t0_0
    ...
    _Bput(_B)

Names: ``i<k>`` inputs, ``t<pos>_<j>`` results, ``k<n>`` constants, ``op<pos>`` callables,
``_B`` the buffer set.  Intermediates are deleted at their last use.  A lazy Op
(ifelse) becomes ``if``/``else`` with each branch's own nodes inside (lazy.py).
"""

from __future__ import annotations

import copy
import itertools

import numpy as np

from ..graph.basic import Constant
from ..graph.op import runner_for
from ..scalar.composite import Composite
from ..tensor.elemwise import DimShuffle, Elemwise, node_scalar_op
from ..tensor.shapes import Shape_i
from ..scalar.generated import GENERATED_MODULE
from ..scalar.type import Scalar
from .device import DevicePlan
from .fuse_cpu import CHUNK_MIN, chunked_function, full_inputs
from .inline import dot_buffer_shape, elemwise_lines, elemwise_writes_buffer, full_input, \
    float64_constant, float_inputs, inlinable, scalar_constant_ok, sum_expression, \
    view_expression
from .gemv import buffer_shape as gemv_buffer_shape
from .gemv import lines as gemv_lines
from .gemv import plan as plan_gemv
from .lazy import blocks, is_lazy
from .logistic import plan as plan_logistic
from .logistic import unread_inputs
from .profile import clock
from .int_inline import int_runner
from .scalar_inline import PY_HELPERS, constant_literal, inline_expression
from .storage import donatable_inputs, plan_buffers, view_lifetimes


class Source:
    """What the generator produced: body lines (indented one level, without the header
    and the return), the result expressions, the globals they need, which body line
    computes which node (0-based), each node's argument names, the nodes in the order
    the body runs them, the (ndim, dtype) of every buffer, and the positions of the
    inputs the body only reads through ``float(i<k>)`` (0-d float64 inputs used only by
    Python-float arithmetic: a caller may pass a Python float there as it is)."""

    def __init__(self):
        self.lines = []
        self.results = []
        self.glob = {"_asarray": np.asarray, "_copy": np.array, "_deepcopy": copy.deepcopy,
                     "_arr": np.array, "__name__": GENERATED_MODULE}  # see link/errors.py
        self.float_inputs = set()
        self.line_nodes = {}
        self.node_args = {}
        self.nodes = []
        self.buffers = []


def generate(nodes, inputs, outputs, *, xp, copy_outputs=(), profile=None,
             compile_inner=None, backend=None, mutable=()):
    """The Source of a program computing `outputs` from `inputs` (nodes in topological
    order).  See link() for `copy_outputs`, `profile`, `compile_inner` and `mutable`; a
    `backend` with ``is_device`` set (CUDA) gets device runners (link/device.py)."""
    return _Generator(nodes, inputs, outputs, xp, profile, compile_inner,
                      backend, mutable).run(copy_outputs)


# A program with buffers takes a buffer set (one array per slot) from its instance's pool
# for the length of one run and gives it back at the end, so concurrent runs never share
# an array: uncontended, that is one list pop and one append (measured cheaper than a
# thread-local lookup or a try-acquired lock, see tools/bench/bench_threads.py); a second
# thread running at the same time finds the pool empty and makes a set of its own, which
# then stays in the pool.  A run that fails drops its set (the next run makes a new one).
_TAKE_SET = ["try:", "    _B = _Bpop()", "except IndexError:", "    _B = _Bnew()"]


def _take_buffer_set(src):
    """Wrap the body of `src` (which uses buffers) in the taking and giving back of its
    buffer set, see _TAKE_SET; ``_Bpop``, ``_Bput`` and ``_Bnew`` are per-instance
    globals (link.Program.new_globals)."""
    n = len(_TAKE_SET)
    src.lines[:0] = ["    " + ln for ln in _TAKE_SET]
    src.line_nodes = {k + n: node for k, node in src.line_nodes.items()}
    src.lines.append("    _Bput(_B)")


def _large_values(inputs, order):
    """Ids of the variables computed from a shared value that holds at least
    fuse_cpu.CHUNK_MIN elements now: only fused nodes reading one get the runtime test
    for blocked evaluation (an embedding table's update does; a minibatch step's small
    arrays do not pay for the test)."""
    large = set()
    for var in inputs:
        get_value = getattr(var, "get_value", None)
        if get_value is None:
            continue
        try:
            size = getattr(get_value(borrow=True), "size", 0)
        except Exception:  # noqa: BLE001 - a value we cannot read is not known large
            size = 0
        if size >= CHUNK_MIN:
            large.add(id(var))
    if large:
        for node in order:
            if any(id(var) in large for var in node.inputs):
                large.update(id(out) for out in node.outputs)
    return large


class _Generator:
    def __init__(self, nodes, inputs, outputs, xp, profile, compile_inner, backend=None,
                 mutable=()):
        self.xp = xp
        # A device backend: every node is a runner call (elementwise nodes run one CUDA
        # kernel each instead of inline ufunc lines), constants go to the device once.
        self.device = backend if getattr(backend, "is_device", False) else None
        self.outputs = outputs
        self.profile = profile
        self.compile_inner = compile_inner
        self.src = Source()
        self.src.glob["_copy"] = xp.array  # copies stay on the array module's device
        self.names = {id(v): f"i{k}" for k, v in enumerate(inputs)}
        self.input_names = [f"i{k}" for k in range(len(inputs))]
        self.input_ids = [id(v) for v in inputs]
        self.inputs = inputs
        self.const_ids = itertools.count()
        self.keep = {id(o) for o in outputs}
        self.top, self.branches = blocks(nodes, outputs)
        self.order = []  # nodes in the order the text runs them
        self.pos_of = {}  # node -> its position in that order (also its profile slot)
        self.use_at = {}  # node -> textual position of its reads (see _number)
        self.branch_read_at = {}  # lazy node -> positions of its then / else reads
        self.last_use = {}
        self._number(self.top, itertools.count())
        self.src.nodes = self.order
        self.clients = {}
        for node in self.order:
            for var in node.inputs:
                self.clients.setdefault(id(var), []).append(node)
        forever = 1 + max(self.use_at.values(), default=0)
        self.forever = forever
        self.alias_last_use = view_lifetimes(self.order, self.last_use, self.keep, forever)
        mutable_ids = {id(inputs[k]) for k in mutable}
        self.donated = {node: donatable_inputs(node, self.use_at[node], self.last_use,
                                               self.keep, self.alias_last_use, mutable_ids)
                        for node in self.order}
        self.inline = {node for node in self.order if inlinable(node, xp)}
        self.large = _large_values(inputs, self.order) if xp is np else set()
        self.families, self.logistic_reads = {}, {}
        self.gemvs, self.skipped = {}, set()
        if self.device is not None:
            self.inline = set()
            self.donated = {node: () for node in self.order}
            self.src.glob.update(_asarray=xp.asarray, _arr=xp.array)
            self.device_plan = DevicePlan(self.order, inputs, backend, outputs)
        elif xp is np:
            # Gemv with constant alpha, beta: a dot into a buffer (gemv.py).
            self.gemvs, self.skipped = plan_gemv(self.order, self.clients, self.keep)
            # sigmoid / softplus of z and -z read by several nodes: one exp for all.
            self.families, self.logistic_reads = plan_logistic(self.order, self.top,
                                                               self.inline)
        self.family_last = {}
        for fam in self.families.values():
            self.family_last.setdefault(fam.last, []).append(fam)
        self.aliases = self._unread_values()
        # (A node declaring destroy_map overwrites an input array: never Python floats.)
        self.scalar = {node for node in self.order
                       if not getattr(node.op, "destroy_map", None)
                       and inline_expression(node, ["x"] * len(node.inputs)) is not None}
        self.zero_d_args = self._plan_zero_d_args() if self.device is None else {}
        self.buffered = self._plan_buffers()
        self.needs_array = set(self.keep)
        for node in self.order:
            if node not in self.scalar:
                self.needs_array.update(id(i) for i in node.inputs)
        self.py_names = {}
        self.float_needed = {id(i) for node in self.scalar for i in node.inputs
                             if not isinstance(i, Constant)}
        self.arrays = set()  # variables whose generated value is surely an ndarray
        if profile is not None:
            self.src.glob["_T"] = profile.attach(self.order)
            self.src.glob["_clock"] = clock
            # profile_memory (compile/profiling.py): the program reports each node's outputs.
            record = getattr(profile, "output_recorder", lambda *a: None)(self.inputs,
                                                                           self.outputs)
            if record is not None:
                self.src.glob["_M"] = record

    # -- planning ---------------------------------------------------------------------------

    def _number(self, block, counter):
        """Textual positions: a node's reads happen at its position; a lazy node reads
        its condition before its branches and each branch's values at the branch end."""
        for node in block:
            if is_lazy(node):
                cond_at = next(counter)
                then_nodes, else_nodes = self.branches[node]
                then_pos, else_pos = node.op.branches(node)
                self._number(then_nodes, counter)
                then_at = next(counter)
                self._number(else_nodes, counter)
                else_at = next(counter)
                reads = [(node.inputs[0], cond_at)]
                reads += [(node.inputs[k], then_at) for k in then_pos]
                reads += [(node.inputs[k], else_at) for k in else_pos]
                self.use_at[node] = else_at
                self.branch_read_at[node] = (then_at, else_at)
            else:
                at = next(counter)
                self.use_at[node] = at
                reads = [(var, at) for var in node.inputs]
            self.pos_of[node] = len(self.order)
            self.order.append(node)
            for var, at in reads:
                self.last_use[id(var)] = max(self.last_use.get(id(var), -1), at)

    def _plan_buffers(self):
        candidates = []
        for node in self.order:
            if node in self.scalar or node in self.skipped:
                continue
            if (node in self.inline and elemwise_writes_buffer(node, self.xp)
                    and not self.donated[node]) or dot_buffer_shape(node) is not None \
                    or node in self.gemvs:
                candidates.append(node.outputs[0])
        receivers = {id(node.inputs[k]): node.outputs[0]
                     for node, ks in self.donated.items() for k in ks}
        chosen = plan_buffers(candidates, self.clients, self.keep, receivers,
                              self.alias_last_use, self.forever)
        return {id(v): k for k, v in enumerate(chosen)}

    # -- names ------------------------------------------------------------------------------

    def name_of(self, var):
        """The generated name of a variable; constants become globals on first use."""
        if id(var) not in self.names:
            if not isinstance(var, Constant):
                raise KeyError(f"link: {var} is neither an input nor computed")
            cname = f"k{next(self.const_ids)}"
            self.src.glob[cname] = var.data
            self.names[id(var)] = cname
        return self.names[id(var)]

    def arg_name(self, node, i, var):
        """Like name_of, but an Op may pass a constant in a faster equivalent form."""
        if self.device is not None:
            return self._device_arg(node, i, var)
        hook = getattr(node.op, "link_constant", None)
        if hook is None or not isinstance(var, Constant) or not hasattr(var.data, "dtype"):
            return self.name_of(var)
        value = hook(node, i, var.data)
        if node in self.inline and scalar_constant_ok(node, i):
            # One element broadcast over an array: a 0-d array gives the same values and
            # dtype, and NumPy's inner loops run faster for it than for a stride-0 axis.
            value = float64_constant(node, i, value.reshape(()))
        if value is var.data:
            return self.name_of(var)
        key = (id(var), str(value.dtype), value.ndim)
        if key not in self.names:
            cname = f"k{next(self.const_ids)}"
            self.src.glob[cname] = value
            self.names[key] = cname
        return self.names[key]

    def _device_arg(self, node, i, var):
        """A constant as the device plan places it: a device copy made once, a NumPy
        scalar for a kernel, or the host array (see DevicePlan.constant_placement)."""
        placement = self.device_plan.constant_placement(node, i, var)
        if placement == "host":
            return self.name_of(var)
        key = (placement, id(var))
        if key not in self.names:
            cname = f"k{next(self.const_ids)}"
            self.src.glob[cname] = self.device_plan.constant_value(node, i, var)
            self.names[key] = cname
        return self.names[key]

    def float_of(self, var):
        """A Python float expression for a 0-d float64 value."""
        if isinstance(var, Constant):
            return constant_literal(var)
        return self.py_names[id(var)]

    def _as_floats(self, variables, indent):
        """Convert the values among `variables` that Python-float nodes read, once, where
        they are defined (so the name exists in every block that reads it)."""
        for var in variables:
            if id(var) in self.float_needed and id(var) not in self.py_names:
                fname = f"{self.name_of(var)}_f"
                self.emit(f"{fname} = float({self.name_of(var)})", indent)
                self.py_names[id(var)] = fname

    # -- emission ---------------------------------------------------------------------------

    def emit(self, text, indent, node=None):
        self.src.lines.append("    " * indent + text)
        if node is not None:
            self.src.line_nodes[len(self.src.lines) - 1] = node

    def run(self, copy_outputs):
        self._as_floats(self.inputs, 1)
        self._families_of(self.inputs, 1)
        self._block(self.top, 1)
        src = self.src
        if src.buffers:
            _take_buffer_set(src)
        src.float_inputs = {k for k, name in enumerate(self.input_names)
                            if self.input_ids[k] in self.py_names
                            and self.input_ids[k] not in self.needs_array
                            and getattr(self.inputs[k].type, "dtype", None) == "float64"}
        for k, out in enumerate(self.outputs):
            ref = self.name_of(out)
            if not hasattr(out.type, "ndim") or not isinstance(
                    getattr(out.type, "dtype", None), str) or \
                    not getattr(out.type, "values_are_ndarrays", True):
                # Non-array values (RandomState, lists in generic shared variables, typed
                # lists, whose type's dtype is their element type) pass as they are, or as
                # a deep copy where they would alias a shared value.  Sparse matrices
                # (a type with values_are_ndarrays = False) pass the same way.
                src.results.append(f"_deepcopy({ref})" if k in copy_outputs else ref)
            else:
                result = (f"_copy({ref})" if k in copy_outputs else
                          ref if id(out) in self.arrays else f"_asarray({ref})")
                if isinstance(out.type, Scalar):
                    # theano.scalar results: a NumPy scalar of their dtype (Theano's
                    # Scalar.filter), not a 0-d array.
                    result = f"_asarray({result})[()]"
                src.results.append(result)
        return src

    def _block(self, block, indent):
        for node in block:
            if node in self.scalar:
                self._scalar_node(node, indent)
                continue
            if node in self.skipped:  # nothing reads its value (gemv.py, _unread_values)
                self._free(node.inputs, self.use_at[node], indent)
                alias = self.aliases.get(id(node.outputs[0]))
                if alias is not None:
                    self.names[id(node.outputs[0])] = alias
                continue
            pos = self.pos_of[node]
            if self.profile is not None:
                self.emit("_s = _clock()", indent)
            if is_lazy(node):
                self._lazy_node(node, pos, indent)
            else:
                self._node(node, pos, indent)
            if self.profile is not None:
                self.emit(f"_T[{pos}] += _clock() - _s", indent)
                if "_M" in self.src.glob and not is_lazy(node):
                    outs = "".join(self.names.get(id(o), "None") + ", " for o in node.outputs)
                    self.emit(f"_M({pos}, ({outs}))", indent)
            if not is_lazy(node):  # a lazy node frees its branch values in the branches
                self._free(node.inputs, self.use_at[node], indent)
            self._as_floats(node.outputs, indent)
            self._families_of(node.outputs, indent)
            for fam in self.family_last.get(node, ()):
                self.emit(fam.release(), indent)

    def _families_of(self, variables, indent):
        """The logistic families (logistic.py) of `variables`, computed where they are."""
        for var in variables:
            fam = self.families.get(id(var))
            if fam is not None:
                for text in fam.lines(self.name_of(var), self.src.glob):
                    self.emit(text, indent)

    def _free(self, variables, at, indent):
        """`del` the intermediates among `variables` whose last read is at `at`."""
        dead = {self.names[id(i)] for i in variables
                if self.last_use.get(id(i)) == at and id(i) not in self.keep
                and self.names.get(id(i), "k").startswith("t")}
        if dead:
            self.emit(f"del {', '.join(sorted(dead))}", indent)

    def _scalar_node(self, node, indent):
        """A 0-d float64 node computed on Python floats (scalar_inline.py)."""
        pos = self.pos_of[node]
        expr = inline_expression(node, [self.float_of(i) for i in node.inputs])
        self.src.glob.update(PY_HELPERS)
        out = node.outputs[0]
        fvar = f"t{pos}_0_f"
        self.emit(f"{fvar} = {expr}   # {node.op}", indent, node)
        self.src.node_args[node] = []
        self.py_names[id(out)] = fvar
        if id(out) in self.needs_array:
            self.emit(f"t{pos}_0 = _arr({fvar})", indent)  # a 0-d float64 array
            self.names[id(out)] = f"t{pos}_0"
            self.arrays.add(id(out))
        else:
            self.names[id(out)] = fvar

    def _buffer(self, node, pos, shape_expr, indent):
        """Lines fetching the node's buffer, reallocated when the shape changed."""
        out = node.outputs[0]
        slot = self.buffered[id(out)]
        dtype = np.dtype(out.type.dtype)
        self.src.buffers.append((out.type.ndim, dtype))
        self.src.glob[f"_dt{pos}"] = dtype
        self.src.glob["_empty"] = self.xp.empty
        self.emit(f"b{pos} = _B[{slot}]", indent, node)
        self.emit(f"if b{pos}.shape != {shape_expr}: "
                  f"b{pos} = _B[{slot}] = _empty({shape_expr}, _dt{pos})", indent, node)
        return f"b{pos}"

    def _node(self, node, pos, indent):
        if node in self.gemvs:
            self._gemv_node(node, pos, indent)
            return
        args = [self.arg_name(node, i, inp) for i, inp in enumerate(node.inputs)]
        self.src.node_args[node] = args
        outs = [f"t{pos}_{j}" for j in range(len(node.outputs))]
        for out, oname in zip(node.outputs, outs):
            self.names[id(out)] = oname
        buffered = id(node.outputs[0]) in self.buffered
        reads = self.logistic_reads.get(node)
        if reads is not None and None in reads:  # the node's value is a family member
            self.emit(f"{outs[0]} = {reads[None]}   # {node.op}", indent, node)
            self.arrays.add(id(node.outputs[0]))
            return
        if self.device is None and type(node.op) is Shape_i and \
                id(node.outputs[0]) not in self.needs_array:
            # A length only Python-float nodes read (the n of a mean's 1 / n).
            fname = f"t{pos}_0_f"
            self.emit(f"{fname} = float({args[0]}.shape[{node.op.i}])   # {node.op}", indent,
                      node)
            self.names[id(node.outputs[0])] = self.py_names[id(node.outputs[0])] = fname
            return
        expr = None
        if self.device is None:
            expr = view_expression(node, args) or sum_expression(
                node, args, self.src.glob, self.xp,
                array=id(node.outputs[0]) in self.needs_array)  # (P4: else a NumPy scalar)
        if expr is not None:  # a view, a shape or a sum, written out (no runner call)
            self.emit(f"{outs[0]} = {expr}   # {node.op}", indent, node)
            return
        if node in self.inline:
            self.arrays.add(id(node.outputs[0]))  # ufuncs give arrays when ndim >= 1
            buffer = None
            if buffered:
                buffer = self._buffer(node, pos, f"{args[full_input(node)]}.shape", indent)
            first = len(self.src.lines)
            body = elemwise_lines(node, pos, args, outs[0], self.src.glob, self.xp,
                                  self.donated[node], buffer, reads, self._float_args(node))
            chunked = None if reads else self._chunked_lines(node, pos, args, outs[0],
                                                             buffer)
            if chunked is not None:  # large arrays: block by block (fuse_cpu.CHUNK)
                cond, call = chunked
                self.emit(f"if {cond}:", indent)
                if body[1].startswith("if "):  # (body[0] is the "# Composite" comment)
                    self.emit(body[1], indent + 1)  # the size checks
                self.emit(call, indent + 1)
                self.emit("else:", indent)
                indent += 1
            for text in body:
                self.emit(text, indent)
            for ln in range(first, len(self.src.lines)):
                self.src.line_nodes[ln] = node
            return
        fname = f"op{pos}"
        donated = self.donated[node]
        call_args = ", ".join(args)
        if buffered:  # a Dot of matching dtypes, through BLAS into the buffer
            buffer = self._buffer(node, pos, dot_buffer_shape(node).format(*args), indent)
            self.src.glob[fname] = self.xp.dot
            call_args += f", out={buffer}"
        elif donated:
            self.src.glob[fname] = node.op.runner(node, self.xp, donated=donated)
        elif self.device is not None:
            self.src.glob[fname] = self.device_plan.runner(node, self.compile_inner)
        else:
            self.src.glob[fname] = runner_for(node.op, node, self.xp, self.compile_inner)
        if self.device is None and self.xp is np and not buffered:  # 0-d integer arithmetic
            self.src.glob[fname] = int_runner(node, self.src.glob[fname])  # (int_inline.py)
        target = outs[0] if len(outs) == 1 else ", ".join(outs)
        self.emit(f"{target} = {fname}({call_args})   # {node.op}", indent, node)
        if getattr(node.op, "returns_array_subclass", False):  # e.g. a np.memmap: kept
            self.arrays.update(id(o) for o in node.outputs)

    def _chunked_lines(self, node, pos, args, target, buffer):
        """(condition, call) evaluating fused `node` block by block when its arrays are
        large (fuse_cpu.chunked_function), or None where that does not apply."""
        sop = node_scalar_op(node)
        if not isinstance(sop, Composite) or self.xp is not np:
            return None
        patterns = [i.type.broadcastable for i in node.inputs]
        fname = chunked_function(sop, self.xp, self.src.glob, patterns, self.donated[node])
        if fname is None:
            return None
        full = full_inputs(sop, patterns)
        if not any(id(node.inputs[k]) in self.large for k in full):
            return None  # (the runtime size test would cost small arrays ~30 ns a node)
        cond = " and ".join([f"{args[full[0]]}.size >= {CHUNK_MIN}"] + [
            f"{args[k]}.flags.c_contiguous" for k in full])
        floats = self._float_args(node)
        call_args = [floats.get(k, a) for k, a in enumerate(args)]
        call_args.append(buffer or "None")
        return cond, f"{target} = {fname}({', '.join(call_args)})   # {node.op} (blocks)"

    def _plan_zero_d_args(self):
        """{node: {position: 0-d variable}}: inputs of inlinable nodes that are a
        DimShuffle adding broadcastable dimensions to a 0-d float64 array, which the node
        reads instead (inline.float_inputs says where); that array then lives until
        the node."""
        plan = {}
        for node in self.order:
            if node not in self.inline:
                continue
            found = {}
            for k, var in enumerate(node.inputs):
                owner = var.owner
                if owner is None or type(owner.op) is not DimShuffle or \
                        any(o != "x" for o in owner.op.new_order) or \
                        getattr(var.type, "dtype", None) != "float64":
                    continue
                src = owner.inputs[0]
                if not isinstance(src, Constant) and src.type.ndim == 0:
                    found[k] = src
            ok = float_inputs(node, found)
            if ok:
                plan[node] = {k: found[k] for k in ok}
                for k in ok:
                    key = id(found[k])
                    self.last_use[key] = max(self.last_use.get(key, -1), self.use_at[node])
        return plan

    def _unread_values(self):
        """Elemwise nodes whose result only family members replaced (the ``-z`` of
        ``softplus(-z)``): left out, their name bound to a member of the result's shape
        (for the size checks of the nodes naming it); {id(result): that name}."""
        unread = {node: unread_inputs(node, reads)
                  for node, reads in self.logistic_reads.items()}
        aliases = {}
        top = set(self.top)
        for node in self.order:
            if not isinstance(node.op, Elemwise) or len(node.outputs) != 1 or \
                    getattr(node.op, "destroy_map", None) or node not in top:
                continue
            var = node.outputs[0]
            readers = self.clients.get(id(var), ())
            if not readers or id(var) in self.keep or id(var) in self.families:
                continue  # (a family's own array is read by the family)
            spots = [(c, k) for c in readers for k, v in enumerate(c.inputs) if v is var]
            if all(k in unread.get(c, {}) for c, k in spots):
                aliases[id(var)] = unread[spots[0][0]][spots[0][1]]
                self.skipped.add(node)
                for c, k in spots:
                    self.donated[c] = tuple(d for d in self.donated[c] if d != k)
        return aliases

    def _float_args(self, node):
        """{position: name of the 0-d array} of _plan_zero_d_args for `node`."""
        return {k: self.name_of(v) for k, v in self.zero_d_args.get(node, {}).items()}

    def _gemv_node(self, node, pos, indent):
        fresh_y = self.gemvs[node]
        args = [None if (i == 0 and fresh_y) else self.arg_name(node, i, inp)
                for i, inp in enumerate(node.inputs)]
        self.src.node_args[node] = [a for a in args if a is not None]
        target = f"t{pos}_0"
        self.names[id(node.outputs[0])] = target
        buffer = None
        if id(node.outputs[0]) in self.buffered:
            buffer = self._buffer(node, pos, gemv_buffer_shape(node).format(*args), indent)
        runner = runner_for(node.op, node, self.xp, self.compile_inner)
        for text in gemv_lines(node, pos, args, target, self.src.glob, fresh_y, buffer,
                               runner):
            self.emit(text, indent, node)
        self.arrays.add(id(node.outputs[0]))

    def _lazy_node(self, node, pos, indent):
        """``if cond:`` then-branch nodes, results; ``else:`` else-branch nodes, results."""
        cond = self.name_of(node.inputs[0])
        self.src.node_args[node] = [cond]
        outs = [f"t{pos}_{j}" for j in range(len(node.outputs))]
        self.emit(f"if {cond}:   # {node.op}", indent, node)
        then_pos, else_pos = node.op.branches(node)
        then_nodes, else_nodes = self.branches[node]
        for branch, (branch_nodes, positions) in enumerate(
                ((then_nodes, then_pos), (else_nodes, else_pos))):
            if branch:
                self.emit("else:", indent, node)
            self._block(branch_nodes, indent + 1)
            values = [node.inputs[k] for k in positions]
            # The results are copies (Theano's IfElse without as_view): a branch value may
            # be an input or a buffer.
            self.emit(", ".join(outs) + " = " + ", ".join(
                f"_copy({self.name_of(v)})" for v in values),
                indent + 1, node)
            self._free(values, self.branch_read_at[node][branch], indent + 1)
        for out, oname in zip(node.outputs, outs):
            self.names[id(out)] = oname
