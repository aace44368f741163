"""Names Theano 1.0.5's compile modules held that come from layers above compile.

Theano's ``theano.compile.*`` modules imported ``theano``, ``theano.gof`` and some of its
modules, so ``theano.compile.function_module.gof`` (and a star import) gave them.  Here
those are facades above this layer: a module lists such names in a table {name: (module
path, attribute or None for the module itself)} and `lazy_names` gives it the module
``__getattr__``/``__dir__`` that find them where ``import theano`` loaded them (no import
upward at load time).
"""

from __future__ import annotations

from ..utils import lazy_names  # noqa: F401 - the tables of compile use it

# The six / Python 2 shims the modules imported (six.iteritems...), in Python 3 spelling.
izip = zip
xrange = range
string_types = (str,)
integer_types = (int,)


def iteritems(d, **kw):
    """six.iteritems: the items of a dict, as an iterator."""
    return iter(d.items(**kw))


def iterkeys(d, **kw):
    """six.iterkeys: the keys of a dict, as an iterator."""
    return iter(d.keys(**kw))


def itervalues(d, **kw):
    """six.itervalues: the values of a dict, as an iterator."""
    return iter(d.values(**kw))


# The modules and names most tables use.
THEANO = ("theano_compat", None)
GOF = ("theano_compat.gof", None)
GOF_GRAPH = ("theano_compat.gof.graph", None)
GOF_UTILS = ("theano_compat.gof.utils", None)
