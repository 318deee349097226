"""The exact law of K composed jumps as a Legendre series, with certified truncation and derivative bounds.

For K jumps the cosine x = cos Θ of the composed angle has the CDF (:mod:`mbc_verify.mbc.composite`)

    F_K(x) = (1 + x)/2 + ½ Σ_{ℓ≥1} c_ℓ (P_{ℓ+1}(x) − P_{ℓ−1}(x)),     c_ℓ = m_ℓ^K,

where m_ℓ are the one-jump eigenvalues (:func:`mbc_verify.mbc.angles.legendre_means`, tabulated for ℓ ≤ L_cap; the
"exact law" below is the one with these tabulated m_ℓ, as in composite.py). As a function of the angle,
S(Θ) = F_K(cos Θ) = P(composed angle > Θ) is the upper-tail probability that the tables of
:mod:`mbc_verify.mbc.compound_table` invert.

Truncation. Dropping term ℓ changes F_K by at most |c_ℓ| (|P_{ℓ+1} − P_{ℓ−1}| ≤ 2), and Bernstein's inequality
|m_ℓ| ≤ (B/ℓ)^{1/2} bounds the terms beyond the table (composite.py); keeping ℓ ≤ L gives
sup |F_K − F_K^{(L)}| ≤ Σ_{L<ℓ≤L_cap} |c_ℓ| + L_cap (B/L_cap)^{K/2}/(K/2 − 1) =: T(L), and :func:`truncation`
returns the least L with T(L) below a budget (2⁻⁶⁰ for evaluating S).

Derivative bounds. Split S = S_{≤L} + S_{>L} at some L (the tables use the L with T(L) ≤ 2⁻⁵⁰): the tail is bounded
in sup norm by T(L), and the trigonometric polynomial S_{≤L} has bounded derivatives of every order:
S'_{≤L}(Θ) = −Σ_{ℓ=0}^{L} (ℓ+½) c_ℓ g_ℓ(Θ), g_ℓ(Θ) = P_ℓ(cos Θ) sin Θ, a trigonometric polynomial of degree ℓ+1 with
|g_ℓ| ≤ β_ℓ = min(1, (2/(π(ℓ+½)))^{1/2}) (Bernstein's Legendre inequality, Szegő, *Orthogonal Polynomials*,
Thm 7.3.3); Bernstein's inequality for trigonometric polynomials (‖T'‖ ≤ n‖T‖ for degree n, Zygmund,
*Trigonometric Series*, Ch. X) then gives, for k ≥ 1,

    M_k := sup_Θ |S_{≤L}^{(k)}(Θ)| ≤ ½ + Σ_{ℓ=1}^{L} (ℓ+½) |c_ℓ| (ℓ+1)^{k−1} β_ℓ.

Every |c_ℓ| is inflated by (1 + 4·2⁻⁵³) for the rounding of m_ℓ^K to float64.

Evaluation in double-double (:mod:`mbc_verify.mbc.dd`): the argument x is passed as a double-double (built as
1 − 2 sin²(Θ/2) near Θ = 0 and −1 + 2 sin²((π−Θ)/2) near Θ = π, so no digit of a small angle is lost), the
Legendre recurrence, the sum and the complement Φ = 1 − F run in double-double, so both tails S and Φ come out
with an absolute error of a few 2⁻¹⁰⁶ · Σ|c_ℓ| ≪ 10⁻²⁰ (relative to the coefficients c_ℓ = m_ℓ^K, themselves formed
in double-double from double-double eigenvalues, :func:`eigenvalues_dd`); terms with |c_ℓ| < 2⁻⁵⁰ are summed in
float64. Only table construction and certification use it.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from .composite import bernstein_tail
from .dd import dd_add, dd_cos_sin, dd_div, dd_div_d, dd_exp, dd_mul, dd_mul_d

TRUNC_BUDGET = 2.0**-60
COEF_ROUNDING = 4.0 * 2.0**-53
"""Relative rounding allowance of c_ℓ = m_ℓ^K (math.pow is accurate to well under one ulp)."""


def _gauss_legendre_dd(n: int = 16) -> np.ndarray:
    """Rows (node hi, node lo, weight hi, weight lo) of the n-point Gauss–Legendre rule, by Newton in mpmath."""
    import mpmath as mp

    out = np.empty((n, 4))
    with mp.workdps(40):
        for i, x0 in enumerate(np.polynomial.legendre.leggauss(n)[0]):
            x = mp.mpf(float(x0))
            for _ in range(8):
                p, dp = mp.legendre(n, x), n * (x * mp.legendre(n, x) - mp.legendre(n - 1, x)) / (x * x - 1)
                x -= p / dp
            dp = n * (x * mp.legendre(n, x) - mp.legendre(n - 1, x)) / (x * x - 1)
            w = 2 / ((1 - x * x) * dp * dp)
            out[i] = (float(x), float(x - mp.mpf(float(x))), float(w), float(w - mp.mpf(float(w))))
    return out


_GL_DD = _gauss_legendre_dd()
_PI_DD = np.array([math.pi, 1.2246467991473532e-16])  # π = hi + lo to 2⁻¹⁰⁶
_RAYLEIGH_CUT = 80.0  # the truncated Rayleigh mass beyond θ = h √80 is e^{-80}/p < 2·10⁻³⁵


@njit(cache=True)
def _legendre_accumulate(out: np.ndarray, rec: np.ndarray, xh: float, xl: float, wh: float, wl: float) -> None:
    """out[ℓ] += w · P_ℓ(x) in double-double for ℓ = 0..lmax."""
    lmax = out.shape[0] - 1
    ph, pl = 1.0, 0.0
    qh, ql = xh, xl
    out[0, 0], out[0, 1] = dd_add(out[0, 0], out[0, 1], wh, wl)
    if lmax >= 1:
        th, tl = dd_mul(wh, wl, qh, ql)
        out[1, 0], out[1, 1] = dd_add(out[1, 0], out[1, 1], th, tl)
    for ell in range(1, lmax):
        th, tl = dd_mul(qh, ql, xh, xl)
        th, tl = dd_mul(th, tl, rec[ell, 0], rec[ell, 1])
        uh, ul = dd_mul(ph, pl, rec[ell, 2], rec[ell, 3])
        nh, nl = dd_add(th, tl, -uh, -ul)
        ph, pl = qh, ql
        qh, ql = nh, nl
        th, tl = dd_mul(wh, wl, qh, ql)
        out[ell + 1, 0], out[ell + 1, 1] = dd_add(out[ell + 1, 0], out[ell + 1, 1], th, tl)


@njit(cache=True)
def eigenvalues_dd(kernel: int, h: float, lmax: int) -> np.ndarray:
    """Rows (hi, lo) of the one-jump eigenvalues m_ℓ = E[P_ℓ(cos θ)], ℓ = 0..lmax, in double-double.

    "fixed": P_ℓ(cos h) by the Legendre recurrence from cos h in double-double. "rayleigh": the quadrature of
    angles.legendre_means (composite 16-point Gauss–Legendre on panels no wider than min(h/2, 4/(lmax+1)), so that
    each panel holds under one period of P_ℓ; rule error far below 10⁻²⁵) on [0, min(π, h√80)], with the rule's
    nodes and weights, cos θ, e^{−θ²/h²} and the mass p = 1 − e^{−π²/h²} all in double-double. float64 eigenvalues
    (angles.py, ~10⁻¹⁵) would not do: K·Σ|m_ℓ|^{K−1}·δm reaches 10⁻¹³, the depth of the tables' tails."""
    rec = recurrence_dd(lmax + 1)
    out = np.zeros((lmax + 1, 2))
    if kernel == 0:
        xh, xl, _, _ = dd_cos_sin(h, 0.0)
        _legendre_accumulate(out, rec, xh, xl, 1.0, 0.0)
        return out
    ih, il = dd_div_d(1.0, h)
    ah, al = dd_mul(ih, il, _PI_DD[0], _PI_DD[1])
    ah, al = dd_mul(ah, al, ah, al)
    eh, el = dd_exp(-ah, -al)
    ph, pl = dd_add(1.0, 0.0, -eh, -el)  # p = 1 − e^{−π²/h²}
    cut = h * math.sqrt(_RAYLEIGH_CUT)
    bh, bl = (_PI_DD[0], _PI_DD[1]) if cut >= math.pi else (cut, 0.0)
    panels = max(1, int(math.ceil(bh / min(0.5 * h, 4.0 / (lmax + 1)))))
    dh, dl = dd_div(bh, bl, 2.0 * panels, 0.0)  # half a panel width, in double-double (the panels end at b exactly)
    for k in range(panels):
        for q in range(_GL_DD.shape[0]):
            # θ = (k + (x_q + 1)/2) · 2d, weight d · w_q
            th, tl = dd_add(_GL_DD[q, 0], _GL_DD[q, 1], 1.0 + 2.0 * k, 0.0)
            th, tl = dd_mul(th, tl, dh, dl)
            wh, wl = dd_mul(_GL_DD[q, 2], _GL_DD[q, 3], dh, dl)
            uh, ul = dd_mul(th, tl, ih, il)  # θ/h
            sh, sl = dd_mul(uh, ul, uh, ul)
            gh, gl = dd_exp(-sh, -sl)
            gh, gl = dd_mul(gh, gl, uh, ul)
            gh, gl = dd_mul(gh, gl, ih, il)
            gh, gl = dd_mul_d(gh, gl, 2.0)
            gh, gl = dd_div(gh, gl, ph, pl)  # 2θ/h² e^{−θ²/h²} / p
            wh, wl = dd_mul(wh, wl, gh, gl)
            ch, cl, _, _ = dd_cos_sin(th, tl)
            _legendre_accumulate(out, rec, ch, cl, wh, wl)
    return out


