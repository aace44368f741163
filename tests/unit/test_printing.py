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


# Indexing, as Theano 1.0.5 printed it (recorded with tools/theano-ref).  Theano's printer
# showed slice bounds by type and gave each integer entry the index input taken from the
# *end* of the node's inputs, so multi-index subscripts come out in that order; advanced
# indexing printed the node Theano built (take: AdvancedSubtensor1 with transposes).
_SUBSCRIPTS = [
    (lambda x, t, i, j, iv, jv, im: x[1:3, ::2], "x[int64:int64, ::int64]"),
    (lambda x, t, i, j, iv, jv, im: x[i, j], "x[ScalarFromTensor(j), ScalarFromTensor(i)]"),
    (lambda x, t, i, j, iv, jv, im: x[1, 2], "x[Constant{2}, Constant{1}]"),
    (lambda x, t, i, j, iv, jv, im: x[1, i:], "x[ScalarFromTensor(i), int64:]"),
    (lambda x, t, i, j, iv, jv, im: x[i:j, 2], "x[int64:int64, Constant{2}]"),
    (lambda x, t, i, j, iv, jv, im: t[1:3, i, ::2], "t[int64:int64, Constant{2}, ::int64]"),
    (lambda x, t, i, j, iv, jv, im: t[i, 1:, j], "t[ScalarFromTensor(j), int64:, Constant{1}]"),
    (lambda x, t, i, j, iv, jv, im: x[-1:, 0], "x[int64:, Constant{0}]"),
    (lambda x, t, i, j, iv, jv, im: x[i + 1], "x[ScalarFromTensor((i + TensorConstant{1}))]"),
    (lambda x, t, i, j, iv, jv, im: x[T.iscalar("k"):], "x[int32:]"),
    (lambda x, t, i, j, iv, jv, im: x[..., 1], "x[:, Constant{1}]"),
    (lambda x, t, i, j, iv, jv, im: x[i, :, None],
     "DimShuffle{0, 1, x}(x)[ScalarFromTensor(i), :, :]"),
    (lambda x, t, i, j, iv, jv, im: x[iv], "AdvancedSubtensor1(x, iv)"),
    (lambda x, t, i, j, iv, jv, im: x[iv, jv], "AdvancedSubtensor(x, iv, jv)"),
    (lambda x, t, i, j, iv, jv, im: x[:, iv], "AdvancedSubtensor1(x.T, iv).T"),
    (lambda x, t, i, j, iv, jv, im: t[:, iv],
     "DimShuffle{1, 0, 2}(AdvancedSubtensor1(DimShuffle{1, 0, 2}(t), iv))"),
    (lambda x, t, i, j, iv, jv, im: x[im],
     "Reshape{3}(AdvancedSubtensor1(x, Reshape{1}(im, TensorConstant{(1,) of -1})), "
     "join(TensorConstant{0}, Shape(im), Shape(x)[int64:]))"),
    (lambda x, t, i, j, iv, jv, im: x[:, im],
     "Reshape{3}(AdvancedSubtensor1(x.T, Reshape{1}(im, TensorConstant{(1,) of -1})).T, "
     "join(TensorConstant{0}, Shape(x)[:int64], Shape(im), Shape(x)[int64:]))"),
    (lambda x, t, i, j, iv, jv, im: x[iv, 1:],
     "AdvancedSubtensor(x, iv, MakeSlice(TensorFromScalar(Constant{1}), NoneConst, NoneConst))"),
    (lambda x, t, i, j, iv, jv, im: x[iv, i:],
     "AdvancedSubtensor(x, iv, MakeSlice(i, NoneConst, NoneConst))"),
    (lambda x, t, i, j, iv, jv, im: x[2, iv],
     "AdvancedSubtensor(x, TensorFromScalar(Constant{2}), iv)"),
    (lambda x, t, i, j, iv, jv, im: x[iv, None], "AdvancedSubtensor(x, iv, NoneConst)"),
    (lambda x, t, i, j, iv, jv, im: t[iv, :, jv],
     "AdvancedSubtensor(t, iv, MakeSlice(NoneConst, NoneConst, NoneConst), jv)"),
    (lambda x, t, i, j, iv, jv, im: x[x > 0],
     "AdvancedBooleanSubtensor(x, gt(x, TensorConstant{0}))"),
    (lambda x, t, i, j, iv, jv, im: x[[1, 2], [0, 1]],
     "AdvancedSubtensor(x, TensorConstant{[1 2]}, TensorConstant{[0 1]})"),
    (lambda x, t, i, j, iv, jv, im: T.set_subtensor(x[1:3, i], 0),
     "IncSubtensor{Set;int64:int64:, int64}(x, TensorConstant{0}, Constant{1}, Constant{3}, "
     "ScalarFromTensor(i))"),
    (lambda x, t, i, j, iv, jv, im: T.inc_subtensor(x[i, j], 1),
     "IncSubtensor{Inc;int64, int64}(x, TensorConstant{1}, ScalarFromTensor(i), "
     "ScalarFromTensor(j))"),
    (lambda x, t, i, j, iv, jv, im: T.set_subtensor(x[iv], 0.0),
     "AdvancedIncSubtensor1{no_inplace,set}(x, TensorConstant{0.0}, iv)"),
    (lambda x, t, i, j, iv, jv, im: T.inc_subtensor(x[iv, jv], 1.0),
     "AdvancedIncSubtensor{inplace=False,  set_instead_of_inc=False}(x, TensorConstant{1.0}, "
     "iv, jv)"),
]


@pytest.mark.parametrize(("build", "text"), _SUBSCRIPTS)
def test_pp_subscripts_match_theano(build, text):
    x, t = T.dmatrix("x"), T.dtensor3("t")
    i, j = T.lscalars("i", "j")
    iv, jv = T.lvectors("iv", "jv")
    im = T.lmatrix("im")
    assert theano.pp(build(x, t, i, j, iv, jv, im)) == text


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
