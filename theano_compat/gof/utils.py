"""theano.gof.utils: Theano 1.0.5's small graph helpers (facade plus the pure-Python helpers
themselves).

Stack traces (``simple_extract_stack``, ``add_tag_trace``, ``get_variable_trace_string``),
the ``__props__`` metaclass (``MetaObject``, ``object2``), sequence helpers (``uniq``,
``difference``, ``flatten``, ``toposort``, ``remove``, ``hist``, ``unique``), caching and
deprecation decorators (``memoize``, ``deprecated``), hashing (``hashtype``,
``hash_from_code``, ``hash_from_file``), the ``Keyword`` markers and the ``comm_guard`` /
``type_guard`` dispatch decorators, ``scratchpad`` (the class of ``variable.tag``) and
``MethodNotDefined``.
"""

import functools
import hashlib
import linecache
import sys
import traceback
from io import StringIO

import numpy as np  # noqa: F401 - a name Theano's module had

from ..config import config
from ..errors import MethodNotDefined  # noqa: F401
from ..utils import Scratchpad as scratchpad  # noqa: F401

PY3 = True
integer_types = (int,)
string_types = (str,)


def iteritems(d, **kw):
    """six.iteritems: the items of a dict, as an iterator."""
    return iter(d.items(**kw))


def with_metaclass(meta, *bases):
    """six.with_metaclass: a base class that gives its subclasses the metaclass `meta`."""

    class _Temporary(meta):
        def __new__(cls, name, this_bases, d):
            return meta(name, bases, d)

    return type.__new__(_Temporary, "temporary_class", (), {})


# --------------------------------------------------------------------------- stack traces


def simple_extract_stack(f=None, limit=None, skips=()):
    """The stack as (filename, lineno, function name, line) tuples, outermost first.

    `f`: the innermost frame (default: the caller's).  `limit`: how many frames at most
    (None: all, or sys.tracebacklimit).  `skips`: substrings of file names whose frames are
    dropped while they are innermost (frames of files whose name contains 'tests' are kept).
    Source lines are read without checking the files' modification times.
    """
    if f is None:
        f = sys._getframe(1)
    if limit is None:
        limit = getattr(sys, "tracebacklimit", None)
    trace = []
    while f is not None and (limit is None or len(trace) < limit):
        co = f.f_code
        filename, lineno, name, module_globals = co.co_filename, f.f_lineno, co.co_name, \
            f.f_globals
        f = f.f_back
        if not trace and any(p in filename and "tests" not in filename for p in skips):
            continue
        line = linecache.getline(filename, lineno, module_globals).strip() or None
        trace.append((filename, lineno, name, line))
    trace.reverse()
    return trace


# The frames add_tag_trace skips: those of Theano's library folders (so the trace starts in
# the user's code), under the theano alias or this package.
_TRACE_SKIPS = [f"{root}{sep}{folder}{sep}"
                for root in ("theano", "theano_compat")
                for folder in ("tensor", "compile", "gof", "sandbox", "scan_module", "sparse",
                               "typed_list", "graph", "scalar", "link", "scan", "backend")
                for sep in ("/", "\\")]


def add_tag_trace(thing, user_line=None):
    """Set ``thing.tag.trace`` to ``[stack]``, the stack where `thing` is being built (user
    frames; at most `user_line` of them, default ``config.traceback.limit``, -1 for all).
    With ``config.traceback.compile_limit > 0`` library frames are kept too.  Returns
    `thing`."""
    if user_line is None:
        user_line = config.traceback.limit
    if user_line == -1:
        user_line = None
    skips = [] if config.traceback.compile_limit > 0 else _TRACE_SKIPS
    tr = simple_extract_stack(sys._getframe(1), limit=user_line, skips=skips)
    thing.tag.trace = [tr] if tr else tr
    return thing


def get_variable_trace_string(v):
    """The text Theano appends to errors: where variable `v` was created ('' if unknown)."""
    sio = StringIO()
    tr = getattr(v.tag, "trace", [])
    if isinstance(tr, list) and tr:
        print(" \nBacktrace when that variable is created:\n", file=sio)
        if isinstance(tr[0], tuple):   # an old single trace
            traceback.print_list(tr, sio)
        else:
            for idx, subtr in enumerate(tr):
                if len(tr) > 1:
                    print(f"trace {idx}", file=sio)
                traceback.print_list(subtr, sio)
    return sio.getvalue()


# --------------------------------------------------------------------------- objects


def hashtype(self):
    """A hash of the type of `self` (its name and module)."""
    t = type(self)
    return hash(t.__name__) ^ hash(t.__module__)


undef = object()   # marks an undefined parameter where None is a valid value


