"""Optimizer databases: registration rules, queries by tag and position, and the optdb
slots users register into."""

from __future__ import annotations

import pytest

from theano_compat.graph import optdb as D
from theano_compat.graph.optimizers import (EquilibriumOptimizer, LocalOptGroup, OpSub,
                                            Optimizer, SeqOptimizer, TopoOptimizer)
from theano_compat.graph.op import Op


class Opt(Optimizer):
    pass


def test_names_and_tags_must_not_collide():
    db = D.DB()
    db.register("a", Opt())
    db.register("c", Opt(), "z", "asdf")
    assert "a" in db and "c" in db and "z" in db
    with pytest.raises(ValueError, match="The name"):
        db.register("c", Opt())
    with pytest.raises(ValueError, match="The name"):
        db.register("z", Opt())
    with pytest.raises(ValueError, match="The tag"):
        db.register("u", Opt(), "a")
    with pytest.raises(TypeError):
        db.register("f", lambda fgraph: None)


def test_sequence_db_orders_by_position_and_filters():
    db = D.SequenceDB()
    first, second, third = Opt(), Opt(), Opt()
    db.register("second", second, 2, "fast_run")
    db.register("first", first, 1, "fast_run", "cheap")
    db.register("third", third, 3, "fast_compile")
    seq = db.query("+fast_run")
    assert isinstance(seq, SeqOptimizer) and list(seq) == [first, second]
    assert list(db.query("+fast_run", "-cheap")) == [second]
    assert list(db.query(D.Query(include=["fast_run", "fast_compile"],
                                 position_cutoff=2.5))) == [first, second]
    with pytest.raises(ValueError):
        db.query("cheap")  # tags need a +, - or & prefix
    # ... except the names of Theano's predefined optimizers (its OPT_* constants)
    assert list(db.query("fast_run")) == [first, second]


def test_nested_dbs_become_optimizers():
    class MyOp(Op):
        pass

    a, b = MyOp(), MyOp()
    eq = D.EquilibriumDB()
    db = D.SequenceDB()
    db.register("eq", eq, 1, "fast_run")
    sub = OpSub(a, b)
    eq.register("sub", sub, "fast_run")
    built = db.query("+fast_run")
    (inner,) = list(built)
    assert isinstance(inner, EquilibriumOptimizer) and inner.name == "eq"
    assert list(inner.get_local_optimizers()) == [sub]
    group = D.LocalGroupDB()
    group.register("sub", sub, "fast_run")
    assert isinstance(group.query("+fast_run"), LocalOptGroup)
    assert isinstance(D.TopoDB(group).query("+fast_run"), TopoOptimizer)
    assert D.ProxyDB(group).query("+fast_run").opts == (sub,)


def test_optdb_query_runs_the_project_phases():
    """Theano code applies ``optdb.query(...)`` to a graph of its own."""
    import theano.tensor as T

    from theano_compat.graph.fgraph import FunctionGraph

    x = T.dvector("x")
    g = FunctionGraph([x], [T.log(1 + x)])
    D.optdb.query(D.Query(include=["fast_run"], position_cutoff=1.51)).optimize(g)
    assert [str(n.op) for n in g.toposort()] == ["Elemwise{log1p,no_inplace}"]
    g = FunctionGraph([x], [T.log(1 + x)])
    D.optdb.query(D.Query(include=["fast_run"], exclude=["local_log1p"],
                          position_cutoff=1.51)).optimize(g)
    assert "Elemwise{log,no_inplace}" in [str(n.op) for n in g.toposort()]


def test_optdb_has_theano_slots():
    assert D.optdb.position("canonicalize") == 1
    assert D.optdb.position("stabilize") == 1.5
    assert D.optdb.position("specialize") == 2
    assert D.optdb.position("uncanonicalize") == 3
    assert isinstance(D.optdb["canonicalize"], D.EquilibriumDB)
    rules, passes = D.registered("canonicalize", ("fast_run",))
    assert isinstance(rules, list) and isinstance(passes, list)
