"""Adversarial search for initial pair laws whose Fisher information increases (N = 2; :mod:`.pair_law`).

Two tiers, per dynamics (master equation or MBC at grazing h, rate law α) and law class ("exchangeable": even
degrees only, F(v₁, v₂) = F(v₂, v₁); "general": all degrees):

1. **Small amplitude, exact within a span** (:mod:`.pair_linear`): for each degree ℓ of the class, the largest
   ratio λ* = −C/G of the second-order commutator term to the second-order dissipation, over a 44-function radial
   dictionary, over radial densities ``radial_laws`` and over the time grid. λ* > 1 is an increase of I for every
   small enough amplitude. Since the ratio involves κ_ℓ only through κ_ℓ t, MBC at any h and the master equation
   have the same λ* up to the time grid.
2. **Finite amplitude** (:func:`nonlinear_search`): laws k = ρ (1 + Σ_j θ_j ψ_j) with ρ a two-Gaussian mixture
   and ψ_j "atoms" b_j(r) Y_{ℓ_j m_j}(û) normalised to sup|b_j Y_j| ≤ 1, Σ|θ_j| ≤ 0.95 (so k > 0): the worst
   second-order shapes of tier 1 (degrees ℓ, and for the non-axisymmetric families m = ℓ and m = 1 as well), random
   sparse dictionary combinations (angular modulations across radii) and modulations proportional to the radial
   log-gradient of ρ (``gradient`` atoms). Objective: the largest normalised rate ν(t) = dI/dt / (|J_r| + |J_S| + |C|)
   over the time grid (ν > 0 iff I increases at t; the window's largest increase max_{s<t} I(t) − I(s) is reported
   as well, since dI/dt(0) < 0 does not exclude a later rise). Optimiser: seeded multistart, Nelder–Mead from the
   best starts; deterministic given the seed.

:func:`fisher_table` runs both tiers over a profile's (γ, dynamics) grid and returns plain rows;
:func:`negative_control` and :func:`pinned_counterexample` give the two fixed laws the certificate hinges on.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import minimize

from ..validation import check_choice, check_seed
from .pair_law import ROUND_OFF, Dynamics, Modulation, PairLaw, convergence, evaluate, modulated_law
from .pair_linear import DEFAULT_EXTRAS, DEFAULT_SIGMAS, worst_case_scan
from .rate_laws import GS_LOG_SLOPE_BOUND, PowerLaw, TanhStep

CLASSES = {"exchangeable": (2, 4), "general": (1, 2, 3, 4)}
"""Degrees ℓ ≥ 1 searched per law class."""

RADIAL_LAWS: tuple[tuple[tuple[float, ...], tuple[float, ...]], ...] = (
    ((1.0,), (1.0,)), ((0.5, 0.5), (0.1, 2.0)), ((0.9, 0.1), (0.3, 3.0)))
"""Radial densities ρ = Σ w_j N(0, s_j I) of the small-amplitude tier: (weights, variances)."""

MAX_AMPLITUDE = 0.95
"""Σ|θ_j| bound of the finite-amplitude family (k ≥ 0.05 ρ everywhere)."""

LINEAR_TOLERANCE = 1e-6
"""Quadrature error allowance of λ* (levels 1–4 of the radial quadrature agree on λ* to 1e-8)."""

RATE_FLOOR = 1e-9
"""ν is ignored where the dissipation scale is below this fraction of its largest value over the window."""

_SUP_SAFETY = 1.01  # sampled sup of an atom's radial profile times this bounds the true sup (see _profile_sup)

PROFILES: dict[str, dict[str, object]] = {
    "quick": {"gammas": (-3.0, -2.5, -2.0, -1.0, 0.0, 1.0), "hs": (0.05, 1.0), "t_end": 2.0,
              "linear_times": 17, "linear_radial": RADIAL_LAWS[:2], "nonlinear": ("master", 1.0),
              "nl_times": 9, "random_atoms": 2, "starts": 2, "polish": 1, "maxfev": 20, "level": 1,
              "axisymmetric": True, "verify_level": 3},
    "full": {"gammas": (-3.0, -2.5, -2.0, -1.0, 0.0, 1.0), "hs": (0.05, 0.1, 0.2, 0.35, 0.5, 0.75, 1.0),
             "t_end": 2.0, "linear_times": 33, "linear_radial": RADIAL_LAWS,
             "nonlinear": ("master", 0.05, 0.2, 0.5, 1.0), "nl_times": 17, "random_atoms": 6, "starts": 16,
             "polish": 3, "maxfev": 120, "level": 2, "axisymmetric": False, "verify_level": 4},
}
"""Sizes: ``quick`` (the C9 quick profile; ≲ 30 s on one core) and ``full``."""


@dataclass(frozen=True)
class Atom:
    """A modulation shape b(r) Y_ℓm(û), b = Σ_i c_i (r/σ_i)^{ℓ+n_i} e^{−r²/(2σ_i²)} (× the radial log-gradient
    factor of :class:`.pair_law.Modulation` when ``gradient``), scaled so that sup|b| · sup|Y_ℓm| ≤ 1."""

    ell: int
    m: int
    sigmas: tuple[float, ...]
    extras: tuple[int, ...]
    coefs: tuple[float, ...]
    gradient: bool = False
    source: str = "random"
    norm: float = field(init=False)

    def __post_init__(self) -> None:
        y_sup = math.sqrt((2 * self.ell + 1) / (4.0 * math.pi))
        object.__setattr__(self, "norm", _profile_sup(self) * _SUP_SAFETY * y_sup)

    def modulations(self, amplitude: float) -> list[Modulation]:
        return [Modulation(self.ell, self.m, amplitude * c / self.norm, s, n, self.gradient)
                for s, n, c in zip(self.sigmas, self.extras, self.coefs, strict=True)]

    def as_dict(self) -> dict[str, object]:
        return {"ell": self.ell, "m": self.m, "sigmas": list(self.sigmas), "extras": list(self.extras),
                "coefs": list(self.coefs), "gradient": self.gradient, "source": self.source}


def _profile_sup(atom: Atom) -> float:
    """sup_r |Σ_i c_i (r/σ_i)^q_i e^{−r²/(2σ_i²)}| (q_i = ℓ + n_i, + 2 for gradient atoms, whose log-gradient factor
    s_min(−rρ'/ρ)/r² lies in [0, 1]) sampled on 8000 log-spaced radii over [10⁻⁴ σ_min, 30 σ_max] (ratio ≤ 1.003
    per step for the dictionary's span; each term varies on log-scales ≥ 0.1, so the sampled maximum is within
    (log 1.003)²/(8 · 0.1²) < 10⁻³ of the true one, and the safety factor 1.01 covers it)."""
    sig = np.array(atom.sigmas)
    r = np.geomspace(1e-4 * sig.min(), 30.0 * sig.max(), 8000)
    q = np.array(atom.extras) + atom.ell + (2 if atom.gradient else 0)
    x = r[None, :] / sig[:, None]
    prof = np.array(atom.coefs) @ (x ** q[:, None] * np.exp(-0.5 * x * x))
    return float(np.max(np.abs(prof)))


def window_increase(values: np.ndarray) -> float:
    """max_{s < t} (I(t) − I(s)) over a time grid: the largest increase of I on the window (≤ 0 if monotone)."""
    running_min = np.minimum.accumulate(values)
    return float(np.max(values[1:] - running_min[:-1]))


def time_grid(t_end: float, n: int) -> np.ndarray:
    """0 followed by n log-spaced times from 10⁻⁷ t_end to t_end."""
    return np.concatenate([[0.0], t_end * np.geomspace(1e-7, 1.0, n)])


def linear_tier(dynamics: Dynamics, times: np.ndarray, radial_laws=RADIAL_LAWS, level: int = 1
                ) -> dict[int, dict[str, object]]:
    """Tier 1 for one dynamics: per degree ℓ = 1…4, the worst λ* over the radial densities and ``times`` (t > 0),
    with its time, density and dictionary coefficients (plain data)."""
    out = {}
    for ell in sorted(set().union(*CLASSES.values())):
        rows = []
        for weights, variances in radial_laws:
            scan = worst_case_scan(weights, variances, ell, dynamics, times[times > 0], level=level)
            rows.append({"ell": ell, "weights": list(weights), "variances": list(variances),
                         "worst_ratio": scan["worst_ratio"], "worst_time": scan["worst_time"],
                         "coefficients": scan["worst_coefficients"].tolist()})
        out[ell] = max(rows, key=lambda row: row["worst_ratio"])
    return out


def class_summary(tier: dict[int, dict[str, object]], law_class: str) -> dict[str, object]:
    """The class's worst λ* over its degrees, the margin 1 − λ*, and λ* per degree."""
    check_choice("law_class", law_class, tuple(CLASSES))
    worst = max((tier[ell] for ell in CLASSES[law_class]), key=lambda row: row["worst_ratio"])
    return {"linear_ratio": worst["worst_ratio"], "linear_margin": 1.0 - worst["worst_ratio"],
            "linear_per_ell": {ell: tier[ell]["worst_ratio"] for ell in CLASSES[law_class]},
            "linear_worst": worst}


def linear_atoms(tier: dict[int, dict[str, object]], law_class: str, axisymmetric: bool) -> list[Atom]:
    """Atoms from the worst second-order shape of each degree (dictionary coefficients above 10⁻³ of the largest)."""
    labels = [(s, n) for n in DEFAULT_EXTRAS for s in DEFAULT_SIGMAS]
    atoms = []
    for ell in CLASSES[law_class]:
        coefs = np.array(tier[ell]["coefficients"])
        keep = np.abs(coefs) > 1e-3 * np.abs(coefs).max()
        sig = tuple(labels[i][0] for i in np.flatnonzero(keep))
        ext = tuple(labels[i][1] for i in np.flatnonzero(keep))
        for m in ((0,) if axisymmetric else tuple(sorted({0, 1, ell}))):
            atoms.append(Atom(ell, m, sig, ext, tuple(float(c) for c in coefs[keep]), source="linear"))
    return atoms


def random_atoms(rng: np.random.Generator, law_class: str, axisymmetric: bool, count: int) -> list[Atom]:
    """``count`` random sparse atoms: 2–3 dictionary scales with N(0, 1) coefficients, a random degree of the class,
    m = 0 (axisymmetric) or uniform in [−ℓ, ℓ], and a gradient factor with probability ½."""
    atoms = []
    degrees = CLASSES[law_class]
    for _ in range(count):
        ell = int(rng.choice(degrees))
        m = 0 if axisymmetric else int(rng.integers(-ell, ell + 1))
        k = int(rng.integers(2, 4))
        sig = tuple(float(s) for s in rng.choice(DEFAULT_SIGMAS, size=k, replace=False))
        ext = tuple(int(e) for e in rng.choice(DEFAULT_EXTRAS, size=k))
        atoms.append(Atom(ell, m, sig, ext, tuple(float(c) for c in rng.standard_normal(k)), bool(rng.random() < 0.5)))
    return atoms


def law_from_parameters(z: np.ndarray, atoms: list[Atom]) -> tuple[PairLaw, dict[str, object]]:
    """The family's law for the unconstrained vector z = (weight logit, 2 log-variances, amplitudes of the atoms).

    Variances s_j = exp(clip(·, log 0.1, log 4)), w = (σ(z₀), 1 − σ(z₀)) with σ the logistic function; amplitudes
    θ = 0.95 z_a / max(1, Σ|z_a|)."""
    w0 = 1.0 / (1.0 + math.exp(-float(np.clip(z[0], -30, 30))))
    variances = np.exp(np.clip(z[1:3], math.log(0.1), math.log(4.0)))
    amps = np.asarray(z[3:], dtype=float)
    theta = MAX_AMPLITUDE * amps / max(1.0, float(np.sum(np.abs(amps))))
    mods = [mod for atom, a in zip(atoms, theta, strict=True) if a != 0.0 for mod in atom.modulations(float(a))]
    weights = np.array([w0, 1.0 - w0])
    law = modulated_law(weights, variances, mods)
    return law, {"weights": weights.tolist(), "variances": variances.tolist(), "amplitudes": theta.tolist()}


def trace(law: PairLaw, dynamics: Dynamics, times: np.ndarray, level: int) -> dict[str, object]:
    """I, dI/dt, ν on ``times`` and the derived scalars: ``max_rate`` (largest ν over the *resolved* times: t > 0,
    dissipation scale |J_r| + |J_S| + |C| above 10⁻⁹ of its largest value over the window and above 10⁴ × its
    round-off :data:`.pair_law.ROUND_OFF` · ``rate_abs``; elsewhere every modulation has decayed and ν is a ratio of
    round-off; nan if no time is resolved, e.g. a radial law), ``max_dfisher`` (largest dI/dt at t > 0),
    ``window_increase`` (absolute, :func:`window_increase`) and ``relative_increase`` (over I(0))."""
    out = evaluate(law, dynamics, times, level)
    scale = out["rate_scale"]
    pos = times > 0
    valid = pos & (scale > RATE_FLOOR * np.max(scale[pos])) & (scale > 1e4 * ROUND_OFF * out["rate_abs"])
    rate = np.where(valid, out["normalised_rate"], -np.inf)
    i_max = int(np.argmax(rate))
    inc = window_increase(out["fisher"])
    return {"times": times, "fisher": out["fisher"], "dfisher": out["dfisher"], "rate": out["normalised_rate"],
            "max_rate": float(rate[i_max]) if valid.any() else math.nan, "argmax_time": float(times[i_max]),
            "max_dfisher": float(np.max(out["dfisher"][pos])), "window_increase": inc,
            "relative_increase": inc / float(out["fisher"][0])}


def verified_trace(law: PairLaw, dynamics: Dynamics, times: np.ndarray, level: int) -> dict[str, object]:
    """:func:`trace` at ``level`` with its quadrature error estimated by the level below (the error decays
    geometrically, so the coarser level's difference bounds the finer level's error): ``fisher_error`` and
    ``rate_error`` (max over the times of |ΔI| and |Δ dI/dt|), and ``increase_significant`` (the window increase
    exceeds twice ``fisher_error``) and ``rate_significant`` (max dI/dt exceeds ``rate_error``)."""
    fine, coarse = trace(law, dynamics, times, level), trace(law, dynamics, times, level - 1)
    fine["fisher_error"] = float(np.max(np.abs(fine["fisher"] - coarse["fisher"])))
    fine["rate_error"] = float(np.max(np.abs(fine["dfisher"] - coarse["dfisher"])))
    fine["increase_significant"] = bool(fine["window_increase"] > 2.0 * fine["fisher_error"])
    fine["rate_significant"] = bool(fine["max_dfisher"] > fine["rate_error"])
    return fine


def _start(n: int, amplitudes: dict[int, float]) -> np.ndarray:
    """A start on ρ = N(0, I) (weight logit 30: one component) with the given atom amplitudes."""
    z = np.zeros(n)
    z[0] = 30.0
    for j, a in amplitudes.items():
        z[3 + j] = a
    return z


def nonlinear_search(dynamics: Dynamics, atoms: list[Atom], times: np.ndarray, seed: int, *, starts: int,
                     polish: int, maxfev: int, level: int, amplitudes=(0.2, 0.6, 0.95)) -> dict[str, object]:
    """Tier 2: maximise the largest normalised rate over the family spanned by ``atoms`` (module docstring).

    Starts on ρ = N(0, I): each atom alone at each of ``amplitudes``; each pair of tier-1 atoms at ±0.45 each
    (mode coupling); then ``starts`` random vectors (N(0, 1) entries, seeded). Nelder–Mead (at most ``maxfev``
    evaluations each) from the ``polish`` best. Returns the best law, its parameters, its objective and the number
    of objective evaluations.
    """
    rng = np.random.default_rng(check_seed(seed))
    n = 3 + len(atoms)
    candidates = [_start(n, {j: amp}) for j in range(len(atoms)) for amp in amplitudes]
    n_lin = sum(1 for a in atoms if a.source == "linear")
    candidates += [_start(n, {i: 0.45, j: sign * 0.45}) for i in range(n_lin) for j in range(i + 1, n_lin)
                   for sign in (1.0, -1.0)]
    candidates += [rng.standard_normal(n) for _ in range(starts)]
    count = [0]

    def objective(z: np.ndarray) -> float:
        """The largest resolved ν; −2 (below every ν) when no time is resolved."""
        count[0] += 1
        value = trace(law_from_parameters(z, atoms)[0], dynamics, times, level)["max_rate"]
        return -2.0 if math.isnan(value) else value

    scores = [objective(z) for z in candidates]
    for i0 in np.argsort(scores)[::-1][:polish]:
        res = minimize(lambda z: -objective(z), candidates[i0], method="Nelder-Mead",
                       options={"maxfev": maxfev, "xatol": 1e-4, "fatol": 1e-7})
        candidates.append(res.x)
        scores.append(-float(res.fun))
    i = int(np.argmax(scores))
    law, params = law_from_parameters(candidates[i], atoms)
    return {"law": law, "parameters": params, "z": candidates[i].tolist(), "max_rate": float(scores[i]),
            "evaluations": count[0], "atoms": [a.as_dict() for a in atoms]}


def search_dynamics(dynamics: Dynamics, profile: str, seed: int, nonlinear: bool = True) -> list[dict[str, object]]:
    """Both tiers for one dynamics, one row per law class (plain data: λ*, margins, the worst law and its trace).

    Tier 1 is computed once per degree and shared by the classes. Tier 2 (if ``nonlinear``) seeds class c with
    ``seed + c``; its best law is re-evaluated at the profile's ``verify_level``, which gives the reported values.
    """
    cfg = PROFILES[check_choice("profile", profile, tuple(PROFILES))]
    lin_times = time_grid(float(cfg["t_end"]), int(cfg["linear_times"]))
    tier = linear_tier(dynamics, lin_times, cfg["linear_radial"], level=1)
    nl_times = time_grid(float(cfg["t_end"]), int(cfg["nl_times"]))
    rows = []
    for c, law_class in enumerate(CLASSES):
        row = {"dynamics": dynamics.name, "kind": dynamics.kind, "h": dynamics.h, "rate": dynamics.rate.name,
               "law_class": law_class, **class_summary(tier, law_class)}
        if nonlinear:
            rng = np.random.default_rng(check_seed(seed + c))
            atoms = linear_atoms(tier, law_class, bool(cfg["axisymmetric"]))
            atoms += random_atoms(rng, law_class, bool(cfg["axisymmetric"]), int(cfg["random_atoms"]))
            found = nonlinear_search(dynamics, atoms, nl_times, seed + c, starts=int(cfg["starts"]),
                                     polish=int(cfg["polish"]), maxfev=int(cfg["maxfev"]), level=int(cfg["level"]))
            verified = verified_trace(found["law"], dynamics, nl_times, int(cfg["verify_level"]))
            row.update({"nonlinear_rate": verified["max_rate"], "nonlinear_margin": -verified["max_rate"],
                        "fisher_error": verified["fisher_error"], "rate_error": verified["rate_error"],
                        "increase_significant": verified["increase_significant"],
                        "rate_significant": verified["rate_significant"],
                        "window_increase": verified["window_increase"],
                        "relative_increase": verified["relative_increase"], "max_dfisher": verified["max_dfisher"],
                        "argmax_time": verified["argmax_time"], "search_rate": found["max_rate"],
                        "evaluations": found["evaluations"], "worst_parameters": found["parameters"],
                        "atoms": found["atoms"], "trace": verified})
        rows.append(row)
    return rows


def dynamics_grid(profile: str) -> list[tuple[float, Dynamics, bool]]:
    """(γ, dynamics, run the finite-amplitude tier?) over the profile: the master equation and MBC at each h."""
    cfg = PROFILES[check_choice("profile", profile, tuple(PROFILES))]
    out = []
    for gamma in cfg["gammas"]:
        rate = PowerLaw(gamma)
        out.append((gamma, Dynamics(rate), "master" in cfg["nonlinear"]))
        out += [(gamma, Dynamics(rate, "mbc", h), h in cfg["nonlinear"]) for h in cfg["hs"]]
    return out


def fisher_table(profile: str = "quick", seed: int = 0) -> list[dict[str, object]]:
    """One row per (γ, dynamics, class) of the profile (:func:`search_dynamics`), γ added; seeds ``seed + 2·index``."""
    rows = []
    for k, (gamma, dyn, nonlinear) in enumerate(dynamics_grid(profile)):
        rows += [{"gamma": gamma, **row} for row in search_dynamics(dyn, profile, seed + 2 * k, nonlinear)]
    return rows


def verdict(row: dict[str, object]) -> str:
    """"FAIL" when either tier finds an increase: λ* > 1 + :data:`LINEAR_TOLERANCE` (second order), or a resolved
    ν > 0 whose rate or window increase is above the quadrature error (finite amplitude); "PASS" otherwise."""
    linear_fail = row["linear_ratio"] > 1.0 + LINEAR_TOLERANCE
    nonlinear_fail = ("nonlinear_rate" in row and row["nonlinear_rate"] > 0.0
                      and (row["rate_significant"] or row["increase_significant"]))
    return "FAIL" if linear_fail or nonlinear_fail else "PASS"


def control_law() -> PairLaw:
    """The negative control's initial law: ρ = N(0, I), one exchangeable ℓ = 2 bump across r = 1.5.

    b(r) = 0.5 (r/σ)² e^{−r²/(2σ²)}, σ = 1.5/√2 (peak at r = 1.5), times Y₂₀: the modulation straddles the step of
    :class:`.rate_laws.TanhStep`, decays at rate ≈ 0.1 κ₂ inside and ≈ 1.9 κ₂ outside, and so builds a radial
    gradient of the angular part across the step.
    """
    return modulated_law([1.0], [1.0], [Modulation(2, 0, 0.5, 1.5 / math.sqrt(2.0))])


def negative_control(profile: str = "quick", seed: int = 0) -> dict[str, object]:
    """The non-power rate law α = 1 + 0.9 tanh((r − 1.5)/0.1): the same certificate must detect an increase.

    Plain data: ``gs_log_slope`` (sup r|α'|/α, vs the bound √22), the traces of :func:`control_law` under the master
    equation and MBC (h = 0.5) for α and for r⁻³ (on [0, 2], 41 times), and the search rows (both tiers, exchangeable
    class) for α under the master equation.
    """
    cfg = PROFILES[check_choice("profile", profile, tuple(PROFILES))]
    alpha = TanhStep()
    times = np.linspace(0.0, 2.0, 41)
    law = control_law()
    out: dict[str, object] = {"rate": alpha.name, "gs_log_slope": alpha.log_slope_sup(),
                              "gs_bound": GS_LOG_SLOPE_BOUND}
    for label, rate in (("control", alpha), ("power_-3", PowerLaw(-3.0))):
        for dyn in (Dynamics(rate), Dynamics(rate, "mbc", 0.5)):
            out[f"{label}:{dyn.kind}"] = verified_trace(law, dyn, times, int(cfg["verify_level"]))
    out["search"] = search_dynamics(Dynamics(alpha), profile, seed)[0]
    return out


def counterexample_law(epsilon: float = 0.05) -> PairLaw:
    """The non-exchangeable law on which I increases at γ = −3 (found by tier 1, pinned in tests).

    k = ρ (1 + ε b(r) Y₁₀ √(4π/3)) = ρ (1 + ε b(r) cos θ), ρ = N(0, I), b(r) = r (e^{−r²/200} − ½ e^{−r²/(2·0.03²)}
    − ½ e^{−r²/(2·0.3²)}): a dipole (ℓ = 1) modulation that ramps up from r ≈ 0.03 to r ≈ 0.3 in two steps and
    stays ≈ r beyond. Second-order analysis (pair_linear): at γ = −3 its ratio −C/G exceeds 1 for small t.
    """
    scale = epsilon * math.sqrt(4.0 * math.pi / 3.0)
    mods = [Modulation(1, 0, scale * 10.0, 10.0), Modulation(1, 0, -scale * 0.015, 0.03),
            Modulation(1, 0, -scale * 0.15, 0.3)]
    return modulated_law([1.0], [1.0], mods)


def pinned_counterexample(level: int = 3) -> dict[str, object]:
    """I(t) and dI/dt of :func:`counterexample_law` at γ = −3 on [0, 10⁻³], master equation and MBC h ∈ {0.05, 1},
    with the convergence of dI/dt at t = 10⁻⁵ over quadrature levels 0–4."""
    times = np.concatenate([[0.0], np.geomspace(1e-8, 1e-3, 11)])
    law = counterexample_law()
    out: dict[str, object] = {"epsilon": 0.05, "times": times}
    for dyn in (Dynamics(PowerLaw(-3.0)), Dynamics(PowerLaw(-3.0), "mbc", 0.05), Dynamics(PowerLaw(-3.0), "mbc", 1.0)):
        out[dyn.name] = verified_trace(law, dyn, times, level)
        out[dyn.name]["convergence"] = convergence(law, dyn, 1e-5, keys=("fisher", "dfisher"))
    return out
