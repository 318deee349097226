"""Adversarial search for initial pair laws whose Fisher information increases (C9, N = 2; :mod:`.pair_law`).

Two tiers, per dynamics (master equation or MBC at grazing h, rate law α) and law class ("exchangeable": even
degrees only, F(v₁, v₂) = F(v₂, v₁); "general": all degrees):

1. **Small amplitude, exact within a span** (:mod:`.pair_linear`): for each degree ℓ = 1…4, the largest ratio
   λ* = −C/G of the second-order commutator term to the second-order dissipation, over a 44-function radial
   dictionary, radial densities ``linear_radial`` and a time grid. λ* > 1 means I increases for every small enough
   amplitude of the worst modulation. The ratio involves κ_ℓ only through κ_ℓ t, so MBC at any h and the master
   equation have the same λ*(t) up to a time rescaling (tested). The pointwise bound λ* ≤ |rα'/α|/(2√(ℓ(ℓ+1)))
   (derived in proofs_checks/derivations/pair_fisher.py) is attained by the dictionary: for α = r^γ,
   λ* = |γ|/(2√(ℓ(ℓ+1))), > 1 only at ℓ = 1 for |γ| > 2√2 — the dipole, which exchangeable laws do not have.
2. **Finite amplitude** (:func:`nonlinear_search`): laws k = ρ (1 + Σ_j θ_j ψ_j) with ρ a two-Gaussian mixture and
   ψ_j "atoms" b_j(r) Y_{ℓ_j m_j}(û) normalised to sup|b_j Y_j| ≤ 1, Σ|θ_j| ≤ 0.95 (so k ≥ 0.05 ρ > 0): the worst
   second-order shapes of tier 1 (m = 0, and m ∈ {0, 1, ℓ} for the non-axisymmetric rows), random sparse dictionary
   combinations (angular modulations across radii) and modulations proportional to the radial log-gradient of ρ
   (``gradient`` atoms). Objective: the largest normalised rate ν(t) = dI/dt / (|J_r| + |J_S| + |C|) over a time
   grid on [0, T] (ν > 0 iff I increases at t); the window's largest increase max_{s<t} I(t) − I(s) is reported as
   well (dI/dt(0) < 0 does not exclude a later rise: the negative control shows one). Optimiser: seeded multistart
   and Nelder–Mead from the best starts; deterministic given the seed. The best law is re-evaluated one level finer
   with its quadrature error (:func:`verified_trace`).

:func:`verdict` turns a row into PASS/FAIL; :func:`fisher_table` runs a profile's (γ, dynamics) grid;
:func:`negative_control` (the step rate law of :class:`.rate_laws.TanhStep`) and :func:`pinned_counterexample`
(γ = −3, non-exchangeable) are the two fixed laws the certificate hinges on; :func:`c9_data` bundles all of it as
plain data, and ``python -m mbc_verify.mbc.pair_search --profile quick|full [--json FILE]`` prints it.
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

QUICK_SEARCH = {"axisymmetric": True, "nl_times": 9, "random_atoms": 2, "starts": 2, "polish": 1, "maxfev": 20,
                "level": 1, "amplitudes": (0.25, 0.95), "pairs": False, "verify_level": 3}
FULL_SEARCH = {"axisymmetric": True, "nl_times": 17, "random_atoms": 6, "starts": 16, "polish": 3, "maxfev": 120,
               "level": 1, "amplitudes": (0.1, 0.3, 0.6, 0.95), "pairs": True, "verify_level": 3}
NON_AXISYMMETRIC_SEARCH = {"axisymmetric": False, "nl_times": 9, "random_atoms": 3, "starts": 4, "polish": 1,
                           "maxfev": 40, "level": 0, "amplitudes": (0.3, 0.95), "pairs": False, "verify_level": 2}

PROFILES: dict[str, dict[str, object]] = {
    "quick": {"gammas": (-3.0, -2.5, -2.0, -1.0, 0.0, 1.0), "hs": (0.05, 1.0), "t_end": 2.0,
              "linear_times": 13, "linear_radial": RADIAL_LAWS[:2], "nonlinear": ("master", 1.0),
              "search": QUICK_SEARCH, "non_axisymmetric": ()},
    "full": {"gammas": (-3.0, -2.5, -2.0, -1.0, 0.0, 1.0), "hs": (0.05, 0.1, 0.2, 0.35, 0.5, 0.75, 1.0),
             "t_end": 2.0, "linear_times": 33, "linear_radial": RADIAL_LAWS,
             "nonlinear": ("master", 0.05, 0.2, 0.5, 1.0), "search": FULL_SEARCH,
             "non_axisymmetric": ((-3.0, "master"), (-2.5, "master"), (-3.0, 0.5), (-2.5, 0.5), (0.0, 0.5))},
}
"""Sizes: ``quick`` (the C9 quick profile; ≲ 30 s on one core) and ``full``. ``search``: the finite-amplitude
tier's sizes (axisymmetric families); ``non_axisymmetric``: extra (γ, "master" or h) rows searched over
non-axisymmetric atoms (m = 0, 1, ℓ) with :data:`NON_AXISYMMETRIC_SEARCH` (their evaluations cost ~2 n_x times
more). At second order m does not enter (rotation invariance within a degree), so m ≠ 0 matters only through
finite-amplitude couplings."""


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
    with its time, density and dictionary coefficients, and under ``"gaussian"`` the worst row on the first density
    (ρ = N(0, I), on which the finite-amplitude tier starts its atoms) (plain data)."""
    out = {}
    for ell in sorted(set().union(*CLASSES.values())):
        rows = []
        for weights, variances in radial_laws:
            scan = worst_case_scan(weights, variances, ell, dynamics, times[times > 0], level=level)
            rows.append({"ell": ell, "weights": list(weights), "variances": list(variances),
                         "worst_ratio": scan["worst_ratio"], "worst_time": scan["worst_time"],
                         "coefficients": scan["worst_coefficients"].tolist()})
        out[ell] = {**max(rows, key=lambda row: row["worst_ratio"]), "gaussian": rows[0]}
    return out


