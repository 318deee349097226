"""Certified inverse-CDF table of the K-jump angle law: Θ = Q(s), s = √(−log U), piecewise Chebyshev in s.

Variable. A uniform U ∈ (0, 1) is mapped to s = √(−log U) ∈ [0, s_max], and the table holds Θ = Q(s) with
S(Q(s)) = e^{−s²} = U, where S(Θ) = P(composed angle > Θ) (:mod:`mbc_verify.mbc.compound_series`). So Θ is the
inverse upper-tail function of U, and U uniform gives Θ the exact law. s is the natural variable: near U → 1 the
law is smooth on the sphere at Θ = 0, so 1 − S ∝ Θ² and Θ ∝ s; in the upper tail the law is Gaussian-like,
Θ² ∝ −log U = s². Below U_min = 2⁻⁴⁶ (s > s_max) the table returns Q(s_max): that moves at most U_min of mass.

Interpolant. [0, s_max] is cut into ``ncell`` equal cells (cell index = ⌊s/Δs⌋, O(1)); on each, Q̃ is the
degree-12 polynomial interpolating Q at the 13 Chebyshev–Lobatto points (adjacent cells share their end node),
stored by its Chebyshev coefficients and evaluated by Clenshaw's recurrence. A cell whose first node lies above π/2
stores π − Θ instead (its "anchor" is π), so the angle keeps full relative precision where the law approaches the
antipode. Node values are solved by safeguarded Newton on the float64 series, finished by Newton steps on the
double-double series in the tails (float64 rounding would make the tail nodes noisy, and noise in the node values
is amplified by the derivative bounds below). Cells are refined until the bound ≤ ``TABLE_TARGET`` = 2.5·10⁻¹³,
so that a composition of two table draws stays ≤ 10⁻¹² (:mod:`mbc_verify.mbc.compound`).

Theorem (what is certified). Let E(s) = S(Q̃(s)) − e^{−s²}. On each cell Q̃ is increasing (checked: Q̃' at 8n + 1
points minus its Lipschitz margin stays positive), and adjacent cells overlap by at most δ (their end values, in
float64, plus Clenshaw's rounding). Then the sampled angle Θ̃ = Q̃(s(U)) has P(Θ̃ > θ) − P(Θ > θ) = E at
s = Q̃^{-1}(θ), except that an overlap of width δ moves at most M_1 δ of mass, so the Kolmogorov distance of the
sampled law to the exact one is at most sup_s |E(s)| + M_1 δ (+ U_min for the clamp). On a cell of half-width η
with nodes s_i, E = I_n[E] + (E − I_n[E]), where I_n interpolates E's node values:

    |I_n[E]| ≤ Λ_n max_i |E(s_i)|,   Λ_n ≤ 2 + (2/π) log(n+1)

(Lebesgue constant of the Chebyshev–Lobatto points, L. Brutman, Ann. Numer. Math. 4 (1997) 111–127; the tests
check the constant numerically). Split S = S_≤ + S_> at the L where the series tail T(L) ≤ 2⁻⁵⁰
(compound_series.py): the tail part S_> ∘ Q̃ has sup ≤ T(L), so its share of E − I_n[E] is ≤ (1 + Λ_n) T(L), with
no derivative needed (none would exist for the few-jump laws, whose smoothness is finite). For the smooth part
E_≤ = S_≤ ∘ Q̃ − e^{−s²} the classical interpolation remainder applies,

    |E_≤ − I_n[E_≤]| ≤ sup|E_≤^{(n+1)}| η^{n+1} 2^{1−n} / (n+1)!   (|Π(s − s_i)| = η^{n+1}|(ξ²−1)U_{n−1}(ξ)|/2^{n−1}),

and since E_≤ composes the trigonometric polynomial S_≤ with the *known* polynomial Q̃, no derivative of an inverse
function is needed: by Faà di Bruno,

    |E_≤^{(m)}| ≤ Σ_{k=1}^{m} M_k B_{m,k}(q_1, …, q_{m−k+1}) + 1.0865 · 2^{m/2} √(m!) e^{−s_a²/2},

with M_k the derivative bounds of S_≤ (Bernstein's inequalities, compound_series.py), q_j = sup_cell |Q̃^{(j)}|
(sum of the moduli of the Chebyshev coefficients of Q̃^{(j)}), B_{m,k} the partial Bell polynomials, and the last
term Cramér's inequality for d^m e^{−s²} = (−1)^m H_m(s) e^{−s²} (Abramowitz–Stegun 22.14.17), s_a the cell's left
end. The node residuals E(s_i) are evaluated at the float64 Clenshaw value the sampler itself produces, with the
double-double series, so they include the table's storage rounding.

Bound. ``bound`` = max over cells of [Λ_n (max_i |E(s_i)| + ρ_n) + remainder + (1 + Λ_n) T(L) + M_1 (ρ_e + δ)]
+ T + U_min, where T ≤ 2⁻⁶⁰ is the truncation of the series used at the nodes, ρ_n the allowance for the node
residuals (2⁻⁵³ for the float64 level e^{−s_i²}, 2⁻⁹⁰ Σ|c_ℓ| for the double-double evaluation, T, and M_1 C_a 2⁻⁵³
because they are evaluated at the float64 Clenshaw value instead of the exact polynomial; C_a is the a-priori error
bound of Clenshaw's recurrence, :func:`clenshaw_error`), and ρ_e the distance between the angle the sampler
computes and Q̃(s): C_a 2⁻⁵³ plus q_1 (1.5 s_max + 8η) 2⁻⁵³ for computing s = √(−log U) (log and sqrt, ≤ 1.5 ulp)
and ξ (≤ 4 roundings). The bound is for the law of the sampled angle Θ̃; the final cos Θ̃, sin Θ̃
carry the usual ulp-level rounding of any trigonometric evaluation.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from .composite import cdf_pdf
from .compound_series import (
    TRUNC_BUDGET,
    dd_extent,
    derivative_bounds,
    jump_coefficients_dd,
    recurrence_dd,
    series_dd,
    truncation,
)
from .dd import two_sum

TABLE_TARGET = 2.5e-13
U_MIN = 2.0**-46
S_MAX = math.sqrt(-math.log(U_MIN))
N_DEGREE = 12
SPLIT_BUDGET = 2.0**-50
MAX_REFINE = 12
MAX_CELLS = 256
_EPS = 2.0**-53
_LN2 = math.log(2.0)
_CRAMER = 1.0865
_FLOAT_TOL = 1e-10
_TAIL = 0.02


@njit(cache=True)
def lobatto(n: int) -> np.ndarray:
    """Chebyshev–Lobatto points ξ_i = −cos(iπ/n), i = 0..n, ascending in [−1, 1]."""
    out = np.empty(n + 1)
    for i in range(n + 1):
        out[i] = -math.cos(i * math.pi / n)
    out[0] = -1.0
    out[n] = 1.0
    return out


@njit(cache=True)
def cheb_coefficients(vals: np.ndarray) -> np.ndarray:
    """Chebyshev coefficients a_k of the polynomial interpolating ``vals`` at the ascending Lobatto points."""
    n = vals.shape[0] - 1
    a = np.zeros(n + 1)
    for k in range(n + 1):
        acc = 0.0
        for i in range(n + 1):
            w = 0.5 if i == 0 or i == n else 1.0
            acc += w * vals[i] * math.cos(k * (n - i) * math.pi / n)
        a[k] = acc * 2.0 / n
    a[0] *= 0.5
    a[n] *= 0.5
    return a


@njit(cache=True, inline="always")
def clenshaw(a: np.ndarray, off: int, n: int, xi: float) -> float:
    """Σ_{k=0}^{n} a[off+k] T_k(ξ) by Clenshaw's recurrence."""
    b1 = 0.0
    b2 = 0.0
    for k in range(n, 0, -1):
        b0 = 2.0 * xi * b1 - b2 + a[off + k]
        b2 = b1
        b1 = b0
    return xi * b1 - b2 + a[off]


