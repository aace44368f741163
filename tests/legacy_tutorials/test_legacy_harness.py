"""tools/legacy extract / compare / planning on small inline pages (needs no core).

The last tests check the extraction of the real seed pages structurally (still no core): which
blocks exist, what output each shows, what is skipped and why.
"""

import sys
import textwrap

import pytest
from legacy import compare, extract, runner  # tools/ on sys.path (conftest)


def blocks_of(text, page="009"):
    return extract.extract_text(textwrap.dedent(text), page, "page.txt")


# --------------------------------------------------------------------------- extract: doctest


def test_doctest_session_chunks_and_outputs():
    bs = blocks_of(
        """\
        Some prose.

        >>> import math
        >>> math.sqrt(2)
        1.4142135623730951
        >>> x = [1,
        ...      2]

        More prose.

        >>> print(x)
        [1, 2]
        """
    )
    assert [b.kind for b in bs] == ["doctest", "doctest"]
    first, second = bs
    assert first.key == "009:import math" and first.line == 3
    assert [e.source for e in first.examples] == ["import math", "math.sqrt(2)", "x = [1,\n     2]"]
    assert [e.want for e in first.examples] == [None, "1.4142135623730951", None]
    assert first.examples[1].want_line == 5
    assert first.examples[2].lines == [6, 7]
    assert second.examples[0].want == "[1, 2]"
    assert second.expected_output == "[1, 2]"


def test_doctest_lost_continuation_prompts():
    bs = blocks_of(
        """\
        >>> train = f(
                  a=1,
                  b=2)
        >>> for i in range(3):
            total = i
            other = i

        >>> print(total)
        """
    )
    exs = bs[0].examples
    assert exs[0].source == "train = f(\n          a=1,\n          b=2)"
    assert exs[0].want is None
    assert exs[1].source == "for i in range(3):\n    total = i\n    other = i"
    assert any("without `...`" in n for n in exs[0].notes)
    assert bs[1].examples[0].want is None  # no output shown: nothing to compare


def test_doctest_comment_lines_are_not_output_and_comment_examples_dropped():
    bs = blocks_of(
        """\
        >>> p = 1 + 1
        # a comment the blog put under the statement
        >>> # a comment-only example
        >>> p
        2
        """
    )
    exs = bs[0].examples
    assert [e.source for e in exs] == ["p = 1 + 1", "p"]
    assert exs[0].want is None and exs[1].want == "2"


def test_doctest_ellipsis_option():
    bs = blocks_of(">>> list(range(30))  # doctest: +ELLIPSIS\n[0, 1, ..., 29]\n")
    assert "ELLIPSIS" in bs[0].examples[0].options


# --------------------------------------------------------------------------- extract: Jupyter


JUPYTER = """\
    标题

    In [1]:

    %matplotlib inline
    import numpy as np
    Using gpu device 0: GeForce GTX 850M

    说明文字:

    In [2]:

    a = 3

    b = 4

    定义符号变量

    In [3]:

    print a * b
    print a + b
    12
    7

    In [4]:

    for i in xrange(2):
        x = i
        if i == 1:
            print 'iter %d' % i
    iter 1

    In [5]:

    np.array([[0.5,
               1.0]])

    Out[5]:

    array([[ 0.5,  1. ]])

    后记
    """


def test_jupyter_cells():
    bs = blocks_of(JUPYTER)
    assert [b.label for b in bs] == ["In [1]", "In [2]", "In [3]", "In [4]", "In [5]"]
    c1, c2, c3, c4, c5 = (b.examples[0] for b in bs)
    assert c1.source == "%matplotlib inline\nimport numpy as np"
    assert c1.want == "Using gpu device 0: GeForce GTX 850M"
    # code spans blank lines; a prose paragraph that parses as a (non-ASCII) name ends it
    assert c2.source == "a = 3\n\nb = 4" and c2.want is None
    # bare literals right after the code are its printed output
    assert c3.source == "print a * b\nprint a + b" and c3.want == "12\n7"
    assert c4.source.endswith("print 'iter %d' % i") and c4.want == "iter 1"
    assert c5.source == "np.array([[0.5,\n           1.0]])"
    assert c5.value_want == "array([[ 0.5,  1. ]])" and c5.want is None
    assert all(b.kind == "jupyter" and e.mode == "cell" for b in bs for e in b.examples)


