"""Optimizer databases (Theano's ``gof.optdb``) and ``optdb``, the registry user code
extends (``theano.compile.optdb``).

A DB maps names and tags to optimizers; ``db.query(*tags)`` (``'+tag'`` include,
``'-tag'`` exclude, ``'&tag'`` require) or ``db.query(Query(...))`` returns an optimizer
built from the selected entries: a SeqOptimizer ordered by position for a SequenceDB, an
EquilibriumOptimizer for an EquilibriumDB, a LocalOptGroup for a LocalGroupDB.

This project's own rules are not registered anywhere (DESIGN.md §1.2, §7.3: the pipelines
are plain rule lists in compile/pipeline.py).  `optdb` holds Theano's slots by name and
position, empty: what users register there (``optdb.register(name, opt, position, *tags)``,
``theano.tensor.opt.register_canonicalize`` ... into ``optdb['canonicalize']``) is what the
compile pipeline reads (`registered`), running each entry in the phase of the same name or
at its position between the phases.
"""

from __future__ import annotations

import copy
import io
import sys

from ..config import config
from .rewrite import Navigation
from .optimizers import (EquilibriumOptimizer, LocalOptGroup, LocalOptimizer,
                         MergeOptimizer, NavigatorOptimizer, Optimizer, SeqOptimizer,
                         TopoOptimizer, _numbered, as_rule)

_PUBLIC_MODULE = "theano.gof.optdb"  # Theano's path: reprs and pickles


class DB:
    """Named optimizers with tags."""

    __module__ = _PUBLIC_MODULE
    __hash__ = _numbered

    def __init__(self):
        self.__db__ = {}  # name or tag -> {object: None} (an ordered set)
        self._names = set()
        self.name = None  # set by the DB this one is registered in

    def _entries(self, key):
        return self.__db__.setdefault(key, {})

    def register(self, name, obj, *tags, **kwargs):
        """Add `obj` (an optimizer, local optimizer or DB) under `name`, with `tags`
        (and this DB's own name as a tag unless ``use_db_name_as_tag=False``)."""
        if not isinstance(obj, (DB, Optimizer, LocalOptimizer)):
            raise TypeError("Object cannot be registered in OptDB", obj)
        if name in self.__db__:
            raise ValueError("The name of the object cannot be an existing tag or the name "
                             "of another existing object.", obj, name)
        if kwargs:
            if set(kwargs) != {"use_db_name_as_tag"} or kwargs["use_db_name_as_tag"]:
                raise TypeError(f"register: unexpected keyword arguments {kwargs}")
        elif self.name is not None:
            tags = tags + (self.name,)
        obj.name = name
        self.__db__[name] = {obj: None}
        self._names.add(name)
        self._entries(type(obj).__name__)[obj] = None
        self.add_tags(name, *tags)

    def _only(self, name):
        objs = self.__db__[name]
        if len(objs) != 1:
            raise ValueError(f"{name!r} is a tag of several objects")
        return next(iter(objs))

    def add_tags(self, name, *tags):
        obj = self._only(name)
        for tag in tags:
            if tag in self._names:
                raise ValueError("The tag of the object collides with a name.", obj, tag)
            self._entries(tag)[obj] = None

    def remove_tags(self, name, *tags):
        obj = self._only(name)
        for tag in tags:
            if tag in self._names:
                raise ValueError("The tag of the object collides with a name.", obj, tag)
            self.__db__.get(tag, {}).pop(obj, None)

    def __query__(self, q):
        if not isinstance(q, Query):
            raise TypeError("Expected a Query.", q)
        selected = {}
        for tag in q.include:
            selected.update(self.__db__.get(tag, {}))
        for tag in q.require:
            have = self.__db__.get(tag, {})
            selected = {o: None for o in selected if o in have}
        for tag in q.exclude:
            drop = self.__db__.get(tag, {})
            selected = {o: None for o in selected if o not in drop}
        out = {}
        for obj in selected:
            if isinstance(obj, DB):
                sub = q
                if q.extra_optimizations:
                    sub = copy.copy(q)
                    sub.extra_optimizations = []
                replacement = obj.query(q.subquery.get(obj.name, sub))
                replacement.name = obj.name
                out[replacement] = None
            else:
                out[obj] = None
        return out

    def query(self, *tags, **kwtags):
        if len(tags) == 1 and not kwtags and isinstance(tags[0], str) and \
                tags[0] in PREDEFINED_QUERIES:
            # Theano's OPT_* constants were Queries; here they are the optimizer names.
            tags = (PREDEFINED_QUERIES[tags[0]](),)
        if tags and isinstance(tags[0], Query):
            if len(tags) > 1 or kwtags:
                raise TypeError("If the first argument to query is a Query, there should "
                                "be no other arguments.", tags, kwtags)
            return self.__query__(tags[0])
        include = [t[1:] for t in tags if t.startswith("+")]
        require = [t[1:] for t in tags if t.startswith("&")]
        exclude = [t[1:] for t in tags if t.startswith("-")]
        if len(include) + len(require) + len(exclude) < len(tags):
            raise ValueError("All tags must start with one of the following characters: "
                             "'+', '&' or '-'", tags)
        kwtags = {k: v for k, v in kwtags.items() if k != "position_cutoff"}
        return self.__query__(Query(include=include, require=require, exclude=exclude,
                                    subquery=kwtags))

    def __getitem__(self, name):
        objs = self.__db__.get(name)
        if not objs:
            raise KeyError(f"Nothing registered for '{name}'")
        if len(objs) > 1:
            raise ValueError(f"More than one match for {name} (please use query)")
        return next(iter(objs))

    def __contains__(self, name):
        return name in self.__db__

    def print_summary(self, stream=sys.stdout):
        print(f"{type(self).__name__} (id {id(self)})", file=stream)
        print("  names", self._names, file=stream)
        print("  db", self.__db__, file=stream)


