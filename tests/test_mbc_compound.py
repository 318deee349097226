"""The compound-Poisson pair update of mbc_verify.mbc.compound and its certified tables (fast engine, docs/spec.md §3).

- The certificate: each table's bound ≤ 2.5·10⁻¹³ and the sampler's ≤ 10⁻¹², and the bound holds against the exact
  series: |S(Θ̃(U)) − U| evaluated in double-double at random U (and at the U of every node neighbourhood) stays below
  the table's certified bound; the series evaluator itself agrees with mpmath. Negative control: a table with too
  few cells is refused by the certificate and measurably off.
- Legendre moments: E[P_ℓ(cos Θ)] = m_ℓ^K for fixed K on both sides of every regime switch (1, K_s, K_s + K₁,
  k_uniform) and = exp(−μ(1 − m_ℓ)) for the compound law at μ spanning the regimes, both kernels, within 5 standard
  errors (sample sd / √n; + 10⁻¹³ for the deterministic K = 1 of "fixed", see test_mbc_composite.py); the μ
  include both sides of the Poisson table's switches (poisson_table.py: rows from 1/8, PTRS from 32).
- Atoms: P(K = 0) = e^{−μ} and P(K = 1) = μ e^{−μ} within 5 binomial σ; the fixed kernel's K = 1 angle is exactly h.
- Goodness of fit (p-values > 5.7·10⁻⁷, the two-sided 5σ Gaussian tail): table draws and two-table compositions
  against the exact CDF (one-sample KS), the scalar composition against a vector composition (two-sample KS), and
  a negative control (K against the CDF of K + 3) that must be rejected.
- N = 2: a pair with mean τλ per step for n steps has E[P_ℓ(û₀·û_t)] = exp(−λt(1 − m_ℓ)).
- Bitwise reproducibility (same key, and a prange over pairs at 1 and 2 threads) and hypothesis properties.
"""

from __future__ import annotations

import math

import mpmath as mp
import numba
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numba import njit, prange
from scipy import stats
from scipy.special import eval_legendre

from mbc_verify.mbc.angles import KERNELS, draw_angle, draw_azimuth
from mbc_verify.mbc.composite import cdf_pdf
from mbc_verify.mbc.compound import composed_angle, pair_update, sample_composed, table_theta
from mbc_verify.mbc.compound_build import build_tables, check_practical, pack, plan, practical
from mbc_verify.mbc.compound_series import (
    dd_extent,
    derivative_bounds,
    eigenvalues_dd,
    jump_coefficients_dd,
    recurrence_dd,
    series_dd,
    truncation,
)
from mbc_verify.mbc.compound_table import (
    S_MAX,
    TABLE_TARGET,
    _lebesgue,
    build_cells,
    certify_cells,
    cheb_coefficients,
    clenshaw,
    lobatto,
)
from mbc_verify.mbc.dd import dd_cos_sin, dd_exp, two_sum
from mbc_verify.mbc.kernel import rotate
from mbc_verify.mbc.rng import stream_key, substream, uniform
from mbc_verify.mutants import NO_DEFECT

P_5SIGMA = 5.7e-7
ROUND_OFF = 1e-13
CASES = [("fixed", 0.3), ("rayleigh", 0.3)]


def _tables(kernel: str, h: float):
    return build_tables(KERNELS[kernel], h)




@njit(cache=True)
def _angles(tab, k: int, seed: int, n: int) -> np.ndarray:
    """cos Θ of n independent K-jump compositions (composed_angle)."""
    out = np.empty(n)
    base = stream_key(np.uint64(seed), np.uint64(k))
    for s in range(n):
        out[s] = composed_angle(tab, np.int64(k), substream(base, np.uint64(s)), np.uint64(0))[0]
    return out


@njit(cache=True)
def _compound(tab, mu: float, seed: int, n: int) -> tuple:
    """(K, cos Θ) of n compound draws (sample_composed)."""
    ks = np.empty(n, dtype=np.int64)
    xs = np.empty(n)
    base = stream_key(np.uint64(seed), np.uint64(1))
    for s in range(n):
        k, ct, _, _, _, _ = sample_composed(tab, mu, substream(base, np.uint64(s)), np.uint64(0), NO_DEFECT)
        ks[s] = k
        xs[s] = ct
    return ks, xs


