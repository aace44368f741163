"""One case per rewrite rule: the rule fires, and the rewritten function computes what the
unrewritten graph computes (optimizer=None), on random inputs.

`test_every_rule_has_a_case` enumerates the rule lists of the pipelines, so a rule added
without a case here fails the suite.
"""

import warnings

import numpy as np
import pytest

import theano
import theano.gradient
import theano.ifelse
import theano.tensor.raw_random
import theano.tensor as T
from theano_compat.compile.mode import Mode
from theano_compat.compile.pipeline import PIPELINES
from theano_compat.scalar.ops import cast_op
from theano_compat.tensor import blas_c
from theano_compat.tensor.construct import AllocEmpty
from theano_compat.tensor.elemwise import elemwise_of
from theano_compat.tensor.extra_ops import TopKOp
from theano_compat.tensor.shapes import Flatten
from theano_compat.tensor.type import Rebroadcast

rng = np.random.RandomState(42)

x, y = T.dvectors("x", "y")
m = T.dmatrix("m")
f32 = T.fvector("f32")
n = T.iscalar("n")
iv = T.ivector("iv")


def pos(shape=(5,)):
    return rng.uniform(0.1, 2.0, size=shape)


def anyv(shape=(5,)):
    return rng.uniform(-3, 3, size=shape)


