"""Every benchmark in one run: this project against hand-written NumPy, PyTensor and Theano.

    python tools/bench/run_all.py            # full run, about 5 minutes on 2 cores
    python tools/bench/run_all.py --quick    # smoke run, about a minute (no Numba mode)

Workloads (tools/bench/workloads.py): the seed-1 logistic-regression training step, the
seed-2 per-sample SGD call, `x + 1` on a scalar, an MLP 784-500-10 SGD step, a 3-op
elementwise graph on 16 and on 10^6 floats, and a function with no inputs.

Implementations, each in its own worker process (tools/bench/worker.py) so that process
start-up is never timed and the implementations can alternate: "ours" (`import theano`
from this repository), "numpy" (hand-written, same numbers), PyTensor in C VM mode
(`Mode(linker="cvm", optimizer="fast_run")`: PyTensor 3's FAST_RUN is Numba) and in Numba
mode, installed by this script (latest from PyPI, with numba) into a venv under
~/.cache/theano-compat-bench/ and reused from there, and Theano 1.0.5 through
shared/tools/theano-ref.  A PyTensor or Theano that cannot be set up is reported "n/a"
with the reason.

Method: each worker builds every workload (compile time = `function(...)`; the first call
is reported beside it, since Numba compiles there), then the driver runs rounds; in each
round every implementation times one batch of back-to-back calls (`timeit`; ~0.15 s, 41
rounds in a full run) of each workload, the starting implementation rotating from round
to round.  Per-call times are medians over rounds; ratios are medians over rounds of the
per-round ratio, so slow phases of a shared machine hit both sides of a ratio alike.
BLAS runs single-threaded in every implementation by default (--blas-threads): on a
2-core machine shared with other jobs, two OpenBLAS threads make the MLP step swing
several-fold.  Peak memory of the MLP loop is measured with tracemalloc in two fresh
processes (ours, hand NumPy).  PyTensor and Theano keep compiled C modules (PyTensor also
its Numba code) in on-disk caches, so their compile times after a first run are
warm-cache times; ours compiles from scratch.  At the end the older single-purpose
benchmarks (bench_compile.py, bench_mrg.py, bench_scan.py, bench_conv.py, bench_lenet.py,
bench_sparse.py, bench_gpu.py) and the model benchmark set (bench_models.py) run too.
"""

from __future__ import annotations

import argparse
import json
import os
import select
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
WORKER = os.path.join(HERE, "worker.py")
DEFAULT_CACHE = os.path.join(os.path.expanduser("~"), ".cache", "theano-compat-bench")

# (workload, what is compared, limit, where the target comes from)
#   "ratio:numpy"    ours / hand NumPy          "ratio:pytensor"  ours / PyTensor's best mode
#   "us"             ours per call, in microseconds
TARGETS = [
    ("seed1", "ratio:numpy", 1.0, "issue 6"),
    ("seed2", "us", 2.0, "issue 6"),
    ("seed2", "ratio:pytensor", 0.5, "issue 6"),
    ("x_plus_1", "us", 1.2, "issue 6"),
    ("mlp", "ratio:numpy", 1.05, "issue 6"),
    ("elemwise_10^6", "ratio:numpy", 1.05, "issue 6"),
    ("elemwise_16", "ratio:numpy", 1.3, "DESIGN 9.6"),
    ("no_input", "us", 1.5, "DESIGN 9.6"),
]
MEMORY_TARGET = 1.2  # MLP loop peak memory, ours / hand NumPy (issue 6)


def _bench_path():
    if HERE not in sys.path:
        sys.path.insert(0, HERE)


# ----------------------------------------------------------------------------- in process

def run_in_process(name, impl, steps=3, mode=None):
    """Build workload `name` for `impl` ("ours" or "numpy") in this process and call it
    `steps` times; returns (outputs of the last call, final state), as NumPy arrays.
    `mode` goes to `function` (None: the default mode, which THEANO_FLAGS may set).

    What the smoke test uses to check that both implementations compute the same numbers.
    """
    _bench_path()
    if impl == "ours" and REPO not in sys.path:
        sys.path.insert(0, REPO)
    import numpy as np
    import workloads

    p = workloads.Prepared(workloads.WORKLOADS[name], impl, mode)
    outs = None
    for _ in range(steps):
        outs = p.call()
    return outs, [np.array(v) for v in p.state()]


# ----------------------------------------------------------------------------- workers

class WorkerError(RuntimeError):
    pass