@njit(cache=True)
def _vector_composition(kernel: int, h: float, k: int, seed: int, n: int) -> np.ndarray:
    """cos Θ of n K-jump compositions done jump by jump with 3-vector rotations (independent of compound.py)."""
    out = np.empty(n)
    base = stream_key(np.uint64(seed), np.uint64(99))
    for s in range(n):
        key = substream(base, np.uint64(s))
        wx, wy, wz = 0.0, 0.0, 1.0
        for q in range(k):
            ct, st_ = draw_angle(kernel, h, key, np.uint64(2 * q))
            cp, sp = draw_azimuth(key, np.uint64(2 * q + 1), NO_DEFECT)
            wx, wy, wz = rotate(wx, wy, wz, ct, st_, cp, sp)
        out[s] = wz / math.sqrt(wx * wx + wy * wy + wz * wz)
    return out


def _cdf(kernel: str, h: float, k: int):
    """The exact CDF x ↦ F_K(x) (float64 series truncated at 2⁻⁶⁰, composite.cdf_pdf)."""
    lcap = plan(KERNELS[kernel], h)[4]
    c = jump_coefficients_dd(eigenvalues_dd(KERNELS[kernel], h, lcap), k)[:, 0].copy()
    nterms, _ = truncation(c, _bern(kernel, h), k, 2.0**-60)
    return np.vectorize(lambda x: cdf_pdf(c, nterms, float(x))[0])


@njit(cache=True)
def _one_draw(tab, mu: float, key: np.uint64) -> tuple:
    return sample_composed(tab, mu, key, np.uint64(0), NO_DEFECT)


@njit(cache=True)
def _theta(tab, tid: int, u: float) -> float:
    return table_theta(tab, tid, u)


def _ncell(t, tid: int) -> int:
    return int(t.tab[int(t.tab[7]) + 6 * tid + 2])


def _bern(kernel: str, h: float) -> float:
    return plan(KERNELS[kernel], h)[5]


def _moments_ok(x: np.ndarray, expected: np.ndarray, floor: float = 0.0) -> list:
    bad = []
    for ell in (1, 2, 3, 4):
        p = eval_legendre(ell, x)
        se = p.std(ddof=1) / math.sqrt(x.size)
        if abs(p.mean() - expected[ell]) >= 5.0 * se + floor:
            bad.append((ell, p.mean(), expected[ell], se))
    return bad


# --- the certificate -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kernel,h", CASES + [("fixed", 0.1)])
def test_certified_bounds_meet_the_targets(kernel: str, h: float) -> None:
    t = _tables(kernel, h)
    assert t.tab_bound.size > 0
    assert np.all(t.tab_bound <= TABLE_TARGET)
    assert t.bound <= 1e-12


def test_eigenvalues_and_dd_functions_agree_with_mpmath() -> None:
    with mp.workdps(40):
        for h in (0.05, 0.3, 2.0):
            e = eigenvalues_dd(KERNELS["fixed"], h, 200)
            for ell in (1, 7, 200):
                exact = mp.legendre(ell, mp.cos(mp.mpf(h)))
                assert abs(mp.mpf(e[ell, 0]) + e[ell, 1] - exact) < 1e-28
            er = eigenvalues_dd(KERNELS["rayleigh"], h, 20)
            hh = mp.mpf(h)
            p = 1 - mp.exp(-(mp.pi / hh) ** 2)

            def integrand(t, hh=hh, p=p):
                return mp.cos(t) * 2 * t / hh**2 * mp.exp(-(t / hh) ** 2) / p

            mean_cos = mp.quad(integrand, mp.linspace(0, min(mp.pi, 12 * hh), 40))
            assert abs(mp.mpf(er[1, 0]) + er[1, 1] - mean_cos) < 1e-27
        for x in (0.0, 0.3, 1.0, 2.5, math.pi):
            ch, cl, sh, sl = dd_cos_sin(x, 0.0)
            assert abs(mp.mpf(ch) + cl - mp.cos(mp.mpf(x))) < 1e-30
            assert abs(mp.mpf(sh) + sl - mp.sin(mp.mpf(x))) < 1e-30
            arg = -10.0 * x
            eh, el = dd_exp(arg, 0.0)
            assert abs((mp.mpf(eh) + el) / mp.exp(mp.mpf(arg)) - 1) < 1e-28


