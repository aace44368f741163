"""The model benchmark set (tools/bench/models/, driven by tools/bench/bench_models.py):
each model, at small sizes, builds and trains under this project and computes the
numbers the original Theano 1.0.5 computes with the same model code; the hand-written
NumPy BPTT of the Elman RNN and of the LSTM agree with the models' updated parameters to
1e-10.

No timing is asserted.  THEANO_105 was printed by running the same small models under
Theano 1.0.5 (shared/tools/theano-ref, C Ops on), three training calls each: the three
costs, then the sum and the sum of absolute values of each parameter after them.
"""

import os
import sys

import numpy as np
import pytest

from tests.support.paths import TOOLS

BENCH = os.path.join(TOOLS, "bench")
if BENCH not in sys.path:
    sys.path.insert(0, BENCH)

import models  # noqa: E402
import workloads  # noqa: E402

THEANO_105 = {  # name: ([cost of calls 1, 2, 3], [[sum, sum |.|] per parameter])
    'lstm': (
        [0.6932176164111631, 0.6886956650679502, 0.6841619695185704],
        [[1.941467496523712, 1.9500589443849319],
         [0.7410660599609908, 81.16816417742851],
         [-4.280929242451055, 77.61085531352815],
         [-0.022215746509271894, 0.04280914664448751],
         [0.026636185088022072, 0.13177070398740254],
         [-1.734723475976807e-18, 0.027069249584016103]]),
    'dae': (
        [11.366172937101542, 9.816031185871964, 10.217178989828506],
        [[-7.214552107111364, 77.757589788903],
         [-0.1764609377823039, 0.3130347335289314],
         [-0.36477183017012027, 0.747722735414161]]),
    'rbm': (
        [-25.638007797790493, -8.699646570673947, -9.16100175464521],
        [[-7.3846057138143735, 77.221289047342],
         [-0.04775748336057534, 0.26565747170954723],
         [-0.5080193169195334, 1.2244567917040907]]),
    'rbm_cd': (
        [-13.58206100077903, -12.308256646261425, -12.464388703778788],
        [[-7.962227087918143, 77.46677862842652],
         [-0.07854856095987531, 0.2623536482924174],
         [-0.6080193169195336, 0.9632150303989171]]),
    'sda_pre0': (
        [11.078545088991163, 11.150106469874, 10.350831758004853],
        [[8.438248944694164, 117.52495875624892],
         [-0.003563720521485957, 0.0044072166998331995],
         [-0.004996387375845941, 0.007846589791915133]]),
    'sda_pre1': (
        [11.616542123859135, 11.293971285148697, 11.233537002164697],
        [[3.7915792776968833, 80.22707929668455],
         [-0.0038702045794798945, 0.004567787999578785],
         [-0.004258196909660418, 0.008798968267133342]]),
    'sda_fine': (
        [2.302585092994046, 2.2413870732779007, 2.18503773644261],
        [[8.482808831844597, 117.5294125512049],
         [0.0004964321765396673, 0.001067735440645162],
         [3.8298172565677637, 80.24741585573281],
         [0.0016256084365431575, 0.0016256084365431575],
         [5.551115123125783e-17, 1.3384111802050394],
         [0.0, 0.345328668378003]]),
    'elman': (
        [5.1495523227180895, 5.011056036538271, 4.880666377837355],
        [[3.6114013073826263, 10.633973066443462],
         [-1.9883748496600069, 5.830760280023547],
         [-0.005335248883462216, 0.017763436008638816],
         [-1.6875506719384192, 8.516274863352885],
         [-0.0009265331862605142, 0.019712953352308656]]),
}


SMALL = models.small()


def _run(wl, impl, steps=3):
    p = workloads.Prepared(wl, impl)
    costs = [float(np.asarray(p.call()[0])) for _ in range(steps)]
    return costs, [np.array(v) for v in p.state()]


