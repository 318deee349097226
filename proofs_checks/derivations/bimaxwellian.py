"""Initial rate of a bi-Maxwellian for any γ (docs/spec.md §4), reduced to one quadrature and evaluated to 30 digits.

f = N(0, Σ), Σ = diag(T⊥, T⊥, T∥) (parallel axis e_3), T∥ = ∫ v_3² f.

1. For a quadratic test function φ(v) = vᵀQv the symmetrised weak-form integrand of docs/spec.md §1, written in
   z = v - w and c = (v + w)/2, does not depend on c:  F_Q(z) = |z|^γ (|z|² tr Q - 3 zᵀQz)  (derived).
   Hence dM/dt = E[F(z)] with z = v - w ~ N(0, 2Σ); for Q = e_3⊗e_3:
       dT∥/dt = E[ |z|^γ (ρ² - 2 z_3²) ],   ρ² = z_1² + z_2².
2. Cylindrical coordinates (ρ, z_3) give the 2D integral (``rate_cylindrical``)
       dT∥/dt = ∫_0^∞ ∫_ℝ 2πρ (ρ² + z_3²)^(γ/2) (ρ² - 2z_3²) p(ρ, z_3) dz_3 dρ,
       p = (2π)^(-3/2) (2T⊥)^(-1) (2T∥)^(-1/2) exp(-ρ²/(4T⊥) - z_3²/(4T∥)).
3. In spherical coordinates (r, μ = cos θ) the radial integral is done by sympy,
   ∫_0^∞ r^(γ+4) e^(-q r²) dr = Γ((γ+5)/2) / (2 q^((γ+5)/2)),  q(μ) = (1-μ²)/(4T⊥) + μ²/(4T∥),
   leaving one smooth integral over μ ∈ [-1, 1] (``rate_integral``), evaluated by mpmath tanh-sinh
   quadrature at 40 working digits and reported to 30 (``dtpar_dt``). dT⊥/dt = -½ dT∥/dt (energy).
4. An independent closed form (``rate_hypergeometric``): the μ-integrand is C·(1 - 3μ²)(T∥ - (T∥ - T⊥)μ²)^(-p),
   p = (γ+5)/2, and integrating the binomial series termwise,
       ∫_0^1 μ^(2k) (1 - xμ²)^(-p) dμ = Σ_n (p)_n x^n / (n! (2k+2n+1)) = ₂F₁(p, k+½; k+3/2; x) / (2k+1),
   (since (k+½)_n/(k+3/2)_n = (2k+1)/(2k+2n+1)), so with x = 1 - T⊥/T∥ (analytic continuation for x < -1)
       dT∥/dt = 2 C T∥^(-p) [₂F₁(p, ½; 3/2; x) - ₂F₁(p, 3/2; 5/2; x)].

Exported keys (``mbc_verify.derived.bimaxwellian_rate_key``):
``bimaxwellian.dTpar_dt.gamma=<γ>.Tpar=<T∥>.Tperp=<T⊥>``, numbers in shortest decimal form (e.g. ``gamma=-3``,
``Tpar=2``, ``Tperp=0.5``), for γ ∈ GAMMAS and (T∥, T⊥) ∈ TEMPERATURES; and ``bimaxwellian.initial_rate``,
the μ-integral itself in the symbols gamma, Tpar, Tperp.
"""

from __future__ import annotations

from functools import cache

import mpmath
import sympy as sp

from .landau import GAMMA, norm2, symmetrised_integrand, vector

TPAR = sp.Symbol("Tpar", positive=True)
TPERP = sp.Symbol("Tperp", positive=True)
MU = sp.Symbol("mu", real=True)
R = sp.Symbol("r", positive=True)
GAMMAS = (1, 0, -1, -2, -3)
TEMPERATURES = (("2", "0.5"), ("0.5", "1.25"), ("1.5", "0.75"))
WORK_DPS = 40
REPORT_DIGITS = 30


def quadratic_integrand(q: sp.Matrix, gamma: sp.Expr = GAMMA) -> tuple[sp.Expr, sp.Matrix, sp.Matrix]:
    """(F(z, c), z, c): the symmetrised integrand for φ = vᵀQv with v = c + z/2, w = c - z/2."""
    z, c, v, w = vector("z"), vector("c"), vector("v"), vector("w")
    f = symmetrised_integrand(lambda x: (x.T * q * x)[0, 0], v, w, gamma)
    sub = {**{v[i]: c[i] + z[i] / 2 for i in range(3)}, **{w[i]: c[i] - z[i] / 2 for i in range(3)}}
    return f.subs(sub, simultaneous=True), z, c


