"""The Fisher information of the two-particle law and its dissipation (C9, N = 2; library: mbc_verify.mbc.pair_law).

Derived here, never typed in:

1. ``pair_metric``: for F(v₁, v₂) = G(c, u), c = (v₁+v₂)/2, u = v₁ − v₂, |∇_v F|² = ∇Gᵀ (J Jᵀ) ∇G with J the
   Jacobian of (c, u) in (v₁, v₂); J Jᵀ = diag(½ I, 2 I), so I(F) = ∫ (½|∇_c G|² + 2|∇_u G|²)/G.
2. ``spherical_metric``: |∇k|² = k_r² + k_θ²/r² + k_φ²/(r² sin²θ) (inverse metric of u = r(sin θ cos φ, …)).
3. ``fisher_rate_density``: ∂_t of the Fisher integrand (r² k_r² + k_θ² + k_φ²/sin²θ)/k by differentiation, in the
   time derivatives of its arguments; split into the parts with k_r (radial) and without (angular).
4. ``commutator``: for a(r, t) = A(r) e^{−α(r) κ t} (one spectral coefficient), ∂_t ∂_r a − (−ακ) ∂_r a = −α'κ a:
   the radial derivative does not commute with the generator unless α' = 0.
5. ``second_order_fisher``: the ε² coefficient of |∇k|²/k for k = ρ(1 + εψ) is ρ|∇ψ|² (pointwise).
6. ``linearised_rate``: for ψ = β Y_ℓ, β = b e^{−μt}, the rate of Q = ∫ r² ρ (β_r² + L β²/r²) is
   −2 r² ρ [μ β_r² + μ' β β_r + L μ β²/r²] pointwise; the quadratic form in (β_r, β/r) is ≥ 0 iff
   (r μ'/μ)² ≤ 4L (``pointwise_threshold``), and its worst ratio −(cross term)/(diagonal part) is
   |r μ'/μ| / (2√L) (``pointwise_ratio``). For α = r^γ: |γ|/(2√(ℓ(ℓ+1))), > 1 at ℓ = 1 iff |γ| > 2√2.
7. ``hardy_identity``: with μ = L r^γ and β = r^p φ, p = −(γ+1)/2, the radial integrand of item 6 equals
   L [((2ℓ+1)² − γ²)/4 · ρφ²/r + ρ r φ'² − ½ (−ρ') φ²] plus an exact derivative: at γ = −3, ℓ = 1 the first
   coefficient vanishes and a slowly ramping φ makes the integral negative (dI/dt > 0): the mechanism of the
   non-exchangeable counterexample of C9.
8. ``dipole_density`` / ``dipole_reference``: for the axisymmetric dipole law k = ρ(r)(1 + β(r) cos θ), the Fisher
   integrand is derived from the Cartesian gradient and is a polynomial in x = cos θ over ρ(1 + βx); the sphere
   integrals ∫ x^j (1+βx)^{−p} dx are summed as their binomial series and the radial integral is done by mpmath
   quadrature: an independent reference for I(k_t) and dI/dt to 25 digits.
9. ``convexity_identity``: 2a𝓛a/b − a²𝓛b/b² = 𝓛(a²/b) − 2b|∇(a/b)|² for 𝓛 = ∂_x(1−x²)∂_x (the sphere's Laplacian on
   axisymmetric functions): the radial Jensen term J_r is ≤ 0. Its jump version: Σ q_xy[2a_x(a_y−a_x)/b_x −
   a_x²(b_y−b_x)/b_x²] = −Σ q_xy b_y(a_x/b_x − a_y/b_y)² for symmetric q (MBC).

Negative controls (in proofs_checks/test_pair_fisher.py): c = v₁ + v₂ gives other coefficients; a rate formula
without the 1/k² term, and the commutator with constant α, fail; ρ|∇ψ|² with a factor 2 fails; the threshold
at ℓ = 2 is not violated at γ = −3.
"""

from __future__ import annotations

from functools import cache

import mpmath
import sympy as sp

from .landau import vector

