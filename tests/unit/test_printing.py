"""theano.pp and theano.printing.debugprint: the exact text Theano 1.0.5 printed.

The expected strings were produced by the original Theano (tools/theano-ref) on the same
graphs, before any rewrite, so they do not depend on the optimizer.
"""

import io
import json
import os
import re
import shutil

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


# ----------------------------------------------------------------------------- PPrinter family
# Expected strings printed by the original Theano 1.0.5 (theano-ref) on the same graphs.


def _graph_c_plus_f():
    A, B, D, E = (T.matrix(name=n) for n in "ABDE")
    C = A + B
    C.name = "C"
    return A, B, C + (D + E)


def test_pprinter_with_theano_printer_classes():
    from theano.printing import (FunctionPrinter, IgnorePrinter, OperatorPrinter, PatternPrinter,
                                 PPrinter, default_printer, leaf_printer)

    _, _, G = _graph_c_plus_f()
    pr = PPrinter()
    pr.assign(lambda pstate, r: True, default_printer)
    assert pr(G) == ("Elemwise{add,no_inplace}(Elemwise{add,no_inplace}(A, B), "
                     "Elemwise{add,no_inplace}(D, E))")
    pr.assign(T.add, OperatorPrinter("+", -1, "either"))  # by Op instance
    assert pr(G) == "((A + B) + (D + E))"
    pr2 = PPrinter()
    pr2.assign(lambda pstate, r: True, leaf_printer)
    pr2.assign(lambda pstate, r: r.owner is not None, FunctionPrinter("f"))
    assert pr2(G) == "f(f(A, B), f(D, E))"
    assert pr2(T.scalar("alpha") * 2) == "f(\\alpha, TensorConstant{2})"  # greek names
    pr3 = PPrinter()
    pr3.assign(lambda pstate, r: True, default_printer)
    pr3.assign(T.Elemwise, PatternPrinter("%(0)s ++ %(1)s"))  # by Op class: first
    assert pr3(G) == "A ++ B ++ D ++ E"
    pr3.assign(lambda pstate, r: r is G, IgnorePrinter())
    assert pr3(G) == "A ++ B ++ D ++ E"
    # clone_assign leaves the original alone; the latest condition is tried first, but a
    # printer assigned to the Op (instance or class) wins over every condition.
    pr4 = pr2.clone_assign(lambda pstate, r: r.name == "C", leaf_printer)
    assert pr4(G) == "f(C, f(D, E))"
    assert pr2(G) == "f(f(A, B), f(D, E))"
    assert pr.clone_assign(lambda pstate, r: r.name == "C", leaf_printer)(G) == \
        "((A + B) + (D + E))"
    with pytest.raises(TypeError, match="not the result of an operation"):
        OperatorPrinter("+", 0).process(G.owner.inputs[0].owner.inputs[0],
                                        theano.printing.PrinterState(pprinter=pr))
    with pytest.raises(AssertionError):
        OperatorPrinter("+", 0, "nowhere")


def test_pprint_is_a_pprinter_and_process_graph():
    A, B, G = _graph_c_plus_f()
    assert isinstance(theano.printing.pprint, theano.printing.PPrinter)
    assert theano.pp is theano.printing.pprint
    assert theano.printing.pprint(G) == "((A + B) + (D + E))"
    # Named intermediate results become statements (Theano's process_graph).
    assert theano.printing.pp.process_graph([A, B], [G]) == (
        "C = (A + B)\nreturn ((A + B) + (D + E))")


def test_min_informative_str_and_var_descriptor():
    from theano.printing import min_informative_str, var_descriptor

    _, _, G = _graph_c_plus_f()
    assert min_informative_str(G) == ("A. Elemwise{add,no_inplace}\n B. C\n"
                                      " C. Elemwise{add,no_inplace}\n  D. D\n  E. E")
    assert var_descriptor(G) == ("A=Elemwise{add,no_inplace}(B=Elemwise{add,no_inplace}"
                                 "(C=A,D=B),E=Elemwise{add,no_inplace}(F=D,G=E))")
    x = T.dvector("x")
    y = x + x  # the second use is a back-reference
    assert min_informative_str(y) == "A. Elemwise{add,no_inplace}\n B. x\n <B>"
    assert var_descriptor(T.constant(np.arange(3.0))) == "A=TensorConstant{[0. 1. 2.]}"


