"""Collision coefficients (a∗f)(v), (b∗f)(v) and the density f(v) at arbitrary velocities, for grid data.

The potential modes Ψ[e, ℓ](ρ) (:mod:`.axisymmetric_kernel`) are smooth functions of the radius; they are
computed by product integration on a fine radial grid ρ_m = (m + ½) h/``REFINE`` (weights cached per operator) and
interpolated to the radius of each point by Lagrange interpolation of degree ``DEGREE`` (stencils continued to
ρ < 0 by the radial parity (-1)^(ℓ + p_e) of each kernel, p_e = 1 for the first radial derivatives), error
≲ (h/REFINE)^(DEGREE+1)/(DEGREE+1)! · |Ψ^(DEGREE+1)| (tested against directly computed rows: ≤ 1.3e-12 of
each kernel's largest value for bimaxwellian:2,0.5). Points at or beyond the last fine node get directly
computed weight rows. The ξ-dependence is exact (Legendre synthesis at the point's ξ), and the local-frame
coefficients of
:func:`.axisymmetric_operator.assemble_coefficients` are rotated to Cartesian components.

Near v = 0 the local-frame formulas divide by r² (cancellation ≈ ε/r²): for |v| < ``R_SMALL`` the Cartesian
coefficients are instead interpolated along the line through 0 and v from the four points ±R_SMALL v̂,
±2R_SMALL v̂ (cubic, error ≈ R_SMALL⁴ |∂⁴A| ≈ 1e-8 relative).

The density uses the spectral interpolant :meth:`AxisymmetricGrid.interpolate`.
"""

from __future__ import annotations

import numpy as np

from ..validation import check_array
from .axisymmetric_grid import legendre_tables
from .axisymmetric_kernel import N_KERNELS, kernel_weights, refined_weights
from .axisymmetric_operator import AxisymmetricOperator, assemble_coefficients

__all__ = ["CoefficientProbe", "DEGREE", "REFINE", "R_SMALL"]

REFINE = 3
DEGREE = 11
R_SMALL = 0.01
_EXTRA_PARITY = np.array([0, 1, 0, 0, 0, 1])
_CHUNK = 2048