# rule name -> (inputs, output expression, input values[, names to exclude so that an
# earlier phase does not pre-empt the rule])
CASES = {
    "constant_folding": ([x], x + (T.constant(2.0) * 3.0), [anyv()]),
    "scan_prune_unused_outputs": ([x], theano.scan(lambda a: [a * 2, a + 1], sequences=x)[0][1],
                                  [anyv()]),
    "remove_constants_and_unused_inputs_scan": (
        [x, y], theano.scan(lambda a, h, c: h + a, sequences=x, outputs_info=x[0],
                            non_sequences=[y])[0] + y[0], [anyv(), anyv()]),
    "scan_pushout_non_seqs_ops": (
        [x, y], theano.scan(lambda a, h, v: h * 0.5 + a * T.exp(v).sum(), sequences=x,
                            outputs_info=x[0], non_sequences=[y])[0], [anyv(), anyv()]),
    "scan_pushout_seqs_ops": ([x], theano.scan(lambda a, h: h * 0.5 + T.exp(a), sequences=x,
                                               outputs_info=x[0])[0], [anyv()]),
    "scan_merge": ([x], theano.scan(lambda a, h: h + a, sequences=x, outputs_info=x[0])[0]
                   + theano.scan(lambda a, h: h * a, sequences=x, outputs_info=x[0])[0],
                   [anyv()]),
    "scan_save_mem": ([x], theano.scan(lambda a, h: h * 0.5 + a, sequences=x,
                                       outputs_info=x[0])[0][-1], [anyv()]),
    # The reverse loop's sum of dot(h_t.T, g_t) for W's gradient: one product after it.
    "scan_pushout_output": (
        [(t3 := T.dtensor3("t3")), m],
        T.grad(theano.scan(lambda a, h, w: T.tanh(T.dot(h, w) + a), sequences=t3,
                           outputs_info=t3[0], non_sequences=[m])[0].sum(), m),
        [anyv((4, 2, 3)), anyv((3, 3)) * 0.3]),
    # The step's graph in canonical form (the reverse loop of a gradient: fills, * 1).
    "scan_inner_canonicalize": ([x], theano.scan(lambda a, h: (h * 1.0 + a) * 0.5,
                                                 sequences=x, outputs_info=x[0])[0],
                                [anyv()]),
    # A per-step output computed from the new state only: after the loop, on its buffer.
    "scan_pushout_nits": ([x], theano.scan(lambda a, h: [h * 0.5 + a, T.exp(h * 0.5 + a)],
                                           sequences=x, outputs_info=[x[0], None])[0][1],
                          [anyv()]),
    # The gradient's twin of the forward loop (it also outputs the step's tanh and exp for
    # the reverse loop): one loop.
    "scan_merge_same_inputs": (
        [x], T.grad(theano.scan(lambda a, h: T.tanh(h * 0.5 + a) * T.exp(h * 0.1),
                                sequences=x, outputs_info=x[0])[0].sum(), x), [anyv()]),
    "local_dimshuffle_lift": ([m], m.T.T + 1, [anyv((3, 4))]),
    "local_useless_cast": ([x], elemwise_of(cast_op("float64"))(x) * 2, [anyv()]),
    "local_useless_fill": ([x], T.fill(x, x * 2), [anyv()]),
    "local_useless_rebroadcast": ([x], Rebroadcast((0, False))(x) + 1, [anyv()]),
    "local_useless_reduce": ([m], T.sum(m, axis=[]) + 1, [anyv((2, 3))]),
    "local_reshape_chain": ([m], m.reshape((6,)).reshape((3, 2)) + 1, [anyv((2, 3))]),
    "local_sum_scalar_mul": ([m, x], T.sum(x[0] * m, axis=1), [anyv((2, 3)), anyv()]),
    "local_mul_canonizer": ([x, y], (x * 2) * (y * 3) / x, [pos(), anyv()]),
    "local_add_canonizer": ([x, y], (x + 2) - (y + 2) + y, [anyv(), anyv()]),
    "local_shape_to_shape_i": ([m], T.cast((m * 2).shape, "float64") + 1, [anyv((2, 3))]),
    "local_shape_i_lift": ([m], T.cast(T.dot(m, m.T).shape[0], "float64"), [anyv((2, 3))]),
    # (local_shape_to_shape_i turns every shape into a make_vector first, as Theano's
    # ShapeFeature did: this rule shows with that one switched off.)
    "local_subtensor_of_shape": ([m], T.cast(m.shape[1], "float64") * 2, [anyv((2, 3))],
                                 ("local_shape_to_shape_i",)),
    "local_subtensor_of_unary_elemwise": ([m], 1.0 / T.cast(m.shape, "float64")[0],
                                          [anyv((2, 3))]),
    "local_subtensor_make_vector": ([m], T.cast(T.stack([m.shape[0], m.shape[1]])[1],
                                                "float64"), [anyv((2, 3))]),
    "local_mul_canonizer_stable": ([x], T.exp(x) / (1 + T.exp(x)), [anyv()]),
    "local_greedy_distributor": ([x, y], (x / y + x) * y, [anyv(), pos()]),
    # Excluding "canonicalize" would switch it off too (Theano ran no canonicaliser then).
    "local_add_canonizer_stable": ([x, y], T.log(x - y + y), [pos(), anyv()],
                                   ["local_add_canonizer"]),
    "local_1msigmoid": ([x], (1 - T.nnet.sigmoid(x)) * 3, [anyv()]),
    "local_log_sigmoid": ([x], T.log(T.nnet.sigmoid(x)), [anyv()]),
    "local_log1p_neg_sigmoid": ([x], T.log1p(-T.nnet.sigmoid(x)), [anyv()]),
    "local_log1p": ([x], T.log(1 + x), [pos()]),
    "local_log1p_of_one_minus": ([x], T.log(1 - x), [rng.uniform(-1, 0.9, 5)]),
    "local_softplus_of_exp": ([x], T.log1p(T.exp(x)), [anyv()]),
    "local_expm1": ([x, y], (T.exp(x) - 1) * y, [anyv(), anyv()], ["canonicalize_algebra"]),
    "local_expm1_add": ([x], T.exp(x) + (-1.0), [anyv()]),
    "local_erfc": ([x], 1 - T.erf(x), [anyv()], ["local_one_minus_erf"]),
    "local_log_softmax": ([m], T.log(T.nnet.softmax(m)), [anyv((3, 4))]),
    "local_log_sum_exp": ([m], T.log(T.sum(T.exp(m), axis=1)), [anyv((3, 4))]),
    "local_crossentropy_to_log_softmax": (
        [m, iv], T.nnet.categorical_crossentropy(T.nnet.softmax(m), iv),
        [anyv((3, 4)), np.array([0, 3, 1], "int32")]),
    "local_softmax_grad_crossentropy": (
        [m, iv], T.grad(T.nnet.categorical_crossentropy(T.nnet.softmax(m), iv).sum(), m),
        [anyv((3, 4)), np.array([0, 3, 1], "int32")]),
    "local_pow_specialize_2": ([x], x ** 2, [anyv()]),
    "local_pow_specialize_05": ([x], x ** 0.5, [pos()]),
    "local_pow_specialize_m1": ([x], x ** -1, [pos()]),
    "local_pow_specialize_1": ([x, y], x ** 1 + y, [anyv(), anyv()],
                               ["local_pow_canonicalize"]),
    "local_mul_zero": ([x, y], x * 0.0 + y, [anyv(), anyv()]),
    "local_sum_of_alloc": ([n], T.sum(T.alloc(np.float64(2.5), n, 3)), [np.int32(4)]),
    "local_dot_vectors_bcast": ([x, y], T.dot(T.addbroadcast(x[:1], 0), y), [anyv(), anyv((1,))]),
    "inline_ofg_expansion": ([x], theano.OpFromGraph([m, n], [T.exp(m) * n], inline=True)(
        x.dimshuffle("x", 0), 3), [anyv()]),
}

