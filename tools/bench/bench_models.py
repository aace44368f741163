"""Model benchmark set (issue 19): tutorial models' training steps, ours vs Theano 1.0.5.

Whole training steps of Theano 1.0-era tutorial models: this project against the original
Theano 1.0.5 and hand-written NumPy.

    python tools/bench/bench_models.py               # full run (~5-10 minutes on 2 cores,
                                                     #  plus Theano's first C compile)
    python tools/bench/bench_models.py --quick       # smoke run: 3 short rounds
    python tools/bench/bench_models.py --models lstm,elman --no-theano --markdown

The models (tools/bench/models/, one module each, written once in tutorial style and run
unchanged by both Theanos): LSTM sentiment (lstm.py style, adadelta), denoising
autoencoder, RBM with PCD-15 (scan over the Gibbs steps), stacked denoising autoencoders
(pretraining of layers 0 and 1, fine-tuning), Elman RNN with BPTT, LeNet-5
(bench_lenet.py's step), the seed-1 logistic-regression step and the MLP step
(workloads.py's).  Hand-written NumPy versions exist for the LSTM and the Elman RNN (BPTT),
LeNet-5, seed-1 and the MLP; the others show "-" there.

Method: run_all.py's, one model at a time.  For each model, one fresh worker process per
implementation (worker.py; ours, NumPy, Theano 1.0.5 through shared/tools/theano-ref with
its C Ops; scan runs there as Theano's own Python loop, since its compiled scan does not
build on Python 3.11) builds it, then rounds in which every implementation times one batch
of back-to-back steps, the starting implementation rotating; per-step times are medians
over rounds and ratios are medians of per-round ratios.  (Fresh workers per model: with
all models built in one process, LeNet-5's step there was 1.2x slower than alone;
--one-process does that, faster.)  BLAS threads are fixed (--blas-threads, default 1).
The NumPy worker also times a 1024x1024 GEMM of the model's dtype in every round: a
model's BLAS fraction is its analytic dot/conv FLOPs per step (`flops()` of the model)
divided by its median step time, divided by the GEMM rate of its dtype (best round of
the whole run).  Agreement: each implementation's outputs and parameters after the first
step are compared with the NumPy version's, or with Theano 1.0.5's where there is no NumPy
version (the random streams are bit-exact).
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
if HERE not in sys.path:
    sys.path.insert(0, HERE)

import harness  # noqa: E402 - a sibling module: needs HERE on sys.path
import models  # noqa: E402
import run_all  # noqa: E402

BOOT = ("import sys; sys.path.insert(0, {here!r}); import models; models.register(); "
        "import worker; worker.main()")

IMPLS = [("ours", "ours"), ("theano", "Th 1.0.5"), ("numpy", "NumPy")]

# (which models, what is compared, limit): issue 19's targets
THEANO_TARGET = 0.8           # every model: ours / Theano 1.0.5
NUMPY_TARGETS = {"lstm": 1.2, "elman": 1.2, "seed1": 1.0}   # ours / hand NumPy BPTT / step

MISSING = "NotImplementedError"


def start_workers(args, logdir, log):
    notes = {}
    specs = harness.standard_specs(args, BOOT, notes)
    return harness.open_workers(specs, IMPLS, args, logdir, notes)


def _absent(b):
    """A build reply that says "this implementation has no such model" (not a failure)."""
    return isinstance(b, str) and b.startswith(MISSING)


def agrees(fp, ref, dtype):
    rtol = 1e-3 if dtype == "float32" else 1e-6
    flat = [v for row in fp for v in row]
    flat_ref = [v for row in ref for v in row]
    return len(flat) == len(flat_ref) and all(
        abs(a - b) <= rtol * max(1.0, abs(b)) for a, b in zip(flat, flat_ref))


def gemm_rates(times):
    """FLOP-per-second rate of each probe's dtype: the NumPy worker's best round (the
    machine's rate; contention from other jobs only ever lowers it)."""
    rates = {}
    for probe in models.PROBES.values():
        t = times.get(("numpy", probe.name))
        if t:
            rates[probe.dtype] = probe.flops() / min(t)
    return rates


def summarize(names, built, times):
    """One dict per model: medians (seconds), ratios, FLOPs, BLAS fractions, agreement."""
    med = {k: statistics.median(v) for k, v in times.items() if v}
    rates = gemm_rates(times)
    rows = []
    for name in names:
        wl = models.MODELS[name]
        row = {"name": name, "label": wl.label, "flops": wl.flops(), "dtype": wl.dtype}
        for key, _ in IMPLS:
            b = built.get((key, name))
            row[key] = med.get((key, name)) if isinstance(b, dict) else (
                "-" if _absent(b) else "FAIL" if b is not None else "n/a")
        row["vs_theano"] = run_all.paired_ratio(times, "ours", "theano", name)
        row["vs_numpy"] = run_all.paired_ratio(times, "ours", "numpy", name)
        rate = rates.get(wl.dtype)
        for key in ("ours", "theano", "numpy"):
            t = row[key]
            row[f"blas_{key}"] = (wl.flops() / t / rate
                                  if rate and isinstance(t, float) and t > 0 else None)
        ref_key = "numpy" if isinstance(built.get(("numpy", name)), dict) else "theano"
        ref = built.get((ref_key, name))
        row["disagree"] = [k for k, _ in IMPLS if k != ref_key and isinstance(ref, dict)
                           and isinstance(built.get((k, name)), dict)
                           and not agrees(built[k, name]["fingerprint"], ref["fingerprint"],
                                          wl.dtype)]
        row["agree_ref"] = ref_key if isinstance(ref, dict) else None
        rows.append(row)
    return rows, rates


def _ms(t):
    if not isinstance(t, float):
        return t
    ms = 1e3 * t
    return f"{ms:.3f}" if ms < 1 else f"{ms:.2f}" if ms < 100 else f"{ms:.0f}"


def _x(r):
    return "-" if r is None else f"{r:.2f}x"


def _pct(f):
    return "-" if f is None else f"{100 * f:.0f}%" if f >= 0.1 else f"{100 * f:.1f}%"


def report(names, built, times, notes, info, args, out=print):
    rows, rates = summarize(names, built, times)
    out("")
    out("Per-step time, median over rounds, milliseconds; ratios are medians of per-round "
        "ratios (< 1: ours faster); BLAS = dot/conv FLOPs per step / step time / GEMM rate")
    head = (f"{'model':42s}{'ours':>9s}{'Th 1.0.5':>10s}{'NumPy':>9s}{'/Theano':>9s}"
            f"{'/NumPy':>8s}{'MFLOP':>9s}{'BLAS ours':>10s}{'BLAS Th':>9s}")
    out(head)
    out("-" * len(head))
    for r in rows:
        mark = "!" if r["disagree"] else ""
        out(f"{r['label'] + mark:42s}{_ms(r['ours']):>9s}{_ms(r['theano']):>10s}"
            f"{_ms(r['numpy']):>9s}{_x(r['vs_theano']):>9s}{_x(r['vs_numpy']):>8s}"
            f"{r['flops'] / 1e6:>9.1f}{_pct(r['blas_ours']):>10s}{_pct(r['blas_theano']):>9s}")
    out("(! = outputs or parameters after the first step differ from the reference "
        "implementation's beyond float rounding; listed below)")
    out("GEMM rate, 1024x1024, NumPy worker, best round: " + ", ".join(
        f"{dt} {rate / 1e9:.1f} GFLOP/s" for dt, rate in sorted(rates.items())) or "n/a")

    out("")
    out("Targets (issue 19)")
    for r in rows:
        out(run_all._target_line(f"{r['name']}: ours/Theano 1.0.5 <= {THEANO_TARGET}",
                                 r["vs_theano"], THEANO_TARGET, "x"))
        if r["name"] in NUMPY_TARGETS and r["numpy"] != "-":
            lim = NUMPY_TARGETS[r["name"]]
            out(run_all._target_line(f"{r['name']}: ours/hand NumPy <= {lim}", r["vs_numpy"],
                                     lim, "x"))

    out("")
    out("Compile + first call, seconds")
    for r in rows:
        cells = [f"{label} {b['compile_s'] + b['first_call_s']:.2f}"
                 for k, label in IMPLS if k != "numpy"
                 for b in [built.get((k, r['name']))] if isinstance(b, dict)]
        out(f"  {r['label']:42s}" + ", ".join(cells))
    run_all.report_implementations([k for k, _ in IMPLS], dict(IMPLS), notes, info, out)
    for r in rows:
        if r["disagree"]:
            for k in r["disagree"]:
                for d in run_all.disagreement(built[k, r["name"]]["fingerprint"],
                                              built[r["agree_ref"], r["name"]]["fingerprint"]):
                    out(f"  {r['name']}: {dict(IMPLS)[k]} differs from "
                        f"{dict(IMPLS)[r['agree_ref']]}: {d}")
    for (k, n), b in sorted(built.items()):
        if isinstance(b, str) and not _absent(b) and n in models.MODELS:
            out(f"  FAILED {dict(IMPLS)[k]} / {n}: {b}")
    if args.markdown:
        markdown(rows, rates, args, out)
    return rows


def markdown(rows, rates, args, out=print):
    """The README's table."""
    out("")
    out("| model | ours (ms) | Theano 1.0.5 (ms) | hand NumPy (ms) | ours/Theano | "
        "ours/NumPy | MFLOP/step | BLAS fraction ours / Theano |")
    out("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for r in rows:
        out(f"| {r['label']} | {_ms(r['ours'])} | {_ms(r['theano'])} | {_ms(r['numpy'])} | "
            f"{_x(r['vs_theano'])} | {_x(r['vs_numpy'])} | {r['flops'] / 1e6:.1f} | "
            f"{_pct(r['blas_ours'])} / {_pct(r['blas_theano'])} |")
    out("")
    out(f"GEMM 1024x1024 ({args.blas_threads} BLAS thread): " + ", ".join(
        f"{dt} {rate / 1e9:.1f} GFLOP/s" for dt, rate in sorted(rates.items())))


def main(argv=None):
    ap = harness.parser(__doc__, 0.3, 0.05)
    ap.add_argument("--models", default=None,
                    help=f"comma-separated subset of {','.join(models.MODELS)}")
    ap.add_argument("--markdown", action="store_true", help="also print the README table")
    ap.add_argument("--one-process", action="store_true",
                    help="build every model in one set of workers (faster; by default each "
                         "model gets fresh workers, as a user's script would)")
    args = harness.parse(ap, argv, rounds=11, quick_rounds=3, batch_s=0.3,
                         quick_batch_s=0.05)
    names = list(models.MODELS)
    if args.models:
        names = [n.strip() for n in args.models.split(",")]
        unknown = [n for n in names if n not in models.MODELS]
        if unknown:
            ap.error(f"unknown models {unknown}; known: {list(models.MODELS)}")
    sys.stdout.reconfigure(line_buffering=True)
    t0 = time.monotonic()
    logdir = tempfile.mkdtemp(prefix="theano-compat-bench-models-")
    groups = [names + list(models.PROBES)] if args.one_process else [
        [n, f"gemm_{models.MODELS[n].dtype}"] for n in names]
    notes, info, built, times = {}, {}, {}, {}
    for group in groups:
        sub = os.path.join(logdir, group[0])
        os.makedirs(sub, exist_ok=True)
        run_all.log(f"== {', '.join(group)}")
        g_notes, g_info, g_built, g_times = run_all.run_rounds(
            lambda: start_workers(args, sub, run_all.log), group, args, run_all.log)
        notes.update(g_notes)
        info.update(g_info)
        built.update({k: b for k, b in g_built.items()
                      if k[1] not in models.PROBES or isinstance(b, dict)})
        for k, v in g_times.items():
            times.setdefault(k, []).extend(v)
    print(f"Model benchmark set: {args.rounds} rounds, BLAS threads {args.blas_threads}, "
          f"{os.cpu_count()} CPUs")
    report(names, built, times, notes, info, args)
    run_all.finish(t0, logdir, any(isinstance(b, str) and not _absent(b)
                                   for (_, n), b in built.items() if n in models.MODELS))


if __name__ == "__main__":
    main()