class MetaObject(type):
    """The metaclass of ``object2``: a class declaring ``__props__`` (a tuple of attribute
    names) gets ``_props()``, ``_props_dict()`` and, unless it defines them, ``__eq__``,
    ``__hash__`` and ``__str__`` over those attributes."""

    __module__ = "theano.gof.utils"  # Theano's path: reprs and pickles

    def __new__(cls, name, bases, dct):
        props = dct.get("__props__", None)
        if props is not None:
            if not isinstance(props, tuple):
                raise TypeError("__props__ has to be a tuple")
            if not all(isinstance(p, str) for p in props):
                raise TypeError("elements of __props__ have to be strings")

            def _props(self):
                """The values of the ``__props__`` attributes, as a tuple."""
                return tuple(getattr(self, a) for a in props)

            def _props_dict(self):
                """The ``__props__`` attributes as a dict name -> value."""
                return {a: getattr(self, a) for a in props}

            dct["_props"] = _props
            dct["_props_dict"] = _props_dict
            if "__hash__" not in dct:
                dct["__hash__"] = lambda self: hash((type(self), _props(self)))
            if "__eq__" not in dct:
                dct["__eq__"] = lambda self, other: (type(self) is type(other)
                                                     and _props(self) == _props(other))
            if "__str__" not in dct:
                if props:
                    def __str__(self):
                        return "{}{{{}}}".format(
                            type(self).__name__,
                            ", ".join(f"{p}={getattr(self, p)!r}" for p in props))
                else:
                    def __str__(self):
                        return type(self).__name__
                dct["__str__"] = __str__
        return type.__new__(cls, name, bases, dct)


class object2(with_metaclass(MetaObject, object)):
    """A base class with MetaObject's ``__props__`` support and ``!=`` as ``not ==``."""

    __module__ = "theano.gof.utils"  # Theano's path: reprs and pickles

    __slots__ = []

    def __ne__(self, other):
        return not self == other


class D:
    """A plain attribute bag: ``D(a=1).a == 1``."""

    __module__ = "theano.gof.utils"  # Theano's path: reprs and pickles

    def __init__(self, **d):
        self.__dict__.update(d)


class Keyword:
    """A named marker (``ABORT``, ``ANY_TYPE``...) with a fixed truth value."""

    __module__ = "theano.gof.utils"  # Theano's path: reprs and pickles

    def __init__(self, name, nonzero=True):
        self.name = name
        self.nonzero = nonzero

    def __bool__(self):
        return self.nonzero

    __nonzero__ = __bool__

    def __str__(self):
        return f"<{self.name}>"

    __repr__ = __str__


ABORT = Keyword("ABORT", False)
RETRY = Keyword("RETRY", False)
FAILURE = Keyword("FAILURE", False)
ANY_TYPE = Keyword("ANY_TYPE")
FALL_THROUGH = Keyword("FALL_THROUGH")

simple_types = integer_types + string_types + (float, bool, type(None), Keyword)


# --------------------------------------------------------------------------- decorators


def memoize(f):
    """Cache `f`'s result per (positional arguments, keyword arguments); all hashable."""
    cache = {}

    def rval(*args, **kwargs):
        key = (args, tuple(kwargs.items()))
        if key not in cache:
            cache[key] = f(*args, **kwargs)
        return cache[key]

    return rval


def deprecated(filename, msg=""):
    """Decorator: the first call prints ``WARNING: <filename>.<name> deprecated. <msg>``."""

    def _deprecated(f):
        printme = [True]

        @functools.wraps(f)
        def g(*args, **kwargs):
            if printme[0]:
                print(f"WARNING: {filename}.{f.__name__} deprecated. {msg}")
                printme[0] = False
            return f(*args, **kwargs)

        return g

    return _deprecated


def _typename(t):
    if isinstance(t, Keyword):
        return str(t)
    if isinstance(t, (tuple, list)):
        return "(" + ", ".join(x.__name__ for x in t) + ")"
    return t.__name__


def comm_guard(type1, type2):
    """Decorator extending the function of the same name already defined in the module of
    the decorated one: the new body runs when the two first arguments are instances of
    (type1, type2), in either order (swapped to that order); otherwise, or when it returns
    FALL_THROUGH, the previous definition runs.  ANY_TYPE matches anything."""

    def wrap(f):
        old_f = f.__globals__[f.__name__]

        def new_f(arg1, arg2, *rest):
            if ((type1 is ANY_TYPE or isinstance(arg1, type1))
                    and (type2 is ANY_TYPE or isinstance(arg2, type2))):
                pass
            elif ((type1 is ANY_TYPE or isinstance(arg2, type1))
                  and (type2 is ANY_TYPE or isinstance(arg1, type2))):
                arg1, arg2 = arg2, arg1
            else:
                return old_f(arg1, arg2, *rest)
            variable = f(arg1, arg2, *rest)
            if variable is FALL_THROUGH:
                return old_f(arg1, arg2, *rest)
            return variable

        new_f.__name__ = f.__name__
        new_f.__doc__ = (f"{old_f.__doc__}\n{_typename(type1)}, {_typename(type2)}\n"
                         f"{f.__doc__ or ''}")
        return new_f

    return wrap