# Theano's rules of tensor/rewrites/legacy.py (the last entry, when given, names the rules
# a mode must include: the optional ones).
t3 = T.TensorType("float64", (False, True, False))("t3")
CASES.update({
    "local_0_dot_x": ([x, m], T.dot(T.zeros_like(x), m), [anyv((2,)), anyv((2, 3))]),
    "local_add_specialize": ([x], x + T.zeros_like(x), [anyv()],
                             ("local_add_canonizer", "local_add_canonizer_stable",
                              "local_useless_fill")),
    "local_alloc_dimshuffle": ([x], T.exp(T.alloc(x.dimshuffle("x", 0), 3, 5)), [anyv()],
                               ("local_alloc_unary",)),
    "local_canonicalize_alloc": ([x], T.alloc(x, 1, 5) + 1, [anyv()]),
    "local_cast_cast": ([f32], T.cast(T.cast(f32, "float64"), "float32") * 2,
                        [anyv().astype("float32")]),
    "local_dimshuffle_alloc": ([x], T.exp(T.alloc(x, 3, 5).dimshuffle("x", 0, 1)), [anyv()]),
    "local_dimshuffle_subtensor": ([t3], T.exp(t3[1:, :, :].dimshuffle(0, 2)),
                                   [anyv((4, 1, 3))]),
    "local_elemwise_alloc": ([x, m], T.alloc(x, 2, 5) + m, [anyv(), anyv((2, 5))]),
    "local_elemwise_sub_zeros": ([x], x - x, [anyv()],
                                 ("local_add_canonizer", "local_add_canonizer_stable")),
    "local_func_inv": ([x], T.rad2deg(T.deg2rad(x)), [anyv()]),
    "local_incsubtensor_of_zeros": ([m, x], T.inc_subtensor(m[:2], T.zeros_like(x)),
                                    [anyv((3, 5)), anyv()]),
    "local_incsubtensor_of_zeros_to_setsubtensor": (
        [x], T.inc_subtensor(T.constant(np.zeros(5))[1:3], x[:2]), [anyv()]),
    "local_intdiv_by_one": ([iv], iv // 1 + 1, [np.arange(5, dtype="int32")]),
    "local_join_1": ([x], T.Join()(T.constant(0), x) * 2, [anyv()]),
    "local_join_empty": ([x, y], T.join(0, x, T.constant(np.zeros(0)), y),
                         [anyv(), anyv((2,))]),
    "local_max_and_argmax": ([m], T.max_and_argmax(m, 1)[0] + 1, [anyv((2, 3))]),
    "local_max_to_min": ([x], -T.max(-x), [anyv()]),
    "local_min_of_neg": ([x], T.min(-x), [anyv()]),
    "local_merge_alloc": ([x], T.alloc(T.alloc(x, 3, 5), 2, 3, 5), [anyv()]),
    "local_merge_switch_same_cond": ([x, y], T.switch(x > 0, x, y) * T.switch(x > 0, y, x),
                                     [anyv(), anyv()]),
    "local_neg_div_neg": ([x, y], -((-x) / y), [anyv(), pos()],
                          ("local_mul_canonizer", "local_mul_canonizer_stable")),
    "local_neg_neg": ([x], -(-x) * 2, [anyv()], ("canonicalize_algebra", "local_func_inv")),
    "local_op_of_op": ([m], m.sum(0).sum(0), [anyv((2, 3))]),
    "local_opt_alloc": ([n], T.alloc(np.float64(2.5), n, 3).sum(axis=0), [np.int32(4)]),
    "local_reduce_broadcastable": ([x], T.sum(x.dimshuffle("x", 0), axis=0) * 2, [anyv()],
                                   ("local_useless_reduce",)),
    "local_remove_all_assert": ([x], T.opt.assert_op(x, T.all(x > -10)), [anyv()], (),
                                ("local_remove_all_assert",)),
    "local_remove_useless_assert": ([x], T.opt.assert_op(x, 1) * 2, [anyv()]),
    "local_reshape_dimshuffle": ([x], T.exp(T.reshape(x.dimshuffle("x", 0), (5,))), [anyv()],
                                 ("local_useless_dimshuffle_in_reshape",)),
    "local_reshape_lift": ([m], T.exp(m).reshape((6,)), [anyv((2, 3))]),
    "local_reshape_to_dimshuffle": ([m], T.exp(m.reshape((1, 6))), [anyv((2, 3))], (),
                                    ("local_reshape_to_dimshuffle",)),
    "local_setsubtensor_of_constants": (
        [m], T.set_subtensor(T.zeros_like(m)[:1], T.zeros_like(m[:1])) + m, [anyv((2, 3))]),
    "local_subtensor_inc_subtensor": ([m, x, n], T.set_subtensor(m[n], x)[n] * 2,
                                      [anyv((3, 5)), anyv(), np.int32(1)]),
    "local_subtensor_lift": ([x, y], T.exp(x + y)[1:3], [anyv(), anyv()]),
    "local_sum_prod_all_to_none": ([m], m.sum([0, 1]), [anyv((2, 3))]),
    "local_sum_prod_mul_by_scalar": ([x, y], (x[0] * y).prod(), [anyv(), anyv()]),
    "local_useless_dimshuffle_in_reshape": ([x], T.exp(T.reshape(x.dimshuffle("x", 0), (5,))),
                                            [anyv()]),
    "local_useless_elemwise": ([x], T.eq(x, x) * x, [anyv()]),
    "local_useless_reshape": ([m], T.exp(T.reshape(m, m.shape)), [anyv((2, 3))]),
    "local_useless_split": ([x], T.split(x, [5], 1)[0] * 2, [anyv()]),
    "local_useless_switch": ([x, y], T.switch(x > 0, y, y) + x, [anyv(), anyv()]),
    "local_useless_tile": ([x], T.tile(x, (1,)) + 1, [anyv()]),
    "local_rebroadcast_lift": ([x], Rebroadcast((0, True))(T.exp(x[:1])) * 2, [anyv()]),
    "local_subtensor_remove_broadcastable_index": ([t3], T.exp(t3[:, 0]), [anyv((2, 1, 3))]),
    "local_lift_transpose_through_dot": ([m], T.dot(m, m.T).T * 2, [anyv((2, 3))]),
    "local_useless_inc_subtensor_alloc": ([x, y, n], T.inc_subtensor(x[:n], T.alloc(y[0], n)),
                                          [anyv(), anyv(), np.int32(3)]),
    "local_zero_div": ([x], T.true_div(0.0, x) + x, [pos()], ("local_mul_canonizer",)),
})


# Theano's BlasOpt and InplaceBlasOpt (tensor/rewrites/blas.py).
CASES.update({
    "local_dot_to_dot22": ([m], T.exp(T.dot(m, m.T)), [anyv((3, 4))]),
    "gemm_optimizer": ([m], T.exp(m[:, :3]) + 2 * T.dot(m, m.T), [anyv((3, 4))]),
    "local_inplace_gemm": ([m], T.exp(m[:, :3]) + 2 * T.dot(m, m.T), [anyv((3, 4))]),
    "blas_constant_folding": ([m], T.exp(m[:, :3]) - 2 * T.dot(m, m.T), [anyv((3, 4))]),
    "local_dot22_to_dot22scalar": ([m], T.dot(m, m.T) * T.exp(m[:, :3]) * 3.0,
                                   [anyv((3, 4))]),
    "local_gemm_to_gemv": ([m, x], 2 * T.dot(m, x) + T.exp(x[:3]), [anyv((3, 5)), anyv()]),
    "local_gemm_to_ger": ([m, x, y], T.exp(m) + 2 * T.outer(x, y),
                          [anyv((5, 5)), anyv(), anyv()]),
    "local_dot22_to_ger_or_gemv": ([m, x], T.exp(T.dot(m, x)), [anyv((3, 5)), anyv()]),
    "blas_merge_dimshuffles": ([m, x], T.exp(T.dot(m, x)), [anyv((3, 5)), anyv()]),
    "local_inplace_gemv": ([m, x], T.exp(T.dot(m, x)), [anyv((3, 5)), anyv()]),
    "scipy_blas": ([x, y], T.exp(T.outer(x, y)), [anyv(), anyv()]),
    "make_scipy_blas_destructive": ([x, y], T.exp(T.outer(x, y)), [anyv(), anyv()]),
    "local_inplace_ger": ([x, y], T.exp(T.outer(x, y)), [anyv(), anyv()], ("scipy_blas",)),
    "c_blas_destructive": ([m, x], T.exp(blas_c.cgemv_no_inplace(
        T.exp(x[:3]), T.constant(1.5), m, x, T.constant(0.5))), [anyv((3, 5)), anyv()]),
})

# Theano's subtensor / increment rewrites (tensor/rewrites/legacy_subtensor.py).
m2 = T.dmatrix("m2")
CASES.update({
    "local_subtensor_merge": ([x], x[1:][::-1] * 2, [anyv()]),
    "local_useless_slice": ([m], T.Subtensor([("int", 1), ("slice", None, None, None)])(m)
                            * 2, [anyv((2, 3))]),
    "local_useless_subtensor": ([m], T.exp(m)[0:m.shape[0]], [anyv((2, 3))]),
    "local_subtensor_of_alloc": ([x, n], T.alloc(x, n, 5)[1] + 1, [anyv(), np.int32(3)]),
    "local_subtensor_of_dot": ([m], T.exp(T.dot(m, m.T)[1]), [anyv((3, 4))]),
    "local_IncSubtensor_serialize": (
        [m, x], T.inc_subtensor(T.zeros_like(m)[0], x[:3]) + T.inc_subtensor(
            T.zeros_like(m)[1], x[1:4]) + m, [anyv((2, 3)), anyv()]),
    "local_set_to_inc_subtensor": ([m, iv], T.set_subtensor(m[iv], m[iv] + 1.0),
                                   [anyv((4, 3)), np.array([0, 2], "int32")]),
    "local_useless_inc_subtensor": ([m, m2], T.set_subtensor(
        m[:, ::-1], T.specify_shape(m2, m.shape)), [anyv((2, 3)), anyv((2, 3))]),
    "local_adv_sub1_adv_inc_sub1": ([m, m2, iv], T.set_subtensor(m[iv], m2)[iv],
                                    [anyv((4, 3)), anyv((2, 3)), np.array([1, 3], "int32")]),
    "local_join_make_vector": ([n], T.join(0, T.stack([n, n + 1]), T.stack([n * 2])) + 1,
                               [np.int32(2)]),
    "local_subtensor_make_vector_slices": ([n], T.stack([n, n + 1, n * 3])[:2] + 1,
                                           [np.int32(2)]),
})

# Theano's rewrites of tensor/rewrites/legacy_useless.py.
with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    _flatten = Flatten(1)
CASES.update({
    "local_useless_elemwise_comparison": ([x], T.maximum(x, x) * 2, [anyv()]),
    "local_mul_switch_sink": ([x, y], T.switch(x > 0, 0.0, y) * T.exp(y), [anyv(), anyv()]),
    "local_div_switch_sink": ([x, y], T.switch(x > 0, y, 0.0) / T.exp(y), [anyv(), anyv()]),
    "local_reduce_join": ([x, y], T.sum(T.stack([x, y]), axis=0) * 2, [anyv(), anyv()]),
    "local_sum_prod_div_dimshuffle": ([m, x], T.sum(m / x.dimshuffle(0, "x"), axis=1),
                                      [anyv((5, 3)), pos()]),
    "local_alloc_empty_to_zeros": ([n, x], T.set_subtensor(AllocEmpty("float64")(n)[:],
                                                           x[:n]) * 2,
                                   [np.int32(3), anyv()], (), ("alloc_empty_to_zeros",)),
    "local_alloc_unary": ([x], T.exp(T.alloc(x[0], 3, 5)), [anyv()]),
    "local_fill_sink": ([x, y], (T.fill(x, y[0]) + 1.0) * 2, [anyv(), anyv()]),
    "local_flatten_lift": ([m], _flatten(T.exp(m)) * 2, [anyv((2, 3))]),
    "local_useless_topk": ([x], TopKOp(axis=-1, sorted=False)(x, 2)[1] + 1, [anyv()]),
})

# The compile pipeline's own rules (compile/pipeline.py): Theano's local_view_op (a ViewOp
# or gradient-rule Op leaves the graph) and cond_make_inplace (if{inplace}).
CASES.update({
    "local_view_op": ([m], theano.gradient.zero_grad(m) * 2 + m, [anyv((2, 3))]),
    "cond_make_inplace": ([n, x, y], theano.ifelse.ifelse(n, x * 2, y), [1, anyv(), anyv()]),
})


def _two_draws():
    # The second draw reads the state the first one returned (a new RandomState read by
    # nothing else): random_make_inplace lets it advance that state in place.
    rng = theano.tensor.raw_random.random_state_type()
    post, first = theano.tensor.raw_random.uniform(rng, (3,))
    _, second = theano.tensor.raw_random.normal(post, (3,))
    return [rng], first + second, [np.random.RandomState(3)]


CASES["random_make_inplace"] = _two_draws()


# Theano's algebraic rewrites of tensor/rewrites/legacy_algebra.py (and local_fill_to_alloc
# of legacy.py).  The erf family runs in canonicalize, where the sum and product
# canonicalisers would first rewrite -e and -1 * e; erf/erfc inputs stay moderate so both
# graphs are accurate to 1e-12.
_CANON = ("local_add_canonizer", "local_mul_canonizer")
s_f64 = theano.scalar.float64("s_f64")
d0 = T.dscalar("d0")


def mid(shape=(5,)):
    return rng.uniform(-1.5, 1.5, size=shape)


CASES.update({
    "local_one_plus_erf": ([x], 1 + T.erf(x), [mid()]),
    "local_one_minus_erf": ([x], 1 - T.erf(x), [mid()]),
    "local_one_minus_erf2": ([x], 1 + (-1) * T.erf(x), [mid()], _CANON),
    "local_one_plus_neg_erf": ([x], 1 + (-T.erf(x)), [mid()], _CANON),
    "local_erf_minus_one": ([x], T.erf(x) - 1, [mid()]),
    "local_one_minus_erfc": ([x], 1 - T.erfc(x), [mid()]),
    "local_one_minus_erfc2": ([x], (-T.erfc(x)) + 1, [mid()], _CANON),
    "local_one_minus_erfc3": ([x], 1 + (-1) * T.erfc(x), [mid()], _CANON),
    # the pattern of local_one_minus_erfc2, which comes first in the rule list
    "local_one_add_neg_erfc": ([x], (-T.erfc(x)) + 1, [mid()],
                               _CANON + ("local_one_minus_erfc2",)),
    "local_erf_neg_minus_one": ([x], -1 + T.erfc(-x), [mid()]),
    "local_erf_neg_minus_one2": ([x], -1 + T.erfc((-1) * x), [mid()], _CANON),
    "local_log_erfc": ([x], T.log(T.erfc(x)), [mid()]),
    "local_grad_log_erfc_neg": ([x], T.grad(T.log(T.erfc(x)).sum(), x), [mid()]),
    "local_log_add": ([x, y], T.log(T.exp(x) + T.exp(y)), [anyv(), anyv()]),
    "local_pow_canonicalize": ([x], x ** 0 + x, [anyv()]),
    "local_pow_specialize": ([x], x ** -0.5, [pos()]),
    "local_pow_specialize_device": ([x], x ** 5, [anyv()]),
    "local_mul_specialize": ([x, y], (-x) * (-y), [anyv(), anyv()],
                             _CANON + ("local_add_canonizer_stable",
                                       "local_mul_canonizer_stable")),
    "local_mul_to_sqr": ([x], x * x, [anyv()]),
    "local_div_to_inv": ([x], 1 / x, [pos()]),
    "local_abs_lift": ([x, y], abs(x * y), [anyv(), anyv()]),
    "local_fill_to_alloc": ([m, x], T.fill(m, x) * 2, [anyv((3, 5)), anyv()]),
    "local_sumsqr2dot": ([m, m2], T.sqr(m.dimshuffle("x", 0, 1) * m2.dimshuffle(0, "x", 1))
                         .sum(axis=(1, 2)), [anyv((3, 4)), anyv((2, 4))]),
    "local_tensor_scalar_tensor": ([d0], T.tensor_from_scalar(T.scalar_from_tensor(d0)) * 2,
                                   [np.float64(1.5)]),
    "local_scalar_tensor_scalar": ([s_f64], T.scalar_from_tensor(T.tensor_from_scalar(s_f64)),
                                   [1.5]),
})


def all_rules():
    rules = {}
    for phases in PIPELINES.values():
        for phase in phases:
            for rule in phase.rules or ():
                rules[rule.name] = rule
    return rules


def test_every_rule_has_a_case():
    missing = sorted(set(all_rules()) - set(CASES))
    assert not missing, f"rewrite rules without a test case: {missing}"


def compile_both(inputs, out, excluded=(), included=()):
    mode = Mode(optimizer="fast_run", excluding=excluded)
    if included:
        mode = mode.including(*included)
    fast = theano.function(inputs, out, mode=mode)
    plain = theano.function(inputs, out, mode=Mode(optimizer=None))
    return fast, plain


@pytest.mark.parametrize("name", sorted(CASES))
def test_rule_fires_and_keeps_the_value(name):
    inputs, out, values, *options = CASES[name]
    fast, plain = compile_both(inputs, out, *options)
    applied = fast.maker.fgraph.rewrite_report.applied
    assert applied[name] > 0, f"{name} did not fire; applied: {dict(applied)}"
    got, want = fast(*values), plain(*values)
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-14)
    assert np.asarray(got).dtype == np.asarray(want).dtype


