"""A fixture helper that undoes what a test registers in ``theano.compile.optdb``
(registrations are global: a rule a test registers would run in every later compile)."""

from __future__ import annotations

import contextlib

from theano_compat.graph import optdb as _optdb

_STATE = ("__db__", "_names", "__position__", "__final__", "__cleanup__")


def _dbs():
    out = [_optdb.optdb, _optdb.local_useless]
    for objs in list(_optdb.optdb.__db__.values()):
        for obj in objs:
            if isinstance(obj, _optdb.DB) and obj not in out:
                out.append(obj)
    return out


@contextlib.contextmanager
def registrations_undone():
    """Run the body, then put every optdb DB back as it was."""
    saved = []
    for db in _dbs():
        state = {}
        for attr in _STATE:
            value = db.__dict__.get(attr)
            if isinstance(value, dict):
                state[attr] = {k: (dict(v) if isinstance(v, dict) else v)
                               for k, v in value.items()}
            elif isinstance(value, set):
                state[attr] = set(value)
        saved.append((db, state))
    try:
        yield
    finally:
        for db, state in saved:
            db.__dict__.update(state)
