"""tools/legacy/py2to3: in-memory Python 2 -> 3 conversion (needs no core)."""

import contextlib
import io
import os
import shutil
import subprocess
import textwrap

import pytest
from legacy.py2to3 import (  # tools/ on sys.path (conftest)
    compiles,
    convert,
    needs_conversion,
    to_py3,
)


def conv(src):
    return to_py3(textwrap.dedent(src)).source


def run(src):
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(src, "<test>", "exec"), {"__name__": "__main__"})
    return out.getvalue()


@pytest.mark.parametrize(
    "py2, py3",
    [
        ("print x\n", "print(x)\n"),
        ("print x, y\n", "print(x, y)\n"),
        ("print 'a %d' % i\n", "print('a %d' % i)\n"),
        ("print\n", "print()\n"),
        ("print x,\n", "print(x, end=' ')\n"),
        ("print >>f, x, y\n", "print(x, y, file=f)\n"),
        ("print >>f\n", "print(file=f)\n"),
        ("print -1\n", "print(-1)\n"),
        ("print [1, 2][0]\n", "print([1, 2][0])\n"),
        ("print (a), b\n", "print((a), b)\n"),
        ("print multiply(3, 2) # 6\n", "print(multiply(3, 2)) # 6\n"),
        ("if x: print 'a'; print 'b'\n", "if x: print('a'); print('b')\n"),
        ("for i in xrange(3):\n    print i\n", "for i in range(3):\n    print(i)\n"),
        ("for k, v in d.iteritems(): pass\n", "for k, v in d.items(): pass\n"),
        ("d.itervalues(); d.iterkeys()\n", "d.values(); d.keys()\n"),
        ("s = raw_input()\n", "s = input()\n"),
        ("x = `1 + 2`\n", "x = repr(1 + 2)\n"),
        (
            "try:\n    f()\nexcept ValueError, e:\n    pass\n",
            "try:\n    f()\nexcept ValueError as e:\n    pass\n",
        ),
        (
            "try:\n    f()\nexcept (A, B), e:\n    pass\n",
            "try:\n    f()\nexcept (A, B) as e:\n    pass\n",
        ),
        ("raise ValueError, 'bad'\n", "raise ValueError('bad')\n"),
        ("x = 0777\n", "x = 0o777\n"),
        ("x = 10L\n", "x = 10\n"),
        ("s = ur'abc'\n", "s = r'abc'\n"),
        ("if a <> b: pass\n", "if a != b: pass\n"),
        ("exec 'x = 1'\n", "exec('x = 1')\n"),
        ("exec code in ns\n", "exec(code, ns)\n"),
        ("print x, \\\n  y\n", "print(x, \\\n  y)\n"),
        ("print('a %d' %\n      (1,)), 2\n", "print(('a %d' %\n      (1,)), 2)\n"),
    ],
)
def test_conversions(py2, py3):
    result = to_py3(py2)
    assert result.source == py3
    assert result.ok
    assert result.changes


@pytest.mark.parametrize(
    "src",
    [
        "print(x)\n",
        "print (a, b)\n",  # valid Python 3: printing the items is what such code means there
        "x = print\n",
        "from __future__ import print_function\nprint('a', 1)\n",
        "xrange = range\nfor i in xrange(3): pass\n",  # bound in the code itself
        "def f(unicode): return unicode\n",
        "s = 'print x'  # print x\n",
        "obj.print_x(1)\n",
    ],
)
def test_python3_left_alone(src):
    assert not needs_conversion(src)
    result = to_py3(src)
    assert result.source == src
    assert not result.attempted and not result.changes


def test_only_converts_when_needed():
    # the conversion itself would rewrite xrange; to_py3 is not asked to because the name is bound
    assert convert("xrange = range\nxrange(2)\n")[0] == "range = range\nrange(2)\n"
    assert to_py3("xrange = range\nxrange(2)\n").source == "xrange = range\nxrange(2)\n"


def test_runtime_only_python2_is_detected():
    # compiles under Python 3 but is Python 2: a NameError / AttributeError at run time
    assert needs_conversion("for i in xrange(3):\n    pass\n")
    assert needs_conversion("d.iteritems()\n")
    assert needs_conversion("print >>f, x\n")
    assert needs_conversion("print\n")


def test_single_mode_and_line_structure():
    src = "for i in xrange(2):\n    print i,\n"
    result = to_py3(src, "single")
    assert result.ok and compiles(result.source, "single")
    assert result.source.count("\n") == src.count("\n")
    assert run(result.source) == "0 1 "


def test_changes_name_lines():
    result = to_py3("x = 1\nprint x\nfor i in xrange(2): pass\n")
    assert "line 2: print statement -> print()" in result.changes
    assert "line 3: xrange -> range" in result.changes


def test_unconvertible_reports_not_ok():
    result = to_py3("p_1 = 1 / (1 + T.exp(, w) - b))\n")
    assert result.attempted and not result.ok


def test_tutorial_cells_run():
    src = textwrap.dedent(
        """\
        err = 0.5
        for i in xrange(3):
            if i % 2 == 0:
                print 'iter %5d, error %f' % (i, err)
        d = {'a': 1}
        for k, v in d.iteritems():
            print k, v
        print
        print `v`
        """
    )
    assert (
        run(to_py3(src).source)
        == "iter     0, error 0.500000\niter     2, error 0.500000\na 1\n\n1\n"
    )


def _find_python2():
    import glob

    pyenv = os.environ.get("PYENV_ROOT", os.path.expanduser("~/.pyenv"))
    candidates = sorted(glob.glob(os.path.join(pyenv, "versions", "2.7*", "bin", "python"))) + [
        shutil.which("python2.7"),
        shutil.which("python2"),
    ]
    for exe in candidates:
        if not exe:
            continue
        try:
            ok = (
                subprocess.run([exe, "-c", "print 1"], capture_output=True, timeout=30).returncode
                == 0
            )
        except (OSError, subprocess.SubprocessError):
            ok = False
        if ok:  # (a pyenv shim without 2.7 selected exits non-zero)
            return exe
    return None


_PY2 = _find_python2()

_SAME_OUTPUT = [
    "print 'a %d' % 3\nprint\nprint 1, 2\nprint 'x',\nprint 'y'\n",
    "import sys\nprint >>sys.stdout, 'to', 'stdout'\n",
    "for i in xrange(3):\n    print i\n",
    "d = {'k': 2}\nfor k, v in d.iteritems(): print k, v\n",
    "x = `1+2`\nprint x\n",
    "try:\n    1/0\nexcept ZeroDivisionError, e:\n    print 'caught'\n",
    "print 0777, 10L\n",
    "if 1 <> 2: print 'ne'\n",
    "def f():\n    raise ValueError, 'bad'\ntry:\n    f()\nexcept ValueError, e:\n    print e\n",
    "print -1\nprint [1, 2][0]\nprint {1: 2}\n",
]


@pytest.mark.skipif(_PY2 is None, reason="no Python 2.7 interpreter to compare with")
@pytest.mark.parametrize("src", _SAME_OUTPUT)
def test_same_output_as_python2(src):
    py2 = subprocess.run([_PY2, "-c", src], capture_output=True, text=True, timeout=60)
    assert py2.returncode == 0, py2.stderr
    assert run(to_py3(src).source) == py2.stdout