def test_excluding_a_rule_by_name_switches_it_off():
    fast = theano.function([x], T.log(1 + x), mode=Mode(optimizer="fast_run").excluding(
        "local_log1p"))
    assert "local_log1p" not in fast.maker.fgraph.rewrite_report.applied
    ops = [str(nd.op) for nd in fast.maker.fgraph.toposort()]
    assert not any("log1p" in o for o in ops)


def test_excluding_a_phase_by_name():
    f = theano.function([x], T.log(1 + x), mode=Mode(optimizer="fast_run").excluding(
        "stabilize"))
    assert not any("log1p" in str(nd.op) for nd in f.maker.fgraph.toposort())


def test_optimizer_requiring_unknown_name_is_an_error():
    with pytest.raises(ValueError, match="optimizer_requiring"):
        theano.function([x], x + 1, mode=Mode(optimizer="fast_run").requiring("no_such"))


def test_x_shape_does_not_compute_x():
    """x.shape[0] of an expensive expression is read from its inputs."""
    out = T.dot(m, m.T).shape[0]
    f = theano.function([m], out, mode=Mode(optimizer="fast_run"))
    assert all("dot" not in str(nd.op).lower() for nd in f.maker.fgraph.toposort())
    assert f(np.ones((3, 2))) == 3


def test_float32_canonical_form_keeps_float32():
    f = theano.function([f32], (f32 * np.float32(2)) * np.float32(0.5) + 0,
                        mode=Mode(optimizer="fast_run"))
    v = rng.rand(4).astype("float32")
    out = f(v)
    assert out.dtype == np.float32
    np.testing.assert_array_equal(out, v)