def test_series_dd_agrees_with_mpmath() -> None:
    """The double-double series against the Legendre series summed in mpmath (same coefficients)."""
    kernel, h, k = KERNELS["fixed"], 0.3, 20
    lcap = plan(kernel, h)[4]
    cdd = jump_coefficients_dd(eigenvalues_dd(kernel, h, lcap), k)
    c = cdd[:, 0].copy()
    nterms, _ = truncation(c, plan(kernel, h)[5], k, 2.0**-60)
    rec = recurrence_dd(nterms + 1)
    with mp.workdps(40):
        coef = [mp.mpf(cdd[ell, 0]) + cdd[ell, 1] for ell in range(nterms + 1)]
        for theta in (0.01, 0.4, 1.3, 2.2):
            y = 2.0 * math.sin(0.5 * theta) ** 2
            xh, xl = two_sum(1.0, -y)
            s_h, s_l, _, _, _ = series_dd(c, cdd, nterms, nterms, rec, xh, xl)
            x = mp.mpf(xh) + xl
            exact = (1 + x) / 2 + sum(coef[ell] * (mp.legendre(ell + 1, x) - mp.legendre(ell - 1, x))
                                      for ell in range(1, nterms + 1)) / 2
            assert abs(mp.mpf(s_h) + s_l - exact) < 1e-28


@njit(cache=True)
def _max_table_error(tab, ncell: int, tid: int, c, cdd, nterms: int, rec, seed: int, n: int) -> float:
    """max over U of |S(Θ̃(U)) − U| with the double-double series: n random U with s = √(−log U) uniform on
    [0, s_max] (every cell equally visited), plus U just above and below each cell boundary."""
    key = stream_key(np.uint64(seed), np.uint64(tid))
    worst = 0.0
    for i in range(n + 2 * ncell):
        if i < n:
            s = S_MAX * uniform(key, np.uint64(i))
        else:
            b = (i - n) // 2
            s = S_MAX * (b + (1e-9 if (i - n) % 2 == 0 else 1.0 - 1e-9)) / ncell
        u = math.exp(-s * s)
        theta = table_theta(tab, tid, u)
        half = math.sin(0.5 * theta)
        if theta <= 0.5 * math.pi:
            xh, xl = two_sum(1.0, -2.0 * half * half)
        else:
            hc = math.sin(0.5 * (math.pi - theta))
            xh, xl = two_sum(-1.0, 2.0 * hc * hc)
        s_h, s_l, phi_h, phi_l, _ = series_dd(c, cdd, nterms, nterms, rec, xh, xl)
        if s * s < math.log(2.0):
            err = -math.expm1(-s * s) - phi_h - phi_l
        else:
            err = (s_h - u) + s_l
        worst = max(worst, abs(err))
    return worst


@pytest.mark.parametrize("kernel,h", CASES)
def test_bound_holds_against_the_exact_series(kernel: str, h: float) -> None:
    """Measured CDF error of the tables (at the U each table really maps) ≤ their certified bound."""
    t = _tables(kernel, h)
    lcap = plan(KERNELS[kernel], h)[4]
    mdd = eigenvalues_dd(KERNELS[kernel], h, lcap)
    for tid in range(0, t.table_ks.size, 7):
        k = int(t.table_ks[tid])
        cdd = jump_coefficients_dd(mdd, k)
        c = cdd[:, 0].copy()
        nterms, _ = truncation(c, _bern(kernel, h), k, 2.0**-60)
        worst = _max_table_error(t.tab, _ncell(t, tid), tid, c, cdd, nterms, recurrence_dd(nterms + 1), 5, 1500)
        assert worst <= t.tab_bound[tid], (k, worst, t.tab_bound[tid])


