"""Conservative entropic solver for the isotropic Landau equation, any γ ∈ [-3, 1] (docs/spec.md §1, §8 ``solve``).

**Equation.** For f(v) = F(|v|) the weak form of docs/spec.md §1 (with its ½) becomes, with x = r²/2 and
Dφ = dφ/dx = φ'(r)/r (because ∇φ = φ'(r) v/r and Π(v-w)(r e - s e_*) = 0),

    d/dt ∫ φ f dv = -¼ ∫₀^∞∫₀^∞ F(r) F(s) K(r, s) (Dφ(r) - Dφ(s)) (D log F(r) - D log F(s)) dr ds,
    K(r, s) = 8π² r⁴ s⁴ Θ(r, s),   Θ(r, s) = ∫_{-1}^{1} |v - w|^γ (1 - μ²) dμ,  |v-w|² = r² + s² - 2rsμ,

using |v - w|^{γ+2} e·Π(v-w)e r² = |v - w|^γ |v × w|². φ = 1 and φ = r² = 2x have Dφ constant, so mass and
energy are conserved; φ = log F gives d/dt ∫ f log f = -¼ ∫∫ F F_* K (D log F - D log F_*)² ≤ 0.
This is the isotropic form of Buet & Cordier (J. Comput. Phys. 145 (1998) 228) and Lemou (Numer. Math. 78
(1998) 597); cf. the discrete-entropy structure of Carrillo, Hu, Wang & Wu (J. Comput. Phys. X 7 (2020)).

**Discretisation** (our formulas; kernel in :mod:`.isotropic_kernel`). Uniform cells of width Δr = v_max/n with
centres r_i = (i + ½)Δr and midpoint weights ω_i = 4π Δr r_i² (for smooth f, r² F(r) is even in r, so the
Euler–Maclaurin terms of the midpoint rule vanish at r = 0 and the moments Σ ω_i r_i^{2k} F(r_i) are accurate
beyond all orders up to the negligible tail at v_max); interfaces ρ_a = (a + 1)Δr; the double integral by the
trapezoid rule on the interfaces (W_ab = Δr K(ρ_a, ρ_b), symmetric); D by the difference quotient in x
(x_{a+1} - x_a = ρ_a Δr exactly) and F at an interface by the logarithmic mean 𝔽, so that 𝔽 D log F = DF.
The discrete weak form with the same two-point structure gives

    ω_i dF_i/dt = ½ (J_i/ρ_i - J_{i-1}/ρ_{i-1}),   J_a = Σ_b W_ab (𝔽_b DF_a - 𝔽_a DF_b),  J at the ends = 0.

Hence, exactly in exact arithmetic and to round-off in floating point: Σ ω_i F_i (mass) and Σ ω_i r_i² F_i
(energy) are constant (telescoping, and Σ_a J_a = 0 by the symmetry of W), and the discrete entropy
H = Σ ω_i F_i log F_i has dH/dt = -¼ Δr Σ_ab W_ab 𝔽_a 𝔽_b (D log F_a - D log F_b)² ≤ 0. The scheme is second
order in Δr (centred differences and the logarithmic mean at the interfaces; the kernel's kink at r = s lies on
grid nodes, where it multiplies a vanishing factor); measured orders in tests and ``reference/``.

**Time stepping.** SSP-RK3 (Shu–Osher), a convex combination of forward-Euler steps, with the step
dt = cfl / λ, λ the Gershgorin bound of the diffusion part recomputed at every step (cfl = 0.5; forward Euler
is positivity-preserving for the diffusion part at cfl ≤ 1), the last step of each output interval shortened
to hit the output time. With ``dt`` given, each output interval is cut into equal steps ≤ dt (no adaptivity;
this is what the mpmath comparison uses); a step beyond the stability bound raises ``ValueError`` naming dt.
A step that would make F non-positive is rejected and retried at half the step (counted in ``rejected_steps``;
with ``dt`` given it raises ``ValueError`` naming dt instead).

**Diagnostics.** mass Σω_iF_i, energy Σω_i r_i²F_i, ∫|v|⁴f ≈ Σω_i r_i⁴F_i, entropy H, entropy dissipation
D = -Σ ω_i log F_i dF_i/dt ≥ 0, Fisher information I = ∫|∇f|²/f = 4π Σ_a Δr ρ_a⁴ DF_a²/𝔽_a (non-increasing
along the Landau flow by Guillén–Silvestre, Acta Math. 234 (2025) 315–375, Thm 1.1, whose assumption holds for
every power law γ ∈ [-3, 1], Coulomb included; the discrete I carries an O(Δr²) error), and the largest
entropy increase of any single step (``entropy_max_step_increase``), to be compared with
``entropy_roundoff_bound`` = max over steps of 2 (log₂ n + 2) ε Σ|ω_i F_i log F_i| (pairwise summation of n
terms has error ≤ (log₂ n + 1) ε Σ|terms|, one more ε for the products, twice for a difference of two sums;
:func:`.isotropic_diagnostics.entropy_roundoff_bound`). Further diagnostics of grid densities (the dissipation
form, flux magnitudes, round-off bounds, the discrete Maxwellian) are in :mod:`.isotropic_diagnostics`.

**Precision.** ``precision="mpmath"`` runs the same kernel source (``collision_rhs.py_func``) on object arrays
of mpmath numbers at 30 digits, with Θ by mpmath quadrature; meant for small grids (n ≲ 40).

Mutants (target ``isotropic``): ``solver_without_half`` doubles the operator, ``entropy_sign`` flips the sign
of the friction term 𝔽_a DF_b in J_a.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import mpmath
import numpy as np

from ..initial import InitSpec, parse_init
from ..mutants import FRICTION_SIGN, SOLVER_CONSTANT, Defect, check_mutant, defect
from ..validation import check_choice, check_gamma, check_int, check_positive
from .densities import SmoothedShell, radial_function
from .isotropic_diagnostics import entropy_roundoff_bound
from .isotropic_kernel import FLUX_COEFFICIENT, collision_rhs, zeros_like_work

__all__ = ["IsotropicGrid", "solve_isotropic", "theta", "theta_mp", "DEFAULT_N_GRID", "CFL"]

DEFAULT_N_GRID = 200
CFL = 0.5
MP_DPS = 30
N_GAUSS = 32
_GL_X, _GL_W = np.polynomial.legendre.leggauss(N_GAUSS)
_GL_T = 0.5 * (_GL_X + 1.0)
_GL_W = 0.5 * _GL_W
#: relative tail F(v_max) r⁴ / max F r⁴ allowed at the outer boundary of the grid
TAIL_TOL = 1e-13
#: floor of the initial density relative to its maximum (log F must exist; Landau solutions are positive for
#: t > 0): changes the mass by < 1e-198, far below round-off
FLOOR = 1e-200
#: relative error of the sampled initial mass/energy (before normalisation) that marks a too coarse grid
COARSE_TOL = 1e-2


def theta(r: np.ndarray, s: np.ndarray, gamma: float) -> np.ndarray:
    """Θ(r, s) = ∫_{-1}^{1} (r² + s² - 2rsμ)^{γ/2} (1 - μ²) dμ for r, s > 0 (broadcast), float64.

    With a = (r-s)², b = (r+s)², p = γ/2 and u = r² + s² - 2rsμ:  Θ = (2rs)^{-3} ∫_a^b u^p (u - a)(b - u) du.
    Where 4rs < 4a the integrand is analytic on a neighbourhood of the interval and Θ = 8 ∫₀¹ (a + 4rsτ)^p
    τ(1-τ) dτ by 32-point Gauss–Legendre (error ≲ 1e-25); elsewhere the closed form
    (2rs)^{-3} [-G(p+3) + (a+b) G(p+2) - ab G(p+1)], G(q) = (b^q - a^q)/q (log(b/a) at q = 0), which loses at
    most a factor ~10 to cancellation there; at r = s, Θ = (2r)^{2p} · 8/((p+2)(p+3)).
    """
    r, s = np.broadcast_arrays(np.asarray(r, dtype=np.float64), np.asarray(s, dtype=np.float64))
    p = 0.5 * gamma
    a = (r - s) ** 2
    q = 4.0 * r * s
    b = (r + s) ** 2
    out = np.empty(r.shape)
    gauss = q < 4.0 * a
    if np.any(gauss):
        ag, qg = a[gauss], q[gauss]
        vals = (ag[..., None] + qg[..., None] * _GL_T) ** p * (_GL_T * (1.0 - _GL_T))
        out[gauss] = 8.0 * vals @ _GL_W
    closed = ~gauss
    ac, bc, qc = a[closed], b[closed], q[closed]
    with np.errstate(divide="ignore", invalid="ignore"):
        def g(e: float) -> np.ndarray:
            if e == 0.0:
                return np.log(bc / ac)
            return (bc ** e - ac ** e) / e

        gen = -g(p + 3) + (ac + bc) * g(p + 2) - ac * bc * g(p + 1)
        diag = bc ** (p + 3) / ((p + 2) * (p + 3))
        vals = np.where(ac > 0.0, gen, diag)
    out[closed] = vals / (0.5 * qc) ** 3
    return out


def theta_mp(r: mpmath.mpf, s: mpmath.mpf, gamma: float) -> mpmath.mpf:
    """Θ(r, s) by mpmath tanh-sinh quadrature of 8∫₀¹ (a + 4rsτ)^{γ/2} τ(1-τ) dτ (current mpmath precision)."""
    a = (r - s) ** 2
    q = 4 * r * s
    p = mpmath.mpf(gamma) / 2
    return 8 * mpmath.quad(lambda t: (a + q * t) ** p * t * (1 - t), [0, 1])


@dataclass
class IsotropicGrid:
    """Radial grid of the scheme (module docstring): n cells on [0, v_max], arrays in the chosen arithmetic."""

    n: int
    v_max: float
    gamma: float
    precision: str = "float64"

    def __post_init__(self) -> None:
        n = self.n
        if self.precision == "mpmath":
            mpf = mpmath.mpf
            dr = mpf(self.v_max) / n
            idx = [mpf(i) for i in range(n)]
            self.r = np.array([(i + mpf(1) / 2) * dr for i in idx], dtype=object)
            self.rho = np.array([(i + 1) * dr for i in idx[:-1]], dtype=object)
            four_pi = 4 * mpmath.pi
            self.omega = np.array([four_pi * dr * x * x for x in self.r], dtype=object)
            w = np.empty((n - 1, n - 1), dtype=object)
            for a in range(n - 1):
                for b in range(a, n - 1):
                    ra, rb = self.rho[a], self.rho[b]
                    w[a, b] = w[b, a] = dr * 8 * mpmath.pi ** 2 * ra ** 4 * rb ** 4 * theta_mp(ra, rb, self.gamma)
            self.w = w
            self.dr = dr
            self.inv_omega = np.array([1 / x for x in self.omega], dtype=object)
        else:
            dr = self.v_max / n
            i = np.arange(n, dtype=np.float64)
            self.r = (i + 0.5) * dr
            self.rho = (i[:-1] + 1.0) * dr
            self.omega = 4.0 * math.pi * dr * self.r * self.r
            rho4 = self.rho ** 4
            w = np.empty((n - 1, n - 1))
            for a in range(n - 1):  # row by row: bounded memory for the Gauss–Legendre branch
                w[a] = dr * 8.0 * math.pi ** 2 * rho4[a] * rho4 * theta(self.rho[a], self.rho, self.gamma)
            self.w = np.ascontiguousarray(0.5 * (w + w.T))  # exact symmetry (Σ_a J_a = 0 needs W = Wᵀ)
            self.dr = dr
            self.inv_omega = 1.0 / self.omega

    def log(self, f: np.ndarray) -> np.ndarray:
        if self.precision == "mpmath":
            return np.array([mpmath.log(x) for x in f], dtype=object)
        return np.log(f)

    @property
    def small(self) -> float:
        """Threshold of the series branch of the logarithmic mean."""
        return 1e-6 if self.precision == "mpmath" else 1e-2

    def moments(self, f: np.ndarray) -> tuple[Any, Any, Any]:
        """(mass, energy, ∫|v|⁴ f) = Σ ω_i F_i (1, r_i², r_i⁴)."""
        wf = self.omega * f
        r2 = self.r * self.r
        return np.sum(wf), np.sum(wf * r2), np.sum(wf * r2 * r2)

    def entropy(self, f: np.ndarray, logf: np.ndarray) -> Any:
        return np.sum(self.omega * f * logf)

    def fisher(self, fm: np.ndarray, df: np.ndarray) -> Any:
        """I = ∫|∇f|²/f ≈ 4π Σ_a Δr ρ_a⁴ DF_a²/𝔽_a from the interface values of the scheme."""
        four_pi = 4 * mpmath.pi if self.precision == "mpmath" else 4.0 * math.pi
        return four_pi * self.dr * np.sum(self.rho ** 4 * df * df / fm)


def _temperature_scale(init: Any) -> float:
    """A temperature bounding the tail of the initial datum and of its evolution (for the default v_max)."""
    if isinstance(init, SmoothedShell):
        return init.max_temperature
    if callable(init) and not isinstance(init, (str, InitSpec)):
        return 1.0
    s = parse_init(init)
    if s.name == "mixture":
        return max(1.0, max(t for _, t in s.mixture))
    return 1.0


def default_v_max(init: Any) -> float:
    """v_max = √(80 T): the Maxwellian tail e^{-v²/(2T)} is e^{-40} ≈ 4e-18 there."""
    return math.sqrt(80.0 * _temperature_scale(init))


def initial_values(grid: IsotropicGrid, radial: Callable[[np.ndarray], np.ndarray]) -> np.ndarray:
    """F_i = F(r_i)(c₀ + c₁ r_i²) with c₀, c₁ fixed so that the discrete mass is 1 and energy 3 (docs/spec.md §8).

    Values below FLOOR × max F (underflow in the tails of narrow data) are raised to it. The correction is
    O(Δr²) (quadrature error); a grid too coarse for the datum (sampled mass or energy off by more than
    COARSE_TOL) raises ``ValueError`` naming n_grid, a tail not resolved by v_max one naming v_max.
    """
    r64 = np.asarray(grid.r, dtype=np.float64)
    f64 = np.asarray(radial(r64), dtype=np.float64)
    if f64.shape != r64.shape or not np.all(np.isfinite(f64)) or np.any(f64 < 0.0):
        raise ValueError("init: the radial density must be finite and non-negative on the grid")
    f64 = np.maximum(f64, FLOOR * f64.max())
    m4 = f64 * r64 ** 4
    if m4[-1] > TAIL_TOL * m4.max():
        raise ValueError(f"v_max: the initial density is not negligible at v_max = {grid.v_max:g} "
                         f"(F r⁴ there is {m4[-1] / m4.max():.1e} of its maximum); increase v_max")
    if grid.precision == "mpmath":
        f = np.array([mpmath.mpf(x) for x in f64], dtype=object)
    else:
        f = f64
    mass, energy, _ = grid.moments(f)
    if abs(float(mass) - 1.0) > COARSE_TOL or abs(float(energy) - 3.0) > 3.0 * COARSE_TOL:
        raise ValueError(f"n_grid: the grid (n = {grid.n}, v_max = {grid.v_max:g}) is too coarse for the initial "
                         f"datum: sampled mass {float(mass):.4g}, energy {float(energy):.4g} (should be 1, 3)")
    _, e1, e2 = grid.moments(f)  # Σ ω F r^2, Σ ω F r^4
    # solve [[m, e1], [e1, e2]] (c0, c1) = (1, 3)
    det = mass * e2 - e1 * e1
    c0 = (e2 - 3 * e1) / det
    c1 = (3 * mass - e1) / det
    return f * (c0 + c1 * grid.r * grid.r)


def _init_label(init: Any) -> str:
    if isinstance(init, SmoothedShell):
        return init.name
    if callable(init) and not isinstance(init, (str, InitSpec)):
        return getattr(init, "name", "callable")
    return str(parse_init(init))


def solve_isotropic(gamma: float, t_end: float, *, init: Any = "maxwellian", snapshots: int = 11,
                    n_grid: int | None = None, v_max: float | None = None, dt: float | None = None,
                    mutant: str | None = None, progress: Callable[[float, float], None] | None = None,
                    precision: str = "float64", cfl: float = CFL) -> dict[str, Any]:
    """Run the conservative entropic isotropic scheme (module docstring) from ``init`` to ``t_end``.

    ``init``: an isotropic initial-data name (``maxwellian``, ``bkw:K0``, ``mixture:…``; ``shell`` is refused,
    pass ``SmoothedShell(width)`` instead) or a callable radial density F(r) (mass ≈ 1, energy ≈ 3; it is
    renormalised on the grid). ``n_grid`` cells (default 200) on [0, ``v_max``] (default √(80 T), T the largest
    temperature of the datum and ≥ 1). ``dt``: fixed maximal step (default: adaptive, dt = ``cfl``/λ, cfl ≤ 1).
    ``snapshots`` output times equally spaced on [0, t_end]. Returns the docs/spec.md §8 ``solve`` record, plus
    ``entropy_dissipation``, ``entropy_max_step_increase``, ``steps``, ``rejected_steps``, ``r`` and ``density``
    (the final F_i), in float (mpmath values are converted after the run; ``*_mp`` strings keep 30 digits).
    """
    gamma = check_gamma(gamma)
    t_end = check_positive("t_end", t_end)
    snapshots = check_int("snapshots", snapshots, 2)
    n = DEFAULT_N_GRID if n_grid is None else check_int("n_grid", n_grid, 8)
    precision = check_choice("precision", precision, ("float64", "mpmath"))
    mutant = check_mutant(mutant)
    d = defect(mutant, "isotropic")
    if dt is not None:
        dt = check_positive("dt", dt)
    cfl = check_positive("cfl", cfl)
    if cfl > 1.0:
        raise ValueError(f"cfl: must be <= 1 (forward-Euler positivity bound of the diffusion part), got {cfl!r}")
    if isinstance(init, str) or isinstance(init, InitSpec):
        spec = parse_init(init)
        if not spec.isotropic:
            raise ValueError(f"init: {str(spec)!r} is not isotropic; the isotropic solver needs an isotropic datum")
    radial = radial_function(init)
    vm = default_v_max(init) if v_max is None else check_positive("v_max", v_max)
    if progress is not None and not callable(progress):
        raise ValueError("progress: must be a callable progress(t, t_end) or None")

    t0 = time.perf_counter()
    if precision == "mpmath":
        with mpmath.workdps(MP_DPS):
            rec = _run(IsotropicGrid(n, vm, gamma, "mpmath"), radial, t_end, snapshots, dt, cfl, d, progress)
    else:
        rec = _run(IsotropicGrid(n, vm, gamma), radial, t_end, snapshots, dt, cfl, d, progress)
    k = len(rec["times"])
    energy = rec["energy"]
    rec.update(
        momentum=[[0.0, 0.0, 0.0] for _ in range(k)],
        second_moment=[(np.eye(3) * (e / 3.0)).tolist() for e in energy],
        wall_seconds=time.perf_counter() - t0,
        method="isotropic", gamma=gamma, t_end=t_end, init=_init_label(init), snapshots=snapshots,
        n_grid=n, v_max=vm, dt=dt, cfl=cfl, precision=precision, mutant=mutant,
    )
    return rec


def flux_factors(d: Defect, mp: bool) -> tuple[Any, Any]:
    """(c, s) of the flux c (J/ρ differences) with friction sign s: (½, 1) (docs/spec.md eq. (1)); under the
    planted defects ``SOLVER_CONSTANT`` c = ½(1 + ε), ``FRICTION_SIGN`` s = 1 − 2ε."""
    coef = FLUX_COEFFICIENT * (1.0 + d.amp) if d.code == SOLVER_CONSTANT else FLUX_COEFFICIENT
    sign = 1.0 - 2.0 * d.amp if d.code == FRICTION_SIGN else 1.0
    return (mpmath.mpf(coef), mpmath.mpf(sign)) if mp else (coef, sign)


class _Integrator:
    """The SSP-RK3 time loop of :func:`solve_isotropic` (module docstring, "Time stepping"): state, records,
    entropy bookkeeping."""

    KEYS = ("mass", "energy", "moment4", "entropy", "fisher", "entropy_dissipation")

    def __init__(self, grid: IsotropicGrid, f: np.ndarray, d: Defect, cfl: float) -> None:
        self.grid, self.f, self.cfl = grid, f, cfl
        self.mp = grid.precision == "mpmath"
        self.coef, self.sign = flux_factors(d, self.mp)
        self.rhs = collision_rhs.py_func if self.mp else collision_rhs
        self.work = zeros_like_work(f)
        self.logf = grid.log(f)
        self.rec: dict[str, list] = {k: [] for k in ("times", *self.KEYS)}
        self.steps = self.rejected = 0
        self.max_increase = -math.inf
        self.roundoff = 0.0
        self.h_old = grid.entropy(f, self.logf)

    def evaluate(self, g: np.ndarray, logg: np.ndarray) -> tuple[np.ndarray, Any]:
        """(dF/dt, the stability bound λ) at g."""
        grid, out = self.grid, self.work[0]
        lam = self.rhs(g, logg, grid.w, grid.rho, grid.dr, grid.inv_omega, self.coef, self.sign, grid.small, out,
                       *self.work[1:])
        return out.copy(), lam

    def record(self, t: Any) -> None:
        """Append the diagnostics of the current state at time t."""
        g, logg, grid = self.f, self.logf, self.grid
        mass, energy, m4 = grid.moments(g)
        k1, _ = self.evaluate(g, logg)
        diss = -np.sum(grid.omega * logg * k1)
        fisher = grid.fisher(self.work[1], self.work[2])
        for key, val in zip(self.KEYS, (mass, energy, m4, grid.entropy(g, logg), fisher, diss), strict=True):
            self.rec[key].append(val)
        self.rec["times"].append(t)

    def accept(self, f_new: np.ndarray) -> None:
        """Take the new state; track the largest entropy increase of a step and its round-off bound."""
        self.f = f_new
        self.logf = self.grid.log(f_new)
        h_new = self.grid.entropy(f_new, self.logf)
        self.max_increase = max(self.max_increase, float(h_new - self.h_old))
        self.roundoff = max(self.roundoff, entropy_roundoff_bound(self.grid, f_new, self.logf))
        self.h_old = h_new
        self.steps += 1

    def adaptive_step(self, t: Any, target: Any) -> Any:
        """One step of length ≤ cfl/λ (halved while a stage is not positive) towards target; returns the new t."""
        k1, lam = self.evaluate(self.f, self.logf)
        h = min(self.cfl / float(lam), float(target - t))
        last = h >= float(target - t)
        while True:
            hh = mpmath.mpf(h) if self.mp else h
            f_new = _ssp_rk3(self.f, k1, hh, self.grid, self.evaluate)
            if f_new is not None:
                break
            h *= 0.5
            last = False
            self.rejected += 1
        self.accept(f_new)
        return target if last else t + hh

    def fixed_step(self, t: Any, h: Any) -> None:
        """One step of the given length (ValueError naming dt beyond the stability bound or positivity)."""
        k1, lam = self.evaluate(self.f, self.logf)
        if float(h) * float(lam) > 1.0:
            raise ValueError(f"dt: the step {float(h):.3g} exceeds the stability bound 1/λ = "
                             f"{1.0 / float(lam):.3g} at t = {float(t):.4g}; reduce dt")
        f_new = _ssp_rk3(self.f, k1, h, self.grid, self.evaluate)
        if f_new is None:
            raise ValueError(f"dt: the step {float(h):.3g} makes the density non-positive at "
                             f"t = {float(t):.4g}; reduce dt")
        self.accept(f_new)

    def advance(self, t0: Any, target: Any, dt_max: float | None, tick: Callable[[Any], None]) -> None:
        """From t0 to target: adaptive steps, or equal steps ≤ dt_max; ``tick(t)`` after each step."""
        if dt_max is None:
            t = t0
            while t < target:
                t = self.adaptive_step(t, target)
                tick(t)
            return
        n_sub = max(1, math.ceil(float(target - t0) / dt_max * (1 - 1e-12)))
        h = (target - t0) / n_sub
        t = t0
        for sub in range(n_sub):
            self.fixed_step(t, h)
            t = target if sub == n_sub - 1 else t + h
            tick(t)

    def result(self) -> dict[str, Any]:
        """The record (floats; with ``*_mp`` 30-digit strings in mpmath mode)."""
        out: dict[str, Any] = {key: [float(x) for x in vals] for key, vals in self.rec.items()}
        if self.mp:
            for key in self.KEYS:
                out[key + "_mp"] = [mpmath.nstr(x, MP_DPS) for x in self.rec[key]]
        out.update(entropy_max_step_increase=self.max_increase, entropy_roundoff_bound=self.roundoff,
                   steps=self.steps, rejected_steps=self.rejected, r=[float(x) for x in self.grid.r],
                   density=[float(x) for x in self.f])
        return out


def _run(grid: IsotropicGrid, radial: Callable[[np.ndarray], np.ndarray], t_end: float, snapshots: int,
         dt_max: float | None, cfl: float, d: Defect,
         progress: Callable[[float, float], None] | None) -> dict[str, Any]:
    if grid.precision == "mpmath":
        times = [mpmath.mpf(t_end) * k / (snapshots - 1) for k in range(snapshots)]
    else:
        times = [t_end * k / (snapshots - 1) for k in range(snapshots)]
    run = _Integrator(grid, initial_values(grid, radial), d, cfl)

    def tick(t: Any) -> None:
        if progress is not None:
            progress(float(t), float(times[-1]))

    run.record(times[0])
    for k in range(1, len(times)):
        run.advance(times[k - 1], times[k], dt_max, tick)
        run.record(times[k])
    return run.result()


def _ssp_rk3(f: np.ndarray, k1: np.ndarray, h: Any, grid: IsotropicGrid,
             evaluate: Callable[[np.ndarray, np.ndarray], tuple[np.ndarray, Any]]) -> np.ndarray | None:
    """One Shu–Osher SSP-RK3 step; None when a stage is not positive (the caller halves the step)."""
    f1 = f + h * k1
    if not _positive(f1):
        return None
    k2, _ = evaluate(f1, grid.log(f1))
    f2 = (3 * f + f1 + h * k2) / 4
    if not _positive(f2):
        return None
    k3, _ = evaluate(f2, grid.log(f2))
    f3 = (f + 2 * f2 + 2 * h * k3) / 3
    if not _positive(f3):
        return None
    return f3


def _positive(f: np.ndarray) -> bool:
    return bool(np.all(f > 0)) if f.dtype == object else bool(np.all(f > 0.0) and np.all(np.isfinite(f)))