def test_new_nodes_inherit_the_user_line():
    """A node a rule builds reports the source line of the node it replaced."""
    out = T.log(1 + x)  # the line a runtime error should name
    f = theano.function([x], out, mode=Mode(optimizer="fast_run"))
    (node,) = f.maker.fgraph.toposort()
    assert node.source is not None and node.source.line_text().startswith("out = T.log(1 + x)")


# -- values Theano 1.0.5 computed, which a rewrite must not change --------------------------
# (fuzzer findings F7, F8, F10; recorded as w_log_exp, w_sqrt_sqr, f_sqrt_sqr_i8 and
# f_1msigmoid_int in tests/fuzz/theano105_semantics.json)

MODES = {"FAST_RUN": "FAST_RUN", "FAST_COMPILE": "FAST_COMPILE", "None": Mode(optimizer=None)}


def _sigmoid(v):
    v = np.asarray(v, dtype="float64")
    return np.exp(-np.logaddexp(0.0, -v))  # no overflow warning at either end


@pytest.mark.parametrize("mode", sorted(MODES))
def test_sqrt_of_sqr_keeps_the_wrap_and_the_overflow(mode):
    b = T.bvector("b")
    f = theano.function([b, x], [T.sqrt(T.sqr(b)), T.sqrt(T.sqr(x))], mode=MODES[mode])
    ints = np.array([100, -128, 16, -3], "int8")
    floats = np.array([1e200, -1e200, -2.5, 3.0])
    got_i, got_f = f(ints, floats)
    # sqr of int8 wraps: 10000 % 256 = 16, (-128)**2 % 256 = 0, 256 % 256 = 0
    want_i = np.sqrt((ints.astype("int64") ** 2 % 256).astype("float32"))
    assert got_i.dtype == np.float32
    np.testing.assert_array_equal(got_i, want_i)
    np.testing.assert_array_equal(got_i, [4.0, 0.0, 0.0, 3.0])
    np.testing.assert_array_equal(got_f, [np.inf, np.inf, 2.5, 3.0])


