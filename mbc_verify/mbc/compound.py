"""One pair, one step: the compound-Poisson composed rotation, drawn exactly and applied as one rotation.

In a fast-engine step a pair makes K ~ Poisson(μ) jumps; the direction of its relative velocity then moves by the
composed angle Θ (law F_K of :mod:`mbc_verify.mbc.composite`, Legendre coefficients m_ℓ^K) with a uniform azimuth
about the initial direction û₀, so cos Θ has the compound law Σ_K Pois(K; μ) F_K, whose Legendre coefficients are
Σ_K Pois(K; μ) m_ℓ^K = exp(−μ(1 − m_ℓ)). :func:`sample_composed` draws (K, Θ, φ) and :func:`pair_update` applies the
result with ONE call of :func:`mbc_verify.mbc.kernel.jump_pair` (both particles, centre of mass kept).

Why K is drawn (and then known exactly). For the fixed kernel the laws F_K of few jumps are singular (K = 2: an
arcsine law; K = 3: a logarithmic singularity of the density at Θ = h and a jump at 3h; …) and their Legendre
series converge only algebraically: at h = 0.1, near Θ = h, the partial sums of F_3 still move by 2·10⁻⁵ between
L = 6.4·10⁴ and 2·10⁵ terms. No table over (μ, U) of the compound law can therefore be built or checked to 10⁻¹²
where those K carry weight (every μ ≲ 30). Instead the count K is drawn exactly
(:func:`mbc_verify.mbc.poisson.poisson`, O(1) expected cost for every μ), and the angle given K comes from:

1. K = 0: no jump (the atom at x = 1, probability e^{−μ}, exact). K = 1: one jump, the kernel's own angle law
   (the fixed kernel's atom at cos h, exact).
2. 2 ≤ K ≤ K_s: exact composition of the K jump angles on scalars (:func:`compose_steps`: the spherical law of
   cosines in half-angle form, one uniform and one sine per jump; no vector rotation). K_s is the least K for
   which the series of F_{K+1} is certified with ≤ ``L_MAX`` terms (:func:`plan`); K_s ≈ 16–20 for h ∈ [0.05, 0.3].
3. K_s < K ≤ K_s + K₁: one draw from the certified table of F_K (:mod:`mbc_verify.mbc.compound_table`).
4. K_s + K₁ < K < k_uniform: K = j K₁ + r with r ∈ (K_s, K_s + K₁]; Θ is the composition of a draw from the table
   of F_{jK₁} and one from the table of F_r with a uniform relative azimuth (:func:`compose_two`), exact since the
   two groups of jumps are independent. K₁ ≈ √k_uniform keeps the table count ≈ 2√k_uniform.
5. K ≥ k_uniform: û uniform on its sphere (cos Θ = 2U − 1), the uniform regime of composite.py, unchanged.

Error bound (Kolmogorov distance of the sampled law of Θ to the exact one, for every μ): 0 in regimes 1–2 (exact
arithmetic), ≤ ε_K ≤ 2.5·10⁻¹³ in regime 3 (the certified bound of each table), ≤ 2(ε_a + ε_b) ≤ 10⁻¹² in regime 4
(for independent angles A, B the composed CDF is E[k_θ(A, B)] with k_θ(a, ·) ∈ [0, 1] of total variation ≤ 2 in b
— the spherical cosine rule makes it monotone on at most two pieces — so replacing B's law moves it by at most
2 sup|F̃_B − F_B|, and likewise for A), ≤ 2⁻⁵³ in regime 5 (composite.py). The compound law, a mixture over K with
exact weights, therefore has Kolmogorov error ≤ 10⁻¹²; ``CompoundTables.bound`` is the largest certified ε_K.

Jump counts. ``pair_update`` returns the drawn K: the jump counts reported by an engine using it are exact draws
(E[K] = μ), not expectations. (In the uniform regime beyond 2⁵³ poisson.py saturates, as today.)

Random numbers (:mod:`mbc_verify.mbc.rng`): :func:`sample_composed` reads ``(key, counter), (key, counter + 1), …``
and returns the next unused counter: the Poisson draw first (its own variable number of counters), then the
angle (K = 1: 1, as draw_angle; 2 ≤ K ≤ K_s: K − 1 uniforms for "fixed", 2K − 1 for "rayleigh"; a table: 1; two
tables: 3; uniform regime: 1),
then the azimuth about û₀ (1, :func:`mbc_verify.mbc.angles.draw_azimuth`, where the ``biased_azimuth`` mutant
acts). Everything is a pure function of (key, counter) and the tables: bitwise reproducible for any thread count.
No ``fastmath``.
"""

