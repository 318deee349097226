"""The exact MBC engine (docs/spec.md §3, and its mutants).

Statistical checks run R independent replicas at fixed seeds and compare a sample mean with its exact value
within 5 sample standard errors (5σ).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import sympy as sp
from numba import njit

from mbc_verify.mbc.angles import KERNELS, legendre_mean, rate_scale
from mbc_verify.mbc.exact import JumpLaw, _pick, _update_rows, advance_exact, jump_law
from mbc_verify.mbc.initial import sample_initial
from mbc_verify.mbc.kernel import random_jump
from mbc_verify.mbc.rates import lambda_h, pair_rate, prefactor
from mbc_verify.mbc.rng import stream_key, substream, uniform
from mbc_verify.mutants import NO_DEFECT, Defect, defect

EPS = 2.0**-52
ALL = np.int64(2**62)  # no chunk limit


def run_exact(v: np.ndarray, t1: float, gamma: float, h: float, seed: int, segment: int, kernel: int = 0,
              mutant: str | None = None) -> int:
    """advance_exact from t = 0 to t1 in one call (no chunking); returns the jumps."""
    d = defect(mutant, "mbc")
    made, _, _ = advance_exact(v, np.int64(seed), np.int64(segment), 0.0, t1, np.int64(0), ALL,
                               jump_law(gamma, h, kernel, v.shape[0], d), d)
    return int(made)


@njit(cache=False)  # test-local: a cache keyed by the test module name breaks under other import modes
def _pair_legendre(u0: np.ndarray, times: np.ndarray, replicas: int, seed: int, law: JumpLaw,
                   defect: Defect) -> np.ndarray:
    """N = 2 replicas from v = (u0/2, -u0/2): P_ℓ(û₀·û_t), ℓ = 1, 2, 3, at each time (replicas × times × 3).

    Replica r uses seed + r; the run is restarted at every time (segment k + 1), exact by the Markov property.
    """
    out = np.empty((replicas, times.size, 3))
    r0 = math.sqrt(u0[0] ** 2 + u0[1] ** 2 + u0[2] ** 2)
    for rep in range(replicas):
        v = np.empty((2, 3))
        for a in range(3):
            v[0, a] = 0.5 * u0[a]
            v[1, a] = -0.5 * u0[a]
        t = 0.0
        for k in range(times.size):
            advance_exact(v, np.int64(seed + rep), np.int64(k + 1), t, times[k], np.int64(0), ALL, law, defect)
            t = times[k]
            x = 0.0
            rr = 0.0
            for a in range(3):
                ua = v[0, a] - v[1, a]
                x += ua * u0[a]
                rr += ua * ua
            x /= r0 * math.sqrt(rr)
            out[rep, k, 0] = x
            out[rep, k, 1] = 0.5 * (3.0 * x * x - 1.0)
            out[rep, k, 2] = 0.5 * (5.0 * x**3 - 3.0 * x)
    return out


@pytest.fixture(scope="module", autouse=True)
def warm() -> None:
    _pair_legendre(np.array([1.0, 0.0, 0.0]), np.array([0.1]), 2, 0, jump_law(0.0, 0.3, 0, 2, NO_DEFECT), NO_DEFECT)


U0 = np.array([0.48, -0.36, 0.48])  # |u| = 0.744: the r^γ factor matters for γ = -3


def _n2_zscores(gamma: float, h: float, kernel: str, mutant: str | None, replicas: int, seed: int) -> np.ndarray:
    """z = (mean - exact) / standard error of E[P_ℓ(û₀·û_t)] for ℓ = 1..3 at three times (docs/spec.md §3):

        E[P_ℓ(û₀·û_t)] = exp(-λ t (1 - m_ℓ)),   λ = λ_h(|u|) s(h),  m_ℓ = E[P_ℓ(cos θ)]  (= P_ℓ(cos h), fixed).

    Times: κ₁ t ∈ {0.1, 0.4, 1.2} with κ₁ = λ (1 - m_1) of the correct process.
    """
    code = KERNELS[kernel]
    r = float(np.linalg.norm(U0))
    lam = lambda_h(r, gamma, h, code, NO_DEFECT)
    m = [legendre_mean(code, h, ell) for ell in (1, 2, 3)]
    times = np.array([0.1, 0.4, 1.2]) / (lam * (1.0 - m[0]))
    d = defect(mutant, "mbc")
    p = _pair_legendre(U0, times, replicas, seed, jump_law(gamma, h, code, 2, d), d)
    mean = p.mean(axis=0)
    se = p.std(axis=0, ddof=1) / math.sqrt(replicas)
    exact = np.exp(-lam * times[:, None] * (1.0 - np.array(m))[None, :])
    return (mean - exact) / se


@pytest.mark.parametrize("gamma", [0.0, -3.0])
@pytest.mark.parametrize("h", [0.1, 0.3])
def test_two_particle_legendre_law(gamma, h) -> None:
    z = _n2_zscores(gamma, h, "fixed", None, replicas=20000, seed=1000)
    assert np.abs(z).max() < 5.0, z


def test_two_particle_legendre_law_rayleigh_kernel() -> None:
    z = _n2_zscores(-3.0, 0.3, "rayleigh", None, replicas=20000, seed=2000)
    assert np.abs(z).max() < 5.0, z


@pytest.mark.parametrize("mutant", ["rate_without_gamma", "rate_doubled"])
def test_rate_mutants_fail_the_two_particle_law(mutant) -> None:
    z = _n2_zscores(-3.0, 0.3, "fixed", mutant, replicas=20000, seed=1000)
    assert np.abs(z).max() > 5.0, (mutant, z)


# --- acceptance 4: γ = 0 traceless second moment -----------------------------------------------------------------

def _beta_h_sympy() -> sp.Expr:
    """β_h of d/dt E[M] = α_h tr(M) I + β_h M for the γ = 0 MBC process (fixed kernel), derived here.

    One jump of a pair with u = r e₃ (frame), u' = cos h u + sin h r (cos φ, sin φ, 0), φ uniform: the change of
    Σ_k v_k⊗v_k is ½(u'⊗u' - u⊗u); averaged over φ it is sin²h (½|u|² I - (3/2) u⊗u) (checked below
    componentwise, covariant by rotation invariance). Summed over the pairs at rate (2/N)·4/h², with
    Σ_{i<j} u⊗u = N² M - N²P⊗P = N² M at zero momentum: d/dt E[N M] = (8/(N h²))·½ N² sin²h (½ tr M I - (3/2) M),
    i.e. β_h = -6 sin²h / h² (and α_h = 2 sin²h / h²), for every N.
    """
    h, r, phi = sp.symbols("h r phi", positive=True)
    u = sp.Matrix([0, 0, r])
    up = sp.cos(h) * u + sp.sin(h) * r * sp.Matrix([sp.cos(phi), sp.sin(phi), 0])
    incr = (up * up.T - u * u.T) / 2
    avg = incr.applyfunc(lambda e: sp.integrate(e, (phi, 0, 2 * sp.pi)) / (2 * sp.pi))
    claim = sp.sin(h) ** 2 * (r**2 / 2 * sp.eye(3) - sp.Rational(3, 2) * u * u.T) / 2
    assert sp.simplify(avg - claim) == sp.zeros(3, 3)
    n = sp.Symbol("N", positive=True)
    rate = 2 / n * 4 / h**2
    beta = sp.simplify(rate * n**2 / n * (-sp.Rational(3, 2)) * sp.sin(h) ** 2 / 2)
    return beta


def _beta_h(h: float, kernel: str) -> float:
    """β_h from mbc_verify.derived (key mbc.gamma0.beta_h, fixed kernel) when present, else from the sympy
    derivation above; for another angle law sin²h becomes E[sin²θ] = (2/3)(1 - m_2) and the rate gains s(h)."""
    beta_fixed = None
    try:
        from mbc_verify import derived

        if "mbc.gamma0.beta_h" in derived.keys():
            beta_fixed = float(derived.function("mbc.gamma0.beta_h", "h", "N")(h, 64))
    except (ImportError, FileNotFoundError):
        pass
    if beta_fixed is None:
        beta_fixed = float(_beta_h_sympy().subs("h", h))
    if kernel == "fixed":
        return beta_fixed
    code = KERNELS[kernel]
    return beta_fixed * rate_scale(code, h) * (2.0 / 3.0) * (1.0 - legendre_mean(code, h, 2)) / math.sin(h) ** 2


@njit(cache=False)  # test-local: a cache keyed by the test module name breaks under other import modes
def _traceless_zz(n: int, v0s: np.ndarray, t: float, seed: int, law: JumpLaw) -> np.ndarray:
    """(D_zz(0), D_zz(t)) per replica, D = M - tr(M)/3 I, exact engine from the given initial states."""
    out = np.empty((v0s.shape[0], 2))
    for rep in range(v0s.shape[0]):
        v = v0s[rep].copy()
        for s in range(2):
            mzz = 0.0
            tr = 0.0
            for i in range(n):
                mzz += v[i, 2] ** 2
                tr += v[i, 0] ** 2 + v[i, 1] ** 2 + v[i, 2] ** 2
            out[rep, s] = (mzz - tr / 3.0) / n
            if s == 0:
                advance_exact(v, np.int64(seed + rep), np.int64(1), 0.0, t, np.int64(0), ALL, law, NO_DEFECT)
    return out


@pytest.mark.parametrize(("n", "h", "kernel"), [(8, 1.0, "fixed"), (64, 0.5, "fixed"), (16, 1.0, "rayleigh")])
def test_gamma0_traceless_second_moment_decays_at_the_finite_h_rate(n, h, kernel) -> None:
    # E[D(t) | D(0)] = D(0) e^{β_h t} exactly (γ = 0, zero momentum, any N): the per-replica residual
    # D_zz(t) - D_zz(0) e^{β_h t} has mean 0; tested within 5σ. Power: the h → 0 rate β = -6 must be rejected.
    replicas, t = 3000, 0.15
    v0s = np.array([sample_initial("bimaxwellian:2,0.5", n, 50 + k) for k in range(replicas)])
    d = _traceless_zz(n, v0s, t, 7000, jump_law(0.0, h, KERNELS[kernel], n, NO_DEFECT))
    beta = _beta_h(h, kernel)

    def z(b: float) -> float:
        res = d[:, 1] - d[:, 0] * math.exp(b * t)
        return res.mean() / (res.std(ddof=1) / math.sqrt(replicas))

    assert abs(z(beta)) < 5.0, (beta, z(beta))
    assert abs(z(-6.0)) > 5.0, z(-6.0)


# --- the engine's bookkeeping: a naive Gillespie with the same random numbers gives the same trajectory ------------

def _naive_exact(v: np.ndarray, t1: float, gamma: float, h: float, seed: int, segment: int, kernel: int) -> int:
    """Gillespie with every rate recomputed from scratch at each jump (O(N²) per jump), pair drawn as
    i ∝ R_i, j ∝ W_ij, from the same counters as advance_exact (docstring of mbc_verify.mbc.exact)."""
    n = v.shape[0]
    key = np.uint64(stream_key(np.uint64(seed), np.uint64(segment)))  # numba types a Python int < 2⁶³ as int64
    t, jumps = 0.0, 0
    while True:
        w = np.array([[pair_rate(float(np.linalg.norm(v[i] - v[j])), gamma, h, n, kernel, NO_DEFECT) if i != j else 0.0
                       for j in range(n)] for i in range(n)])
        row = w.sum(axis=1)
        sub = np.uint64(substream(key, np.uint64(jumps)))
        t += -math.log(uniform(sub, np.uint64(2))) * 2.0 / row.sum()
        if t > t1:
            return jumps
        i = int(np.searchsorted(np.cumsum(row), uniform(sub, np.uint64(3)) * row.sum(), side="right"))
        j = int(np.searchsorted(np.cumsum(w[i]), uniform(sub, np.uint64(4)) * w[i].sum(), side="right"))
        random_jump(v, i, j, kernel, h, sub, NO_DEFECT)
        jumps += 1


@pytest.mark.parametrize(("gamma", "kernel"), [(-3.0, "fixed"), (-1.5, "rayleigh"), (1.0, "fixed")])
def test_engine_matches_naive_gillespie_path(gamma, kernel) -> None:
    v = sample_initial("bimaxwellian:1.5,0.75", 5, 3)
    w = v.copy()
    jumps = run_exact(v, 4.0, gamma, 0.3, 42, 1, KERNELS[kernel])
    ref = _naive_exact(w, 4.0, gamma, 0.3, 42, 1, KERNELS[kernel])
    assert jumps == ref and jumps > 100
    assert np.abs(v - w).max() < 1e-12


def _rate_matrix(v: np.ndarray, gamma: float, pref: float) -> np.ndarray:
    n = v.shape[0]
    return np.array([[pref * (np.linalg.norm(v[i] - v[j]) ** gamma) if i != j else 0.0 for j in range(n)]
                     for i in range(n)])


def test_row_sums_survive_a_large_rate_leaving() -> None:
    # particle 0 sits 1e-7 from particle 2 (γ = -3: rate ~1e21 · pref), then the jump of (0, 1) moves it away.
    # Incrementally, R_2 would be 1e21 - 1e21 + O(1) with an absolute error ~ulp(1e21) ~ 1e5; the engine resums it.
    v = np.array([[0.0, 0.0, 0.0], [1.0, 0.0, 0.0], [1e-7, 0.0, 0.0], [0.0, 1.0, 0.0], [0.3, -0.4, 0.2]])
    pref = prefactor(0.1, 5, 0, NO_DEFECT)
    w = _rate_matrix(v, -3.0, pref)
    row = w.sum(axis=1)
    v[0], v[1] = [0.5, 0.5, 0.0], [0.5, -0.5, 0.0]
    _update_rows(v, w, row, 0, 1, JumpLaw(-3.0, 0.1, 0, pref), NO_DEFECT, True)
    fresh = _rate_matrix(v, -3.0, pref)
    assert np.allclose(w, fresh, rtol=1e-14, atol=0)
    assert np.allclose(row, fresh.sum(axis=1), rtol=1e-13, atol=0)


def test_pick_draws_in_proportion_to_weights() -> None:
    weights = np.array([0.0, 2.0, 0.5, 0.0, 1.5])
    u = (np.arange(200000) + 0.5) / 200000  # a uniform grid: frequencies exact to 1/200000
    counts = np.bincount([_pick(weights, weights.sum(), x) for x in u], minlength=5)
    assert np.allclose(counts / u.size, weights / weights.sum(), atol=1e-5)
    assert _pick(weights, weights.sum(), 1.0 - 1e-17) == 4


# --- conservation, reproducibility, edge cases --------------------------------------------------------------------

def test_long_run_conserves_momentum_and_energy_to_round_off() -> None:
    # Each jump changes the total momentum by ≤ 2εM per component and the energy by ≤ 22ε E_pair
    # (tests/test_mbc_kernel.py). Along the path |v_i|² ≤ Σ|v|² = N E (up to the drift itself), so
    # M ≤ √(N E) and E_pair ≤ N E: over J jumps the drift is ≤ J·2ε√(NE) and ≤ J·22ε·NE (worst case, linear in J;
    # in practice a random walk, ~√J, see claim C1).
    n = 64
    v = sample_initial("maxwellian", n, 5)
    p0, e0 = v.sum(axis=0), (v**2).sum()
    jumps = run_exact(v, 2.0, -3.0, 0.1, 9, 1)
    assert jumps > 20000
    assert np.abs(v.sum(axis=0) - p0).max() <= jumps * 2 * EPS * math.sqrt(e0)
    assert abs((v**2).sum() - e0) <= jumps * 22 * EPS * e0


def test_same_seed_same_trajectory_bitwise() -> None:
    v1 = sample_initial("maxwellian", 32, 1)
    v2 = v1.copy()
    v3 = v1.copy()
    j1 = run_exact(v1, 0.5, -2.0, 0.2, 17, 3)
    j2 = run_exact(v2, 0.5, -2.0, 0.2, 17, 3)
    run_exact(v3, 0.5, -2.0, 0.2, 17, 4)
    assert j1 == j2 and np.array_equal(v1, v2)
    assert not np.array_equal(v1, v3)


def test_coincident_velocities_give_no_nan_for_coulomb() -> None:
    v = np.array([[1.0, 0.0, 0.0], [1.0, 0.0, 0.0], [-1.0, 0.5, 0.0], [-1.0, -0.5, 0.0]])
    run_exact(v, 0.05, -3.0, 0.1, 1, 1)
    assert np.all(np.isfinite(v))
    w = np.array([[0.5, 0.5, 0.5], [0.5, 0.5, 0.5]])  # the only pair has u = 0: rate 0, nothing happens
    assert run_exact(w, 10.0, -3.0, 0.1, 1, 1) == 0
    assert np.array_equal(w, np.full((2, 3), 0.5))


def test_one_sided_rotation_mutant_breaks_conservation_in_the_engine() -> None:
    v = sample_initial("maxwellian", 16, 2)
    e0 = (v**2).sum()
    run_exact(v, 0.2, 0.0, 0.3, 1, 1, mutant="one_sided_rotation")
    assert abs((v**2).sum() - e0) > 1e-3 * e0


def test_pair_rates_use_the_unordered_pair_rate() -> None:
    # the mean number of jumps in [0, t] at γ = 0 is t · (N(N-1)/2) · (2/N) · 4/h²; Poisson: 5σ = 5√mean
    n, h, t = 10, 0.5, 3.0
    mean = t * n * (n - 1) / 2 * 2 / n * 4 / h**2
    counts = [run_exact(sample_initial("maxwellian", n, 0), t, 0.0, h, s, 1) for s in range(40)]
    assert abs(np.mean(counts) - mean) < 5 * math.sqrt(mean / len(counts))


def test_chunked_run_is_bitwise_the_single_call() -> None:
    """Chunks of one resummation period (N jumps) each, resumed from the time and jump index reached, give bitwise
    the trajectory of one call (module docstring of mbc_verify.mbc.exact, "Chunks")."""
    v = sample_initial("bimaxwellian:2,0.5", 12, 4)
    w = v.copy()
    law = jump_law(-3.0, 0.3, 0, 12, NO_DEFECT)
    total = run_exact(v, 0.7, -3.0, 0.3, 5, 2)
    t, made, done, calls = 0.0, np.int64(0), False, 0
    while not done:
        k, t, done = advance_exact(w, np.int64(5), np.int64(2), t, 0.7, made, np.int64(12), law, NO_DEFECT)
        made += k
        calls += 1
    assert calls > 10 and made == total
    assert np.array_equal(v, w)
