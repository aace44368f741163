"""Loading objects that Theano 1.0.5 pickled: its classes' stored state onto this project's.

Theano pickled most graph objects (Ops, Types, variables) as their ``__dict__``.  The class
paths resolve here to this project's classes, but the attributes Theano stored are not
always the ones these classes keep.  The ``__setstate__`` of the base classes (Op, Type)
calls `restore`: a state holding every attribute a freshly made object of the class has
(what this project's own pickles store) is set as it is; a state lacking some of them
(Theano's) is completed from a fresh object made from the state's ``__props__`` (the
constructor arguments Theano and this project share), whose attributes win.

Loading through `theano.misc.pkl_utils.load` or `theano_compat.load_model` adds the
allow-list check of ``misc/pkl_safe.py`` and makes `restore` strict (see
`_restore_strictly`).
"""

from __future__ import annotations

import contextlib
import inspect
import pickle
import threading

__all__ = ["canonical", "from_props", "loading_untrusted", "restore", "set_default_state",
           "untrusted"]


def set_default_state(obj, state):
    """What pickle does without ``__setstate__``: ``__dict__`` update, then slot values."""
    slots = None
    if isinstance(state, tuple) and len(state) == 2:
        state, slots = state
    if state:
        obj.__dict__.update(state)
    if slots:
        for key, value in slots.items():
            setattr(obj, key, value)


def from_props(obj, state):
    """A fresh object of ``type(obj)`` made from the constructor arguments found in
    `state` (its ``__init__`` parameters that the state names: Theano's ``__props__``)."""
    cls = type(obj)
    params = _init_params(cls)
    return cls(**{p: canonical(state[p]) for p in params if p in state})


def canonical(value):
    """The shared object a loaded Theano object stands for, when its class's ``make``
    recorded one as ``_pickle_canonical`` (the table's scalar op ``add`` for a loaded
    ``Add``), or `value` itself."""
    return getattr(value, "__dict__", {}).get("_pickle_canonical", value)


def _init_params(cls):
    try:
        return _PARAMS[cls]
    except KeyError:
        pass
    try:
        sig = inspect.signature(cls.__init__)
    except (TypeError, ValueError):
        names = ()
    else:
        names = tuple(p.name for p in list(sig.parameters.values())[1:]
                      if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY))
    _PARAMS[cls] = names
    return names


def _restore_strictly(obj, state, make):
    """`restore` for a file not trusted: the object is what its class makes of the
    constructor arguments in the state.  Stored attributes the fresh object also has, or
    that would hide a class attribute, are dropped: a stored ``py_form`` (code text the
    linker inlines) cannot replace the table's.  An object its class cannot make again
    is refused."""
    try:
        fresh = make(obj, state)
    except Exception as exc:
        raise pickle.UnpicklingError(
            f"refused {type(obj).__module__}.{type(obj).__qualname__}: cannot be made again "
            f"from its stored state ({type(exc).__name__}: {exc}); load with trusted=True "
            "only if you trust the file") from exc
    fresh_state = getattr(fresh, "__dict__", {})
    cls = type(obj)
    extra = {k: v for k, v in state.items()
             if k not in fresh_state and not hasattr(cls, k) and k != "_pickle_canonical"}
    canon = obj.__dict__.get("_pickle_canonical")  # set by `make` (not by the file)
    if canon is state.get("_pickle_canonical"):
        canon = None
    obj.__dict__.clear()
    obj.__dict__.update(extra)
    obj.__dict__.update(fresh_state)
    if canon is not None:
        obj.__dict__["_pickle_canonical"] = canon


@contextlib.contextmanager
def untrusted():
    """While loading a file not trusted (misc/pkl_safe.py): `restore` is strict."""
    prev = getattr(_LOADING, "untrusted", False)
    _LOADING.untrusted = True
    try:
        yield
    finally:
        _LOADING.untrusted = prev


def loading_untrusted():
    return getattr(_LOADING, "untrusted", False)


_LOADING = threading.local()
_PARAMS: dict = {}
_KEYS: dict = {}  # {class: the attributes a fresh object of it had}


def restore(obj, state, make=from_props):
    """``obj.__setstate__(state)`` for this project's pickles and Theano 1.0.5's (see the
    module docstring).  `make(obj, state)` returns the fresh object; when it fails the
    state is set as stored."""
    set_default_state(obj, state)
    if not isinstance(state, dict):
        return
    if loading_untrusted():
        _restore_strictly(obj, state, make)
        return
    for key, value in state.items():  # loaded Theano scalar ops -> the table's
        if canonical(value) is not value:
            obj.__dict__[key] = canonical(value)
    known = _KEYS.get(type(obj))
    if known is not None and known <= state.keys():
        return  # this project's state (no object made: copies stay cheap)
    try:
        fresh = make(obj, state)
    except Exception:  # noqa: BLE001 - an object that cannot be remade keeps its state
        return
    fresh_state = getattr(fresh, "__dict__", None)
    if fresh_state is None:
        return
    if type(fresh) is type(obj):
        _KEYS.setdefault(type(obj), frozenset(fresh_state))
    if fresh_state.keys() <= state.keys():
        return
    obj.__dict__.update(fresh_state)
