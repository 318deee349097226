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
(:func:`mbc_verify.mbc.poisson_table.table_poisson`: guide-table inversion at the grid mean ⌊8μ⌋/8 plus a
remainder of mean < 1/8 for μ < 32, poisson.py's PTRS above; O(1) for every μ), and the angle given K comes from:

1. K = 0: no jump (the atom at x = 1, probability e^{−μ}, exact). K = 1: one jump, the kernel's own angle law
   (:func:`mbc_verify.mbc.angles.draw_angle`; for the fixed kernel exactly (cos h, sin h), the atom at cos h,
   read from the table header).
2. 2 ≤ K ≤ K_s: exact composition of the K jump angles on scalars (:func:`compose_steps`: the spherical law of
   cosines for sin² and cos² of the half angle, one uniform, one :func:`mbc_verify.mbc.trig.hav_pi` and one
   square root per jump, no vector rotation, no libm call). K_s is the least K whose
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

Cost (numba, one thread). A pair without jumps costs one Poisson draw (~10 ns; ``sample_composed`` and
``pair_update`` are inlined into the caller's loop); K ≥ 1 adds one call of :func:`composed_angle` (O(1) for K >
K_s; K − 1 scalar steps of ~10 ns below: a uniform, hav_pi and one square root each, in two chains) and the azimuth.
This is why the cost still grows as h falls at fixed Δt: the mean number of scalar steps per pair, E[(K − 1); 2 ≤ K
≤ K_s], grows as 1/h² until K_s caps it (``benchmarks/results/fast_vs_ta.md``). All tables sit in ONE float64 array
``tab``: every array argument of a non-inlined numba call costs an atomic reference-count update (~12 ns each on the
development machine), as much as a table lookup, so call these from the loop over pairs and pass ``tab`` only.
Measured against Takizuka–Abe's angle draw in ``benchmarks/test_bench_compound.py``.

Random numbers (:mod:`mbc_verify.mbc.rng`): :func:`sample_composed` reads ``(key, counter), (key, counter + 1), …``
and returns the next unused counter: the Poisson draw first (two counters for μ < 32, PTRS's variable number
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
    _COHAV_H,
    _COS_H,
    _H,
    _HAV_H,
    _K1,
    _KERNEL,
    _KS,
    _KU,
    _META,
    _OFF_ANCHOR,
    _OFF_BIG,
    _OFF_COEF,
    _OFF_META,
    _OFF_POISSON,
    _OFF_SMALL,
    _SIN_H,
    _SMAX,
)
from .compound_table import cell_theta
from .kernel import jump_pair
from .poisson_table import table_poisson
from .rng import uniform
from .trig import hav_pi

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
def _hav_step(ya: float, za: float, yb: float, zb: float, w: float) -> tuple:
    """(sin²(Θ'/2), cos²(Θ'/2)) of the angle Θ' between û₀ and a point at angle b from a point at angle a from û₀,
    given y = sin²(·/2), z = cos²(·/2) of a and b and the relative azimuth φ with hav φ = w. By the spherical law of
    cosines in half-angle form, sin²(Θ'/2) = sin²((a−b)/2) + sin a sin b · w; expanding sin((a−b)/2) and
    sin a sin b = 4 √(y_a z_a y_b z_b),

        sin²(Θ'/2) = y_a z_b + z_a y_b + g,   cos²(Θ'/2) = z_a z_b + y_a y_b − g,   g = 2 √(y_a z_a y_b z_b) (2w − 1):

    one square root per jump, and each of y, z keeps its relative precision where it is small (Θ near 0 or π)."""
    g = 2.0 * math.sqrt(ya * za * yb * zb) * (2.0 * w - 1.0)
    return max(ya * zb + za * yb + g, 0.0), max(za * zb + ya * yb - g, 0.0)


@njit(cache=True, inline="always")
def _cos_sin(yz: tuple) -> tuple:
    """(cos Θ, sin Θ) = ((z − y)/n, 2√(yz)/n) from (y, z) = (sin²(Θ/2), cos²(Θ/2)), n = y + z: exactly 1 in exact
    arithmetic, so dividing by it removes the rounding drift of a chain of steps and cos² + sin² = 1 holds to
    round-off (the rotation then keeps |u|)."""
    y, z = yz
    n = y + z
    return (z - y) / n, 2.0 * math.sqrt(y * z) / n


@njit(cache=True)
def _step_hav(h: float, key: np.uint64, c: np.uint64) -> tuple:
    """(sin²(θ/2), cos²(θ/2)) of one Rayleigh jump angle, the draw of angles.draw_angle at counter c."""
    u = uniform(key, c)
    theta = min(h * math.sqrt(-math.log1p(-u * _rayleigh_mass(h))), _PI)
    return math.sin(0.5 * theta) ** 2, math.cos(0.5 * theta) ** 2


@njit(cache=True, inline="always")
def _next_jump(kernel: int, h: float, hav: tuple, y: float, z: float, key: np.uint64, c: np.uint64) -> tuple:
    """(y', z', next counter): one more jump (a Rayleigh angle at c for kernel ≠ 0, then the relative azimuth's
    uniform) after the angle with (sin², cos²) of its half = (y, z); ``hav``: the fixed kernel's jump."""
    yb, zb = hav
    if kernel != 0:
        yb, zb = _step_hav(h, key, c)
        c += np.uint64(1)
    y, z = _hav_step(y, z, yb, zb, hav_pi(uniform(key, c)))
    return y, z, c + np.uint64(1)


@njit(cache=True)
def compose_steps(kernel: int, h: float, hav: tuple, k: int, key: np.uint64, counter: np.uint64) -> tuple:
    """(cos Θ, sin Θ, next counter) of K ≥ 2 composed jumps, exactly (module docstring, regime 2); ``hav`` is
    (sin²(h/2), cos²(h/2)), the fixed kernel's every jump (from the table header: no libm call).

    The jumps run as two independent chains, the first ⌈K/2⌉ and the last ⌊K/2⌋, advanced in the same loop (their
    square roots overlap in the pipeline instead of waiting on each other), and the two chain angles are then
    composed with a uniform relative azimuth: exact, as in regime 4 (independent groups of jumps, the walk's law
    invariant under rotations about its starting point). Counters: each chain's first angle (kernel ≠ 0), then
    per loop turn chain A's and chain B's draws, then the joining azimuth: K − 1 uniforms for "fixed"."""
    c = np.uint64(counter)
    ya, za = hav
    yb, zb = hav
    if kernel != 0:
        ya, za = _step_hav(h, key, c)
        yb, zb = _step_hav(h, key, c + np.uint64(1))
        c += np.uint64(2)
    k_b = k // 2
    for i in range(1, k - k_b):
        ya, za, c = _next_jump(kernel, h, hav, ya, za, key, c)
        if i < k_b:
            yb, zb, c = _next_jump(kernel, h, hav, yb, zb, key, c)
    cos_t, sin_t = _cos_sin(_hav_step(ya, za, yb, zb, hav_pi(uniform(key, c))))
    return cos_t, sin_t, c + np.uint64(1)


@njit(cache=True)
def compose_two(theta_a: float, theta_b: float, u: float) -> tuple:
    """(cos Θ, sin Θ) of the composition of two independent angles, uniform relative azimuth (hav φ = sin²(πu))."""
    return _cos_sin(_hav_step(math.sin(0.5 * theta_a) ** 2, math.cos(0.5 * theta_a) ** 2,
                              math.sin(0.5 * theta_b) ** 2, math.cos(0.5 * theta_b) ** 2, hav_pi(u)))


@njit(cache=True)
def scalar_angle(kernel: int, h: float, trig: tuple, hav: tuple, k: np.int64, k_s: int, k_uniform: int,
                 key: np.uint64, counter: np.uint64) -> tuple:
    """(done, cos Θ, sin Θ, next counter) for the regimes without tables: K ≥ k_uniform (uniform), K = 1 (one jump),
    2 ≤ K ≤ K_s (composition); done = False (nothing drawn) when K needs the tables. ``trig`` = (cos h, sin h) and
    ``hav`` = (sin²(h/2), cos²(h/2)) are the fixed kernel's jump, read from the table header."""
    c = np.uint64(counter)
    one = np.uint64(1)
    if k >= k_uniform:
        x = 2.0 * uniform(key, c) - 1.0
        return True, x, math.sqrt((1.0 - x) * (1.0 + x)), c + one
    if k == 1:
        cos_t, sin_t = trig if kernel == 0 else draw_angle(kernel, h, key, c)
        return True, cos_t, sin_t, c + one
    if k <= k_s:
        cos_t, sin_t, c = compose_steps(kernel, h, hav, k, key, c)
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
    done, cos_t, sin_t, c = scalar_angle(int(tab[_KERNEL]), tab[_H], (tab[_COS_H], tab[_SIN_H]),
                                         (tab[_HAV_H], tab[_COHAV_H]), k, int(tab[_KS]), int(tab[_KU]), key,
                                         counter)
    if not done:
        cos_t, sin_t, c = table_angle(tab, k, key, c)
    return cos_t, sin_t, c


@njit(cache=True, inline="always")
def sample_composed(tab: np.ndarray, mu: float, key: np.uint64, counter: np.uint64, defect: Defect) -> tuple:
    """(K, cos Θ, sin Θ, cos φ, sin φ, next counter): K ~ Poisson(μ) and the composed rotation of the K jumps,
    Θ its angle and φ its azimuth about û₀ (uniform; the ``AZIMUTH_BIAS`` defect acts through draw_azimuth;
    ``SAMPLER_BIAS`` returns Θ(1 + ε)). K = 0 gives
    Θ = 0 and uses only the Poisson counters. Inlined into the caller, so that a pair without jumps costs one
    Poisson draw and no call carrying ``tab``."""
    k, c = table_poisson(tab, int(tab[_OFF_POISSON]), mu, key, counter)
    cos_t, sin_t, cos_p, sin_p = 1.0, 0.0, 1.0, 0.0
    if k > 0:
        cos_t, sin_t, c = composed_angle(tab, k, key, c)
        if defect.code == SAMPLER_BIAS and defect.amp != 0.0:  # ε = 0 is bitwise the correct sampler
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
