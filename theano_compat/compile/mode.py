"""Compilation modes: which rewrite pipeline runs (Theano's Mode, FAST_RUN, FAST_COMPILE).

A mode name given to ``theano.function(mode=...)`` or ``THEANO_FLAGS=mode=...`` is looked
up here.  The checking modes (DebugMode, NanGuardMode, MonitorMode) live in modules of
their own that register their names on import (compile/__init__.py imports them), so an
unknown or unsupported name is an error, never another mode.

Linkers: a Mode names one (``Mode('py')``, ``Mode(linker='cvm')``, Theano's names in
`predefined_linkers`); whichever it names, the function runs the generated program
(link/), and ``mode.linker`` is the Linker object of that name (theano.gof registers
Theano's linker classes here when it is imported).  A Linker *object* given to a Mode
(``Mode(linker=theano.gof.PerformLinker())``) is used: the function runs through it,
with the FunctionMaker the linker names (its ``maker_class``).

Optimizers: a name (`predefined_optimizers`: 'fast_run', 'fast_compile', 'merge',
'None', 'o1'...'o4', 'unsafe', 'stabilize', 'fast_run_stable'), one of the ``OPT_*``
constants (the same names), or an optimizer object (anything with
``optimize(fgraph)``, ``apply(fgraph)`` or a plain callable).  ``Mode.register((opt,
position))`` adds optimizer objects: those at a position below 1 (Theano's position of
the canonicalization) run before the mode's pipeline, the others after it.
"""

from __future__ import annotations

import copy

from ..config import config
from ..graph.optdb import PREDEFINED_QUERIES, Query
from ..graph.optdb import local_useless, optdb  # noqa: F401 - theano.compile.mode.optdb
from .pipeline import PIPELINES, describe, run_pipeline

__all__ = ["Mode", "FAST_RUN", "FAST_COMPILE", "predefined_modes", "predefined_linkers",
           "predefined_optimizers", "register_mode", "register_linker", "register_optimizer",
           "get_mode", "get_default_mode", "instantiated_default_mode", "OPT_NONE",
           "OPT_MERGE", "OPT_FAST_RUN", "OPT_FAST_RUN_STABLE", "OPT_FAST_COMPILE",
           "OPT_STABILIZE", "OPT_O2", "OPT_O3", "OPT_UNSAFE", "AddDestroyHandler",
           "AddFeatureOptimizer", "PrintCurrentFunctionGraph", "Supervisor", "exclude",
           "optdb", "local_useless"]


class _NamedLinker:
    """A linker name not (yet) registered by theano.gof: its name, and Theano's
    ``allow_gc`` reading of it (``*_nogc``)."""

    def __init__(self, name):
        self.name = name
        self.allow_gc = not str(name).endswith("_nogc")
        self.fgraph = None

    def clone(self, **kwargs):
        new = copy.copy(self)
        new.__dict__.update(kwargs)
        return new

    def __repr__(self):
        return f"<linker {self.name}>"


# Theano's linker names.  This layer cannot build theano.gof's Linker classes: the
# names start as placeholders (_NamedLinker), which theano.gof replaces with its Linker
# objects (``predefined_linkers["py"] = PerformLinker()``...) when it is imported; a
# mode given a name still runs the generated program (only a Linker object given to
# Mode runs through it).
_LINKER_NAMES = ("py", "c", "c|py", "c|py_nogc", "vm", "cvm", "vm_nogc", "cvm_nogc")
predefined_linkers: dict = {name: _NamedLinker(name) for name in _LINKER_NAMES}


def register_linker(name, linker):
    """Make `linker` (a Linker) available under `name` in Mode (Theano's
    ``register_linker``; a placeholder of Theano's own names may be replaced once)."""
    if name in predefined_linkers and not isinstance(predefined_linkers[name], _NamedLinker):
        raise ValueError(f"Linker name already taken: {name}")
    predefined_linkers[name] = linker


def _linker_of(name):
    if name is None:
        name = config.linker
    linker = predefined_linkers.get(name)
    if linker is None:
        raise KeyError(f"Unknown linker {name!r}; choose one of "
                       f"{sorted(predefined_linkers)}")
    return linker


# Theano's optimizer constants: Queries over optdb (graph/optdb.py).  A Mode given one
# runs the pipeline its tags select (see _resolve_optimizer).
exclude = [] if config.cxx else ["cxx_only"]


def _named_query(name, include, base=None):
    q = Query(include=include, exclude=exclude) if base is None else base
    q.name = name
    return q