@njit(cache=True)
def cheb_derivative(a: np.ndarray) -> np.ndarray:
    """Chebyshev coefficients of d/dξ of Σ a_k T_k(ξ) (length reduced by one; zero polynomial gives [0])."""
    n = a.shape[0] - 1
    if n == 0:
        return np.zeros(1)
    d = np.zeros(n + 1)
    for k in range(n, 0, -1):
        d[k - 1] = d[k + 1] + 2.0 * k * a[k] if k + 1 <= n else 2.0 * k * a[k]
    d[0] *= 0.5
    return d[:n]


@njit(cache=True)
def _level(s: float) -> tuple:
    """(use Φ?, target): Φ = 1 − e^{−s²} (accurate) for s² < ln 2, else S = e^{−s²}."""
    if s * s < _LN2:
        return True, -math.expm1(-s * s)
    return False, math.exp(-s * s)


@njit(cache=True)
def _newton_float(c: np.ndarray, nterms: int, use_phi: bool, target: float, hi: float, theta: float) -> float:
    """Safeguarded Newton for S(Θ) = target (or Φ(Θ) = target) in float64, bracket [0, hi], to a relative 10⁻¹⁰
    (the double-double steps of :func:`solve_node` converge quadratically from there)."""
    lo = 0.0
    for _ in range(100):
        f_cdf, f_pdf = cdf_pdf(c, nterms, math.cos(theta))
        g = (1.0 - f_cdf) - target if use_phi else target - f_cdf  # increasing in Θ
        if g == 0.0:
            return theta
        if g > 0.0:
            hi = theta
        else:
            lo = theta
        slope = f_pdf * math.sin(theta)
        nxt = theta - g / slope if slope > 0.0 else -1.0
        if not (lo < nxt < hi):
            nxt = 0.5 * (lo + hi)
        if abs(nxt - theta) <= _FLOAT_TOL * nxt or hi - lo <= _FLOAT_TOL * hi:
            return nxt
        theta = nxt
    return theta


