"""Reading a compiled function's generated program (``f.maker.program.source``)."""

import re

# A call whose result goes into one of the program's kept buffers (b<k>): the buffer
# given as ``out=`` (dot, Python-level ops) or as a ufunc's argument after its inputs.
_INTO_BUFFER = re.compile(r"\w+\([^()]*(?:out=|, )b\d+\)")


def buffer_writes(source):
    """How many calls of `source` write their result into a kept buffer."""
    return len(_INTO_BUFFER.findall(source))
