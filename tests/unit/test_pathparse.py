"""theano.pathparse.PathParser: directories added to PATH for the running process."""

import os

from theano.pathparse import PathParser


def test_path_parser_adds_directories(monkeypatch, tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    monkeypatch.setenv("PATH", os.pathsep.join(["/usr/bin", "/bin", "/usr/bin"]))
    monkeypatch.setattr(PathParser, "paths", set())   # the set is shared by all instances
    PathParser(str(a), "  ")
    assert os.environ["PATH"].split(os.pathsep) == sorted(["/bin", "/usr/bin", str(a)])
    parser = PathParser()
    parser.add(str(b) + "/")   # made absolute and normalised
    assert os.environ["PATH"].split(os.pathsep) == sorted(["/bin", "/usr/bin", str(a), str(b)])
    relative = os.path.abspath("rel_dir")
    parser.add("rel_dir")
    assert relative in os.environ["PATH"].split(os.pathsep)
