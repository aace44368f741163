"""The generated entry of a compiled function: its ``__call__``, written as one function.

``CompiledFunction`` (compile/compiled.py) describes itself in a `CallSpec` and asks
`write_call` for the source of its call.  The generated call checks each input inline
(an ndarray of the exact dtype and ndim passes untouched; a Python float for a float64
input becomes an array, or stays a float where the body only does float arithmetic
with it; anything else goes through the Type's filter), reads the shared values, runs
the program's body (embedded, not called), writes the updates (only after the body
succeeded) and returns the outputs in the shape the caller asked for.  Calls with
keywords or another number of arguments take the function's general path
(``self._general_call``); with ``trust_input`` set, the trusted variant (no checks,
``_trusted`` in the globals) runs.  The caller puts ``_trusted`` and ``_annotate`` (its
error annotator) in the globals.

Functions with updates hold `update_lock` from reading their shared values to writing
the new ones; the lock's fast path is written into the call (see UpdateLock), and its
waiting path recognises a generated call holding it by the ``_held`` local.
"""

from __future__ import annotations

import sys
import threading
from typing import NamedTuple

import numpy as np

from ..tensor.type import TensorType, _fits


class UpdateLock:
    """The process-wide re-entrant lock that calls of functions with updates hold from
    reading their shared values to writing the new ones (see CompiledFunction).

    ``with update_lock:`` holds it in user code (a consistent view of several shared
    variables).  The generated call of a function with updates takes it on a fast path
    of two list operations: ``_Ltake()`` pops the token (IndexError: someone holds it,
    and the call goes the general path, which waits in `enter`), the call sets its local
    ``_held`` while it holds the token, and ``_Lgive(True)`` gives it back, waking
    waiters if any.  Uncontended this costs about 60 ns per call, a threading.RLock's
    acquire and release about 155 ns (measured on the seed-2 SGD call of 0.8 us, see
    tools/bench/bench_threads.py --strategies).  Re-entrance (an Op inside a call with
    updates that calls another) costs nothing on the fast path: the waiting path looks
    up this thread's stack for a generated call that holds the token (``_held``),
    besides the thread that took it through `enter`.
    """

    def __init__(self):
        token = [True]
        self._token = token
        self.take = token.pop
        self.give = token.append
        self.waiting = [0]  # threads in _wait: a giver then notifies
        self._cond = threading.Condition(threading.Lock())
        self._owner = None  # the thread holding it through enter()
        self._local = threading.local()

    def locked(self):
        """Whether some thread holds the lock."""
        return not self._token

    def _held_by_this_thread(self):
        if self._owner == threading.get_ident():
            return True
        frame = sys._getframe(2)  # above enter()
        while frame is not None:
            # A generated call (linked under "<theano_compat fn...>") holding the token
            # has its local _held set (unbound locals are absent from f_locals).
            if frame.f_code.co_filename.startswith("<theano_compat fn") and \
                    frame.f_locals.get("_held") is True:
                return True
            frame = frame.f_back
        return False

    def enter(self):
        """Hold the lock, waiting for it if another thread does.  Returns True when this
        took it (pass that to `exit`), False when this thread held it already."""
        try:
            self._token.pop()  # taken: nobody held it, this thread neither
        except IndexError:
            if self._held_by_this_thread():
                return False
            self._wait()
        self._owner = threading.get_ident()
        return True

    def _wait(self):
        with self._cond:
            self.waiting[0] += 1
            try:
                while True:
                    try:
                        self._token.pop()
                        return
                    except IndexError:
                        # A giver notifies after giving when it sees a waiter; the
                        # timeout only bounds a wake-up lost to a giver of the fast path
                        # that read `waiting` just before this thread counted itself.
                        self._cond.wait(0.005)
            finally:
                self.waiting[0] -= 1

    def exit(self, taken):
        """Release what `enter` returned `taken` for (nothing when it was False)."""
        if taken:
            self._owner = None
            self.give(True)
            if self.waiting[0]:
                self.wake()

    def wake(self):
        with self._cond:
            self._cond.notify()

    def __enter__(self):
        stack = self._local.__dict__.setdefault("taken", [])
        stack.append(self.enter())
        return self

    def __exit__(self, *exc_info):
        self.exit(self._local.taken.pop())


# The one lock of the process, see UpdateLock and CompiledFunction.
update_lock = UpdateLock()

# Program bodies longer than this are called from the generated __call__ rather than
# written into it (see write_call).
EMBED_MAX_LINES = 1000