def _ordered(items):
    return dict.fromkeys(items or ())


class Query:
    """Which entries of a DB to take: `include` (any of these tags), `require` (all of
    these), `exclude` (none of these); `subquery` {DB name: Query} for nested DBs;
    `position_cutoff` for a SequenceDB; `extra_optimizations` [(optimizer, position)]."""

    __module__ = _PUBLIC_MODULE

    def __init__(self, include, require=None, exclude=None, subquery=None,
                 position_cutoff=float("inf"), extra_optimizations=None):
        self.include = _ordered(include)
        self.require = _ordered(require)
        self.exclude = _ordered(exclude)
        self.subquery = subquery or {}
        self.position_cutoff = position_cutoff
        self.extra_optimizations = list(extra_optimizations or [])

    def __str__(self):
        return (f"Query{{inc={list(self.include)},ex={list(self.exclude)},"
                f"require={list(self.require)},subquery={self.subquery},"
                f"position_cutoff={self.position_cutoff:f},"
                f"extra_opts={self.extra_optimizations}}}")

    def __setstate__(self, state):
        self.__dict__.update(state)
        self.__dict__.setdefault("extra_optimizations", [])

    def _with(self, include=(), require=(), exclude=(), extra=()):
        q = Query(list(self.include) + [t for t in include if t not in self.include],
                  list(self.require) + [t for t in require if t not in self.require],
                  list(self.exclude) + [t for t in exclude if t not in self.exclude],
                  self.subquery, self.position_cutoff,
                  self.extra_optimizations + list(extra))
        if hasattr(self, "name"):
            q.name = self.name
        return q

    def including(self, *tags):
        return self._with(include=tags)

    def excluding(self, *tags):
        return self._with(exclude=tags)

    def requiring(self, *tags):
        return self._with(require=tags)

    def register(self, *optimizations):
        return self._with(extra=optimizations)


