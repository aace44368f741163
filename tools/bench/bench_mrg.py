"""Micro-benchmark: 10**6 MRG31k3p uniforms against numpy.random.Generator.random.

Usage: python tools/bench/bench_mrg.py [--n N] [--repeat R]
Prints the best time of each and the ratio (MRG / NumPy) for float64 and float32 draws,
both through a compiled theano function (what users call) and through the vectorised
generator core alone, plus a draw with few streams (the chunked jump-ahead path).
"""

import argparse
import os
import sys
import timeit

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))

from theano.sandbox.rng_mrg import MRG_RandomStreams  # noqa: E402

import theano  # noqa: E402
from theano_compat.tensor.random import mrg31k3p  # noqa: E402


def best(fn, repeat):
    fn()  # warm-up (allocations, first-call paths)
    return min(timeit.repeat(fn, number=1, repeat=repeat))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10**6)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    n, repeat = args.n, args.repeat
    gen = np.random.default_rng(0)
    print(f"{n} draws, best of {repeat}; ratio = MRG time / numpy Generator.random time")
    for dtype in ("float64", "float32"):
        t_np = best(lambda d=dtype: gen.random(n, dtype=d), repeat)
        f = theano.function([], MRG_RandomStreams(seed=1234).uniform((n,), dtype=dtype))
        t_fn = best(f, repeat)
        rstate = MRG_RandomStreams(seed=1234).get_substream_rstates(15360, dtype)
        t_core = best(lambda s=rstate, d=dtype: mrg31k3p.draw(np, s, n, d), repeat)
        one = rstate[:1].copy()
        t_one = best(lambda s=one, d=dtype: mrg31k3p.draw(np, s, n, d), repeat)
        print(f"{dtype}: numpy {t_np * 1e3:7.2f} ms | theano.function(MRG uniform) "
              f"{t_fn * 1e3:7.2f} ms  ratio {t_fn / t_np:5.1f} | core, 15360 streams "
              f"{t_core * 1e3:7.2f} ms  ratio {t_core / t_np:5.1f} | core, 1 stream "
              f"{t_one * 1e3:7.2f} ms  ratio {t_one / t_np:5.1f}")

if __name__ == "__main__":
    main()
