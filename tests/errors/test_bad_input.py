"""Bad inputs and runtime failures: original exception types, useful messages, no side effects.

DESIGN.md §9.3: a failure keeps Theano's exception type (TypeError for a bad argument,
ValueError for a shape mismatch...), names the variable and the operation, and for errors
raised while the compiled graph runs, carries a PEP 678 note with the user's source line
where the failing node was built.  A call that fails changes no shared variable.
"""

import traceback
import warnings

import numpy as np
import pytest
import theano
import theano.tensor as T
from theano.compile.function_module import MissingInputError, UnusedInputError


def _notes(exc):
    return "\n".join(getattr(exc, "__notes__", ()))


def _line_of(text):
    """The stripped source text of the one line of this file that starts with `text`."""
    with open(__file__) as fh:
        hits = [line.strip() for line in fh if line.strip().startswith(text)]
    assert len(hits) == 1, hits
    return hits[0]


# ----------------------------------------------------------------------------- bad arguments


def test_wrong_ndim_is_a_type_error_naming_the_input():
    x = T.dvector("x")
    f = theano.function([x], x + 1, name="addone")
    with pytest.raises(TypeError) as info:
        f(np.ones((2, 2)))
    msg = str(info.value)
    assert "Wrong number of dimensions: expected 1, got 2 with shape (2, 2)" in msg
    assert '"x"' in msg and "addone" in msg and "index 0" in msg
    with pytest.raises(TypeError, match="expected 1, got 0"):
        f(1.0)


def test_wrong_dtype_without_allow_input_downcast_is_a_type_error():
    x = T.fmatrix("x")
    f = theano.function([x], x * 2)
    with pytest.raises(TypeError) as info:
        f(np.ones((2, 2)))
    msg = str(info.value)
    assert '"x"' in msg
    assert "TensorType(float32, matrix)" in msg and "float64" in msg
    assert "allow_input_downcast=True" in msg
    np.testing.assert_array_equal(
        theano.function([x], x * 2, allow_input_downcast=True)(np.ones((2, 2))), 2 * np.ones((2, 2))
    )


def test_non_numeric_input_keeps_numpys_value_error():
    x = T.dvector("x")
    f = theano.function([x], x + 1)
    with pytest.raises(ValueError, match="could not convert string to float"):
        f("abc")


def test_missing_input_names_the_variable_and_its_use():
    x, y = T.dvectors("x", "y")
    z = x + y
    with pytest.raises(MissingInputError) as info:
        theano.function([x], z)
    msg = str(info.value)
    assert "Input y" in msg
    assert "Elemwise{add,no_inplace}(x, y)" in msg
    assert _line_of("z = x + y") in msg  # where the node using y was built


def test_missing_input_error_legacy_import_path():
    assert theano.gof.MissingInputError is MissingInputError


def test_unused_input_raises_names_the_index_and_variable():
    x, y = T.dvectors("x", "y")
    with pytest.raises(UnusedInputError) as info:
        theano.function([x, y], x * 2)
    msg = str(info.value)
    assert "index 1" in msg and msg.split("\n")[0].endswith(": y.")
    assert "on_unused_input='warn'" in msg
    assert theano.compile.UnusedInputError is UnusedInputError
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(UserWarning, match="index 1"):
            theano.function([x, y], x * 2, on_unused_input="warn")


def test_too_many_and_unknown_arguments():
    x = T.dvector("x")
    f = theano.function([x], x + 1)
    with pytest.raises(TypeError):
        f([1.0], [2.0])
    with pytest.raises(TypeError, match="Unknown input or state: y"):
        f(y=[1.0])
    with pytest.raises(TypeError, match="Missing required input: x"):
        f()


def test_calling_with_a_symbolic_variable_is_a_type_error():
    x = T.dvector("x")
    f = theano.function([x], x + 1)
    with pytest.raises(TypeError, match="Variable"):
        f(x)


# ----------------------------------------------------------------------------- runtime errors


def test_elementwise_shape_mismatch_keeps_value_error_and_points_at_user_line():
    a = T.dvector("a")
    b = T.dvector("b")
    total = a + b  # the failing node is built here
    f = theano.function([a, b], total * 2, name="adder",
                        mode=theano.compile.mode.Mode().excluding("fusion"))
    with pytest.raises(ValueError) as info:
        f(np.ones(3), np.ones(4))
    notes = _notes(info.value)
    assert "Elemwise{add,no_inplace}(a, b)" in notes  # the operation and its variables
    assert "(3,)" in notes and "(4,)" in notes  # the input shapes
    assert "adder" in notes
    assert _line_of("total = a + b  # the failing node") in notes
    assert "test_bad_input.py" in notes


