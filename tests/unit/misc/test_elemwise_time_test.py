"""theano.misc.elemwise_time_test: timing a cheap and a costly elementwise function."""

import theano.misc.elemwise_time_test as ett


def test_eval_time_keeps_the_shortest_call(capsys):
    calls = []
    best = ett.evalTime(calls.append, 5, script=True, loops=4)
    assert calls == [5, 5, 5, 5] and 0 <= best < 1.0
    assert capsys.readouterr().out == ""
    ett.evalTime(calls.append, 1, script=False, loops=2)
    assert capsys.readouterr().out.startswith(" run time in 2 loops was ")


def test_elemwise_op_time_and_main(capsys):
    cheap, costly = ett.ElemwiseOpTime(50, script=True, loops=2)
    assert cheap >= 0 and costly >= 0
    assert capsys.readouterr().out == ""
    ett.main(["prog", "-N", "20", "--script"])
    fields = capsys.readouterr().out.split()
    assert len(fields) == 2 and all(float(v) >= 0 for v in fields)
