"""theano.compile.function: ``function`` (Theano's ``theano.function``) and ``function_dump``.

As in Theano, ``theano.compile.function`` is the function (the package binds the name
after importing this module).  Should an ``import theano.compile.function`` statement
bind the module there instead, the module is callable too and calls `function`.
"""

from __future__ import annotations

import pickle
import sys
import types

from ..graph.basic import Apply, Variable
from .function_module import compile_function, orig_function
from .pfunc import pfunc

__all__ = ["function", "function_dump", "orig_function", "pfunc"]


def function_dump(filename, inputs, outputs=None, mode=None, updates=None, givens=None,
                  no_default_updates=False, accept_inplace=False, name=None,
                  rebuild_strict=True, allow_input_downcast=None, profile=None,
                  on_unused_input=None, extra_tag_to_remove=None):
    """Pickle the arguments of a ``theano.function`` call into `filename`, to reproduce a
    compilation elsewhere: ``theano.function(**pickle.load(open(filename, 'rb')))``.

    Shared variables are saved with their values.  The tags ``trace`` and
    ``test_value`` (and those in `extra_tag_to_remove`) are left out of the pickle.
    """
    if not isinstance(filename, str):
        raise AssertionError(f"function_dump: filename must be a string, got {filename!r}")
    d = dict(inputs=inputs, outputs=outputs, mode=mode, updates=updates, givens=givens,
             no_default_updates=no_default_updates, accept_inplace=accept_inplace,
             name=name, rebuild_strict=rebuild_strict,
             allow_input_downcast=allow_input_downcast, profile=profile,
             on_unused_input=on_unused_input)
    with open(filename, "wb") as f:
        _StripPickler(f, protocol=pickle.HIGHEST_PROTOCOL,
                      extra_tag_to_remove=extra_tag_to_remove).dump(d)


class _StripPickler(pickle.Pickler):
    """A pickler leaving the tags ``trace``, ``test_value`` (and the extra ones) out of
    every variable and node (Theano's ``misc.pkl_utils.StripPickler``)."""

    def __init__(self, file, protocol=0, extra_tag_to_remove=None):
        super().__init__(file, protocol)
        self.tag_to_remove = ["trace", "test_value"] + list(extra_tag_to_remove or ())

    def reducer_override(self, obj):
        if isinstance(obj, (Variable, Apply)):
            tag = getattr(obj, "tag", None)
            d = getattr(tag, "__dict__", None)
            if d:
                for name in self.tag_to_remove:
                    d.pop(name, None)
        return NotImplemented


def function(inputs, outputs=None, mode=None, updates=None, givens=None,
             no_default_updates=False, accept_inplace=False, name=None, rebuild_strict=True,
             allow_input_downcast=None, profile=None, on_unused_input=None):
    """Compile a callable computing `outputs` from `inputs` (Theano's ``theano.function``).

    `inputs`: a list of Variables, Ins, or Theano's tuple specifications (``(x, 2.0)``
    for a default, ``((s, s + x), 0.0)`` for a state with its update, with an optional
    leading name); `outputs`: a Variable, an Out, a list of them, a dict of them (the
    call returns a dict), or None; `updates`: {shared: expression} or pairs, computed
    from the values before the call; `givens`: {variable: replacement} substituted before
    compiling; `no_default_updates`: True, or the shared variables whose
    ``default_update`` is not applied; `mode`: a Mode or its name; `name`: shown in
    errors and profiles (default: the file and line of the call); `allow_input_downcast`:
    whether inputs may lose precision when converted; `profile`: True, a name or a
    ProfileStats; `on_unused_input`: 'raise', 'warn' or 'ignore'.
    """
    if updates is None:
        updates = []
    if givens is None:
        givens = []
    if not isinstance(inputs, (list, tuple)):
        raise TypeError(
            "Input variables of a Theano function should be contained in a list, even when "
            f"there is a single input (got {inputs!r}).")
    uses_tuple = any(isinstance(i, (list, tuple)) for i in inputs)
    if uses_tuple:
        # Theano's "old semantics": no updates, givens nor profile with tuple specs.
        if profile:
            raise NotImplementedError("profiling not supported in old-style function")
        if updates or givens:
            raise NotImplementedError(
                "In() instances and tuple inputs trigger the old semantics, which disallow "
                "using updates and givens")
        return orig_function(inputs, outputs, mode=mode, accept_inplace=accept_inplace,
                             name=name, on_unused_input=on_unused_input)
    if isinstance(outputs, dict) and not all(isinstance(k, str) for k in outputs):
        raise AssertionError("The keys of a dict of outputs must be strings")
    return compile_function(inputs, outputs, mode=mode, updates=updates, givens=givens,
                            no_default_updates=no_default_updates,
                            accept_inplace=accept_inplace, name=name,
                            rebuild_strict=rebuild_strict,
                            allow_input_downcast=allow_input_downcast, profile=profile,
                            on_unused_input=on_unused_input)


class _CallableModule(types.ModuleType):
    """This module's class: calling it calls `function` (see the module docstring)."""

    def __call__(self, *args, **kwargs):
        return function(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule

from .legacy_names import lazy_names, string_types  # noqa: F401,E402 - Theano's names

__getattr__, __dir__ = lazy_names(__name__, {"compat": ("theano_compat.compat", None)})
