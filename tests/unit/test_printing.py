"""theano.pp and theano.printing.debugprint: the exact text Theano 1.0.5 printed.

The expected strings were produced by the original Theano (tools/theano-ref) on the same
graphs, before any rewrite, so they do not depend on the optimizer.
"""

import io

import numpy as np
import pytest
import theano
import theano.tensor as T

# ----------------------------------------------------------------------------- pp


def test_pp_tutorial_linear_expression():
    x, w = T.dvectors("x", "w")
    b = T.dscalar("b")
    assert theano.pp(x * w + b) == "((x * w) + b)"
    assert theano.printing.pprint(x * w + b) == "((x * w) + b)"


def test_pp_gradient_of_x_squared_before_optimization():
    x = T.dscalar("x")
    gy = T.grad(x**2, x)
    assert theano.pp(gy) == (
        "((fill((x ** TensorConstant{2}), TensorConstant{1.0}) * TensorConstant{2}) * "
        "(x ** (TensorConstant{2} - TensorConstant{1})))"
    )
    f = theano.function([x], gy)
    assert f(4) == 8.0
    assert np.allclose(f(94.2), 188.4)


def test_pp_logistic_and_shared_leaves():
    xm = T.dmatrix("x")
    assert theano.pp(1 / (1 + T.exp(-xm))) == (
        "(TensorConstant{1} / (TensorConstant{1} + exp((-x))))"
    )
    w = theano.shared(np.ones(3), "W")
    assert theano.pp(w * T.dvector("x")) == "(W * x)"