class CallSpec(NamedTuple):
    """What `write_call` needs to know about a compiled function.

    ``program``: its link.Program; ``inputs``: one ``(type, strict, filter)`` per
    explicit input (``filter(value)`` accepts or converts a value, raising Theano's
    message); ``shared``: one ``(storage, to_host)`` per shared value read (``to_host``:
    None, or the copy of a GPU value for a CPU function); ``updates``: one
    ``(storage, to_device)`` per update written; ``n_outputs``: the number of outputs
    returned; ``host_outputs``: the outputs a device function copies to the host;
    ``out_kind``: ``single``, ``list``, ``dict`` or ``none``, with ``out_keys`` for
    dict; ``device``: the device backend or None; ``serial``: whether calls hold
    `update_lock`; ``run``: the program's bound run function (called for long bodies).
    """

    program: object
    inputs: tuple
    shared: tuple
    updates: tuple
    n_outputs: int
    host_outputs: tuple
    out_kind: str
    out_keys: object
    device: object
    serial: bool
    run: object


def write_call(spec, glob, trusted):
    """The generated call for all inputs given by position (see the module docstring),
    defined in `glob`: ``__call__(self, *args, **kwargs)``, or with `trusted`
    ``trusted(self, args)``."""
    program = spec.program
    glob.update(_nd=np.ndarray, _asarray=np.asarray)
    device = spec.device
    if device is not None:  # inputs are device arrays; host values are copied in
        glob.update(_nd=device.xp.ndarray, _asarray=device.xp.asarray,
                    _host=device.to_host)
    n_in = len(spec.inputs)
    params = [f"i{k}" for k in range(n_in)]
    if trusted:
        lines = ["def trusted(self, args):"]
    else:
        lines = ["def __call__(self, *args, **kwargs):",
                 f"    if kwargs or len(args) != {n_in}:",
                 "        return self._general_call(args, kwargs)",
                 "    if self.trust_input:",
                 "        return _trusted(self, args)"]
    if params:
        lines.append(f"    {', '.join(params)}, = args")
    # A function with updates holds update_lock from reading its shared values to
    # writing the updates, released whatever happens (the finally); when another
    # thread holds it, the general path waits for it (see UpdateLock).
    ind = "    "
    if spec.serial:
        glob.update(_Ltake=update_lock.take, _Lgive=update_lock.give,
                    _Lwaiting=update_lock.waiting, _Lwake=update_lock.wake)
        lines += ["    try:",
                  "        _Ltake()",
                  "    except IndexError:",
                  "        return self._general_call(args, {})",
                  "    _held = True",
                  "    try:"]
        ind = "        "
    lines.append(ind + "try:")
    lines.append(ind + "    pass")
    for k, (itype, strict, filt) in enumerate(spec.inputs):
        if trusted:
            break
        lines.extend(ind + ln for ln in _input_check(k, itype, strict, filt, program, glob))
    for j, (storage, to_host) in enumerate(spec.shared):
        glob[f"_S{j}"] = storage
        if to_host is not None:  # a GPU shared value read by a CPU function
            glob[f"_X{j}"] = to_host
            lines.append(f"{ind}    i{n_in + j} = _X{j}(_S{j}[0])")
        else:
            lines.append(f"{ind}    i{n_in + j} = _S{j}[0]")
    body_line = len(lines) + 1
    results = [f"_o{k}" for k in range(len(program.results))]
    if len(program.body) > EMBED_MAX_LINES:
        # A long body is called, not embedded: Python compiles about 30 000 lines a
        # second, so compiling it again here (and in the trusted variant) would
        # triple the compile time of a large graph, where one more call is nothing.
        glob["_run"] = spec.run
        call = f"_run({', '.join(f'i{k}' for k in range(len(program.inputs)))})"
        lines.append(f"{ind}    {', '.join(results)}, = {call}" if results else
                     f"{ind}    {call}")
        body_line = None
    else:
        lines.extend(ind + ln for ln in program.body)
        if results:
            lines.append(f"{ind}    {', '.join(results)}, = {', '.join(program.results)},")
    lines.append(ind + "except Exception as _e:")
    lines.append(ind + "    if _annotate(_e):")
    lines.append(ind + "        raise _e.with_traceback(_e.__traceback__) from None")
    lines.append(ind + "    raise")
    n_out = spec.n_outputs
    if device is not None:
        # Outputs come back as NumPy arrays unless the Out borrows (then they stay on
        # the device); update values stay on the device.
        lines.extend(f"{ind}_o{k} = _host(_o{k})" for k in spec.host_outputs)
    for j, (storage, to_device) in enumerate(spec.updates):
        glob[f"_U{j}"] = storage
        if to_device is not None:  # the new value goes back to the GPU
            glob[f"_Y{j}"] = to_device
            lines.append(f"{ind}_U{j}[0] = _Y{j}(_o{n_out + j})")
        else:
            lines.append(f"{ind}_U{j}[0] = _o{n_out + j}")
    if spec.serial:
        lines += ["    finally:",
                  "        _held = False",
                  "        _Lgive(True)",
                  "        if _Lwaiting[0]:",
                  "            _Lwake()"]
    kind = spec.out_kind
    if kind == "single":
        lines.append("    return _o0")
    elif kind == "list":
        lines.append(f"    return [{', '.join(results[:n_out])}]")
    elif kind == "dict":
        glob["_keys"] = spec.out_keys
        lines.append(f"    return dict(zip(_keys, [{', '.join(results[:n_out])}]))")
    else:
        lines.append("    return []")
    source = "\n".join(lines) + "\n"
    label = "fn-trusted" if trusted else "fn"
    # The body is indented one or two levels deeper here (inside the try), which
    # linecache and the line map do not mind: lines keep their order and count.
    code, _filename = program.compile_variant(source, body_line, label)
    exec(code, glob)  # noqa: S102 - our own generated source
    return glob["trusted" if trusted else "__call__"]


