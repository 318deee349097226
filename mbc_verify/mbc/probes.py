"""Engine-level probes: the MBC jump kernel and generator evaluated directly, for the claims that certify them.

Every probe takes a planted defect by NAME (``mutant``, :mod:`mbc_verify.mutants`) and converts it to the kernel
code itself, so that callers never handle kernel codes.

- :func:`zonal_generator`: the MBC generator of one pair applied to a zonal harmonic (docs/spec.md §3),
  with the library's rotation and rate;
- :func:`n2_legendre_decay`: the exact N = 2 law E[P_ℓ(û₀·û_t)] = exp(−λ_h(|u|) t (1 − m_ℓ)) (docs/spec.md eq. (29)),
  from the library's rate and one-jump eigenvalues;
- :func:`drift_walks`: long sequences of random-pair jumps (the engines' single jump routine
  :func:`mbc_verify.mbc.kernel.random_jump`), with the drift of energy and momentum measured by error-free sums
  (:mod:`mbc_verify.exact_sums`);
- :func:`mpmath_replay`: the first jumps of one such walk replayed in mpmath with the same random numbers;
- :func:`kernel_jumps`: one :func:`~mbc_verify.mbc.kernel.random_jump` per configuration, its geometry errors and
  its azimuth in the kernel's frame.
"""

from __future__ import annotations

import math

import mpmath
import numpy as np
from numba import njit, prange

from ..exact_sums import exact_energy, exact_momentum
from ..legendre import legendre
from ..mutants import JUMP_ANGLE, Defect, defect
from ..validation import check_array, check_grazing, check_int, check_seed
from .angles import legendre_mean
from .kernel import frame, random_jump, rotate
from .rates import lambda_h
from .rng import stream_key, substream, uniform

__all__ = ["drift_walks", "kernel_jumps", "mpmath_replay", "n2_legendre_decay", "zonal_generator"]


def zonal_generator(u: np.ndarray, e: np.ndarray, ell: int, gamma: float, h: float, mutant: str | None = None,
                    nodes: int = 16) -> float:
    """G_h φ(û) = λ_h(|u|) (mean over M azimuths of φ(u'/|u|) − φ(û)) for φ(û) = P_ℓ(û·ê).

    u' is the library's rotation of u by h (:func:`mbc_verify.mbc.kernel.rotate`) at the azimuths φ_m = 2πm/M,
    λ_h the library's rate (:func:`mbc_verify.mbc.rates.lambda_h`, fixed kernel), both with the planted defect
    ``mutant``. The M-point trapezoid rule in φ is exact for trigonometric polynomials of degree < M, and
    φ(u') is one of degree ℓ in (cos φ, sin φ): for M > ℓ the azimuthal mean is exact up to round-off.
    """
    d = defect(mutant, "mbc")
    angle = h * (1.0 + d.amp) if d.code == JUMP_ANGLE else h
    r = float(np.linalg.norm(u))
    phi0 = legendre(ell, float(u @ e) / r)
    acc = 0.0
    for m in range(nodes):
        a = 2.0 * math.pi * m / nodes
        up = np.array(rotate(u[0], u[1], u[2], math.cos(angle), math.sin(angle), math.cos(a), math.sin(a)))
        acc += legendre(ell, float(up @ e) / float(np.linalg.norm(up))) - phi0
    return lambda_h(r, gamma, h, 0, d) * acc / nodes


def n2_legendre_decay(r: float, t: float, ell: int, gamma: float, h: float) -> float:
    """E[P_ℓ(û₀·û_t)] = exp(−λ_h(r) t (1 − m_ℓ)) for N = 2 with |u| = r, fixed kernel (m_ℓ = P_ℓ(cos h)), the
    correct rate (no planted defect): the law a claim compares an engine with."""
    return math.exp(-lambda_h(r, gamma, h, 0, defect(None, "mbc")) * t * (1.0 - legendre_mean(0, h, ell)))


# ---------------------------------------------------------------- random-pair jump walks


