"""The semi-discrete axisymmetric Landau operator Q(f) on an :class:`AxisymmetricGrid` (docs/spec.md §1, with its ½).

**Landau (Fokker–Planck) form.** With A = a∗f and B = b∗f (:mod:`.axisymmetric_kernel`),

    Q(f) = ½ ∇·(A ∇f - B f),

which is the spec's ½ ∇·∫ a(v-w)(f(w)∇f(v) - f(v)∇f(w)) dw because ∫ a(v-w) ∇f(w) dw = ∫ b(v-w) f(w) dw. For an
axisymmetric f, A and B are axisymmetric and in the local frame (e_r, e_θ, e_φ) A has the components
A_rr, A_rθ, A_θθ, A_φφ (A_rφ = A_θφ = 0) and B = (B_r, B_θ, 0). From the potentials (Φ_F, Φ_G, Φ_H):

    A_rr = ∂_rr Φ_F + Φ_G,   A_rθ = ∂_r(∂_θΦ_F / r),   A_θθ = ∂_rΦ_F/r + ∂_θθΦ_F/r² + Φ_G,
    A_φφ = ∂_rΦ_F/r + cot θ ∂_θΦ_F/r² + Φ_G,   B_r = -2 ∂_rΦ_H,   B_θ = -2 ∂_θΦ_H / r,

with ∂_θ = -sin θ ∂_ξ, ∂_θθ = sin²θ ∂_ξξ - ξ ∂_ξ, cot θ ∂_θ = -ξ ∂_ξ; the potentials and their r-derivatives
come mode by mode from the kernel weights (exact in ξ: ∂_ξ, ∂_ξξ act on the Legendre polynomials).

**Discretisation.** Collocation on the grid nodes with the gradient G and its ω-adjoint divergence of
:class:`AxisymmetricGrid`: Γ = A·Gf - B f, Q = ½ Div Γ. Because Σ ω φ Div Γ = -Σ ω (Gφ)·Γ exactly and G
annihilates constants to round-off, the discrete mass Σ ω f is conserved to round-off.

**Conservation correction** (documented modification, in the spirit of Taitano, Chacón, Simakov & Molvig,
J. Comput. Phys. 297 (2015) 357, who enforce the discrete conservation laws by small consistent corrections of
the Rosenbluth coefficients). The pair symmetry that makes ∫ v Q and ∫ |v|² Q vanish is not exact for a
quadrature-evaluated A, B, so the flux is corrected by a uniform axial drift and a radial drift,

    Γ ← Γ - f (c₁ e_z + c₂ v),

with (c₁, c₂) the solution of the 2×2 system that makes the discrete rates -½ Σ ω (Gφ)·Γ vanish for φ = v_z and
φ = |v|²: d/dt of the discrete axial momentum and energy are then zero to round-off for every f. The system
matrix is the Gram matrix Σ ω f (Gφ_a)·E_b (positive definite for f > 0). c₁, c₂ are of the size of the
quadrature error of A, B (~1e-12 at the default resolution, recorded by the solver), so the correction keeps the
spectral accuracy. ``conserve=False`` switches it off (negative control).

**Entropy.** The semi-discrete entropy production -Σ ω log f Q(f) equals the exact dissipation D(f) ≥ 0 up
to the discretisation error; non-negativity is not a structural property of this scheme (no discrete chain rule
for spectral differences, and the correction drifts). It is monitored, not assumed (:mod:`.axisymmetric`).

**Frozen operator.** L[f] u = ½ Div(A[f] G u - B[f] u) is the linear operator with the coefficients of f
(Q(f) = L[f] f without the correction); it carries all the stiffness and is the Jacobian approximation of the
implicit time stepper. Its preconditioner replaces A_rr, A_θθ, B_r by their spherical averages (and drops A_rθ,
B_θ): the averaged operator is rotation invariant, hence diagonal in ℓ, with one n_r×n_r block per mode.
"""

from __future__ import annotations

from dataclasses import dataclass

import mpmath
import numpy as np

from ..validation import check_gamma
from .axisymmetric_grid import AxisymmetricGrid
from .axisymmetric_kernel import kernel_weights

__all__ = ["AxisymmetricOperator", "Coefficients", "assemble_coefficients"]

#: the ½ of docs/spec.md §1
HALF = 0.5


def solve_small(mat: np.ndarray, rhs: np.ndarray) -> np.ndarray:
    """Solve a small dense system in the arithmetic of its entries (float64, or mpmath for object arrays)."""
    if mat.dtype == object:
        sol = mpmath.lu_solve(mpmath.matrix(mat.tolist()), mpmath.matrix(list(rhs)))
        return np.array([sol[i] for i in range(len(rhs))], dtype=object)
    return np.linalg.solve(mat, rhs)


