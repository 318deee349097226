"""Observables of a particle configuration v (N × 3), per snapshot (docs/spec.md §8), and hooks for the claims.

    second moment   M = (1/N) Σ_i v_i ⊗ v_i           momentum  P = (1/N) Σ_i v_i
    energy          E = (1/N) Σ_i |v_i|² = tr M       fourth    m4 = (1/N) Σ_i |v_i|⁴
    pair singular moment      (1/N²) Σ_{i≠j} |v_i - v_j|^p                    (O(N²), parallel over i)
    collision coefficient     ā_i = (1/N) Σ_j a(v_i - v_j),  a(z) = |z|^{γ+2} (I - ẑ⊗ẑ),  a(0) = 0   (O(N²))
    drift coefficient         b̄_i = (1/N) Σ_j b(v_i - v_j),  b(z) = ∇·a(z) = -2 |z|^γ z,  b(0) = 0   (O(N²))

The O(N²) hooks run ``prange`` over i into per-row arrays and sum the rows serially, so their results are
bitwise independent of the thread count.

Exact values at the reversible equilibrium of MBC, the uniform law on S_N(3N, 0) (docs/spec.md §3):
:func:`microcanonical_moment4`.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit, prange

from ..mutants import OBSERVABLE_SCALE, Defect
from ..validation import check_int
from .kernel import norm3


@njit(cache=True)
def moments(v: np.ndarray) -> tuple:
    """(M (3×3), P (3,), E, m4) of the empirical measure (1/N) Σ δ_{v_i}, in one pass."""
    n = v.shape[0]
    m = np.zeros((3, 3))
    p = np.zeros(3)
    m4 = 0.0
    for i in range(n):
        s = 0.0
        for a in range(3):
            p[a] += v[i, a]
            s += v[i, a] * v[i, a]
            for b in range(3):
                m[a, b] += v[i, a] * v[i, b]
        m4 += s * s
    m /= n
    p /= n
    return m, p, m[0, 0] + m[1, 1] + m[2, 2], m4 / n


@njit(cache=True)
def observed_moments(v: np.ndarray, defect: Defect) -> tuple:
    """:func:`moments` as a run records them: (M, P, E, m4), with M, E = tr M and m4 multiplied by 1 + ε under the
    planted defect ``OBSERVABLE_SCALE`` (a defect of the observables, not of the dynamics)."""
    m, p, e, m4 = moments(v)
    if defect.code == OBSERVABLE_SCALE:
        f = 1.0 + defect.amp
        return m * f, p, e * f, m4 * f
    return m, p, e, m4


@njit(cache=True)
def second_moment(v: np.ndarray) -> np.ndarray:
    """M = (1/N) Σ v_i ⊗ v_i."""
    return moments(v)[0]


@njit(cache=True)
def momentum(v: np.ndarray) -> np.ndarray:
    """P = (1/N) Σ v_i."""
    return moments(v)[1]


@njit(cache=True)
def energy(v: np.ndarray) -> float:
    """E = (1/N) Σ |v_i|²."""
    return moments(v)[2]


@njit(cache=True)
def moment4(v: np.ndarray) -> float:
    """m4 = (1/N) Σ |v_i|⁴."""
    return moments(v)[3]


@njit(cache=True)
def _power(r: float, p: float) -> float:
    """r^p with 0^p = 0 (p > 0), 1 (p = 0), inf (p < 0)."""
    if r == 0.0:
        if p > 0.0:
            return 0.0
        return 1.0 if p == 0.0 else math.inf
    return r**p


@njit(cache=True, parallel=True)
def pair_singular_moments(v: np.ndarray, p: float, cap: float) -> tuple:
    """((1/N²) Σ_{i≠j} min(|v_i - v_j|^p, cap), (1/N²) Σ_{i≠j} |v_i - v_j|^p) in one pass over the pairs (the second
    inf when p < 0 and two velocities coincide).

    The truncated moment is ≤ the untruncated one and, unlike it for p ≤ −3/2 in R³, has a finite variance over
    configurations."""
    n = v.shape[0]
    rows = np.zeros(n)
    rows_full = np.zeros(n)
    for i in prange(n):
        s = 0.0
        s_full = 0.0
        for j in range(n):
            if j != i:
                x = _power(norm3(v[i, 0] - v[j, 0], v[i, 1] - v[j, 1], v[i, 2] - v[j, 2]), p)
                s += min(x, cap)
                s_full += x
        rows[i] = s
        rows_full[i] = s_full
    total = 0.0
    total_full = 0.0
    for i in range(n):
        total += rows[i]
        total_full += rows_full[i]
    return total / (n * n), total_full / (n * n)


def pair_singular_moment(v: np.ndarray, p: float, cap: float = math.inf) -> float:
    """(1/N²) Σ_{i≠j} min(|v_i - v_j|^p, cap) (:func:`pair_singular_moments`; cap = inf: the untruncated moment)."""
    return float(pair_singular_moments(v, p, cap)[0])


@njit(cache=True, parallel=True)
def collision_coefficient(v: np.ndarray, gamma: float) -> np.ndarray:
    """ā_i = (1/N) Σ_j a(v_i - v_j) for every i (N × 3 × 3), a(z) = |z|^{γ+2} (I - ẑ⊗ẑ), a(0) = 0 (docs/spec.md §1)."""
    n = v.shape[0]
    out = np.zeros((n, 3, 3))
    for i in prange(n):
        for j in range(n):
            z0 = v[i, 0] - v[j, 0]
            z1 = v[i, 1] - v[j, 1]
            z2 = v[i, 2] - v[j, 2]
            r = norm3(z0, z1, z2)
            if r == 0.0:
                continue
            c = r ** (gamma + 2.0)
            zh = (z0 / r, z1 / r, z2 / r)
            for a in range(3):
                for b in range(3):
                    out[i, a, b] += c * ((1.0 if a == b else 0.0) - zh[a] * zh[b])
        for a in range(3):
            for b in range(3):
                out[i, a, b] /= n
    return out


@njit(cache=True, parallel=True)
def drift_coefficient(v: np.ndarray, gamma: float) -> np.ndarray:
    """b̄_i = (1/N) Σ_j b(v_i - v_j) for every i (N × 3), b(z) = ∇·a(z) = -2 |z|^γ z, b(0) = 0 (docs/spec.md §1).

    Row i is summed serially over j inside the ``prange`` over i: bitwise independent of the thread count."""
    n = v.shape[0]
    out = np.zeros((n, 3))
    for i in prange(n):
        for j in range(n):
            z0 = v[i, 0] - v[j, 0]
            z1 = v[i, 1] - v[j, 1]
            z2 = v[i, 2] - v[j, 2]
            r = norm3(z0, z1, z2)
            if r == 0.0:
                continue
            c = -2.0 * r**gamma
            out[i, 0] += c * z0
            out[i, 1] += c * z1
            out[i, 2] += c * z2
        for a in range(3):
            out[i, a] /= n
    return out


def microcanonical_moment4(n: int) -> float:
    """E|v_1|⁴ under the uniform law on S_N(3N, 0) = {Σ v_i = 0, Σ |v_i|² = 3N}: 15 (3N − 3)/(3N − 1) (→ 15, the
    Maxwellian value at energy 3).

    With d = 3(N − 1), v_1 = √((N−1)/N) × (three orthonormal coordinates x of a uniform point of the radius-√(3N)
    sphere in R^d), and E|x|⁴ = 15 (3N)²/(d(d+2)) for three coordinates of that sphere, so
    E|v_1|⁴ = ((N−1)/N)² · 15 (3N)²/(d(d+2)) = 15 (3N − 3)/(3N − 1).
    """
    n = check_int("n", n, 2)
    return 15.0 * (3 * n - 3) / (3 * n - 1)