class Worker:
    """One worker process speaking the JSON-lines protocol of worker.py."""

    def __init__(self, key, label, argv, cwd, env, logdir):
        self.key, self.label = key, label
        self.log_path = os.path.join(logdir, f"{key}.stderr")
        self.dead = None  # reason, once the worker is unusable
        self._log = open(self.log_path, "w")
        self._buf = b""
        self.proc = subprocess.Popen(argv, cwd=cwd, env=env, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=self._log)

    def request(self, timeout, **req):
        if self.dead:
            raise WorkerError(self.dead)
        try:
            self.proc.stdin.write((json.dumps(req) + "\n").encode())
            self.proc.stdin.flush()
            line = self._readline(timeout)
        except (OSError, WorkerError) as exc:
            self.kill(str(exc) or type(exc).__name__)
            raise WorkerError(self.dead) from None
        reply = json.loads(line)
        if "error" in reply:
            raise WorkerError(reply["error"])
        return reply

    def _readline(self, timeout):
        deadline = time.monotonic() + timeout
        fd = self.proc.stdout.fileno()
        while b"\n" not in self._buf:
            left = deadline - time.monotonic()
            if left <= 0:
                raise WorkerError(f"no answer within {timeout:.0f} s")
            ready, _, _ = select.select([fd], [], [], left)
            if ready:
                chunk = os.read(fd, 65536)
                if not chunk:
                    raise WorkerError(f"worker exited ({self.stderr_tail()})")
                self._buf += chunk
        line, _, self._buf = self._buf.partition(b"\n")
        return line.decode()

    def stderr_tail(self, n=1):
        self._log.flush()
        try:
            lines = [ln.strip() for ln in open(self.log_path, errors="replace") if ln.strip()]
        except OSError:
            return "no stderr"
        return " | ".join(lines[-n:])[-300:] or "no stderr"

    def kill(self, reason):
        self.dead = self.dead or reason
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()

    def close(self):
        if self.proc.poll() is None:
            try:
                self.proc.stdin.write(b'{"cmd": "quit"}\n')
                self.proc.stdin.flush()
                self.proc.wait(timeout=10)
            except (OSError, subprocess.TimeoutExpired):
                self.kill("closed")
        self._log.close()


def worker_env(blas_threads, foreign):
    """Environment of a worker: pinned BLAS/OpenMP threads; the foreign frameworks must
    not see this repository's `theano` package through PYTHONPATH."""
    env = dict(os.environ)
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS",
                "NUMBA_NUM_THREADS"):
        env[var] = str(blas_threads)
    if foreign:
        env.pop("PYTHONPATH", None)
        env.pop("THEANO_FLAGS", None)
    return env


# ----------------------------------------------------------------------------- PyTensor

def ensure_pytensor(cache_dir, reinstall=False, log=print):
    """Python of a venv holding the latest PyTensor and numba; (python, None) or
    (None, reason).  The venv is made once under cache_dir and reused."""
    venv = os.path.join(cache_dir, "pytensor-venv")
    py = os.path.join(venv, "bin", "python")
    probe = [py, "-c", "import pytensor, numba"]
    if not reinstall and os.path.exists(py) and subprocess.run(
            probe, capture_output=True, cwd=tempfile.gettempdir()).returncode == 0:
        return py, None
    log(f"installing PyTensor and numba into {venv} (once; reused afterwards) ...")
    try:
        if reinstall and os.path.isdir(venv):
            shutil.rmtree(venv)
        os.makedirs(cache_dir, exist_ok=True)
        subprocess.run([sys.executable, "-m", "venv", venv], check=True,
                       capture_output=True, timeout=300)
        r = subprocess.run([py, "-m", "pip", "install", "-q", "--disable-pip-version-check",
                            "pytensor", "numba"], capture_output=True, text=True,
                           timeout=900)
    except (OSError, subprocess.SubprocessError) as exc:
        return None, f"venv/pip failed: {exc}"
    if r.returncode != 0:
        lines = [ln for ln in (r.stderr or r.stdout).splitlines()
                 if ln.strip() and not ln.startswith("WARNING")]
        return None, "pip install pytensor numba failed: " + (lines[-1] if lines else "?")
    if subprocess.run(probe, capture_output=True, cwd=tempfile.gettempdir()).returncode:
        return None, "pytensor or numba does not import after install"
    return py, None


def find_theano_ref():
    for cand in (os.environ.get("THEANO_REF", ""),
                 os.path.join(os.path.dirname(REPO), "shared", "tools", "theano-ref")):
        if os.path.exists(cand):
            return cand
    return None