def test_hex_digest_and_position_independent_str():
    from theano.printing import hex_digest, position_independent_str

    assert hex_digest(np.arange(3.0)) == (
        "b0c45303f7f11848cb5e6e5b2af2fb2aecd0b72c28748b88b583ab6bb76df174"
        "|strides=[8]|shape=[3]")
    # The same bytes with another layout give another digest.
    assert hex_digest(np.arange(4.0).reshape(2, 2)).endswith("|strides=[16,8]|shape=[2,2]")
    assert position_independent_str(T.matrix("A")) == (
        "theano_var{type=TensorType(float64, matrix)}")
    with pytest.raises(NotImplementedError):
        position_independent_str(3)


def test_print_op_attrs_and_global_fn(capsys):
    from theano.printing import Print

    A = T.matrix("A")
    f = theano.function([A], Print("hi", attrs=("shape", "sum"))(A) * 2)
    assert f(np.ones((2, 2))).tolist() == [[2.0, 2.0], [2.0, 2.0]]
    assert capsys.readouterr().out == "hi shape = (2, 2)\nhi sum = 4.0\n"
    seen = []
    g = theano.function([A], Print("m", global_fn=lambda op, x: seen.append(
        (op.message, x.sum())))(A) + 1)
    g(np.full((1, 3), 2.0))
    assert seen == [("m", 6.0)]


def test_pydotprint_without_pydot_names_what_to_install(monkeypatch):
    import theano.printing as printing

    monkeypatch.setattr(printing, "pydot_imported", False)
    monkeypatch.setattr(printing, "pydot_imported_msg", "Install the python package pydot "
                        "or pydot-ng. Install graphviz.")
    x = T.dvector("x")
    with pytest.raises(ImportError, match="pydot") as info:
        printing.pydotprint(x * 2)
    assert isinstance(info.value, RuntimeError)  # Theano raised RuntimeError
    assert 'pip install "theano-compat[pydot]"' in info.value.args[0]
    assert "graphviz" in info.value.args[0]
    assert info.value.args[1] == printing.pydot_imported_msg
    with pytest.raises(TypeError):
        printing.pydotprint(42)


def test_debugprint_print_clients_and_storage_as_theano():
    """Strings printed by the original Theano 1.0.5 for the same functions."""
    x, y, z = T.dvectors("x", "y", "z")
    s = x * y
    f = theano.function([x, y, z], [s, s + z, s * z], mode="FAST_COMPILE")
    clients = " clients:[('[id B]', 1), ('[id C]', 2), ('output', '')]"
    assert theano.printing.debugprint(f, file="str", print_clients=True) == (
        f"Elemwise{{mul,no_inplace}} [id A] ''   0{clients}\n"
        " |x [id E]\n"
        " |y [id F]\n"
        "Elemwise{add,no_inplace} [id B] ''   1\n"
        f" |Elemwise{{mul,no_inplace}} [id A] ''   0{clients}\n"
        " |z [id G]\n"
        "Elemwise{mul,no_inplace} [id C] ''   2\n"
        f" |Elemwise{{mul,no_inplace}} [id A] ''   0{clients}\n"
        " |z [id G]\n")
    g = theano.function([x, y], x * y, mode="FAST_COMPILE")
    expected = ("Elemwise{mul,no_inplace} [id 0] ''   0 [None]\n"
                " |x [id 1] [None]\n"
                " |y [id 2] [None]\n")
    assert theano.printing.debugprint(g, file="str", ids="int", print_storage=True) == expected
    g(np.ones(2), np.ones(2))  # values are freed after the call
    assert theano.printing.debugprint(g, file="str", ids="int", print_storage=True) == expected


PYDOT_GOLDEN = os.path.join(os.path.dirname(__file__), "..", "golden",
                            "pydotprint.theano105.json")


def _pydot_graphs():
    """The graphs of tests/golden/make_pydotprint.py (recorded under Theano 1.0.5)."""
    v = T.dvector("v")
    yield "expression", (v * 2 + T.exp(v).sum()), {}
    x = T.dmatrix("x")
    w = theano.shared(np.ones((2, 2)), name="w")
    f = theano.function([x], [T.tanh(T.dot(x, w)).sum(), T.exp(x)],
                        updates=[(w, w - 0.1 * x)],
                        mode=theano.compile.mode.Mode(optimizer=None))
    yield "function_with_update", f, {}
    a, b = T.dmatrices("a", "b")
    yield "not_compact_with_ids", (a + b) * T.exp(a), {"compact": False, "with_ids": True}
    yield "low_contrast_simple_names", (a + b) * T.exp(a), {"high_contrast": False,
                                                            "var_with_name_simple": True}