@njit(cache=True)
def jump_coefficients_dd(mdd: np.ndarray, k: int) -> np.ndarray:
    """Rows (hi, lo) of c_ℓ = m_ℓ^K in double-double from double-double eigenvalues (binary powering; relative
    error ≲ 2 log₂K · 2⁻¹⁰⁴).

    Rounding c_ℓ to float64 would add to S a perturbation of ~2⁻⁵³ oscillating at the scale 1/L, harmless in
    absolute terms but a visible wiggle of the deep tail (S ~ 10⁻¹³) that the node values must follow smoothly."""
    out = np.empty((mdd.shape[0], 2))
    for ell in range(mdd.shape[0]):
        rh, rl = 1.0, 0.0
        bh, bl = mdd[ell, 0], mdd[ell, 1]
        e = k
        while e > 0:
            if e & 1:
                rh, rl = dd_mul(rh, rl, bh, bl)
            e >>= 1
            if e > 0:
                bh, bl = dd_mul(bh, bl, bh, bl)
        out[ell, 0] = rh
        out[ell, 1] = rl
    return out


@njit(cache=True)
def truncation(c: np.ndarray, bern: float, k: int, budget: float) -> tuple:
    """(L, T(L)): the least L ≥ 1 with T(L) = Σ_{L<ℓ≤L_cap}|c_ℓ| + Bernstein tail ≤ ``budget`` (module docstring).

    Returns (L_cap, T(L_cap)) when even the full table misses the budget (the caller then refuses the K)."""
    lcap = c.shape[0] - 1
    tail = bernstein_tail(bern, lcap, float(k))
    if tail > budget:
        return lcap, tail
    run = tail
    ell = lcap
    while ell > 1 and run + abs(c[ell]) <= budget:
        run += abs(c[ell])
        ell -= 1
    return ell, run