# ----------------------------------------------------------------------------- driver

IMPLS = [  # key, column label
    ("ours", "ours"),
    ("numpy", "NumPy"),
    ("pt_cvm", "PT C VM"),
    ("pt_numba", "PT Numba"),
    ("theano", "Th 1.0.5"),
]


def start_workers(args, logdir, log):
    """Start one worker per available implementation; returns (workers, notes) where notes
    maps an unavailable implementation to its reason."""
    workers, notes = {}, {}
    tmp = tempfile.gettempdir()
    own_env = worker_env(args.blas_threads, foreign=False)
    foreign_env = worker_env(args.blas_threads, foreign=True)
    workers["ours"] = Worker("ours", "ours", [sys.executable, WORKER, "--impl", "ours",
                                              "--repo", REPO], REPO, own_env, logdir)
    workers["numpy"] = Worker("numpy", "NumPy", [sys.executable, WORKER, "--impl", "numpy"],
                              REPO, own_env, logdir)
    if args.no_pytensor:
        notes["pt_cvm"] = notes["pt_numba"] = "skipped (--no-pytensor)"
    else:
        py, why = ensure_pytensor(args.cache_dir, args.reinstall_pytensor, log)
        if py is None:
            notes["pt_cvm"] = notes["pt_numba"] = why
        else:
            workers["pt_cvm"] = Worker("pt_cvm", "PT C VM", [
                py, WORKER, "--impl", "pytensor", "--mode", "cvm"], tmp, foreign_env, logdir)
            if args.numba:
                workers["pt_numba"] = Worker("pt_numba", "PT Numba", [
                    py, WORKER, "--impl", "pytensor", "--mode", "numba"], tmp, foreign_env,
                    logdir)
            else:
                notes["pt_numba"] = "skipped (--quick or --no-numba)"
    if args.no_theano:
        notes["theano"] = "skipped (--no-theano)"
    else:
        ref = find_theano_ref()
        if ref is None:
            notes["theano"] = "shared/tools/theano-ref not found"
        else:
            # From outside the repository: our alias package would shadow Theano.
            workers["theano"] = Worker("theano", "Th 1.0.5", [ref, WORKER, "--impl", "theano"],
                                       tmp, foreign_env, logdir)
    info = {}
    for key, w in list(workers.items()):
        try:
            info[key] = w.request(args.setup_timeout, cmd="info")
        except WorkerError as exc:
            notes[key] = f"worker failed to start: {exc}"
            w.kill(str(exc))
            del workers[key]
    return workers, notes, info


def close_all(workers):
    for w in workers.values():
        w.close()


def build_all(workers, names, args, log):
    """Compile every workload in every worker, one at a time (compile times are not
    disturbed by another compile).  Returns {(impl, workload): reply or error string}."""
    built = {}
    for name in names:
        for key, w in workers.items():
            try:
                built[key, name] = w.request(args.setup_timeout, cmd="build", workload=name)
            except WorkerError as exc:
                built[key, name] = f"{exc}"
        log(f"  built {name}")
    return built


def agrees(fp, ref):
    import math

    flat = [v for row in fp for v in row]
    flat_ref = [v for row in ref for v in row]
    if len(flat) != len(flat_ref):
        return False
    return all(math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-9) for a, b in zip(flat, flat_ref))


def measure(workers, built, names, args, log):
    """Rounds of alternating batches; returns {(impl, workload): [per-call seconds]}."""
    ready = {name: [k for k in workers if isinstance(built.get((k, name)), dict)]
             for name in names}
    number = {}
    for name in names:
        for key in list(ready[name]):
            try:
                number[key, name] = workers[key].request(
                    args.setup_timeout, cmd="calibrate", workload=name,
                    target_s=args.batch_s)["number"]
            except WorkerError as exc:
                built[key, name] = str(exc)
                ready[name].remove(key)
    times = {(k, n): [] for n in names for k in ready[n]}
    t_start = time.monotonic()
    for r in range(args.rounds):
        for name in names:
            keys = ready[name]
            order = keys[r % len(keys):] + keys[:r % len(keys)] if keys else []
            for key in order:
                if workers[key].dead:
                    continue
                try:
                    reply = workers[key].request(60 + 20 * args.batch_s, cmd="time",
                                                 workload=name, number=number[key, name])
                    times[key, name].append(reply["per_call_s"])
                except WorkerError as exc:
                    built[key, name] = str(exc)
        if r == 0 or (r + 1) % 10 == 0:
            log(f"  round {r + 1}/{args.rounds} ({time.monotonic() - t_start:.0f} s)")
    return times