# --------------------------------------------------------------------------- extract: reST


def test_rest_testcode_testoutput_and_code_block():
    bs = blocks_of(
        """\
        Intro

        .. testcode::

            x = 1
            print(x)

        .. testoutput::
           :options: +ELLIPSIS

           1

        .. note::

            Use this:

                .. code-block:: python

                    import os

        .. code-block:: bash

            ls -l
        """
    )
    assert [b.kind for b in bs] == ["testcode", "code-block"]
    tc = bs[0].examples[0]
    assert tc.source == "x = 1\nprint(x)" and tc.want == "1" and "ELLIPSIS" in tc.options
    assert tc.mode == "exec"
    assert bs[1].examples[0].source == "import os"


def test_flattened_code_is_found_and_described():
    line = (
        "1 # allocate symbolic variables 2 index = T.lscalar() # index 3 x = T.matrix('x') "
        "4 y = T.ivector('y') 5 cost = model.nll(y) "
        "6 f = theano.function(inputs=[index], outputs=cost)"
    )
    bs = blocks_of("Prose line.\n" + line + "\n>>> type(c)<class 'T'>>>> type(a)<class 'T'>\n")
    assert [b.kind for b in bs] == ["flattened", "flattened"]
    assert "line numbers 1..6 glued" in bs[0].damage
    assert "`>>>` prompts" in bs[1].damage


def test_prose_with_math_is_not_flattened_code():
    bs = blocks_of(
        "$$ \\begin{align} h_{w,b}(x) & = P(Y=1|X=x) \\ & = sigmoid(z) "
        "\\ & = f(z) + g(y) + k(x) + long text $$\n"
    )
    assert bs == []


def test_keys_are_stable_and_unique():
    bs = blocks_of(">>> import theano\n\nprose\n\n>>> import theano\n>>> x = 1\n")
    assert [b.key for b in bs] == ["009:import theano", "009:import theano #2"]


# --------------------------------------------------------------------------- compare


@pytest.mark.parametrize(
    "page, output",
    [
        # NumPy < 1.14 vs NumPy 2 array repr
        (
            "array([[ 0.5       ,  0.73105858],\n       [ 0.26894142,  0.11920292]])",
            "array([[0.5       , 0.73105858],\n       [0.26894142, 0.11920292]])",
        ),
        ("array(34.0)", "array(34.)"),
        ("0.73105858", "0.7310585786300049"),  # to the printed precision
        ("0.7310586", "0.73105858"),  # float32 page vs float64 output
        ("[array([[ 1.,  0.],\n       [-1., -2.]])]", "[array([[ 1.,  0.],\n       [-1., -2.]])]"),
        ("Using gpu device 0: GeForce GTX 850M", ""),
        ("Using gpu device 0: GeForce GTX 850M\n6.0", "6.0"),
        ("'((x * HostFromGpu(w)) + HostFromGpu(b))'", "'((x * w) + b)'"),
        ("0.5", "np.float64(0.5)"),
        ("x is nan", "x is nan"),
        ("1e-05", "1.0e-5"),
    ],
)
def test_compare_matches(page, output):
    c = compare.compare(page, output)
    assert c.ok, c.message