@njit(cache=True)
def residual_dd(c: np.ndarray, cdd: np.ndarray, nterms: int, ndd: int, rec: np.ndarray, anchor: float, v: float,
                s: float) -> tuple:
    """(E, dS/dv) at the angle Θ = v (anchor 0) or Θ = π − v (anchor π): E = S(Θ) − e^{−s²} from the
    double-double series (via Φ for s² < ln 2), the argument x = cos Θ built exactly from sin²(v/2)."""
    half = math.sin(0.5 * v)
    if anchor == 0.0:
        xh, xl = two_sum(1.0, -2.0 * half * half)
    else:
        xh, xl = two_sum(-1.0, 2.0 * half * half)
    s_h, s_l, phi_h, phi_l, dens = series_dd(c, cdd, nterms, ndd, rec, xh, xl)
    use_phi, target = _level(s)
    if use_phi:
        err = target - phi_h - phi_l
    else:
        err = (s_h - target) + s_l
    slope = dens * math.sin(v)
    return err, -slope if anchor == 0.0 else slope


@njit(cache=True)
def solve_node(c: np.ndarray, cdd: np.ndarray, nterms: int, ndd: int, rec: np.ndarray, s: float, hi: float,
               guess: float, anchor: float) -> float:
    """The node value v (Θ = v, or Θ = π − v for anchor π) with S(Θ) = e^{−s²}: float64 Newton on Θ, then
    Newton steps on v with the double-double series.

    The double-double steps are taken in the tails (target level S or Φ below ``_TAIL``), where the float64 series
    has too few correct digits, and for every anchor-π node; in the bulk two more float64 Newton steps reach full
    precision (S' ~ 1/width there, so the float64 rounding of S moves Θ by a few ulps)."""
    if s == 0.0:
        return 0.0
    use_phi, target = _level(s)
    theta = _newton_float(c, nterms, use_phi, target, hi, min(max(guess, 1e-300), hi))
    if target >= _TAIL and anchor == 0.0:
        for _ in range(2):
            f_cdf, f_pdf = cdf_pdf(c, nterms, math.cos(theta))
            g = (1.0 - f_cdf) - target if use_phi else target - f_cdf
            slope = f_pdf * math.sin(theta)
            if slope > 0.0:
                theta -= g / slope
        return theta
    v = theta if anchor == 0.0 else math.pi - theta
    for _ in range(5):
        err, slope = residual_dd(c, cdd, nterms, ndd, rec, anchor, v, s)
        if slope == 0.0:
            break
        step = err / slope
        v -= step
        if abs(step) <= 0.25 * _EPS * v:
            break
    return v


