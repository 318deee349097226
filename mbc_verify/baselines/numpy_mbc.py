"""The fast MBC engine's algorithm (:mod:`mbc_verify.mbc.fast`) in plain, vectorised NumPy: the NumPy baseline.

Same step as the fast engine (docs/spec.md §3): a uniform random perfect matching per step, K_p ~ Poisson(μ_p) jumps for
pair p with μ_p = Δt (2/N) λ_h(|u_p|) · N(N−1)/(2⌊N/2⌋) (:func:`mbc_verify.mbc.matching.mean_factor`), and the K_p
composed jumps applied at once in the three regimes of :mod:`mbc_verify.mbc.composite` (same table
``composite_table``): K ≤ 32 composed jump by jump (vectorised over the pairs, one sweep per jump index),
32 < K < k_uniform by inverse CDF of the Legendre series (vectorised safeguarded Newton/bisection, full table),
K ≥ k_uniform uniform on the sphere. Fixed kernel (θ = h), no mutants.

Differences, all immaterial for a throughput baseline: random numbers come from ``numpy.random.Generator``
(PCG64) instead of the counter-based stream, so runs agree with the numba engine in law, not bit for bit; the
composed rotation is applied to u directly (v_i = c + r w/2) instead of through the frame of û₀.

API: ``NumpyFastEngine(gamma, h, dt, seed).advance(v, t0, t1)`` (used by ``benchmarks/test_bench_fast.py`` and
``benchmarks/gate.py``), a thin holder of the generator around :func:`advance_numpy`.
"""

from __future__ import annotations

import math

import numpy as np

from ..mbc.composite import K_DIRECT, composite_table
from ..mbc.matching import mean_factor, n_steps, step_length
from ..mbc.rates import SPEED_CAP
from ..mutants import NO_DEFECT

_MU_MAX = 1e18  # numpy's Poisson sampler refuses larger means; such pairs are far in the uniform regime anyway


class NumpyFastEngine:
    """The fast engine's step in NumPy with fixed (γ, h, Δt) and its own PCG64 generator seeded by ``seed``."""

    def __init__(self, gamma: float, h: float, dt: float, seed: int) -> None:
        self.gamma, self.h, self.dt = float(gamma), float(h), float(dt)
        self.rng = np.random.default_rng(seed)

    def advance(self, v: np.ndarray, t0: float, t1: float) -> int:
        """Advance ``v`` (N × 3, in place) from t0 to t1; return the number of jumps made."""
        return advance_numpy(v, t0, t1, self.gamma, self.h, self.dt, self.rng)


def _frames(w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Orthonormal frames (e₁, e₂) of w^⊥ for unit rows w (Duff et al. 2017, as :func:`mbc_verify.mbc.kernel.frame`)."""
    nx, ny, nz = w[:, 0], w[:, 1], w[:, 2]
    s = np.where(nz >= 0.0, 1.0, -1.0)
    a = -1.0 / (s + nz)
    b = nx * ny * a
    e1 = np.stack([1.0 + s * nx * nx * a, s * b, -s * nx], axis=1)
    e2 = np.stack([b, s + ny * ny * a, -ny], axis=1)
    return e1, e2


def _turn(w: np.ndarray, cos_t: np.ndarray, sin_t: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Rotate unit rows w by the angles θ towards uniformly random azimuths."""
    phi = rng.random(w.shape[0]) * (2.0 * math.pi)
    e1, e2 = _frames(w)
    t = np.cos(phi)[:, None] * e1 + np.sin(phi)[:, None] * e2
    out = cos_t[:, None] * w + sin_t[:, None] * t
    return out / np.linalg.norm(out, axis=1)[:, None]


def _series_cos(m: np.ndarray, k: np.ndarray, u: np.ndarray) -> np.ndarray:
    """x with F_K(x) = u for each pair (regime 2), vectorised Newton safeguarded by bisection, 60 iterations."""
    ell = np.arange(1, m.size)
    coef = np.power(m[1:][None, :], k[:, None].astype(float))
    lo = -np.ones(u.size)
    hi = np.ones(u.size)
    x = coef[:, 0].copy()
    for _ in range(60):
        p_prev = np.ones(u.size)
        p = x.copy()
        cdf = 0.5 * (1.0 + x)
        pdf = np.full(u.size, 0.5)
        for idx, el in enumerate(ell):
            p_next = ((2 * el + 1) * x * p - el * p_prev) / (el + 1)
            cdf += 0.5 * coef[:, idx] * (p_next - p_prev)
            pdf += (el + 0.5) * coef[:, idx] * p
            p_prev, p = p, p_next
        g = cdf - u
        lo = np.where(g < 0.0, x, lo)
        hi = np.where(g >= 0.0, x, hi)
        with np.errstate(divide="ignore", invalid="ignore"):
            xn = x - g / pdf
        bad = ~((xn > lo) & (xn < hi))
        xn[bad] = 0.5 * (lo[bad] + hi[bad])
        if np.all(np.abs(xn - x) <= 2.0**-52):
            return xn
        x = xn
    return x


def advance_numpy(v: np.ndarray, t0: float, t1: float, gamma: float, h: float, dt: float,
                  rng: np.random.Generator) -> int:
    """Advance ``v`` (N × 3, in place) from t0 to t1 by the fast engine's steps in NumPy; return the jumps made."""
    n = v.shape[0]
    npairs = n // 2
    m, _, k_uniform = composite_table(0, h)
    scale = mean_factor(n, h, 0, NO_DEFECT)
    cos_h = np.cos(h)
    sin_h = np.sin(h)
    nsteps = n_steps(t0, t1, dt)
    jumps = 0
    for s in range(nsteps):
        perm = rng.permutation(n)
        i = perm[0:2 * npairs:2]
        j = perm[1:2 * npairs:2]
        u = v[i] - v[j]
        c = 0.5 * (v[i] + v[j])
        r = np.linalg.norm(u, axis=1)
        with np.errstate(divide="ignore"):
            speed = np.where(r > 0.0, np.minimum(np.power(r, gamma), SPEED_CAP), 0.0)
        mu = np.minimum(scale * step_length(t0, t1, dt, nsteps, s) * speed, _MU_MAX)
        k = rng.poisson(mu)
        jumps += int(k.sum())
        move = k > 0
        w = np.zeros_like(u)
        w[move] = u[move] / r[move, None]
        direct = move & (k <= K_DIRECT) & (k < k_uniform)
        idx = np.flatnonzero(direct)
        kd = k[idx]
        wd = w[idx]
        for step in range(1, int(kd.max(initial=0)) + 1):
            sel = kd >= step
            wd[sel] = _turn(wd[sel], np.full(sel.sum(), cos_h), np.full(sel.sum(), sin_h), rng)
        w[idx] = wd
        series = np.flatnonzero(move & (k > K_DIRECT) & (k < k_uniform))
        unif = np.flatnonzero(move & (k >= k_uniform))
        for sel, x in ((series, None), (unif, None)):
            if sel.size == 0:
                continue
            uu = rng.random(sel.size)
            x = _series_cos(m, k[sel], uu) if sel is series else 2.0 * uu - 1.0
            w[sel] = _turn(w[sel], x, np.sqrt(np.maximum(0.0, (1.0 - x) * (1.0 + x))), rng)
        un = r[:, None] * w
        v[i[move]] = c[move] + 0.5 * un[move]
        v[j[move]] = c[move] - 0.5 * un[move]
    return jumps