@cache
def relative_integrand() -> sp.Expr:
    """F(z) = the symmetrised integrand for φ = v_3², shown to depend on z only, as |z|^γ × polynomial."""
    q = sp.zeros(3, 3)
    q[2, 2] = 1
    f, z, c = quadratic_integrand(q)
    f = sp.expand(sp.powsimp(sp.expand_power_base(sp.expand(f), force=True), force=True))
    if any(sp.simplify(sp.diff(f, x)) != 0 for x in c):
        raise ArithmeticError("the quadratic-moment integrand depends on the centre of mass")
    return sp.simplify(f)


@cache
def rate_integral() -> sp.Expr:
    """dT∥/dt as ∫_{-1}^{1} (…) dμ in the symbols gamma, Tpar, Tperp (radial integral done symbolically)."""
    f = relative_integrand()
    z = vector("z")
    theta, phi = sp.symbols("theta phi_", real=True)
    sph = {z[0]: R * sp.sin(theta) * sp.cos(phi), z[1]: R * sp.sin(theta) * sp.sin(phi), z[2]: R * sp.cos(theta)}
    s_perp, s_par = 2 * TPERP, 2 * TPAR  # covariance of z = v - w is 2Σ
    density = ((2 * sp.pi) ** sp.Rational(-3, 2) / (s_perp * sp.sqrt(s_par))
               * sp.exp(-(z[0] ** 2 + z[1] ** 2) / (2 * s_perp) - z[2] ** 2 / (2 * s_par)))
    integrand = sp.simplify((f * density).subs(sph) * R ** 2 * sp.sin(theta))  # volume element
    integrand = sp.integrate(integrand, (phi, 0, 2 * sp.pi))
    integrand = sp.powsimp(sp.expand_power_base(sp.simplify(integrand), force=True), force=True)
    q = sp.Symbol("q", positive=True)
    exponent = sp.expand(-(sp.sin(theta) ** 2 / (2 * s_perp) + sp.cos(theta) ** 2 / (2 * s_par)) * R ** 2)
    # isolate e^{-q r²}: replace the exponential by e^{-q r²} and integrate r symbolically
    integrand = integrand.replace(sp.exp, lambda arg: sp.exp(-q * R ** 2) if sp.expand(arg - exponent) == 0
                                  else sp.exp(arg))
    radial = sp.integrate(integrand, (R, 0, sp.oo), conds="none")
    qmu = (1 - MU ** 2) / (2 * s_perp) + MU ** 2 / (2 * s_par)
    # dθ sin θ = -dμ: ∫_0^π g(cos θ) sin θ dθ = ∫_{-1}^{1} g(μ) dμ
    in_mu = sp.simplify((radial / sp.sin(theta)).subs(q, qmu).subs(sp.cos(theta), MU)
                        .subs(sp.sin(theta), sp.sqrt(1 - MU ** 2)))
    if in_mu.has(theta) or in_mu.has(R):
        raise ArithmeticError(f"reduction to one μ-integral failed: {in_mu}")
    return sp.Integral(in_mu, (MU, -1, 1))


@cache
def _mu_integrand_function():
    # lambdify binds argument names in its namespace, so the symbol "gamma" would shadow Γ: rename first
    args = sp.symbols("arg0:4", real=True)
    body = rate_integral().function.subs(dict(zip((GAMMA, TPAR, TPERP, MU), args, strict=True)), simultaneous=True)
    return sp.lambdify(args, body, modules="mpmath")


@cache
def closed_form_prefactor() -> tuple[sp.Expr, sp.Expr]:
    """(C, p): the μ-integrand of ``rate_integral`` equals C (1 - 3μ²) (T∥ - (T∥ - T⊥)μ²)^(-p) (checked μ-free)."""
    p = (GAMMA + 5) / 2
    integrand = rate_integral().function
    c = sp.simplify(sp.powsimp(integrand / ((1 - 3 * MU ** 2) * (TPAR - (TPAR - TPERP) * MU ** 2) ** (-p)),
                               force=True))
    if c.has(MU):
        raise ArithmeticError(f"the μ-integrand is not of the closed-form shape: {c}")
    return c, p


def termwise_hypergeometric_ratio(lower_shift: int = 1) -> sp.Expr:
    """(k+½)_n / (k+½+s)_n · (2k+2n+1)/(2k+1) with s = ``lower_shift``: 1 for all k, n when s = 1 (step 4).

    s ≠ 1 is the planted defect of the negative control (a wrong lower parameter of ₂F₁).
    """
    k, n = sp.symbols("k n", nonnegative=True, integer=True)
    half = sp.Rational(1, 2)
    return sp.gammasimp(sp.rf(k + half, n) / sp.rf(k + half + lower_shift, n) * (2 * k + 2 * n + 1) / (2 * k + 1))