@njit(cache=True)
def bell_bound(q: np.ndarray, mvals: np.ndarray, m: int) -> float:
    """Σ_{k=1}^{m} M_k B_{m,k}(q_1, …, q_{m−k+1}) with partial Bell polynomials (all entries ≥ 0)."""
    bell = np.zeros((m + 1, m + 1))
    bell[0, 0] = 1.0
    for mm in range(1, m + 1):
        for k in range(1, mm + 1):
            acc = 0.0
            binom = 1.0
            for i in range(1, mm - k + 2):
                if i > 1:
                    binom = binom * (mm - i + 1) / (i - 1)
                acc += binom * q[i] * bell[mm - i, k - 1]
            bell[mm, k] = acc
    total = 0.0
    for k in range(1, m + 1):
        total += mvals[k] * bell[m, k]
    return total


@njit(cache=True)
def derivative_sups(a: np.ndarray, half_width: float, jmax: int) -> np.ndarray:
    """q[j] ≥ sup_cell |Q̃^{(j)}| for j = 0..jmax: (1/η)^j Σ_k |a^{(j)}_k| (|T_k| ≤ 1)."""
    q = np.zeros(jmax + 1)
    d = a.copy()
    scale = 1.0
    for j in range(jmax + 1):
        q[j] = scale * np.sum(np.abs(d))
        d = cheb_derivative(d)
        scale /= half_width
    return q


@njit(cache=True)
def clenshaw_error(a: np.ndarray) -> float:
    """Bound of |fl(Clenshaw) − Σ a_k T_k(ξ)| over |ξ| ≤ 1, in units of 2⁻⁵³.

    Step k of the recurrence commits at most three roundings, |δ_k| ≤ 3u (|a_k| + 2|b_{k+1}| + |b_{k+2}|), and an
    error in b_k reaches the result multiplied by a Chebyshev polynomial of the second kind, |U_{k−1}(ξ)| ≤ k; with
    |b_k(ξ)| = |Σ_{j≥k} a_j U_{j−k}(ξ)| ≤ β_k := Σ_{j≥k} (j−k+1)|a_j| this gives
    Σ_k 3(k+1)(|a_k| + 2β_{k+1} + β_{k+2})."""
    n = a.shape[0] - 1
    beta = np.zeros(n + 3)
    for k in range(n, -1, -1):
        acc = 0.0
        for j in range(k, n + 1):
            acc += (j - k + 1) * abs(a[j])
        beta[k] = acc
    total = 0.0
    for k in range(n + 1):
        total += 3.0 * (k + 1) * (abs(a[k]) + 2.0 * beta[k + 1] + beta[k + 2])
    return total


@njit(cache=True)
def _lebesgue(n: int) -> float:
    return 2.0 + (2.0 / math.pi) * math.log(n + 1.0)