@pytest.mark.parametrize("mode", sorted(MODES))
def test_log_of_exp_overflows_as_written(mode):
    f = theano.function([x], [T.log(T.exp(x)), T.log(T.exp(x)[1])], mode=MODES[mode])
    v = np.array([-2.5, 1000.0, 0.5])
    full, picked = f(v)
    np.testing.assert_allclose(full, [-2.5, np.inf, 0.5], rtol=1e-15)
    assert picked == np.inf


@pytest.mark.parametrize("mode", sorted(MODES))
def test_one_minus_sigmoid_of_an_integer_does_not_wrap(mode):
    i32 = T.ivector("i32")
    b = T.bvector("b")
    f = theano.function([i32, b], [1 - T.nnet.sigmoid(i32), 1 - T.nnet.sigmoid(-i32),
                                   1 - T.nnet.sigmoid(b)], mode=MODES[mode])
    iv_ = np.array([-2 ** 31, 0, 3, -40], "int32")
    bv = np.array([-128, 0, 5], "int8")
    r1, r2, r3 = f(iv_, bv)
    assert r1.dtype == r2.dtype == np.float64 and r3.dtype == np.float32
    np.testing.assert_allclose(r1, 1 - _sigmoid(iv_), rtol=1e-12, atol=1e-15)
    np.testing.assert_array_equal(r1[:2], [1.0, 0.5])
    # -(-2**31) wraps to -2**31 in int32 before the sigmoid sees it: 1 - sigmoid(-2**31) = 1
    negated = -iv_  # NumPy wraps the same way
    np.testing.assert_allclose(r2, 1 - _sigmoid(negated), rtol=1e-12, atol=1e-15)
    assert r2[0] == 1.0
    np.testing.assert_allclose(r3, 1 - _sigmoid(bv), rtol=1e-6, atol=1e-7)
    np.testing.assert_array_equal(r3[:2], [1.0, 0.5])


