# Records theano.scan results under Theano 1.0.5 (run with shared/tools/theano-ref, from /tmp):
# loops with taps, go_backwards, until, shared updates, nested scans, random draws inside the
# step (RandomStreams and MRG, state advancing across calls), gradients (full and truncated
# BPTT, taps, initial states, MRG dropout), Rop, and the exception types of misuse.
import json
import sys
import numpy as np
import theano
import theano.tensor as T
from theano.tensor.shared_randomstreams import RandomStreams
from theano.sandbox.rng_mrg import MRG_RandomStreams
from theano.scan_module import until

out = {}


def enc(v):
    v = np.asarray(v)
    return {'dtype': str(v.dtype), 'shape': list(v.shape), 'data': v.ravel().tolist()}


def rec(key, fn):
    try:
        res = fn()
    except Exception as e:
        out[key] = 'ERROR ' + type(e).__name__
        return
    if key.startswith('err_') and not isinstance(res, np.ndarray):
        out[key] = 'NO ERROR'
    else:
        out[key] = [enc(r) for r in res] if isinstance(res, (list, tuple)) else enc(res)


rng = np.random.RandomState(42)
XV = rng.randn(5, 3)
H0V = rng.randn(2)
WV = rng.randn(3, 2)
UV = rng.randn(2, 2) * 0.5
VV = rng.randn(3, 2)
x = T.dmatrix('x'); h0 = T.dvector('h0'); W = T.dmatrix('W'); U = T.dmatrix('U')
v = T.dvector('v'); s = T.dscalar('s'); k = T.iscalar('k')


def rnn(truncate=-1, backwards=False):
    h, _ = theano.scan(lambda xt, h, W, U: T.tanh(T.dot(xt, W) + T.dot(h, U)), sequences=x,
                       outputs_info=h0, non_sequences=[W, U], truncate_gradient=truncate,
                       go_backwards=backwards)
    return h


# -- forward loops
def power():
    r, _ = theano.scan(lambda prior, A: prior * A, outputs_info=T.ones_like(v), non_sequences=v,
                       n_steps=k)
    return theano.function([v, k], r)(np.array([1.5, -2.0, 0.5]), 4)
rec('power', power)


def polynomial():
    c = T.dvector('c')
    comps, _ = theano.scan(lambda coeff, power, free: coeff * (free ** power),
                           sequences=[c, T.arange(1000)], non_sequences=s)
    return theano.function([c, s], comps.sum())(np.array([1.0, 0.0, 2.0, -1.5]), 3.0)
rec('polynomial', polynomial)


def fib_taps():
    r, _ = theano.scan(lambda a2, a1: a2 + a1 * 0.5, outputs_info=dict(initial=v, taps=[-2, -1]),
                       n_steps=6)
    return theano.function([v], r)(np.array([1.0, 2.0, 3.0]))
rec('fib_taps', fib_taps)


def seq_taps_backwards():
    r, _ = theano.scan(lambda a, b, c, p: a * b + c - 0.1 * p,
                       sequences=dict(input=x[:, 0], taps=[-2, 0, 1]), outputs_info=s,
                       go_backwards=True)
    return theano.function([x, s], r)(XV, 0.25)
rec('seq_taps_backwards', seq_taps_backwards)


def multi_outputs():
    r, _ = theano.scan(lambda a, p, q: [p + a, a * 2, q * a.sum()], sequences=x,
                       outputs_info=[h0[:1].repeat(3), None, s])
    return theano.function([x, h0, s], r)(XV, H0V, 1.5)
rec('multi_outputs', multi_outputs)


def until_loop():
    r, _ = theano.scan(lambda p: (p * 2, until(p * 2 > 40)), outputs_info=s, n_steps=20)
    return theano.function([s], r)(0.75)
rec('until', until_loop)


def shortcuts():
    m, _ = theano.map(lambda a: a ** 2, sequences=v)
    r, _ = theano.reduce(lambda a, acc: acc * 2 + a, sequences=v, outputs_info=s)
    fl, _ = theano.foldl(lambda a, acc: acc * 2 + a, sequences=v, outputs_info=s)
    fr, _ = theano.foldr(lambda a, acc: acc * 2 + a, sequences=v, outputs_info=s)
    return theano.function([v, s], [m, r, fl, fr])(np.array([1.0, -2.0, 3.0, 0.5]), 0.5)