class EquilibriumDB(DB):
    """Optimizers applied together until none changes the graph (an
    EquilibriumOptimizer); canonicalize, stabilize and specialize are such DBs.
    ``register(..., final_opt=True)`` / ``cleanup=True`` make a global optimizer run
    after each round / after each change."""

    __module__ = _PUBLIC_MODULE

    def __init__(self, ignore_newtrees=True, tracks_on_change_inputs=False):
        super().__init__()
        self.ignore_newtrees = ignore_newtrees
        self.tracks_on_change_inputs = tracks_on_change_inputs
        self.__final__ = {}
        self.__cleanup__ = {}
        # The phase of compile/pipeline.py with this DB's name (an object with `rules`),
        # whose rules a query runs along with the DB's entries; None for other DBs.
        self.phase = None

    def register(self, name, obj, *tags, **kwtags):
        final_opt = kwtags.pop("final_opt", False)
        cleanup = kwtags.pop("cleanup", False)
        if final_opt and cleanup:
            raise ValueError("An optimizer cannot be both final_opt and cleanup")
        super().register(name, obj, *tags, **kwtags)
        self.__final__[name] = final_opt
        self.__cleanup__[name] = cleanup

    def query(self, *tags, **kwtags):
        opts = list(super().query(*tags, **kwtags))
        final = [o for o in opts if self.__final__.get(o.name, False)]
        cleanup = [o for o in opts if self.__cleanup__.get(o.name, False)]
        rest = [o for o in opts if o not in final and o not in cleanup]
        rules, navigation = (), None
        if self.phase is not None and self.phase.rules:
            # The project's own rules of this phase, run as its pipeline runs them.
            exclude = set(tags[0].exclude) if tags and isinstance(tags[0], Query) else \
                {t[1:] for t in tags if isinstance(t, str) and t.startswith("-")}
            rules = [r for r in self.phase.rules if not (r.tags & exclude)]
            navigation = Navigation()
        return EquilibriumOptimizer(
            rest, max_use_ratio=config.optdb.max_use_ratio,
            ignore_newtrees=self.ignore_newtrees,
            tracks_on_change_inputs=self.tracks_on_change_inputs,
            failure_callback=NavigatorOptimizer.warn_inplace,
            final_optimizers=final or None, cleanup_optimizers=cleanup or None,
            rules=rules, navigation=navigation)


class SequenceDB(DB):
    """Optimizers applied one after the other by increasing position (a SeqOptimizer);
    ``theano.compile.optdb`` is one."""

    __module__ = _PUBLIC_MODULE
    seq_opt = SeqOptimizer

    def __init__(self, failure_callback=SeqOptimizer.warn):
        super().__init__()
        self.__position__ = {}
        self.failure_callback = failure_callback

    def register(self, name, obj, position, *tags):
        super().register(name, obj, *tags)
        if position == "last":
            self.__position__[name] = max(self.__position__.values(), default=-1) + 1
        else:
            if not isinstance(position, (int, float)):
                raise TypeError(f"position must be a number or 'last', got {position!r}")
            self.__position__[name] = position

    def position(self, name):
        return self.__position__[name]

    def query(self, *tags, **kwtags):
        cutoff = kwtags.pop("position_cutoff", config.optdb.position_cutoff)
        opts = dict(super().query(*tags, **kwtags))
        positions = self.__position__
        if tags and isinstance(tags[0], Query):
            q = tags[0]
            if getattr(q, "position_cutoff", None):
                cutoff = q.position_cutoff
            if q.extra_optimizations:
                positions = dict(positions)
                for extra, position in q.extra_optimizations:
                    extra.name = f"{type(extra)}_{id(extra)}"
                    if position < cutoff:
                        opts[extra] = None
                        positions[extra.name] = position
        ordered = sorted((o for o in opts if positions[o.name] < cutoff),
                         key=lambda o: (positions[o.name], o.name))
        kwargs = {"failure_callback": self.failure_callback} if self.failure_callback else {}
        ret = self.seq_opt(ordered, **kwargs)
        if tags and hasattr(tags[0], "name"):
            ret.name = tags[0].name
        return ret

    def print_summary(self, stream=sys.stdout):
        print(f"{type(self).__name__} (id {id(self)})", file=stream)
        print("  position", sorted(self.__position__.items(), key=lambda kv: kv[1]),
              file=stream)
        print("  names", self._names, file=stream)
        print("  db", self.__db__, file=stream)

    def __str__(self):
        sio = io.StringIO()
        self.print_summary(sio)
        return sio.getvalue()