def test_shape_mismatch_in_a_fused_node_names_every_member_line():
    a = T.dvector("a")
    b = T.dvector("b")
    added = a + b  # first member of the fused group
    doubled = added * 2  # fused with the line above
    f = theano.function([a, b], doubled, name="adder",
                        mode=theano.compile.mode.Mode(optimizer="fast_run"))
    (node,) = f.maker.fgraph.toposort()
    assert "Composite" in str(node.op)
    with pytest.raises(ValueError) as info:
        f(np.ones(3), np.ones(4))
    notes = _notes(info.value)
    assert "(3,)" in notes and "(4,)" in notes
    assert _line_of("added = a + b  # first member") in notes
    assert _line_of("doubled = added * 2  # fused") in notes


def test_dot_of_incompatible_matrices_points_at_user_line():
    A = T.dmatrix("A")
    B = T.dmatrix("B")
    prod = T.dot(A, B)
    g = theano.function([A, B], prod.sum())
    with pytest.raises(ValueError) as info:
        g(np.ones((2, 3)), np.ones((4, 5)))
    assert "not aligned" in str(info.value)  # NumPy's own message is kept
    notes = _notes(info.value)
    assert "dot(A, B)" in notes and "(2, 3)" in notes and "(4, 5)" in notes
    assert _line_of("prod = T.dot(A, B)") in notes


def test_node_built_inside_a_library_function_points_at_the_calling_line():
    x = T.dmatrix("x")
    w = T.dmatrix("w")
    out = T.nnet.softmax(T.dot(x, w))
    f = theano.function([x, w], out)
    with pytest.raises(ValueError) as info:
        f(np.ones((2, 3)), np.ones((2, 3)))
    assert _line_of("out = T.nnet.softmax(T.dot(x, w))") in _notes(info.value)


def test_error_note_added_once_per_failure():
    x = T.dvector("x")
    y = T.dvector("y")
    s = x + y
    f = theano.function([x, y], s)
    for _ in range(2):
        with pytest.raises(ValueError) as info:
            f(np.ones(2), np.ones(5))
        assert len(info.value.__notes__) == 1


def test_traceback_hides_library_frames_at_low_verbosity():
    a = T.dvector("a")
    b = T.dvector("b")
    f = theano.function([a, b], (a + b).sum())
    with pytest.raises(ValueError) as info:
        f(np.ones(3), np.ones(4))
    files = [fr.filename for fr in traceback.extract_tb(info.value.__traceback__)]
    assert files[0] == __file__
    internal = [fn for fn in files if "theano_compat" in fn and not fn.startswith("<")]
    assert all(fn.endswith("compiled.py") for fn in internal)  # only the call boundary
    assert any(fn.startswith("<theano_compat fn") for fn in files)  # the generated line


def test_high_verbosity_adds_values_and_the_program():
    a = T.dvector("a")
    b = T.dvector("b")
    f = theano.function([a, b], (a + b).sum())
    with theano.change_flags(exception_verbosity="high"), pytest.raises(ValueError) as info:
        f(np.ones(3), np.zeros(4))
    notes = _notes(info.value)
    assert "input a = [1. 1. 1.]" in notes and "input b = [0. 0. 0. 0.]" in notes
    assert "the whole program" in notes and "# Elemwise{add,no_inplace}" in notes


# ----------------------------------------------------------------------------- no side effects


def test_failed_call_updates_nothing():
    w = theano.shared(np.ones(3), "w")
    b = theano.shared(np.zeros(3), "b")
    count = theano.shared(0, "count")
    x = T.dvector("x")
    y = T.dvector("y")
    # The updates of w and count can be computed before the failing node; none may apply.
    early = w * 2
    bad = early + y
    f = theano.function(
        [x, y],
        bad.sum(),
        updates=[(w, early), (count, count + 1), (b, b + x)],
    )
    with pytest.raises(ValueError):
        f(np.ones(3), np.ones(4))
    np.testing.assert_array_equal(w.get_value(), np.ones(3))
    np.testing.assert_array_equal(b.get_value(), np.zeros(3))
    assert count.get_value() == 0
    # A bad argument (rejected before running) changes nothing either.
    with pytest.raises(TypeError):
        f(np.ones((3, 3)), np.ones(3))
    assert count.get_value() == 0
    assert f(np.ones(3), np.ones(3)) == 9.0
    np.testing.assert_array_equal(w.get_value(), np.full(3, 2.0))
    assert count.get_value() == 1


def test_failed_call_does_not_advance_in_state_or_default_updates():
    acc = T.dscalar("acc")
    s = theano.shared(1.0, "s")
    s.default_update = s + 1
    v = T.dvector("v")
    f = theano.function(
        [theano.In(acc, value=0.0, update=acc + 1), v],
        (v + np.ones(2)).sum() + acc + s,
    )
    with pytest.raises(ValueError):
        f(v=np.ones(3))
    assert s.get_value() == 1.0
    assert f(v=np.ones(2)) == 4.0 + 0.0 + 1.0
    assert s.get_value() == 2.0
    assert f(v=np.ones(2)) == 4.0 + 1.0 + 2.0
