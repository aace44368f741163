"""Benchmark worker: runs the workloads of one implementation and answers JSON lines.

    python worker.py --impl {ours,numpy,theano,pytensor} [--mode cvm|numba] [--repo DIR]
    python worker.py --impl {ours,numpy} --repo DIR --memory WORKLOAD [--steps K]

`run_all.py` starts one worker per implementation (PyTensor's under its own venv's Python,
Theano 1.0.5's under `theano-ref`, from a directory outside the repository), then drives
them in turn, so the implementations alternate and process start-up is never timed.  Each
request is one JSON object on stdin, each answer one JSON object on the real stdout
(sys.stdout is pointed at stderr, so a framework's prints cannot corrupt the protocol):

  {"cmd": "info"}                               -> versions
  {"cmd": "build", "workload": W}               -> compile_s, first_call_s, fingerprint
  {"cmd": "calibrate", "workload": W, "target_s": T} -> number (calls per batch of ~T s)
  {"cmd": "time", "workload": W, "number": N}   -> per_call_s (one batch of N calls)

Any failure is answered as {"error": "..."}; the worker keeps serving.  With --memory the
worker instead measures the peak memory of a training loop (see `measure_memory`) and
prints one JSON object.

This file imports nothing from the project (only `workloads.py` beside it): "ours" gets
the repository on sys.path from --repo, the other implementations must not see it.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import numpy as np  # noqa: E402

import workloads  # noqa: E402


def make_mode(impl, mode):
    """The `mode=` argument for `function`: PyTensor's C VM or Numba, else the default."""
    if impl != "pytensor" or mode is None:
        return None
    if mode == "cvm":
        # PyTensor 3's FAST_RUN uses the Numba linker; the C VM is asked for by name.
        from pytensor.compile.mode import Mode

        return Mode(linker="cvm", optimizer="fast_run")
    if mode == "numba":
        return "NUMBA"
    raise ValueError(f"unknown PyTensor mode {mode!r}")


def versions(impl):
    info = {"python": sys.version.split()[0], "numpy": np.__version__}
    if impl in ("ours", "theano"):
        import theano

        info["theano"] = theano.__version__
        if impl == "theano":
            info["blas.ldflags"] = repr(theano.config.blas.ldflags)
    if impl == "pytensor":
        import pytensor

        info["pytensor"] = pytensor.__version__
        info["blas__ldflags"] = repr(pytensor.config.blas__ldflags)
        try:
            import numba

            info["numba"] = numba.__version__
        except ImportError:
            info["numba"] = None
    return info


class Worker:
    def __init__(self, impl, mode):
        self.impl, self.mode = impl, make_mode(impl, mode)
        self.prepared = {}

    def handle(self, req):
        cmd = req["cmd"]
        if cmd == "info":
            return versions(self.impl)
        if cmd == "build":
            wl = workloads.WORKLOADS[req["workload"]]
            p = workloads.Prepared(wl, self.impl, self.mode)
            t0 = time.perf_counter()
            outs = p.call()
            first = time.perf_counter() - t0
            self.prepared[wl.name] = p
            return {"compile_s": p.compile_s, "first_call_s": first,
                    "fingerprint": workloads.fingerprint(outs + list(p.state()))}
        if cmd == "calibrate":
            return {"number": calibrate(self.prepared[req["workload"]].timer(),
                                        req["target_s"])}
        if cmd == "time":
            n = req["number"]
            return {"per_call_s": self.prepared[req["workload"]].timer().timeit(n) / n}
        raise ValueError(f"unknown command {cmd!r}")


def calibrate(timer, target_s):
    """Calls per batch so that one batch takes about target_s (at least 1)."""
    number = 1
    while True:
        t = timer.timeit(number)
        if t >= target_s / 4 or number >= 1 << 24:
            return max(1, int(round(number * target_s / max(t, 1e-9))))
        number *= 4


def serve(worker, out):
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            req = json.loads(line)
            if req["cmd"] == "quit":
                break
            reply = worker.handle(req)
        except Exception as exc:  # reported to the driver, which prints n/a with it
            traceback.print_exc(file=sys.stderr)
            reply = {"error": f"{type(exc).__name__}: {exc}".splitlines()[0][:300]}
        out.write(json.dumps(reply) + "\n")
        out.flush()


def measure_memory(impl, name, steps):
    """Peak memory of a `steps`-step loop of workload `name`, in this fresh process.

    A throwaway build first loads every lazily imported module (module code is not loop
    memory).  Then tracemalloc (NumPy reports its data buffers to it) is started once the
    call arguments exist and before the step is built; its peak is reset after building,
    so the figure counts everything the step keeps alive (parameters, planned or
    preallocated buffers, the compiled function) plus the largest transient set of
    temporaries during the loop, and excludes compile-time garbage.  ru_maxrss (whole
    process: interpreter, imports, data) is reported beside it for information.
    """
    import gc
    import resource
    import tracemalloc

    wl = workloads.WORKLOADS[name]
    workloads.Prepared(wl, impl).call()
    gc.collect()
    args = wl.args()  # noqa: F841  (kept alive: the data both loops share)
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    p = workloads.Prepared(wl, impl)
    tracemalloc.reset_peak()
    for _ in range(steps):
        p.call()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    maxrss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"peak_bytes": peak - base, "maxrss_bytes": maxrss_kb * 1024}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--impl", required=True, choices=["ours", "numpy", "theano", "pytensor"])
    ap.add_argument("--mode", default=None)
    ap.add_argument("--repo", default=None, help="repository root, put on sys.path (ours)")
    ap.add_argument("--memory", default=None, metavar="WORKLOAD")
    ap.add_argument("--steps", type=int, default=20)
    args = ap.parse_args(argv)
    if args.repo:
        sys.path.insert(0, args.repo)
    out = sys.stdout
    sys.stdout = sys.stderr
    if args.memory:
        out.write(json.dumps(measure_memory(args.impl, args.memory, args.steps)) + "\n")
        return
    serve(Worker(args.impl, args.mode), out)


if __name__ == "__main__":
    main()