rec('shortcuts', shortcuts)


def shared_accumulator():
    acc = theano.shared(np.float64(1.0), name='acc')
    r, upd = theano.scan(lambda a: (acc * a, {acc: acc + a}), sequences=v)
    f = theano.function([v], r, updates=upd)
    first = f(np.array([1.0, 2.0, 3.0]))
    second = f(np.array([1.0, 2.0, 3.0]))
    return [first, second, acc.get_value()]
rec('shared_accumulator', shared_accumulator)


def nested():
    def row_fn(row, c):
        r, _ = theano.scan(lambda e, p, c: p * c + e, sequences=row, outputs_info=T.zeros_like(c),
                           non_sequences=c)
        return r[-1]
    o, _ = theano.scan(row_fn, sequences=x, non_sequences=s)
    return theano.function([x, s], o)(XV, 0.5)
rec('nested', nested)


def one_step():
    r, _ = theano.scan(lambda a, b: a * b, sequences=[v, v[::-1]], n_steps=1)
    return theano.function([v], r)(np.array([1.0, 2.0, 3.0]))
rec('one_step', one_step)


# -- random draws inside the step
def binomial_rs():
    srng = RandomStreams(1234)
    p = T.dvector('p')
    samples, upd = theano.scan(lambda pp: srng.binomial(size=(3,), n=1, p=pp, dtype='float64'),
                               sequences=p)
    f = theano.function([p], samples, updates=upd)
    pv = np.array([0.5, 0.2, 0.9, 0.4])
    return [f(pv), f(pv)]
rec('binomial_rs', binomial_rs)


def normal_rs_state():
    srng = RandomStreams(99)
    r, upd = theano.scan(lambda h: h + srng.normal(size=(2,)), outputs_info=T.zeros(2), n_steps=3)
    f = theano.function([], r, updates=upd)
    return [f(), f()]
rec('normal_rs_state', normal_rs_state)


def mrg_uniform():
    m = MRG_RandomStreams(42)
    p = T.dvector('p')
    r, upd = theano.scan(lambda pp: m.uniform(size=(2,)) * pp, sequences=p)
    f = theano.function([p], r, updates=upd)
    pv = np.array([1.0, 2.0, 3.0])
    return [f(pv), f(pv)]
rec('mrg_uniform', mrg_uniform)


def mrg_dropout_grad():
    m = MRG_RandomStreams(3)
    def step(xt, h, W):
        mask = m.binomial(size=(2,), p=0.7, dtype='float64')
        return T.tanh(T.dot(xt, W) + h) * mask
    hs, upd = theano.scan(step, sequences=x, outputs_info=T.zeros(2, dtype='float64'),
                          non_sequences=W)
    gW = T.grad((hs ** 2).sum(), W)
    f = theano.function([x, W], [hs, gW], updates=upd)
    return list(f(XV, WV)) + list(f(XV, WV))
rec('mrg_dropout_grad', mrg_dropout_grad)


def rs_without_updates():
    srng = RandomStreams(7)
    r, _ = theano.scan(lambda h: h + srng.uniform(size=(2,)), outputs_info=T.zeros(2),
                       n_steps=3)
    f = theano.function([], r)
    return [f(), f()]
rec('rs_without_updates', rs_without_updates)


# -- gradients
def grads(truncate, backwards=False):
    h = rnn(truncate, backwards)
    cost = (h ** 2).sum() + h[-1].sum()
    return theano.function([x, h0, W, U], T.grad(cost, [x, h0, W, U]))(XV, H0V, WV, UV)
rec('grad_rnn', lambda: grads(-1))
rec('grad_rnn_truncate2', lambda: grads(2))
rec('grad_rnn_backwards', lambda: grads(-1, True))


def grad_taps():
    r, _ = theano.scan(lambda a, b, p2, p1: a * b + 0.5 * p2 * p1,
                       sequences=dict(input=x[:, 0], taps=[-1, 1]),
                       outputs_info=dict(initial=v, taps=[-2, -1]))
    return theano.function([x, v], T.grad((r ** 2).sum(), [x, v]))(XV, np.array([0.3, -0.7]))
rec('grad_taps', grad_taps)


