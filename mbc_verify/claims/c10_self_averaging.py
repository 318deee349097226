"""C10: self-averaging — out of equilibrium, the particles' empirical collision coefficients concentrate on the
mean-field ones of the Landau solution, with fluctuations O(N^{-1/2}) (docs/spec.md §1, §6).

The paper (Kai Du, arXiv:2511.09035 v1) states that its proof of propagation of chaos rests on a quantitative
self-averaging principle; this certificate is numerical evidence for the per-particle form below, not a proof.

**Quantities.** Along MBC runs (fast engine, docs/spec.md §3) with snapshots t_k = k T/(K − 1), k = 0 … K − 1, for
every particle i (labels persist along a run) the empirical coefficients

    A_i = (1/N) Σ_j a(v_i − v_j),  a(z) = |z|^{γ+2} Π(z)     (``mbc.observables.collision_coefficient``),
    B_i = (1/N) Σ_j b(v_i − v_j),  b(z) = −2|z|^γ z            (``mbc.observables.drift_coefficient``),

(a(0) = b(0) = 0) are compared with (a ∗ f_t)(v_i), (b ∗ f_t)(v_i) of the Landau solution from the same datum
(:class:`mbc_verify.landau.mean_field.MeanFieldCoefficients`: exact for γ = 0 through the second moment, the
axisymmetric solver otherwise, ~1e-10): e^A_i(t) = A_i − (a ∗ f_t)(v_i), e^B_i likewise, and their time integrals
∫₀^T e_i dt by the trapezoid rule on the snapshots (the same quadrature for both terms: it compares the integrals
of the piecewise-linear interpolants of the snapshot values along particle i's path). Data: ``BIMAX`` and the
isotropic ``MIXTURE`` at γ ∈ {0, −2, −3}, to T = 0.5, 1, 2 respectively (T∥ goes 2 → 1.05, 1.57, 1.66).

**Statistics per replica** (replicas independent; means and standard errors over replicas):
Q^A = mean_i |e^A_i(T)|_F, Q^{∫A} = mean_i |∫ e^A_i|_F, Q^B, Q^{∫B} (Euclidean); the signed
p^A = mean_i P_i : e^A_i(T) with P_i = diag(−½, −½, 1) (the anisotropy of an axial datum) or v_i⊗v_i (isotropic
data: a : ∇²|v|⁴ = 4|v|² tr a + 8 v·a v, and tr A_i is deterministic at γ = −2);
and the weak drift s^B = mean_i ψ(v_i)·e^B_i(T), ψ(v) = |v|² v (the drift term of the generator on |v|⁴/4).

**Checks.**
- Fluctuation exponents: the weighted log-log slope of Q^A and Q^{∫A} in N is −½ within 5 standard errors, every
  case; of Q^B and Q^{∫B} at γ = −2. The mean |e| (not the mean square) is used: at γ = −3, |a| ~ |z|⁻¹ has a finite
  variance, so |e^A| has one, but the standard error of a mean of |e^A|² would need E|a|⁴ = ∞. The reference is the
  plain Landau coefficient (no (N − 1)/N factor); the O(1/N) finite-N corrections below change Q^A by a relative
  O(1/N) (they add to a fluctuation O(N^{−1/2})), a slope bias ≲ 0.01 from N = 64.
- Limit bias: the ensemble means of p^A and s^B extrapolated to N → ∞ by the weighted fit y = y_∞ + c/N
  (:func:`mbc_verify.stats.fit_limit`) vanish within 5 standard errors of y_∞. The c/N term absorbs the O(1/N)
  finite-N corrections, which are not known in closed form out of equilibrium: the missing self-term (A_i sums
  N − 1 terms with the weight 1/N: −(1/N)(a ∗ f)), and the O(1/N) correlations of the exactly conserved momentum
  and energy (at equilibrium they are the cavity correction of :func:`mbc_verify.landau.coefficients.
  conditional_coefficient`; at γ = 0 they cancel the self-term exactly, e^A_i = M(t) − M_N(t) for every i). Measured
  at N = 64 … 512: without the c/N term the means are biased by ≈ 2–4 standard errors at N ≤ 128 (16–32 replicas).
  A rate defect biases y_∞ at O(1): ``rate_doubled`` gives z ≈ 5–10 there.
- Joint path (N_k, h_k) = (N₀ 2^k, h₀ 2^{−k/p}), p = ``PATH_P`` (``BIMAX``, γ = −3): Q^A ∝ N^{−1/2} = C h^{p/2}
  when the O(h²) bias of f_t^h is below the fluctuation (at h₀ = 0.8 estimated ≈ 5 % of Q^A at N₀: a relative rate
  error ≈ h²/3 of a change of a ∗ f of ≈ 0.02); the fitted exponent in h is p/2 within 5 standard errors, and
  along the path the limit biases of p^A and s^B (whose O(h²) part is ∝ 1/N there) vanish as above.

**B at γ = −3 (no exponent check).** b ~ |z|⁻² has the tail P(|b| > x) ~ x^{−3/2}: infinite variance, so
(1/N) Σ_j b(v_i − v_j) lies in the domain of attraction of a 3/2-stable law (its nearest neighbours, at distance
~N^{−1/3}, contribute O(N^{−1/3})), and its per-particle fluctuation is O(N^{−1/3}), not O(N^{−1/2}); measured
(i.i.d. ``BIMAX``, N = 128 … 2048, 16 replicas): slope −0.27 ± 0.02. The per-particle |e^B| then has an infinite
variance too, so no 5σ statement is made from it: its slope is reported. The weak drift s^B sums the pair terms
symmetrically, (ψ(v_i) − ψ(v_j))·b(v_i − v_j) ~ |z|⁻¹, which has a finite variance: its limit bias is certified.
At γ = 0, B_i − (b ∗ f)(v_i) = 2 (1/N) Σ_j v_j = 0 by momentum conservation (reported, max over particles).

Mutants that must fail it (quick profile, measured): ``rate_doubled`` (f_t of the particles runs ahead of the
Landau one: the exponents of A and ∫A and both limit biases), ``rate_without_gamma``, ``one_sided_rotation`` and
``biased_azimuth`` (every check), ``frozen_partners`` (no mean-field mixing: every check but the joint path's).
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Any

import numpy as np

from ..certificate import Check
from ..landau.mean_field import MeanFieldCoefficients
from ..mbc.observables import collision_coefficient, drift_coefficient
from ..stats import fit_limit, fit_power_law, mean_stderr
from .base import Claim, Context
from .common import figure, label, worst
from .registry import register
from .states import named_states

BIMAX = "bimaxwellian:2,0.5"
MIXTURE = "mixture:0.5,0.2,0.5,1.8"
T_END = {0.0: 0.5, -2.0: 1.0, -3.0: 2.0}
CASES = {f"{name} γ={g:g}": {"init": init, "gamma": g, "t_end": T_END[g]}
         for name, init in (("bimax", BIMAX), ("mixture", MIXTURE)) for g in (0.0, -2.0, -3.0)}
PATH_CASE = "bimax γ=-3"
PATH_P = 2.0
SNAPSHOTS = 5
Z_MAX = 5.0
STATS = ("qA", "iA", "qB", "iB", "pA", "sB")
"""Per-replica statistics (module docstring): Q^A, Q^{∫A}, Q^B, Q^{∫B}, p^A, s^B."""


REFERENCE_GRID = {BIMAX: {"n_r": 24, "n_xi": 24, "rtol": 1e-6}, MIXTURE: {"n_r": 40, "n_xi": 8, "rtol": 1e-6}}
"""Axisymmetric-solver grids of the references: (a∗f_t, b∗f_t) within 5e-5 of the default resolution's (~1e-10)
relative to their largest values (measured ≤ 3.5e-6 for a, ≤ 2.6e-5 for b; ``tests/test_landau_mean_field.py``),
below the smallest particle statistic's standard error (≈ 1e-3, the limit biases) by a factor ≥ 20, at about half
the cost of the default grid."""


@lru_cache(maxsize=8)
def mean_field(gamma: float, init: str, t_end: float, mutant: str | None = None) -> MeanFieldCoefficients:
    """The Landau solution's coefficients at the snapshots (one solve per process, case and planted defect of the
    exact Maxwell rates or the axisymmetric solver)."""
    return MeanFieldCoefficients(gamma, init, t_end, SNAPSHOTS, mutant=mutant, **REFERENCE_GRID[init])


def trapezoid_weights(t_end: float) -> np.ndarray:
    """Trapezoid weights on the snapshots linspace(0, t_end, SNAPSHOTS)."""
    w = np.full(SNAPSHOTS, t_end / (SNAPSHOTS - 1))
    w[[0, -1]] *= 0.5
    return w


def projection(init: str, v: np.ndarray) -> np.ndarray:
    """P_i of p^A = mean_i P_i : e^A_i at the velocities v (N × 3): the anisotropy diag(−½, −½, 1) for the axial
    datum; v_i⊗v_i for isotropic data (the trace would be deterministic at γ = −2, where tr a(z) = 2 for z ≠ 0)."""
    if init == BIMAX:
        return np.broadcast_to(np.diag([-0.5, -0.5, 1.0]), (v.shape[0], 3, 3))
    return v[:, :, None] * v[:, None, :]


def replica_errors(states: np.ndarray, gamma: float, coeffs: list, weights: np.ndarray,
                   init: str) -> tuple[np.ndarray, float]:
    """(the statistics ``STATS`` of one replica, max_i |e^B_i| over the snapshots) from its states (K × N × 3) and
    the mean-field coefficients (a_k, b_k) at its particles for every snapshot k."""
    int_a = np.zeros(coeffs[0][0].shape)
    int_b = np.zeros(coeffs[0][1].shape)
    b_max = 0.0
    for k, (a, b) in enumerate(coeffs):
        v = np.ascontiguousarray(states[k])
        e_a = collision_coefficient(v, gamma) - a
        e_b = drift_coefficient(v, gamma) - b
        int_a += weights[k] * e_a
        int_b += weights[k] * e_b
        b_max = max(b_max, float(np.max(np.abs(e_b))))
    v = states[-1]
    psi = np.sum(v * v, axis=1)[:, None] * v
    out = [np.mean(np.sqrt(np.sum(e_a**2, axis=(1, 2)))), np.mean(np.sqrt(np.sum(int_a**2, axis=(1, 2)))),
           np.mean(np.sqrt(np.sum(e_b**2, axis=1))), np.mean(np.sqrt(np.sum(int_b**2, axis=1))),
           np.mean(np.einsum("nab,nab->n", e_a, projection(init, v))), np.mean(np.sum(psi * e_b, axis=1))]
    return np.array(out), b_max


def unit_errors(case: str, n: int, h: float, replicas: int, seed: int, mutant: str | None) -> dict:
    """The per-replica statistics (replicas × len(STATS)) of one (case, N, h), and max |e^B|."""
    c = CASES[case]
    mf = mean_field(c["gamma"], c["init"], c["t_end"], mutant)
    _, states = named_states(c["gamma"], h, n, c["t_end"], replicas=replicas, init=c["init"], snapshots=SNAPSHOTS,
                             seed=seed, mutant=mutant)
    refs = [mf.at(k, states[:, k].reshape(-1, 3)) for k in range(SNAPSHOTS)]
    weights = trapezoid_weights(c["t_end"])
    rows, b_max = [], 0.0
    for r in range(replicas):
        sl = slice(r * n, (r + 1) * n)
        stats, bm = replica_errors(states[r], c["gamma"], [(a[sl], b[sl]) for a, b in refs], weights, c["init"])
        rows.append(stats)
        b_max = max(b_max, bm)
    return {"case": case, "n": n, "h": h, "stats": np.array(rows), "b_max": b_max}


def series(units: list[dict], x_key: str = "n") -> dict:
    """Means and standard errors of every statistic over N (or h), the log-log slopes of Q^A, Q^{∫A}, Q^B, Q^{∫B}
    in ``x_key`` and the N → ∞ limits of p^A and s^B."""
    x = np.array([u[x_key] for u in units], dtype=float)
    ns = np.array([u["n"] for u in units], dtype=float)
    mean = np.array([mean_stderr(u["stats"])[0] for u in units])
    se = np.array([mean_stderr(u["stats"])[1] for u in units])
    out: dict[str, Any] = {"x": x, "n": ns, "mean": mean, "se": se, "b_max": max(u["b_max"] for u in units)}
    for j, name in enumerate(STATS[:4]):
        fit = fit_power_law(x, mean[:, j], se[:, j] / mean[:, j])
        out[f"slope_{name}"], out[f"slope_se_{name}"] = fit.slope, fit.slope_stderr
    for j, name in ((4, "pA"), (5, "sB")):
        if np.all(se[:, j] > 0):
            lim = fit_limit(ns, mean[:, j], se[:, j])
            out[f"limit_{name}"], out[f"limit_se_{name}"], out[f"chi2_{name}"] = lim.limit, lim.limit_stderr, lim.chi2
    return out


def exponent_check(name: str, key: str, d: dict, stat: str, expected: float, what: str) -> Check:
    """|fitted slope of the statistic − expected| ≤ 5 standard errors."""
    return Check(name, d[f"slope_{stat}"], expected, Z_MAX * d[f"slope_se_{stat}"], "abs",
                 f"{Z_MAX:g} standard errors of the weighted log-log slope (each point's error: the standard error "
                 "over independent replicas)", f"{key}: fitted exponent of {what}")


def limit_check(name: str, key: str, d: dict, stat: str, what: str) -> Check:
    """|N → ∞ limit of the mean of the statistic| ≤ 5 standard errors of that limit."""
    return Check(name, d[f"limit_{stat}"], 0.0, Z_MAX * d[f"limit_se_{stat}"], "abs",
                 f"{Z_MAX:g} standard errors of the intercept of the weighted fit y = y_∞ + c/N (the c/N term absorbs "
                 "the O(1/N) finite-N corrections, module docstring)", f"{key}: N → ∞ limit of the mean of {what}")


def _exponent_checks(data: dict) -> list[Check]:
    cases = data["cases"]
    qa = [exponent_check("A", k, d, "qA", -0.5, "Q^A = E|A_i − (a∗f_T)(v_i)|_F in N") for k, d in cases.items()]
    ia = [exponent_check("∫A", k, d, "iA", -0.5, "E|∫(A_i − a∗f_t(v_i)) dt|_F in N") for k, d in cases.items()]
    qb = [exponent_check("B", k, d, s, -0.5, f"{'E|B_i − (b∗f_T)(v_i)|' if s == 'qB' else 'E|∫(B_i − b∗f_t) dt|'}"
                         " in N") for k, d in cases.items() if CASES[k]["gamma"] == -2.0 for s in ("qB", "iB")]
    path = data["path"]
    return [worst(qa, "fluctuation exponent of A (worst case)"),
            worst(ia, "fluctuation exponent of ∫A dt (worst case)"),
            worst(qb, "fluctuation exponent of B and ∫B dt, γ = −2 (worst)"),
            exponent_check("joint path: exponent of Q^A in h", f"{PATH_CASE}, (N, h) = (N₀2^k, h₀2^(−k/{PATH_P:g}))",
                           path, "qA", PATH_P / 2, "Q^A in h along the path (expected p/2)")]


def _limit_checks(data: dict) -> list[Check]:
    rows = {**data["cases"], f"{PATH_CASE} joint path": data["path"]}
    pa = [limit_check("p", k, d, "pA", "p^A = mean_i P_i:(A_i − a∗f_T(v_i))") for k, d in rows.items()]
    sb = [limit_check("s", k, d, "sB", "s^B = mean_i |v_i|² v_i·(B_i − b∗f_T(v_i))") for k, d in rows.items()
          if "limit_sB" in d]
    return [worst(pa, "limit bias of A (worst case)"), worst(sb, "limit bias of the weak drift (worst case)")]


@register
class SelfAveraging(Claim):
    """C10 (module docstring)."""

    claim_id = "C10"
    uses = ("mbc", "maxwell", "axisymmetric")
    catches = ("one_sided_rotation", "biased_azimuth", "rate_doubled", "rate_without_gamma", "frozen_partners")
    sizes = {"quick": {"n": [64, 128, 256, 512], "replicas": {"gamma=0": 16, "gamma<0": 12}, "h": 0.1,
                       "path_n0": 64, "path_h0": 0.8, "path_steps": 4, "path_replicas": 12},
             "full": {"n": [128, 256, 512, 1024, 2048], "replicas": {"gamma=0": 128, "gamma<0": 48}, "h": 0.1,
                      "path_n0": 128, "path_h0": 0.8, "path_steps": 5, "path_replicas": 48}}
    primary = "fluctuation exponent of A (worst case)"

    def units(self, ctx: Context) -> dict[str, dict[str, Any]]:
        s = ctx.sizes
        out = {f"{case} N={n}": {"case": case, "n": n, "h": s["h"], "seed_offset": 100 * c + k}
               for c, case in enumerate(CASES) for k, n in enumerate(s["n"])}
        for k in range(s["path_steps"]):
            n, h = s["path_n0"] * 2**k, s["path_h0"] * 2.0 ** (-k / PATH_P)
            out[f"path N={n}"] = {"case": PATH_CASE, "n": n, "h": h, "seed_offset": 1000 + k, "path": True}
        return out

    def run_unit(self, ctx: Context, **params: Any) -> dict:
        s = ctx.sizes
        gamma = CASES[params["case"]]["gamma"]
        replicas = (s["path_replicas"] if params.get("path") else
                    s["replicas"]["gamma=0" if gamma == 0.0 else "gamma<0"])
        return unit_errors(params["case"], params["n"], params["h"], replicas, ctx.seed + params["seed_offset"],
                           ctx.mutant)

    def combine(self, ctx: Context, results: Mapping[str, Any]) -> dict:
        cases = {case: series([results[f"{case} N={n}"] for n in ctx.sizes["n"]]) for case in CASES}
        path = series([v for k, v in results.items() if k.startswith("path ")], x_key="h")
        return {"cases": cases, "path": path}

    def checks(self, ctx: Context, data: dict) -> list[Check]:
        return [*_exponent_checks(data), *_limit_checks(data)]

    def figure(self, ctx: Context, data: dict) -> Any:
        fig, ax = figure(1, 3)
        for key, d in data["cases"].items():
            line = ax[0, 0].errorbar(d["n"], d["mean"][:, 0], Z_MAX * d["se"][:, 0], fmt="o-", ms=3, capsize=2,
                                     label=f"{key}: {d['slope_qA']:.2f}±{d['slope_se_qA']:.2f}")[0]
            ax[0, 1].plot(d["n"], d["mean"][:, 2], "s--", ms=3, color=line.get_color(),
                          label=f"{key}: {d['slope_qB']:.2f}" if CASES[key]["gamma"] != 0.0 else None)
            ax[0, 2].errorbar(d["n"], d["mean"][:, 4], Z_MAX * d["se"][:, 4], fmt="o-", ms=3, capsize=2,
                              color=line.get_color(), label=key)
        label(ax[0, 0], "N", "Q^A = E|A_i − a∗f_T(v_i)|_F (±5σ); fitted exponents", log=True, legend=5)
        label(ax[0, 1], "N", "Q^B = E|B_i − b∗f_T(v_i)| (γ = −3: stable-law tail, see docstring)", log=True,
              legend=5)
        ax[0, 2].set_xscale("log")
        label(ax[0, 2], "N", "p^A = mean_i P:(A_i − a∗f_T(v_i)) (±5σ; its N → ∞ limit must vanish)", legend=5)
        return fig

    def details(self, ctx: Context, data: dict) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, d in {**data["cases"], "joint path": data["path"]}.items():
            out[key] = {k: (v.tolist() if isinstance(v, np.ndarray) else v) for k, v in d.items()
                        if k not in ("mean", "se")}
            out[key].update({f"mean_{s}": d["mean"][:, j].tolist() for j, s in enumerate(STATS)})
            out[key].update({f"se_{s}": d["se"][:, j].tolist() for j, s in enumerate(STATS)})
        out["gamma=0: max |B_i − b∗f(v_i)| (= 2|P_N|, 0 by momentum conservation)"] = max(
            d["b_max"] for k, d in data["cases"].items() if CASES[k]["gamma"] == 0.0)
        out.update(snapshots=SNAPSHOTS, t_end={f"{g:g}": t for g, t in T_END.items()}, engine="fast",
                   path_p=PATH_P, bimax=BIMAX, mixture=MIXTURE)
        return out

    def seeds(self, ctx: Context) -> list[int]:
        return [ctx.seed + u["seed_offset"] for u in self.units(ctx).values()]

