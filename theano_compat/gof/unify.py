"""theano.gof.unify: unification of patterns holding unification variables.

Two expressions (nested lists, tuples, dicts and plain values) that contain unification
variables *unify* when some assignment of the variables makes them equal: ``[5, A, B]``
and ``[A, C, 9]`` unify with A = C = 5 and B = 9, giving ``[5, 5, 9]``;
``[5, [A, B]]`` and ``[A, [1, 2]]`` do not.  ``unify(a, b)`` returns ``(merged,
Unification)`` or ``(None, False)``.

The variables: `FreeVariable` (any value; ``Var``/``V`` make one per name), a
`BoundVariable` (one value), an `OrVariable` (one of some options; ``OrV``), a
`NotVariable` (anything but some values; ``NV``), and `VariableInList` (matched against
a list, it unifies its variable with "one of the list's elements").

`unify_walk` and `unify_merge` are extended per pair of types with
``theano.gof.utils.comm_guard``, as in Theano: the definitions below are tried from the
last one up, and a definition returning ``FALL_THROUGH`` passes to the previous one.
A class may also define ``__unify_walk__(other, U)`` / ``__unify_merge__(other, U)``.
"""

from __future__ import annotations

from copy import copy
from functools import partial

from .utils import ANY_TYPE, FALL_THROUGH, comm_guard, iteritems  # noqa: F401


class Variable:
    """The base of unification variables (not the graph's Variable: this one stands
    for a value in a pattern)."""

    __module__ = "theano.gof.unify"  # Theano's path: reprs and pickles

    def __init__(self, name="?"):
        self.name = name

    def __str__(self):
        fields = ", ".join(f"{key}={value}" for key, value in self.__dict__.items())
        return f"{type(self).__name__}({fields})"

    def __repr__(self):
        return str(self)


class FreeVariable(Variable):
    """A variable that can take any value."""

    __module__ = "theano.gof.unify"  # Theano's path: reprs and pickles


class BoundVariable(Variable):
    """A variable bound to ``value``."""

    __module__ = "theano.gof.unify"  # Theano's path: reprs and pickles

    def __init__(self, name, value):
        super().__init__(name=name)
        self.value = value


class OrVariable(Variable):
    """A variable that is one of ``options``."""

    __module__ = "theano.gof.unify"  # Theano's path: reprs and pickles

    def __init__(self, name, options):
        super().__init__(name=name)
        self.options = options


class NotVariable(Variable):
    """A variable that is anything but one of ``not_options``."""

    __module__ = "theano.gof.unify"  # Theano's path: reprs and pickles

    def __init__(self, name, not_options):
        super().__init__(name=name)
        self.not_options = not_options


class VariableInList:  # not a Variable: it stands for a whole list
    """Matched against a list or tuple, unifies ``variable`` with an OrVariable of the
    list's elements."""

    __module__ = "theano.gof.unify"  # Theano's path: reprs and pickles

    def __init__(self, variable):
        self.variable = variable


_all = {}


def var_lookup(vartype, name, *args, **kwargs):
    """The variable of class `vartype` named `name`, made (with `args`) the first time."""
    sig = (vartype, name)
    if sig not in _all:
        _all[sig] = vartype(name, *args)
    return _all[sig]


Var = partial(var_lookup, FreeVariable)
V = Var
OrV = partial(var_lookup, OrVariable)
NV = partial(var_lookup, NotVariable)


class Unification:
    """Which variables are unified with which: each variable maps to ``(best, pool)``,
    `pool` being the variables that must have the same value and `best` the Variable
    standing for the values they can all take.

    `merge` returns a new Unification (so a failed branch can backtrack) unless
    `inplace`.
    """

    __module__ = "theano.gof.unify"  # Theano's path: reprs and pickles

    def __init__(self, inplace=False):
        self.unif = {}
        self.inplace = inplace

    def merge(self, new_best, *vars):  # noqa: A002 - Theano's signature
        """Unify `vars` with each other, all now represented by `new_best`."""
        if self.inplace:
            U = self
        else:
            U = Unification(self.inplace)
            U.unif.update(self.unif)
        pool = set(vars)
        pool.add(new_best)
        for var in copy(pool):
            pool.update(U.unif.get(var, (var, set()))[1])
        for var in pool:
            U.unif[var] = (new_best, pool)
        return U

    def __getitem__(self, v):
        """The Variable standing for the tightest set of values `v` can take."""
        return self.unif.get(v, (v, None))[0]


# -------------------------------------------------------------------------- unify_walk


def unify_walk(a, b, U):
    """`U` extended so that `a` and `b` unify, or False.  The default: values of the
    same class that compare equal unify."""
    if a.__class__ != b.__class__:
        return False
    if a == b:
        return U
    return False


@comm_guard(FreeVariable, ANY_TYPE)
def unify_walk(fv, o, U):  # noqa: F811
    """A free variable is bound to the value."""
    return U.merge(BoundVariable("?", o), fv)


@comm_guard(BoundVariable, ANY_TYPE)
def unify_walk(bv, o, U):  # noqa: F811
    """A bound variable unifies with its value."""
    return U if bv.value == o else False


@comm_guard(OrVariable, ANY_TYPE)
def unify_walk(ov, o, U):  # noqa: F811
    """An OrVariable unifies with one of its options."""
    if o in ov.options:
        return U.merge(BoundVariable("?", o), ov)
    return False


@comm_guard(NotVariable, ANY_TYPE)
def unify_walk(nv, o, U):  # noqa: F811
    """A NotVariable unifies with anything but its forbidden values."""
    if o in nv.not_options:
        return False
    return U.merge(BoundVariable("?", o), nv)