R, THETA, PHI, T, EPS = sp.symbols("r theta phi t epsilon", positive=True)
X = sp.Symbol("x", real=True)
ELL = sp.Symbol("ell", positive=True, integer=True)
GAMMA = sp.Symbol("gamma", real=True)
KAPPA = sp.Symbol("kappa", positive=True)
HALF = sp.Rational(1, 2)
FIELDS = sp.symbols("k k_r k_th k_phs", real=True)
RATES = sp.symbols("kdot kdot_r kdot_th kdot_phs", real=True)


def pair_metric(centre_factor: sp.Expr = HALF) -> sp.Matrix:
    """J Jᵀ for (c, u) = (centre_factor (v₁ + v₂), v₁ − v₂): the metric taking ∇G to |∇_v F|² (item 1)."""
    v1, v2 = vector("p"), vector("q")
    new = [centre_factor * (v1[k] + v2[k]) for k in range(3)] + [v1[k] - v2[k] for k in range(3)]
    jac = sp.Matrix([[sp.diff(f, x) for x in (*v1, *v2)] for f in new])
    return sp.simplify(jac * jac.T)


def pair_coefficients(centre_factor: sp.Expr = HALF) -> tuple[sp.Expr, sp.Expr] | None:
    """(A, B) with |∇_v F|² = A|∇_c G|² + B|∇_u G|², or None if the metric is not of that form."""
    m = pair_metric(centre_factor)
    a, b = m[0, 0], m[3, 3]
    if m != sp.diag(*([a] * 3 + [b] * 3)):
        return None
    return a, b


@cache
def spherical_metric() -> sp.Matrix:
    """The inverse metric of the spherical coordinates (r, θ, φ) of u (item 2)."""
    u = sp.Matrix([R * sp.sin(THETA) * sp.cos(PHI), R * sp.sin(THETA) * sp.sin(PHI), R * sp.cos(THETA)])
    jac = u.jacobian([R, THETA, PHI])
    return sp.simplify((jac.T * jac).inv())


def fisher_density_spherical() -> sp.Expr:
    """r² |∇k|²/k per dr dω (dω = sin θ dθ dφ) with k_phs = ∂_φ k / sin θ, from ``spherical_metric``."""
    k, k_r, k_th, k_phs = FIELDS
    grad = sp.Matrix([k_r, k_th, k_phs * sp.sin(THETA)])
    return sp.simplify(R ** 2 * (grad.T * spherical_metric() * grad)[0, 0] / k)


@cache
def fisher_rate_density() -> tuple[sp.Expr, sp.Expr]:
    """(radial, angular) parts of ∂_t of ``fisher_density_spherical`` in the time derivatives RATES (item 3)."""
    funcs = [sp.Function(f"F{i}")(T) for i in range(4)]
    density = fisher_density_spherical().subs(dict(zip(FIELDS, funcs, strict=True)))
    rate = sp.diff(density, T)
    rate = rate.subs({sp.Derivative(f, T): d for f, d in zip(funcs, RATES, strict=True)})
    rate = sp.expand(rate.subs(dict(zip(funcs, FIELDS, strict=True))))
    radial = sum(term for term in sp.Add.make_args(rate) if term.has(FIELDS[1]))
    return sp.simplify(radial), sp.simplify(rate - radial)


def commutator(alpha: sp.Expr | None = None) -> sp.Expr:
    """∂_t ∂_r a − (−α κ) ∂_r a for a = A(r) e^{−α(r) κ t} (item 4); ``alpha`` defaults to a generic α(r)."""
    alpha = sp.Function("alpha")(R) if alpha is None else alpha
    a = sp.Function("A")(R) * sp.exp(-alpha * KAPPA * T)
    return sp.simplify(sp.diff(a, R, T) + alpha * KAPPA * sp.diff(a, R))


def second_order_fisher(factor: sp.Expr = 1) -> sp.Expr:
    """The ε² coefficient of |∇k|²/k − factor·ρ|∇ψ|² for k = ρ(1 + εψ), ρ, ψ generic on R³ (item 5): 0."""
    u = vector("u")
    rho, psi = sp.Function("rho")(*u), sp.Function("psi")(*u)
    k = rho * (1 + EPS * psi)
    density = sum(sp.diff(k, x) ** 2 for x in u) / k
    coeff = sp.diff(density, EPS, 2).subs(EPS, 0) / 2
    return sp.simplify(coeff - factor * rho * sum(sp.diff(psi, x) ** 2 for x in u))


