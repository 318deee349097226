"""C1: each MBC jump conserves momentum and energy (docs/spec.md §3, §6).

Three pieces of evidence, all required for a pass:

1. **Symbolic identity** (sympy): with c = (v_i + v_j)/2, u = v_i − v_j and u' = cos θ u + sin θ |u| n for a unit n ⊥ u,
   v_i' + v_j' = 2c and |v_i'|² + |v_j'|² − |v_i|² − |v_j|² = (|u'|² − |u|²)/2 = 0.
2. **float64 drift** along long jump sequences (:func:`mbc_verify.mbc.probes.drift_walks`: the engines' single
   jump routine :func:`mbc_verify.mbc.kernel.random_jump`, random pairs, counter-based RNG): the total energy,
   evaluated with an error-free dot product (:func:`mbc_verify.exact_sums.exact_energy`, Ogita–Rump–Oishi Dot2,
   error below one ulp), drifts like a random walk of round-off errors. Certified: (a) every jump changes the
   energy by at most ``PER_JUMP_ULPS`` ulps of the pair's energy (the round-off bound below), and (b) the RMS drift
   over replicas grows like jumps^p with the fitted p = ½ within 5 standard errors (known errors: the RMS of R
   replicas has relative sd 1/√(2R)), fitted over the checkpoints where it is ≥ 4 ulps (above the measurement
   floor).
3. **Precision re-run** (:func:`mbc_verify.mbc.probes.mpmath_replay`): the first jumps of replica 0 replayed with
   the same random numbers in mpmath at 30 digits drift by ≤ 10⁻²⁵ relative — the float64 drift is round-off, not
   a defect of the formula.

Round-off bound for one jump (float64, no fastmath, unit round-off ε = 2⁻⁵³): c and u carry one rounding per
component, |u| and the frame a few (relative error ≤ 6ε), u' = cos θ u + sin θ |u| n three more, and
v' = c ± u'/2 one more per component; each rounding of a component x perturbs |v'|² by ≤ 2ε|x|². Summing, the pair
energy changes by ≤ 16 ε (|v_i|² + |v_j|² + |u|²) ≤ 48 ε (|v_i|² + |v_j|²); ``PER_JUMP_ULPS`` = 96 ulps of the pair
energy (an ulp of x is ≥ ε|x|) is therefore a safe bound, and the measured maximum is reported beside it.

Mutants that must fail it: ``one_sided_rotation`` (a jump moves only v_i: the pair energy changes at O(h), far
above the per-jump bound, and the energy drift is not a fittable random walk), ``textbook_rotation``
(|u'|² = (cos²h + sin²h)|u|² in float64: a systematic drift of about an ulp per jump, RMS ∝ jumps¹, not a random
walk ∝ jumps^½).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import sympy as sp

from ..certificate import Check
from ..mbc.probes import drift_walks, mpmath_replay
from ..stats import fit_power_law
from .base import Claim, Context
from .common import figure
from .registry import register

PER_JUMP_ULPS = 96.0
H = 0.3  # rotation angle of the drift runs (conservation does not depend on the rate, only on the jump)
N_PARTICLES = 16
MP_DIGITS = 30
REPLICA_BLOCK = 4
"""Replicas per unit of the drift walks (units run in parallel on a cluster)."""
MP_BOUND = 1e-25
FLOOR_ULPS = 4.0  # the RMS drift is fitted only where it has left the measurement floor
Z_MAX = 5.0


def symbolic_identity() -> bool:
    """Whether sympy reduces both conservation residuals of a jump to zero (given n ⊥ u, |n| = 1)."""
    ux, uy, uz, cx, cy, cz, th, phi = sp.symbols("u_x u_y u_z c_x c_y c_z theta phi", real=True)
    u = sp.Matrix([ux, uy, uz])
    c = sp.Matrix([cx, cy, cz])
    r = sp.sqrt(ux**2 + uy**2 + uz**2)
    # an explicit orthonormal pair ⊥ u (valid where ux² + uy² > 0; the identity is polynomial, so it extends)
    rho = sp.sqrt(ux**2 + uy**2)
    e1 = sp.Matrix([-uy, ux, 0]) / rho
    e2 = u.cross(e1) / r
    n = sp.cos(phi) * e1 + sp.sin(phi) * e2
    up = sp.cos(th) * u + sp.sin(th) * r * n
    vi, vj = c + u / 2, c - u / 2
    vip, vjp = c + up / 2, c - up / 2
    momentum = sp.simplify(vip + vjp - vi - vj)
    energy = sp.simplify(sp.expand(vip.dot(vip) + vjp.dot(vjp) - vi.dot(vi) - vj.dot(vj)))
    return momentum == sp.zeros(3, 1) and energy == 0


def initial_states(seed: int, replicas: int, n: int) -> np.ndarray:
    """Gaussian velocities, centred, scaled to energy (1/N)Σ|v|² = 3 (docs/spec.md §8 normalisation)."""
    rng = np.random.default_rng([seed, 1])
    v = rng.standard_normal((replicas, n, 3))
    v -= v.mean(axis=1, keepdims=True)
    v *= np.sqrt(3.0 * n / (v**2).sum(axis=(1, 2)))[:, None, None]
    return v


def checkpoints(total: int) -> np.ndarray:
    """Jump counts at which the drift is measured: 11 log-spaced counts from 100 to ``total``."""
    return np.unique(np.logspace(2, math.log10(total), 11).astype(np.int64))


def drift_block(seed: int, replicas: int, first: int, count: int, total: int, mutant: str | None) -> dict:
    """The walks of replicas first … first + count − 1 (of ``replicas``): energy and momentum drifts at the
    checkpoints (R × checkpoints) and the per-jump maxima."""
    v0 = initial_states(seed, replicas, N_PARTICLES)[first:first + count]
    de, dp, worst = drift_walks(v0, seed, checkpoints(total), H, mutant, first)
    return {"de": de, "dp": dp, "worst": worst}


def drift_part(blocks: list[dict], replicas: int, total: int) -> dict:
    """Sub-check 2 from the replica blocks (in replica order): RMS drifts over replicas (ulps of E = 3N and of √E),
    the per-jump maximum and the fitted exponent of the energy drift (NaN when fewer than three checkpoints are
    above the floor or one is not finite)."""
    cps = checkpoints(total)
    de = np.concatenate([b["de"] for b in blocks])
    dp = np.concatenate([b["dp"] for b in blocks])
    worst = np.concatenate([b["worst"] for b in blocks])
    e_scale = np.array([np.spacing(3.0 * N_PARTICLES)])[0]
    with np.errstate(over="ignore", invalid="ignore"):  # a planted defect may blow the energy up: inf then fails
        rms = np.sqrt((de**2).mean(axis=0)) / e_scale  # ulps of the total energy 3N
        rms_p = np.sqrt((dp**2).mean(axis=0)) / np.spacing(math.sqrt(3.0 * N_PARTICLES))
    # fit only where the drift has left the measurement floor and is a genuine random walk
    use = np.isfinite(rms) & (rms >= FLOOR_ULPS)
    slope = slope_se = intercept = math.nan
    if use.sum() >= 3 and np.all(np.isfinite(rms)):
        fit = fit_power_law(cps[use], rms[use], np.full(int(use.sum()), 1.0 / math.sqrt(2 * replicas)))
        slope, slope_se, intercept = fit.slope, fit.slope_stderr, fit.intercept
    return {"checkpoints": cps, "rms_energy_ulps": rms, "rms_momentum_ulps": rms_p,
            "final_energy_drift_ulps": np.abs(de[:, -1]) / e_scale, "per_jump_max_eps_units": worst,
            "per_jump_max": float(worst.max()), "fitted_checkpoints": int(use.sum()), "slope": slope,
            "slope_stderr": slope_se, "intercept": intercept}


def replay_part(seed: int, replicas: int, jumps: int) -> dict:
    """Sub-check 3: replica 0's first ``jumps`` jumps replayed at ``MP_DIGITS`` digits."""
    v0 = initial_states(seed, replicas, N_PARTICLES)[0]
    mp_e, mp_p = mpmath_replay(v0, seed, jumps, H, MP_DIGITS)
    return {"mpmath_energy_drift": mp_e, "mpmath_momentum_drift": mp_p}


