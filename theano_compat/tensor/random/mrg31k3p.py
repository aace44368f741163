"""The MRG31k3p generator of L'Ecuyer and Touzin, vectorised over streams.

Pure array arithmetic (no graph): one generator step, jump-ahead matrices, the
substream layout of Theano 1.0.5's ``MRG_RandomStreams`` and the conversion of the
integer output to floats exactly as Theano's C kernels did it (spec/MRG.md §1).

A stream state is a row of six integers ``[x10, x11, x12, x20, x21, x22]``: the three
latest values of component 1 (newest first), then those of component 2.  States are
stored as int32 (Theano's layout) and computed in int64, where every product and sum
used below fits without overflow, so the plain modular formulas replace Theano's int32
shift-and-mask tricks.

Every function taking ``xp`` runs unchanged on NumPy and CuPy; the 3x3 jump matrices
are small host-side Python integers.
"""

from __future__ import annotations

import functools

import numpy as np

M1 = 2147483647  # 2**31 - 1, modulus of component 1
M2 = 2147462579  # 2**31 - 21069, modulus of component 2

# One-step transition matrices acting on a component's column [x_n-1, x_n-2, x_n-3].
A1P0 = ((0, 4194304, 129), (1, 0, 0), (0, 1, 0))
A2P0 = ((32768, 0, 32769), (1, 0, 0), (0, 1, 0))

# Jump-ahead constants of Theano 1.0.5 (rng_mrg.A1p72 ...): the step matrices raised to
# 2**72 (next substream) and 2**134 (next stream).
# tests/unit/tensor/random/test_mrg_streams.py recomputes them from A1P0/A2P0 by modular
# exponentiation.
A1P72 = ((1516919229, 758510237, 499121365),
         (1884998244, 1516919229, 335398200),
         (601897748, 1884998244, 358115744))
A2P72 = ((1228857673, 1496414766, 954677935),
         (1133297478, 1407477216, 1496414766),
         (2002613992, 1639496704, 1407477216))
A1P134 = ((1702500920, 1849582496, 1656874625),
          (828554832, 1702500920, 1512419905),
          (1143731069, 828554832, 102237247))
A2P134 = ((796789021, 1464208080, 607337906),
          (1241679051, 1431130166, 1464208080),
          (1401213391, 1178684362, 1431130166))

# Float scale factors of Theano's kernels.  float32 uses the C literal 4.6566126e-10f,
# one ulp below 2**-31, so that float32(M1) * NORM32 rounds below 1.0.
NORM64 = 4.656612873077392578125e-10  # 2**-31 exactly
NORM32 = np.float32(4.6566126e-10)
NORM16 = float(np.float16(3.0458e-05))

# Above this many steps per stream, long streams are cut into chunks started by jumps
# so that each vectorised step works on at least this many lanes.
_MIN_LANES = 4096
_MIN_CHUNK = 16


# -- 3x3 matrices modulo m, on the host --------------------------------------------------


def mat_mul_mod(a, b, m):
    """(a @ b) mod m for 3x3 matrices of Python ints."""
    return tuple(
        tuple(sum(a[i][k] * b[k][j] for k in range(3)) % m for j in range(3)) for i in range(3)
    )


def mat_pow_mod(a, e, m):
    """a**e mod m for a 3x3 matrix of Python ints (square-and-multiply)."""
    result = ((1, 0, 0), (0, 1, 0), (0, 0, 1))
    base = tuple(tuple(int(v) % m for v in row) for row in a)
    while e:
        if e & 1:
            result = mat_mul_mod(result, base, m)
        base = mat_mul_mod(base, base, m)
        e >>= 1
    return result


@functools.lru_cache(maxsize=256)
def jump_matrices(steps):
    """The pair (A1**steps mod M1, A2**steps mod M2): advance a state `steps` draws.
    Cached: a function drawing the same number of samples each call reuses them."""
    return mat_pow_mod(A1P0, steps, M1), mat_pow_mod(A2P0, steps, M2)


# -- states ------------------------------------------------------------------------------


def _mat_vec_mod(xp, a, cols, m):
    """Rows of (a @ [c0, c1, c2]) mod m for column vectors given as three arrays.

    Each product is < 2**62 and is reduced before summing, so int64 never overflows
    (the same arithmetic as Theano's ``sum((A * s) % m) % m``).
    """
    c0, c1, c2 = cols
    return [(a[r][0] * c0 % m + a[r][1] * c1 % m + a[r][2] * c2 % m) % m for r in range(3)]


def mat_vec_mod(xp, a, s, m):
    """(a @ s) mod m as int64 for an int64 (3, 3) array and a length-3 vector s."""
    a = xp.asarray(a).astype(np.int64)
    s = xp.asarray(s).astype(np.int64)
    return xp.sum((a * s[None, :]) % m, axis=1) % m


def jump(xp, states, a1, a2):
    """Apply the jump matrices (a1, a2) to every row of an (n, 6) state array.

    Returns an int64 array of the same shape.
    """
    s = xp.asarray(states).astype(np.int64)
    part1 = _mat_vec_mod(xp, a1, (s[:, 0], s[:, 1], s[:, 2]), M1)
    part2 = _mat_vec_mod(xp, a2, (s[:, 3], s[:, 4], s[:, 5]), M2)
    return xp.stack(part1 + part2, axis=1)


def skip_2p72(state):
    """One state (6 ints) advanced 2**72 draws: the next substream (Theano's ff_2p72)."""
    return jump(np, np.asarray(state).reshape(1, 6), A1P72, A2P72)[0].astype(np.int32)