@pytest.mark.parametrize(
    ("build", "text"),
    [
        (lambda x, w, m, i: T.dot(m, x), "(m \\dot x)"),
        (lambda x, w, m, i: -x, "(-x)"),
        (lambda x, w, m, i: -x + 1, "((-x) + TensorConstant{1})"),
        (lambda x, w, m, i: abs(x), "|x|"),
        (lambda x, w, m, i: x - (w - 1), "(x - (w - TensorConstant{1}))"),
        (lambda x, w, m, i: x // 2, "(x // TensorConstant{2})"),
        (lambda x, w, m, i: x % 2, "mod(x, TensorConstant{2})"),
        (
            lambda x, w, m, i: T.switch(x > 0, x, 0),
            "switch(gt(x, TensorConstant{0}), x, TensorConstant{0})",
        ),
        (lambda x, w, m, i: T.tanh(x), "tanh(x)"),
        (lambda x, w, m, i: T.sqr(x), "sqr(x)"),
        (lambda x, w, m, i: T.cast(x, "float32"), "float32(x)"),
        (lambda x, w, m, i: x.sum(), "Sum{acc_dtype=float64}(x)"),
        (lambda x, w, m, i: m.T, "m.T"),
        (lambda x, w, m, i: m.dimshuffle(0, "x", 1), "DimShuffle{0, x, 1}(m)"),
        (lambda x, w, m, i: x[1:3], "x[int64:int64]"),
        (lambda x, w, m, i: x[i:], "x[int64:]"),
        (lambda x, w, m, i: x[::2], "x[::int64]"),
        (lambda x, w, m, i: x[i], "x[ScalarFromTensor(i)]"),
        (lambda x, w, m, i: m[:, 0], "m[:, Constant{0}]"),
        (lambda x, w, m, i: x.shape[0], "Shape(x)[Constant{0}]"),
    ],
)
def test_pp_matches_theano_text(build, text):
    x, w = T.dvectors("x", "w")
    m = T.dmatrix("m")
    i = T.lscalar("i")
    assert theano.pp(build(x, w, m, i)) == text


def test_pp_expands_named_intermediates():
    # Theano's pp(var) ignores names of computed variables: the full expression is shown.
    x, w = T.dvectors("x", "w")
    h = (x * w).sum()
    h.name = "h"
    assert theano.pp(h + 1) == "(Sum{acc_dtype=float64}((x * w)) + TensorConstant{1})"


# ----------------------------------------------------------------------------- debugprint

_XWB = (
    "Elemwise{add,no_inplace} [id A] ''   \n"
    " |Elemwise{mul,no_inplace} [id B] ''   \n"
    " | |x [id C]\n"
    " | |w [id D]\n"
    " |InplaceDimShuffle{x} [id E] ''   \n"
    "   |b [id F]\n"
)


def _xwb():
    x, w = T.dvectors("x", "w")
    b = T.dscalar("b")
    return x, w, b, x * w + b


def test_debugprint_variable_tree_shape(capsys):
    *_, y = _xwb()
    assert theano.printing.debugprint(y, file="str") == _XWB
    assert theano.printing.debugprint(y) is None
    assert capsys.readouterr().out == _XWB


def test_debugprint_to_a_file_returns_it():
    *_, y = _xwb()
    buf = io.StringIO()
    assert theano.printing.debugprint(y, file=buf) is buf
    assert buf.getvalue() == _XWB


def test_debugprint_options():
    *_, y = _xwb()
    dp = theano.printing.debugprint
    assert dp(y, print_type=True, file="str") == (
        "Elemwise{add,no_inplace} [id A] <TensorType(float64, vector)> ''   \n"
        " |Elemwise{mul,no_inplace} [id B] <TensorType(float64, vector)> ''   \n"
        " | |x [id C] <TensorType(float64, vector)>\n"
        " | |w [id D] <TensorType(float64, vector)>\n"
        " |InplaceDimShuffle{x} [id E] <TensorType(float64, (True,))> ''   \n"
        "   |b [id F] <TensorType(float64, scalar)>\n"
    )
    assert dp(y, ids="int", file="str") == (
        "Elemwise{add,no_inplace} [id 0] ''   \n"
        " |Elemwise{mul,no_inplace} [id 1] ''   \n"
        " | |x [id 2]\n"
        " | |w [id 3]\n"
        " |InplaceDimShuffle{x} [id 4] ''   \n"
        "   |b [id 5]\n"
    )
    assert dp(y, ids="", file="str") == (
        "Elemwise{add,no_inplace}  ''   \n"
        " |Elemwise{mul,no_inplace}  ''   \n"
        " | |x \n"
        " | |w \n"
        " |InplaceDimShuffle{x}  ''   \n"
        "   |b \n"
    )
    assert dp(y, depth=2, file="str") == (
        "Elemwise{add,no_inplace} [id A] ''   \n"
        " |Elemwise{mul,no_inplace} [id B] ''   \n"
        " |InplaceDimShuffle{x} [id C] ''   \n"
    )


def test_debugprint_list_shares_ids_and_repeated_nodes_are_not_expanded():
    x, w, _, y = _xwb()
    assert theano.printing.debugprint([y, x * 2], file="str") == _XWB + (
        "Elemwise{mul,no_inplace} [id G] ''   \n"
        " |x [id C]\n"
        " |InplaceDimShuffle{x} [id H] ''   \n"
        "   |TensorConstant{2} [id I]\n"
    )
    h = (x * w).sum()
    h.name = "h"
    z = h + h * 2
    assert theano.printing.debugprint(z, file="str") == (
        "Elemwise{add,no_inplace} [id A] ''   \n"
        " |Sum{acc_dtype=float64} [id B] 'h'   \n"
        " | |Elemwise{mul,no_inplace} [id C] ''   \n"
        " |   |x [id D]\n"
        " |   |w [id E]\n"
        " |Elemwise{mul,no_inplace} [id F] ''   \n"
        "   |Sum{acc_dtype=float64} [id B] 'h'   \n"
        "   |TensorConstant{2} [id G]\n"
    )
    assert theano.printing.debugprint(z, stop_on_name=True, file="str") == (
        "Elemwise{add,no_inplace} [id A] ''   \n"
        " |Sum{acc_dtype=float64} [id B] 'h'   \n"
        " |Elemwise{mul,no_inplace} [id C] ''   \n"
        "   |Sum{acc_dtype=float64} [id B] 'h'   \n"
        "   |TensorConstant{2} [id D]\n"
    )


def test_debugprint_compiled_function_shows_toposort_positions():
    x = T.dvector("x")
    g = theano.function([x], [x * 2, x.sum()], mode=theano.Mode(optimizer=None))
    text = theano.printing.debugprint(g, file="str")
    topo = g.maker.fgraph.toposort()
    pos = {str(n.op): k for k, n in enumerate(topo)}
    assert text == (
        f"Elemwise{{mul,no_inplace}} [id A] ''   {pos['Elemwise{mul,no_inplace}']}\n"
        " |x [id B]\n"
        f" |InplaceDimShuffle{{x}} [id C] ''   {pos['InplaceDimShuffle{x}']}\n"
        "   |TensorConstant{2} [id D]\n"
        f"Sum{{acc_dtype=float64}} [id E] ''   {pos['Sum{acc_dtype=float64}']}\n"
        " |x [id B]\n"
    )
    assert theano.printing.debugprint(g.maker.fgraph, file="str") == text
    # theano.debugprint is the same function.
    assert theano.debugprint(g, file="str") == text


def test_debugprint_of_any_compiled_function_numbers_every_node_once():
    # Whatever the optimizer made of the graph, each Apply line ends with its position in
    # f.maker.fgraph.toposort(), and the inputs appear as leaves.
    x, w, b, y = _xwb()
    f = theano.function([x, w, b], y)
    lines = theano.printing.debugprint(f, file="str").splitlines()
    positions = sorted(int(line.rsplit("''   ", 1)[1]) for line in lines if "''" in line)
    assert positions == list(range(len(f.maker.fgraph.toposort())))
    leaves = {line.strip(" |").split(" [id")[0] for line in lines if "''" not in line}
    assert leaves == {"x", "w", "b"}


def test_debugprint_rejects_unknown_objects():
    with pytest.raises(TypeError):
        theano.printing.debugprint(object(), file="str")