def test_negative_control_coarse_table_is_refused_and_off() -> None:
    """With 3 cells the certificate refuses the table, and its measured error is far above the target."""
    kernel, h, k = KERNELS["fixed"], 0.3, 20
    lcap = plan(kernel, h)[4]
    cdd = jump_coefficients_dd(eigenvalues_dd(kernel, h, lcap), k)
    c = cdd[:, 0].copy()
    bern = _bern("fixed", h)
    nterms, trunc = truncation(c, bern, k, 2.0**-60)
    lsplit, t_split = truncation(c, bern, k, 2.0**-50)
    rec = recurrence_dd(nterms + 1)
    coef, anchor = build_cells(c, cdd, nterms, dd_extent(c, nterms), rec, min(math.pi, k * h), 12, 3)
    bound, _ = certify_cells(coef, anchor, c, cdd, nterms, dd_extent(c, nterms), rec,
                             derivative_bounds(c, lsplit, 13), trunc, t_split)
    assert bound > TABLE_TARGET
    tab = pack(kernel, h, 0, k, 1, 10**6, [k], [(coef, anchor, bound, False)])
    worst = _max_table_error(tab, 3, 0, c, cdd, nterms, rec, 3, 3000)
    assert worst > 10.0 * TABLE_TARGET


def test_lebesgue_constant_bound() -> None:
    """Λ_n of the Lobatto points (max of Σ|ℓ_i| on a fine grid) is below the bound the certificate uses."""
    for n in (4, 8, 12):
        xi = lobatto(n)
        grid = np.linspace(-1.0, 1.0, 20001)
        total = np.zeros_like(grid)
        for i in range(n + 1):
            e = np.zeros(n + 1)
            e[i] = 1.0
            a = cheb_coefficients(e)
            total += np.abs(np.polynomial.chebyshev.chebval(grid, a))
        assert total.max() < _lebesgue(n)
        assert np.allclose([clenshaw(cheb_coefficients(np.cos(xi)), 0, n, x) for x in xi], np.cos(xi), atol=1e-15)


# --- the law ---------------------------------------------------------------------------------------------------


def _switch_ks(t) -> list[int]:
    k_s, k1, k_uniform = t.k_s, t.k1, t.k_uniform
    return sorted({1, 2, k_s, k_s + 1, k_s + k1, k_s + k1 + 1, 2 * k1 + k_s + 3, k_uniform - 1, k_uniform})


@pytest.mark.parametrize("kernel,h", CASES)
def test_legendre_moments_of_fixed_k_across_switches(kernel: str, h: float) -> None:
    t = _tables(kernel, h)
    m = eigenvalues_dd(KERNELS[kernel], h, 4)[:, 0]
    bad = []
    for k in _switch_ks(t):
        x = _angles(t.tab, k, 17, 20_000)
        floor = ROUND_OFF if (kernel == "fixed" and k == 1) else 0.0
        bad += [(k,) + b for b in _moments_ok(x, m**k, floor)]
    assert not bad


@pytest.mark.parametrize("kernel,h", CASES)
def test_compound_moments_and_atoms(kernel: str, h: float) -> None:
    """E[P_ℓ(cos Θ)] = exp(−μ(1 − m_ℓ)); P(K=0) = e^{−μ}, P(K=1) = μ e^{−μ} (5 binomial σ)."""
    t = _tables(kernel, h)
    m = eigenvalues_dd(KERNELS[kernel], h, 4)[:, 0]
    k_s, k1, k_uniform = t.k_s, t.k1, t.k_uniform
    n = 20_000
    for mu in (0.05, 0.126, 1.5, float(k_s), 31.99, 32.01, float(k_s + k1 + 10), 0.5 * k_uniform, 2.0 * k_uniform):
        ks, x = _compound(t.tab, mu, 11, n)
        assert not _moments_ok(x, np.exp(-mu * (1.0 - m))), mu
        for k, prob in ((0, math.exp(-mu)), (1, mu * math.exp(-mu))):
            count = np.sum(ks == k)
            assert abs(count - n * prob) <= 5.0 * math.sqrt(n * prob * (1.0 - prob)) + 1e-9, (mu, k)
        assert abs(ks.mean() - mu) <= 5.0 * math.sqrt(mu / n), mu  # the drawn counts: E[K] = μ