@pytest.mark.parametrize("name", sorted(SMALL))
def test_model_matches_theano_105(name):
    costs, state = _run(SMALL[name], "ours")
    ref_costs, ref_state = THEANO_105[name]
    np.testing.assert_allclose(costs, ref_costs, rtol=1e-9, atol=1e-12)
    assert len(state) == len(ref_state)
    got = [[float(np.sum(s)), float(np.sum(np.abs(s)))] for s in state]
    np.testing.assert_allclose(got, ref_state, rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("name", ["lstm", "dae", "sda_fine", "elman"])
def test_training_lowers_the_loss(name):
    """Guards the comparison above against a vacuous pass: the losses fall."""
    costs, _ = _run(SMALL[name], "ours", steps=4)
    assert costs[-1] < costs[0] - 1e-3 * abs(costs[0])


@pytest.mark.parametrize("name", ["elman", "lstm"])
def test_hand_numpy_bptt_matches_the_model(name):
    """The hand-written NumPy BPTT of the Elman RNN and of the LSTM (masks, adadelta)
    gives the model's costs and updated parameters."""
    wl = SMALL[name]
    ours_costs, ours_state = _run(wl, "ours")
    hand_costs, hand_state = _run(wl, "numpy")
    initial = wl._params()
    initial = list(initial.values()) if isinstance(initial, dict) else initial
    np.testing.assert_allclose(hand_costs, ours_costs, rtol=1e-10, atol=0)
    for got, ref, p0 in zip(hand_state, ours_state, initial):
        assert np.abs(ref - p0).max() > 1e-5  # the parameters moved
        np.testing.assert_allclose(got, ref, rtol=1e-10, atol=1e-13)


def test_bench_set_is_complete():
    """Every bench-size model has a FLOP count, and the hand NumPy versions the issue
    names (seed-1, MLP, Elman) exist."""
    assert {"lstm", "dae", "rbm", "sda_pre0", "sda_fine", "elman", "lenet", "seed1",
            "mlp"} <= set(models.MODELS)
    for wl in models.MODELS.values():
        assert wl.flops() > 0
    for name in ("seed1", "mlp", "elman", "lstm", "lenet"):
        step, state = models.MODELS[name].hand()
        assert callable(step) and state()


def test_driver_report_computes_ratios_and_blas_fractions():
    """bench_models.report on made-up timings: paired ratios, BLAS fraction, targets,
    and "-" (not FAIL) for a model without a hand NumPy version."""
    import argparse

    import bench_models

    fp = [[1.0, 1.0, 1.0]]
    built = {(k, n): {"fingerprint": fp, "compile_s": 0.1, "first_call_s": 0.0}
             for k in ("ours", "theano") for n in ("elman", "dae")}
    built["numpy", "elman"] = {"fingerprint": fp, "compile_s": 0.0, "first_call_s": 0.0}
    built["numpy", "dae"] = "NotImplementedError: dae: no hand-written NumPy version"
    gemm = models.PROBES["gemm_float64"]
    times = {("ours", "elman"): [0.02, 0.04], ("theano", "elman"): [0.04, 0.05],
             ("numpy", "elman"): [0.01, 0.02], ("ours", "dae"): [0.01, 0.01],
             ("theano", "dae"): [0.02, 0.02],
             ("numpy", gemm.name): [gemm.flops() / 1e10, gemm.flops() / 2e10]}
    lines = []
    args = argparse.Namespace(markdown=True, blas_threads=1)
    rows = bench_models.report(["elman", "dae"], built, times, {}, {}, args, lines.append)
    elman, dae = rows
    assert elman["vs_theano"] == pytest.approx(0.65)      # median of 0.5 and 0.8
    assert elman["vs_numpy"] == pytest.approx(2.0)
    # best GEMM round: 2e10 FLOP/s; elman's median step 0.03 s
    assert elman["blas_ours"] == pytest.approx(models.MODELS["elman"].flops() / 0.03 / 2e10)
    assert dae["numpy"] == "-" and dae["vs_numpy"] is None
    text = "\n".join(lines)
    assert "elman: ours/hand NumPy <= 1.2" in text and "MISS" in text
    assert "dae: ours/Theano 1.0.5 <= 0.8" in text and "PASS" in text
    assert "FAIL" not in text