def test_pydotprint_dot_text_is_theanos(monkeypatch, tmp_path):
    """The DOT source (labels, shapes, colours, edge labels, update edges, attribute
    order) is what Theano 1.0.5 handed to graphviz, node ids renumbered."""
    pydot = pytest.importorskip("pydot")
    import theano.printing as printing

    captured = []
    monkeypatch.setattr(printing, "pydot_imported", True)  # no `dot` needed for the text
    monkeypatch.setattr(pydot.Dot, "write", lambda self, path, prog=None, format=None:
                        captured.append((path, self.to_string())))
    with open(PYDOT_GOLDEN) as fh:
        golden = json.load(fh)
    for name, graph, kw in _pydot_graphs():
        printing.pydotprint(graph, outfile=str(tmp_path / name), format="dot",
                            print_output_file=False, **kw)
        path, text = captured.pop()
        assert path == str(tmp_path / name) + ".dot"
        ids = {}
        text = re.sub(r"\b\d{6,}\b", lambda m: ids.setdefault(m.group(0), f"n{len(ids)}"),
                      text)
        assert text == golden[name], name


def test_pydotprint_writes_png_and_svg_with_graphviz(tmp_path, capsys):
    pytest.importorskip("pydot")
    if shutil.which("dot") is None:
        pytest.skip("graphviz's dot program is not installed")
    x, y = T.dvectors("x", "y")
    f = theano.function([x, y], (x * y).sum())
    theano.printing.pydotprint(f, outfile=str(tmp_path / "g"), format="png")
    assert capsys.readouterr().out.strip() == \
        f"The output file is available at {tmp_path / 'g.png'}"
    assert (tmp_path / "g.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    svg = theano.printing.pydotprint(f, return_image=True, format="svg").decode()
    assert "<svg" in svg and "name=x TensorType(float64, vector)" in svg


def test_pydotprint_without_the_dot_program_names_graphviz(monkeypatch, tmp_path):
    pydot = pytest.importorskip("pydot")
    import theano.printing as printing

    def no_dot(self, *args, **kwargs):
        raise FileNotFoundError(2, '"dot" not found in path.')

    monkeypatch.setattr(printing, "pydot_imported", True)
    monkeypatch.setattr(pydot.Dot, "write", no_dot)
    with pytest.raises(RuntimeError, match="graphviz") as info:
        printing.pydotprint(T.dvector("x") * 2, outfile=str(tmp_path / "g"))
    assert "`dot` program" in str(info.value)


def _power_scan(A, k):
    r, _ = theano.scan(lambda prior, A: prior * A, outputs_info=T.ones_like(A),
                       non_sequences=A, n_steps=k)
    return r[-1]


def test_debugprint_appends_the_inner_graphs_of_scan_ops_as_theano():
    # Text printed by theano-ref for the same graphs (ids="": the outer graph that scan
    # builds around the loop differs here, the inner graphs do not).
    k = T.iscalar("k")
    A = T.dvector("A")
    text = theano.printing.debugprint(_power_scan(A, k), file="str", ids="")
    assert text[text.index("\nInner graphs"):] == (
        "\nInner graphs of the scan ops:\n\nfor{cpu,scan_fn}  ''   \n"
        " >Elemwise{mul,no_inplace}  ''   \n > |<TensorType(float64, vector)>  -> \n"
        " > |A_copy  -> \n")
    # CHAR ids: an inner input names the outer input it stands for.
    text = theano.printing.debugprint(_power_scan(A, k), file="str").splitlines()
    init = [ln for ln in text if "Rebroadcast" in ln][0].split("[id ")[1].split("]")[0]
    a_id = [ln for ln in text if ln.strip().startswith("|A [id")][0].split("[id ")[1][:-1]
    assert text[-2].endswith(f"-> [id {init}]") and text[-1].endswith(f"-> [id {a_id}]")
    # A scan inside a scan: its inner graph is printed after the outer one's.
    c = T.dvector("c")
    comps, _ = theano.scan(lambda coef, p, A, k: coef * _power_scan(A, k) ** p,
                           sequences=[c, T.arange(10)], non_sequences=[A, k])
    text = theano.printing.debugprint(comps.sum(), file="str", ids="")
    blocks = text[text.index("Inner graphs"):].split("\n\n")
    assert len(blocks) == 3 and blocks[1].startswith("for{cpu,scan_fn}  ''   \n"
                                                     " >Elemwise{mul,no_inplace}  ''   \n"
                                                     " > |InplaceDimShuffle{x}  ''   \n"
                                                     " > | |c[t]  -> \n")
    assert blocks[2] == ("for{cpu,scan_fn}  ''   \n >Elemwise{mul,no_inplace}  ''   \n"
                         " > |<TensorType(float64, vector)>  -> \n > |A_copy  -> \n")
