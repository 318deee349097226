"""Regularised blob particle method for the homogeneous Landau equation (Carrillo–Hu–Wang–Wu 2020).

Reference: J. A. Carrillo, J. Hu, L. Wang, J. Wu, *A particle method for the homogeneous Landau equation*,
J. Comput. Phys. X 7 (2020) 100066, arXiv:1910.03080 ("CHWW").

**Equation and normalisation (docs/spec.md §1).** With a(z) = |z|^(γ+2) Π(z) and the ½ of docs/spec.md §1,

    ∂_t f = ½ ∇·∫ a(v-w) (f(w)∇f(v) - f(v)∇f(w)) dw = -∇·(f U[f]),
    U[f](v) = -½ ∫ a(v-w) (∇ δH/δf (v) - ∇ δH/δf (w)) f(w) dw,   δH/δf = log f.

CHWW write ∂_t f = ∇·∫ A(v-w)(f_* ∇f - f ∇_* f_*) dw with A(z) = C_γ |z|^γ (|z|² I - z⊗z) = C_γ a(z):
the spec's equation is CHWW's with **C_γ = ½** (equivalently CHWW's equation with C_γ = 1 run for time t/2).
CHWW's mollifier ψ_ε(v) = (2πε)^{-3/2} e^{-|v|²/(2ε)} has *variance* ε; here ``epsilon`` is the standard
deviation, i.e. ε_CHWW = epsilon².

**Regularisation (CHWW §3).** H is replaced by the regularised entropy H_ε(f) = ∫ (ψ_ε*f) log(ψ_ε*f), whose
velocity field U_ε[f] = U with ∇ δH_ε/δf = ∇ψ_ε * log(ψ_ε*f) (plus a constant) is defined for the particle
measure f^N = Σ_j w_j δ_{v_j}. As in CHWW the v-integral of H_ε is a midpoint quadrature on the fixed tensor
grid {x_l} on which the particles start (spacing Δx per axis):

    G_l = Σ_k w_k ψ_ε(x_l - v_k),   H^N(v) = Σ_l Δx³ G_l log G_l,
    F_i = (1/w_i) ∂H^N/∂v_i = Σ_l Δx³ ∇ψ_ε(v_i - x_l) (1 + log G_l),
    dv_i/dt = U_i = -½ Σ_j w_j a(v_i - v_j) (F_i - F_j).

F_i is the exact gradient of the discrete entropy H^N (the "1 +" is the derivative of G log G; the continuous
formula ∇ψ_ε * log(ψ_ε*f) differs from it only by the quadrature error of ∫∇ψ_ε = 0). Hence, for the
semi-discrete system,
Σ w_i U_i = 0 (antisymmetry), Σ w_i v_i·U_i = 0 (a(z) z = 0) and
dH^N/dt = -¼ Σ_ij w_i w_j (F_i - F_j)·a(v_i - v_j)(F_i - F_j) ≤ 0. ψ_ε is the Gaussian of standard deviation
ε with a C¹ cut-off at R = 7ε (relative change ≤ e^{-24.5} ≈ 2e-11; :mod:`.blob_kernel`), so the grid sums
are local.

**Singular kernels (γ < -2).** As in CHWW the kernel itself is not regularised (only the entropy is): F is
smooth (Lipschitz, from the mollifier), so a(z)(F_i - F_j) = O(|z|^(γ+3)) is bounded for every γ ≥ -3 and
the pair sum is a plain sum; the j = i term and exactly coincident particles contribute 0.

**Time integrator.** Implicit midpoint v^{n+1} = v^n + Δt U((v^n + v^{n+1})/2), solved by Anderson-accelerated
fixed-point iteration to round-off (residual ≤ a few ulps). It preserves the linear invariant Σ w v and —
because Σ w_i v_i·U_i(V) = 0 for *every* configuration V — the quadratic invariant Σ w |v|²:
Σ w|v^{n+1}|² - Σ w|v^n|² = 2Δt Σ w_i U_i(V^{mid})·v_i^{mid} = 0. Second order in Δt. The entropy H^N
decreases by Δt D + O(Δt³) per step (not exactly: midpoint is not a discrete-gradient method); the runs
record H^N after every step so that monotonicity is checked, not assumed.

**Accuracy and cost.** At these sizes the leading error is the O(ε²) regularisation bias: for a Gaussian
f = N(0, Σ), ψ_ε * f = N(0, Σ + ε²I), and the bi-Maxwellian relaxation rate is multiplied by
T⊥T∥/((T⊥+ε²)(T∥+ε²)) for every γ (tested). At the defaults (``n_per_dim`` = 32, ε = 0.7 Δx = 0.124 for
``bimaxwellian:2,0.5``, N = 65 536) the initial dT∥/dt is 3.9 % low for γ ∈ {0, -1, -2, -3}. One evaluation
of U costs N² pair terms plus O(N (2R/Δx)³) for the grid sums; Lip(U) grows like ε⁻², so the fixed-point
iterations per step grow as ε shrinks at fixed Δt.

**Diagnostics.** Mass, momentum, energy, second moment and ∫|v|⁴ of the particle measure (Σ w_i ...), the
regularised entropy H^N, the Fisher information Σ_l Δx³ |∇G_l|²/G_l of f_ε = ψ_ε * f^N, and f_ε at any point.

**Initial data.** Particles at the nodes of the lattice of cell centres of [-L_1, L_1]×[-L_2, L_2]×[-L_3, L_3]
(common spacing Δx = 2 L_min / n_per_dim); the quadrature grid {x_l} is that lattice padded by R + Δx on every
side, so that the quadrature of H_ε covers the support of ψ_ε around every particle (without the padding the
truncated ∫∇ψ_ε(v_i - x)(1 + log G) dx gives boundary particles spurious large forces). Weights
w_l = f_0(x_l) Δx³ with f_0 from :func:`mbc_verify.landau.densities.density`, then normalised to mass 1,
shifted to zero momentum and scaled per axis so that Σ w v_k² equals the nominal second moment (T⊥, T⊥, T∥
for ``bimaxwellian``, 1 otherwise): mass, momentum and energy of the discrete state are the nominal ones to
round-off (docs/spec.md §8).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..initial import InitSpec, parse_init
from ..mutants import BLOB_CONSTANT, check_mutant, defect
from ..validation import check_array, check_gamma, check_int, check_positive
from . import blob_kernel as bk
from .densities import density

__all__ = ["BlobSystem", "StepFailure", "initial_rate_study", "initial_system", "parallel_temperature_curve",
           "second_moment_rate", "solve_blob"]

#: cut-off radius of the mollifier in units of ε
CUTOFF_SIGMAS = 7.0
#: default domain half-width per axis, in units of the nominal standard deviation of that axis
DOMAIN_SIGMAS = 4.0
#: default ε in units of the grid spacing (ε ≳ 0.7 Δx keeps the aliasing of the grid sampling,
#: ~exp(-2π² ε²/Δx²), below 1e-4)
EPS_PER_SPACING = 0.7
DEFAULT_N_PER_DIM = 32
DEFAULT_DT = 0.05
#: the ½ of docs/spec.md §1; the mutant ``blob_without_half`` drops it
HALF = 0.5
_MAX_ITER = 100
#: how often a step may be halved when its fixed-point iteration fails
MAX_HALVINGS = 6
#: Anderson acceleration depth of the implicit-midpoint solver
ANDERSON_DEPTH = 6


class StepFailure(RuntimeError):
    """The implicit-midpoint fixed-point iteration did not converge (Δt too large)."""


def _nominal_second_moment(spec: InitSpec) -> np.ndarray:
    """Diagonal of ∫ v⊗v f_0 for the docs/spec.md §8 initial data: (T⊥, T⊥, T∥) for bimaxwellian, (1, 1, 1) else."""
    if spec.name == "bimaxwellian":
        tpar, tperp = spec.params
        return np.array([tperp, tperp, tpar])
    return np.ones(3)


@dataclass
class BlobSystem:
    """Weights, quadrature grid and mollifier of one blob discretisation; positions are passed separately.

    ``x0`` is the first quadrature node, ``h`` the spacing and ``ng`` the number of nodes per axis;
    ``n_per_dim`` and ``half_widths`` record the particle lattice (see :func:`initial_system`); ``coef`` is
    the factor in front of the pair sum (½, docs/spec.md §1).
    """

    gamma: float
    w: np.ndarray
    x0: np.ndarray
    h: np.ndarray
    ng: np.ndarray
    eps: float
    coef: float = HALF
    n_per_dim: int = 0
    half_widths: tuple[float, float, float] = (0.0, 0.0, 0.0)
    cutoff: float = field(init=False)
    znorm: float = field(init=False)

    def __post_init__(self) -> None:
        self.cutoff = CUTOFF_SIGMAS * self.eps
        self.znorm = bk.mollifier_normaliser(self.eps, self.cutoff)
        self._p = self.gamma + 2.0
        self._mode = bk.power_mode(self._p)

    @property
    def n(self) -> int:
        return int(self.w.shape[0])

    @property
    def cell_volume(self) -> float:
        return float(np.prod(self.h))

    def grid_nodes(self) -> np.ndarray:
        """The quadrature nodes x_l, shape (Π ng, 3), C order."""
        axes = [self.x0[k] + self.h[k] * np.arange(self.ng[k]) for k in range(3)]
        return np.stack(np.meshgrid(*axes, indexing="ij"), axis=-1).reshape(-1, 3)

    def grid_density(self, v: np.ndarray, with_grad: bool = False) -> tuple[np.ndarray, np.ndarray]:
        """(G, ∇G) on the grid nodes: the regularised density ψ_ε * f^N and its gradient (zeros if not asked)."""
        start, order = bk.bin_particles(v, float(self.x0[0]), float(self.h[0]), int(self.ng[0]))
        total = int(np.prod(self.ng))
        g = np.empty(total)
        grad = np.zeros((total if with_grad else 1, 3))
        bk.grid_density(v, self.w, self.x0, self.h, self.ng, self.eps, self.cutoff, self.znorm, start, order,
                        with_grad, g, grad)
        return g, grad

    def entropy_gradient(self, v: np.ndarray, g: np.ndarray) -> np.ndarray:
        """F_i = Σ_l Δx³ ∇ψ_ε(v_i - x_l)(1 + log G_l) (the gradient of H^N divided by w_i)."""
        log_term = np.zeros_like(g)
        pos = g > 0.0
        log_term[pos] = 1.0 + np.log(g[pos])
        out = np.empty_like(v)
        bk.entropy_gradient(v, self.x0, self.h, self.ng, self.eps, self.cutoff, self.znorm, log_term, out)
        return out

    def velocity(self, v: np.ndarray) -> np.ndarray:
        """U_i = -½ Σ_j w_j a(v_i - v_j)(F_i - F_j) at the configuration v (shape (N, 3))."""
        g, _ = self.grid_density(v)
        f = self.entropy_gradient(v, g)
        out = np.empty_like(v)
        bk.collision_field(v, self.w, f, self._p, self._mode, self.coef, out)
        return out

    def entropy(self, v: np.ndarray) -> float:
        """Regularised entropy H^N = Σ_l Δx³ G_l log G_l (the grid quadrature of ∫ f_ε log f_ε)."""
        g, _ = self.grid_density(v)
        pos = g > 0.0
        return float(self.cell_volume * np.sum(g[pos] * np.log(g[pos])))

    def entropy_and_fisher(self, v: np.ndarray) -> tuple[float, float]:
        """(H^N, I^N): regularised entropy and Fisher information Σ_l Δx³ |∇G_l|²/G_l of f_ε = ψ_ε * f^N."""
        g, grad = self.grid_density(v, with_grad=True)
        pos = g > 0.0
        ent = float(self.cell_volume * np.sum(g[pos] * np.log(g[pos])))
        fisher = float(self.cell_volume * np.sum(np.sum(grad[pos] ** 2, axis=1) / g[pos]))
        return ent, fisher

    def density_at(self, v: np.ndarray, points: object) -> np.ndarray:
        """Reconstructed density f_ε(x) = Σ_k w_k ψ_ε(x - v_k) at ``points`` (shape (M, 3))."""
        pts = check_array("points", points, (None, 3))
        out = np.empty(pts.shape[0])
        bk.point_density(pts, v, self.w, self.eps, self.cutoff, self.znorm, out)
        return out

    def moments(self, v: np.ndarray) -> dict[str, Any]:
        """Mass Σw, momentum Σ w v, energy Σ w|v|², second moment Σ w v⊗v and ∫|v|⁴: Σ w |v|⁴."""
        w = self.w
        s2 = np.sum(v * v, axis=1)
        return {"mass": float(np.sum(w)), "momentum": w @ v, "energy": float(w @ s2),
                "second_moment": (v * w[:, None]).T @ v, "moment4": float(w @ (s2 * s2))}

    def midpoint_step(self, v: np.ndarray, dt: float, u_guess: np.ndarray) -> tuple[np.ndarray, np.ndarray, int]:
        """One implicit-midpoint step from v; returns (v_new, U(midpoint), iterations).

        Solves mid = Φ(mid) := v + ½Δt U(mid) by Anderson-accelerated fixed-point iteration (depth
        ``ANDERSON_DEPTH``; the plain iteration contracts only like ½Δt Lip(U), and Lip(U) grows like ε⁻²),
        started from v + ½Δt u_guess. Stops when the residual max|Φ(mid) - mid| is ≤ 4 ulps of max|v|, or,
        once below 1e-13 max|v|, when it has not improved for 3 iterations (round-off floor). Then
        v_new = v + Δt U(mid): Σ w|v_new|² - Σ w|v|² = 2Δt Σ w U(mid)·(Φ(mid) - mid), i.e. the energy error
        is bounded by the final residual.
        """
        scale = float(np.max(np.abs(v)))
        tol = 4.0 * np.finfo(float).eps * scale
        x = v + 0.5 * dt * u_guess
        d_res: list[np.ndarray] = []
        d_img: list[np.ndarray] = []
        prev_res = prev_img = None
        best, stall, first = math.inf, 0, math.inf
        for it in range(1, _MAX_ITER + 1):
            u = self.velocity(x)
            img = v + 0.5 * dt * u
            res = img - x
            size = float(np.max(np.abs(res)))
            if size <= tol:
                return v + dt * u, u, it
            if it == 1:
                first = size
            elif it >= 10 and size > 10.0 * first:
                break  # diverging: Δt ½Lip(U) too large for the iteration
            if size < best:
                best, stall = size, 0
            else:
                stall += 1
                if best < 1e-13 * scale and stall >= 3:
                    return v + dt * u, u, it
            if prev_res is not None:
                d_res.append((res - prev_res).ravel())
                d_img.append((img - prev_img).ravel())
                if len(d_res) > ANDERSON_DEPTH:
                    d_res.pop(0)
                    d_img.pop(0)
            prev_res, prev_img = res, img
            if d_res:
                mat = np.stack(d_res, axis=1)
                coef, *_ = np.linalg.lstsq(mat, res.ravel(), rcond=None)
                x = img - (np.stack(d_img, axis=1) @ coef).reshape(v.shape)
            else:
                x = img
        raise StepFailure(f"dt: implicit midpoint did not converge in {it} iterations at dt={dt!r} "
                          f"(residual {size:.3g}); use a smaller dt")

    def adaptive_step(self, v: np.ndarray, dt: float, u_guess: np.ndarray,
                      depth: int = 0) -> tuple[np.ndarray, np.ndarray, int, float]:
        """:meth:`midpoint_step`, replaced by two half steps (recursively, at most ``MAX_HALVINGS`` times)
        where its iteration does not converge. Returns (v_new, U, iterations, smallest Δt used)."""
        try:
            return (*self.midpoint_step(v, dt, u_guess), dt)
        except StepFailure:
            if depth >= MAX_HALVINGS:
                raise
        v1, u1, it1, dt1 = self.adaptive_step(v, 0.5 * dt, u_guess, depth + 1)
        v2, u2, it2, dt2 = self.adaptive_step(v1, 0.5 * dt, u1, depth + 1)
        return v2, u2, it1 + it2, min(dt1, dt2)


def initial_system(gamma: float, init: str | InitSpec = "maxwellian", *, n_per_dim: int | None = None,
                   domain: float | tuple[float, float, float] | None = None, epsilon: float | None = None,
                   mutant: str | None = None) -> tuple[BlobSystem, np.ndarray]:
    """The blob discretisation of ``init`` and the initial positions (see the module docstring).

    ``domain``: half-width L of the grid box (a number: same for all axes; or (L_x, L_y, L_z)); default
    4 nominal standard deviations per axis. ``n_per_dim``: nodes along the narrowest axis (default 32);
    the spacing Δx = 2 L_min / n_per_dim is common to all axes (L_k rounded to a multiple of Δx/2).
    ``epsilon``: mollifier standard deviation, default 0.7 Δx.
    """
    gamma = check_gamma(gamma)
    spec = parse_init(init)
    if spec.name == "shell":
        raise ValueError("init: 'shell' is a measure on a sphere, not a density; the blob method needs a density")
    n_per_dim = DEFAULT_N_PER_DIM if n_per_dim is None else check_int("n_per_dim", n_per_dim, 2)
    m_nom = _nominal_second_moment(spec)
    if domain is None:
        half = DOMAIN_SIGMAS * np.sqrt(m_nom)
    elif isinstance(domain, (tuple, list, np.ndarray)):
        if len(domain) != 3:
            raise ValueError(f"domain: must be a number or 3 numbers (L_x, L_y, L_z), got {domain!r}")
        half = np.array([check_positive("domain", x) for x in domain])
    else:
        half = np.full(3, check_positive("domain", domain))
    spacing = 2.0 * float(np.min(half)) / n_per_dim
    n_lattice = np.maximum(np.rint(2.0 * half / spacing), 2).astype(np.int64)
    eps = EPS_PER_SPACING * spacing if epsilon is None else check_positive("epsilon", epsilon)
    pad = math.ceil(CUTOFF_SIGMAS * eps / spacing) + 1
    ng = n_lattice + 2 * pad
    d = defect(check_mutant(mutant), "blob")
    system = BlobSystem(gamma=gamma, w=np.empty(0), x0=-0.5 * (ng - 1) * spacing, h=np.full(3, spacing),
                        ng=ng, eps=eps, coef=HALF * (1.0 + d.amp) if d.code == BLOB_CONSTANT else HALF,
                        n_per_dim=n_per_dim,
                        half_widths=tuple(float(0.5 * spacing * k) for k in n_lattice))
    lattice = [spacing * (np.arange(n_lattice[k]) - 0.5 * (n_lattice[k] - 1)) for k in range(3)]
    nodes = np.stack(np.meshgrid(*lattice, indexing="ij"), axis=-1).reshape(-1, 3)
    w = density(spec, nodes) * system.cell_volume
    w = w / np.sum(w)
    v = nodes - w @ nodes
    v = v * np.sqrt(m_nom / (w @ (v * v)))
    system.w = w
    return system, np.ascontiguousarray(v)


def second_moment_rate(system: BlobSystem, v: np.ndarray) -> np.ndarray:
    """dM/dt = Σ_i w_i (U_i ⊗ v_i + v_i ⊗ U_i) of the semi-discrete system at v (3 × 3)."""
    u = system.velocity(v)
    m = (v * system.w[:, None]).T @ u
    return m + m.T


def regularisation_factor(eps: float, tpar: float, tperp: float) -> float:
    """Blob rate / exact rate of dT∥/dt at a bi-Maxwellian N(0, diag(T⊥, T⊥, T∥)) predicted by the regularisation.

    For a grid-sampled Gaussian particle measure ψ_ε * f^N ≈ N(0, Σ + ε²I), so the entropy gradient is
    F = −(Σ + ε²I)⁻¹ v and the rate, proportional for every γ to the anisotropic part of (Σ + ε²I)⁻¹, is multiplied
    by T⊥T∥ / ((T⊥ + ε²)(T∥ + ε²)) = 1 − O(ε²). The other error terms (aliasing, truncation of the mollifier, the
    discrete pair sum) are below 10 % of this bias at n_per_dim ≥ 10 (``tests/test_landau_blob.py``).
    """
    return tperp * tpar / ((tperp + eps**2) * (tpar + eps**2))


RATE_EPS_PER_SPACING = 1.0
"""ε/Δx of :func:`initial_rate_study`. At the default 0.7 the lattice sampling moves the γ = 0 initial rate by
−1.5·10⁻³ (n_per_dim = 12) and −1.7·10⁻³ (16) beyond (62), the size of the changes of the collision constant the
study must resolve; at 1.0 by −3·10⁻⁶ and −1.5·10⁻⁵ (``tests/test_landau_blob.py::test_rate_study_spacing_choice``)."""
RATE_REFINEMENT = 1.25
"""The study's refinement factor: Δx / 1.25 at fixed ε (lattice level), domain × 1.25 at fixed Δx (domain level)."""