def class_summary(tier: dict[int, dict[str, object]], law_class: str) -> dict[str, object]:
    """The class's worst λ* over its degrees, the margin 1 − λ*, and λ* per degree."""
    check_choice("law_class", law_class, tuple(CLASSES))
    worst = max((tier[ell] for ell in CLASSES[law_class]), key=lambda row: row["worst_ratio"])
    return {"linear_ratio": worst["worst_ratio"], "linear_margin": 1.0 - worst["worst_ratio"],
            "linear_per_ell": {ell: tier[ell]["worst_ratio"] for ell in CLASSES[law_class]},
            "linear_worst": worst}


def linear_atoms(tier: dict[int, dict[str, object]], law_class: str, axisymmetric: bool) -> list[Atom]:
    """Atoms from the worst second-order shape of each degree on ρ = N(0, I), with all 44 dictionary coefficients
    (no pruning: the shape is a delicate combination, since G is ill-conditioned; coefficients of 10⁻⁴ at the
    smallest scales change the sign of dI/dt)."""
    labels = [(s, n) for n in DEFAULT_EXTRAS for s in DEFAULT_SIGMAS]
    sig, ext = tuple(lab[0] for lab in labels), tuple(lab[1] for lab in labels)
    atoms = []
    for ell in CLASSES[law_class]:
        coefs = tuple(float(c) for c in tier[ell]["gaussian"]["coefficients"])
        for m in ((0,) if axisymmetric else tuple(sorted({0, 1, ell}))):
            atoms.append(Atom(ell, m, sig, ext, coefs, source="linear"))
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
                     polish: int, maxfev: int, level: int, amplitudes=(0.2, 0.6, 0.95), pairs: bool = True
                     ) -> dict[str, object]:
    """Tier 2: maximise the largest normalised rate over the family spanned by ``atoms`` (module docstring).

    Starts on ρ = N(0, I): each atom alone at each of ``amplitudes``; if ``pairs``, each pair of tier-1 atoms at
    ±0.45 each (mode coupling); then ``starts`` random vectors (N(0, 1) entries, seeded). Nelder–Mead (at most
    ``maxfev`` evaluations each) from the ``polish`` best. Returns the best law, its parameters, its objective and
    the number of objective evaluations.
    """
    rng = np.random.default_rng(check_seed(seed))
    n = 3 + len(atoms)
    candidates = [_start(n, {j: amp}) for j in range(len(atoms)) for amp in amplitudes]
    n_lin = sum(1 for a in atoms if a.source == "linear")
    if pairs:
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