@njit(cache=True, inline="always")
def _pick_pair(key: np.uint64, n: int) -> tuple:
    """The pair (i, j), i ≠ j, of a walk's jump: i = ⌊U₂ N⌋, j = ⌊U₃ (N − 1)⌋ shifted past i (counters 2, 3 of
    ``key``; counters 0, 1 are the jump's angle and azimuth)."""
    i = min(int(uniform(key, np.uint64(2)) * n), n - 1)
    j = min(int(uniform(key, np.uint64(3)) * (n - 1)), n - 2)
    if j >= i:
        j += 1
    return i, j


WALK_CHUNK = 2**19
"""Jumps per replica and call of the walk kernel: the walk returns to Python every fraction of a second."""


@njit(cache=True, parallel=True)
def _walk(v: np.ndarray, seed: int, first: int, done: np.ndarray, target: int, h: float, defect: Defect,
          worst: np.ndarray) -> None:
    """Advance every replica r (v: R × N × 3, replica index first + r) of its walk from jump done[r] to ``target``,
    in ``prange``; worst[r] tracks max |ΔE_pair| / (ε E_pair) (bitwise thread-independent: each replica has its own
    stream)."""
    n = v.shape[1]
    eps = 2.0**-53
    for r in prange(v.shape[0]):
        base = stream_key(np.uint64(seed), np.uint64(first + r))
        pair = np.zeros(2, dtype=np.int64)
        for k in range(done[r], target):
            key = substream(base, np.uint64(k))
            i, j = _pick_pair(key, n)
            pair[0] = i
            pair[1] = j
            pe0 = exact_energy(v[r], pair)
            random_jump(v[r], i, j, 0, h, key, defect)
            pe1 = exact_energy(v[r], pair)
            if pe0 > 0.0:
                worst[r] = max(worst[r], abs(pe1 - pe0) / (eps * pe0))
        done[r] = target


@njit(cache=True)
def _drifts(v: np.ndarray, e0: np.ndarray, p0: np.ndarray) -> tuple:
    """(Σ|v|² − e0, max_k |Σ v_k − p0_k|) per replica (v: R × N × 3), by the error-free sums."""
    de = np.empty(v.shape[0])
    dp = np.empty(v.shape[0])
    every = np.arange(v.shape[1])
    for r in range(v.shape[0]):
        de[r] = exact_energy(v[r], every) - e0[r]
        p = exact_momentum(v[r])
        dp[r] = max(abs(p[0] - p0[r, 0]), abs(p[1] - p0[r, 1]), abs(p[2] - p0[r, 2]))
    return de, dp


@njit(cache=True)
def _totals(v: np.ndarray) -> tuple:
    """(Σ|v|², Σ v) per replica, by the error-free sums."""
    e = np.empty(v.shape[0])
    p = np.empty((v.shape[0], 3))
    every = np.arange(v.shape[1])
    for r in range(v.shape[0]):
        e[r] = exact_energy(v[r], every)
        p[r] = exact_momentum(v[r])
    return e, p


