"""Fast engine (mbc_verify.mbc.fast).

Statistical tests run at fixed seeds and compare means with expected values within 5 standard errors (sample sd
/ √replicas); exact-vs-fast comparisons use the combined error √(se₁² + se₂²).
"""

from __future__ import annotations

import math
import time

import numba
import numpy as np
import pytest
from scipy.special import eval_legendre

from mbc_verify import derived
from mbc_verify.mbc.api import advance
from mbc_verify.mbc.ensemble import run_ensemble
from mbc_verify.mbc.fast import DEFAULT_DT, fast_law
from mbc_verify.mbc.initial import sample_initial
from mbc_verify.mbc.matching import PARALLEL_MIN_N, Segment, n_steps, step_length, steps_parallel, steps_serial
from mbc_verify.mutants import NO_DEFECT
from mbc_verify.stats import ulps

EPS = np.finfo(float).eps


# --- item 3: N = 2 law ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("gamma", [0.0, -3.0])
@pytest.mark.parametrize("h", [0.1, 0.3])
def test_n2_legendre_law(gamma: float, h: float) -> None:
    """E[P_ℓ(û₀·û_t)] = exp(−λ_h t (1 − P_ℓ(cos h))), λ_h = 4 |u|^γ / h² (docs/spec.md §3), ℓ = 1, 2, 3.

    ``shell`` with N = 2 gives v_1 = −v_2 with |v| = √3, so |u| = 2√3 is the same in every replica. For N = 2 the
    matching is the pair itself and the engine is exact for any Δt: Δt is taken coarse and not dividing the
    snapshot interval, so the shortened last step is exercised too.
    """
    lam = 4.0 * (2.0 * math.sqrt(3.0)) ** gamma / h**2
    t_end = 1.5 / (lam * (1.0 - math.cos(h)))  # P_1 decays to e^{-1.5}
    res = run_ensemble(gamma, h, 2, t_end, replicas=4000, init="shell", engine="fast", dt=t_end / 7.3,
                       snapshots=5, seed=2024, observables=("legendre",))
    t = res["times"][1:]
    for ell in (1, 2, 3):
        expect = np.exp(-lam * t * (1.0 - eval_legendre(ell, math.cos(h))))
        got = res["legendre"][1:, ell - 1]
        se = res["legendre_se"][1:, ell - 1]
        assert np.all(np.abs(got - expect) < 5.0 * se), (ell, got, expect, se)


@pytest.mark.parametrize("mutant", ["rate_doubled", "rate_without_gamma"])
def test_n2_law_rejects_rate_mutants(mutant: str) -> None:
    """Negative control: the same check fails (some |z| > 5) when the rate is wrong (γ = −3, h = 0.3)."""
    gamma, h = -3.0, 0.3
    lam = 4.0 * (2.0 * math.sqrt(3.0)) ** gamma / h**2
    t_end = 1.5 / (lam * (1.0 - math.cos(h)))
    res = run_ensemble(gamma, h, 2, t_end, replicas=4000, init="shell", engine="fast", dt=t_end / 7.3,
                       snapshots=5, seed=2024, observables=("legendre",), mutant=mutant)
    expect = np.exp(-lam * res["times"][1:] * (1.0 - math.cos(h)))
    z = np.abs(res["legendre"][1:, 0] - expect) / res["legendre_se"][1:, 0]
    assert z.max() > 5.0


# --- item 4: γ = 0 traceless second moment --------------------------------------------------------------------

def _beta_h(h: float) -> float:
    if "mbc.gamma0.beta_h" not in derived.keys():
        pytest.skip("derived key mbc.gamma0.beta_h not available yet")
    return float(derived.function("mbc.gamma0.beta_h", "h")(h))