def search_dynamics(dynamics: Dynamics, profile: str, seed: int, nonlinear: bool = True,
                    search: dict[str, object] | None = None) -> list[dict[str, object]]:
    """Both tiers for one dynamics, one row per law class (plain data: λ*, margins, the worst law and its trace).

    Tier 1 is computed once per degree and shared by the classes. Tier 2 (if ``nonlinear``; sizes ``search``, by
    default the profile's) seeds class c with ``seed + c``; its best law is re-evaluated at ``verify_level``, with
    the quadrature error from the level below (:func:`verified_trace`), which gives the reported values.
    """
    cfg = PROFILES[check_choice("profile", profile, tuple(PROFILES))]
    sc = cfg["search"] if search is None else search
    lin_times = time_grid(float(cfg["t_end"]), int(cfg["linear_times"]))
    tier = linear_tier(dynamics, lin_times, cfg["linear_radial"], level=1)
    nl_times = time_grid(float(cfg["t_end"]), int(sc["nl_times"]))
    rows = []
    for c, law_class in enumerate(CLASSES):
        row = {"dynamics": dynamics.name, "kind": dynamics.kind, "h": dynamics.h, "rate": dynamics.rate.name,
               "law_class": law_class, "axisymmetric": bool(sc["axisymmetric"]), **class_summary(tier, law_class)}
        if nonlinear:
            rng = np.random.default_rng(check_seed(seed + c))
            atoms = linear_atoms(tier, law_class, bool(sc["axisymmetric"]))
            atoms += random_atoms(rng, law_class, bool(sc["axisymmetric"]), int(sc["random_atoms"]))
            # the tier-1 worst times of the class's degrees join the grid: λ*(t) > 1 may hold on a short window only
            times = np.union1d(nl_times, [tier[ell]["gaussian"]["worst_time"] for ell in CLASSES[law_class]])
            found = nonlinear_search(dynamics, atoms, times, seed + c, starts=int(sc["starts"]),
                                     polish=int(sc["polish"]), maxfev=int(sc["maxfev"]), level=int(sc["level"]),
                                     amplitudes=sc["amplitudes"], pairs=bool(sc["pairs"]))
            verified = verified_trace(found["law"], dynamics, times, int(sc["verify_level"]))
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
    """One row per (γ, dynamics, class) of the profile (:func:`search_dynamics`), γ added; seeds ``seed + 2·index``;
    then the profile's non-axisymmetric rows (seeds continuing the sequence)."""
    rows = []
    grid = dynamics_grid(profile)
    for k, (gamma, dyn, nonlinear) in enumerate(grid):
        rows += [{"gamma": gamma, **row} for row in search_dynamics(dyn, profile, seed + 2 * k, nonlinear)]
    for j, (gamma, which) in enumerate(PROFILES[profile]["non_axisymmetric"]):
        dyn = Dynamics(PowerLaw(gamma)) if which == "master" else Dynamics(PowerLaw(gamma), "mbc", float(which))
        found = search_dynamics(dyn, profile, seed + 2 * (len(grid) + j), True, NON_AXISYMMETRIC_SEARCH)
        rows += [{"gamma": gamma, **row} for row in found]
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
            out[f"{label}:{dyn.kind}"] = verified_trace(law, dyn, times, int(cfg["search"]["verify_level"]))
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


def hardy_check(law: PairLaw, dynamics: Dynamics, times: np.ndarray, level: int = 3) -> dict[str, float]:
    """The secondary (Hardy-type) pair moment: S = ∫ k/|u|² du (time-invariant) against I(k_t) ≥ S (Hardy), at
    every time of ``times``: ``ratio`` = max_t S/I(k_t) ≤ 1 and ``margin`` = 1 − ratio."""
    fisher = evaluate(law, dynamics, times, level)["fisher"]
    s = law.inverse_square_moment()
    ratio = float(s / np.min(fisher))
    return {"moment": s, "min_fisher": float(np.min(fisher)), "ratio": ratio, "margin": 1.0 - ratio}


def c9_data(profile: str = "quick", seed: int = 0) -> dict[str, object]:
    """Everything the C9 certificate is built from, as plain data: ``table`` (:func:`fisher_table` with a
    ``verdict`` per row), ``control`` (:func:`negative_control`), ``counterexample`` (:func:`pinned_counterexample`)
    ``convergence`` (:func:`.pair_law.convergence` of I, dI/dt, H for the control law at t = 0.2 under the step
    rate law and for the counterexample at t = 10⁻⁵ under r⁻³) and ``hardy`` (:func:`hardy_check` on [0, 2] for
    the control and counterexample laws under r⁻³ and the step law, and for u ~ N(0, 2I), i.e. v₁, v₂ ~ N(0, I))."""
    table = [{**row, "verdict": verdict(row)} for row in fisher_table(profile, seed)]
    control = negative_control(profile, seed)
    control["search"]["verdict"] = verdict(control["search"])
    return {"profile": profile, "seed": seed, "table": table, "control": control,
            "counterexample": pinned_counterexample(),
            "convergence": {"control": convergence(control_law(), Dynamics(TanhStep()), 0.2),
                            "counterexample": convergence(counterexample_law(), Dynamics(PowerLaw(-3.0)), 1e-5)},
            "hardy": {f"{name}:{dyn.rate.name}": hardy_check(law, dyn, np.linspace(0.0, 2.0, 21))
                      for name, law in (("control", control_law()), ("counterexample", counterexample_law()),
                                        ("gaussian", modulated_law([1.0], [2.0], ())))
                      for dyn in (Dynamics(PowerLaw(-3.0)), Dynamics(TanhStep()))},
            "n_particle": N_PARTICLE_STATEMENT}