@njit(cache=True)
def recurrence_dd(lmax: int) -> np.ndarray:
    """Rows (a_ℓ hi, a_ℓ lo, b_ℓ hi, b_ℓ lo) of P_{ℓ+1} = a_ℓ x P_ℓ − b_ℓ P_{ℓ−1}, a_ℓ = (2ℓ+1)/(ℓ+1), b_ℓ = ℓ/(ℓ+1)."""
    out = np.zeros((lmax + 1, 4))
    for ell in range(1, lmax + 1):
        out[ell, 0], out[ell, 1] = dd_div_d(2.0 * ell + 1.0, ell + 1.0)
        out[ell, 2], out[ell, 3] = dd_div_d(float(ell), ell + 1.0)
    return out


@njit(cache=True)
def dd_extent(c: np.ndarray, nterms: int) -> int:
    """The last ℓ ≤ nterms with |c_ℓ| ≥ 2⁻⁵⁰: beyond it every term is below 2⁻⁵⁰ and float64 suffices (its
    relative error ~ℓ·2⁻⁵³ contributes < 2⁻⁹⁰ per term)."""
    ell = nterms
    while ell > 1 and abs(c[ell]) < 2.0**-50:
        ell -= 1
    return ell


@njit(cache=True)
def series_dd(c: np.ndarray, cdd: np.ndarray, nterms: int, ndd: int, rec: np.ndarray, xh: float, xl: float) -> tuple:
    """(S_hi, S_lo, Φ_hi, Φ_lo, f) at the double-double x = xh + xl: S = F_K(x) and Φ = 1 − F_K(x) in
    double-double, and the density f = F_K'(x) in float64, for the series truncated at ℓ = nterms (≥ 1), with the
    double-double coefficients ``cdd`` (:func:`jump_coefficients_dd`; ``c`` = their float64 parts); terms
    ℓ > ndd (all |c_ℓ| < 2⁻⁵⁰, see :func:`dd_extent`) are summed in float64."""
    ph, pl = 1.0, 0.0  # P_{ℓ-1}
    qh, ql = xh, xl  # P_ℓ
    sh, sl = 0.0, 0.0  # Σ c_ℓ (P_{ℓ+1} − P_{ℓ−1})
    dens = 0.5 + 1.5 * c[1] * xh
    for ell in range(1, ndd + 1):
        th, tl = dd_mul(qh, ql, xh, xl)
        th, tl = dd_mul(th, tl, rec[ell, 0], rec[ell, 1])
        uh, ul = dd_mul(ph, pl, rec[ell, 2], rec[ell, 3])
        nh, nl = dd_add(th, tl, -uh, -ul)  # P_{ℓ+1}
        dh, dl = dd_add(nh, nl, -ph, -pl)
        dh, dl = dd_mul(dh, dl, cdd[ell, 0], cdd[ell, 1])
        sh, sl = dd_add(sh, sl, dh, dl)
        if ell + 1 <= nterms:
            dens += (ell + 1.5) * c[ell + 1] * nh
        ph, pl = qh, ql
        qh, ql = nh, nl
    small = 0.0
    p, q = ph, qh
    for ell in range(ndd + 1, nterms + 1):
        nxt = ((2 * ell + 1) * xh * q - ell * p) / (ell + 1)
        small += c[ell] * (nxt - p)
        if ell + 1 <= nterms:
            dens += (ell + 1.5) * c[ell + 1] * nxt
        p = q
        q = nxt
    sh, sl = dd_add(sh, sl, small, 0.0)
    yh, yl = dd_add(1.0, 0.0, -xh, -xl)
    phi_h, phi_l = dd_add(0.5 * yh, 0.5 * yl, -0.5 * sh, -0.5 * sl)
    s_h, s_l = dd_add(1.0, 0.0, -phi_h, -phi_l)
    return s_h, s_l, phi_h, phi_l, dens


@njit(cache=True)
def derivative_bounds(c: np.ndarray, lsplit: int, kmax: int) -> np.ndarray:
    """M[j] ≥ sup_Θ |S_{≤L}^{(j)}(Θ)| for j = 1..kmax, S_{≤L} the series truncated at ℓ = L = ``lsplit`` (module
    docstring); M[0] = 1."""
    out = np.empty(kmax + 1)
    out[0] = 1.0
    for j in range(1, kmax + 1):
        total = 0.5
        for ell in range(1, lsplit + 1):
            beta = min(1.0, math.sqrt(2.0 / (math.pi * (ell + 0.5))))
            total += (ell + 0.5) * abs(c[ell]) * (1.0 + COEF_ROUNDING) * math.pow(ell + 1.0, j - 1.0) * beta
        out[j] = total
    return out