@njit(cache=True)
def _increasing(a: np.ndarray, q2: float, half_width: float, n: int) -> bool:
    """Q̃' > 0 on the cell: Q̃' at 8n + 1 points minus q2 · (half the spacing) stays positive."""
    d = cheb_derivative(a)
    npts = 8 * n + 1
    gap = 2.0 / (npts - 1)
    lowest = math.inf
    for i in range(npts):
        xi = -1.0 + i * gap
        lowest = min(lowest, clenshaw(d, 0, d.shape[0] - 1, xi) / half_width)
    return lowest - q2 * 0.5 * gap * half_width > 0.0


@njit(cache=True)
def build_cells(c: np.ndarray, cdd: np.ndarray, nterms: int, ndd: int, rec: np.ndarray, theta_max: float, n: int,
                ncell: int) -> tuple:
    """(coef, anchor): Chebyshev coefficients (ncell × (n+1)) of the Lobatto interpolant on ``ncell`` equal cells
    of [0, s_max] and each cell's anchor A ∈ {0, π}: a cell whose first node lies above π/2 stores v = π − Θ and is
    solved in that variable, so Θ keeps full relative precision where the law approaches the antipode."""
    xi = lobatto(n)
    ds = S_MAX / ncell
    coef = np.empty((ncell, n + 1))
    anchor = np.zeros(ncell)
    vals = np.empty(n + 1)
    theta = 0.0  # last node's angle
    last_v = 0.0  # last node's stored value in its cell's variable
    s_prev, t_prev = 0.0, 0.0
    s_last = 0.0
    for cell in range(ncell):
        a = math.pi if theta > 0.5 * math.pi else 0.0
        anchor[cell] = a
        prev_a = anchor[cell - 1] if cell > 0 else 0.0
        vals[0] = last_v if a == prev_a else (math.pi - last_v)
        for i in range(1, n + 1):
            s = (cell + 0.5 * (xi[i] + 1.0)) * ds
            guess = theta + (theta - t_prev) * (s - s_last) / (s_last - s_prev) if s_last > s_prev else 0.5 * s
            v = solve_node(c, cdd, nterms, ndd, rec, s, theta_max, min(max(guess, theta), theta_max), a)
            vals[i] = v
            s_prev, t_prev = s_last, theta
            s_last, theta = s, (v if a == 0.0 else math.pi - v)
            last_v = v
        coef[cell] = cheb_coefficients(vals)
    return coef, anchor


@njit(cache=True, inline="always")
def cell_theta(coef: np.ndarray, off: int, n: int, anchor: float, xi: float) -> float:
    """Θ at ξ in a cell: the stored polynomial p, or π − p for a cell anchored at π."""
    p = clenshaw(coef, off, n, xi)
    return p if anchor == 0.0 else anchor - p


