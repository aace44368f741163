"""python -m theano_compat.migrate on a small codebase written here: a Python 2 file, a
notebook, aliases, flags, supported / deviation / unsupported / unknown names."""

import json
import subprocess
import sys
import textwrap

import pytest

from theano_compat.migrate import format_text, scan, summary_line
from theano_compat.migrate.inventory import OMISSIONS

MODERN = '''\
import os
os.environ["THEANO_FLAGS"] = "floatX=float32,device=gpu,cxx="
import theano
import theano.tensor as T
from theano.tensor.nnet import conv2d as c2d
from theano import sandbox
from theano.sandbox.cuda.basic_ops import gpu_from_host

x = T.matrix("x")
y = T.nnet.sigmoid(T.dot(x, x.T))
z = c2d(T.tensor4(), T.tensor4())
theano.config.floatX = "float64"
print(theano.config.floatX, T.nnet.conv2d, sandbox.cuda.dnn.dnn_available())
T.no_such_function(x)
'''

PY2 = '''\
import theano
from theano.tensor import extra_ops

def f(a):
    print "value", a
    try:
        return extra_ops.unravel_index(a, (2, 2))
    except ValueError, e:
        return `e`
'''

NOTEBOOK = {"cells": [
    {"cell_type": "markdown", "source": ["import theano.tensor.foo  (prose, not code)"]},
    {"cell_type": "code", "source": ["%matplotlib inline\n",
                                     "!THEANO_FLAGS=mode=FAST_COMPILE python train.py\n",
                                     "from theano.tensor.opt import local_add_mul_fusion\n",
                                     "import theano.d3viz as d3v\n"]},
    {"cell_type": "code", "source": "d3v.d3viz(None, 'x.html')\n"},
], "metadata": {}, "nbformat": 4, "nbformat_minor": 2}


@pytest.fixture()
def tree(tmp_path):
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "model.py").write_text(MODERN)
    (tmp_path / "pkg" / "old.py").write_text(PY2)
    (tmp_path / "nb.ipynb").write_text(json.dumps(NOTEBOOK))
    (tmp_path / "notes.txt").write_text("no code here\n")
    return tmp_path


def _by_name(report):
    return {e["name"]: e for e in report["usages"]}


def test_python2_lines_are_reported_with_their_construct(tree):
    report = scan(str(tree))
    (old,) = [f for f in report["files"] if f["path"].endswith("old.py")]
    assert [(p["line"], p["construct"].split(" (")[0]) for p in old["python2"]] == [
        (5, "print statement"), (8, "except X, e:"), (9, "backtick repr `x`")]
    assert old["python2"][0]["text"] == 'print "value", a'
    # The rest of the file is still read: its Theano usage is listed.
    names = _by_name(report)
    assert "pkg/old.py:7" in names["theano.tensor.extra_ops.unravel_index"]["locations"]
    assert report["summary"]["python2_files"] == 1


def test_aliases_chains_and_their_status(tree):
    names = _by_name(scan(str(tree)))
    conv = names["theano.tensor.nnet.conv2d"]
    # the from-import (as c2d), its call, and the T.nnet.conv2d chain
    assert conv["status"] == "supported"
    assert sorted(conv["locations"]) == ["pkg/model.py:11", "pkg/model.py:13", "pkg/model.py:5"]
    assert names["theano.tensor.nnet.sigmoid"]["locations"] == ["pkg/model.py:10"]
    assert names["theano.tensor.dot"]["count"] == 1
    assert names["theano.tensor.no_such_function"]["status"] == "unknown"
    # names of Theano's GPU back-end: a probe the facade answers, an Op it refuses
    probe = names["theano.sandbox.cuda.dnn.dnn_available"]
    assert probe["status"] == "deviation" and "CuPy" in probe["reason"]
    transfer = names["theano.sandbox.cuda.basic_ops.gpu_from_host"]
    assert transfer["status"] == "unsupported"
    assert transfer["reason"].startswith("raises NotImplementedError: ")
    assert "device=cuda" in transfer["reason"]
    # the conformance manifest marks unravel_index "theano-wrong": a deviation, with why
    unravel = names["theano.tensor.extra_ops.unravel_index"]
    assert unravel["status"] == "deviation" and unravel["reason"].startswith("theano-wrong:")


def test_flags_from_the_environment_and_from_theano_config(tree):
    names = _by_name(scan(str(tree)))
    assert names["theano.config.floatX"]["status"] == "supported"
    assert sorted(names["theano.config.floatX"]["kinds"]) == [
        "THEANO_FLAGS", "config read", "config write"]
    assert names["theano.config.floatX"]["count"] == 3
    device = names["theano.config.device"]
    assert device["status"] == "deviation" and "CuPy" in device["reason"]
    cxx = names["theano.config.cxx"]
    assert cxx["status"] == "deviation" and cxx["reason"].startswith("accepted, no effect")
    # a shell line of a notebook
    assert names["theano.config.mode"]["locations"] == ["nb.ipynb[cell 1]:2"]


def test_notebook_cells_and_omissions(tree):
    names = _by_name(scan(str(tree)))
    assert "theano.tensor.foo" not in names  # markdown cells are not code
    d3 = names["theano.d3viz"]
    assert d3["status"] == "unsupported" and d3["reason"] == OMISSIONS["theano.d3viz"]
    assert "nb.ipynb[cell 1]:4" in d3["locations"] and "nb.ipynb[cell 2]:1" in d3["locations"]
    assert names["theano.tensor.opt.local_add_mul_fusion"]["status"] == "supported"


def test_summary_counts_every_usage(tree):
    report = scan(str(tree))
    s = report["summary"]
    by_status = {st: sum(e["count"] for e in report["usages"] if e["status"] == st)
                 for st in ("supported", "deviation", "unsupported", "unknown")}
    assert s["by_status"] == by_status
    assert s["usages"] == sum(by_status.values()) == sum(f["usages"] for f in report["files"])
    assert s["supported_share"] == round(
        (by_status["supported"] + by_status["deviation"]) / s["usages"], 4)
    assert s["files"] == 4
    assert summary_line(report).startswith(f"{100 * s['supported_share']:.1f}% of "
                                           f"{s['usages']} Theano API usages")
    text = format_text(report)
    assert "pkg/old.py:5: print statement" in text and text.endswith(summary_line(report))


def test_a_single_file_and_the_command_line(tree):
    path = tree / "pkg" / "old.py"
    run = subprocess.run([sys.executable, "-m", "theano_compat.migrate", str(path), "--json"],
                         capture_output=True, text=True, check=True)
    report = json.loads(run.stdout)
    assert [f["path"] for f in report["files"]] == ["old.py"]
    assert report["summary"]["python2_files"] == 1
    run = subprocess.run([sys.executable, "-m", "theano_compat.migrate", str(tree / "nope")],
                         capture_output=True, text=True)
    assert run.returncode == 2 and "no such file or folder" in run.stderr


def test_nothing_is_executed(tmp_path):
    marker = tmp_path / "ran"
    (tmp_path / "evil.py").write_text(textwrap.dedent(f'''\
        import theano
        open({str(marker)!r}, "w").write("x")
        '''))
    report = scan(str(tmp_path))
    assert not marker.exists()
    assert _by_name(report)["theano"]["count"] == 1
