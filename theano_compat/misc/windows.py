"""theano.misc.windows: ``subprocess.Popen`` helpers that open no console window on Windows
(elsewhere they are plain Popen calls with stdin from the null device).

``call_subprocess_Popen`` returns only the exit code; ``output_subprocess_Popen`` returns
``(stdout, stderr, returncode)`` with both streams as bytes.  (``subprocess`` is imported at
the first call: this module is loaded with ``import theano``.)
"""

import importlib
import os



def _subprocess():
    return importlib.import_module("subprocess")


def subprocess_Popen(command, **params):
    """``subprocess.Popen(command, **params)``; stdin is the null device unless given, and on
    Windows no console window opens (the command runs through the shell, as one string)."""
    subprocess = _subprocess()
    startupinfo = None
    if os.name == "nt":
        startupinfo = subprocess.STARTUPINFO()
        startupinfo.dwFlags |= subprocess.STARTF_USESHOWWINDOW
        # .bat wrappers (conda's g++.bat...) only run through the shell.
        params["shell"] = True
        if isinstance(command, list):
            command = " ".join(command)
    stdin = None
    if "stdin" not in params:
        stdin = open(os.devnull)
        params["stdin"] = stdin.fileno()
    try:
        return subprocess.Popen(command, startupinfo=startupinfo, **params)
    finally:
        if stdin is not None:
            stdin.close()


def call_subprocess_Popen(command, **params):
    """Run `command` with its output discarded; return its exit code."""
    if "stdout" in params or "stderr" in params:
        raise TypeError("don't use stderr or stdout with call_subprocess_Popen")
    with open(os.devnull, "wb") as null:
        params.setdefault("stdin", null)
        params["stdout"] = params["stderr"] = null
        return subprocess_Popen(command, **params).wait()


def output_subprocess_Popen(command, **params):
    """Run `command`; return ``(stdout, stderr, returncode)``."""
    if "stdout" in params or "stderr" in params:
        raise TypeError("don't use stderr or stdout with output_subprocess_Popen")
    subprocess = _subprocess()
    params["stdout"] = params["stderr"] = subprocess.PIPE
    proc = subprocess_Popen(command, **params)
    out = proc.communicate()
    return out + (proc.returncode,)


def __dir__():
    return sorted([*globals(), "subprocess"])


def __getattr__(name):
    if name == "subprocess":   # Theano's module imported it at the top
        return _subprocess()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