@dataclass(frozen=True)
class Coefficients:
    """(a∗f) and (b∗f) in the local frame (e_r, e_θ, e_φ) at a set of points (arrays of one shape)."""

    a_rr: np.ndarray
    a_rt: np.ndarray
    a_tt: np.ndarray
    a_pp: np.ndarray
    b_r: np.ndarray
    b_t: np.ndarray

    def cartesian(self, sin: np.ndarray, cos: np.ndarray, cos_phi: np.ndarray,
                  sin_phi: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(A, B) in Cartesian components at points of polar angle θ and azimuth φ: shapes (..., 3, 3), (..., 3)."""
        e_r = np.stack([sin * cos_phi, sin * sin_phi, cos], axis=-1)
        e_t = np.stack([cos * cos_phi, cos * sin_phi, -sin], axis=-1)
        e_p = np.stack([-sin_phi, cos_phi, np.zeros_like(sin)], axis=-1)

        def outer(x: np.ndarray, y: np.ndarray) -> np.ndarray:
            return x[..., :, None] * y[..., None, :]

        a = (self.a_rr[..., None, None] * outer(e_r, e_r) + self.a_tt[..., None, None] * outer(e_t, e_t)
             + self.a_pp[..., None, None] * outer(e_p, e_p)
             + self.a_rt[..., None, None] * (outer(e_r, e_t) + outer(e_t, e_r)))
        b = self.b_r[..., None] * e_r + self.b_t[..., None] * e_t
        return a, b


def assemble_coefficients(psi: np.ndarray, r: np.ndarray, xi: np.ndarray, sin: np.ndarray,
                          tables: tuple[np.ndarray, ...], outer: bool) -> Coefficients:
    """Coefficients from the potential modes ``psi`` (6, M, L) at radii r (M,) (module docstring).

    ``xi``, ``sin`` = cos θ, sin θ of the points; ``tables`` = (P, P', P'') of shape (L, K) at the ξ values;
    ``outer``: True for a tensor grid (points (r_i, ξ_k), results (M, K)), False for paired points (r_m, ξ_m),
    results (M,) (then K = M).
    """
    p, dp, d2p = tables

    def syn(modes: np.ndarray, tab: np.ndarray) -> np.ndarray:
        return modes @ tab if outer else np.einsum("ml,lm->m", modes, tab)

    rr = r[:, None] if outer else r
    xx = xi[None, :] if outer else xi
    sn = sin[None, :] if outer else sin
    f0, f1, f2, g0, h0, h1 = psi
    phi_x = syn(f0, dp)
    phi_t = -sn * phi_x
    phi_tt = sn * sn * syn(f0, d2p) - xx * phi_x
    phi_r = syn(f1, p)
    g = syn(g0, p)
    return Coefficients(
        a_rr=syn(f2, p) + g,
        a_rt=-sn * syn(f1, dp) / rr - phi_t / rr ** 2,
        a_tt=phi_r / rr + phi_tt / rr ** 2 + g,
        a_pp=phi_r / rr - xx * phi_x / rr ** 2 + g,
        b_r=-2.0 * syn(h1, p),
        b_t=2.0 * sn * syn(h0, dp) / rr,
    )


class AxisymmetricOperator:
    """Q(f), its coefficients and its frozen linearisation on ``grid`` for exponent γ (module docstring).

    ``half``: the factor in front of the operator (½, docs/spec.md §1; 1 is a negative control); ``friction``: the
    factor of the friction term, Γ = A∇f - friction · B f (1; -1 flips its sign, a negative control); ``conserve``:
    apply the momentum/energy correction; ``method``: kernel route of :func:`kernel_weights` ("auto", "closed",
    "quadrature"); ``weights``: precomputed kernel weights (the mpmath spot check passes its own; the operator
    then runs in the arithmetic of the grid and weights).
    """

    def __init__(self, grid: AxisymmetricGrid, gamma: float, *, half: float = HALF, friction: float = 1.0,
                 conserve: bool = True, method: str = "auto", weights: np.ndarray | None = None) -> None:
        self.grid = grid
        self.gamma = check_gamma(gamma)
        self.half = half
        self.friction = friction
        self.conserve = bool(conserve)
        self.method = method
        self.weights = kernel_weights(grid, self.gamma, method=method) if weights is None else weights
        shape = grid.shape
        one = grid.r[0] ** 0
        self.invariants = (np.full(shape, one), grid.v_z(), np.broadcast_to(grid.r[:, None] ** 2, shape).copy())
        self._grad_phi = (grid.grad(self.invariants[1]), grid.grad(self.invariants[2]))
        self._drift = ((np.broadcast_to(grid.xi, shape), np.broadcast_to(-grid.sin, shape)),
                       (np.broadcast_to(grid.r[:, None], shape), np.full(shape, 0 * one)))
        self.last_correction = np.zeros(2)

    # --- coefficients ------------------------------------------------------------------------------------
    def potentials(self, f: np.ndarray) -> np.ndarray:
        """Potential modes Ψ[e, i, ℓ] at the nodes (6, n_r, L)."""
        fl = self.grid.to_modes(f)
        return np.einsum("elij,jl->eil", self.weights, fl)

    def coefficients(self, f: np.ndarray) -> Coefficients:
        g = self.grid
        return assemble_coefficients(self.potentials(f), g.r, g.xi, g.sin, (g.p, g.dp, g.d2p), outer=True)

    def flux(self, c: Coefficients, f: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        g_r, g_t = self.grid.grad(f)
        b_r, b_t = (c.b_r, c.b_t) if self.friction == 1.0 else (self.friction * c.b_r, self.friction * c.b_t)
        return c.a_rr * g_r + c.a_rt * g_t - b_r * f, c.a_rt * g_r + c.a_tt * g_t - b_t * f

    # --- operator ----------------------------------------------------------------------------------------
    def rhs(self, f: np.ndarray, c: Coefficients | None = None) -> np.ndarray:
        """Q(f) = ½ Div Γ with the conservation correction (module docstring)."""
        if c is None:
            c = self.coefficients(f)
        flux_r, flux_t = self.flux(c, f)
        if self.conserve:
            flux_r, flux_t = self._corrected(f, flux_r, flux_t)
        return self.half * self.grid.div(flux_r, flux_t)

    def _corrected(self, f: np.ndarray, flux_r: np.ndarray,
                   flux_t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        om = self.grid.omega
        rates = np.array([-np.sum(om * (gp[0] * flux_r + gp[1] * flux_t)) / 2 for gp in self._grad_phi])
        gram = np.array([[np.sum(om * f * (gp[0] * e[0] + gp[1] * e[1])) for e in self._drift]
                         for gp in self._grad_phi])
        c = solve_small(gram, -2 * rates)
        self.last_correction = np.array([float(x) for x in c])
        (z_r, z_t), (x_r, _) = self._drift
        return flux_r - f * (c[0] * z_r + c[1] * x_r), flux_t - f * (c[0] * z_t)

    def frozen(self, c: Coefficients, u: np.ndarray) -> np.ndarray:
        """L[f] u = ½ Div(A G u - B u) with the coefficients c of f (no correction)."""
        return self.half * self.grid.div(*self.flux(c, u))

    # --- invariants ----------------------------------------------------------------------------------------
    def moments(self, f: np.ndarray) -> np.ndarray:
        """(Σ ω f, Σ ω v_z f, Σ ω |v|² f): discrete mass, axial momentum, energy."""
        om = self.grid.omega
        return np.array([np.sum(om * phi * f) for phi in self.invariants])

    def project(self, f: np.ndarray, target: np.ndarray) -> np.ndarray:
        """f (1 + c₀ + c₁ v_z + c₂ |v|²) with c solving the 3×3 Gram system that sets the invariants to ``target``."""
        om = self.grid.omega
        phis = self.invariants
        gram = np.array([[np.sum(om * f * p * q) for q in phis] for p in phis])
        c = solve_small(gram, np.asarray(target, dtype=gram.dtype) - self.moments(f))
        return f * (1 + c[0] + c[1] * phis[1] + c[2] * phis[2])

    # --- preconditioner ------------------------------------------------------------------------------------
    def block_inverses(self, c: Coefficients, gdt: float) -> np.ndarray:
        """(I - gdt L̄_ℓ)⁻¹ for every mode ℓ, L̄ the spherically averaged frozen operator (module docstring)."""
        g = self.grid
        avg = 0.5 * g.w
        a_rr, a_tt, b_r = c.a_rr @ avg, c.a_tt @ avg, self.friction * (c.b_r @ avg)
        r2 = g.r ** 2
        out = np.empty((g.n_modes, g.n_r, g.n_r))
        eye = np.eye(g.n_r)
        for ell in range(g.n_modes):
            d_in = g.radial_derivative_matrix(ell)
            d_out = g.radial_derivative_matrix(ell + 1) / r2[:, None]
            op = (d_out @ ((r2 * a_rr)[:, None] * d_in) - d_out * (r2 * b_r)[None, :]
                  - np.diag(a_tt * ell * (ell + 1) / r2))
            out[ell] = np.linalg.inv(eye - gdt * self.half * op)
        return out

    def apply_blocks(self, inv: np.ndarray, u: np.ndarray) -> np.ndarray:
        """Apply the block inverses (mode space) to a nodal array."""
        g = self.grid
        return g.from_modes(np.einsum("lij,jl->il", inv, g.to_modes(u)))