def test_fixed_kernel_single_jump_is_the_atom() -> None:
    t = _tables("fixed", 0.3)
    x = _angles(t.tab, 1, 3, 1000)
    assert np.all(x == math.cos(0.3))


@pytest.mark.parametrize("kernel,h", CASES)
def test_goodness_of_fit_against_the_exact_cdf(kernel: str, h: float) -> None:
    t = _tables(kernel, h)
    k_s, k1 = t.k_s, t.k1
    for k in (k_s + 1, k_s + k1, 3 * k1 + k_s + 2):  # one table, the last single table, two composed tables
        x = _angles(t.tab, k, 29, 20_000)
        assert stats.kstest(x, _cdf(kernel, h, k)).pvalue > P_5SIGMA, k
    for k in (2, 5, k_s):  # the scalar composition against a vector composition
        a = _angles(t.tab, k, 31, 20_000)
        b = _vector_composition(KERNELS[kernel], h, k, 37, 20_000)
        assert stats.ks_2samp(a, b).pvalue > P_5SIGMA, k


def test_reflected_tables_for_laws_near_the_antipode() -> None:
    """h > π/2: odd-K laws sit near Θ = π and are tabulated as π − Θ; their draws fit the exact CDF and moments."""
    h = 2.5
    t = _tables("fixed", h)
    meta = t.tab[int(t.tab[7]):].reshape(-1)[: 6 * t.table_ks.size].reshape(-1, 6)
    flipped = t.table_ks[meta[:, 5] == 1.0]
    assert flipped.size > 0 and np.all(flipped % 2 == 1)
    assert t.bound <= 1e-12
    m = eigenvalues_dd(KERNELS["fixed"], h, 4)[:, 0]
    for k in (int(flipped[0]), int(flipped[0]) + 1):
        x = _angles(t.tab, k, 43, 20_000)
        assert stats.kstest(x, _cdf("fixed", h, k)).pvalue > P_5SIGMA, k
        assert not _moments_ok(x, m**k), k


def test_negative_control_wrong_k_is_rejected() -> None:
    t = _tables("fixed", 0.3)
    k = t.k_s + 5
    x = _angles(t.tab, k, 29, 20_000)
    assert stats.kstest(x, _cdf("fixed", 0.3, k + 3)).pvalue < P_5SIGMA


@njit(cache=True)
def _pair_runs(tab, mu: float, steps: int, seed: int, n: int) -> np.ndarray:
    """û₀·û_t of n two-particle systems after ``steps`` pair updates of mean μ each."""
    out = np.empty(n)
    base = stream_key(np.uint64(seed), np.uint64(0))
    u0 = np.array([0.3, -0.4, 1.2])
    r = math.sqrt(np.sum(u0 * u0))
    for rep in range(n):
        v = np.empty((2, 3))
        v[0] = 0.7 + 0.5 * u0
        v[1] = 0.7 - 0.5 * u0
        rkey = substream(base, np.uint64(rep))
        for s in range(steps):
            pair_update(v, 0, 1, mu, tab, substream(rkey, np.uint64(s)), NO_DEFECT)
        out[rep] = np.sum((v[0] - v[1]) * u0) / (r * r)
    return out


@pytest.mark.parametrize("kernel,h", CASES)
def test_two_particles_follow_the_continuous_time_law(kernel: str, h: float) -> None:
    """N = 2 is exact: n steps of mean τλ give E[P_ℓ(û₀·û_t)] = exp(−λt(1 − m_ℓ)), λt = n τλ."""
    t = _tables(kernel, h)
    m = eigenvalues_dd(KERNELS[kernel], h, 4)[:, 0]
    k_s, k1 = t.k_s, t.k1
    for mu, steps in ((0.7, 8), (0.6 * k_s, 4), (3.0 * k1, 2)):
        x = _pair_runs(t.tab, mu, steps, 41, 20_000)
        assert not _moments_ok(x, np.exp(-mu * steps * (1.0 - m))), (mu, steps)