def _fast_factor(beta: float, n: int, tau: float) -> float:
    """Exact one-step factor of E[traceless M] for the fast engine at γ = 0 (derivation in the test below)."""
    pi_n = (n // 2) / (n * (n - 1) / 2.0)
    c = n * pi_n / 2.0
    return 1.0 + c * math.expm1(2.0 * tau * beta / (n * pi_n))


def _fast_decay(beta: float, n: int, times: np.ndarray, dt: float) -> np.ndarray:
    """E[D(t_k)] / D(0) of the fast engine on the snapshot grid (the engine's own step schedule per segment)."""
    out = [1.0]
    for k in range(1, times.size):
        ns = n_steps(times[k - 1], times[k], dt)
        f = out[-1]
        for s in range(ns):
            f *= _fast_factor(beta, n, step_length(times[k - 1], times[k], dt, ns, s))
        out.append(f)
    return np.array(out)


def _traceless_residuals(res: dict, decay: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Mean and standard error over replicas of D(t_k) − decay_k D(0), D = T∥ − T⊥ (zero mean if decay is right)."""
    s = res["samples"]["temperatures"]
    d = s[:, :, 0] - s[:, :, 1]
    x = d - decay[None, :] * d[:, :1]
    return x.mean(axis=0), x.std(axis=0, ddof=1) / math.sqrt(x.shape[0])


@pytest.mark.parametrize("n", [2, 15, 16])
def test_gamma0_traceless_exact_discrete_law(n: int) -> None:
    """γ = 0: the fast engine's E[traceless M] follows its exact step law, at a coarse Δt where it differs from e^{βt}.

    Derivation (fixed kernel, zero momentum). Writing v_i⊗v_i + v_j⊗v_j = 2c⊗c + ½ u⊗u and using that K jumps
    multiply the traceless part of u⊗u by E[m_2^K] = exp(−μ(1 − m_2)) for K ~ Poisson(μ), while Σ_{i<j} u_ij⊗u_ij =
    N² M when Σ v_i = 0: one step of length τ maps the traceless part T of E[M] to ρ T with
        ρ = 1 + (N π_N / 2) (exp(−μ (1 − m_2)) − 1),   μ = τ (2/N) λ_h / π_N,   π_N = ⌊N/2⌋ / (N(N−1)/2),
    and λ_h (m_2 − 1) = β_h (derived key ``mbc.gamma0.beta_h``, the exact MBC rate) gives
        ρ(τ) = 1 + (N π_N / 2) expm1(2 τ β_h / (N π_N)).
    For N = 2 (π = 1) ρ = e^{τβ_h}: the engine is exact; for N > 2, ρ = e^{τβ_h} (1 + O(τ)) (the Δt bias).
    """
    h = 0.3
    beta = _beta_h(h)
    dt = 0.03
    res = run_ensemble(0.0, h, n, 0.3, replicas=3000, init="bimaxwellian:2.0,0.5", engine="fast", dt=dt,
                       snapshots=4, seed=77 + n, observables=("temperatures",), return_samples=True)
    mean, se = _traceless_residuals(res, _fast_decay(beta, n, res["times"], dt))
    assert np.all(np.abs(mean[1:]) < 5.0 * se[1:]), (mean, se)


def test_gamma0_traceless_continuous_law_at_small_dt() -> None:
    """N = 16 at the default Δt: E[D(t)] = e^{β_h t} D(0) within 5σ; the engine's computed Δt bias is < 1σ here."""
    h, n = 0.3, 16
    beta = _beta_h(h)
    dt = DEFAULT_DT
    res = run_ensemble(0.0, h, n, 0.3, replicas=3000, init="bimaxwellian:2.0,0.5", engine="fast", dt=dt,
                       snapshots=4, seed=5, observables=("temperatures",), return_samples=True)
    cont = np.exp(beta * res["times"])
    mean, se = _traceless_residuals(res, cont)
    assert np.all(np.abs(mean[1:]) < 5.0 * se[1:]), (mean, se)
    d0 = np.mean(res["samples"]["temperatures"][:, 0, 0] - res["samples"]["temperatures"][:, 0, 1])
    bias = np.abs(_fast_decay(beta, n, res["times"], dt) - cont) * abs(d0)
    assert np.all(bias[1:] < se[1:]), (bias, se)


# --- item 5: exact vs fast at N = 64 --------------------------------------------------------------------------

@pytest.mark.parametrize("gamma", [0.0, -2.0, -3.0])
def test_exact_vs_fast_n64(gamma: float) -> None:
    """T∥(t) and ∫|v|⁴(t): exact and fast ensembles agree within 5 combined standard errors (default Δt)."""
    kw = dict(replicas=600, init="bimaxwellian:2.0,0.5", snapshots=4, observables=("temperatures", "moment4"))
    ex = run_ensemble(gamma, 0.3, 64, 0.3, engine="exact", seed=1, **kw)
    fa = run_ensemble(gamma, 0.3, 64, 0.3, engine="fast", seed=2, **kw)
    for name, idx in (("temperatures", (slice(None), 0)), ("moment4", (slice(None),))):
        a, b = ex[name][idx][1:], fa[name][idx][1:]
        se = np.hypot(ex[name + "_se"][idx][1:], fa[name + "_se"][idx][1:])
        assert np.all(np.abs(a - b) < 5.0 * se), (gamma, name, a, b, se)


# --- conservation, stability (item 6 in small), reproducibility (item 7) ----------------------------------------

def test_conservation_in_ulps() -> None:
    """Energy and momentum drift of a γ = −3 run, bounded by the round-off of the pair updates.

    Each pair update writes v_i = c + u'/2, v_j = c − u'/2 with c, u' carrying a few ulps (|u'| = |u| to a few ε by
    the rotation): the pair's energy moves by ≤ ~10 ε of itself and its momentum by ≤ ~4 ε (|v_i| + |v_j|). A
    particle takes part in at most one update per step, so after S steps |ΔE|/E ≤ 10 S ε and
    |ΔΣv| ≤ 4 S ε Σ|v_i| (worst case, linear; the typical drift is a random walk, far smaller).
    """
    n, steps = 2000, 200
    v = sample_initial("maxwellian", n, 3)
    e0 = float((v * v).sum())
    p0 = v.sum(axis=0)
    dt = DEFAULT_DT
    advance(v, 0.0, steps * dt, gamma=-3.0, h=0.1, dt=dt, seed=9)
    de = abs(float((v * v).sum()) - e0) / e0
    dp = np.abs(v.sum(axis=0) - p0).max()
    assert de <= 10 * steps * EPS, ulps(de * e0, e0)
    assert dp <= 4 * steps * EPS * np.abs(v).sum()


def test_coulomb_tiny_and_zero_relative_velocities_stay_finite() -> None:
    """γ = −3 with pairs at |u| = 0, 1e-300, 1e-150, 1e-30: finite output, conservation kept (uniform regime)."""
    base = np.array([0.3, -1.1, 0.7])
    v = np.array([base, base, base + 1e-300, base, base + 1e-150, base, base + 1e-30, base - 1e-30,
                  [1.0, 0.0, 0.0], [-1.0, 0.5, 0.0]])
    e0 = float((v * v).sum())
    p0 = v.sum(axis=0)
    jumps = advance(v, 0.0, 0.05, gamma=-3.0, h=0.1, dt=0.01, seed=4)
    assert np.all(np.isfinite(v)) and jumps > 0
    assert abs(float((v * v).sum()) - e0) <= 10 * 5 * EPS * e0
    assert np.abs(v.sum(axis=0) - p0).max() <= 4 * 5 * EPS * np.abs(v).sum()


def _with_threads(k: int, fn):
    old = numba.get_num_threads()
    numba.set_num_threads(k)
    try:
        return fn()
    finally:
        numba.set_num_threads(old)


@pytest.mark.skipif(numba.config.NUMBA_NUM_THREADS < 2, reason="needs 2 numba threads")
def test_bitwise_reproducible_threads_and_serial() -> None:
    """Same seed ⇒ bitwise the same state with 1 and 2 threads, and the parallel step loop equals the serial one."""
    n = PARALLEL_MIN_N + 1001  # odd N: one particle sits out each step
    v0 = sample_initial("bimaxwellian:2.0,0.5", n, 1)
    law = fast_law(-3.0, 0.1, 0)
    seg = Segment(np.int64(5), np.int64(2), 0.0, 0.02, 1e-3)

    def run(steps):
        v = v0.copy()
        j = steps(v, np.arange(n), seg, 0, n_steps(0.0, 0.02, 1e-3), law, NO_DEFECT)
        return v, j

    v1, j1 = _with_threads(1, lambda: run(steps_parallel))
    v2, j2 = _with_threads(2, lambda: run(steps_parallel))
    vs, js = run(steps_serial)
    assert j1 == j2 == js
    assert np.array_equal(v1, v2) and np.array_equal(v1, vs)


@pytest.mark.skipif(numba.config.NUMBA_NUM_THREADS < 2, reason="needs 2 numba threads")
@pytest.mark.parametrize("engine", ["fast", "exact"])
def test_ensemble_bitwise_reproducible(engine: str) -> None:
    def run():
        return run_ensemble(-3.0, 0.3, 8, 0.1, replicas=37, engine=engine, snapshots=3, seed=11, block=16,
                            observables=("second_moment", "moment4", "legendre"))

    a, b = _with_threads(1, run), _with_threads(2, run)
    for key in ("second_moment", "second_moment_se", "moment4", "legendre"):
        assert np.array_equal(a[key], b[key])
    assert a["jumps"] == b["jumps"]


@pytest.mark.slow
def test_coulomb_stress_million() -> None:
    """Item 6: γ = −3, h = 0.1, N = 10⁶, t = 1, default Δt: no NaN/inf, energy and momentum drift ≤ 1e-12 relative.

    Momentum is relative to √(N E) (|Σ v| for N independent unit-scale velocities; the initial Σ v is 0 to round-off).
    Prints the drift in ulps and the wall time (reported in the closing note).
    """
    n = 10**6
    v = sample_initial("maxwellian", n, 42)
    e0 = float((v * v).sum())
    p0 = v.sum(axis=0)
    start = time.perf_counter()
    jumps = advance(v, 0.0, 1.0, gamma=-3.0, h=0.1, dt=DEFAULT_DT, seed=42)
    wall = time.perf_counter() - start
    assert np.all(np.isfinite(v))
    e1 = float((v * v).sum())
    dp = float(np.abs(v.sum(axis=0) - p0).max())
    print(f"stress: N={n} jumps={jumps} wall={wall:.1f}s threads={numba.get_num_threads()} "
          f"energy drift={abs(e1 - e0) / e0:.3e} ({ulps(e1 - e0, e0):.0f} ulps of sum|v|^2) "
          f"momentum drift={dp / math.sqrt(n * e0 / n):.3e} ({ulps(dp, math.sqrt(e0)):.0f} ulps of sqrt(sum|v|^2))")
    assert abs(e1 - e0) / e0 <= 1e-12
    assert dp / math.sqrt(e0) <= 1e-12