OPT_NONE = _named_query("OPT_NONE", [])
OPT_MERGE = _named_query("OPT_MERGE", ["merge"])
OPT_FAST_RUN = _named_query("OPT_FAST_RUN", ["fast_run"])
OPT_FAST_RUN_STABLE = _named_query("OPT_FAST_RUN_STABLE", None,
                                   OPT_FAST_RUN.requiring("stable"))
OPT_FAST_COMPILE = _named_query("OPT_FAST_COMPILE", ["fast_compile", "fast_compile_gpu"])
OPT_STABILIZE = _named_query("OPT_STABILIZE", ["fast_run"])
OPT_STABILIZE.position_cutoff = 1.5000001
OPT_O2 = _named_query("OPT_O2", None, OPT_FAST_COMPILE.including("fusion"))
OPT_O3 = _named_query("OPT_O3", None, OPT_FAST_RUN.excluding("inplace"))
OPT_UNSAFE = _named_query("OPT_UNSAFE", None, OPT_O3.including("unsafe"))

predefined_optimizers = {
    None: OPT_NONE, "None": OPT_NONE, "merge": OPT_MERGE, "o4": OPT_FAST_RUN,
    "o3": OPT_O3, "o2": OPT_O2, "o1": OPT_FAST_COMPILE, "unsafe": OPT_UNSAFE,
    "fast_compile": OPT_FAST_COMPILE, "fast_run": OPT_FAST_RUN,
    "fast_run_stable": OPT_FAST_RUN_STABLE, "stabilize": OPT_STABILIZE,
}

# The pipeline (compile/pipeline.py) of the optimizer names it has none of its own for.
_PIPELINE_OF = {"fast_run_stable": "fast_run", "stabilize": "fast_compile"}


def register_optimizer(name, opt):
    """Make `opt` (an optimizer object or a Query) available under `name` in Mode."""
    if name in predefined_optimizers:
        raise ValueError(f"Optimizer name already taken: {name}")
    predefined_optimizers[name] = opt


def _resolve_optimizer(optimizer):
    """(pipeline name or None, optimizer object or None, included, excluded, registered)
    for what a Mode is given as its optimizer (see the module docstring).

    A Query selects the pipeline of its tags (``fast_run``, else ``fast_compile``, else
    ``merge``, else none; ``fast_run`` cut at the stabilization phase is FAST_COMPILE's
    pipeline, which ends there); its other tags include and exclude what users
    registered in optdb, its extra optimizations run as ``Mode.register``'s.  Its
    ``require`` tags select nothing here (the pipeline runs its own rules).
    """
    if optimizer is None or isinstance(optimizer, str):
        name = _PIPELINE_OF.get(optimizer, optimizer)
        if name in PIPELINES:
            return name, None, (), (), ()
        if optimizer not in predefined_optimizers:
            # KeyError, as Theano's lookup in predefined_optimizers raised.
            raise KeyError(
                f"Unknown optimizer {optimizer!r}; choose one of "
                f"{sorted(str(k) for k in predefined_optimizers if k)} or None")
        optimizer = predefined_optimizers[optimizer]
    if isinstance(optimizer, Query):
        include = list(optimizer.include)
        if "fast_run" in include:
            name = "fast_run" if optimizer.position_cutoff > 1.5000001 else "fast_compile"
        elif "fast_compile" in include:
            name = "fast_compile"
        elif "merge" in include:
            name = "merge"
        else:
            name = "None"
        extra_in = tuple(t for t in include if t not in ("fast_run", "fast_compile",
                                                         "fast_compile_gpu", "merge"))
        extra_ex = tuple(t for t in optimizer.exclude if t != "cxx_only")
        return name, None, extra_in, extra_ex, tuple(optimizer.extra_optimizations)
    return None, optimizer, (), (), ()


def _run_optimizer(opt, fgraph):
    """Run an optimizer object (Theano's Optimizer interface or a callable) on `fgraph`."""
    add = getattr(opt, "add_requirements", None)
    if add is not None:
        add(fgraph)
    for method in ("optimize", "apply"):
        fn = getattr(opt, method, None)
        if fn is not None:
            return fn(fgraph)
    return opt(fgraph)


class Supervisor:
    """A FunctionGraph feature protecting variables from being overwritten (Theano
    refused in-place rewrites on them).  Nothing here rewrites a function's graph in
    place, so validation always succeeds."""

    __module__ = "theano.compile.function_module"  # Theano's path: reprs and pickles

    def __init__(self, protected):
        self.protected = list(protected)

    def on_attach(self, fgraph):
        pass

    def validate(self, fgraph):
        return True