def grad_taps_truncate2():
    r, _ = theano.scan(lambda a, b, p2, p1: a * b + 0.5 * p2 * p1,
                       sequences=dict(input=x[:, 0], taps=[-1, 1]),
                       outputs_info=dict(initial=v, taps=[-2, -1]), truncate_gradient=2)
    return theano.function([x, v], T.grad((r ** 2).sum(), [x, v]))(XV, np.array([0.3, -0.7]))
rec('grad_taps_truncate2', grad_taps_truncate2)


def err_grad_through_randomstreams():
    srng = RandomStreams(5)
    h, _ = theano.scan(lambda xt, h, W: T.tanh(T.dot(xt, W) + h) * srng.binomial(size=(2,), p=0.5),
                       sequences=x, outputs_info=T.zeros(2), non_sequences=W)
    return T.grad(h.sum(), W)
rec('err_grad_through_randomstreams', err_grad_through_randomstreams)


def grad_shared_inside():
    Ws = theano.shared(WV, name='Ws')
    h, _ = theano.scan(lambda xt, h: T.tanh(T.dot(xt, Ws) + h), sequences=x, outputs_info=h0)
    return theano.function([x, h0], T.grad(h.sum(), Ws))(XV, H0V)
rec('grad_shared_inside', grad_shared_inside)


def grad_until():
    r, _ = theano.scan(lambda a, p: (p * a + a, until(p > 3.0)), sequences=v, outputs_info=s)
    f = theano.function([v, s], [r, T.grad(r.sum(), [v, s])[0], T.grad(r.sum(), s)])
    return f(np.array([1.5, 1.2, 2.0, 0.5, 1.1]), 1.0)
rec('grad_until', grad_until)


def rop_rnn():
    h = rnn()
    Vm = T.dmatrix('Vm')
    return theano.function([x, h0, W, U, Vm], T.Rop(h, W, Vm))(XV, H0V, WV, UV, VV)
rec('rop_rnn', rop_rnn)


def jacobian_hessian():
    y = v ** 2 + T.sin(v).sum()
    J, _ = theano.scan(lambda i, y, x: T.grad(y[i], x), sequences=T.arange(y.shape[0]),
                       non_sequences=[y, v])
    cost = (v ** 3).sum() * v[0]
    gy = T.grad(cost, v)
    H, _ = theano.scan(lambda i, gy, x: T.grad(gy[i], x), sequences=T.arange(gy.shape[0]),
                       non_sequences=[gy, v])
    return theano.function([v], [J, H])(np.array([0.5, -1.0, 2.0]))
rec('jacobian_hessian', jacobian_hessian)


# -- misuse: exception types
def err_dtype():
    theano.scan(lambda p: p * 2.0, outputs_info=T.constant(np.float32(1.0)) * s, n_steps=2)
    theano.scan(lambda p: (p * s), outputs_info=T.constant(np.float32(1.0)), n_steps=2)
rec('err_dtype', err_dtype)
rec('err_ndim', lambda: theano.scan(lambda p: p.sum(), outputs_info=T.zeros((3,)), n_steps=3))
rec('err_broadcast', lambda: theano.function([], theano.scan(
    lambda p: T.dot(p, T.ones((1, 3))), outputs_info=T.zeros((1, 1)), n_steps=3)[0]))
rec('err_count', lambda: theano.scan(lambda a: [a, a * 2], sequences=v, outputs_info=[None]))
rec('err_python_number', lambda: theano.scan(lambda a: 2, sequences=v))
rec('err_updates_first', lambda: theano.scan(lambda a: ({}, a), sequences=v))
rec('err_no_steps', lambda: theano.scan(lambda p: p, outputs_info=s))
rec('err_positive_tap', lambda: theano.scan(lambda p: p, outputs_info=dict(initial=v, taps=[1]),
                                            n_steps=2))


def err_strict():
    Ws = theano.shared(np.ones(3), name='Ws')
    theano.scan(lambda a: a * Ws, sequences=v, strict=True)
rec('err_strict', err_strict)


def err_zero_steps():
    r, _ = theano.scan(lambda p: p * 2, outputs_info=s, n_steps=k)
    return theano.function([s, k], r)(1.0, 0)
rec('err_zero_steps', err_zero_steps)


def err_negative_steps():
    r, _ = theano.scan(lambda p: p * 2, outputs_info=s, n_steps=k)
    return theano.function([s, k], r)(1.0, -2)
rec('err_negative_steps', err_negative_steps)

json.dump(out, sys.stdout, indent=0, sort_keys=True)
