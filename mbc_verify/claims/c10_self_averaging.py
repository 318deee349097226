"""C10: self-averaging of the empirical collision coefficient (docs/spec.md §1, §6).

Along MBC runs (fast engine, docs/spec.md §3) started at equilibrium (i.i.d. Maxwellian, T = 1, energy 3, so f_t = M
for the Landau flow), the per-particle empirical coefficient

    A_i = (1/N) Σ_j a(v_i − v_j),    a(z) = |z|^{γ+2} Π(z),  a(0) = 0  (``observables.collision_coefficient``)

approaches its mean-field value (a ∗ f_t)(v_i), with a fluctuation variance O(1/N).

Normalisation. The self-term j = i vanishes (a(0) = 0), so A_i sums N − 1 terms with the weight 1/N: for
independent particles of law f, E[A_i | v_i] = ((N−1)/N) (a ∗ f)(v_i). MBC particles are not independent: the
energy 3N and momentum 0 are exact constants of the motion (and the initial data are normalised to them), and at
equilibrium the state is uniform on that sphere. Given v_i, the other N − 1 velocities are then uniform on the
sphere {Σ_{j≠i} v_j = −v_i, Σ_{j≠i} |v_j|² = 3N − |v_i|²}: each has the exact mean −v_i/(N−1) and, after that shift,
an isotropic covariance T_i' I with T_i' = (3N − |v_i|² N/(N−1))/(3(N−1)). The reference is therefore
((N−1)/N) · (a ∗ M_{T_i'})(v_i N/(N−1)) (the Gaussian with these two moments; exact conditional mean for γ = 0,
where a is quadratic; for γ = −3 correct to O(1/N) up to the sphere marginal's non-Gaussian cumulants, O(1/N)).
The plain ((N−1)/N)(a ∗ M)(v_i) differs from it by O((1 + |v_i|²)/N), which at γ = 0, N = 64 is ≈ 30 % of the
fluctuation and would bias the fitted slope; its slope is reported for comparison.
The error compared is e_i = A_i − reference_i; the reference is
:func:`mbc_verify.landau.coefficients.conditional_coefficient` (``cavity=True``; ``cavity=False`` the plain one).

Mean-field values (T = 1):
- γ = 0: a(z) = |z|² I − z⊗z and (a ∗ M_T)(v) = (|v|² + 2T) I − v⊗v (E|v − w|² = |v|² + 3T,
  E(v − w)⊗(v − w) = v⊗v + T I for w ~ N(0, T I); checked symbolically in the tests).
- γ = −3: for isotropic f, (a ∗ f)(v) = α(r) Π(v̂) + β(r) v̂⊗v̂, r = |v|. Since a(z) = ∇²|z| for γ = −3,
  a ∗ f = ∇² g with the Rosenbluth potential g = |·| ∗ f, whose angular average gives, with F(s) the radial
  density, g'(r) = 4π[∫_0^r s²F (1 − s²/(3r²)) ds + ∫_r^∞ (2r/3) s F ds], α = g'/r, and
  tr(a ∗ f) = Δg = 2 (|·|⁻¹ ∗ f) = 8π[(1/r)∫_0^r s²F ds + ∫_r^∞ sF ds] (Newton), β = tr − 2α.
  The radial integrals are evaluated by mpmath quadrature on a grid and interpolated (cubic spline, error
  ≪ 10⁻⁶). Both in :mod:`mbc_verify.landau.coefficients`.

Statistic per N: Q_N = E[|e_i|_F], the mean size of the fluctuation, estimated by the mean over the N particles
and R replicas (standard error from the spread of the per-replica means). A variance O(1/N) means Q_N ∝ N^{-1/2}.
The mean absolute error (rather than the mean square) is used because for γ = −3, a ~ |z|⁻¹ makes |e_i|² have
a finite mean but an infinite variance (E|z|⁻⁴ = ∞ in R³), which would invalidate its standard error, while |e_i|
has a finite variance (tail P(|e_i| > x) ~ x⁻³). Certified: the fitted slope of log Q_N vs log N (weighted,
known errors) equals −½ within 5 standard errors, for both γ.

Sizes N ≥ 256. For γ = −3 the summands ξ_j = a(v_i − v_j) have |ξ| ~ |z|⁻¹ with the tail P(|ξ| > x) ~ x⁻³ (a
log-divergent third moment), so the central limit theorem sets in slowly: √N·E|e_i| approaches its limit with a
relative correction O(N^{-1/2}) (the part of the variance carried by pairs closer than ~N^{-1/2} is missed by a
typical configuration), which flattens the slope fitted from small N: measured
(N = 64 … 2048, 32 replicas, two seeds) −0.473 ± 0.006 and −0.478 ± 0.007 from N = 64 against −0.498 ± 0.011 and
−0.482 ± 0.013 from N = 256. From N = 256 on, the local slope is −½ + O(N^{-1/2}) ≈ −½ + 0.01.

Units: one per (γ, N). Checks: the headline (the γ farther from −½ in standard errors) and one per γ.

Mutants: ``one_sided_rotation`` (energy not conserved: f_t drifts away from M, the error stops decaying) and
``biased_azimuth`` (an anisotropic kernel: the state leaves the equilibrium M, the slope of γ = 0 leaves −½).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from ..certificate import Check
from ..landau.coefficients import conditional_coefficient
from ..mbc.ensemble import ensemble_states
from ..mbc.observables import collision_coefficient
from ..stats import fit_power_law, mean_stderr
from .base import Claim, Context
from .common import figure, worst
from .registry import register

GAMMAS = (0.0, -3.0)
Z_MAX = 5.0


def mean_fluctuations(v: np.ndarray, gamma: float) -> tuple[float, float]:
    """(mean_i |e_i|_F with the cavity reference, the same with the plain ((N−1)/N) reference) of one state."""
    v = np.ascontiguousarray(v, dtype=float)
    emp = collision_coefficient(v, gamma)
    return tuple(float(np.mean(np.sqrt(np.sum((emp - conditional_coefficient(v, gamma, cav)) ** 2, axis=(1, 2)))))
                 for cav in (True, False))


def fluctuation_size(gamma: float, n: int, replicas: int, t_end: float, h: float, seed: int,
                     mutant: str | None) -> dict:
    """Q_N and its standard error (over replicas) at t_end, and Q_N with the plain reference, for one (γ, N)."""
    _, states = ensemble_states(gamma, h, n, t_end, replicas=replicas, init="maxwellian", snapshots=2, seed=seed,
                                mutant=mutant)
    sizes = np.array([mean_fluctuations(states[r, -1], gamma) for r in range(replicas)])
    q, q_se = mean_stderr(sizes[:, 0])
    return {"gamma": gamma, "n": n, "Q": float(q), "Q_se": float(q_se), "Q_plain_reference": float(sizes[:, 1].mean())}


def slope_fit(rows: list[dict]) -> dict:
    """The weighted log-log fits of Q_N (and of the plain-reference Q_N, same weights) against N for one γ."""
    nn = np.array([r["n"] for r in rows], dtype=float)
    q, q_se, q_plain = (np.array([r[k] for r in rows]) for k in ("Q", "Q_se", "Q_plain_reference"))
    fit = fit_power_law(nn, q, q_se / q)
    return {"n": nn, "Q": q, "Q_se": q_se, "Q_plain_reference": q_plain, "slope": fit.slope,
            "slope_se": fit.slope_stderr, "intercept": fit.intercept,
            "slope_plain_reference": fit_power_law(nn, q_plain, q_se / q).slope}


@register
class SelfAveraging(Claim):
    """C10 (module docstring)."""

    claim_id = "C10"
    uses = ("mbc",)
    catches = ("one_sided_rotation", "biased_azimuth")
    # N ≥ 256: module docstring. γ = 0: the error A_i − ā(v_i) is the same for every i (= I − M up to O(1/N)),
    # one number per replica, hence more replicas
    sizes = {"quick": {"n": [256, 512, 1024, 2048], "replicas": {"gamma=0": 32, "gamma=-3": 16}, "t_end": 0.5,
                       "h": 0.3, "init": "maxwellian", "engine": "fast"},
             "full": {"n": [256, 512, 1024, 2048, 4096], "replicas": {"gamma=0": 200, "gamma=-3": 100}, "t_end": 1.0,
                      "h": 0.3, "init": "maxwellian", "engine": "fast"}}
    primary = "fitted exponent of Q_N (worst γ)"

    def units(self, ctx: Context) -> dict[str, dict[str, Any]]:
        return {f"gamma={g:g} N={n}": {"gamma": g, "n": n, "seed_offset": 100 * col + k}
                for col, g in enumerate(GAMMAS) for k, n in enumerate(ctx.sizes["n"])}

    def run_unit(self, ctx: Context, **params: Any) -> dict:
        s = ctx.sizes
        g = params["gamma"]
        return fluctuation_size(g, params["n"], s["replicas"][f"gamma={g:g}"], s["t_end"], s["h"],
                                ctx.seed + params["seed_offset"], ctx.mutant)

    def combine(self, ctx: Context, results: Mapping[str, Any]) -> dict:
        return {f"gamma={g:g}": slope_fit([r for r in results.values() if r["gamma"] == g]) for g in GAMMAS}

    def checks(self, ctx: Context, data: dict) -> list[Check]:
        per_gamma = [Check(f"fitted exponent of Q_N, {key.replace('gamma=', 'γ = ')}", d["slope"], -0.5,
                           Z_MAX * d["slope_se"], "abs",
                           "5 standard errors of the weighted log-log slope; each Q_N's error is the standard error "
                           "over independent replicas",
                           f"fitted exponent p of Q_N ∝ N^p, {key}: Q_N = E|A_i − E[A_i | v_i]|_F with the "
                           "mean-field (a∗f_t), f_t = M, at the exact conditional moments (docstring); fluctuation "
                           "variance O(1/N) ⇔ p = −1/2") for key, d in data.items()]
        return [worst(per_gamma, self.primary), *per_gamma]

    def figure(self, ctx: Context, data: dict) -> Any:
        fig, ax = figure(1, 2)
        for col, (key, d) in enumerate(data.items()):
            a = ax[0, col]
            a.errorbar(d["n"], d["Q"], yerr=Z_MAX * d["Q_se"], fmt="o", capsize=2, label="Q_N (±5σ)")
            a.loglog(d["n"], np.exp(d["intercept"]) * d["n"] ** d["slope"], "k--",
                     label=f"fit N^{d['slope']:.3f} ± {d['slope_se']:.3f}")
            a.set_xlabel("N")
            a.set_ylabel("E |A_i − E[A_i | v_i]|_F  (mean-field, docstring)")
            a.set_title(key.replace("gamma=", "γ = "), fontsize=8)
            a.legend(fontsize=7)
        return fig

    def details(self, ctx: Context, data: dict) -> dict[str, Any]:
        return {key: {"Q_sqrtN": (d["Q"] * np.sqrt(d["n"])).tolist(), "slope": d["slope"],
                      "slope_plain_reference": d["slope_plain_reference"], "slope_se": d["slope_se"]}
                for key, d in data.items()}

    def seeds(self, ctx: Context) -> list[int]:
        return [ctx.seed + 100 * c + k for c in range(len(GAMMAS)) for k in range(len(ctx.sizes["n"]))]