def run_rounds(start, names, args, log):
    """Start the workers (`start()` returns (workers, notes, info)), build every workload
    in each, time the rounds, and close the workers whatever happens.
    Returns (notes, info, built, times)."""
    workers = {}
    try:
        log("starting workers ...")
        workers, notes, info = start()
        log("compiling ...")
        built = build_all(workers, names, args, log)
        log(f"timing: {args.rounds} rounds of ~{args.batch_s} s batches ...")
        times = measure(workers, built, names, args, log)
    finally:
        close_all(workers)
    return notes, info, built, times


def log(msg):
    """Progress line on stderr (stdout carries the report)."""
    print(msg, file=sys.stderr, flush=True)


def finish(t0, logdir, failed):
    """The closing line: total time; the worker logs are kept only when `failed`."""
    if failed:
        print(f"\ntotal {time.monotonic() - t0:.0f} s; worker logs in {logdir}")
    else:
        shutil.rmtree(logdir, ignore_errors=True)
        print(f"\ntotal {time.monotonic() - t0:.0f} s")


def paired_ratio(times, a, b, name):
    """Median over rounds of times[a][r] / times[b][r]."""
    ta, tb = times.get((a, name)) or [], times.get((b, name)) or []
    pairs = [x / y for x, y in zip(ta, tb) if y > 0]
    return statistics.median(pairs) if pairs else None


def measure_memory(args):
    """MLP-loop peak memory of ours and of hand NumPy, each in a fresh process."""
    result = {}
    env = worker_env(args.blas_threads, foreign=False)
    for impl in ("numpy", "ours"):
        cmd = [sys.executable, WORKER, "--impl", impl, "--repo", REPO, "--memory", "mlp",
               "--steps", str(args.memory_steps)]
        r = None
        try:
            r = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=REPO,
                               timeout=300)
            result[impl] = json.loads(r.stdout.strip().splitlines()[-1])
        except Exception as exc:  # reported in the table, never fatal
            tail = (r.stderr.strip().splitlines() or [""])[-1] if r is not None else ""
            result[impl] = f"{type(exc).__name__}: {exc} {tail}"[:200]
    return result


# ----------------------------------------------------------------------------- report

def fmt_us(sec):
    if sec is None:
        return "n/a"
    us = sec * 1e6
    return f"{us:.2f}" if us < 10 else f"{us:.1f}" if us < 1000 else f"{us:.0f}"


def fmt_ratio(x):
    return "n/a" if x is None else f"{x:.2f}x"