@njit(cache=True)
def certify_cells(coef: np.ndarray, anchor: np.ndarray, c: np.ndarray, cdd: np.ndarray, nterms: int, ndd: int,
                  rec: np.ndarray, mvals: np.ndarray, trunc: float, t_split: float) -> tuple:
    """(bound, monotone): the certified sup |E| of the table (module docstring) and whether Q̃ is increasing."""
    ncell, width = coef.shape
    n = width - 1
    xi = lobatto(n)
    ds = S_MAX / ncell
    eta = 0.5 * ds
    rho_c = 2.0**-90 * np.sum(np.abs(c[: nterms + 1]))
    lam = _lebesgue(n)
    remainder_scale = math.pow(eta, n + 1.0) * math.pow(2.0, 1.0 - n) / math.gamma(n + 2.0)
    hermite_c = _CRAMER * math.pow(2.0, 0.5 * (n + 1)) * math.sqrt(math.gamma(n + 2.0))
    worst = 0.0
    monotone = True
    prev_end = 0.0
    prev_err = 0.0
    for cell in range(ncell):
        a = coef[cell]
        q = derivative_sups(a, eta, n + 1)
        c_err = clenshaw_error(a) * _EPS
        overlap = max(0.0, prev_end - cell_theta(coef[cell], 0, n, anchor[cell], -1.0)) + prev_err + c_err
        prev_end = cell_theta(coef[cell], 0, n, anchor[cell], 1.0)
        prev_err = c_err
        node_err = 0.0
        for i in range(n + 1):
            s = (cell + 0.5 * (xi[i] + 1.0)) * ds
            coef_v = clenshaw(coef[cell], 0, n, xi[i])
            err, _ = residual_dd(c, cdd, nterms, ndd, rec, anchor[cell], coef_v, s)
            node_err = max(node_err, abs(err))
        rho_node = _EPS + rho_c + trunc + mvals[1] * c_err  # |E(s_i)| − computed residual
        rho_eval = c_err + q[1] * (1.5 * S_MAX + 8.0 * eta) * _EPS  # |sampled Θ − Q̃(s)| between nodes
        s_a = cell * ds
        deriv = bell_bound(q, mvals, n + 1) + hermite_c * math.exp(-0.5 * s_a * s_a)
        worst = max(worst, lam * (node_err + rho_node) + deriv * remainder_scale + (1.0 + lam) * t_split
                    + mvals[1] * (rho_eval + overlap))
        monotone = monotone and _increasing(a if anchor[cell] == 0.0 else -a, q[2], eta, n)
    return worst + trunc + U_MIN, monotone


@njit(cache=True, nogil=True)
def build_k_table(mdd: np.ndarray, bern: float, k: int, theta_max: float) -> tuple:
    """(coef (ncell × (n+1)), anchor (ncell), bound, flip) for the law of K jumps (one-jump eigenvalues ``mdd`` in
    double-double, compound_series.eigenvalues_dd), cells refined until bound ≤ TABLE_TARGET and Q̃ is increasing.
    ``flip``: the table holds the law of π − Θ (Legendre coefficients (−1)^ℓ c_ℓ, since P_ℓ(−x) = (−1)^ℓ P_ℓ(x)),
    chosen when E[cos Θ] < 0 (h > π/2, odd K: mass near the antipode); the sampler then returns π − Θ̃, and the
    Kolmogorov distance is the same.

    Returns empty arrays and bound = inf when no admissible table exists (series truncation or degree fails, or
    ``MAX_REFINE`` refinements do not reach the target)."""
    n = N_DEGREE
    cdd = jump_coefficients_dd(mdd, k)
    flip = cdd[1, 0] < 0.0  # E[cos Θ] < 0: tabulate π − Θ, whose coefficients are (−1)^ℓ c_ℓ
    if flip:
        cdd[1::2] *= -1.0
        theta_max = math.pi
    c = cdd[:, 0].copy()
    nterms, trunc = truncation(c, bern, k, TRUNC_BUDGET)
    lsplit, t_split = truncation(c, bern, k, SPLIT_BUDGET)
    mvals = derivative_bounds(c, lsplit, n + 1)
    if trunc > TRUNC_BUDGET or t_split > SPLIT_BUDGET:
        return np.empty((0, n + 1)), np.empty(0), math.inf, flip
    rec = recurrence_dd(nterms + 1)
    ndd = dd_extent(c, nterms)
    ncell = 8
    for _ in range(MAX_REFINE):
        coef, anchor = build_cells(c, cdd, nterms, ndd, rec, theta_max, n, ncell)
        bound, monotone = certify_cells(coef, anchor, c, cdd, nterms, ndd, rec, mvals, trunc, t_split)
        if bound <= TABLE_TARGET and monotone:
            return coef, anchor, bound, flip
        grow = 1.25 if not bound > TABLE_TARGET else max(1.25, math.pow(bound / TABLE_TARGET, 1.0 / (n + 1)) * 1.1)
        if ncell == MAX_CELLS:
            break
        ncell = min(MAX_CELLS, int(math.ceil(ncell * min(grow, 4.0))))
    return np.empty((0, n + 1)), np.empty(0), math.inf, flip