@pytest.mark.parametrize(
    "page, output, why",
    [
        ("0.73105858", "0.73105868", "more than the printed precision"),
        ("6.0", "6", "is float"),  # dtype change shows as int vs float
        ("array([ 0.5])", "array([0.5], dtype=float32)", "atom"),
        ("[1 2 3]", "[1 2]", "atom"),
        ("a b c", "a b", "ends early"),
        ("0.26894143", "0.26894142", "more than the printed precision"),
        ("a", "a b", "continues past"),
        ("19.295896", "nan", ""),
    ],
)
def test_compare_mismatches(page, output, why):
    c = compare.compare(page, output)
    assert not c.ok
    assert why in c.message
    assert "--- page" in c.diff and "+++ output" in c.diff


def test_compare_float32_adjacent_values():
    # page 003: the author's GPU printed sigmoid(-2) as 0.11920293, a CPU gives the adjacent
    # float32 0.11920292; one float32 spacing is the printed precision of a float32
    page = "array([[ 0.26894143,  0.11920293]], dtype=float32)"
    assert compare.compare(page, "array([[0.26894143, 0.11920292]], dtype=float32)").ok
    assert not compare.compare(page, "array([[0.26894143, 0.11920290]], dtype=float32)").ok
    # float64 (no dtype=float32): the digits must agree
    assert not compare.compare("array([ 0.11920293])", "array([0.11920292])").ok


def test_compare_ellipsis():
    assert compare.compare(
        "Initial model:\n...\n0.0", "Initial model:\n[1.5 2.5]\n0.0", ellipsis=True
    ).ok
    assert not compare.compare(
        "Initial model:\n...\n1.0", "Initial model:\n[1.5]\n0.0", ellipsis=True
    ).ok
    assert not compare.compare("a ... b", "a x b").ok  # `...` is literal without ELLIPSIS


def test_compare_numbers_not_compared():
    page = "iter     0, error 19.295896\niter  1000, error 0.210341"
    assert compare.compare(
        page, "iter     0, error nan\niter  1000, error 0.2075", numbers=False
    ).ok
    assert not compare.compare(page, "iter     0, error 19.295896", numbers=False).ok
    assert not compare.compare("[0 1 1]", "[False  True  True]", numbers=False).ok


def test_compare_notes_say_what_was_not_reproduced():
    c = compare.compare("Using gpu device 0: GeForce GTX 850M\n'(HostFromGpu(w))'", "'(w)'")
    assert c.ok
    assert any("not reproduced" in n for n in c.notes)
    assert any("HostFromGpu" in n for n in c.notes)


# --------------------------------------------------------------------------- planning


def plan_text(tmp_path, text, name="009_x.txt"):
    p = tmp_path / name
    p.write_text(textwrap.dedent(text), encoding="utf-8")
    return runner.plan_page(p)


def test_plan_display_statements_removed_and_listed(tmp_path):
    _, _, planned, problems = plan_text(
        tmp_path,
        """\
        In [1]:

        %matplotlib inline
        import numpy as np
        import matplotlib.pyplot as plt

        In [2]:

        X = np.linspace(0, 1, 5)
        plt.figure()
        ax = plt.gca()
        ax.set_title('t')
        print X.sum()
        2.5

        In [3]:

        plt.plot(X)
        plt.show()
        """,
    )
    assert not problems
    p1, p2, p3 = planned
    u1 = p1.units[0]
    assert u1.source.split("\n") == ["", "import numpy as np", ""]
    assert (
        "%matplotlib inline" in u1.notes[-1] and "import matplotlib.pyplot as plt" in u1.notes[-1]
    )
    u2 = p2.units[0]
    assert u2.source.split("\n") == ["X = np.linspace(0, 1, 5)", "", "", "", "print(X.sum())"]
    assert any("Python 2 converted" in n for n in u2.notes)
    assert any("`ax = plt.gca()`" in n and "`ax.set_title('t')`" in n for n in u2.notes)
    assert p3.skip and "needs a display" in p3.skip


def test_plan_damaged_block_is_skipped(tmp_path):
    _, _, planned, _ = plan_text(tmp_path, ">>> p = 1 / (1 + T.exp(, w) - b))\n")
    unit = planned[0].units[0]
    assert unit.syntax_error and "page line 1" in unit.syntax_error  # not in a table: an error


