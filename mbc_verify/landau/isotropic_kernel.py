"""Collision kernel of the conservative entropic isotropic Landau scheme (see :mod:`.isotropic`).

One formulation, two arithmetics: :func:`collision_rhs` uses only +, -, *, / and comparisons, so the same
Python source runs compiled by numba on float64 arrays and, through ``collision_rhs.py_func``, on numpy object
arrays of ``mpmath.mpf`` (the high-precision mode). No fastmath: the conservation identities must hold to
round-off.

Semi-discrete scheme (cells i = 0..n-1 with centres r_i, interfaces a = 0..n-2 at radius ρ_a between cells
a and a+1, x = r²/2 so that x_{a+1} - x_a = ρ_a Δr):

    DF_a = (F_{a+1} - F_a) / (ρ_a Δr)                        (≈ F'(ρ)/ρ = dF/dx)
    𝔽_a  = logarithmic mean of F_a, F_{a+1}                  (so that 𝔽_a D(log F)_a = DF_a exactly)
    J_a  = Σ_b W_ab (𝔽_b DF_a - s 𝔽_a DF_b)                  (W symmetric, s = 1; s = -1 is a mutant)
    ω_i dF_i/dt = c (J_i/ρ_i - J_{i-1}/ρ_{i-1}),   J_{-1} = J_{n-1} = 0

with c = ½: the weak form -¼ ∫∫ (the ½ of docs/spec.md §1 times the ½ of symmetrisation) becomes ½ once the
antisymmetry in (a, b) is used (see :mod:`.isotropic`); the mutant ``solver_without_half`` uses c = 1.
"""

from __future__ import annotations

import numpy as np
from numba import njit

__all__ = ["FLUX_COEFFICIENT", "collision_rhs", "zeros_like_work"]

FLUX_COEFFICIENT = 0.5
"""The c of ω_i dF_i/dt = c (J_i/ρ_i − J_{i−1}/ρ_{i−1}): the ½ of docs/spec.md §1 (module docstring)."""


@njit(cache=True)
def collision_rhs(f, logf, w, rho, dr, inv_omega, coef, sign, small, out, fm, df, wf, wd):  # noqa: ANN001, ANN201
    """dF/dt of the scheme above into ``out``; ``fm``, ``df``, ``wf``, ``wd`` are work arrays of length n-1.

    On return ``fm`` holds the interface values 𝔽_a and ``df`` the DF_a. 𝔽_a is the logarithmic mean
    (F_{a+1} - F_a)/ξ, ξ = log F_{a+1} - log F_a; for |ξ| < ``small`` (where the quotient loses digits) it is
    (F_a + F_{a+1})/2 · tanh(y)/y, y = ξ/2, with tanh(y)/y = 1 - y²/3 + 2y⁴/15 - 17y⁶/315 + 62y⁸/2835 + O(y¹⁰).

    ``w`` is the (n-1)×(n-1) symmetric kernel matrix W_ab (quadrature weight Δr included), ``coef`` the factor c,
    ``sign`` the s of the friction part. Returns the largest Gershgorin bound of the diffusion part,
    max_i c (W𝔽_i/ρ_i² + W𝔽_{i-1}/ρ_{i-1}²)/(Δr ω_i), used for the step size.
    O(n²): two matrix-vector products.
    """
    n = f.shape[0]
    m = n - 1
    for a in range(m):
        df[a] = (f[a + 1] - f[a]) / (rho[a] * dr)
        xi = logf[a + 1] - logf[a]
        if -small < xi < small:
            y2 = xi * xi / 4
            series = 1 - y2 * (1 / 3 - y2 * (2 / 15 - y2 * (17 / 315 - y2 * (62 / 2835))))
            fm[a] = (f[a] + f[a + 1]) / 2 * series
        else:
            fm[a] = (f[a + 1] - f[a]) / xi
    for a in range(m):
        s1 = fm[0] * 0
        s2 = fm[0] * 0
        for b in range(m):
            s1 += w[a, b] * fm[b]
            s2 += w[a, b] * df[b]
        wf[a] = s1
        wd[a] = s2
    prev = fm[0] * 0
    prev_diff = fm[0] * 0
    lam = fm[0] * 0
    for i in range(n):
        if i < m:
            cur = (df[i] * wf[i] - sign * fm[i] * wd[i]) / rho[i]
            cur_diff = wf[i] / (rho[i] * rho[i])
        else:
            cur = fm[0] * 0
            cur_diff = fm[0] * 0
        out[i] = coef * (cur - prev) * inv_omega[i]
        bound = coef * (cur_diff + prev_diff) * inv_omega[i] / dr
        if bound > lam:
            lam = bound
        prev = cur
        prev_diff = cur_diff
    return lam


def zeros_like_work(f: np.ndarray) -> tuple[np.ndarray, ...]:
    """Work arrays (out, fm, df, wf, wd) of the dtype of ``f`` (float64 or object)."""
    n = f.shape[0]
    z = f[0] * 0
    return (np.full(n, z, dtype=f.dtype), *(np.full(n - 1, z, dtype=f.dtype) for _ in range(4)))
