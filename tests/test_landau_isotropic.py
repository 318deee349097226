"""Conservative entropic isotropic Landau solver (C7, C8, C11, C12)."""

from __future__ import annotations

import math

import mpmath
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mbc_verify.cli import main as cli_main
from mbc_verify.landau.densities import SmoothedShell
from mbc_verify.landau.isotropic import DEFAULT_N_GRID, IsotropicGrid, solve_isotropic, theta, theta_mp
from mbc_verify.landau.isotropic_kernel import collision_rhs, zeros_like_work

EPS = float(np.finfo(np.float64).eps)
MIXTURE = "mixture:0.5,0.5,0.5,1.5"


def _bkw_available() -> bool:
    try:
        from mbc_verify import derived

        return all(k in derived.keys() for k in ("bkw.A", "bkw.B", "bkw.K", "bkw.K_min", "bkw.K_max"))
    except (ImportError, FileNotFoundError):  # derived.json not exported yet
        return False


needs_bkw = pytest.mark.skipif(not _bkw_available(), reason="derived keys bkw.* not available yet")


def _fit_order(ns: list[int], errs: list[float]) -> tuple[float, float]:
    """Least-squares slope p of log err = c - p log n and its standard error."""
    x, y = np.log(ns), np.log(errs)
    a = np.vstack([np.ones_like(x), -x]).T
    coef, res, *_ = np.linalg.lstsq(a, y, rcond=None)
    dof = len(ns) - 2
    s2 = float(res[0]) / dof if dof > 0 and res.size else 0.0
    cov = s2 * np.linalg.inv(a.T @ a)
    return float(coef[1]), math.sqrt(cov[1, 1])


@pytest.mark.parametrize("gamma", [1.0, 0.0, -1.0, -2.0, -2.5, -3.0])
def test_theta_against_mpmath(gamma: float) -> None:
    """Θ(r, s) in float64 (Gauss–Legendre / closed form) equals the 30-digit quadrature to ~10 ulps."""
    rng = np.random.default_rng(7)
    pts = [(0.05, 8.0), (1.0, 1.0), (1.0, 1.05), (0.3, 0.9), (2.0, 2.0001)] + [tuple(rng.uniform(0.01, 9, 2))
                                                                             for _ in range(12)]
    with mpmath.workdps(30):
        for r, s in pts:
            exact = theta_mp(mpmath.mpf(r), mpmath.mpf(s), gamma)
            got = theta(np.array(r), np.array(s), gamma)
            # closed form loses ≤ ~10x to cancellation where used (docstring); 64 ε bounds it with margin
            assert abs(float((mpmath.mpf(float(got)) - exact) / exact)) < 64 * EPS


# --- semi-discrete structure: conservation, H-theorem identity, Maxwellian equilibrium (C7, C11) -----------


