"""What the single-purpose worker benchmarks (bench_conv.py, bench_lenet.py) share: their
command line, the ours / NumPy / Theano workers booted with the bench's own workloads,
the driver run (run_all.py's rounds) and the report tables.

Each bench supplies its workloads, a BOOT line (the Python source a worker runs: register
the bench's workloads, then worker.main()), its implementation columns and how to format
a time, a compile time and the agreement check against its NumPy version.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
if HERE not in sys.path:
    sys.path.insert(0, HERE)

import run_all  # noqa: E402


def parser(doc, batch_s, quick_batch_s):
    """The shared options; `batch_s`/`quick_batch_s` are the defaults named in --help."""
    ap = argparse.ArgumentParser(description=doc.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="smoke run: 3 short rounds")
    ap.add_argument("--rounds", type=int, default=None)
    ap.add_argument("--batch-s", type=float, default=None,
                    help=f"seconds per timed batch (default {batch_s}, quick {quick_batch_s})")
    ap.add_argument("--blas-threads", type=int, default=1)
    ap.add_argument("--no-theano", action="store_true")
    return ap


def parse(ap, argv, rounds, quick_rounds, batch_s, quick_batch_s):
    """Parse the command line (after the bench added its own options) and fill in the
    --rounds / --batch-s defaults of a full or a --quick run."""
    ap.add_argument("--cache-dir", default=run_all.DEFAULT_CACHE)
    ap.add_argument("--setup-timeout", type=float, default=900)
    args = ap.parse_args(argv)
    args.rounds = args.rounds or (quick_rounds if args.quick else rounds)
    args.batch_s = args.batch_s or (quick_batch_s if args.quick else batch_s)
    return args


def foreign_spec(args, python, boot, *worker_args):
    """(argv, cwd, env) of a worker under a foreign framework's `python`, run from outside
    the repository: our alias package would shadow Theano."""
    return ([python, "-c", boot.format(here=HERE), *worker_args], tempfile.gettempdir(),
            run_all.worker_env(args.blas_threads, foreign=True))


def standard_specs(args, boot, notes):
    """Worker specs {key: (argv, cwd, env)} of ours, NumPy and (unless --no-theano or not
    found, said in `notes`) Theano 1.0.5, each running `boot`."""
    own = ["-c", boot.format(here=HERE)]
    own_env = run_all.worker_env(args.blas_threads, foreign=False)
    specs = {
        "ours": ([sys.executable, *own, "--impl", "ours", "--repo", run_all.REPO],
                 run_all.REPO, own_env),
        "numpy": ([sys.executable, *own, "--impl", "numpy"], run_all.REPO, own_env),
    }
    ref = None if args.no_theano else run_all.find_theano_ref()
    if ref:
        specs["theano"] = foreign_spec(args, ref, boot, "--impl", "theano")
    else:
        notes["theano"] = "skipped (--no-theano)" if args.no_theano else "theano-ref not found"
    return specs


def open_workers(specs, impls, args, logdir, notes):
    """Start the workers of `specs` one after the other; one that does not answer its
    info request is killed and noted.  Returns (workers, notes, info)."""
    workers, info = {}, {}
    for key, (argv, cwd, env) in specs.items():
        w = run_all.Worker(key, dict(impls)[key], argv, cwd, env, logdir)
        try:
            info[key] = w.request(args.setup_timeout, cmd="info")
            workers[key] = w
        except run_all.WorkerError as exc:
            notes[key] = f"worker failed to start: {exc}"
            w.kill(str(exc))
    return workers, notes, info


def run(args, names, start_workers, title, logdir_prefix, report):
    """Drive the bench: `start_workers(args, logdir, log)`, build, time, then
    `report(names, built, times, notes, info)` under a title line."""
    t0 = time.monotonic()
    logdir = tempfile.mkdtemp(prefix=logdir_prefix)
    notes, info, built, times = run_all.run_rounds(
        lambda: start_workers(args, logdir, run_all.log), names, args, run_all.log)
    print(f"{title}: {args.rounds} rounds, BLAS threads {args.blas_threads}, "
          f"{os.cpu_count()} CPUs")
    report(names, built, times, notes, info)
    run_all.finish(t0, logdir, any(not isinstance(b, dict) for b in built.values()))


def report(names, workloads, impls, built, times, notes, info, *, agrees, time_title,
           time_cell, compile_title, compile_cell, width, out=print):
    """The bench's tables: time per call (`time_cell(median seconds or None)`; "!" where
    `agrees` says the outputs differ from the NumPy version's), ratios ours / other,
    compile + first call (`compile_cell(build reply)`), and the implementations."""
    med = {k: statistics.median(v) for k, v in times.items() if v}
    keys = [k for k, _ in impls]
    labels = dict(impls)
    out("")
    out(time_title)
    head = f"{'workload':36s}" + "".join(f"{labels[k]:>{width}s}" for k in keys)
    out(head)
    out("-" * len(head))
    for name in names:
        row = f"{workloads[name].label:36s}"
        for k in keys:
            b = built.get((k, name))
            if k in notes:
                cell = "n/a"
            elif not isinstance(b, dict):
                cell = "FAIL"
            else:
                cell = time_cell(med.get((k, name)))
                ref = built.get(("numpy", name))
                if k != "numpy" and isinstance(ref, dict) and not agrees(b["fingerprint"],
                                                                         ref["fingerprint"]):
                    cell += "!"
            row += f"{cell:>{width}s}"
        out(row)
    out("")
    out("Ratios, ours / other (median of per-round ratios; < 1 means ours is faster)")
    others = [k for k in keys if k != "ours"]
    head = f"{'workload':36s}" + "".join(f"{'/' + labels[k]:>{width}s}" for k in others)
    out(head)
    out("-" * len(head))
    for name in names:
        cells = []
        for k in others:
            r = run_all.paired_ratio(times, "ours", k, name)
            cells.append("n/a" if r is None else f"{r:.3g}x")
        out(f"{workloads[name].label:36s}" + "".join(f"{c:>{width}s}" for c in cells))
    out("")
    out(compile_title)
    for name in names:
        cells = [f"{labels[k]} {compile_cell(b)}"
                 for k in keys if k != "numpy"
                 for b in [built.get((k, name))] if isinstance(b, dict)]
        out(f"  {workloads[name].label:36s}" + ", ".join(cells))
    run_all.report_implementations(keys, labels, notes, info, out)
    for (k, n), b in sorted(built.items()):
        if not isinstance(b, dict):
            out(f"  FAILED {labels[k]} / {n}: {b}")
