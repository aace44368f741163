"""theano.gof.utils: Theano 1.0.5's graph helpers (expected values printed by the same calls
under the original Theano, ../shared/tools/theano-ref)."""

import contextlib
import io
import os

import pytest

import theano
import theano.tensor as T
from theano.gof import utils as gu


def test_sequence_helpers():
    assert gu.uniq([3, 1, 3, 2, 1]) == [3, 1, 2]
    assert gu.difference([1, 2, 3, 4, 5], [2, 4]) == [1, 3, 5]
    assert gu.difference([1, 2, 3, 4, 5], [5, 4, 3, 2]) == [1]
    assert gu.difference([[1], [2]], [[1], [3], [4], [5]]) == [[2]]   # unhashable elements
    assert gu.toposort({"a": set(), "b": {"a"}, "c": {"a", "b"}}) == ["a", "b", "c"]
    with pytest.raises(Exception, match="Cannot sort topologically"):
        gu.toposort({"a": {"b"}, "b": {"a"}})
    assert [gu.flatten([1, (2, [3, 4]), [[5]]]), gu.flatten(7), gu.flatten({1})] == \
        [[1, 2, 3, 4, 5], [7], [1]]
    assert [gu.to_return_values([5]), gu.to_return_values([5, 6]), gu.from_return_values(5),
            gu.from_return_values((5,))] == [5, [5, 6], [5], (5,)]
    assert [gu.unique([1, 2]), gu.unique([1, 1]), gu.hist("abca")] == \
        [True, False, {"a": 2, "b": 1, "c": 1}]
    assert gu.remove(lambda x: x % 2 == 0, range(6)) == [1, 3, 5]


def test_hashes(tmp_path):
    expected = "mba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    assert gu.hash_from_code("abc") == gu.hash_from_code(b"abc") == expected
    path = tmp_path / "f"
    path.write_bytes(b"abc")
    assert gu.hash_from_file(str(path)) == expected
    assert len(gu.c_cpp_keywords) == 97 and {"while", "NULL", "_Pragma"} <= gu.c_cpp_keywords


def test_memoize_and_deprecated():
    calls = []

    @gu.memoize
    def sq(x, y=1):
        calls.append(x)
        return x * x + y

    assert [sq(3), sq(3), sq(3, y=2), calls] == [10, 10, 11, [3, 3]]
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        @gu.deprecated("mymod", "use other")
        def old(x):
            return x + 1

        assert [old(1), old(2)] == [2, 3]
    assert buf.getvalue() == "WARNING: mymod.old deprecated. use other\n"


def test_object2_props():
    class P(gu.object2):
        __props__ = ("a", "b")

        def __init__(self, a, b):
            self.a, self.b = a, b

    class Q(gu.object2):
        __props__ = ()

    assert str(P(1, "x")) == "P{a=1, b='x'}" and str(Q()) == "Q"
    assert P(1, 2) == P(1, 2) and P(1, 2) != P(1, 3) and hash(P(1, 2)) == hash(P(1, 2))
    assert P(1, 2)._props() == (1, 2) and P(1, 2)._props_dict() == {"a": 1, "b": 2}
    assert isinstance(P, gu.MetaObject) and gu.hashtype(P(1, 2)) == hash("P") ^ hash(P.__module__)
    with pytest.raises(TypeError, match="__props__ has to be a tuple"):
        class Bad(gu.object2):
            __props__ = ["a"]


def test_keywords_and_guards():
    assert [repr(gu.ABORT), bool(gu.ABORT), bool(gu.ANY_TYPE), str(gu.FALL_THROUGH)] == \
        ["<ABORT>", False, True, "<FALL_THROUGH>"]
    assert gu.D(a=1, b=2).b == 2 and gu.simple_types[-1] is gu.Keyword
    namespace = {"gu": gu}
    exec("def combine(a, b):\n    'base'\n    return 'base'\n", namespace)
    exec("@gu.comm_guard(int, str)\ndef combine(a, b):\n    return 'int-str %r %r' % (a, b)\n",
         namespace)
    exec("@gu.type_guard(float)\ndef combine(a, b):\n    return gu.FALL_THROUGH if a < 0 else "
         "'float'\n", namespace)
    combine = namespace["combine"]
    assert combine(1, "s") == "int-str 1 's'" and combine("s", 1) == "int-str 1 's'"
    assert combine(1.5, 2) == "float" and combine(-1.5, 2) == "base" and combine([], []) == "base"
    assert combine.__name__ == "combine" and combine.__doc__.startswith("base")


def test_give_variables_names():
    x = T.matrix("x")
    y = x + 1
    z = T.dot(x, y)
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        gu.give_variables_names([x, y, z])
        gu.give_variables_names([x, y, z])   # idempotent
    assert [x.name, y.name, z.name] == ["x", "_0", "_1"]
    assert buf.getvalue() == ("WARNING: theano.gof.utils.give_variables_names deprecated. Use "
                              "a_theano_variable.auto_name instead\n")
    a, b = T.scalar("a"), T.scalar("a")
    with contextlib.redirect_stdout(io.StringIO()):
        gu.give_variables_names([a, b])
    assert [a.name, b.name] == ["a_0", "a_1"]


class _Thing:
    def __init__(self):
        self.tag = gu.scratchpad()


def test_add_tag_trace():
    t = gu.add_tag_trace(_Thing())
    trace = t.tag.trace
    assert len(trace) == 1
    filename, _, name, line = trace[0][-1]   # the innermost frame: this test's line
    assert os.path.basename(filename) == "test_utils.py" and name == "test_add_tag_trace"
    assert line == "t = gu.add_tag_trace(_Thing())"
    assert len(gu.add_tag_trace(_Thing(), user_line=1).tag.trace[0]) == 1
    with theano.change_flags(**{"traceback.limit": 2}):
        assert len(gu.add_tag_trace(_Thing()).tag.trace[0]) == 2
    stack = gu.simple_extract_stack(limit=2)
    assert len(stack) == 2 and stack[-1][2] == "test_add_tag_trace"


def test_get_variable_trace_string():
    v = T.vector()
    v.tag.trace = [[("f.py", 3, "fn", "x = 1")]]
    assert gu.get_variable_trace_string(v) == (
        ' \nBacktrace when that variable is created:\n\n  File "f.py", line 3, in fn\n'
        "    x = 1\n")
    v.tag.trace = []
    assert gu.get_variable_trace_string(v) == ""


def test_facade_names():
    from theano_compat.errors import MethodNotDefined
    assert gu.MethodNotDefined is MethodNotDefined and isinstance(T.vector().tag, gu.scratchpad)
    assert gu.PY3 and gu.integer_types == (int,) and gu.undef is not None