N_PARTICLE_STATEMENT = {
    "reduction": "dI/dt of the N-particle law = (2/N) Σ_{i<j} D_ij; in pair coordinates D_ij = (terms in ∇_c and in "
                 "the spectator gradients, each ≤ 0 by the Jensen identity) + 2 ∫ d(c, v_rest) D2(fibre u ↦ F(c, u, "
                 "v_rest)), D2 the N = 2 u-dissipation (proofs_checks/derivations/lifting.py).",
    "certified": "the reduction identities (symbolic, exact); D2 ≤ 0 numerically on the searched N = 2 families "
                 "for exchangeable (even) laws, which are the fibres of exchangeable N-particle laws.",
    "not_certified": "no N ≥ 3 law is computed; the fibres of a general N-particle law lie outside the searched "
                     "families; for non-exchangeable laws the N = 2 inequality fails at γ = −3 (counterexample).",
}
"""What the N ≥ 3 statement of C9 rests on (plain text for the certificate)."""


def _print_summary(data: dict[str, object]) -> None:
    print(f"C9 N = 2 Fisher search, profile {data['profile']}, seed {data['seed']}")
    print(f"{'gamma':>6} {'dynamics':<22} {'class':<13} {'axi':<4} {'lambda*':>8} {'margin':>8} {'nu_max':>9} "
          f"{'rel.incr':>10} {'max dI/dt':>10} {'I err':>8} verdict")
    for row in data["table"]:
        nu = row.get("nonlinear_rate", math.nan)
        print(f"{row['gamma']:>6g} {row['dynamics']:<22} {row['law_class']:<13} {str(row['axisymmetric'])[0]:<4} "
              f"{row['linear_ratio']:>8.4f} {row['linear_margin']:>8.4f} {nu:>9.4f} "
              f"{row.get('relative_increase', math.nan):>10.2e} {row.get('max_dfisher', math.nan):>10.2e} "
              f"{row.get('fisher_error', math.nan):>8.1e} {row['verdict']}")
    ctl = data["control"]
    print(f"negative control {ctl['rate']}: sup r|α'|/α = {ctl['gs_log_slope']:.3f} > √22 = {ctl['gs_bound']:.3f}")
    for key in ("control:master", "control:mbc", "power_-3:master", "power_-3:mbc"):
        tr = ctl[key]
        print(f"  {key:<16} window increase {tr['window_increase']:+.3e} (I err {tr['fisher_error']:.1e}), "
              f"max dI/dt {tr['max_dfisher']:+.3e} (err {tr['rate_error']:.1e})")
    print(f"  search: lambda* {ctl['search']['linear_ratio']:.4f}, nu_max {ctl['search']['nonlinear_rate']:.4f}, "
          f"verdict {ctl['search']['verdict']}")
    for name, hc in data["hardy"].items():
        print(f"Hardy pair moment {name}: E|u|^-2 = {hc['moment']:.6f} <= min_t I(k_t) = {hc['min_fisher']:.6f}, "
              f"margin {hc['margin']:.4f}")
    for name, tr in data["counterexample"].items():
        if isinstance(tr, dict):
            conv = tr["convergence"]["dfisher"]
            print(f"counterexample {name}: dI/dt(1e-5) = {conv['values'][-1]:.12e}, level diffs "
                  f"{', '.join(f'{d:.1e}' for d in conv['diff_to_finest'])}; window increase "
                  f"{tr['window_increase']:.3e}")


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description="C9 N = 2 Fisher-information search: print the measured table")
    parser.add_argument("--profile", default="quick", choices=tuple(PROFILES))
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", help="also write the plain data to this file")
    args = parser.parse_args()
    result = c9_data(args.profile, args.seed)
    _print_summary(result)
    if args.json:
        import json

        from ..serialize import to_jsonable

        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(to_jsonable(result), fh, indent=1)