@njit(cache=True, parallel=True)
def _parallel_updates(v, mus, tab, seed: int) -> np.ndarray:
    ks = np.empty(mus.size, dtype=np.int64)
    base = stream_key(np.uint64(seed), np.uint64(0))
    for p in prange(mus.size):
        ks[p] = pair_update(v, 2 * p, 2 * p + 1, mus[p], tab, substream(base, np.uint64(p)), NO_DEFECT)
    return ks


@njit(cache=True)
def _serial_updates(v, mus, tab, seed: int) -> np.ndarray:
    ks = np.empty(mus.size, dtype=np.int64)
    base = stream_key(np.uint64(seed), np.uint64(0))
    for p in range(mus.size):
        ks[p] = pair_update(v, 2 * p, 2 * p + 1, mus[p], tab, substream(base, np.uint64(p)), NO_DEFECT)
    return ks


def test_bitwise_reproducible_across_thread_counts() -> None:
    """prange over pairs (1 thread and all of NUMBA_NUM_THREADS) gives bitwise the serial loop's states and counts;
    each pair keeps its centre of mass and |u| to round-off."""
    t = _tables("fixed", 0.3)
    rng = np.random.default_rng(5)
    v0 = rng.normal(size=(4000, 3))
    mus = 10.0 ** rng.uniform(-2.0, 4.0, size=2000)
    v_ref = v0.copy()
    k_ref = _serial_updates(v_ref, mus, t.tab, 9)
    old = numba.get_num_threads()
    try:
        for threads in sorted({1, numba.config.NUMBA_NUM_THREADS}):
            numba.set_num_threads(threads)
            v = v0.copy()
            ks = _parallel_updates(v, mus, t.tab, 9)
            assert np.array_equal(v, v_ref) and np.array_equal(ks, k_ref), threads
    finally:
        numba.set_num_threads(old)
    du = np.linalg.norm(v0[0::2] - v0[1::2], axis=1) - np.linalg.norm(v_ref[0::2] - v_ref[1::2], axis=1)
    assert np.max(np.abs(du)) < 1e-13 * np.max(np.linalg.norm(v0, axis=1))
    assert np.allclose(v0[0::2] + v0[1::2], v_ref[0::2] + v_ref[1::2], atol=1e-14)
    assert np.any(k_ref == 0) and np.any(k_ref > t.k_uniform)  # every regime was visited


# --- properties and input range --------------------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(kernel=st.sampled_from(["fixed", "rayleigh"]), log_mu=st.floats(-3.0, 5.0), seed=st.integers(0, 2**32 - 1))
def test_outputs_are_a_rotation(kernel: str, log_mu: float, seed: int) -> None:
    t = _tables(kernel, 0.3)
    key = np.uint64(stream_key(np.uint64(seed), np.uint64(0)))
    k, ct, st_, cp, sp, c = _one_draw(t.tab, 10.0**log_mu, key)
    assert k >= 0 and c >= 1
    assert abs(ct) <= 1.0 and st_ >= 0.0
    assert abs(ct * ct + st_ * st_ - 1.0) <= 8e-16 and abs(cp * cp + sp * sp - 1.0) <= 8e-16


@settings(max_examples=200, deadline=None)
@given(u1=st.floats(2.0**-54, 1.0 - 2.0**-54), u2=st.floats(2.0**-54, 1.0 - 2.0**-54), which=st.integers(0, 10**6))
def test_tabulated_quantile_is_monotone(u1: float, u2: float, which: int) -> None:
    """Θ̃(U) = Q̃(√(−log U)) is non-increasing in U (U is the upper-tail probability)."""
    t = _tables("fixed", 0.3)
    tid = which % t.table_ks.size
    lo, hi = min(u1, u2), max(u1, u2)
    assert _theta(t.tab, tid, lo) >= _theta(t.tab, tid, hi)


def test_practical_range_and_message() -> None:
    assert practical(KERNELS["fixed"], 0.05) and practical(KERNELS["rayleigh"], 0.05)
    for h in (1e-10, 3.1415926):
        assert not practical(KERNELS["fixed"], h)
        with pytest.raises(ValueError, match=r"^h: "):
            check_practical(KERNELS["fixed"], h)
    with pytest.raises(ValueError, match=r"^h: "):
        build_tables(KERNELS["fixed"], 1e-10)
