"""Run one page's prepared code units in one namespace; write one JSON line per unit.

    python worker.py JOB.json RESULTS.jsonl

Standard library only, so it runs under any interpreter the runner is pointed at (ours, or the
original Theano 1.0.5 through ``--python``).  JOB.json: {"units": [{"id", "source", "mode",
"filename", "ns", "isolated"}]}, in the order they run.  ``ns`` names the namespace a unit runs
in (a Sphinx doctest group; one namespace, ``default``, for scraped pages); an ``isolated``
unit runs in a copy of it, so what it binds is dropped afterwards.  Modes:

* ``single`` - a doctest statement: compiled in "single" mode, so an expression statement
  prints its repr through sys.displayhook, as at the ``>>>`` prompt;
* ``cell``   - a Jupyter cell: the statements run, then a final expression statement is
  evaluated separately and its repr returned as the cell's value (Out[N]), as IPython does;
* ``exec``   - a script block (testcode, code-block).

Each unit's stdout is captured separately.  A unit that raises does not stop the page: the
next one runs, as doctest and a notebook would.  The result line is written and flushed right
after each unit, so a page killed by a timeout still reports what ran.
"""

import ast
import builtins
import io
import json
import linecache
import os
import sys
import time
import traceback


def _error(exc, filename):
    frames = traceback.extract_tb(exc.__traceback__)
    lineno = None
    for fr in frames:
        if fr.filename == filename:
            lineno = fr.lineno
    if isinstance(exc, SyntaxError) and exc.filename == filename:
        lineno = exc.lineno
    tb_obj = exc.__traceback__
    here = os.path.abspath(__file__)
    while tb_obj is not None and os.path.abspath(tb_obj.tb_frame.f_code.co_filename) == here:
        tb_obj = tb_obj.tb_next  # drop the worker's own frames
    tb = "".join(traceback.format_exception(type(exc), exc, tb_obj))
    return {
        "type": type(exc).__name__,
        "message": str(exc),
        "lineno": lineno,
        "traceback": tb[-6000:],
    }


def run_unit(unit, namespaces):
    ns = namespaces.get(unit.get("ns", "default"))
    if ns is None:
        ns = namespaces[unit.get("ns", "default")] = {
            "__name__": "__main__",
            "__builtins__": builtins,
        }
    if unit.get("isolated"):
        ns = dict(ns)  # sees the namespace; what it binds is dropped afterwards
    src = unit["source"]
    if not src.endswith("\n"):
        src += "\n"
    filename = unit["filename"]
    linecache.cache[filename] = (len(src), None, src.splitlines(True), filename)
    out = io.StringIO()
    value, has_value, error = None, False, None
    t0 = time.perf_counter()
    old_stdout = sys.stdout
    sys.stdout = out
    try:
        mode = unit["mode"]
        if mode == "single":
            exec(compile(src, filename, "single", dont_inherit=True), ns)
        elif mode == "cell":
            tree = ast.parse(src, filename)
            last = None
            if tree.body and isinstance(tree.body[-1], ast.Expr):
                last = ast.Expression(tree.body.pop().value)
            exec(compile(tree, filename, "exec", dont_inherit=True), ns)
            if last is not None:
                result = eval(compile(last, filename, "eval", dont_inherit=True), ns)
                if result is not None:
                    has_value = True
                    value = repr(result)
                    ns["_"] = result
        else:
            exec(compile(src, filename, "exec", dont_inherit=True), ns)
    except KeyboardInterrupt:
        raise
    except BaseException as exc:  # SystemExit included: a tutorial must not end the page
        error = _error(exc, filename)
    finally:
        sys.stdout = old_stdout
    return {
        "id": unit["id"],
        "stdout": out.getvalue(),
        "value": value,
        "has_value": has_value,
        "error": error,
        "seconds": time.perf_counter() - t0,
    }


def main(argv):
    # the tutorials must not import this folder's modules by accident (`import compare`)
    here = os.path.dirname(os.path.abspath(__file__))
    sys.path[:] = [p for p in sys.path if os.path.abspath(p or os.curdir) != here]
    job_path, results_path = argv[1], argv[2]
    with open(job_path, encoding="utf-8") as f:
        job = json.load(f)
    namespaces = {}
    sys.displayhook = sys.__displayhook__
    with open(results_path, "w", encoding="utf-8") as res:
        res.write(
            json.dumps({"id": None, "python": sys.version, "executable": sys.executable}) + "\n"
        )
        res.flush()
        for unit in job["units"]:
            result = run_unit(unit, namespaces)
            res.write(json.dumps(result) + "\n")
            res.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
