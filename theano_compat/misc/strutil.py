"""theano.misc.strutil: helpers for the C-code templates of Theano's Ops (pure string
functions, usable by Ops that still build such strings)."""


xrange = range   # six.moves.xrange, which Theano's module imported


def render_string(string, sub):
    """``string % sub``; when that fails, the exception names the shortest prefix of
    `string` that fails the same way ("...<<<< caused exception ...")."""
    try:
        return string % sub
    except Exception as first:
        for i in range(len(string) + 1):
            try:
                string[:i] % sub
            except Exception as err:
                if str(err) == str(first):
                    raise Exception(string[:i] + "<<<< caused exception " + str(err)) from None
        raise


def strip_leading_white_space(line):
    """`line` without its leading spaces and tabs."""
    return line.lstrip(" \t")


def pretty_format(string):
    """Re-indent C-like code: four spaces per level of open ``{``."""
    lines = [strip_leading_white_space(line) for line in string.split("\n")]
    indent = 0
    for i, line in enumerate(lines):
        indent = max(indent - line.count("}"), 0)
        lines[i] = "    " * indent + line
        indent += line.count("{")
    return "\n".join(lines)