class LocalGroupDB(DB):
    """Local optimizers combined into one LocalOptGroup (ordered by position)."""

    __module__ = _PUBLIC_MODULE

    def __init__(self, apply_all_opts=False, profile=False, local_opt=LocalOptGroup):
        super().__init__()
        self.failure_callback = None
        self.apply_all_opts = apply_all_opts
        self.profile = profile
        self.__position__ = {}
        self.local_opt = local_opt

    def register(self, name, obj, *tags, **kwargs):
        position = kwargs.pop("position", "last")
        super().register(name, obj, *tags, **kwargs)
        if position == "last":
            self.__position__[name] = max(self.__position__.values(), default=-1) + 1
        else:
            self.__position__[name] = position

    def query(self, *tags, **kwtags):
        opts = sorted(super().query(*tags, **kwtags),
                      key=lambda o: (self.__position__[o.name], o.name))
        return self.local_opt(*opts, apply_all_opts=self.apply_all_opts,
                              profile=self.profile)


class TopoDB(DB):
    """The optimizer of another DB applied by a TopoOptimizer."""

    __module__ = _PUBLIC_MODULE

    def __init__(self, db, order="in_to_out", ignore_newtrees=False, failure_callback=None):
        super().__init__()
        self.db = db
        self.order = order
        self.ignore_newtrees = ignore_newtrees
        self.failure_callback = failure_callback

    def query(self, *tags, **kwtags):
        return TopoOptimizer(self.db.query(*tags, **kwtags), self.order,
                             self.ignore_newtrees, self.failure_callback)


class ProxyDB(DB):
    """Another DB under a second name (a DB cannot be registered twice)."""

    __module__ = _PUBLIC_MODULE

    def __init__(self, db):
        if not isinstance(db, DB):
            raise TypeError("ProxyDB wraps a DB")
        super().__init__()
        self.db = db

    def query(self, *tags, **kwtags):
        return self.db.query(*tags, **kwtags)


# ------------------------------------------------------------------------------- the optdb
#
# Theano's slots (theano/compile/mode.py), by name and position.  The ones whose name is a
# phase of compile/pipeline.py (canonicalize, stabilize, specialize) add their entries to
# that phase; the others run at their position.  The merge slots stand for the pipeline's
# own merge phases and are not run from here.

optdb = SequenceDB()
optdb.register("merge1", MergeOptimizer(), 0, "fast_run", "fast_compile", "merge")
local_useless = LocalGroupDB(apply_all_opts=True, profile=True)
optdb.register("useless", TopoDB(local_useless, failure_callback=NavigatorOptimizer.warn_inplace),
               0.6, "fast_run", "fast_compile")
optdb.register("merge1.1", MergeOptimizer(), 0.65, "fast_run", "fast_compile", "merge")
optdb.register("canonicalize", EquilibriumDB(ignore_newtrees=False), 1, "fast_run",
               "fast_compile", "canonicalize_db")
optdb.register("merge1.2", MergeOptimizer(), 1.2, "fast_run", "fast_compile", "merge")
optdb.register("stabilize", EquilibriumDB(), 1.5, "fast_run")
optdb.register("specialize", EquilibriumDB(), 2, "fast_run", "fast_compile_gpu")
optdb.register("uncanonicalize", EquilibriumDB(), 3, "fast_run")
optdb.register("specialize_device", EquilibriumDB(), 48.6, "fast_compile", "fast_run")
optdb.register("merge2", MergeOptimizer(), 49, "fast_run", "merge")
optdb.register("merge3", MergeOptimizer(), 100, "fast_run", "merge")

# The slots above, as Theano's module created them (and the ones compile/pipeline.py adds
# with `mark_builtin`): the pipeline runs its own phases for them and reads only users'
# additions from them.
BUILTIN_SLOTS = set(optdb._names)


def mark_builtin(name):
    """Say that the optdb entry `name` stands for a step the pipeline runs itself."""
    BUILTIN_SLOTS.add(name)