class _Optimizer:
    """What the optimizer classes of this module share (Theano's gof.Optimizer)."""

    def add_requirements(self, fgraph):
        pass

    def optimize(self, fgraph, *args, **kwargs):
        self.add_requirements(fgraph)
        return self.apply(fgraph, *args, **kwargs)

    def __call__(self, fgraph):
        return self.optimize(fgraph)

    def apply(self, fgraph):
        pass


class AddDestroyHandler(_Optimizer):
    """Theano attached its DestroyHandler at this point of the pipeline; nothing here
    rewrites in place, so it checks nothing."""

    __module__ = "theano.compile.mode"  # Theano's path: reprs and pickles


class AddFeatureOptimizer(_Optimizer):
    """Attach `feature` to the graph (``fgraph.attach_feature``) when it runs."""

    __module__ = "theano.compile.mode"  # Theano's path: reprs and pickles

    def __init__(self, feature):
        self.feature = feature

    def add_requirements(self, fgraph):
        attach = getattr(fgraph, "attach_feature", None)
        if attach is not None:
            attach(self.feature)


class PrintCurrentFunctionGraph(_Optimizer):
    """Print the graph where it runs, under `header` (a debugging aid)."""

    __module__ = "theano.compile.mode"  # Theano's path: reprs and pickles

    def __init__(self, header):
        self.header = header

    def apply(self, fgraph):
        print("PrintCurrentFunctionGraph:", self.header)
        for out in fgraph.outputs:
            print(out)