def linearised_rate() -> sp.Expr:
    """∂_t of r² ρ (β_r² + L β²/r²) for β = b(r) e^{−μ(r) t} divided by −2 r² ρ e^{−2μt}, in β, β_r (item 6)."""
    b, mu, rho = (sp.Function(n)(R) for n in ("b", "mu", "rho"))
    lap = sp.Symbol("L", positive=True)
    beta = b * sp.exp(-mu * T)
    density = R ** 2 * rho * (sp.diff(beta, R) ** 2 + lap * beta ** 2 / R ** 2)
    rate = sp.diff(density, T) / (-2 * R ** 2 * rho)
    bb, bb_r = sp.symbols("beta beta_r", real=True)
    out = sp.expand(sp.simplify(rate.subs(T, 0)))
    return sp.expand(out.subs({sp.Derivative(b, R): bb_r, b: bb}))


def pointwise_form() -> tuple[sp.Matrix, sp.Symbol, sp.Symbol]:
    """The symmetric matrix of ``linearised_rate`` as a quadratic form in (β_r, β/r), and the symbols μ, μ'."""
    bb, bb_r = sp.symbols("beta beta_r", real=True)
    y = sp.Symbol("y", real=True)  # y = β / r
    e = sp.expand(linearised_rate().subs(bb, y * R))
    mu, dmu = sp.Function("mu")(R), sp.Derivative(sp.Function("mu")(R), R)
    m_sym, dm_sym = sp.symbols("mu mu_r", real=True)
    e = e.subs(dmu, dm_sym).subs(mu, m_sym)
    quad = sp.Matrix([[e.coeff(bb_r, 2), e.coeff(bb_r, 1).coeff(y, 1) / 2],
                      [e.coeff(bb_r, 1).coeff(y, 1) / 2, e.coeff(y, 2)]])
    return sp.simplify(quad), m_sym, dm_sym


def pointwise_threshold() -> sp.Expr:
    """The determinant condition of ``pointwise_form`` (≥ 0 iff the form is PSD, since μ > 0), with s = r μ'/μ."""
    quad, mu, dmu = pointwise_form()
    s = sp.Symbol("s", real=True)
    return sp.factor(sp.simplify(quad.det().subs(dmu, s * mu / R) / mu ** 2))


def pointwise_ratio() -> sp.Expr:
    """max over (β_r, y) of −(cross term)/(diagonal part) of ``pointwise_form``: the largest eigenvalue of the
    pencil (−offdiag, diag), with s = r μ'/μ."""
    quad, mu, dmu = pointwise_form()
    s = sp.Symbol("s", real=True)
    lam = sp.Symbol("lambda", real=True)
    off = sp.Matrix([[0, -quad[0, 1]], [-quad[1, 0], 0]])
    diag = sp.diag(quad[0, 0], quad[1, 1])
    roots = sp.solve(sp.Eq((off - lam * diag).det(), 0), lam)
    best = max(roots, key=lambda e: e.subs({mu: 1, dmu: 1 / R}).subs(R, 1))
    return sp.simplify(sp.Abs(best.subs(dmu, s * mu / R)))


def hardy_identity() -> tuple[sp.Expr, sp.Expr]:
    """(remainder, ψ-coefficient) of item 7: the integrand r²ρ[μβ_r² + μ'ββ_r + Lμβ²/r²] minus L[c₁ρφ²/r + ρrφ'²
    − ½(−ρ')φ²] equals d/dr(κ ρ φ²); κ is solved for and the remainder after subtracting the derivative is
    returned with c₁ = ((2ℓ+1)² − γ²)/4."""
    phi, rho = sp.Function("phi")(R), sp.Function("rho")(R)
    lap = ELL * (ELL + 1)
    p = -(GAMMA + 1) / 2
    mu = lap * R ** GAMMA
    beta = R ** p * phi
    lhs = R ** 2 * rho * (mu * sp.diff(beta, R) ** 2 + sp.diff(mu, R) * beta * sp.diff(beta, R)
                          + lap * mu * beta ** 2 / R ** 2)
    c1 = ((2 * ELL + 1) ** 2 - GAMMA ** 2) / 4
    rhs = lap * (c1 * rho * phi ** 2 / R + rho * R * sp.diff(phi, R) ** 2 + sp.diff(rho, R) * phi ** 2 / 2)
    kappa = sp.Symbol("kappa_b")
    diff = sp.expand(sp.powsimp(sp.expand(lhs - rhs - sp.diff(kappa * rho * phi ** 2, R)), force=True))
    sol = sp.solve(diff.coeff(sp.Derivative(phi, R)), kappa)
    remainder = sp.simplify(diff.subs(kappa, sol[0])) if sol else diff
    return remainder, sol[0] if sol else None