def freeze_builtins():
    """Mark everything registered so far, in optdb and in the DBs under it, as the
    project's own (``import theano`` calls this last): the compile pipeline reads from
    optdb only what user code registers afterwards.  Modules of the package mirror
    Theano's registrations (scan_module.scan_opt...) without the pipeline running them
    twice."""
    BUILTIN_SLOTS.update(optdb._names)
    seen = set()
    pending = [optdb, local_useless]
    while pending:
        db = pending.pop()
        if id(db) in seen:
            continue
        seen.add(id(db))
        db.__dict__.setdefault("_builtin_names", set()).update(db._names)
        for objs in db.__db__.values():
            pending.extend(o for o in objs if isinstance(o, DB))
        inner = db.__dict__.get("db")
        if isinstance(inner, DB):
            pending.append(inner)


def _query(include=(), exclude=(), cutoff=float("inf"), name=None):
    def make():
        q = Query(include=list(include), exclude=list(exclude), position_cutoff=cutoff)
        q.name = name
        return q
    return make


# Theano's predefined optimizers (compile.mode.OPT_*), by name.
PREDEFINED_QUERIES = {
    "None": _query(name="OPT_NONE"),
    "merge": _query(["merge"], name="OPT_MERGE"),
    "fast_run": _query(["fast_run"], name="OPT_FAST_RUN"),
    "o4": _query(["fast_run"], name="OPT_FAST_RUN"),
    "fast_run_stable": _query(["fast_run", "stable"], name="OPT_FAST_RUN_STABLE"),
    "fast_compile": _query(["fast_compile"], name="OPT_FAST_COMPILE"),
    "o1": _query(["fast_compile"], name="OPT_FAST_COMPILE"),
    "o2": _query(["fast_compile", "fusion"], name="OPT_O2"),
    "o3": _query(["fast_run"], ["inplace"], name="OPT_O3"),
    "unsafe": _query(["fast_run", "unsafe"], ["inplace"], name="OPT_UNSAFE"),
    "stabilize": _query(["fast_run"], cutoff=1.5000001, name="OPT_STABILIZE"),
}


def registered(slot, include, exclude=()):
    """What users registered in the EquilibriumDB / LocalGroupDB slot `slot` that a
    query with tags `include` (any) and not `exclude` selects: (rules for the project's
    driver, global optimizers).  Local optimizers become rules tagged with their name,
    their tags and the slot's name, so ``optimizer_excluding`` / ``Mode.excluding`` find
    them; the rule of each local optimizer is made once."""
    db = optdb.__db__.get(slot)
    if not db:
        return [], []
    db = next(iter(db))
    if isinstance(db, TopoDB):
        db = db.db
    if not isinstance(db, DB) or not db._names:
        return [], []
    chosen = DB.__query__(db, Query(include=list(include), exclude=list(exclude)))
    builtin = db.__dict__.get("_builtin_names", ())
    rules, globals_ = [], []
    for obj in chosen:
        if getattr(obj, "name", None) in builtin:
            continue
        if isinstance(obj, LocalOptimizer):
            rules.append(_rule_of(db, obj))
        elif isinstance(obj, Optimizer):
            globals_.append(obj)
    return rules, globals_


def _tags_of(db, obj):
    return tuple(tag for tag, objs in db.__db__.items() if obj in objs)


def _rule_of(db, lopt):
    tags = _tags_of(db, lopt)
    cached = lopt.__dict__.get("_compat_rule")
    if cached is not None and cached[0] == tags:
        return cached[1]
    rule = as_rule(lopt, name=lopt.name, tags=tags)
    lopt.__dict__["_compat_rule"] = (tags, rule)
    return rule


def registered_steps(include, exclude=()):
    """[(position, name, optimizer)]: the entries users registered directly in `optdb`
    (not in one of its slots) that a query with `include` / `exclude` selects, ordered
    by position (a DB registered there gives the optimizer its query builds)."""
    q = Query(include=list(include), exclude=list(exclude))
    selected = {}
    for tag in q.include:
        selected.update(optdb.__db__.get(tag, {}))
    for tag in q.exclude:
        drop = optdb.__db__.get(tag, {})
        selected = {o: None for o in selected if o not in drop}
    steps = []
    for obj in selected:
        name = obj.name
        if name in BUILTIN_SLOTS:
            continue
        if isinstance(obj, DB):
            obj = obj.query(q)
        steps.append((optdb.position(name), name, obj))
    return sorted(steps, key=lambda s: (s[0], s[1]))