# Theano's softmax / cross-entropy / argmax / sigmoid rewrites (tensor/nnet/_rules.py).  The
# project's stabilisation rules of the same graphs run when Theano's are excluded (and in
# FAST_COMPILE, which has no canonicalize phase).
_XENT = ("crossentropy_to_crossentropy_with_softmax",
         "local_softmax_grad_to_crossentropy_with_softmax_grad")
_IDX = ("local_advanced_indexing_crossentropy_onehot",
        "local_advanced_indexing_crossentropy_onehot_grad")
bvec = T.dvector("bvec")
_rows = T.arange(iv.shape[0])
_sm_b = T.nnet.softmax(m + bvec)
_xent_b = T.nnet.categorical_crossentropy(_sm_b, iv).mean()
_labels = np.array([0, 3, 1], "int32")
_big = np.array([50.0, -50.0, 60.0, -60.0, 40.0])
_sbd = T.nnet.sparse_block_dot
W4, h3 = T.dtensor4("W4"), T.dtensor3("h3")
b2, i2, o2 = T.dmatrix("b2"), T.lmatrix("i2"), T.lmatrix("o2")
_sbd_vals = [rng.randn(3, 2, 4, 5), rng.randn(2, 2, 4), np.array([[0, 1], [2, 1]]),
             rng.randn(2, 5), np.array([[1, 0], [0, 1]])]
