"""One pair, one step: the compound-Poisson composed rotation, drawn exactly and applied as one rotation.

In a fast-engine step a pair makes K ~ Poisson(μ) jumps; the direction of its relative velocity then moves by the
composed angle Θ (law F_K of :mod:`mbc_verify.mbc.composite`, Legendre coefficients m_ℓ^K) with a uniform azimuth
about the initial direction û₀, so cos Θ has the compound law Σ_K Pois(K; μ) F_K, whose Legendre coefficients are
Σ_K Pois(K; μ) m_ℓ^K = exp(−μ(1 − m_ℓ)). :func:`sample_composed` draws (K, Θ, φ) and :func:`pair_update` applies the
result with ONE call of :func:`mbc_verify.mbc.kernel.jump_pair` (both particles, centre of mass kept). The tables
come from :func:`mbc_verify.mbc.compound_build.build_tables` (built once per (kernel, h), cached).

Why K is drawn (and then known exactly). For the fixed kernel the laws F_K of few jumps are singular (K = 2: an
arcsine law; K = 3: a logarithmic singularity of the density at Θ = h and a jump at 3h; …) and their Legendre
series converge only algebraically: at h = 0.1, near Θ = h, the partial sums of F_3 still move by 2·10⁻⁵ between
L = 6.4·10⁴ and 2·10⁵ terms. No table over (μ, U) of the compound law can therefore be built or checked to 10⁻¹²
where those K carry weight (every μ ≲ 30). Instead the count K is drawn exactly
(:func:`poisson_count`: inversion of one uniform for μ < 10, poisson.py's PTRS above; O(1) expected cost for
every μ), and the angle given K comes from:

1. K = 0: no jump (the atom at x = 1, probability e^{−μ}, exact). K = 1: one jump, the kernel's own angle law
   (:func:`mbc_verify.mbc.angles.draw_angle`: for the fixed kernel exactly (cos h, sin h), the atom at cos h).
2. 2 ≤ K ≤ K_s: exact composition of the K jump angles on scalars (:func:`compose_steps`: the spherical law of
   cosines in half-angle form, one uniform and one sine per jump, no vector rotation). K_s is the least K whose
   F_{K+1} series is certified with ≤ 1024 terms: K_s = 21, 18, 15 for h = 0.05, 0.1, 0.3 (fixed kernel).
3. K_s < K ≤ K_s + K₁: one draw from the certified table of F_K (:mod:`mbc_verify.mbc.compound_table`).
4. K_s + K₁ < K < k_uniform: K = j K₁ + r with r ∈ (K_s, K_s + K₁]; Θ is the composition of a draw from the table
   of F_{jK₁} and one from the table of F_r with a uniform relative azimuth (:func:`compose_two`), exact since the
   two groups of jumps are independent. K₁ ≈ √k_uniform keeps the table count ≈ 2√k_uniform.
5. K ≥ k_uniform: û uniform on its sphere (cos Θ = 2U − 1), the uniform regime of composite.py, unchanged.

Error bound (Kolmogorov distance of the sampled law of Θ to the exact one, for every μ): 0 in regimes 1–2 (exact
arithmetic), ≤ ε_K ≤ 2.5·10⁻¹³ in regime 3 (the certified bound of each table), ≤ 2(ε_a + ε_b) ≤ 10⁻¹² in regime 4
(for independent angles A, B the composed CDF is E[k_θ(A, B)] with k_θ(a, ·) ∈ [0, 1] of total variation ≤ 2 in b
— by the spherical cosine rule it is monotone on at most two pieces — so replacing B's law moves it by at most
2 sup|F̃_B − F_B|, and likewise for A), ≤ 2⁻⁵³ in regime 5 (composite.py). The compound law, a mixture over K with
exact weights, therefore has Kolmogorov error ≤ 10⁻¹²; ``CompoundTables.bound`` states it per (kernel, h).

Jump counts. K is drawn, so ``pair_update`` returns an exact draw of the jump count (E[K] = μ), not an
expectation. (Beyond 2⁵³, in the uniform regime, poisson.py saturates, as today.)

Cost (numba, one thread). A pair without jumps costs one Poisson draw (``sample_composed`` and ``pair_update`` are
inlined into the caller's loop); K ≥ 1 adds one call of :func:`composed_angle` (O(1) for K > K_s, K − 1 scalar
steps of ~10 ns below) and the azimuth. All tables sit in ONE float64 array ``tab``: every array argument of a
non-inlined numba call costs an atomic reference-count update (~12 ns each on the development machine), as much
as a table lookup, so call these from the loop over pairs and pass ``tab`` only. Measured against Takizuka–Abe's
angle draw in ``benchmarks/test_bench_compound.py``.

Random numbers (:mod:`mbc_verify.mbc.rng`): :func:`sample_composed` reads ``(key, counter), (key, counter + 1), …``
and returns the next unused counter: the Poisson draw first (one counter for μ < 10, PTRS's variable number
above), then the
angle (K = 1: 1, as draw_angle; 2 ≤ K ≤ K_s: K − 1 uniforms for "fixed", 2K − 1 for "rayleigh"; a table: 1; two
tables: 3; uniform regime: 1), then the azimuth about û₀ (1, :func:`mbc_verify.mbc.angles.draw_azimuth`, where the
``biased_azimuth`` mutant acts). Everything is a pure function of (key, counter) and the tables: bitwise
reproducible for any thread count. No ``fastmath``.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from ..mutants import SAMPLER_BIAS, Defect
from .angles import _rayleigh_mass, draw_angle, draw_azimuth
from .compound_build import (
    _H,
    _K1,
    _KERNEL,
    _KS,
    _KU,
    _META,
    _OFF_ANCHOR,
    _OFF_BIG,
    _OFF_COEF,
    _OFF_META,
    _OFF_SMALL,
    _SMAX,
)
from .compound_table import cell_theta
from .kernel import jump_pair
from .poisson import poisson
from .rng import uniform

_PI = math.pi


@njit(cache=True, inline="always")
def table_theta(tab: np.ndarray, tid: int, u: float) -> float:
    """Θ = Q̃(√(−log u)) from table ``tid`` of the packed ``tab`` (compound_table.py), clamped to [0, π]; π − that
    for a table holding the law of π − Θ (compound_table.build_k_table, ``flip``)."""
    row = int(tab[_OFF_META]) + _META * tid
    c_off = int(tab[_OFF_COEF]) + int(tab[row])
    ncell = int(tab[row + 2])
    n = int(tab[row + 3])
    s_max = tab[_SMAX]  # the table's own domain (compound_table.S_MAX when it was built)
    s = min(math.sqrt(-math.log(u)), s_max)
    ds = s_max / ncell
    cell = min(int(s / ds), ncell - 1)
    xi = min(2.0 * (s - cell * ds) / ds - 1.0, 1.0)
    theta = cell_theta(tab, c_off + cell * (n + 1), n, tab[int(tab[_OFF_ANCHOR]) + int(tab[row + 1]) + cell], xi)
    theta = min(max(theta, 0.0), _PI)
    return _PI - theta if tab[row + 5] != 0.0 else theta


@njit(cache=True, inline="always")
def _half_angle_step(sa: float, ca: float, sb: float, cb: float, w: float) -> tuple:
    """(sin(Θ'/2), cos(Θ'/2)) of the angle between û₀ and a point at angle b from a point at angle a from û₀, the
    relative azimuth φ having hav φ = w: sin²(Θ'/2) = sin²((a−b)/2) + sin a sin b · w and
    cos²(Θ'/2) = cos²((a−b)/2) − sin a sin b · w (spherical law of cosines); the smaller one is used."""
    d_s = sa * cb - ca * sb  # sin((a − b)/2)
    d_c = ca * cb + sa * sb  # cos((a − b)/2)
    p = 4.0 * sa * ca * sb * cb * w
    hav = d_s * d_s + p
    if hav <= 0.5:
        s = math.sqrt(hav)
        return s, math.sqrt(1.0 - hav)
    cc = max(d_c * d_c - p, 0.0)
    c = math.sqrt(cc)
    return math.sqrt(1.0 - cc), c


@njit(cache=True)
def _step_half(kernel: int, h: float, key: np.uint64, c: np.uint64) -> tuple:
    """(sin(θ/2), cos(θ/2)) of one jump angle: θ = h, or the Rayleigh draw of angles.draw_angle at counter c."""
    if kernel == 0:
        return math.sin(0.5 * h), math.cos(0.5 * h)
    u = uniform(key, c)
    theta = min(h * math.sqrt(-math.log1p(-u * _rayleigh_mass(h))), _PI)
    return math.sin(0.5 * theta), math.cos(0.5 * theta)


@njit(cache=True)
def compose_steps(kernel: int, h: float, k: int, key: np.uint64, counter: np.uint64) -> tuple:
    """(cos Θ, sin Θ, next counter) of K ≥ 1 composed jumps, exactly (module docstring, regime 2)."""
    c = np.uint64(counter)
    one = np.uint64(1)
    sa, ca = _step_half(kernel, h, key, c)  # the first jump: Θ = θ₁
    sb, cb = sa, ca  # the fixed kernel's every jump
    if kernel != 0:
        c += one
    for _ in range(k - 1):
        if kernel != 0:
            sb, cb = _step_half(kernel, h, key, c)
            c += one
        w = math.sin(_PI * uniform(key, c))
        c += one
        sa, ca = _half_angle_step(sa, ca, sb, cb, w * w)
    return (ca - sa) * (ca + sa), 2.0 * sa * ca, c


@njit(cache=True)
def compose_two(theta_a: float, theta_b: float, u: float) -> tuple:
    """(cos Θ, sin Θ) of the composition of two independent angles, uniform relative azimuth (hav φ = sin²(πu))."""
    w = math.sin(_PI * u)
    sa, ca = _half_angle_step(math.sin(0.5 * theta_a), math.cos(0.5 * theta_a), math.sin(0.5 * theta_b),
                              math.cos(0.5 * theta_b), w * w)
    return (ca - sa) * (ca + sa), 2.0 * sa * ca


@njit(cache=True)
def scalar_angle(kernel: int, h: float, k: np.int64, k_s: int, k_uniform: int, key: np.uint64,
                 counter: np.uint64) -> tuple:
    """(done, cos Θ, sin Θ, next counter) for the regimes without tables: K ≥ k_uniform (uniform), K = 1 (one jump),
    2 ≤ K ≤ K_s (composition); done = False (nothing drawn) when K needs the tables."""
    c = np.uint64(counter)
    one = np.uint64(1)
    if k >= k_uniform:
        x = 2.0 * uniform(key, c) - 1.0
        return True, x, math.sqrt((1.0 - x) * (1.0 + x)), c + one
    if k == 1:
        cos_t, sin_t = draw_angle(kernel, h, key, c)
        return True, cos_t, sin_t, c + one
    if k <= k_s:
        cos_t, sin_t, c = compose_steps(kernel, h, k, key, c)
        return True, cos_t, sin_t, c
    return False, 1.0, 0.0, c


@njit(cache=True)
def table_angle(tab: np.ndarray, k: np.int64, key: np.uint64, counter: np.uint64) -> tuple:
    """(cos Θ, sin Θ, next counter) for K_s < K < k_uniform: one table draw, or two composed (regimes 3–4)."""
    k_s, k1 = int(tab[_KS]), int(tab[_K1])
    c = np.uint64(counter)
    one = np.uint64(1)
    small = int(tab[_OFF_SMALL])
    if k <= k_s + k1:
        theta = table_theta(tab, int(tab[small + k]), uniform(key, c))
        return math.cos(theta), math.sin(theta), c + one
    j = (k - k_s - 1) // k1
    ta = table_theta(tab, int(tab[int(tab[_OFF_BIG]) + j]), uniform(key, c))
    tb = table_theta(tab, int(tab[small + k - j * k1]), uniform(key, c + one))
    cos_t, sin_t = compose_two(ta, tb, uniform(key, c + np.uint64(2)))
    return cos_t, sin_t, c + np.uint64(3)


@njit(cache=True, inline="always")
def composed_angle(tab: np.ndarray, k: np.int64, key: np.uint64, counter: np.uint64) -> tuple:
    """(cos Θ, sin Θ, next counter) of the composed angle of K ≥ 1 jumps (regimes 1–5 of the module docstring).

    Inlined: the header is read in the caller and ``tab`` crosses a call (an atomic reference count, ~12 ns) only
    for the table regimes."""
    done, cos_t, sin_t, c = scalar_angle(int(tab[_KERNEL]), tab[_H], k, int(tab[_KS]), int(tab[_KU]), key, counter)
    if not done:
        cos_t, sin_t, c = table_angle(tab, k, key, c)
    return cos_t, sin_t, c


@njit(cache=True)
def poisson_count(mu: float, key: np.uint64, counter: np.uint64) -> tuple:
    """(K, next counter), K ~ Poisson(μ): for μ < 10 by inversion of one uniform U (the least K with
    U ≤ Σ_{j≤K} e^{−μ} μ^j/j!, the pmf by its recurrence; one counter); otherwise poisson.py (PTRS, exact)."""
    if not mu < 10.0:
        return poisson(mu, key, counter)
    u = uniform(key, np.uint64(counter))
    p = math.exp(-mu)
    cdf = p
    k = 0
    while u > cdf and k < 200:  # P(K > 200 | μ < 10) < 10⁻¹⁵⁰: the cap is never met in exact arithmetic
        k += 1
        p *= mu / k
        cdf += p
    return np.int64(k), np.uint64(counter) + np.uint64(1)


@njit(cache=True, inline="always")
def sample_composed(tab: np.ndarray, mu: float, key: np.uint64, counter: np.uint64, defect: Defect) -> tuple:
    """(K, cos Θ, sin Θ, cos φ, sin φ, next counter): K ~ Poisson(μ) and the composed rotation of the K jumps,
    Θ its angle and φ its azimuth about û₀ (uniform; the ``AZIMUTH_BIAS`` defect acts through draw_azimuth;
    ``SAMPLER_BIAS`` returns Θ(1 + ε)). K = 0 gives
    Θ = 0 and uses only the Poisson counters. Inlined into the caller, so that a pair without jumps costs one
    Poisson draw and no call carrying ``tab``."""
    k, c = poisson_count(mu, key, counter)
    cos_t, sin_t, cos_p, sin_p = 1.0, 0.0, 1.0, 0.0
    if k > 0:
        cos_t, sin_t, c = composed_angle(tab, k, key, c)
        if defect.code == SAMPLER_BIAS:
            theta = math.atan2(sin_t, cos_t) * (1.0 + defect.amp)
            cos_t, sin_t = math.cos(theta), math.sin(theta)
        cos_p, sin_p = draw_azimuth(key, c, defect)
        c += np.uint64(1)
    return k, cos_t, sin_t, cos_p, sin_p, c


@njit(cache=True, inline="always")
def pair_update(v: np.ndarray, i: int, j: int, mu: float, tab: np.ndarray, key: np.uint64,
                defect: Defect) -> np.int64:
    """One step of the pair (i, j) with Poisson mean μ: draw (K, Θ, φ) from counters 0, 1, … of ``key`` and apply the
    composed rotation with one :func:`jump_pair` call (centre of mass kept, defects as in jump_pair); returns K.
    Inlined into the caller (see :func:`sample_composed`); call it directly from the loop over pairs."""
    k, cos_t, sin_t, cos_p, sin_p, _ = sample_composed(tab, mu, key, np.uint64(0), defect)
    if k > 0:
        jump_pair(v, i, j, cos_t, sin_t, cos_p, sin_p, defect)
    return k