@register
class Conservation(Claim):
    """C1 (module docstring)."""

    claim_id = "C1"
    uses = ("mbc",)
    catches = ("one_sided_rotation", "textbook_rotation")
    sizes = {"quick": {"replicas": 16, "jumps_per_replica": 10**7, "mpmath_replay_jumps": 500},
             "full": {"replicas": 32, "jumps_per_replica": 10**8, "mpmath_replay_jumps": 5000}}
    primary = "energy drift exponent"
    formula_checks = ("symbolic identity",)

    def units(self, ctx: Context) -> dict[str, dict[str, Any]]:
        out: dict[str, dict[str, Any]] = {"symbolic": {"part": "symbolic"}, "replay": {"part": "replay"}}
        for first in range(0, ctx.sizes["replicas"], REPLICA_BLOCK):
            out[f"drift replicas {first}-{first + REPLICA_BLOCK - 1}"] = {"part": "drift", "first": first}
        return out

    def run_unit(self, ctx: Context, **params: Any) -> dict:
        s = ctx.sizes
        if params["part"] == "symbolic":
            return {"symbolic_identity": symbolic_identity()}
        if params["part"] == "drift":
            count = min(REPLICA_BLOCK, s["replicas"] - params["first"])
            return drift_block(ctx.seed, s["replicas"], params["first"], count, s["jumps_per_replica"], ctx.mutant)
        return replay_part(ctx.seed, s["replicas"], s["mpmath_replay_jumps"])

    def combine(self, ctx: Context, results: Mapping[str, Any]) -> dict:
        blocks = [v for k, v in results.items() if k.startswith("drift")]
        drift = drift_part(blocks, ctx.sizes["replicas"], ctx.sizes["jumps_per_replica"])
        return {**results["symbolic"], **results["replay"], **drift}

    def checks(self, ctx: Context, data: dict) -> list[Check]:
        mp_source = (f"round-off of the {MP_DIGITS}-digit replay: ~10^-{MP_DIGITS} per operation, a few hundred "
                     "operations per jump, accumulated as a random walk, stays orders of magnitude below "
                     f"{MP_BOUND:g}; a defect of the jump formula drifts at O(h²)")
        return [
            Check(self.primary, data["slope"], 0.5, Z_MAX * data["slope_stderr"], "abs",
                  f"{Z_MAX:g} standard errors of the weighted log-log slope; each point's RMS over R replicas has "
                  "relative sd 1/sqrt(2R) (chi-square); fitted where the RMS is ≥ "
                  f"{FLOOR_ULPS:g} ulps", "fitted exponent p of RMS energy drift ∝ jumps^p (float64, error-free "
                  "measurement)"),
            Check.flag("symbolic identity", data["symbolic_identity"],
                       "sympy: both conservation residuals of a jump simplify to 0 (n ⊥ u, |n| = 1)"),
            Check("max per-jump energy change", data["per_jump_max"], 0.0, PER_JUMP_ULPS, "abs",
                  f"round-off bound {PER_JUMP_ULPS:g} ε·(pair energy) of one jump, derived in the module docstring",
                  "max over jumps of |ΔE_pair| / (ε E_pair), ε = 2^-53"),
            Check("mpmath replay energy drift", data["mpmath_energy_drift"], 0.0, MP_BOUND, "abs", mp_source,
                  "max |E − E₀| / E₀ along the replay"),
            Check("mpmath replay momentum drift", data["mpmath_momentum_drift"], 0.0, MP_BOUND, "abs", mp_source,
                  "max_k |P_k − P₀k| / √E₀ along the replay"),
        ]

    def figure(self, ctx: Context, data: dict) -> Any:
        cps, slope = data["checkpoints"], data["slope"]
        fig, ax = figure(1, 2)
        ax[0, 0].loglog(cps, data["rms_energy_ulps"], "o-", label="RMS energy drift (ulps of E)")
        ax[0, 0].loglog(cps, data["rms_momentum_ulps"], "s-", label="RMS momentum drift (ulps of √E)")
        if math.isfinite(slope):
            ax[0, 0].loglog(cps, np.exp(data["intercept"]) * cps**slope, "k--",
                            label=f"fit: jumps^{slope:.3f} ± {data['slope_stderr']:.3f}")
        ax[0, 0].set_xlabel("jumps")
        ax[0, 0].set_ylabel("ulps")
        ax[0, 0].legend(fontsize=7)
        final = data["final_energy_drift_ulps"]
        ax[0, 1].hist(final[np.isfinite(final)], bins=12)
        ax[0, 1].set_xlabel(f"|energy drift| after {ctx.sizes['jumps_per_replica']:.0e} jumps (ulps)")
        ax[0, 1].set_ylabel("replicas")
        return fig

    def details(self, ctx: Context, data: dict) -> dict[str, Any]:
        return {"energy_drift_exponent_stderr": data["slope_stderr"],
                "rms_energy_drift_ulps_at_end": float(data["rms_energy_ulps"][-1]),
                "rms_momentum_drift_ulps_at_end": float(data["rms_momentum_ulps"][-1]),
                "fitted_checkpoints": data["fitted_checkpoints"], "particles": N_PARTICLES, "h": H,
                "total_jumps": ctx.sizes["replicas"] * ctx.sizes["jumps_per_replica"]}