def drift_walks(v0: np.ndarray, seed: int, checkpoints: np.ndarray, h: float, mutant: str | None = None,
                first: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Replicas r of random-pair jump sequences from the states ``v0`` (R × N × 3), fixed angle h.

    Jump k of replica r (index ``first`` + r: a block of replicas gives bitwise the rows of the whole ensemble) uses
    the key substream(stream_key(seed, first + r), k): the pair from :func:`_pick_pair`, the jump
    by :func:`mbc_verify.mbc.kernel.random_jump` (fixed kernel, planted defect ``mutant``). Returns
    (energy drift, momentum drift, worst per-jump change) with the drifts as R × len(checkpoints) arrays taken
    after ``checkpoints[c]`` jumps (non-decreasing counts), measured by the error-free sums of
    :mod:`mbc_verify.exact_sums`: Σ|v_i|² − its initial value, and max_k |Σ_i v_ik − its initial value|; the
    worst change is per replica, max over jumps of |ΔE_pair| / (ε E_pair), ε = 2⁻⁵³.
    """
    v0 = check_array("v0", v0, (None, None, 3))
    seed = check_seed(seed)
    cps = np.asarray(checkpoints, dtype=np.int64)
    if cps.ndim != 1 or cps.size == 0 or np.any(cps < 0) or np.any(np.diff(cps) < 0):
        raise ValueError(f"checkpoints: must be a non-empty non-decreasing array of jump counts ≥ 0, got {cps}")
    h = check_grazing(h)
    d = defect(mutant, "mbc")
    v = v0.copy()
    e0, p0 = _totals(v)
    done = np.zeros(v.shape[0], dtype=np.int64)
    worst = np.zeros(v.shape[0])
    de = np.zeros((v.shape[0], cps.size))
    dp = np.zeros((v.shape[0], cps.size))
    for c, target in enumerate(cps):
        while done[0] < target:  # chunks of WALK_CHUNK jumps: Ctrl-C is honoured between them
            _walk(v, seed, check_int("first", first, 0), done, min(int(done[0]) + WALK_CHUNK, int(target)), h, d,
                  worst)
        de[:, c], dp[:, c] = _drifts(v, e0, p0)
    return de, dp, worst


def _mp_rotate(u: list, r: mpmath.mpf, cos_h: mpmath.mpf, sin_h: mpmath.mpf, phi: mpmath.mpf) -> list:
    """u' = cos h · u + sin h · |u| (cos φ e₁ + sin φ e₂) in mpmath, (e₁, e₂) by Gram–Schmidt from the coordinate
    axis least aligned with u."""
    nhat = [x / r for x in u]
    ax = min(range(3), key=lambda k: abs(nhat[k]))
    e = [mpmath.mpf(1) if k == ax else mpmath.mpf(0) for k in range(3)]
    d = nhat[ax]
    e1 = [e[k] - d * nhat[k] for k in range(3)]
    s = mpmath.sqrt(mpmath.fsum(x * x for x in e1))
    e1 = [x / s for x in e1]
    e2 = [nhat[1] * e1[2] - nhat[2] * e1[1], nhat[2] * e1[0] - nhat[0] * e1[2], nhat[0] * e1[1] - nhat[1] * e1[0]]
    return [cos_h * u[k] + sin_h * r * (mpmath.cos(phi) * e1[k] + mpmath.sin(phi) * e2[k]) for k in range(3)]


def _mp_jump(v: list, i: int, j: int, cos_h: mpmath.mpf, sin_h: mpmath.mpf, phi: mpmath.mpf) -> None:
    """The jump of the pair (i, j) of ``v`` (lists of mpf) in place: v_i' = c + u'/2, v_j' = c − u'/2."""
    c = [(v[i][k] + v[j][k]) / 2 for k in range(3)]
    u = [v[i][k] - v[j][k] for k in range(3)]
    r = mpmath.sqrt(mpmath.fsum(x * x for x in u))
    if r == 0:
        return
    up = _mp_rotate(u, r, cos_h, sin_h, phi)
    for k in range(3):
        v[i][k] = c[k] + up[k] / 2
        v[j][k] = c[k] - up[k] / 2


def mpmath_replay(v0: np.ndarray, seed: int, jumps: int, h: float, digits: int = 30) -> tuple[float, float]:
    """Replay the first ``jumps`` jumps of replica 0 of :func:`drift_walks` (no planted defect) from the state
    ``v0`` (N × 3) in mpmath at ``digits`` significant digits, with the same random numbers (pair and azimuth);
    the formula of the jump evaluated directly, u' = cos h u + sin h |u| n (the kernel's frame is not needed:
    the azimuth is uniform whatever the frame, and the replay measures only conservation).

    Returns (max relative energy drift |E − E₀|/E₀, max momentum drift max_k |P_k − P₀k| / √E₀) along the replay.
    """
    v0 = check_array("v0", v0, (None, 3))
    jumps = check_int("jumps", jumps, 0)
    digits = check_int("digits", digits, 16)
    with mpmath.workdps(digits):
        v = [[mpmath.mpf(float(x)) for x in row] for row in v0]
        n = len(v)
        e0 = mpmath.fsum(x * x for row in v for x in row)
        p0 = [mpmath.fsum(row[k] for row in v) for k in range(3)]
        # numba returns uint64 keys to Python as plain ints: re-wrap them so every call types them as uint64
        base = np.uint64(stream_key(np.uint64(check_seed(seed)), np.uint64(0)))
        cos_h, sin_h = mpmath.cos(h), mpmath.sin(h)
        worst_e = worst_p = mpmath.mpf(0)
        for step in range(jumps):
            key = np.uint64(substream(base, np.uint64(step)))
            i, j = _pick_pair(key, n)
            _mp_jump(v, i, j, cos_h, sin_h, 2 * mpmath.pi * mpmath.mpf(float(uniform(key, np.uint64(1)))))
            e = mpmath.fsum(x * x for row in v for x in row)
            worst_e = max(worst_e, abs(e - e0) / e0)
            dp = max(abs(mpmath.fsum(row[k] for row in v) - p0[k]) for k in range(3))
            worst_p = max(worst_p, dp / mpmath.sqrt(e0))
        return float(worst_e), float(worst_p)


# ---------------------------------------------------------------- single jumps


@njit(cache=True)
def _kernel_jumps(u: np.ndarray, c: np.ndarray, h: float, seed: int, stream: int, defect: Defect) -> tuple:
    """:func:`kernel_jumps` with the planted ``defect``."""
    n = u.shape[0]
    dr = np.empty(n)
    dcos = np.empty(n)
    dc = np.empty(n)
    phi = np.empty(n)
    base = stream_key(np.uint64(seed), np.uint64(stream))
    v = np.empty((2, 3))
    ch, sh = math.cos(h), math.sin(h)
    for k in range(n):
        for a in range(3):
            v[0, a] = c[k, a] + 0.5 * u[k, a]
            v[1, a] = c[k, a] - 0.5 * u[k, a]
        # the pair as the jump sees it (u, c of the stored velocities, same operations as the kernel)
        ux, uy, uz = v[0, 0] - v[1, 0], v[0, 1] - v[1, 1], v[0, 2] - v[1, 2]
        c0x, c0y, c0z = 0.5 * (v[0, 0] + v[1, 0]), 0.5 * (v[0, 1] + v[1, 1]), 0.5 * (v[0, 2] + v[1, 2])
        random_jump(v, 0, 1, 0, h, substream(base, np.uint64(k)), defect)
        r, nx, ny, nz, e1x, e1y, e1z, e2x, e2y, e2z = frame(ux, uy, uz)
        scale = math.sqrt(c0x * c0x + c0y * c0y + c0z * c0z) + r  # round-off unit of v' = c ± u'/2
        upx, upy, upz = v[0, 0] - v[1, 0], v[0, 1] - v[1, 1], v[0, 2] - v[1, 2]
        rp = math.sqrt(upx * upx + upy * upy + upz * upz)
        dr[k] = (rp - r) / scale
        dcos[k] = ((nx * upx + ny * upy + nz * upz) / rp - ch) * r / scale
        cx, cy, cz = 0.5 * (v[0, 0] + v[1, 0]), 0.5 * (v[0, 1] + v[1, 1]), 0.5 * (v[0, 2] + v[1, 2])
        dc[k] = math.sqrt((cx - c0x) ** 2 + (cy - c0y) ** 2 + (cz - c0z) ** 2) / scale
        tx = (upx / r - ch * nx) / sh
        ty = (upy / r - ch * ny) / sh
        tz = (upz / r - ch * nz) / sh
        a = math.atan2(tx * e2x + ty * e2y + tz * e2z, tx * e1x + ty * e1y + tz * e1z)
        phi[k] = a if a >= 0.0 else a + 2.0 * math.pi
    return dr, dcos, dc, phi


def kernel_jumps(u: np.ndarray, c: np.ndarray, h: float, seed: int, stream: int,
                 mutant: str | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """One :func:`~mbc_verify.mbc.kernel.random_jump` (fixed angle h, planted defect ``mutant``) of each pair
    configuration (u_k, c_k) (K × 3 each; the pair stored as v = c ± u/2), configuration k keyed by
    substream(stream_key(seed, stream), k).

    Returns per configuration, in units of the round-off scale s = |c| + |u| of the stored velocities:
    (|u'| − |u|)/s, (cos∠(u, u') − cos h)|u|/s, |c' − c|/s, and the azimuth φ ∈ [0, 2π) of u' about u in the
    kernel's frame (:func:`mbc_verify.mbc.kernel.frame`), φ = atan2(t·e₂, t·e₁), t = (u'/|u| − cos h û)/sin h.
    """
    u = check_array("u", u, (None, 3))
    c = check_array("c", c, (u.shape[0], 3))
    return _kernel_jumps(u, c, check_grazing(h), check_seed(seed), check_int("stream", stream, 0),
                         defect(mutant, "mbc"))