def _rate_over_exact(gamma: float, tpar: float, tperp: float, n_per_dim: int, eps_per_spacing: float,
                     domain_sigmas: float, mutant: str | None) -> tuple[float, float]:
    """(blob dT∥/dt at t = 0 / (exact rate × regularisation factor (62)), ε) for ``bimaxwellian:tpar,tperp``."""
    from .. import derived

    sig = np.sqrt(np.array([tperp, tperp, tpar]))
    spacing = 2.0 * domain_sigmas * float(np.min(sig)) / n_per_dim
    system, v = initial_system(gamma, f"bimaxwellian:{tpar:g},{tperp:g}", n_per_dim=n_per_dim,
                               domain=tuple(domain_sigmas * sig), epsilon=eps_per_spacing * spacing, mutant=mutant)
    exact = derived.number(derived.bimaxwellian_rate_key(gamma, tpar, tperp))
    factor = regularisation_factor(system.eps, tpar, tperp)
    return float(second_moment_rate(system, v)[2, 2] / (exact * factor)), system.eps


def initial_rate_study(gamma: float, n_per_dim: int, *, tpar: float = 2.0, tperp: float = 0.5,
                       mutant: str | None = None) -> dict[str, float]:
    """The blob solver's initial dT∥/dt from ``bimaxwellian:tpar,tperp``, divided by the derived rate (docs/spec.md
    eq. (43), key ``bimaxwellian.dTpar_dt…``) and by the regularisation factor (62), with an error estimate.

    ``error`` = |ratio − 1| at ε/Δx = :data:`RATE_EPS_PER_SPACING` on a ±4σ domain per axis. Its discretisation
    errors besides (62) are estimated by one refinement each at an unchanged ε: the lattice level (Δx /
    :data:`RATE_REFINEMENT`: the grid sampling's aliasing, ∝ exp(−2π²(ε/Δx)²), and the particle quadrature of the
    pair sum) and the domain level (±5σ: the truncated Gaussian tails, ∝ exp(−L²/2)). ``tolerance`` = 2 × (the sum
    of the two level differences): the a-posteriori estimate of a converging refinement, with the factor 2 of the
    isotropic solver's Richardson check for the terms it does not resolve. A change of the collision constant by
    (1 + δ) multiplies ``ratio`` and both differences by 1 + δ, so it moves ``error`` by about δ.
    """
    n_fine = round(RATE_REFINEMENT * n_per_dim)
    if not math.isclose(n_fine, RATE_REFINEMENT * n_per_dim):
        raise ValueError(f"n_per_dim: must be a multiple of 4 for the 1.25 refinement, got {n_per_dim}")
    base, eps = _rate_over_exact(gamma, tpar, tperp, n_per_dim, RATE_EPS_PER_SPACING, DOMAIN_SIGMAS, mutant)
    lattice, _ = _rate_over_exact(gamma, tpar, tperp, n_fine, RATE_REFINEMENT * RATE_EPS_PER_SPACING, DOMAIN_SIGMAS,
                                  mutant)
    domain, _ = _rate_over_exact(gamma, tpar, tperp, n_fine, RATE_EPS_PER_SPACING, RATE_REFINEMENT * DOMAIN_SIGMAS,
                                 mutant)
    d_lattice, d_domain = abs(base - lattice), abs(base - domain)
    return {"gamma": gamma, "n_per_dim": n_per_dim, "epsilon": eps, "ratio": base, "error": abs(base - 1.0),
            "lattice_difference": d_lattice, "domain_difference": d_domain,
            "tolerance": 2.0 * (d_lattice + d_domain)}


