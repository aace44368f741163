"""Alias package: ``import theano`` gives the ``theano_compat`` package itself.

A meta-path finder maps every ``theano.X.Y`` import onto ``theano_compat.X.Y`` and returns the
*same* module object, so classes, ``isinstance`` checks and pickles agree whichever name the user
imported.  Binding ``sys.modules["theano"]`` alone is not enough: a later ``import theano.tensor``
would then load a second copy of the submodule under another name.
"""

import importlib
import importlib.abc
import importlib.util
import sys
import types

_ALIAS = "theano"
_TARGET = "theano_compat"


class _KeepsNonModuleAttributes(types.ModuleType):
    """A package whose attributes the import system may not replace by a submodule when they
    hold something else: ``theano.config`` is the config object although a module
    ``theano_compat.config`` exists, and ``theano.compile.function`` the function although
    ``theano.compile.function`` is also a module (as in Theano).  Importing such a submodule
    through the alias would otherwise rebind the name to the module (importlib sets the
    parent's attribute after loading)."""

    def __setattr__(self, name, value):
        old = self.__dict__.get(name)
        if isinstance(value, types.ModuleType) and old is not None \
                and not isinstance(old, types.ModuleType):
            return
        super().__setattr__(name, value)


class _AliasLoader(importlib.abc.Loader):
    def __init__(self, target_name):
        self.target_name = target_name

    def create_module(self, spec):
        module = importlib.import_module(self.target_name)
        self._original_spec = module.__spec__
        parent = sys.modules.get(self.target_name.rpartition(".")[0])
        if parent is not None and type(parent) is types.ModuleType:
            parent.__class__ = _KeepsNonModuleAttributes
        return module

    def exec_module(self, module):
        # The target module already ran under its own name.  The import machinery has just
        # stamped the alias spec onto it; put the real one back so reloads and relative
        # imports keep working.
        module.__spec__ = self._original_spec


class _AliasFinder(importlib.abc.MetaPathFinder):
    def find_spec(self, fullname, path=None, target=None):
        if not fullname.startswith(_ALIAS + "."):
            return None
        target_name = _TARGET + fullname[len(_ALIAS) :]
        if importlib.util.find_spec(target_name) is None:
            return None
        return importlib.util.spec_from_loader(fullname, _AliasLoader(target_name))


if not any(isinstance(f, _AliasFinder) for f in sys.meta_path):
    sys.meta_path.insert(0, _AliasFinder())

_compat = importlib.import_module(_TARGET)
sys.modules[_ALIAS] = _compat
