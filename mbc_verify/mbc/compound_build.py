"""The certified tables of one (kernel, h) for :mod:`mbc_verify.mbc.compound`: plan, practical range, build, pack.

Plan (:func:`plan`). K_s is the least K ≥ ``K_S_MIN`` whose F_{K+1} series is certified to 2⁻⁶⁰ with at most
``L_MAX`` terms (Bernstein tail, :func:`lcap_for`); K₁ = max(K_s + 1, ⌈√k_uniform⌉), with k_uniform the uniform
threshold of :mod:`mbc_verify.mbc.composite` (as today); tables: F_K for K_s < K ≤ K_s + K₁ and F_{jK₁} for
2 ≤ j ≤ J = ⌊(k_uniform − 2 − K_s)/K₁⌋, i.e. ≈ 2√k_uniform tables (k_uniform ≈ 73/h² for small h).

Build (:func:`build_tables`): one-jump eigenvalues in double-double (compound_series.eigenvalues_dd), then every
table certified independently (compound_table.build_k_table, which releases the GIL: a thread pool of
``numba.get_num_threads()`` workers builds them in parallel; the result does not depend on the thread count).
Cached in-process by (kernel, h). Measured on one busy shared core (NUMBA_NUM_THREADS=1, "fixed"; "rayleigh"
within 30 %): h = 0.3: 55 tables, 0.19 s; h = 0.1: 170 tables, 0.41 s; h = 0.05: 341 tables, 0.75 s; h = 0.02:
856 tables, 1.7 s; 0.1–1.4 MiB. The first call in a fresh process also compiles (~15 s, then numba's cache).

Practical range (:func:`practical`, :func:`check_practical`): h → 0 needs ≈ 17/h tables, h → π (fixed kernel)
needs series longer than L_MAX; both are refused with a one-line ``ValueError`` before anything is allocated.
"""

from __future__ import annotations

import math
import time
from concurrent.futures import ThreadPoolExecutor
from typing import NamedTuple

import numba
import numpy as np
from numba import njit

from .angles import legendre_mean
from .composite import bernstein_constant, bernstein_tail, composite_table
from .compound_series import TRUNC_BUDGET, eigenvalues_dd
from .compound_table import S_MAX, build_k_table
from .poisson_table import poisson_block

L_MAX = 1024
"""Most Legendre terms a table's series may need; sets K_s (:func:`plan`)."""
K_S_MIN = 8
K_S_MAX = 48
"""Beyond this K_s (h near π: every m_ℓ near ±1) the composition regime is too long: h is not practical."""
TABLES_MAX = 2048
"""Most tables per (kernel, h): with ≤ 256 cells of 13 coefficients each they take ≤ 64 MiB."""
MEMORY_BUDGET = 64 * 2**20


class CompoundTables(NamedTuple):
    """The certified tables of one (kernel, h). ``tab`` is what the samplers take (one float64 array: see
    :func:`pack`); the other fields describe it."""

    tab: np.ndarray
    k_s: int
    k1: int
    k_uniform: int
    table_ks: np.ndarray  # K of each table
    tab_bound: np.ndarray  # certified Kolmogorov bound of each table
    bound: float  # the sampler's bound (module docstring)
    build_seconds: float


# Layout of the packed table array ``tab`` (every integer stored exactly as a float64):
(_KERNEL, _H, _KS, _K1, _KU, _OFF_SMALL, _OFF_BIG, _OFF_META, _OFF_COEF, _OFF_ANCHOR, _SMAX, _OFF_POISSON, _COS_H,
 _SIN_H, _HAV_H, _COHAV_H) = range(16)