def _time_grid(t_end: float, snapshots: int, dt: float) -> tuple[np.ndarray, int, float]:
    times = np.linspace(0.0, t_end, snapshots)
    gap = t_end / (snapshots - 1)
    steps = max(1, math.ceil(gap / dt - 1e-12))
    return times, steps, gap / steps


def solve_blob(gamma: float, t_end: float, *, init: str = "maxwellian", snapshots: int = 11,
               n_per_dim: int | None = None, domain: float | tuple[float, float, float] | None = None,
               epsilon: float | None = None, dt: float | None = None, mutant: str | None = None,
               progress: Callable[[float, float], None] | None = None, points: object = None) -> dict[str, Any]:
    """One blob-method run (docs/spec.md §8 ``solve --method blob``) from ``init`` to ``t_end``.

    Returns the docs/spec.md §8 fields at ``snapshots`` equally spaced times (``times``, ``mass``, ``momentum``
    K×3, ``energy``, ``second_moment`` K×3×3, ``moment4``, ``entropy`` = H^N, ``fisher`` = Fisher
    information of ψ_ε * f^N), ``wall_seconds``, the parameters (``method`` = "blob", ``gamma``, ``t_end``,
    ``init``, ``snapshots``, ``n_per_dim``, ``domain`` (half-widths used), ``epsilon``, ``dt`` (the step
    used: the requested one, shortened so that the snapshots fall on steps; ``dt_min``: the smallest step
    after halvings where the implicit solve did not converge, see :meth:`BlobSystem.adaptive_step`),
    ``n_particles``, ``mutant``),
    and per step: ``step_times``, ``step_entropy`` (H^N after every step, for the H-theorem check) and
    ``iterations`` (fixed-point iterations). ``progress(t, t_end)`` is called after every step. With
    ``points`` (shape (M, 3)) the record also holds ``density`` (K × M): the reconstructed density
    f_ε = ψ_ε * f^N at those points at every snapshot.
    """
    gamma = check_gamma(gamma)
    t_end = check_positive("t_end", t_end)
    snapshots = check_int("snapshots", snapshots, 2)
    dt = DEFAULT_DT if dt is None else check_positive("dt", dt)
    if progress is not None and not callable(progress):
        raise ValueError(f"progress: must be callable or None, got {progress!r}")
    pts = None if points is None else check_array("points", points, (None, 3))
    start = time.perf_counter()
    system, v = initial_system(gamma, init, n_per_dim=n_per_dim, domain=domain, epsilon=epsilon,
                               mutant=mutant)
    times, steps, dt_used = _time_grid(t_end, snapshots, dt)
    rec = _Recorder(system, pts)
    rec.record(v)
    steps_rec = _march(system, v, times, steps, dt_used, progress, t_end)
    dt_min = steps_rec.pop("dt_min")
    rec.record_all(steps_rec.pop("snapshots"))
    out: dict[str, Any] = {"times": times.tolist(), **rec.lists()}
    out.update(
        wall_seconds=time.perf_counter() - start, method="blob", gamma=gamma, t_end=t_end, init=str(parse_init(init)),
        snapshots=snapshots, n_per_dim=system.n_per_dim, domain=list(system.half_widths), spacing=float(system.h[0]),
        epsilon=system.eps, dt=dt_used, dt_min=dt_min, n_particles=system.n, mutant=mutant, **steps_rec)
    return out


