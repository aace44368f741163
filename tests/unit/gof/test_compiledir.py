"""theano.gof.compiledir: listing and purging compile directories (in a child process
whose ``base_compiledir`` is a temporary directory)."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.support.paths import ROOT


def _run(base, code):
    env = dict(os.environ, THEANO_FLAGS=f"base_compiledir={base}", PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-c", "import theano.gof.compiledir as c\n" + code],
                          env=env, capture_output=True, text=True, check=True).stdout


def test_list_print_and_purge(tmp_path):
    base = tmp_path / "base"
    comp = base / "compiledir_theano_compat"
    (comp / "tmpmod" / "sub").mkdir(parents=True)
    (comp / "tmpmod" / "key.pkl").write_bytes(b"x")
    (base / "other_cache").mkdir()
    (base / "notes.txt").write_text("x")
    out = _run(base, "c.basecompiledir_ls()")
    assert out.splitlines() == [
        f"Base compile dir is {base}", "Sub-directories (possible compile caches):",
        "    compiledir_theano_compat", "    other_cache", "", "Other files in base_compiledir:",
        "    notes.txt"]
    out = _run(base, "c.print_compiledir_content()")
    assert out.splitlines()[:3] == ["=" * len(f"Theano cache: {comp}"),
                                    f"Theano cache: {comp}",
                                    "=" * len(f"Theano cache: {comp}")]
    assert "Skipped 1 modules compiled by another Theano" in out
    _run(base, "c.cleanup()")
    assert (comp / "tmpmod" / "key.pkl").exists()
    _run(base, "c.compiledir_purge()")
    assert not comp.exists() and (base / "other_cache").exists()
    _run(base, "c.compiledir_purge()")  # nothing left: no error
    _run(base, "c.basecompiledir_purge()")
    assert not base.exists()


def test_print_title(capsys):
    from theano.gof.compiledir import print_title

    print_title("abc", overline="=", underline="-")
    assert capsys.readouterr().out == "===\nabc\n---\n"