class Mode:
    """A compilation mode: a linker, an optimizer, and included/excluded rule names.

    ``Mode(linker=None, optimizer='default')``: None takes ``config.linker``, 'default'
    ``config.optimizer`` (see the module docstring for what they may be).  Subclasses
    that run the graph their own way (the checking modes) set `maker_class` to a
    FunctionMaker subclass; None means the generated program.
    """

    __module__ = "theano.compile.mode"  # Theano's path: reprs and pickles

    def __init__(self, linker=None, optimizer="default", including=(), excluding=(),
                 requiring=()):
        if linker is None:
            linker = config.linker
        if not isinstance(linker, str):
            # The Linker object a name stands for (``Mode(linker=get_mode(m).linker)``)
            # is that name: it runs the generated program, as the name does.
            linker = next((n for n, obj in predefined_linkers.items() if obj is linker),
                          linker)
        if isinstance(optimizer, str) and optimizer == "default":
            optimizer = config.optimizer
        self.provided_linker = linker
        self.provided_optimizer = optimizer
        name, obj, extra_in, extra_ex, extra_opts = _resolve_optimizer(optimizer)
        self.optimizer = name
        self._optimizer_obj = obj
        if not isinstance(linker, str):
            self._linker_obj = linker
        self.included = extra_in + tuple(including)
        self.excluded = extra_ex + tuple(excluding)
        self.required = tuple(requiring)
        self.registered = extra_opts
        self.call_time = 0
        self.fn_time = 0

    @property
    def linker(self):
        """The Linker object this mode names (see the module docstring)."""
        obj = self.__dict__.get("_linker_obj") or self.__dict__.get("_linker_override")
        return obj if obj is not None else _linker_of(self.provided_linker)

    @property
    def maker_class(self):
        """The FunctionMaker class functions of this mode are built with (None: the
        default one, running the generated program).  The checking modes set it as a
        class attribute."""
        obj = self.__dict__.get("_linker_obj")
        return getattr(obj, "maker_class", None) if obj is not None else None

    def _with(self, **kw):
        # A copy, so that a subclass (MonitorMode, DebugMode...) stays what it is and
        # keeps its own settings.
        new = copy.copy(self)
        user_query = self._user_query()
        new.__dict__.pop("_optimizer_query", None)  # a view of the old settings
        new.__dict__.pop("_optimizer_query_state", None)
        for key, value in kw.items():
            setattr(new, {"including": "included", "excluding": "excluded",
                          "requiring": "required"}.get(key, key), value)
            if user_query is not None and key in ("including", "excluding", "requiring"):
                added = value[len(getattr(self, key[:-3] + "ed")):]
                user_query = getattr(user_query, key)(*added)
        if user_query is not None:
            new._optimizer = user_query
        return new

    def including(self, *tags):
        return self._with(including=self.included + tags)

    def excluding(self, *tags):
        return self._with(excluding=self.excluded + tags)

    def requiring(self, *tags):
        return self._with(requiring=self.required + tags)

    def register(self, *optimizations):
        """A copy of this mode that also runs the given ``(optimizer, position)`` pairs
        (see the module docstring)."""
        for item in optimizations:
            if not (isinstance(item, (tuple, list)) and len(item) == 2):
                raise TypeError("Mode.register takes (optimizer, position) pairs, got "
                                f"{item!r}")
        return self._with(registered=self.registered + tuple(optimizations))

    def clone(self, link_kwargs=None, optimizer="", **kwargs):
        """A copy of this mode, with another optimizer when `optimizer` is given and the
        linker cloned with `link_kwargs`."""
        new = self._with()
        if link_kwargs:
            cloned = self.linker.clone(**link_kwargs)
            if "_linker_obj" in self.__dict__:
                new._linker_obj = cloned
            else:
                new._linker_override = cloned
        if optimizer != "":
            if isinstance(optimizer, str) and optimizer == "default":
                optimizer = config.optimizer
            fresh = Mode(linker=self.provided_linker, optimizer=optimizer)
            for key in ("provided_optimizer", "optimizer", "_optimizer_obj", "included",
                        "excluded", "required", "registered"):
                setattr(new, key, getattr(fresh, key))
        return new

    def _query_of_settings(self):
        """Theano's ``Mode._optimizer`` for a named optimizer: the Query of its tag with
        this mode's included, excluded and required names."""
        base = PREDEFINED_QUERIES[self.optimizer]() if self.optimizer in PREDEFINED_QUERIES \
            else Query(include=[self.optimizer])
        return base.including(*self.included).excluding(*self.excluded).requiring(
            *self.required)

    @staticmethod
    def _query_state(q):
        return (list(q.include), list(q.exclude), list(q.require), q.position_cutoff,
                list(q.extra_optimizations))

    @property
    def _optimizer(self):
        """Theano's attribute: the Query this mode's optimizer stands for (or the optimizer
        object it was given).  Legacy code and Theano's tests edit it, in place
        (``mode._optimizer.position_cutoff = 1.5``) or by assignment
        (``mode._optimizer = mode._optimizer.including('x')``); either way the mode then
        runs ``optdb.query`` of that Query instead of its own pipeline."""
        query = self.__dict__.get("_optimizer_query")
        if query is not None:
            return query
        if self.optimizer is None:
            return self._optimizer_obj
        query = self._query_of_settings()
        self.__dict__["_optimizer_query"] = query
        self.__dict__["_optimizer_query_state"] = self._query_state(query)
        return query

    @_optimizer.setter
    def _optimizer(self, value):
        if isinstance(value, Query):
            self.__dict__["_optimizer_query"] = value
            self.__dict__["_optimizer_query_state"] = None  # set by the user: always used
        else:
            name, obj, extra_in, extra_ex, extra_opts = _resolve_optimizer(value)
            self.__dict__.pop("_optimizer_query", None)
            self.optimizer, self._optimizer_obj = name, obj

    def _user_query(self):
        """The Query legacy code set or edited through `_optimizer`, else None."""
        query = self.__dict__.get("_optimizer_query")
        if query is None:
            return None
        state = self.__dict__.get("_optimizer_query_state")
        return query if state is None or state != self._query_state(query) else None

    def pipeline(self):
        """The function rewriting a FunctionGraph for this mode."""
        query = self._user_query()
        if query is not None:
            return lambda fgraph, excluded=(): optdb.query(query).optimize(fgraph)
        phases = PIPELINES[self.optimizer] if self.optimizer is not None else []
        obj = self._optimizer_obj
        before = [opt for opt, pos in self.registered if pos < 1]
        after = [opt for opt, pos in sorted(self.registered, key=lambda p: p[1])
                 if pos >= 1]

        def rewrite(fgraph, excluded=self.excluded):
            for opt in before:
                _run_optimizer(opt, fgraph)
            if obj is not None:
                _run_optimizer(obj, fgraph)
            report = run_pipeline(phases, fgraph, excluded, self.required, self.included)
            for opt in after:
                _run_optimizer(opt, fgraph)
            return report

        return rewrite

    def describe(self):
        """[(phase, [rule names])] this mode runs, in order (see tools/show_pipeline.py)."""
        if self.optimizer is None:
            return [(str(self._optimizer_obj), [])]
        return describe(self.optimizer, self.excluded)

    def __getstate__(self):
        d = self.__dict__.copy()
        return d

    def __setstate__(self, d):
        if isinstance(d, tuple):  # Theano 1.0.5's pickles: (linker, optimizer query)
            self.__init__(d[0] if isinstance(d[0], str) else None)
            return
        d.setdefault("registered", ())
        d.setdefault("_optimizer_obj", None)
        d.setdefault("provided_linker", d.pop("linker", None))
        d.setdefault("provided_optimizer", d.get("optimizer"))
        self.__dict__.update(d)

    def __str__(self):
        shown = self.optimizer if self.optimizer is not None else self._optimizer_obj
        linker = self.provided_linker if isinstance(self.provided_linker, str) or \
            self.provided_linker is None else self.provided_linker
        return f"{type(self).__name__}(linker={linker}, optimizer={shown})"

    __repr__ = __str__


