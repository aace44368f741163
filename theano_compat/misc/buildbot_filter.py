"""theano.misc.buildbot_filter: ``filter_output(lines)``, the lines of a nose test log worth
reading (the failing test files, import errors, assertion and gradient errors, the
"Executing tests/nosetests" headers), joined in one string."""

import sys


_ERROR_WORDS = ("KnownFailureTest:", "Exception:", "Failure:", "AssertionError",
                "AssertionError:", "GradientError:")


def filter_output(fd_in):
    """The interesting lines of the iterable of lines `fd_in` (a file, sys.stdin...)."""
    kept = []
    for line in fd_in:
        toks = line.split()
        if not toks:
            continue
        if (toks[0] == "File" and toks[-1].startswith("test")
                or toks[0].startswith("ImportError")
                or toks[0] in _ERROR_WORDS
                or toks[0] == "Executing" and len(toks) > 1
                and toks[1] in ("tests", "nosetests")):
            kept.append(line)
    return "".join(kept)


if __name__ == "__main__":
    if len(sys.argv) > 1:
        with open(sys.argv[1]) as f:
            print(filter_output(f))
    else:
        print(filter_output(sys.stdin))