def skip_2p134(state):
    """One state advanced 2**134 draws: the next stream (Theano's ff_2p134)."""
    return jump(np, np.asarray(state).reshape(1, 6), A1P134, A2P134)[0].astype(np.int32)


def _jumped_copies(xp, start, count, a1, a2):
    """(count * n, 6) int64 array: rows [start, J start, J^2 start, ...] block by block.

    `start` is an (n, 6) array; block c is J**c applied to it, where J = (a1, a2).
    Built by doubling, so it costs log2(count) vectorised jumps.
    """
    blocks = xp.asarray(start).astype(np.int64)
    n = blocks.shape[0]
    p1, p2 = a1, a2  # J**(number of blocks so far)
    while blocks.shape[0] < count * n:
        blocks = xp.concatenate([blocks, jump(xp, blocks, p1, p2)], axis=0)
        p1, p2 = mat_mul_mod(p1, p1, M1), mat_mul_mod(p2, p2, M2)
    return blocks[: count * n]


def substream_states(rstate, n_streams):
    """(n_streams, 6) int32: row 0 is `rstate`, each next row is 2**72 draws further.

    The layout Theano's ``MRG_RandomStreams.get_substream_rstates`` builds (it computed
    the rows one by one; doubling gives the same rows).
    """
    start = np.asarray(rstate, dtype=np.int64).reshape(1, 6)
    return _jumped_copies(np, start, int(n_streams), A1P72, A2P72).astype(np.int32)


# -- drawing -----------------------------------------------------------------------------


def step(xp, a0, a1, a2, b0, b1, b2):
    """One MRG31k3p step on six state arrays; returns (k, new six arrays).

    k in [1, M1] is the integer output (y1 - y2, or y1 - y2 + M1 when y1 <= y2).
    """
    y1 = ((a1 << 22) + 129 * a2) % M1
    y2 = ((b0 << 15) + 32769 * b2) % M2
    k = y1 - y2
    k = xp.where(k <= 0, k + M1, k)
    return k, (y1, a0, a1, y2, b0, b1)


def to_float(xp, k, dtype):
    """Integer outputs k in [1, M1] to floats in (0, 1), as Theano's kernels computed them.

    float64: k * 2**-31 (exact).  float32: float32(k) * 4.6566126e-10f in float32
    arithmetic (the C and GPU kernels; Theano's Python fallback rounded a float64
    product instead, which differs in the last bit for about a quarter of draws).
    float16: Theano's Python path, ((k & 0x7fff) + 1) * float16(3.0458e-05) rounded.
    """
    dtype = np.dtype(dtype)
    if dtype == np.float64:
        return k.astype(np.float64) * NORM64
    if dtype == np.float32:
        return k.astype(np.float32) * NORM32
    if dtype == np.float16:
        return (((k & 0x7FFF) + 1).astype(np.float64) * NORM16).astype(np.float16)
    raise TypeError(f"MRG31k3p draws floats (float16/32/64), not {dtype}")


def _chunking(steps, lanes):
    """(chunks, chunk_length): cut `steps` per stream so each step has enough lanes."""
    if lanes >= _MIN_LANES or steps < 2 * _MIN_CHUNK:
        return 1, steps
    chunks = min(-(-_MIN_LANES // lanes), steps // _MIN_CHUNK)
    return chunks, -(-steps // chunks)


def draw(xp, rstate, n_elements, dtype):
    """Draw `n_elements` uniforms from the streams in `rstate` (n_streams, 6).

    Element i (flat C order) comes from stream ``i % n_streams``; each stream advances
    one step per element it produces (Theano's CPU loop and GPU kernel agree on this).
    Returns ``(new_rstate, samples)``: the advanced int32 states (rows that produced
    nothing are unchanged) and a flat array of `dtype`.

    Vectorised over streams.  When few streams must produce many values each, every
    stream is cut into chunks whose start states come from jump matrices, so the Python
    loop runs over chunk_length steps, not over all of them.
    """
    rstate = xp.asarray(rstate)
    n_streams = rstate.shape[0]
    if n_elements == 0:
        return rstate.copy(), xp.empty((0,), dtype=dtype)
    active = min(n_streams, n_elements)
    full_steps, extra = divmod(n_elements, active)  # rows < extra make one more step
    steps = full_steps + (extra > 0)
    start = rstate[:active].astype(np.int64)
    chunks, length = _chunking(steps, active)
    if chunks > 1:
        a1, a2 = jump_matrices(length)
        lanes = _jumped_copies(xp, start, chunks, a1, a2)  # (chunks * active, 6)
    else:
        lanes = start
    state = [xp.ascontiguousarray(lanes[:, c]) for c in range(6)]
    out = xp.empty((chunks, length, active), dtype=dtype)
    for t in range(length):
        k, state = step(xp, *state)
        out[:, t, :] = to_float(xp, k, dtype).reshape(chunks, active)
    samples = out.reshape(-1)[:n_elements]
    # Final states: every active row advanced full_steps draws, rows < extra one more.
    a1, a2 = jump_matrices(full_steps)
    final = jump(xp, start, a1, a2)
    if extra:
        _, moved = step(xp, *[final[:extra, c] for c in range(6)])
        final[:extra] = xp.stack(moved, axis=1)
    new_rstate = rstate.copy()
    new_rstate[:active] = final.astype(rstate.dtype)
    return new_rstate, samples
