"""Undo `AddConfigVar`: tests that register a flag remove it again, so the flag table is
the same for every test (and the registering test can run twice in one process).

Takes the config module as an argument and imports nothing of the package:
tests/unit/test_config.py loads ``theano_compat.config`` on its own when the rest of the
package does not import.
"""


def forget_flag(name, cm):
    """Remove flag `name` (added with ``cm.AddConfigVar``) from the config module `cm`,
    with the sections only it used."""
    param = cm._FLAGS.pop(name)
    cm._FLAGS_LC.pop(name.lower(), None)
    for node, attr in param.homes:
        node._params.pop(attr, None)
        node.__dict__.pop(attr, None)
    parts = name.split(".")
    for depth in range(len(parts) - 1, 0, -1):   # empty sections, innermost first
        parent = cm.config
        for part in parts[: depth - 1]:
            parent = parent.__dict__[part]
        section = parent.__dict__.get(parts[depth - 1])
        if isinstance(section, cm._Node) and not section._params and not any(
                isinstance(v, cm._Node) for v in section.__dict__.values()):
            del parent.__dict__[parts[depth - 1]]