_HEADER = 16
_META = 6  # per table: coefficient offset, anchor offset, ncell, degree, K, flip (1: the table holds π − Θ)


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
    tables' memory by MEMORY_BUDGET (64 MiB): about 0.0084 ≤ h ≤ 3.133 for "fixed", 0.0084 ≤ h < π for "rayleigh".
    Decided in milliseconds, before anything large is allocated (h = 10⁻¹⁰ or h → π included)."""
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
        raise ValueError(f"{name}: outside the practical range of the compound-jump tables (about 0.0084 <= h <= 3.133 "
                         f"for the fixed kernel: at most {TABLES_MAX} tables, {MEMORY_BUDGET // 2**20} MiB), "
                         f"got {h!r}")


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
    start = time.perf_counter()
    k_s, k1, j_max, k_uniform, lcap, bern = plan(kernel, h)
    mdd = eigenvalues_dd(kernel, h, lcap)
    ks = _table_ks(k_s, k1, j_max, k_uniform)

    def one(k: int) -> tuple:
        theta_max = min(math.pi, k * h) if kernel == 0 else math.pi
        return build_k_table(mdd, bern, k, theta_max)

    with ThreadPoolExecutor(max_workers=max(1, numba.get_num_threads())) as pool:
        built = list(pool.map(one, ks))  # the costly small K first: they head the list
    failed = [k for k, b in zip(ks, built, strict=True) if not math.isfinite(b[2])]
    if failed:
        raise RuntimeError(f"compound tables: no certified table for K = {failed[:5]} (kernel {kernel}, h {h})")
    tab_bound = np.array([b[2] for b in built])
    worst = float(tab_bound.max()) if built else 0.0
    bound = max(4.0 * worst if j_max >= 2 else worst, 2.0**-53)  # two composed tables: 2(ε_a + ε_b)
    tables = CompoundTables(pack(kernel, h, k_s, k1, j_max, k_uniform, ks, built), k_s, k1, k_uniform,
                            np.array(ks, dtype=np.int64), tab_bound, bound, time.perf_counter() - start)
    _CACHE[key] = tables
    return tables


def pack(kernel: int, h: float, k_s: int, k1: int, j_max: int, k_uniform: int, ks: list[int],
         built: list) -> np.ndarray:
    """One float64 array: header (kernel, h, K_s, K₁, k_uniform, offsets, s_max, the Poisson block's offset, and
    cos h, sin h, sin²(h/2), cos²(h/2): the fixed kernel's jump, so that the samplers call no libm function for it),
    the table id of F_K for K ≤ K_s + K₁ and of F_{jK₁} for j ≤ J (−1: none), per table (coefficient offset, anchor
    offset, ncell, degree, K, flip), then all Chebyshev coefficients and cell anchors, then the Poisson block of
    :func:`mbc_verify.mbc.poisson_table.poisson_block`. One array, because every array argument of a numba call costs an
    atomic reference-count update, which is not negligible at this cost level (~12 ns per array here)."""
    small_id = np.full(k_s + k1 + 1, -1.0)
    big_id = np.full(j_max + 1, -1.0)
    meta = np.zeros((len(ks), _META))
    c_off = a_off = 0
    for t, (k, (coef, anchor, _, flip)) in enumerate(zip(ks, built, strict=True)):
        if k <= k_s + k1:
            small_id[k] = t
        else:
            big_id[k // k1] = t
        meta[t] = (c_off, a_off, coef.shape[0], coef.shape[1] - 1, k, float(flip))
        c_off += coef.size
        a_off += anchor.size
    if j_max >= 1 and k1 < small_id.size:
        big_id[1] = small_id[k1]
    coefs = [b[0].ravel() for b in built]
    anchors = [b[1] for b in built]
    parts = [small_id, big_id, meta.ravel(), *coefs, *anchors, poisson_block()]
    offsets = np.cumsum([_HEADER] + [small_id.size, big_id.size, meta.size, c_off, a_off])
    header = np.array([kernel, h, k_s, k1, k_uniform, *offsets[:5], S_MAX, offsets[5], math.cos(h), math.sin(h),
                       math.sin(0.5 * h) ** 2, math.cos(0.5 * h) ** 2], dtype=np.float64)
    return np.concatenate([header] + parts)