FAST_RUN = Mode(linker="vm", optimizer="fast_run")
FAST_COMPILE = Mode(linker="vm", optimizer="fast_compile")

# Theano 1.0.5's table of mode names (register_mode adds to it; debugmode.py adds
# DEBUG_MODE).  "Mode", "DebugMode" and "NanGuardMode" are not in it: those names build
# a new mode with the current config.optimizer each time (see _BY_CLASS_NAME).
predefined_modes = {"FAST_COMPILE": FAST_COMPILE, "FAST_RUN": FAST_RUN}

# name -> factory() building that mode from the config flags; the checking modes'
# modules register theirs.
_BY_CLASS_NAME = {"Mode": lambda: Mode(linker=config.linker, optimizer=config.optimizer)}

# Theano's module attribute; modes are built per call here, so it stays None.
instantiated_default_mode = None

_REMOVED = {
    "ProfileMode": "ProfileMode was removed in Theano 1.0: compile with profile=True "
                   "(or THEANO_FLAGS=profile=True) to get a profile",
}
_REMOVED["PROFILE_MODE"] = _REMOVED["ProfileMode"]


def register_mode(name, mode):
    """Make `mode` (a Mode) available under `name` (Theano's ``register_mode``)."""
    if name in predefined_modes or name in _BY_CLASS_NAME:
        raise ValueError(f"Mode name already taken: {name}")
    predefined_modes[name] = mode


def register_mode_factory(name, factory):
    """Build a new mode with `factory()` whenever `name` is asked for (the checking modes
    use it for "DebugMode" and "NanGuardMode", which follow config.optimizer)."""
    _BY_CLASS_NAME[name] = factory


def _valid_names():
    return sorted(set(predefined_modes) | set(_BY_CLASS_NAME))


def get_mode(mode):
    """A Mode object for a mode argument (None, a name, or a Mode).

    Unknown names raise ValueError (Theano 1.0.5: "No predefined mode exist for
    string"), as do the names of modes Theano 1.0 removed.  Anything else that is not a
    string is returned as it is (Theano: "it is hopefully already a mode").
    """
    if mode is None:
        mode = config.mode
    if isinstance(mode, Mode):
        return mode
    if not isinstance(mode, str):
        if hasattr(mode, "pipeline"):
            return mode
        raise TypeError(f"mode must be a Mode or the name of one, got {mode!r}")
    if mode in _BY_CLASS_NAME:
        base = _BY_CLASS_NAME[mode]()
    elif mode in predefined_modes:
        base = predefined_modes[mode]
    elif mode in _REMOVED:
        raise ValueError(f"No predefined mode exist for string: {mode}. {_REMOVED[mode]}")
    else:
        raise ValueError(
            f"No predefined mode exist for string: {mode}. Valid names: "
            f"{', '.join(_valid_names())}, or pass a Mode instance"
        )
    extra_in = tuple(t for t in config.optimizer_including.split(":") if t)
    extra_ex = tuple(t for t in config.optimizer_excluding.split(":") if t)
    extra_req = tuple(t for t in config.optimizer_requiring.split(":") if t)
    if extra_in or extra_ex or extra_req:
        base = base._with(including=base.included + extra_in,
                          excluding=base.excluded + extra_ex,
                          requiring=base.required + extra_req)
    return base


def get_default_mode():
    """The mode config.mode names (what ``theano.function`` uses without ``mode=``)."""
    return get_mode(None)

from .legacy_names import GOF, THEANO, lazy_names, string_types  # noqa: F401,E402

# Theano's module held `theano` and `gof` (layers above: found where import theano put them).
__getattr__, __dir__ = lazy_names(__name__, {"theano": THEANO, "gof": GOF})