@comm_guard(FreeVariable, Variable)
def unify_walk(fv, v, U):  # noqa: F811
    """A free variable joins the other variable's pool."""
    return U.merge(U[v], fv)


@comm_guard(BoundVariable, Variable)
def unify_walk(bv, v, U):  # noqa: F811
    """The other variable is unified with the bound value."""
    return unify_walk(v, bv.value, U)


@comm_guard(OrVariable, OrVariable)
def unify_walk(a, b, U):  # noqa: F811
    """Two OrVariables: the options both allow."""
    opt = a.options.intersection(b.options)
    if not opt:
        return False
    v = BoundVariable("?", opt[0]) if len(opt) == 1 else OrVariable("?", opt)
    return U.merge(v, a, b)


@comm_guard(NotVariable, NotVariable)
def unify_walk(a, b, U):  # noqa: F811
    """Two NotVariables: everything neither forbids."""
    return U.merge(NotVariable("?", a.not_options.union(b.not_options)), a, b)


@comm_guard(OrVariable, NotVariable)
def unify_walk(o, n, U):  # noqa: F811
    """The options of the OrVariable the NotVariable does not forbid."""
    opt = [x for x in o.options if x not in n.not_options]
    if not opt:
        return False
    v = BoundVariable("?", opt[0]) if len(opt) == 1 else OrVariable("?", opt)
    return U.merge(v, o, n)


@comm_guard(VariableInList, (list, tuple))
def unify_walk(vil, lst, U):  # noqa: F811
    """The inner variable is one of the list's elements."""
    return unify_walk(vil.variable, OrVariable("?", lst), U)


@comm_guard((list, tuple), (list, tuple))
def unify_walk(l1, l2, U):  # noqa: F811
    """Sequences of the same length unify element by element."""
    if len(l1) != len(l2):
        return False
    for x1, x2 in zip(l1, l2):
        U = unify_walk(x1, x2, U)
        if U is False:
            return False
    return U


@comm_guard(dict, dict)
def unify_walk(d1, d2, U):  # noqa: F811
    """Dicts unify on the values of the keys both have."""
    for k1, v1 in d1.items():
        if k1 in d2:
            U = unify_walk(v1, d2[k1], U)
            if U is False:
                return False
    return U


@comm_guard(ANY_TYPE, ANY_TYPE)
def unify_walk(a, b, U):  # noqa: F811
    """An object (not a unification variable) with ``__unify_walk__`` decides."""
    if not isinstance(a, Variable) and not isinstance(b, Variable) and \
            hasattr(a, "__unify_walk__"):
        return a.__unify_walk__(b, U)
    return FALL_THROUGH


@comm_guard(Variable, ANY_TYPE)
def unify_walk(v, o, U):  # noqa: F811
    """A variable already unified stands for what it was unified with."""
    best_v = U[v]
    if v is not best_v:
        # The other object first: if it is a variable too, this rule runs for it.
        return unify_walk(o, best_v, U)
    return FALL_THROUGH


class FVar:
    """A value computed from unified variables: ``fn(*args)`` with each argument built
    from the Unification (`unify_build`)."""

    __module__ = "theano.gof.unify"  # Theano's path: reprs and pickles

    def __init__(self, fn, *args):
        self.fn = fn
        self.args = args

    def __call__(self, u):
        return self.fn(*[unify_build(arg, u) for arg in self.args])


# -------------------------------------------------------------------------- unify_merge


def unify_merge(a, b, U):
    """The expression `a` and `b` unify into, given `U`.  The default: `a`."""
    return a


@comm_guard(Variable, ANY_TYPE)
def unify_merge(v, o, U):  # noqa: F811
    return v


@comm_guard(BoundVariable, ANY_TYPE)
def unify_merge(bv, o, U):  # noqa: F811
    return bv.value


@comm_guard(VariableInList, (list, tuple))
def unify_merge(vil, lst, U):  # noqa: F811
    return [unify_merge(x, x, U) for x in lst]


@comm_guard((list, tuple), (list, tuple))
def unify_merge(l1, l2, U):  # noqa: F811
    return [unify_merge(x1, x2, U) for x1, x2 in zip(l1, l2)]


@comm_guard(dict, dict)
def unify_merge(d1, d2, U):  # noqa: F811
    d = d1.__class__()
    for k1, v1 in d1.items():
        d[k1] = unify_merge(v1, d2[k1], U) if k1 in d2 else unify_merge(v1, v1, U)
    for k2, v2 in d2.items():
        if k2 not in d1:
            d[k2] = unify_merge(v2, v2, U)
    return d


@comm_guard(FVar, ANY_TYPE)
def unify_merge(vs, o, U):  # noqa: F811
    return vs(U)


@comm_guard(ANY_TYPE, ANY_TYPE)
def unify_merge(a, b, U):  # noqa: F811
    if not isinstance(a, Variable) and not isinstance(b, Variable) and \
            hasattr(a, "__unify_merge__"):
        return a.__unify_merge__(b, U)
    return FALL_THROUGH


@comm_guard(Variable, ANY_TYPE)
def unify_merge(v, o, U):  # noqa: F811
    best_v = U[v]
    if v is not best_v:
        return unify_merge(o, best_v, U)
    return FALL_THROUGH


def unify_build(x, U):
    """`x` with its unified variables replaced by their values."""
    return unify_merge(x, x, U)


def unify(a, b):
    """``(merged expression, Unification)`` when `a` and `b` unify, else ``(None,
    False)``."""
    U = unify_walk(a, b, Unification())
    if not U:
        return None, False
    return unify_merge(a, b, U), U