def type_guard(type1):
    """As comm_guard for one argument: the new body runs when the first argument is an
    instance of `type1` (and does not return FALL_THROUGH), else the previous definition."""

    def wrap(f):
        old_f = f.__globals__[f.__name__]

        def new_f(arg1, *rest):
            if type1 is ANY_TYPE or isinstance(arg1, type1):
                variable = f(arg1, *rest)
                if variable is not FALL_THROUGH:
                    return variable
            return old_f(arg1, *rest)

        new_f.__name__ = f.__name__
        new_f.__doc__ = f"{old_f.__doc__}\n{_typename(type1)}\n{f.__doc__ or ''}"
        return new_f

    return wrap


# --------------------------------------------------------------------------- sequences


def uniq(seq):
    """The elements of `seq` without repeats, first occurrences in order (no hashing)."""
    return [x for i, x in enumerate(seq) if seq.index(x) == i]


def difference(seq1, seq2):
    r"""The elements of `seq1` not in `seq2` (``seq1 \ seq2``), in order."""
    try:
        if len(seq2) < 4:   # not worth building a set
            raise TypeError
        set2 = set(seq2)
        return [x for x in seq1 if x not in set2]
    except TypeError:   # short, or unhashable elements
        return [x for x in seq1 if x not in seq2]


def to_return_values(values):
    """The single element of a one-element list, else the list."""
    return values[0] if len(values) == 1 else values


def from_return_values(values):
    """`values` as a list or tuple (a single value becomes a one-element list)."""
    return values if isinstance(values, (list, tuple)) else [values]


def toposort(prereqs_d):
    """The keys of `prereqs_d` in an order where each comes after all of
    ``prereqs_d[key]`` (a set of keys); Exception on cycles or unknown prerequisites."""
    seq = []
    done = set()
    postreqs_d = {}
    for x, prereqs in prereqs_d.items():
        for prereq in prereqs:
            postreqs_d.setdefault(prereq, set()).add(x)
    ready = {k for k in prereqs_d if not prereqs_d[k]}
    while ready:
        bases, ready = ready, set()
        for x in bases:
            done.add(x)
            seq.append(x)
        for x in bases:
            for postreq in postreqs_d.get(x, ()):
                if not prereqs_d[postreq].difference(done):
                    ready.add(postreq)
    if len(prereqs_d) != len(seq):
        raise Exception("Cannot sort topologically: there might be cycles, prereqs_d does not "
                        "have a key for each element or some orderings contain invalid "
                        "elements.")
    return seq


def flatten(a):
    """The leaves of nested tuples, lists and sets, as one list (a leaf: ``[a]``)."""
    if isinstance(a, (tuple, list, set)):
        out = []
        for item in a:
            out.extend(flatten(item))
        return out
    return [a]


def unique(x):
    """Whether the elements of `x` are all different (hashable elements)."""
    return len(set(x)) == len(x)


def hist(coll):
    """{element: number of occurrences in coll}."""
    counts = {}
    for elem in coll:
        counts[elem] = counts.get(elem, 0) + 1
    return counts


@deprecated("theano.gof.utils", msg="Use a_theano_variable.auto_name instead")
def give_variables_names(variables):
    """Give the unnamed variables of `variables`, and those sharing a name, distinct names
    (``name_i``); idempotent.  ValueError if their str() still collide."""
    h = hist(var.name for var in variables)

    def bad_var(var):
        return not var.name or h[var.name] > 1

    for i, var in enumerate(filter(bad_var, variables)):
        var.name = (var.name or "") + f"_{i}"
    if not unique([str(v) for v in variables]):
        raise ValueError("Not all variables have unique names. Maybe you've named some of the "
                         "variables identically")
    return variables


def remove(predicate, coll):
    """The items of `coll` for which `predicate` is false, as a list."""
    return [x for x in coll if not predicate(x)]


# --------------------------------------------------------------------------- hashing


def hash_from_code(msg):
    """'m' + the SHA-256 hex digest of `msg` (str, encoded as UTF-8, or bytes-like)."""
    if isinstance(msg, str):
        msg = msg.encode()
    return "m" + hashlib.sha256(msg).hexdigest()


def hash_from_file(file_path):
    """hash_from_code of a file's bytes."""
    with open(file_path, "rb") as f:
        return hash_from_code(f.read())


# The C and C++ keywords (and NULL, _Pragma): names a generated C variable must not take.
c_cpp_keywords = set("""
_Alignas _Alignof _Atomic _Bool _Complex _Generic _Imaginary _Noreturn _Pragma _Static_assert
_Thread_local alignas alignof and and_eq asm auto bitand bitor bool break case catch char
char16_t char32_t class compl const const_cast constexpr continue decltype default delete do
double dynamic_cast else enum explicit export extern false float for friend goto if inline
int long mutable namespace new noexcept not not_eq NULL nullptr operator or or_eq private
protected public register reinterpret_cast restrict return short signed sizeof static
static_assert static_cast struct switch template this thread_local throw true try typedef
typeid typename union unsigned using virtual void volatile wchar_t while xor xor_eq
""".split())