def dipole_density() -> tuple[sp.Expr, sp.Expr]:
    """(numerator polynomial in x, denominator) of r² |∇k|²/k for k = ρ(|u|)(1 + β(|u|) u₃/|u|), derived from the
    Cartesian gradient (chain rule ∂_{u_i} = ∂_{u_i}|_s + (u_i/s) ∂_s through s = |u|) and written in x = cos θ on
    the meridian u = r(√(1−x²), 0, x) (item 8; the law is axisymmetric). Symbols: rho, drho, beta, dbeta, r, x."""
    u = vector("u")
    s = sp.Symbol("s", positive=True)
    rho_f, beta_f = sp.Function("rho")(s), sp.Function("beta")(s)
    k = rho_f * (1 + beta_f * u[2] / s)
    grad2 = sum((sp.diff(k, c) + sp.diff(k, s) * c / s) ** 2 for c in u)
    rho, drho, beta, dbeta = sp.symbols("rho drho beta dbeta", real=True)
    e = grad2.subs({sp.Derivative(rho_f, s): drho, sp.Derivative(beta_f, s): dbeta}).subs({rho_f: rho, beta_f: beta})
    e = e.subs({u[0]: R * sp.sqrt(1 - X ** 2), u[1]: 0, u[2]: R * X}).subs(s, R)
    numerator = sp.expand(sp.simplify(R ** 2 * e))
    return numerator, rho * (1 + beta * X)


def dipole_rate_density() -> tuple[sp.Expr, sp.Expr, sp.Expr]:
    """∂_t of r²|∇k|²/k for the dipole law with β_t = −μβ and β_rt = −μβ_r − μ'β (ρ fixed), as
    P₁/(ρ(1+βx)) + P₂/(ρ(1+βx)²): returns (P₁, P₂, the symbol pair (mu, dmu)) in x, rho, drho, beta, dbeta."""
    numerator, _ = dipole_density()
    rho, beta, dbeta = sp.symbols("rho beta dbeta", real=True)
    mu, dmu = sp.symbols("mu dmu", real=True)
    beta_t, dbeta_t = -mu * beta, -mu * dbeta - dmu * beta
    p1 = sp.expand(sp.diff(numerator, beta) * beta_t + sp.diff(numerator, dbeta) * dbeta_t)
    p2 = sp.expand(-numerator * X * beta_t)
    return p1, p2, (mu, dmu)


def sphere_moment(j: int, p: int, beta: mpmath.mpf) -> mpmath.mpf:
    """∫₋₁¹ x^j (1 + βx)^{−p} dx = Σ_n C(n+p−1, n) (−β)^n · 2/(j+n+1) over j + n even (|β| < 1), summed until the
    terms fall below 10^{−(dps+5)} (the series converges like |β|^n)."""
    if abs(beta) >= 1:
        raise ValueError(f"beta: must lie in (-1, 1), got {beta}")
    total, n = mpmath.mpf(0), 0
    tol = mpmath.mpf(10) ** (-(mpmath.mp.dps + 5))
    while True:
        if (j + n) % 2 == 0:
            term = mpmath.binomial(n + p - 1, n) * (-beta) ** n * 2 / (j + n + 1)
            total += term
            if abs(term) < tol * max(abs(total), 1) and n > 2:
                return total
        n += 1


def _coefficient_functions(poly: sp.Expr, symbols: list[sp.Symbol]) -> list:
    """The coefficients of ``poly`` in x, ascending, as mpmath functions of ``symbols``."""
    return [sp.lambdify(symbols, c, "mpmath") for c in sp.Poly(poly, X).all_coeffs()[::-1]]