class _Recorder:
    """The snapshot records of :func:`solve_blob`: moments, entropy, Fisher information, density at points."""

    def __init__(self, system: BlobSystem, pts: np.ndarray | None) -> None:
        self.system, self.pts = system, pts
        self.rec: dict[str, list[Any]] = {k: [] for k in ("mass", "momentum", "energy", "second_moment", "moment4",
                                                          "entropy", "fisher", "density")}

    def record(self, v: np.ndarray) -> None:
        for key, val in self.system.moments(v).items():
            self.rec[key].append(val)
        if self.pts is not None:
            self.rec["density"].append(self.system.density_at(v, self.pts))
        ent, fis = self.system.entropy_and_fisher(v)
        self.rec["entropy"].append(ent)
        self.rec["fisher"].append(fis)

    def record_all(self, states: list[np.ndarray]) -> None:
        for v in states:
            self.record(v)

    def lists(self) -> dict[str, Any]:
        return {key: np.asarray(vals).tolist() for key, vals in self.rec.items() if vals}


def _march(system: BlobSystem, v: np.ndarray, times: np.ndarray, steps: int, dt_used: float,
           progress: Callable[[float, float], None] | None, t_end: float) -> dict[str, Any]:
    """Implicit-midpoint steps through the snapshot times: the states at the snapshots after t = 0, per step the
    times, regularised entropy and iterations, and the smallest step used."""
    step_times, step_entropy, iterations, snaps = [0.0], [system.entropy(v)], [], []
    dt_min = dt_used
    u = system.velocity(v)
    for k in range(1, times.size):
        for s in range(steps):
            v, u, its, dt_step = system.adaptive_step(v, dt_used, u)
            dt_min = min(dt_min, dt_step)
            t = times[k - 1] + (s + 1) * dt_used
            iterations.append(its)
            step_times.append(t)
            step_entropy.append(system.entropy(v))
            if progress is not None:
                progress(t, t_end)
        snaps.append(v)
    return {"snapshots": snaps, "dt_min": dt_min, "step_times": step_times, "step_entropy": step_entropy,
            "iterations": iterations}