def report(workloads_mod, names, keys, built, times, notes, info, memory, args, out=print):
    med = {k: statistics.median(v) for k, v in times.items() if v}
    labels = dict(IMPLS)

    def cell(key, name):
        if key in notes:
            return "n/a"
        b = built.get((key, name))
        if not isinstance(b, dict):
            return "FAIL"
        s = fmt_us(med.get((key, name)))
        ref = built.get(("numpy", name))
        if key != "numpy" and isinstance(ref, dict) and not agrees(b["fingerprint"],
                                                                   ref["fingerprint"]):
            s += "*"
        return s

    out("")
    out("Per-call time, median over rounds, microseconds  (* = outputs or state after the "
        "first call differ from hand NumPy's beyond rtol 1e-6)")
    head = f"{'workload':34s}" + "".join(f"{labels[k]:>11s}" for k in keys)
    out(head)
    out("-" * len(head))
    for name in names:
        out(f"{workloads_mod.WORKLOADS[name].label:34s}"
            + "".join(f"{cell(k, name):>11s}" for k in keys))

    out("")
    out("Ratios (median over rounds of the per-round ratio; < 1 means ours is faster)")
    head = (f"{'workload':34s}{'ours/NumPy':>11s}{'ours/PT best':>18s}"
            f"{'ours/Theano':>12s}")
    out(head)
    out("-" * len(head))
    pt_best = {}
    for name in names:
        cands = [(med[k, name], k) for k in ("pt_cvm", "pt_numba") if (k, name) in med]
        best = min(cands)[1] if cands else None
        pt_best[name] = best
        r_pt = paired_ratio(times, "ours", best, name) if best else None
        pt_txt = f"{fmt_ratio(r_pt)} ({labels[best][3:]})" if best else "n/a"
        out(f"{workloads_mod.WORKLOADS[name].label:34s}"
            f"{fmt_ratio(paired_ratio(times, 'ours', 'numpy', name)):>11s}{pt_txt:>18s}"
            f"{fmt_ratio(paired_ratio(times, 'ours', 'theano', name)):>12s}")

    out("")
    out("Compile time, milliseconds: function(...) + first call (Numba compiles at the "
        "first call; PyTensor/Theano with their on-disk caches warm after a first run)")
    head = f"{'workload':34s}" + "".join(f"{labels[k]:>11s}" for k in keys if k != "numpy")
    out(head)
    out("-" * len(head))
    for name in names:
        row = f"{workloads_mod.WORKLOADS[name].label:34s}"
        for k in keys:
            if k == "numpy":
                continue
            b = built.get((k, name))
            txt = ("n/a" if k in notes else f"{1e3 * (b['compile_s'] + b['first_call_s']):.0f}"
                   if isinstance(b, dict) else "FAIL")
            row += f"{txt:>11s}"
        out(row)

    out("")
    out("Targets")
    head = f"{'target':{TARGET_W}s}{'measured':>10s}  status"
    out(head)
    out("-" * (len(head) + 12))
    for name, kind, limit, source in TARGETS:
        if name not in names:
            continue
        label = name
        if kind == "us":
            val = med.get(("ours", name))
            val = None if val is None else val * 1e6
            what, unit = f"{label}: ours <= {limit} us", " us"
        elif kind == "ratio:numpy":
            val = paired_ratio(times, "ours", "numpy", name)
            what, unit = f"{label}: ours/NumPy <= {limit}", "x"
        else:
            best = pt_best.get(name)
            val = paired_ratio(times, "ours", best, name) if best else None
            what, unit = f"{label}: ours/PT best <= {limit}", "x"
        out(_target_line(f"{what} [{source}]", val, limit, unit))
    if "mlp" in names:
        report_memory(memory, args, out)

    report_implementations(keys, labels, notes, info, out)
    diffs = []
    for (k, n), b in sorted(built.items()):
        ref = built.get(("numpy", n))
        if k != "numpy" and isinstance(b, dict) and isinstance(ref, dict):
            diffs += [f"  {labels[k]} / {n}: {d}"
                      for d in disagreement(b["fingerprint"], ref["fingerprint"])]
    if diffs:
        out("Outputs or state after the first call that differ from hand NumPy's "
            "(values numbered outputs first, then shared state):")
        for line in diffs:
            out(line)
    failed = [(k, n, b) for (k, n), b in sorted(built.items()) if not isinstance(b, dict)]
    if failed:
        out("Failures:")
        for k, n, b in failed:
            out(f"  {labels[k]} / {n}: {b}")


def report_memory(memory, args, out):
    mem_ratio = None
    if all(isinstance(memory.get(k), dict) for k in ("ours", "numpy")):
        mem_ratio = memory["ours"]["peak_bytes"] / memory["numpy"]["peak_bytes"]
    out(_target_line(f"mlp peak memory: ours/NumPy <= {MEMORY_TARGET} [issue 6]",
                     mem_ratio, MEMORY_TARGET, "x"))
    out("")
    out(f"MLP loop memory ({args.memory_steps} steps, fresh process each; tracemalloc peak "
        "from before building the step, compile-time garbage excluded; ru_maxrss is the "
        "whole process):")
    for impl in ("numpy", "ours"):
        m = memory.get(impl)
        if isinstance(m, dict):
            out(f"  {impl:6s} tracemalloc peak {m['peak_bytes'] / 2**20:7.2f} MiB   "
                f"ru_maxrss {m['maxrss_bytes'] / 2**20:7.1f} MiB")
        else:
            out(f"  {impl:6s} n/a: {m}")


TARGET_W = 56


def _target_line(what, val, limit, unit):
    if val is None:
        return f"{what:{TARGET_W}s}{'n/a':>10s}  n/a"
    shown = f"{val:.2f}{unit}"
    if val <= limit:
        return f"{what:{TARGET_W}s}{shown:>10s}  PASS"
    return f"{what:{TARGET_W}s}{shown:>10s}  MISS (by {100 * (val / limit - 1):.0f}%)"