# --------------------------------------------------------------------------- running (plain Python)


def test_run_page_judges_outputs(tmp_path):
    p = tmp_path / "009_demo.txt"
    p.write_text(
        textwrap.dedent(
            """\
            >>> import math
            >>> math.pi
            3.14159265
            >>> print(round(math.e, 3))
            2.719

            In [1]:

            print 'py2 %d' % 6
            py2 6

            In [2]:

            undefined_name
            """
        ),
        encoding="utf-8",
    )
    pr = runner.run_page(p, python=sys.executable)
    st = {b.block.key: b for b in pr.blocks}
    assert st["009:import math"].status == runner.MISMATCH  # 2.718 printed, page says 2.719
    assert "2.719" in st["009:import math"].failure_message()
    assert st["009:print 'py2 %d' % 6"].status == runner.MATCHED
    bad = st["009:undefined_name"]
    assert bad.status == runner.ERROR and "NameError" in bad.reason and "page line 14" in bad.reason
    assert not pr.ok
    text = runner.format_page(pr)
    assert "1 matched, 0 ran, 0 skipped, 2 failed" in text


# --------------------------------------------------------------------- the seed pages (structure)

SEEDS = runner.default_seeds_dir()
needs_seeds = pytest.mark.skipif(not SEEDS.is_dir(), reason="no seed pages")


def _page(num):
    (path,) = [p for p in extract.seed_pages(SEEDS) if extract.page_id(p) == num]
    return path


@needs_seeds
def test_seed_page_tables_are_current():
    for path in extract.seed_pages(SEEDS):
        _, _, _, problems = runner.plan_page(path)
        assert not problems


@needs_seeds
def test_seed_pages_structure():
    kinds = {
        extract.page_id(p): [b.kind for b in extract.extract_page(p)]
        for p in extract.seed_pages(SEEDS)
    }
    assert set(kinds["000"]) == {"doctest"} and len(kinds["000"]) == 15
    assert set(kinds["001"]) == {"jupyter"} and len(kinds["001"]) == 16
    assert set(kinds["002"]) == {"flattened"}
    assert set(kinds["003"]) == {"jupyter"} and len(kinds["003"]) == 14
    assert kinds["004"].count("testcode") == 2 and kinds["004"].count("code-block") == 1


@needs_seeds
def test_seed_page_outputs_extracted():
    b001 = {b.key: b for b in extract.extract_page(_page("001"))}
    assert b001["001:print multiply(3, 2) # 6"].expected_output == "6.0\n20.0"
    assert (
        b001["001:Y_bar = model(X, w, b)"].examples[0].value_want
        == "'((x * HostFromGpu(w)) + HostFromGpu(b))'"
    )
    b003 = {b.key: b for b in extract.extract_page(_page("003"))}
    assert b003["003:for i in xrange(10001):"].expected_output.count("\n") == 10
    assert b003["003:sigmoid([[ 0, 1],"].examples[0].value_want.endswith("dtype=float32)")
    b004 = {b.key: b for b in extract.extract_page(_page("004"))}
    assert b004["004:f1()"].examples[0].want == "array([ 0.72803009])"
    assert b004["004:import numpy"].examples[0].want.startswith("Initial model:")


@needs_seeds
def test_seed_page_skips_have_reasons():
    skipped = {}
    for path in extract.seed_pages(SEEDS):
        _, _, planned, _ = runner.plan_page(path)
        for pb in planned:
            if pb.skip:
                skipped[pb.block.key] = pb.skip
    assert "004:import numpy" in skipped and "T.exp(, w)" in skipped["004:import numpy"]
    assert "001:plt.scatter(train_X, train_Y)" in skipped
    assert sum(k.startswith("002:") for k in skipped) == 8
    assert len(skipped) == 10
    assert all(skipped.values())