def _rhs(grid: IsotropicGrid, f: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    work = zeros_like_work(f)
    collision_rhs(f, np.log(f), grid.w, grid.rho, grid.dr, grid.inv_omega, 0.5, 1.0, 1e-2, *work)
    return work[0].copy(), work[1].copy(), work[2].copy()


@settings(max_examples=20)
@given(gamma=st.floats(-3.0, 1.0), coeffs=st.lists(st.floats(-0.5, 0.5), min_size=3, max_size=3))
def test_semidiscrete_identities(gamma: float, coeffs: list[float]) -> None:
    """For any positive F: Σ ω dF/dt = 0 and Σ ω r² dF/dt = 0, and dH/dt = Σ ω log F dF/dt equals
    -¼ Δr Σ_ab W_ab 𝔽_a 𝔽_b (D log F_a - D log F_b)² ≤ 0 (module docstring; the identity uses 𝔽 D log F = DF,
    exact for the logarithmic mean up to its own rounding, hence the 1e-12 relative part).

    Round-off bound of the conservation sums: J_a = DF_a (W𝔽)_a - 𝔽_a (W DF)_a is a difference of sums of n
    terms bounded by s_a = |DF_a| (W𝔽)_a + 𝔽_a (W|DF|)_a, so each J_a, and the telescoping sums built from
    J_a/ρ_a (weights 1 and r_{a+1}² ≥ r_a²), are exact up to (n + 3) ε Σ_a s_a/ρ_a (× r_{a+1}² for energy)."""
    grid = IsotropicGrid(64, 9.0, gamma)
    r = grid.r
    f = np.exp(-r * r / 2 + coeffs[0] * np.cos(r) + coeffs[1] * np.sin(r) ** 2 + coeffs[2] * r / (1 + r))
    out, fm, df = _rhs(grid, f)
    scale = np.abs(df) * (grid.w @ fm) + fm * (grid.w @ np.abs(df))
    tol = (grid.n + 3) * EPS
    assert abs(np.sum(grid.omega * out)) <= tol * np.sum(scale / grid.rho)
    assert abs(np.sum(grid.omega * r * r * out)) <= tol * np.sum(scale * r[1:] ** 2 / grid.rho)
    dh = np.sum(grid.omega * np.log(f) * out)
    dl = df / fm
    diss = 0.25 * grid.dr * np.sum(grid.w * np.outer(fm, fm) * (dl[:, None] - dl[None, :]) ** 2)
    logf = np.abs(np.log(f))
    # same round-off model: Σ ω log F dF/dt = ½ Σ_i log F_i (J_i/ρ_i - J_{i-1}/ρ_{i-1})
    assert abs(dh + diss) <= 1e-12 * diss + tol * np.sum(scale * (logf[:-1] + logf[1:]) / grid.rho)
    assert diss >= 0.0


@pytest.mark.parametrize("gamma", [1.0, 0.0, -2.0, -3.0])
def test_discrete_maxwellian_is_stationary(gamma: float) -> None:
    """Q(M, M) = 0 (C11): at F_i ∝ exp(-r_i²/(2T)), D log F is constant and dF/dt vanishes up to round-off.

    Round-off: log F_{a+1} - log F_a ≈ ρΔr/T is formed from logs of size ≤ v_max²/(2T), so D log F carries a
    relative error ~ε v_max²/(ρ_min Δr) ≈ 1e-11 here; compared with a 10 % perturbation's dF/dt the ratio must be
    below 1e-9."""
    grid = IsotropicGrid(200, 10.0, gamma)
    maxw = np.exp(-grid.r ** 2 / 2) * (2 * np.pi) ** -1.5
    eq, _, _ = _rhs(grid, maxw)
    pert, _, _ = _rhs(grid, maxw * (1 + 0.1 * np.cos(grid.r)))
    assert np.max(np.abs(eq)) <= 1e-9 * np.max(np.abs(pert))


# --- acceptance 1: BKW (γ = 0), default grid, second order -------------------------------------------------


def _bkw_errors(n: int) -> dict[str, float]:
    """Largest relative error of ∫|v|⁴ f, entropy and Fisher information against the exact BKW solution."""
    from mbc_verify.landau.maxwell import bkw_solution

    rec = solve_isotropic(0.0, 0.5, init="bkw:0.7", n_grid=n, snapshots=11)
    exact = bkw_solution(0.7, np.array(rec["times"]))
    return {q: float(np.max(np.abs(np.array(rec[q]) / np.array(exact[q]) - 1.0))) for q in ("moment4", "entropy",
                                                                                          "fisher")}


@needs_bkw
def test_bkw_moment4_default_grid_and_order() -> None:
    ns = [50, 100, DEFAULT_N_GRID]
    errs = [_bkw_errors(n) for n in ns]
    assert errs[-1]["moment4"] <= 1e-4, errs  # acceptance 1 at the default grid
    for q in ("moment4", "entropy", "fisher"):
        p, se = _fit_order(ns, [e[q] for e in errs])
        # second-order scheme: the pre-asymptotic fitted slope is 2 - O(1/n) for m4 (measured 1.98 on 50..200,
        # local orders 1.96, 1.99, 2.00 up to n = 400); entropy 2.03, Fisher 2.00
        assert p >= 1.95, (q, p, se, errs)


@needs_bkw
@pytest.mark.slow
def test_bkw_order_fine_grids() -> None:
    ns = [100, 200, 400, 800]
    errs = [_bkw_errors(n)["moment4"] for n in ns]
    p, se = _fit_order(ns, errs)
    assert p >= 1.98, (p, se, errs)


# --- acceptance 2: conservation, entropy and Fisher monotonicity -------------------------------------------


@pytest.fixture(scope="module")
def mixture_runs() -> dict[float, dict[int, dict]]:
    """γ → {n: run} from the mixture on t ∈ [0, 1], 11 output times, n = default grid, /2, /4."""
    return {g: {n: solve_isotropic(g, 1.0, init=MIXTURE, snapshots=11, n_grid=n)
                for n in (DEFAULT_N_GRID, DEFAULT_N_GRID // 2, DEFAULT_N_GRID // 4)}
            for g in (1.0, 0.0, -1.0, -2.0, -3.0)}


@pytest.mark.parametrize("gamma", [-3.0, -2.0, -1.0, 0.0, 1.0])
def test_conservation_and_entropy(mixture_runs, gamma: float) -> None:
    rec = mixture_runs[gamma][DEFAULT_N_GRID]
    mass, energy = np.array(rec["mass"]), np.array(rec["energy"])
    drift_m = np.max(np.abs(mass / mass[0] - 1.0))
    drift_e = np.max(np.abs(energy / energy[0] - 1.0))
    assert drift_m <= 1e-13 and drift_e <= 1e-13, (drift_m / EPS, drift_e / EPS)  # acceptance 2
    h = np.array(rec["entropy"])
    # non-increasing at every output time, up to the round-off of the entropy sum (near equilibrium the
    # true decrease falls below one ulp)
    assert np.all(np.diff(h) <= rec["entropy_roundoff_bound"]), np.diff(h)
    # every single step: an increase only within the round-off bound of the entropy sum
    assert rec["entropy_max_step_increase"] <= rec["entropy_roundoff_bound"]
    assert min(rec["entropy_dissipation"]) >= 0.0


@pytest.mark.parametrize("gamma", [-3.0, -2.0, -1.0, 0.0, 1.0])
def test_fisher_non_increasing(mixture_runs, gamma: float) -> None:
    """I(f_t) non-increasing (Guillén–Silvestre, Acta Math. 234 (2025) 315–375, arXiv:2311.09420, Thm 1.1: its
    assumption is a bound on r|α'(r)|/α(r) which, in the authors' words, "holds for any power-law interaction
    with γ in the usual range [-3, 1]", Coulomb included).

    The discrete I carries an O(Δr²) error c(f_t) Δr² whose variation can exceed the true decrease once f_t is
    near equilibrium (the raw increments at n = 200 turn positive, ~1e-8, for γ = 1 at t ≳ 0.6). The check is
    therefore made on the Richardson-extrapolated increments ΔI_R(n/2, n) = ΔI_n + (ΔI_n - ΔI_{n/2})/3
    (second-order scheme: the Δr² term cancels), each against its own error estimate
    e_k = |ΔI_R(n/2, n) - ΔI_R(n/4, n/2)|: ΔI_R ≤ e_k is "non-increasing within the resolution of the grid study".
    """
    runs = mixture_runs[gamma]
    n = DEFAULT_N_GRID
    d = {m: np.diff(runs[m]["fisher"]) for m in (n, n // 2, n // 4)}
    fine = d[n] + (d[n] - d[n // 2]) / 3.0
    coarse = d[n // 2] + (d[n // 2] - d[n // 4]) / 3.0
    err = np.abs(fine - coarse)
    assert np.all(fine <= err), (fine, err)
    # away from equilibrium the check is sharp: the first increment is a decrease far beyond its error
    assert fine[0] < -100 * err[0]


# --- acceptance 3: hypothesis on drawn isotropic data ------------------------------------------------------


@st.composite
def isotropic_data(draw):  # noqa: ANN001, ANN201
    if draw(st.booleans()):
        k = draw(st.integers(1, 3))
        parts = []
        for _ in range(k):
            parts += [draw(st.floats(0.1, 1.0)), draw(st.floats(0.4, 2.5))]
        return "mixture:" + ",".join(f"{x:.6g}" for x in parts)
    return SmoothedShell(draw(st.floats(0.15, 0.6)))


@settings(max_examples=12)
@given(init=isotropic_data(), gamma=st.sampled_from([1.0, 0.0, -1.0, -2.0, -2.5, -3.0]))
def test_hypothesis_entropy_and_conservation(init, gamma: float) -> None:
    rec = solve_isotropic(gamma, 0.05, init=init, n_grid=96, snapshots=3)
    mass, energy = np.array(rec["mass"]), np.array(rec["energy"])
    assert np.max(np.abs(mass / mass[0] - 1.0)) <= 1e-13
    assert np.max(np.abs(energy / energy[0] - 1.0)) <= 1e-13
    assert rec["entropy_max_step_increase"] <= rec["entropy_roundoff_bound"]
    # a mixture of equal temperatures is the Maxwellian: H is then constant up to round-off
    assert np.all(np.diff(rec["entropy"]) <= rec["entropy_roundoff_bound"])


# --- acceptance 4: mpmath mode ------------------------------------------------------------------------------


@pytest.mark.parametrize("gamma", [-3.0, 0.0])
def test_mpmath_reproduces_float64(gamma: float) -> None:
    kw = dict(init=MIXTURE, n_grid=20, dt=0.005, snapshots=3)
    hi = solve_isotropic(gamma, 0.1, precision="mpmath", **kw)
    lo = solve_isotropic(gamma, 0.1, **kw)
    assert hi["steps"] == lo["steps"] == 20
    # float64 round-off accumulates at most ~ε per operation per step: bound steps · n · ε (relative)
    tol = hi["steps"] * 20 * EPS
    for key in ("mass", "energy", "moment4", "entropy", "fisher"):
        a = np.array([mpmath.mpf(x) for x in hi[key + "_mp"]])
        b = np.array(lo[key])
        rel = max(abs(float((mpmath.mpf(float(y)) - x) / x)) for x, y in zip(a, b, strict=True))
        assert rel <= tol, (key, rel, tol)
    # in 30-digit arithmetic conservation holds to ~1e-28 and the entropy decrease is far above round-off:
    # the float64 behaviour is not an artefact of rounding
    m = [mpmath.mpf(x) for x in hi["mass_mp"]]
    e = [mpmath.mpf(x) for x in hi["energy_mp"]]
    h = [mpmath.mpf(x) for x in hi["entropy_mp"]]
    assert max(abs(x / m[0] - 1) for x in m) < mpmath.mpf("1e-26")
    assert max(abs(x / e[0] - 1) for x in e) < mpmath.mpf("1e-26")
    assert all(b - a < -mpmath.mpf("1e-6") for a, b in zip(h, h[1:], strict=False))
    assert hi["entropy_max_step_increase"] < 0.0


# --- acceptance 5: bad input --------------------------------------------------------------------------------


@pytest.mark.parametrize(("kwargs", "name"), [
    (dict(gamma=1.5), "gamma"), (dict(gamma=float("nan")), "gamma"), (dict(gamma=-3.5), "gamma"),
    (dict(init="mixture:-0.5,1"), "init"), (dict(init="mixture:1,0"), "init"), (dict(init="mixture:1,-2"), "init"),
    (dict(init="shell"), "init"), (dict(init="bimaxwellian:2,0.5"), "init"), (dict(init="nonsense"), "init"),
    (dict(t_end=0.0), "t_end"), (dict(n_grid=4), "n_grid"), (dict(n_grid=2.5), "n_grid"),
    (dict(init=SmoothedShell(0.02), n_grid=40), "n_grid"), (dict(v_max=3.0), "v_max"), (dict(v_max=-1.0), "v_max"),
    (dict(dt=-0.1), "dt"), (dict(dt=0.5), "dt"), (dict(snapshots=1), "snapshots"), (dict(precision="x"), "precision"),
    (dict(mutant="nope"), "mutant"),
])
def test_bad_input_names_parameter(kwargs: dict, name: str) -> None:
    args = dict(gamma=-3.0, t_end=0.1)
    args.update(kwargs)
    with pytest.raises(ValueError, match=rf"^{name}"):
        solve_isotropic(args.pop("gamma"), args.pop("t_end"), **args)


def test_cli_bad_input_exit_2(capsys) -> None:
    assert cli_main(["solve", "--method", "isotropic", "--gamma", "2", "--t-end", "1"]) == 2
    assert cli_main(["solve", "--method", "isotropic", "--gamma", "-3", "--t-end", "1",
                     "--init", "mixture:-1,1"]) == 2
    assert cli_main(["solve", "--method", "maxwell", "--gamma", "-1", "--t-end", "1"]) == 2
    assert cli_main(["solve", "--method", "isotropic", "--gamma", "-3", "--t-end", "1", "--init", "shell"]) == 2
    err = capsys.readouterr().err
    assert "gamma" in err and "init" in err


# --- mutants ------------------------------------------------------------------------------------------------


def test_mutants_are_detected() -> None:
    ok = solve_isotropic(0.0, 0.2, init=MIXTURE, n_grid=100, snapshots=3)
    doubled = solve_isotropic(0.0, 0.2, init=MIXTURE, n_grid=100, snapshots=3, mutant="solver_without_half")
    flipped = solve_isotropic(0.0, 0.2, init=MIXTURE, n_grid=100, snapshots=3, mutant="entropy_sign")
    # γ = 0: m4 - 15 decays like e^{-κ t} (κ = 4 for the ½ of docs/spec.md §1); doubling the operator doubles κ
    k_ok = -math.log((ok["moment4"][-1] - 15) / (ok["moment4"][0] - 15)) / 0.2
    k_dbl = -math.log((doubled["moment4"][-1] - 15) / (doubled["moment4"][0] - 15)) / 0.2
    assert k_dbl / k_ok == pytest.approx(2.0, rel=1e-2)  # O(Δr²) deviation from a pure exponential
    # the flipped friction heats the gas: energy not conserved
    e = np.array(flipped["energy"])
    assert abs(e[-1] / e[0] - 1.0) > 1e-3