def parallel_temperature_curve(gamma: float = -3.0, init: str = "bimaxwellian:2,0.5", t_end: float = 2.0, *,
                               snapshots: int = 11, n_per_dim: int | tuple[int, int] = (12, 16),
                               **options: Any) -> dict[str, Any]:
    """T∥(t) = M_zz(t) and T⊥ = (M_xx + M_yy)/2 of blob runs (docs/spec.md §8: the parallel axis is z), with their cost.

    With one ``n_per_dim`` it returns that run's ``tpar``, ``tperp``. With two (coarse, fine) it runs both and
    adds the Richardson extrapolation ε → 0 assuming the O(ε²) regularisation error (the leading error of the
    method at these sizes: see ``tests/test_landau_blob.py``, initial-rate test):
    ``tpar_extrapolated`` = (ε_c² T_f - ε_f² T_c)/(ε_c² - ε_f²) and ``tpar_error`` = |extrapolated - fine|, a
    size for the remaining error. ``wall_seconds`` is the total; ``runs`` holds each run's ``n_particles``,
    ``epsilon``, ``dt`` and ``wall_seconds``. ``options`` go to :func:`solve_blob`.
    """
    sizes = (n_per_dim,) if isinstance(n_per_dim, int) else tuple(n_per_dim)
    if len(sizes) not in (1, 2):
        raise ValueError(f"n_per_dim: one size or two (coarse, fine), got {n_per_dim!r}")
    runs = [solve_blob(gamma, t_end, init=init, snapshots=snapshots, n_per_dim=n, **options) for n in sizes]
    out: dict[str, Any] = {"times": runs[-1]["times"], "gamma": runs[-1]["gamma"], "init": runs[-1]["init"],
                           "wall_seconds": sum(r["wall_seconds"] for r in runs),
                           "runs": [{k: r[k] for k in ("n_per_dim", "n_particles", "epsilon", "dt", "wall_seconds")}
                                    for r in runs]}
    m = np.asarray(runs[-1]["second_moment"])
    out["tpar"] = m[:, 2, 2].tolist()
    out["tperp"] = (0.5 * (m[:, 0, 0] + m[:, 1, 1])).tolist()
    if len(runs) == 2:
        coarse = np.asarray(runs[0]["second_moment"])[:, 2, 2]
        e_c, e_f = runs[0]["epsilon"] ** 2, runs[1]["epsilon"] ** 2
        if not e_c > e_f:
            raise ValueError(f"n_per_dim: the second size must be the finer one, got {n_per_dim!r}")
        extrap = (e_c * m[:, 2, 2] - e_f * coarse) / (e_c - e_f)
        out["tpar_extrapolated"] = extrap.tolist()
        out["tpar_error"] = np.abs(extrap - m[:, 2, 2]).tolist()
    return out