CASES.update({
    "local_crossentropy_to_log_softmax": (
        [m, iv], T.nnet.categorical_crossentropy(T.nnet.softmax(m), iv),
        [anyv((3, 4)), _labels], _XENT),
    "local_softmax_grad_crossentropy": (
        [m, iv], T.grad(T.nnet.categorical_crossentropy(T.nnet.softmax(m), iv).sum(), m),
        [anyv((3, 4)), _labels], _XENT),
    "crossentropy_to_crossentropy_with_softmax": (
        [m, iv], T.nnet.categorical_crossentropy(T.nnet.softmax(m), iv),
        [anyv((3, 4)), _labels]),
    "local_softmax_grad_to_crossentropy_with_softmax_grad": (
        [m, iv], T.grad(T.nnet.categorical_crossentropy(T.nnet.softmax(m), iv).sum(), m),
        [anyv((3, 4)), _labels]),
    "local_useless_crossentropy_softmax_1hot_with_bias_dx_alloc": (
        [m, iv], T.grad(T.nnet.categorical_crossentropy(T.nnet.softmax(m), iv).sum(), m),
        [anyv((3, 4)), _labels]),
    "local_advanced_indexing_crossentropy_onehot": (
        [m, iv], -T.log(T.nnet.softmax(m)[_rows, iv]).sum(), [anyv((3, 4)), _labels]),
    "local_advanced_indexing_crossentropy_onehot_grad": (
        [m, iv], T.grad(-T.log(T.nnet.softmax(m))[_rows, iv].mean(), m),
        [anyv((3, 4)), _labels]),
    # the MLP's cost and gradient: one fused Op gives the cost and the softmax of the dx
    "graph_merge_softmax_with_crossentropy_softmax": (
        [m, bvec, iv], _xent_b + (T.grad(_xent_b, m) ** 2).sum(),
        [anyv((3, 4)), anyv((4,)), _labels]),
    "local_softmax_with_bias": ([m, bvec], T.nnet.softmax(m + bvec) * 2,
                                [anyv((3, 4)), anyv((4,))]),
    "softmax_simplifier": ([m], T.exp(m) / T.exp(m).sum(axis=1, keepdims=True),
                           [anyv((3, 4))]),
    "local_argmax_pushdown": ([m], T.argmax(T.nnet.softmax(T.tanh(m)), axis=1),
                              [anyv((3, 4))]),
    "local_sigm_times_exp": ([x], T.nnet.sigmoid(-x) * T.exp(x), [anyv()]),
    # approximations, run only when included: cases whose values they do not change
    "local_ultra_fast_sigmoid": ([x], T.gt(T.nnet.sigmoid(x), 0.5), [anyv()], (),
                                 ("local_ultra_fast_sigmoid",)),
    "local_hard_sigmoid": ([x], T.nnet.sigmoid(x), [_big], (), ("local_hard_sigmoid",)),
    "local_inplace_sparse_block_gemv": ([W4, h3, i2, b2, o2], _sbd(W4, h3, i2, b2, o2),
                                        _sbd_vals),
    "local_inplace_sparse_block_outer": (
        [W4, h3, i2, b2, o2], T.grad(_sbd(W4, h3, i2, b2, o2).sum(), W4), _sbd_vals),
})
