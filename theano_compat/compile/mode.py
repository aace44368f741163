"""Compilation modes: which rewrite pipeline runs (Theano's Mode, FAST_RUN, FAST_COMPILE).

A mode name given to ``theano.function(mode=...)`` or ``THEANO_FLAGS=mode=...`` is looked
up here.  The checking modes (DebugMode, NanGuardMode, MonitorMode) live in modules of
their own that register their names on import (compile/__init__.py imports them), so an
unknown or unsupported name is an error, never another mode.
"""

from __future__ import annotations

import copy

from ..config import config
from .pipeline import PIPELINES, describe, run_pipeline


class Mode:
    """A compilation mode: an optimizer name plus included/excluded rule names.

    Subclasses that run the graph their own way (the checking modes) set `maker_class`
    to a FunctionMaker subclass; None means the generated program.
    """

    maker_class = None

    def __init__(self, linker=None, optimizer="default", including=(), excluding=(),
                 requiring=()):
        if optimizer == "default":
            optimizer = config.optimizer
        if optimizer not in PIPELINES:
            raise ValueError(
                f"Unknown optimizer {optimizer!r}; choose one of "
                f"{sorted(k for k in PIPELINES if k)} or None"
            )
        self.linker = linker
        self.optimizer = optimizer
        self.included = tuple(including)
        self.excluded = tuple(excluding)
        self.required = tuple(requiring)

    @property
    def provided_optimizer(self):
        return self.optimizer

    def _with(self, **kw):
        # A copy, so that a subclass (MonitorMode, DebugMode...) stays what it is and
        # keeps its own settings.
        new = copy.copy(self)
        for key, value in kw.items():
            setattr(new, {"including": "included", "excluding": "excluded",
                          "requiring": "required"}.get(key, key), value)
        return new

    def including(self, *tags):
        return self._with(including=self.included + tags)

    def excluding(self, *tags):
        return self._with(excluding=self.excluded + tags)

    def requiring(self, *tags):
        return self._with(requiring=self.required + tags)

    def clone(self, link_kwargs=None, optimizer="", **kwargs):
        """A copy of this mode, with another optimizer when `optimizer` is given."""
        if optimizer == "":
            return self._with()
        if optimizer == "default":
            optimizer = config.optimizer
        if optimizer not in PIPELINES:
            raise ValueError(f"Unknown optimizer {optimizer!r}")
        return self._with(optimizer=optimizer)

    def pipeline(self):
        """The function rewriting a FunctionGraph for this mode."""
        phases = PIPELINES[self.optimizer]

        def rewrite(fgraph, excluded=self.excluded):
            return run_pipeline(phases, fgraph, excluded, self.required)

        return rewrite

    def describe(self):
        """[(phase, [rule names])] this mode runs, in order (see tools/show_pipeline.py)."""
        return describe(self.optimizer, self.excluded)

    def __str__(self):
        return f"{type(self).__name__}(linker={self.linker}, optimizer={self.optimizer})"

    __repr__ = __str__


FAST_RUN = Mode(linker="py", optimizer="fast_run")
FAST_COMPILE = Mode(linker="py", optimizer="fast_compile")

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
    string"), as do the names of modes Theano 1.0 removed.
    """
    if mode is None:
        mode = config.mode
    if isinstance(mode, Mode):
        base = mode
    elif not isinstance(mode, str):
        raise TypeError(f"mode must be a Mode or the name of one, got {mode!r}")
    elif mode in _BY_CLASS_NAME:
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
    if isinstance(mode, Mode):
        return base
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
