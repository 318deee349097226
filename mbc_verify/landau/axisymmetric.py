"""Converged solver for the spatially homogeneous Landau equation with axisymmetric data, any γ ∈ [-3, 1].

docs/spec.md §1 with its ½: ∂_t f = ½ ∇·∫ a(v-w)(f(w)∇f(v) - f(v)∇f(w)) dw, a(z) = |z|^(γ+2) Π(z); data f(v) = f(|v|,
ξ),
ξ = v_z/|v| (axis z, as the ``bimaxwellian`` of docs/spec.md §8). ``solve --method axisymmetric``.

**Method** (modules):

- :mod:`.axisymmetric_grid` — speeds r_i = (i+½)h on (0, v_max) with the parity-folded Fourier derivative,
  Gauss–Legendre nodes ξ_k with the Legendre collocation derivative; spectrally accurate quadrature ω.
- :mod:`.axisymmetric_kernel` — the Legendre expansion in ξ: a∗f = ∇∇Φ_F + Φ_G I, b∗f = -2∇Φ_H with potentials
  of three radial kernels, computed mode by mode by radial Green's-function integrals: exact closed forms for
  γ ∈ {-3, -1, 0, 1} (for γ = -3 the Rosenbluth potentials of Rosenbluth, MacDonald & Judd, Phys. Rev. 107 (1957)
  1; the CQL3D code — Harvey & McCoy, Proc. IAEA TCM Montreal 1992 — evaluates its field-particle operator the
  same way, mode by mode), the Legendre (Gegenbauer) expansion of |v-w|^(γ+2) by quadrature for every other γ;
  product integration against the spectral interpolant (as Pataki & Greengard, J. Comput. Phys. 230 (2011)
  7840, get high-order potentials and derivatives from integral rather than differential formulations).
- :mod:`.axisymmetric_operator` — Q = ½ ∇·(A∇f - Bf) by collocation with an adjoint (summation-by-parts)
  divergence: mass conserved to round-off; axial momentum and energy to round-off by a documented flux
  correction of the size of the quadrature error (Taitano, Chacón, Simakov & Molvig, J. Comput. Phys. 297 (2015)
  357 enforce conservation by such consistent corrections; Hirvijoki & Adams, Phys. Plasmas 24 (2017) 032121,
  obtain it instead, with the entropy inequality, from the symmetric weak form, which evaluates the singular
  kernel at pairs of quadrature points, so that its accuracy is limited by the quadrature of that singularity).
- :mod:`.axisymmetric_stepper` — L-stable SDIRK4 with Newton–Krylov stages, adaptive or fixed steps; stage values
  projected on the invariant manifold so that mass, axial momentum and energy are constant to round-off.
- :mod:`.axisymmetric_probe` — a∗f, b∗f and f at arbitrary velocities.

**Accuracy** (measured, ``tests/test_landau_axisymmetric.py`` and ``reference/make_axisymmetric_tpar.py``): the
initial dT∥/dt of bi-Maxwellians matches the 30-digit derived rates to ~1e-13 relative for γ ∈ {1, 0, -1, -2, -3};
T∥(t) on [0, 5] from ``bimaxwellian:2,0.5`` at γ = -3 is converged in (h, v_max, n_ξ) to ~1e-12, and in time
to ~1e-9 at the default ``rtol`` = 1e-7 (fourth order in Δt). Fitted on the initial rate: the error decays like
e^{-c/h²} in h (c = 1.65 for T⊥ = 0.5, between π²T⊥/4 and π²T⊥/2: the flux multiplies two Gaussian-band factors),
geometrically in n_ξ (×e^{-1.35} per node), like e^{-0.24 v_max²} in v_max (the axial tail, 1/(2T∥) = 0.25).

**Entropy.** The H-theorem is not built into this discretisation (see :mod:`.axisymmetric_operator`): the
entropy Σ ω f log f is recorded after every step and its largest increase reported (``entropy_max_step_increase``)
with the semi-discrete dissipation D = -Σ ω log f Q(f) at the snapshots. Along resolved runs D > 0 and H decreases
at every step (tested on the γ = -3 reference run; at the snapshots for drifting beams). Q vanishes on a
Maxwellian only up to the quadrature error of the coefficients (2e-12 of max M at the defaults, tested), so
close enough to equilibrium, where D falls to that level, monotonicity is no longer resolved by this scheme. The
error levels of H, D and I (operator error measured at the Maxwellian, first-order round-off bounds) and the
per-step entropy allowance of claim C7 are in :mod:`.axisymmetric_diagnostics`.

**Fisher information** I(f) = ∫|∇f|²/f = 4∫|∇√f|², computed as 4 Σ ω |G√f|² (no division by the round-off-level
tail values of f; negative round-off values count as 0), non-increasing along the Landau flow for every γ ∈ [-3, 1]
(Guillén & Silvestre, Acta Math. 234 (2025) 315–375, Thm 1.1, Coulomb included).

**Normalisation and plasma units.** the spec's equation is the plasma Landau equation for like particles,
∂_t f = (Γ/2) ∇·∫ U (f' ∇f - f ∇'f') dw with U = a at γ = -3 and Γ = 4π e⁴ lnΛ/m², written for the density
normalised to 1 and the time t_SPEC = n Γ t (velocities in units with T = kT/m): plasma constants are a rescaling
of time. In these units the NRL Plasma Formulary's isotropisation rate (Huba, NRL Plasma Formulary, "Temperature
isotropization") reads dT∥/dt = -2 dT⊥/dt = 2ν_T (T⊥ - T∥) with
ν_T = (2√π)⁻¹ T∥^(-3/2) A⁻² [-3 + (A + 3) arctan(√A)/√A], A = T⊥/T∥ - 1 (artanh(√-A)/√-A for A < 0), exact at a
bi-Maxwellian (:func:`nrl_isotropization_rate`).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..initial import InitSpec, parse_init
from ..mutants import AXISYMMETRIC_CONSTANT, AXISYMMETRIC_FRICTION_SIGN, NO_DEFECT, Defect, check_mutant, defect
from ..validation import check_array, check_choice, check_gamma, check_int, check_positive, check_real
from .axisymmetric_grid import AxisymmetricGrid
from .axisymmetric_operator import AxisymmetricOperator
from .axisymmetric_probe import CoefficientProbe
from .axisymmetric_stepper import integrate
from .densities import SmoothedShell, density

__all__ = ["AxialMixture", "DEFAULT_RTOL", "collision_coefficients", "default_resolution", "discretise",
           "initial_rate", "initial_state", "nrl_isotropization_rate", "operator_factors", "record_coefficients",
           "record_operator", "solve_axisymmetric"]

#: default tolerance of the adaptive SDIRK4 step (T∥(t) error ≈ 1e-9 for bimaxwellian:2,0.5, γ = -3)
DEFAULT_RTOL = 1e-7
#: radial spacing per √T_min (h = 0.25 at T = 0.5: the fitted spectral error e^{-1.65/h²} of the initial rate is
#: ≈ 1e-12 there; measured 6.8e-13)
H_PER_SQRT_T = 0.25 / math.sqrt(0.5)
#: v_max = largest drift + √(TAIL_EXPONENT · 2 T_max): the Gaussian tail is e^{-40} ≈ 4e-18 there
TAIL_EXPONENT = 40.0
#: candidate numbers of Legendre nodes for the automatic choice
N_XI_CHOICES = (8, 12, 16, 24, 32, 48, 64, 96, 128)
#: automatic n_xi: the two highest Legendre modes (× r²) below this fraction of the ℓ = 0 mode. The modes left out
#: live in the far tail: for bimaxwellian:2,0.5 (γ = -3, t ≤ 5) this tail is 2.8e-6 at n_xi = 32, where T∥, ∫|v|⁴f,
#: entropy and Fisher information differ from n_xi = 80 by ≤ 2e-13, 2e-11, 1e-10, 8e-10
XI_TOL = 1e-5
#: a given n_xi is refused when they exceed this fraction (the datum is not resolved in angle)
XI_COARSE = 1e-3
#: relative F r⁴ allowed at v_max, and the sampled-mass error that marks a too coarse radial grid
TAIL_TOL = 1e-13
COARSE_TOL = 1e-2


@dataclass(frozen=True)
class AxialMixture:
    """Σ_k w_k N(u_k e_z, T_k I): Maxwellians of weights w_k, temperatures T_k and axial drifts u_k.

    ``components`` = ((w_1, T_1, u_1), …). Weights are normalised to sum 1 and the drifts shifted by their mean
    Σ w u so that the momentum is zero (docs/spec.md §8); temperatures are kept, so the energy is Σ w (3T + (u - ū)²).
    """

    components: tuple[tuple[float, float, float], ...]

    def __post_init__(self) -> None:
        comps = tuple(tuple(c) for c in self.components)
        if not comps or any(len(c) != 3 for c in comps):
            raise ValueError(f"components: must be a non-empty sequence of (weight, temperature, drift), got "
                             f"{self.components!r}")
        for k, (w, t, u) in enumerate(comps):
            check_positive(f"components (weight {k + 1})", w)
            check_positive(f"components (temperature {k + 1})", t)
            check_real(f"components (drift {k + 1})", u)
        object.__setattr__(self, "components", comps)

    @property
    def normalised(self) -> tuple[tuple[float, float, float], ...]:
        """(w_k, T_k, u_k - ū) with Σ w = 1, ū = Σ w u."""
        wsum = sum(c[0] for c in self.components)
        ws = [c[0] / wsum for c in self.components]
        mean = sum(w * c[2] for w, c in zip(ws, self.components, strict=True))
        return tuple((w, c[1], c[2] - mean) for w, c in zip(ws, self.components, strict=True))

    @property
    def energy(self) -> float:
        return float(sum(w * (3.0 * t + u * u) for w, t, u in self.normalised))

    @property
    def name(self) -> str:
        return "axial_mixture:" + ";".join(f"{w!r},{t!r},{u!r}" for w, t, u in self.components)

    def __call__(self, v: np.ndarray) -> np.ndarray:
        v = np.asarray(v, dtype=np.float64)
        out = np.zeros(v.shape[:-1])
        for w, t, u in self.normalised:
            q = v[..., 0] ** 2 + v[..., 1] ** 2 + (v[..., 2] - u) ** 2
            out += w * (2.0 * math.pi * t) ** -1.5 * np.exp(-q / (2.0 * t))
        return out


@dataclass(frozen=True)
class _Datum:
    """An initial datum: density of v (…, 3), temperature range, largest drift, nominal invariants or None."""

    fn: Callable[[np.ndarray], np.ndarray]
    t_min: float
    t_max: float
    drift: float
    nominal: tuple[float, float, float] | None
    label: str


def _datum(init: Any) -> _Datum:
    if isinstance(init, AxialMixture):
        comps = init.normalised
        return _Datum(init, min(c[1] for c in comps), max(c[1] for c in comps), max(abs(c[2]) for c in comps),
                      (1.0, 0.0, init.energy), init.name)
    if isinstance(init, SmoothedShell):
        def shell(v: np.ndarray) -> np.ndarray:
            return init(np.sqrt(np.sum(np.asarray(v) ** 2, axis=-1)))

        return _Datum(shell, init.width ** 2, init.max_temperature, 0.0, (1.0, 0.0, 3.0), init.name)
    if callable(init) and not isinstance(init, (str, InitSpec)):
        return _Datum(init, float(getattr(init, "min_temperature", 1.0)), float(getattr(init, "max_temperature", 1.0)),
                      float(getattr(init, "max_drift", 0.0)), None, getattr(init, "name", "callable"))
    spec = parse_init(init)
    if spec.name == "shell":
        raise ValueError("init: 'shell' is a measure on the sphere |v| = sqrt(3), not a density; "
                         "use SmoothedShell(width) for the deterministic solvers")
    density(spec, np.zeros((1, 3)))  # validates (BKW range) with a ValueError naming init
    temps = _temperatures(spec)
    return _Datum(lambda v: density(spec, v), min(temps), max(temps), 0.0, (1.0, 0.0, spec.energy), str(spec))


def _temperatures(spec: InitSpec) -> tuple[float, ...]:
    """Temperatures of the Gaussian factors of a named datum (for the default grid)."""
    if spec.name == "mixture":
        return tuple(t for _, t in spec.mixture)
    if spec.name in ("bimaxwellian", "bkw"):
        return spec.params
    return (1.0,)


def default_resolution(init: Any) -> tuple[int, float]:
    """(n_r, v_max) for a datum: v_max = max drift + √(2·40·T_max), h = 0.354 √T_min (module constants)."""
    d = _datum(init)
    v_max = d.drift + math.sqrt(2.0 * TAIL_EXPONENT * d.t_max)
    return max(8, math.ceil(v_max / (H_PER_SQRT_T * math.sqrt(d.t_min)))), v_max


def _angular_tail(grid: AxisymmetricGrid, f: np.ndarray) -> float:
    """max over r of the two highest Legendre modes of r² f, relative to the largest ℓ = 0 value."""
    fl = grid.to_modes(f) * grid.r[:, None] ** 2
    return float(np.max(np.abs(fl[:, -2:])) / np.max(np.abs(fl[:, 0])))


def _sample(d: _Datum, grid: AxisymmetricGrid) -> np.ndarray:
    v = np.stack([grid.v_perp(), np.zeros(grid.shape), grid.v_z()], axis=-1)
    f = np.asarray(d.fn(v), dtype=np.float64)
    if f.shape != grid.shape or not np.all(np.isfinite(f)) or np.any(f < 0.0):
        raise ValueError("init: the density must be finite and non-negative, with shape (..., 3) -> (...)")
    return f


def _choose_n_xi(d: _Datum, n_r: int, v_max: float) -> int:
    for n in N_XI_CHOICES:
        grid = AxisymmetricGrid(n_r, v_max, n)
        if _angular_tail(grid, _sample(d, grid)) <= XI_TOL:
            return n
    return N_XI_CHOICES[-1]


def _build_grid(init: Any, n_r: int | None, v_max: float | None, n_xi: int | None) -> tuple[_Datum, AxisymmetricGrid]:
    d = _datum(init)
    nr0, vm0 = default_resolution(init)
    vm = vm0 if v_max is None else check_positive("v_max", v_max)
    nr = (max(8, math.ceil(nr0 * vm / vm0)) if n_r is None else check_int("n_r", n_r, 4))
    nx = _choose_n_xi(d, nr, vm) if n_xi is None else check_int("n_xi", n_xi, 2)
    return d, AxisymmetricGrid(nr, vm, nx)


def initial_state(grid: AxisymmetricGrid, op: AxisymmetricOperator, d: _Datum) -> np.ndarray:
    """Nodal values of the datum, corrected by f(1 + c₀ + c₁ v_z + c₂|v|²) to the nominal mass 1, momentum 0 and
    energy (docs/spec.md §8; the correction is of the size of the quadrature error, ~1e-15 for resolved data). Data
    without
    nominal invariants (plain callables) are only scaled to mass 1. ``ValueError`` naming n_r, v_max or n_xi for
    a grid that does not resolve the datum."""
    f = _sample(d, grid)
    edge = np.stack([grid.v_max * grid.sin, np.zeros(grid.n_xi), grid.v_max * grid.xi], axis=-1)
    tail = float(np.max(np.asarray(d.fn(edge)))) * grid.v_max ** 4 / float(np.max((grid.r ** 4)[:, None] * f))
    if tail > TAIL_TOL:
        raise ValueError(f"v_max: the initial density is not negligible at v_max = {grid.v_max:g} "
                         f"(f r⁴ there is {tail:.1e} of its maximum); increase v_max")
    angular = _angular_tail(grid, f)
    if angular > XI_COARSE:
        raise ValueError(f"n_xi: {grid.n_xi} Legendre nodes do not resolve the initial datum in angle (highest modes "
                         f"{angular:.1e} of the isotropic part); increase n_xi")
    m = op.moments(f)
    if abs(m[0] - 1.0) > COARSE_TOL:
        raise ValueError(f"n_r: the radial grid (n_r = {grid.n_r}, v_max = {grid.v_max:g}) is too coarse for the "
                         f"initial datum (sampled mass {m[0]:.4g})")
    if d.nominal is None:
        return f / m[0]
    return op.project(f, np.array(d.nominal))


def operator_factors(d: Defect) -> tuple[float, float]:
    """(half, friction) of the operator half · ∇·(A∇f - friction · B f): (½, 1) (docs/spec.md eq. (1)); under the
    planted defects ``AXISYMMETRIC_CONSTANT`` half = ½(1 + ε), ``AXISYMMETRIC_FRICTION_SIGN`` friction = 1 - 2ε."""
    half = 0.5 * (1.0 + d.amp) if d.code == AXISYMMETRIC_CONSTANT else 0.5
    friction = 1.0 - 2.0 * d.amp if d.code == AXISYMMETRIC_FRICTION_SIGN else 1.0
    return half, friction


def _operator(grid: AxisymmetricGrid, gamma: float, kernel: str, d: Defect = NO_DEFECT) -> AxisymmetricOperator:
    half, friction = operator_factors(d)
    return AxisymmetricOperator(grid, gamma, half=half, friction=friction,
                                method=check_choice("kernel", kernel, ("auto", "closed", "quadrature")))


def discretise(gamma: float, init: Any, n_r: int | None = None, v_max: float | None = None,
               n_xi: int | None = None, kernel: str = "auto",
               mutant: str | None = None) -> tuple[_Datum, AxisymmetricOperator, np.ndarray]:
    """(datum, operator, initial nodal values) of ``init`` at exponent γ: the grid of :func:`solve_axisymmetric`
    for the same resolution arguments (``mutant``: a planted defect of component "axisymmetric", or None)."""
    gamma = check_gamma(gamma)
    d, grid = _build_grid(init, n_r, v_max, n_xi)
    op = _operator(grid, gamma, kernel, defect(mutant, "axisymmetric"))
    return d, op, initial_state(grid, op, d)


def initial_rate(gamma: float, init: Any = "bimaxwellian:2,0.5", *, n_r: int | None = None,
                 v_max: float | None = None, n_xi: int | None = None, kernel: str = "auto") -> dict[str, float]:
    """Initial rates of the discrete datum: ``dtpar_dt`` = d/dt ∫ v_z² f, ``dtperp_dt`` = d/dt ½∫ v_⊥² f, and
    ``dmoment4_dt`` = d/dt ∫|v|⁴ f at t = 0 (Σ ω φ Q(f₀)), plus the resolution used."""
    _, op, f0 = discretise(gamma, init, n_r, v_max, n_xi, kernel)
    g = op.grid
    q = op.rhs(f0)
    return {"dtpar_dt": g.integrate(g.v_z() ** 2 * q), "dtperp_dt": 0.5 * g.integrate(g.v_perp() ** 2 * q),
            "dmoment4_dt": g.integrate((g.r ** 4)[:, None] * q), "n_r": g.n_r, "n_xi": g.n_xi, "v_max": g.v_max}


def collision_coefficients(gamma: float, init: Any, points: object, *, n_r: int | None = None,
                           v_max: float | None = None, n_xi: int | None = None,
                           kernel: str = "auto") -> tuple[np.ndarray, np.ndarray]:
    """((a∗f₀)(v), (b∗f₀)(v)) of the initial datum at ``points`` (M × 3): shapes (M, 3, 3), (M, 3)."""
    check_array("points", points, (None, 3))
    _, op, f0 = discretise(gamma, init, n_r, v_max, n_xi, kernel)
    return CoefficientProbe(op).coefficients(f0, points)


def record_coefficients(record: dict[str, Any], snapshot: int, points: object) -> tuple[np.ndarray, np.ndarray]:
    """((a∗f_t)(v), (b∗f_t)(v)) at ``points`` (M × 3) for snapshot k of a :func:`solve_axisymmetric` record run
    with ``keep_states=True`` (the operator is rebuilt from the record's γ, grid and kernel; weights are cached)."""
    if "states" not in record:
        raise ValueError("record: has no 'states'; run solve_axisymmetric with keep_states=True")
    snapshot = check_int("snapshot", snapshot, 0, len(record["states"]) - 1)
    return CoefficientProbe(record_operator(record)).coefficients(np.array(record["states"][snapshot]), points)


def record_operator(record: dict[str, Any]) -> AxisymmetricOperator:
    """The operator of a :func:`solve_axisymmetric` record: its grid, γ, kernel route and planted defect (kernel
    weights are cached per grid and γ)."""
    grid = AxisymmetricGrid(record["n_r"], record["v_max"], record["n_xi"])
    return _operator(grid, record["gamma"], record["kernel"], defect(record.get("mutant"), "axisymmetric"))


def nrl_isotropization_rate(tpar: float, tperp: float) -> float:
    """dT∥/dt of a bi-Maxwellian in docs/spec.md units (γ = -3) from the NRL formulary (module docstring)."""
    tpar = check_positive("tpar", tpar)
    tperp = check_positive("tperp", tperp)
    a = tperp / tpar - 1.0
    if abs(a) < 1e-4:  # A⁻²[-3 + (A+3) atan(√A)/√A] = Σ_{n≥2} (-1)^n 4(n-1)/(4n²-1) A^(n-2) = 4/15 - 8A/35 + 4A²/21 - …
        bracket = 4.0 / 15.0 - 8.0 * a / 35.0 + 4.0 * a * a / 21.0
    else:
        ratio = math.atan(math.sqrt(a)) / math.sqrt(a) if a > 0 else math.atanh(math.sqrt(-a)) / math.sqrt(-a)
        bracket = (-3.0 + (a + 3.0) * ratio) / (a * a)
    nu = bracket / (2.0 * math.sqrt(math.pi) * tpar ** 1.5)
    return 2.0 * nu * (tperp - tpar)


# --- solve -------------------------------------------------------------------------------------------------


def _entropy_terms(grid: AxisymmetricGrid, f: np.ndarray) -> np.ndarray:
    pos = f > 0.0
    return np.where(pos, grid.omega * f * np.log(np.where(pos, f, 1.0)), 0.0)


class _Recorder:
    """Snapshot diagnostics of a run (docs/spec.md §8 fields and the extras of :func:`solve_axisymmetric`)."""

    KEYS = ("mass", "momentum", "energy", "second_moment", "moment4", "entropy", "fisher", "entropy_dissipation",
            "tpar", "tperp", "min_density")

    def __init__(self, op: AxisymmetricOperator, coeff_points: np.ndarray | None,
                 density_points: np.ndarray | None, keep_states: bool) -> None:
        self.op = op
        self.rec: dict[str, list[Any]] = {k: [] for k in self.KEYS}
        self.coeff_points, self.density_points = coeff_points, density_points
        self.probe = CoefficientProbe(op) if coeff_points is not None or density_points is not None else None
        if coeff_points is not None:
            self.rec.update(a_coefficients=[], b_coefficients=[])
        if density_points is not None:
            self.rec["density"] = []
        if keep_states:
            self.rec["states"] = []

    def __call__(self, _k: int, f: np.ndarray) -> None:
        g, rec = self.op.grid, self.rec
        mass, pz, energy = self.op.moments(f)
        mzz = g.integrate(g.v_z() ** 2 * f)
        mperp = 0.5 * g.integrate(g.v_perp() ** 2 * f)
        pos = f > 0.0
        grad_r, grad_t = g.grad(np.sqrt(np.where(pos, f, 0.0)))
        safe = np.where(pos, f, 1.0)
        q = self.op.rhs(f)
        for key, val in (("mass", mass), ("momentum", [0.0, 0.0, pz]), ("energy", energy),
                         ("second_moment", np.diag([mperp, mperp, mzz]).tolist()),
                         ("moment4", g.integrate((g.r ** 4)[:, None] * f)),
                         ("entropy", float(np.sum(_entropy_terms(g, f)))),
                         ("fisher", 4.0 * g.integrate(grad_r ** 2 + grad_t ** 2)),
                         ("entropy_dissipation", -float(np.sum(np.where(pos, g.omega * np.log(safe) * q, 0.0)))),
                         ("tpar", mzz), ("tperp", mperp), ("min_density", float(np.min(f)))):
            rec[key].append(val)
        if self.coeff_points is not None:
            a, b = self.probe.coefficients(f, self.coeff_points)
            rec["a_coefficients"].append(a.tolist())
            rec["b_coefficients"].append(b.tolist())
        if self.density_points is not None:
            rec["density"].append(self.probe.density(f, self.density_points).tolist())
        if "states" in rec:
            rec["states"].append(f.tolist())


def solve_axisymmetric(gamma: float, t_end: float, *, init: Any = "bimaxwellian:2,0.5", snapshots: int = 11,
                       n_r: int | None = None, v_max: float | None = None, n_xi: int | None = None,
                       rtol: float = DEFAULT_RTOL, dt: float | None = None, kernel: str = "auto",
                       precision: str = "float64", mutant: str | None = None,
                       progress: Callable[[float, float], None] | None = None,
                       coefficients_at: object = None, density_at: object = None,
                       keep_states: bool = False) -> dict[str, Any]:
    """One axisymmetric Landau run (docs/spec.md §8 ``solve --method axisymmetric``) from ``init`` to ``t_end``.

    ``init``: ``maxwellian``, ``bimaxwellian:TPAR,TPERP`` (axis z), ``bkw:K0``, ``mixture:…`` (normalised as in
    docs/spec.md §8), an :class:`AxialMixture`, a :class:`~.densities.SmoothedShell`, or a callable f(v) of velocities
    (…, 3) (optional attributes ``min_temperature``, ``max_temperature``, ``max_drift`` size the default grid;
    it is scaled to mass 1, its momentum and energy kept).

    Resolution: ``n_r`` speeds on (0, ``v_max``) (defaults: :func:`default_resolution`, h = 0.354 √T_min,
    v_max = max drift + √(80 T_max)), ``n_xi`` Gauss–Legendre nodes in ξ (default: the smallest of
    ``N_XI_CHOICES`` whose two highest Legendre modes of the datum are below ``XI_TOL`` = 1e-5, e.g. 32 for
    ``bimaxwellian:2,0.5``); time: adaptive SDIRK4 with tolerance ``rtol`` (default 1e-7), or a fixed step ≤ ``dt``.
    ``kernel``: "auto" (closed-form Green's functions for γ ∈ {-3, -1, 0, 1}, quadrature otherwise), "closed",
    "quadrature". ``precision``: "float64" (the only arithmetic of the time stepper; the 30-digit spot check of
    the semi-discrete operator is :func:`.axisymmetric_mp.initial_rate_mp`). ``mutant``: a planted defect
    (:mod:`mbc_verify.mutants`, component "axisymmetric": ``axisymmetric_without_half``,
    ``axisymmetric_friction_sign``; :func:`operator_factors`), None for the correct operator; mutants of other
    components leave it unchanged.

    Returns the docs/spec.md §8 record at ``snapshots`` equally spaced times: ``times``, ``mass``, ``momentum`` (K×3),
    ``energy``, ``second_moment`` (K×3×3, axis z, diagonal by symmetry), ``moment4``, ``entropy`` (Σ ω f log f),
    ``fisher``, ``wall_seconds``, the parameters (``method``, ``gamma``, ``t_end``, ``init``, ``snapshots``,
    ``n_r``, ``n_xi``, ``v_max``, ``rtol``, ``dt``, ``kernel``, ``precision``, ``mutant``); and ``tpar`` = ∫v_z² f,
    ``tperp`` = ½∫v_⊥² f, ``entropy_dissipation`` (-Σ ω log f Q(f)), ``min_density``, per step ``step_times`` and
    ``step_entropy``, ``entropy_max_step_increase``, ``entropy_roundoff_bound`` (2(log₂N + 2)ε Σ|ω f log f|, the
    summation round-off of a difference of two entropies), counters ``steps``, ``rejected_steps``,
    ``newton_iterations``, ``gmres_iterations``, ``max_conservation_correction`` (largest |c₁|, |c₂|), and the
    final nodal density (``r``, ``xi``, ``final_density``). With ``coefficients_at`` = points (M×3):
    ``a_coefficients`` (K×M×3×3) = (a∗f_t)(v) and ``b_coefficients`` (K×M×3) = (b∗f_t)(v); with ``density_at``:
    ``density`` (K×M); with ``keep_states``: ``states`` (K×n_r×n_ξ, the nodal density at every snapshot, for
    :func:`record_coefficients` at points that change from snapshot to snapshot, e.g. particles).
    ``progress(t, t_end)`` is called after every step.
    """
    gamma = check_gamma(gamma)
    t_end = check_positive("t_end", t_end)
    snapshots = check_int("snapshots", snapshots, 2)
    rtol = check_positive("rtol", rtol)
    if dt is not None:
        dt = check_positive("dt", dt)
    if precision != "float64":
        raise ValueError(f"precision: the time stepper runs in float64 only, got {precision!r}; the mpmath spot check "
                         "of the operator is mbc_verify.landau.axisymmetric_mp.initial_rate_mp")
    mutant = check_mutant(mutant)
    if progress is not None and not callable(progress):
        raise ValueError("progress: must be a callable progress(t, t_end) or None")
    cpts = None if coefficients_at is None else check_array("coefficients_at", coefficients_at, (None, 3))
    dpts = None if density_at is None else check_array("density_at", density_at, (None, 3))
    start = time.perf_counter()
    d, op, f0 = discretise(gamma, init, n_r, v_max, n_xi, kernel, mutant)
    grid = op.grid
    times = np.linspace(0.0, t_end, snapshots)
    recorder = _Recorder(op, cpts, dpts, bool(keep_states))
    eps_sum = 2.0 * (math.log2(f0.size) + 2.0) * float(np.finfo(np.float64).eps)
    step_entropy = [float(np.sum(_entropy_terms(grid, f0)))]
    bound = [eps_sum * float(np.sum(np.abs(_entropy_terms(grid, f0))))]
    final: list[np.ndarray] = [f0]

    def on_step(t: float, f: np.ndarray) -> None:
        terms = _entropy_terms(grid, f)
        step_entropy.append(float(np.sum(terms)))
        bound.append(eps_sum * float(np.sum(np.abs(terms))))
        final[0] = f
        if progress is not None:
            progress(t, t_end)

    stats = integrate(op, f0, times, rtol=rtol, dt=dt, newton_tol=min(1e-10, 1e-3 * rtol), record=recorder,
                      on_step=on_step)
    increases = np.diff(step_entropy)
    out: dict[str, Any] = {"times": times.tolist(), **recorder.rec}
    out.update(
        step_times=[0.0, *stats.step_times], step_entropy=step_entropy,
        entropy_max_step_increase=float(np.max(increases)), entropy_roundoff_bound=float(max(bound)),
        steps=stats.steps, rejected_steps=stats.rejected, newton_iterations=stats.newton,
        gmres_iterations=stats.gmres, max_conservation_correction=stats.max_correction,
        r=grid.r.tolist(), xi=grid.xi.tolist(), final_density=final[0].tolist(),
        wall_seconds=time.perf_counter() - start, method="axisymmetric", gamma=gamma, t_end=t_end, init=d.label,
        snapshots=snapshots, n_r=grid.n_r, n_xi=grid.n_xi, v_max=grid.v_max, rtol=rtol, dt=dt, kernel=kernel,
        precision=precision, mutant=mutant)
    return out