def _sphere_integral(coeffs: list, p: int, args: list, beta: mpmath.mpf) -> mpmath.mpf:
    """2π ∫ Σ_j c_j x^j (1 + βx)^{−p} dx with the coefficient functions evaluated at ``args``."""
    return 2 * mpmath.pi * sum(c(*args) * sphere_moment(j, p, beta) for j, c in enumerate(coeffs))


def dipole_reference(rho, drho, b, db, alpha, dalpha, kappa, t, dps: int = 30) -> tuple[mpmath.mpf, mpmath.mpf]:
    """(I(k_t), dI/dt) for k_t = ρ(1 + β(r, t) cos θ), β = b(r) e^{−κ α(r) t}, by mpmath quadrature in r of the
    sphere integrals of ``dipole_density`` / ``dipole_rate_density`` (item 8). Arguments: mpmath callables of r
    (ρ, ρ', b, b', α, α') and numbers (κ, t). Breakpoints 0, 10⁻⁸, 10⁻⁷, …, 10, 40 (the integrands decay like
    e^{−r²/2} by then)."""
    num, _ = dipole_density()
    p1, p2, (mu_s, dmu_s) = dipole_rate_density()
    symbols = [R, *sp.symbols("rho drho beta dbeta", real=True), mu_s, dmu_s]
    c_num, c_p1, c_p2 = (_coefficient_functions(e, symbols) for e in (num, p1, p2))
    with mpmath.workdps(dps):
        t = mpmath.mpf(t)

        def args(r):
            mu, dmu = kappa * alpha(r), kappa * dalpha(r)
            e = mpmath.exp(-mu * t)
            beta, dbeta = b(r) * e, (db(r) - t * dmu * b(r)) * e
            return [r, rho(r), drho(r), beta, dbeta, mu, dmu], beta

        def fisher(r):
            a, beta = args(r)
            return _sphere_integral(c_num, 1, a, beta) / a[1]

        def rate(r):
            a, beta = args(r)
            return (_sphere_integral(c_p1, 1, a, beta) + _sphere_integral(c_p2, 2, a, beta)) / a[1]

        points = [mpmath.mpf(0)] + [mpmath.mpf(10) ** e for e in range(-8, 2)] + [mpmath.mpf(40)]
        return mpmath.quad(fisher, points), mpmath.quad(rate, points)


def convexity_identity() -> sp.Expr:
    """2a𝓛a/b − a²𝓛b/b² − 𝓛(a²/b) + 2b(1−x²)(∂_x(a/b))² for 𝓛 = ∂_x(1−x²)∂_x (item 9): 0."""
    a, b = sp.Function("a")(X), sp.Function("b")(X)

    def lap(f):
        return sp.diff((1 - X ** 2) * sp.diff(f, X), X)

    e = 2 * a * lap(a) / b - a ** 2 * lap(b) / b ** 2 - lap(a ** 2 / b) + 2 * b * (1 - X ** 2) * sp.diff(a / b, X) ** 2
    return sp.simplify(e)


def jump_convexity_identity(n: int = 3) -> sp.Expr:
    """Σ_{x,y} q_xy [2a_x(a_y − a_x)/b_x − a_x²(b_y − b_x)/b_x²] + Σ q_xy b_y (a_x/b_x − a_y/b_y)² for a symmetric
    q on n states (item 9, the MBC version): 0."""
    a = sp.symbols(f"a0:{n}", real=True)
    b = sp.symbols(f"b0:{n}", positive=True)
    q = {(i, j): sp.Symbol(f"q{min(i, j)}{max(i, j)}", positive=True) for i in range(n) for j in range(n) if i != j}
    lhs = sum(qv * (2 * a[i] * (a[j] - a[i]) / b[i] - a[i] ** 2 * (b[j] - b[i]) / b[i] ** 2)
              for (i, j), qv in q.items())
    rhs = -sum(qv * b[j] * (a[i] / b[i] - a[j] / b[j]) ** 2 for (i, j), qv in q.items())
    return sp.simplify(lhs - rhs)