def closed_form_expr() -> sp.Expr:
    """dT∥/dt = 2 C T∥^(-p) [₂F₁(p, ½; 3/2; x) - ₂F₁(p, 3/2; 5/2; x)], x = 1 - T⊥/T∥, as a sympy expression."""
    c, p = closed_form_prefactor()
    x = 1 - TPERP / TPAR
    half = sp.Rational(1, 2)
    return 2 * c * TPAR ** (-p) * (sp.hyper([p, half], [3 * half], x) - sp.hyper([p, 3 * half], [5 * half], x))


def rate_hypergeometric(gamma: str | int | float, tpar: str | int | float, tperp: str | int | float,
                        dps: int = WORK_DPS, lower_shift: int = 1) -> mpmath.mpf:
    """dT∥/dt by the ₂F₁ closed form of step 4 (mpmath.hyp2f1), an independent route to ``dtpar_dt``.

    ``lower_shift`` ≠ 1 plants a wrong lower parameter (k + ½ + shift) for the negative control.
    """
    c, p = closed_form_prefactor()
    args = sp.symbols("arg0:3", real=True)  # avoid the symbol named gamma shadowing Γ in lambdify
    c_fn = sp.lambdify(args, c.subs(dict(zip((GAMMA, TPAR, TPERP), args, strict=True)), simultaneous=True),
                       modules="mpmath")
    with mpmath.workdps(dps):
        g, tp, tq = _mpf(gamma), _mpf(tpar), _mpf(tperp)
        pp = (g + 5) / 2
        x = 1 - tq / tp
        half = mpmath.mpf(1) / 2
        bracket = (mpmath.hyp2f1(pp, half, half + lower_shift, x)
                   - mpmath.hyp2f1(pp, 3 * half, 3 * half + lower_shift, x))
        return 2 * c_fn(g, tp, tq) * tp ** (-pp) * bracket


def _mpf(x: str | int | float) -> mpmath.mpf:
    r = sp.Rational(str(x))
    return mpmath.mpf(r.p) / r.q


def dtpar_dt(gamma: str | int | float, tpar: str | int | float, tperp: str | int | float,
             dps: int = WORK_DPS) -> mpmath.mpf:
    """dT∥/dt at t = 0 for f = N(0, diag(T⊥, T⊥, T∥)) and exponent γ, by the μ-quadrature (``dps`` digits).

    Arguments are converted exactly (decimal strings are exact rationals). The integrand is even in μ and
    smooth on [0, 1] for γ > -5, so tanh-sinh quadrature converges to working precision.
    """
    fn = _mu_integrand_function()
    with mpmath.workdps(dps):
        g, tp, tq = _mpf(gamma), _mpf(tpar), _mpf(tperp)
        return 2 * mpmath.quad(lambda m: fn(g, tp, tq, m), [0, 1])


def rate_cylindrical(gamma: str | int | float, tpar: str | int | float, tperp: str | int | float,
                     dps: int = 15) -> mpmath.mpf:
    """The same rate from the 2D cylindrical integral of step 2 (an independent route, lower precision)."""
    with mpmath.workdps(dps):
        g, tp, tq = _mpf(gamma), _mpf(tpar), _mpf(tperp)
        norm = (2 * mpmath.pi) ** mpmath.mpf(-1.5) / (2 * tq * mpmath.sqrt(2 * tp))

        def integrand(rho, z3):
            r2 = rho ** 2 + z3 ** 2
            return (2 * mpmath.pi * rho * r2 ** (g / 2) * (rho ** 2 - 2 * z3 ** 2) * norm
                    * mpmath.exp(-rho ** 2 / (4 * tq) - z3 ** 2 / (4 * tp)))

        return 2 * mpmath.quad(integrand, [0, 1, mpmath.inf], [0, 1, mpmath.inf])


def gaussian_check_integrand(gamma: sp.Expr = GAMMA) -> tuple[sp.Expr, sp.Matrix]:
    """(|z|^γ·(|z|² tr Q - 3 zᵀQz), Q) for a general symmetric Q of symbols: the closed form F_Q."""
    z = vector("z")
    q = sp.Matrix(3, 3, lambda i, j: sp.Symbol(f"Q{min(i, j) + 1}{max(i, j) + 1}", real=True))
    return norm2(z) ** (gamma / 2) * (norm2(z) * q.trace() - 3 * (z.T * q * z)[0, 0]), q


def report(x: mpmath.mpf) -> str:
    """30 significant digits, trailing zeros kept."""
    return mpmath.nstr(x, REPORT_DIGITS, strip_zeros=False, min_fixed=-mpmath.inf, max_fixed=mpmath.inf)
