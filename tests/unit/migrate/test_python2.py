"""Python 2 lines: found, named and patched so that the rest of the file is read."""

import ast

from theano_compat.migrate.python2 import repair


def test_each_construct_is_named_and_patched():
    source = "\n".join([
        "x = 0777",
        "y = 10L",
        "if x <> y:",
        "    exec 'z = 1'",
        "s = ur'abc'",
        "raise ValueError, 'bad'",
    ])
    tree, problems = repair(source)
    assert isinstance(tree, ast.Module)
    assert [(p["line"], p["construct"].split(" (")[0]) for p in problems] == [
        (1, "octal literal 0777"), (2, "long integer literal 10L"), (3, "<> operator"),
        (4, "exec statement"), (5, "ur'' string prefix"), (6, "raise E, message")]
    # the patched code keeps what the lines meant
    assert ast.literal_eval(tree.body[0].value) == 0o777
    assert ast.literal_eval(tree.body[1].value) == 10


def test_python3_source_has_no_problem_and_garbage_is_reported():
    tree, problems = repair("print('ok')\n")
    assert problems == [] and isinstance(tree, ast.Module)
    tree, problems = repair("def f(:\n    pass\n")
    assert problems[0]["line"] == 1
    assert problems[0]["construct"] == "not valid Python 3 (syntax error)"


def test_mixed_tabs_and_spaces():
    tree, problems = repair("if 1:\n        a = 1\n\tb = 2\n")
    assert problems[0]["construct"] == "mixed tabs and spaces in indentation"
    assert tree is not None