def disagreement(fp, ref):
    """Which fingerprint rows (outputs, then state) differ, in words."""
    import math

    if len(fp) != len(ref):
        return [f"{len(fp)} outputs+state values vs NumPy's {len(ref)}"]
    notes = []
    for k, (row, ref_row) in enumerate(zip(fp, ref)):
        if not agrees([row], [ref_row]):
            nan = " (NaN)" if any(math.isnan(v) for v in row) else ""
            notes.append(f"value #{k}: sum {row[0]:.6g}{nan} vs NumPy {ref_row[0]:.6g}")
    return notes


def report_implementations(keys, labels, notes, info, out):
    """The "Implementations:" block: versions of each implementation, or why it is n/a."""
    out("")
    out("Implementations:")
    for k in keys:
        if k in notes:
            out(f"  {labels[k]:9s} n/a: {notes[k]}")
        else:
            out(f"  {labels[k]:9s} " + ", ".join(f"{a} {b}" for a, b in info.get(k, {}).items()))


def run_extras(args, out=print):
    """The single-purpose benchmarks: compile time, MRG, scan, convolution, LeNet, sparse,
    GPU."""
    quick = ["--quick"] if args.quick else []
    for script, extra in (("bench_compile.py", quick),
                          ("bench_mrg.py", ["--repeat", "3" if args.quick else "7"]),
                          ("bench_scan.py", ["--repeat", "3" if args.quick else "11"]),
                          ("bench_conv.py", quick), ("bench_lenet.py", quick),
                          ("bench_sparse.py", quick), ("bench_gpu.py", quick),
                          ("bench_models.py",
                           quick + ["--blas-threads", str(args.blas_threads)]
                           + (["--no-theano"] if args.no_theano else []))):
        out("")
        out(f"== {script} ==")
        r = subprocess.run([sys.executable, os.path.join(HERE, script)] + extra, cwd=REPO,
                           capture_output=True, text=True,
                           env=worker_env(args.blas_threads, foreign=False))
        out((r.stdout + (r.stderr if r.returncode else "")).rstrip())


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true",
                    help="smoke run: few short rounds, no Numba mode, compile extras quick")
    ap.add_argument("--workloads", default=None, help="comma-separated subset")
    ap.add_argument("--rounds", type=int, default=None)
    ap.add_argument("--batch-s", type=float, default=None,
                    help="seconds per timed batch (default 0.15, quick 0.02)")
    ap.add_argument("--blas-threads", type=int, default=1)
    ap.add_argument("--no-pytensor", action="store_true")
    ap.add_argument("--no-numba", action="store_true")
    ap.add_argument("--no-theano", action="store_true")
    ap.add_argument("--no-extras", action="store_true",
                    help="skip the single-purpose benchmarks (compile, MRG, scan, conv, "
                         "LeNet, GPU)")
    ap.add_argument("--reinstall-pytensor", action="store_true")
    ap.add_argument("--cache-dir", default=DEFAULT_CACHE)
    ap.add_argument("--setup-timeout", type=float, default=600,
                    help="seconds allowed for one worker start or compile")
    args = ap.parse_args(argv)
    args.numba = not (args.quick or args.no_numba)
    args.rounds = args.rounds or (5 if args.quick else 41)
    args.batch_s = args.batch_s or (0.02 if args.quick else 0.15)
    args.memory_steps = 5 if args.quick else 20

    sys.stdout.reconfigure(line_buffering=True)  # keep order with the stderr progress
    _bench_path()
    import workloads

    names = list(workloads.WORKLOADS)
    if args.workloads:
        names = [n.strip() for n in args.workloads.split(",")]
        unknown = [n for n in names if n not in workloads.WORKLOADS]
        if unknown:
            ap.error(f"unknown workloads {unknown}; known: {list(workloads.WORKLOADS)}")

    t0 = time.monotonic()
    logdir = tempfile.mkdtemp(prefix="theano-compat-bench-")
    notes, info, built, times = run_rounds(lambda: start_workers(args, logdir, log), names,
                                           args, log)
    keys = [k for k, _ in IMPLS]
    memory = {}
    if "mlp" in names:
        log("memory ...")
        memory = measure_memory(args)
    print(f"theano-compat benchmarks: {len(names)} workloads, {args.rounds} rounds, "
          f"BLAS threads {args.blas_threads}, {os.cpu_count()} CPUs")
    report(workloads, names, keys, built, times, notes, info, memory, args)
    if not args.no_extras:
        run_extras(args)
    finish(t0, logdir, any(not isinstance(b, dict) for b in built.values()) or any(
        "worker" in why for why in notes.values()))


if __name__ == "__main__":
    main()