class CoefficientProbe:
    """Evaluates (a∗f), (b∗f) and f at arbitrary velocities for nodal data f of ``op``'s grid."""

    def __init__(self, op: AxisymmetricOperator) -> None:
        self.op = op
        g = op.grid
        self.h_fine = g.h / REFINE
        self.fine = (np.arange(REFINE * g.n_r) + 0.5) * self.h_fine

    @property
    def weights(self) -> np.ndarray:
        g = self.op.grid
        return refined_weights(g.n_r, g.v_max, g.n_xi, self.op.gamma, self.op.method, REFINE)

    def potentials(self, f: np.ndarray, r: np.ndarray) -> np.ndarray:
        """Ψ[e, m, ℓ] at the radii r (> 0), shape (6, len(r), L)."""
        g = self.op.grid
        fl = g.to_modes(f)
        out = np.empty((N_KERNELS, r.size, g.n_modes))
        direct = r >= self.fine[-1]
        if np.any(direct):
            w = kernel_weights(g, self.op.gamma, radii=r[direct], method=self.op.method)
            out[:, direct] = np.einsum("elij,jl->eil", w, fl)
        inner = np.flatnonzero(~direct)
        if inner.size:
            psi = np.einsum("elij,jl->eil", self.weights, fl)  # (6, n_fine, L)
            for start in range(0, inner.size, _CHUNK):
                sel = inner[start:start + _CHUNK]
                out[:, sel] = self._interpolate(psi, r[sel])
        return out

    def _interpolate(self, psi: np.ndarray, r: np.ndarray) -> np.ndarray:
        n_fine = self.fine.size
        npts = DEGREE + 1
        j0 = np.floor(r / self.h_fine - 0.5).astype(np.int64) - (npts // 2 - 1)
        j0 = np.minimum(j0, n_fine - npts)
        idx = j0[:, None] + np.arange(npts)[None, :]  # may be negative: reflected nodes
        nodes = (idx + 0.5) * self.h_fine
        lag = np.ones((r.size, npts))
        for a in range(npts):
            for b in range(npts):
                if a != b:
                    lag[:, a] *= (r - nodes[:, b]) / (nodes[:, a] - nodes[:, b])
        src = np.where(idx >= 0, idx, -idx - 1)
        neg = idx < 0
        ell = np.arange(psi.shape[2])
        out = np.empty((N_KERNELS, r.size, psi.shape[2]))
        for e in range(N_KERNELS):
            sign = np.where(neg[:, :, None] & (((ell + _EXTRA_PARITY[e]) % 2) == 1)[None, None, :], -1.0, 1.0)
            vals = psi[e][src] * sign  # (M, npts, L)
            out[e] = np.einsum("mk,mkl->ml", lag, vals)
        return out

    def _cartesian(self, f: np.ndarray, v: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        r = np.sqrt(np.sum(v * v, axis=1))
        xi = v[:, 2] / r
        rho = np.hypot(v[:, 0], v[:, 1])
        cos_phi = np.where(rho > 0, v[:, 0] / np.where(rho > 0, rho, 1.0), 1.0)
        sin_phi = np.where(rho > 0, v[:, 1] / np.where(rho > 0, rho, 1.0), 0.0)
        psi = self.potentials(f, r)
        tables = legendre_tables(self.op.grid.n_modes, np.clip(xi, -1.0, 1.0))
        c = assemble_coefficients(psi, r, xi, rho / r, tables, outer=False)
        return c.cartesian(rho / r, xi, cos_phi, sin_phi)

    def coefficients(self, f: np.ndarray, points: object) -> tuple[np.ndarray, np.ndarray]:
        """((a∗f)(v), (b∗f)(v)) at ``points`` (M × 3): shapes (M, 3, 3) and (M, 3), with the ½-free kernels a, b
        of docs/spec.md §1 (the operator is Q = ½ ∇·(A∇f - Bf))."""
        v = check_array("points", points, (None, 3))
        r = np.sqrt(np.sum(v * v, axis=1))
        a = np.empty((v.shape[0], 3, 3))
        b = np.empty((v.shape[0], 3))
        far = r >= R_SMALL
        if np.any(far):
            a[far], b[far] = self._cartesian(f, v[far])
        near = np.flatnonzero(~far)
        if near.size:
            a[near], b[near] = self._near_origin(f, v[near], r[near])
        return a, b

    def _near_origin(self, f: np.ndarray, v: np.ndarray, r: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        unit = np.where(r[:, None] > 0, v / np.where(r > 0, r, 1.0)[:, None], np.array([0.0, 0.0, 1.0]))
        ts = R_SMALL * np.array([-2.0, -1.0, 1.0, 2.0])
        pts = (ts[None, :, None] * unit[:, None, :]).reshape(-1, 3)
        a4, b4 = self._cartesian(f, pts)
        a4 = a4.reshape(r.size, 4, 3, 3)
        b4 = b4.reshape(r.size, 4, 3)
        lag = np.ones((r.size, 4))
        for i in range(4):
            for j in range(4):
                if i != j:
                    lag[:, i] *= (r - ts[j]) / (ts[i] - ts[j])
        return np.einsum("mk,mkab->mab", lag, a4), np.einsum("mk,mka->ma", lag, b4)

    def density(self, f: np.ndarray, points: object) -> np.ndarray:
        """f(v) at ``points`` (M × 3) by the spectral interpolant of the nodal values."""
        v = check_array("points", points, (None, 3))
        r = np.sqrt(np.sum(v * v, axis=1))
        safe = np.where(r > 0, r, 1.0)
        xi = np.where(r > 0, v[:, 2] / safe, 1.0)
        return self.op.grid.interpolate(f, np.where(r > 0, r, 1e-300), xi)