def _input_check(k, t, strict, filt, program, glob):
    """Lines (inside the call's try) accepting input k of type `t`, see write_call."""
    dtype = getattr(t, "numpy_dtype", None)
    glob[f"_flt{k}"] = filt
    if dtype is None or any(getattr(t, "broadcastable", ())):
        return [f"    i{k} = _flt{k}(i{k})"]
    glob[f"_idt{k}"] = dtype
    glob["_f64t"] = np.float64
    if k in program.float_inputs and not strict:
        # The body reads this input only as float(i<k>): a Python float or a NumPy
        # float64 scalar needs no array (the filter handles anything else).
        return [f"    if not (type(i{k}) is float or type(i{k}) is _f64t):",
                f"        i{k} = _flt{k}(i{k})"]
    lines = [f"    if not (type(i{k}) is _nd and i{k}.dtype is _idt{k} and "
             f"i{k}.ndim == {t.ndim}):"]
    if dtype == np.float64 and t.ndim == 0 and not strict:
        # Python floats and NumPy float64 scalars (what iterating a float64 array
        # gives, as the tutorials do) convert exactly.
        lines.append(f"        i{k} = _asarray(i{k}, _idt{k}) if type(i{k}) is float "
                     f"or type(i{k}) is _f64t else _flt{k}(i{k})")
    elif dtype.kind in "iu" and t.ndim == 0 and not strict:
        # A Python int in the dtype's range converts exactly (f(3, 4) on lscalars);
        # any other value goes through the filter, which applies Theano's rules.
        info = np.iinfo(dtype)
        lines.append(f"        i{k} = _asarray(i{k}, _idt{k}) if type(i{k}) is int and "
                     f"{info.min} <= i{k} <= {info.max} else _flt{k}(i{k})")
    else:
        fits = _fitting_dtypes(t, strict, glob)
        if fits:
            # An array of a dtype that fits (int64 labels into a dvector, as the
            # tutorials pass them): the filter's own conversion, without its calls.
            glob[f"_fit{k}"] = fits
            glob["_np_asarray"] = np.asarray
            lines.append(f"        i{k} = _np_asarray(i{k}, _idt{k}) if type(i{k}) is _nd and "
                         f"i{k}.ndim == {t.ndim} and i{k}.dtype in _fit{k} else _flt{k}(i{k})")
        else:
            lines.append(f"        i{k} = _flt{k}(i{k})")
    return lines


_NUMERIC = ("bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
            "float16", "float32", "float64", "complex64", "complex128")


def _fitting_dtypes(t, strict, glob):
    """The other dtypes whose arrays TensorType `t`'s filter converts to its dtype with
    ``np.asarray`` and nothing else (they fit without loss, Theano's rule), or ()
    where the filter does more (strict inputs, finiteness checks, device arrays)."""
    if strict or getattr(t, "filter_checks_isfinite", False) or \
            glob.get("_asarray", np.asarray) is not np.asarray or type(t).filter is not _FILTER:
        return ()
    return frozenset(np.dtype(d) for d in _NUMERIC
                     if np.dtype(d) != t.numpy_dtype and _fits(np.dtype(d), t.dtype))


_FILTER = TensorType.filter
