"""Compilation modes: which rewrite pipeline runs (Theano's Mode, FAST_RUN, FAST_COMPILE)."""

from __future__ import annotations

from ..config import config
from .pipeline import PIPELINES, describe, run_pipeline


class Mode:
    """A compilation mode: an optimizer name plus included/excluded rule names."""

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
        args = dict(linker=self.linker, optimizer=self.optimizer, including=self.included,
                    excluding=self.excluded, requiring=self.required)
        args.update(kw)
        return Mode(**args)

    def including(self, *tags):
        return self._with(including=self.included + tags)

    def excluding(self, *tags):
        return self._with(excluding=self.excluded + tags)

    def requiring(self, *tags):
        return self._with(requiring=self.required + tags)

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
        return f"Mode(linker={self.linker}, optimizer={self.optimizer})"

    __repr__ = __str__


FAST_RUN = Mode(linker="py", optimizer="fast_run")
FAST_COMPILE = Mode(linker="py", optimizer="fast_compile")

_PREDEFINED = {
    "FAST_RUN": "fast_run",
    "FAST_COMPILE": "fast_compile",
    "Mode": None,
    "DebugMode": "fast_run",
    "DEBUG_MODE": "fast_run",
    "ProfileMode": "fast_run",
    "PROFILE_MODE": "fast_run",
    "NanGuardMode": "fast_run",
}


def get_mode(mode):
    """A Mode object for a mode argument (None, a name, or a Mode)."""
    if isinstance(mode, Mode):
        return mode
    if mode is None:
        mode = config.mode
    if mode in _PREDEFINED:
        opt = _PREDEFINED[mode]
        base = Mode(optimizer="default" if opt is None else opt)
    elif isinstance(mode, str) and mode.lower() in PIPELINES:
        base = Mode(optimizer=mode.lower())
    else:
        raise ValueError(f"Unknown mode {mode!r}")
    extra_in = tuple(t for t in config.optimizer_including.split(":") if t)
    extra_ex = tuple(t for t in config.optimizer_excluding.split(":") if t)
    extra_req = tuple(t for t in config.optimizer_requiring.split(":") if t)
    if extra_in or extra_ex or extra_req:
        base = base._with(including=base.included + extra_in,
                          excluding=base.excluded + extra_ex,
                          requiring=base.required + extra_req)
    return base


def get_default_mode():
    return get_mode(None)