from __future__ import annotations

import math
from concurrent.futures import ThreadPoolExecutor
from typing import NamedTuple

import numba
import numpy as np
from numba import njit

from .angles import _rayleigh_mass, draw_angle, draw_azimuth, legendre_mean
from .composite import bernstein_constant, bernstein_tail, composite_table
from .compound_series import TRUNC_BUDGET, eigenvalues_dd
from .compound_table import S_MAX, build_k_table, cell_theta
from .kernel import jump_pair
from .poisson import poisson
from .rng import uniform

L_MAX = 1024
"""Most Legendre terms a table's series may need; sets K_s (:func:`plan`)."""
K_S_MIN = 8
K_S_MAX = 48
"""Beyond this K_s (h near π: every m_ℓ near ±1) the composition regime is too long: h is not practical."""
TABLES_MAX = 2048
"""Most tables per (kernel, h): with ≤ ``MAX_CELLS`` cells of ≤ 13 coefficients each they take ≤ 64 MiB."""
MEMORY_BUDGET = 64 * 2**20
_PI = math.pi


class CompoundTables(NamedTuple):
    """The certified tables of one (kernel, h), flat for numba (see :func:`sample_composed`)."""

    params: np.ndarray  # int64: kernel, K_s, K₁, k_uniform
    h: float
    small_id: np.ndarray  # table id of F_K for K ≤ K_s + K₁ (−1: none)
    big_id: np.ndarray  # table id of F_{jK₁} (−1: none)
    tab_int: np.ndarray  # per table: coefficient offset, cell offset, ncell, degree, K
    coef: np.ndarray  # Chebyshev coefficients of every cell of every table
    anchor: np.ndarray  # per cell: 0 or π (compound_table.build_cells)
    tab_bound: np.ndarray  # certified Kolmogorov bound of each table
    bound: float  # the sampler's bound (module docstring)
    build_seconds: float


@njit(cache=True)
def lcap_for(bern: float, k: int) -> int:
    """Least L ≥ 2B with the Bernstein tail Σ_{ℓ>L}(B/ℓ)^{K/2} ≤ 2⁻⁶⁰ (bisection; 2⁴⁰ if none below it)."""
    lo = max(2, int(math.ceil(2.0 * bern)))
    if bernstein_tail(bern, lo, float(k)) <= TRUNC_BUDGET:
        return lo
    hi = lo
    while bernstein_tail(bern, hi, float(k)) > TRUNC_BUDGET:
        lo = hi
        hi *= 2
        if hi > 2**40:
            return 2**40
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if bernstein_tail(bern, mid, float(k)) <= TRUNC_BUDGET:
            hi = mid
        else:
            lo = mid
    return hi


