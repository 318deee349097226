"""Exact engine of the MBC process (docs/spec.md §5.3, the process of §3): continuous time, every jump simulated, any
γ ∈ [-3, 1].

Gillespie's direct method over the N(N-1)/2 unordered pairs, with no majorant (none exists for γ < 0):

- the pair rates W_ij = R_h(|v_i - v_j|) (:mod:`mbc_verify.mbc.rates`) are kept in a symmetric N × N matrix and
  the row sums R_i = Σ_j W_ij in a vector; the total rate is R = Σ_i R_i / 2;
- the waiting time is -log(U) / R; the jumping pair is drawn by picking i with probability R_i / (2R), then j
  with probability W_ij / R_i (the row sum is recomputed from row i, so this step is exact): the unordered pair
  {i, j} is drawn with probability (W_ij + W_ji) / (2R) = W_ij / R, as it must be;
- the jump is :func:`mbc_verify.mbc.kernel.random_jump`; then rows i and j of W are recomputed (2N rate
  evaluations), R_i and R_j are summed afresh and every other R_k is updated by its two increments.

Cost per jump: O(N) (2N rate evaluations, each a power r^γ, plus three O(N) scans); memory N² doubles.
Floating-point drift of the incrementally updated R_k (which only affects the choice of i and the total rate) is
removed by recomputing every row sum exactly from W after every N jumps (O(N²) additions per N jumps, so O(N)
amortised), and at once for a row whose update cancels more than 10 bits (a large rate leaving it, ``_CANCEL``).
Matrix entries are never updated incrementally: each is the formula evaluated at the current state.

Random numbers: the jump with index k (counted from 0 within the segment) uses the stream
``substream(stream_key(seed, segment), k)`` of :mod:`mbc_verify.mbc.rng`: counters 0 and 1 for the angle and
azimuth (inside ``random_jump``), 2 for the waiting time, 3 for i and 4 for j. The waiting time that would
cross t1 is discarded: by the memorylessness of the exponential law, restarting at t1 (a new segment key)
continues the same Markov process exactly. Same (v, t1 - t0, gamma, h, seed, segment, kernel, defect) ⇒
bitwise the same result; the engine is serial, so thread count plays no role.

Chunks: a call makes at most ``max_jumps`` jumps and then stops at the next exact resummation (every N jumps),
returning the time reached; a call that resumes from there (jump index ``jump0``, time t) rebuilds W and the row
sums exactly as they were at that resummation, so a segment run in chunks is bitwise the same as one run in a
single call. Callers use this to stay responsive to Ctrl-C.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
from numba import njit, prange

from ..mutants import FROZEN_PARTNERS, PAIR_SELECTION, Defect
from .kernel import norm3, random_jump
from .rates import prefactor, speed_factor
from .rng import stream_key, substream, uniform

_CANCEL = 1024.0
"""An increment that removes more than _CANCEL times what is left of a row sum (a close pair separating, for
γ < 0) triggers an exact resummation of that row: incremental row sums then never lose more than 10 bits."""


class JumpLaw(NamedTuple):
    """The MBC jump law of the exact engine: γ, h, the kernel code and the pair-rate prefactor (2/N)·4s(h)/h²."""

    gamma: float
    h: float
    kernel: int
    pref: float


def jump_law(gamma: float, h: float, kernel: int, n: int, defect: Defect) -> JumpLaw:
    """The :class:`JumpLaw` of N particles (prefactor of :func:`mbc_verify.mbc.rates.prefactor`)."""
    return JumpLaw(gamma, h, kernel, prefactor(h, n, kernel, defect))


@njit(cache=True)
def _rate(v: np.ndarray, i: int, j: int, law: JumpLaw, defect: Defect) -> float:
    r = norm3(v[i, 0] - v[j, 0], v[i, 1] - v[j, 1], v[i, 2] - v[j, 2])
    return law.pref * speed_factor(r, law.gamma, defect)


@njit(cache=True)
def _row_sums(w: np.ndarray, row: np.ndarray) -> None:
    n = w.shape[0]
    for i in range(n):
        s = 0.0
        for j in range(n):
            s += w[i, j]
        row[i] = s


@njit(cache=True)
def _rate_matrix(v: np.ndarray, law: JumpLaw, defect: Defect) -> tuple:
    """(W, row sums) at the state v."""
    n = v.shape[0]
    w = np.zeros((n, n))
    for i in range(n):
        for j in range(i + 1, n):
            x = _rate(v, i, j, law, defect)
            w[i, j] = x
            w[j, i] = x
    row = np.empty(n)
    _row_sums(w, row)
    return w, row


@njit(cache=True)
def _pick(weights: np.ndarray, total: float, u: float) -> int:
    """Index k with probability weights[k] / total (linear scan; round-off falls back to the last positive)."""
    target = u * total
    acc = 0.0
    last = -1
    for k in range(weights.size):
        wk = weights[k]
        if wk > 0.0:
            acc += wk
            last = k
            if acc > target:
                return k
    return last


@njit(cache=True)
def _resum_row(w: np.ndarray, row: np.ndarray, m: int) -> None:
    s = 0.0
    for k in range(w.shape[0]):
        s += w[m, k]
    row[m] = s


@njit(cache=True)
def _update_rows(v: np.ndarray, w: np.ndarray, row: np.ndarray, i: int, j: int, law: JumpLaw, defect: Defect,
                 sums: bool) -> None:
    """After a jump of (i, j): recompute rows/columns i and j of W from v; with ``sums``, update every other R_k
    by its two increments (resumming it exactly when they cancel more than 10 bits) and resum R_i, R_j."""
    n = v.shape[0]
    for k in range(n):
        if k == i or k == j:
            continue
        xi = _rate(v, i, k, law, defect)
        xj = _rate(v, j, k, law, defect)
        old = w[i, k] + w[j, k]
        if sums:
            row[k] += (xi - w[i, k]) + (xj - w[j, k])
        w[i, k] = xi
        w[k, i] = xi
        w[j, k] = xj
        w[k, j] = xj
        if sums and old > _CANCEL * row[k]:
            _resum_row(w, row, k)
    x = _rate(v, i, j, law, defect)
    w[i, j] = x
    w[j, i] = x
    if sums:
        _resum_row(w, row, i)
        _resum_row(w, row, j)


@njit(cache=True)
def _partner(i: int, j: int, n: int, defect: Defect) -> int:
    """The partner of i: the drawn j, or under ``FROZEN_PARTNERS`` the fixed partner i ^ 1."""
    if defect.code == FROZEN_PARTNERS:
        return i ^ 1 if (i ^ 1) < n else i - 1
    return j


@njit(cache=True)
def advance_exact(v: np.ndarray, seed: np.int64, segment: np.int64, t: float, t1: float, jump0: np.int64,
                  max_jumps: np.int64, law: JumpLaw, defect: Defect) -> tuple:
    """Advance the velocities ``v`` (N × 3, in place) by the MBC process from time t towards t1, the jumps of the
    segment numbered from ``jump0``; stop at t1 or after ``max_jumps`` jumps (module docstring, "Chunks").

    Returns (jumps made in this call, the time reached, whether t1 was reached). No validation here.
    """
    n = v.shape[0]
    w, row = _rate_matrix(v, law, defect)
    key = stream_key(np.uint64(seed), np.uint64(segment))
    made = np.int64(0)
    since_exact = 0
    while True:
        if made >= max_jumps and since_exact == 0:
            return made, t, False
        total2 = 0.0
        for k in range(n):
            total2 += row[k]
        if not total2 > 0.0:
            return made, t1, True
        sub = substream(key, np.uint64(jump0 + made))
        tau = -math.log(uniform(sub, np.uint64(2))) * 2.0 / total2
        if t + tau > t1:
            return made, t1, True
        i = _pick(row, total2, uniform(sub, np.uint64(3)))
        ri = 0.0
        for k in range(n):
            ri += w[i, k]
        u4 = uniform(sub, np.uint64(4))
        j = _pick(w[i], ri, u4 ** (1.0 + defect.amp) if defect.code == PAIR_SELECTION else u4)
        if j < 0:  # row i is empty and R_i > 0 was drift: resum exactly and redraw this jump
            _row_sums(w, row)
            since_exact = 0
            continue
        j = _partner(i, j, n, defect)
        t += tau
        random_jump(v, i, j, law.kernel, law.h, sub, defect)
        made += 1
        since_exact += 1
        if since_exact >= n:
            _update_rows(v, w, row, i, j, law, defect, False)
            _row_sums(w, row)
            since_exact = 0
        else:
            _update_rows(v, w, row, i, j, law, defect, True)


@njit(cache=True, parallel=True)
def batch_exact(v: np.ndarray, seeds: np.ndarray, segment: np.int64, t: np.ndarray, t1: float, jumps: np.ndarray,
                done: np.ndarray, max_jumps: np.int64, law: JumpLaw, defect: Defect) -> None:
    """One chunk of :func:`advance_exact` for every unfinished replica r (v: R × N × 3) in ``prange``: t[r], the
    jump counts jumps[r] and done[r] are updated in place."""
    for r in prange(v.shape[0]):
        if done[r]:
            continue
        made, t_new, finished = advance_exact(v[r], seeds[r], segment, t[r], t1, jumps[r], max_jumps, law, defect)
        jumps[r] += made
        t[r] = t_new
        done[r] = finished