@njit(cache=True)
def plan(kernel: int, h: float) -> tuple:
    """(K_s, K₁, J, k_uniform, L_cap, B): regimes of the module docstring.

    K_s = the least K ≥ K_S_MIN whose F_{K+1} series needs ≤ L_MAX terms (capped at k_uniform − 1); the tables
    cover K_s < K ≤ K_s + K₁ and the multiples j K₁, 2 ≤ j ≤ J, with K₁ = max(K_s + 1, ⌈√k_uniform⌉)."""
    bern = bernstein_constant(kernel, h)
    k_uniform = composite_table(kernel, h)[2]
    k_s = K_S_MIN
    while lcap_for(bern, k_s + 1) > L_MAX and k_s < k_uniform:
        k_s += 1
    k_s = min(k_s, k_uniform - 1)
    k1 = max(k_s + 1, int(math.ceil(math.sqrt(float(k_uniform)))))
    j_max = max(1, (k_uniform - 2 - k_s) // k1)
    return k_s, k1, j_max, k_uniform, lcap_for(bern, k_s + 1), bern


def table_count(kernel: int, h: float) -> int:
    """Number of tables :func:`build_tables` makes for (kernel, h) (without building them)."""
    k_s, k1, j_max, k_uniform, _, _ = plan(kernel, h)
    small = max(0, min(k_s + k1, k_uniform - 1) - k_s)
    return small + max(0, j_max - 1)


def practical(kernel: int, h: float) -> bool:
    """Whether (kernel, h) is in the practical range: K_s ≤ K_S_MAX and at most TABLES_MAX tables, which bounds the
    tables' memory by MEMORY_BUDGET (64 MiB) — roughly 0.01 ≲ h ≲ 2.6 for both kernels."""
    if not (0.0 < h < math.pi):
        return False
    if 2.0 * bernstein_constant(kernel, h) > L_MAX:  # h near π: every series needs more than L_MAX terms
        return False
    m1 = abs(legendre_mean(kernel, h, 1))
    # S(K) ≥ |m_1|^K, so k_uniform ≥ 53 ln 2 / (−ln |m_1|): a cheap lower bound of the table count (h → 0)
    if m1 >= 1.0 or 2.0 * math.sqrt(53.0 * math.log(2.0) / -math.log(m1)) > 1.05 * TABLES_MAX:
        return False
    k_s = plan(kernel, h)[0]
    return k_s <= K_S_MAX and table_count(kernel, h) <= TABLES_MAX


def check_practical(kernel: int, h: float, name: str = "h") -> None:
    """Raise ``ValueError`` (one line, starting with ``name``) when h is outside the practical range."""
    if not practical(kernel, h):
        raise ValueError(f"{name}: the compound-jump tables for this kernel need 0.01 <~ h <~ 2.6 "
                         f"(at most {TABLES_MAX} tables, {MEMORY_BUDGET // 2**20} MiB), got {h!r}")


def _table_ks(k_s: int, k1: int, j_max: int, k_uniform: int) -> list[int]:
    small = list(range(k_s + 1, min(k_s + k1, k_uniform - 1) + 1))
    return small + [j * k1 for j in range(2, j_max + 1)]


_CACHE: dict[tuple[int, float], CompoundTables] = {}


def build_tables(kernel: int, h: float) -> CompoundTables:
    """The certified tables of (kernel, h), built once (in parallel over tables, numba threads) and cached.

    Raises ``ValueError`` for an impractical h (:func:`check_practical`) and ``RuntimeError`` if a table cannot be
    certified (never observed in the practical range)."""
    key = (int(kernel), float(h))
    if key in _CACHE:
        return _CACHE[key]
    check_practical(kernel, h)
    import time

    start = time.perf_counter()
    k_s, k1, j_max, k_uniform, lcap, bern = plan(kernel, h)
    mdd = eigenvalues_dd(kernel, h, lcap)
    ks = _table_ks(k_s, k1, j_max, k_uniform)

    def one(k: int) -> tuple:
        theta_max = min(_PI, k * h) if kernel == 0 else _PI
        return build_k_table(mdd, bern, k, theta_max)

    with ThreadPoolExecutor(max_workers=max(1, numba.get_num_threads())) as pool:
        built = list(pool.map(one, sorted(ks, key=lambda k: k)))
    failed = [k for k, (_, _, b) in zip(ks, built, strict=True) if not math.isfinite(b)]
    if failed:
        raise RuntimeError(f"compound tables: no certified table for K = {failed[:5]} (kernel {kernel}, h {h})")
    tables = _flatten(kernel, h, k_s, k1, j_max, k_uniform, ks, built, time.perf_counter() - start)
    _CACHE[key] = tables
    return tables


def _flatten(kernel: int, h: float, k_s: int, k1: int, j_max: int, k_uniform: int, ks: list[int], built: list,
             seconds: float) -> CompoundTables:
    small_id = np.full(k_s + k1 + 1, -1, dtype=np.int64)
    big_id = np.full(j_max + 1, -1, dtype=np.int64)
    tab_int = np.zeros((len(ks), 5), dtype=np.int64)
    coefs, anchors, bounds = [], [], []
    c_off = 0
    a_off = 0
    for t, (k, (coef, anchor, bound)) in enumerate(zip(ks, built, strict=True)):
        if k <= k_s + k1:
            small_id[k] = t
        else:
            big_id[k // k1] = t
        tab_int[t] = (c_off, a_off, coef.shape[0], coef.shape[1] - 1, k)
        coefs.append(coef.ravel())
        anchors.append(anchor)
        bounds.append(bound)
        c_off += coef.size
        a_off += anchor.size
    if j_max >= 1 and k1 < small_id.size:
        big_id[1] = small_id[k1]
    tab_bound = np.array(bounds) if bounds else np.zeros(0)
    worst = float(tab_bound.max()) if bounds else 0.0
    two = 2.0 * (2.0 * worst) if j_max >= 2 else worst
    return CompoundTables(np.array([kernel, k_s, k1, k_uniform], dtype=np.int64), float(h), small_id, big_id,
                          tab_int, np.concatenate(coefs) if coefs else np.zeros(0),
                          np.concatenate(anchors) if anchors else np.zeros(0), tab_bound, max(two, 2.0**-53),
                          seconds)


@njit(cache=True)
def table_theta(tab_int: np.ndarray, coef: np.ndarray, anchor: np.ndarray, tid: int, u: float) -> float:
    """Θ = Q̃(√(−log u)) from table ``tid`` (compound_table.py), clamped to [0, π]."""
    c_off = tab_int[tid, 0]
    a_off = tab_int[tid, 1]
    ncell = tab_int[tid, 2]
    n = tab_int[tid, 3]
    s = min(math.sqrt(-math.log(u)), S_MAX)
    ds = S_MAX / ncell
    cell = min(int(s / ds), ncell - 1)
    xi = min(2.0 * (s - cell * ds) / ds - 1.0, 1.0)
    theta = cell_theta(coef, c_off + cell * (n + 1), n, anchor[a_off + cell], xi)
    return min(max(theta, 0.0), _PI)


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
    sa, ca = _step_half(kernel, h, key, c)
    if kernel != 0:
        c += one
    for _ in range(k - 1):
        sb, cb = _step_half(kernel, h, key, c)
        if kernel != 0:
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
def composed_angle(params: np.ndarray, h: float, small_id: np.ndarray, big_id: np.ndarray, tab_int: np.ndarray,
                   coef: np.ndarray, anchor: np.ndarray, k: np.int64, key: np.uint64, counter: np.uint64) -> tuple:
    """(cos Θ, sin Θ, next counter) of the composed angle of K ≥ 1 jumps (regimes 1–5 of the module docstring)."""
    kernel, k_s, k1, k_uniform = params[0], params[1], params[2], params[3]
    c = np.uint64(counter)
    one = np.uint64(1)
    if k >= k_uniform:
        x = 2.0 * uniform(key, c) - 1.0
        return x, math.sqrt((1.0 - x) * (1.0 + x)), c + one
    if k == 1:
        cos_t, sin_t = draw_angle(kernel, h, key, c)
        return cos_t, sin_t, c + one
    if k <= k_s:
        return compose_steps(kernel, h, k, key, c)
    if k <= k_s + k1:
        theta = table_theta(tab_int, coef, anchor, small_id[k], uniform(key, c))
        return math.cos(theta), math.sin(theta), c + one
    j = (k - k_s - 1) // k1
    ta = table_theta(tab_int, coef, anchor, big_id[j], uniform(key, c))
    tb = table_theta(tab_int, coef, anchor, small_id[k - j * k1], uniform(key, c + one))
    cos_t, sin_t = compose_two(ta, tb, uniform(key, c + np.uint64(2)))
    return cos_t, sin_t, c + np.uint64(3)


@njit(cache=True)
def sample_composed(params: np.ndarray, h: float, small_id: np.ndarray, big_id: np.ndarray, tab_int: np.ndarray,
                    coef: np.ndarray, anchor: np.ndarray, mu: float, key: np.uint64, counter: np.uint64,
                    mutant: int) -> tuple:
    """(K, cos Θ, sin Θ, cos φ, sin φ, next counter): K ~ Poisson(μ) and the composed rotation of the K jumps,
    Θ its angle and φ its azimuth about û₀ (uniform; ``biased_azimuth`` mutant through draw_azimuth). K = 0 gives
    Θ = 0 and uses only the Poisson counters."""
    k, c = poisson(mu, key, counter)
    if k == 0:
        return k, 1.0, 0.0, 1.0, 0.0, c
    cos_t, sin_t, c = composed_angle(params, h, small_id, big_id, tab_int, coef, anchor, k, key, c)
    cos_p, sin_p = draw_azimuth(key, c, mutant)
    return k, cos_t, sin_t, cos_p, sin_p, c + np.uint64(1)


@njit(cache=True)
def pair_update(v: np.ndarray, i: int, j: int, mu: float, params: np.ndarray, h: float, small_id: np.ndarray,
                big_id: np.ndarray, tab_int: np.ndarray, coef: np.ndarray, anchor: np.ndarray, key: np.uint64,
                mutant: int) -> np.int64:
    """One step of the pair (i, j) with Poisson mean μ: draw (K, Θ, φ) from counters 0, 1, … of ``key`` and apply the
    composed rotation with one :func:`jump_pair` call (centre of mass kept, mutants as in jump_pair); returns K."""
    k, cos_t, sin_t, cos_p, sin_p, _ = sample_composed(params, h, small_id, big_id, tab_int, coef, anchor, mu, key,
                                                       np.uint64(0), mutant)
    if k > 0:
        jump_pair(v, i, j, cos_t, sin_t, cos_p, sin_p, mutant)
    return k
