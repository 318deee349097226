"""The MBC process of docs/spec.md §3: its jump kernel, its Funk–Hecke expansion and its exact γ = 0 moment generators.

Jump of a pair (rate (2/N) λ_h(|u|), λ_h(r) = 4 r^γ / h², unordered pairs):

    u' = cos h · u + sin h · |u| n,  n uniform on the unit circle ⊥ u,   v_i' = c + u'/2,  v_j' = c - u'/2.

* Moments of n: in the frame u ∥ e_3 the circle is n = (cos θ, sin θ, 0), θ uniform, and integrating over θ
  gives E[n⊗n] = ½ Π(u), E[n^{⊗4}] = ⅛ (Π⊗Π + two permutations), odd moments 0; the covariant form holds for
  every u because a rotation R maps the uniform law on the circle ⊥ u to the one on the circle ⊥ Ru.
* Funk–Hecke: the one-jump average has eigenvalue P_ℓ(cos h) on degree-ℓ harmonics, and
  λ_h (P_ℓ(cos h) - 1) = -|u|^γ ℓ(ℓ+1) (1 + c_ℓ h² + O(h⁴)); y(h) = P_ℓ(cos h) solves the Legendre equation
  y'' + cot(h) y' + ℓ(ℓ+1) y = 0, y(0) = 1, whose even power series is solved for symbolic ℓ.
* Generator on a linear statistic Φ = (1/N) Σ_k φ(v_k):
      L_h Φ = (1/N) Σ_{i<j} (2/N) λ_h E_n[g(v_i, v_j)],  g = φ(v_i') + φ(v_j') - φ(v_i) - φ(v_j)
            = λ_h ( E_{μ⊗μ}[ḡ] - (1/N) E_μ[ḡ(v, v)] ),   ḡ = E_n[g],  μ = (1/N) Σ δ_{v_k}
  (for symmetric ḡ, Σ_{i<j} = ½ Σ_{i,j} - ½ Σ_{i=j}; Σ_{i,j} p(v_i) q(v_j) = N² E_μ[p] E_μ[q]), exactly, for
  every N. At γ = 0 λ_h is constant and ḡ a polynomial, so E_{μ⊗μ} is a moment substitution in the
  empirical moments (zero total momentum: empirical first moments 0). The diagonal term vanishes because
  ḡ(v, v) = 0 (u = 0 does not move), so the result does not depend on N.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from itertools import product

import sympy as sp

from .landau import DIM, contract, gradient, hessian, kernel_a, kernel_b, norm2, symmetrised_integrand, vector
from .maxwell import ALPHA, BETA, C_E2, C_M2, C_M4, M2, M4, E
from .moments import (
    SECOND_MOMENT,
    expectation,
    expectation_product,
    generic_moment,
    solve_ansatz,
    trace_m,
    trace_m_squared,
)

H = sp.Symbol("h", positive=True)
N = sp.Symbol("N", positive=True, integer=True)
ELL = sp.Symbol("ell", nonnegative=True, integer=True)
THETA = sp.Symbol("theta", real=True)
TRIG = sp.symbols("cos_h sin_h", real=True)
COS_H, SIN_H, ZERO, TWO = sp.cos(H), sp.sin(H), sp.Integer(0), sp.Integer(2)


def rate(gamma: sp.Expr, r: sp.Expr, h: sp.Expr = H) -> sp.Expr:
    """λ_h(r) = 4 r^γ / h² (d = 3)."""
    return 4 * r ** gamma / h ** 2


def circle_moment_in_frame(alpha: tuple[int, ...]) -> sp.Expr:
    """E[n^α] for n = (cos θ, sin θ, 0), θ uniform on [0, 2π): the circle ⊥ e_3, by integration."""
    n = (sp.cos(THETA), sp.sin(THETA), sp.Integer(0))
    integrand = sp.Mul(*[c ** a for c, a in zip(n, alpha, strict=True)])
    return sp.integrate(integrand, (THETA, 0, 2 * sp.pi)) / (2 * sp.pi)


def projector(u: sp.Matrix, r: sp.Expr | None = None) -> sp.Matrix:
    """Π(u) = I - u⊗u/|u|² (``r`` stands for |u| when given)."""
    r2 = norm2(u) if r is None else r ** 2
    return sp.eye(DIM) - u * u.T / r2


def circle_moment_covariant(alpha: tuple[int, ...], u: sp.Matrix, r: sp.Expr | None = None) -> sp.Expr:
    """E[n^α] for n uniform on the unit circle ⊥ u: ½Π, ⅛ sym(Π⊗Π), 0 for odd orders (orders ≤ 4)."""
    idx = [i for i, a in enumerate(alpha) for _ in range(a)]
    p = projector(u, r)
    if len(idx) % 2:
        return sp.Integer(0)
    if len(idx) == 0:
        return sp.Integer(1)
    if len(idx) == 2:
        return p[idx[0], idx[1]] / 2
    if len(idx) == 4:
        i, j, k, l = idx
        return (p[i, j] * p[k, l] + p[i, k] * p[j, l] + p[i, l] * p[j, k]) / 8
    raise NotImplementedError("circle moments are derived up to order 4")


def jumped_pair(v: sp.Matrix, w: sp.Matrix, n: sp.Matrix, cos_h: sp.Expr = COS_H, sin_h: sp.Expr = SIN_H,
                r: sp.Expr | None = None) -> tuple[sp.Matrix, sp.Matrix]:
    """(v_i', v_j') after one MBC jump with direction n; ``r`` stands for |u| (default sqrt(|u|²))."""
    u, c = v - w, (v + w) / 2
    r = sp.sqrt(norm2(u)) if r is None else r
    up = cos_h * u + sin_h * r * n
    return c + up / 2, c - up / 2


def sphere_moment(alpha: tuple[int, ...], u: sp.Matrix, r: sp.Expr | None = None) -> sp.Expr:
    """E[n^α] for n uniform on the whole unit sphere (a planted defect: the direction is not ⊥ u)."""
    idx = [i for i, a in enumerate(alpha) for _ in range(a)]
    delta = sp.eye(DIM)
    if len(idx) % 2:
        return sp.Integer(0)
    if len(idx) == 0:
        return sp.Integer(1)
    if len(idx) == 2:
        return delta[idx[0], idx[1]] / 3
    if len(idx) == 4:
        i, j, k, l = idx
        return (delta[i, j] * delta[k, l] + delta[i, k] * delta[j, l] + delta[i, l] * delta[j, k]) / 15
    raise NotImplementedError("sphere moments are given up to order 4")


def _average_over_n(g: sp.Expr, n: sp.Matrix, r: sp.Symbol, u: sp.Matrix, gens: tuple,
                    n_moment: Callable[..., sp.Expr]) -> sp.Expr:
    """E_n[g] for g polynomial in n and r = |u|, returned as a polynomial in ``gens``.

    Each n-monomial is replaced by its moment times r⁴ (which clears the 1/|u|² of Π); after the n-average
    only even powers r^(2k) remain (checked); substituting r² = |u|² and dividing exactly by |u|⁴ (zero
    remainder checked) gives the polynomial. Done in sympy's sparse polynomial ring over QQ.
    """
    ring, *_ = sp.ring((*n, *gens, r), sp.QQ)
    k = len(n)
    zero_n = (0,) * k
    total = ring.zero
    by_n_monomial: dict[tuple[int, ...], object] = {}
    for monom, coeff in ring.from_expr(sp.expand(g)).terms():
        term = ring({zero_n + monom[k:]: coeff})
        by_n_monomial[monom[:k]] = by_n_monomial.get(monom[:k], ring.zero) + term
    for n_monom, rest in by_n_monomial.items():
        total += rest * ring.from_expr(sp.expand(sp.cancel(n_moment(n_monom, u, r) * r ** 4)))
    r2 = ring.from_expr(norm2(u))
    numer = ring.zero
    for monom, coeff in total.terms():
        if monom[-1] % 2:
            raise ArithmeticError("odd power of |u| after the n-average")
        numer += ring({monom[:-1] + (0,): coeff}) * r2 ** (monom[-1] // 2)
    (quotient,), remainder = numer.div([r2 ** 2])
    if remainder != 0:
        raise ArithmeticError("the n-average is not a polynomial")
    return quotient.as_expr()


def averaged_increment(phi: Callable[[sp.Matrix], sp.Expr], v: sp.Matrix, w: sp.Matrix, h: sp.Expr = H,
                       n_moment: Callable[..., sp.Expr] = circle_moment_covariant,
                       trig_symbols: bool = False) -> sp.Expr:
    """ḡ(v, w) = E_n[φ(v') + φ(w') - φ(v) - φ(w)] for one jump of the pair (v, w), φ a polynomial.

    |u| is carried as a symbol R and cos h, sin h as the plain symbols ``TRIG`` during the algebra (fast
    polynomial arithmetic over QQ); the trigonometric functions are substituted at the end unless
    ``trig_symbols``.
    """
    n, r = vector("n"), sp.Symbol("R", positive=True)
    cs, sn = TRIG
    vp, wp = jumped_pair(v, w, n, cs, sn, r)
    g = sp.expand(phi(vp) + phi(wp) - phi(v) - phi(w))
    gbar = _average_over_n(g, n, r, v - w, (*v, *w, cs, sn), n_moment)
    return gbar if trig_symbols else gbar.subs({cs: sp.cos(h), sn: sp.sin(h)})


def one_jump_average(psi: Callable[[sp.Matrix], sp.Expr], u: sp.Matrix, h: sp.Expr = H,
                     n_moment: Callable[..., sp.Expr] = circle_moment_covariant) -> sp.Expr:
    """(K_h ψ)(u) = E_n[ψ(cos h · u + sin h · |u| n)] for a polynomial ψ (the one-jump averaging operator)."""
    n, r = vector("n"), sp.Symbol("R", positive=True)
    cs, sn = TRIG
    g = sp.expand(psi(cs * u + sn * r * n))
    return _average_over_n(g, n, r, u, (*u, cs, sn), n_moment).subs({cs: sp.cos(h), sn: sp.sin(h)})


def in_sin_squared(e: sp.Expr, h: sp.Expr = H) -> sp.Expr:
    """Normal form of a trigonometric coefficient: cos² h → 1 - sin² h after expanding multiple angles."""
    e = sp.expand(sp.expand_trig(e))
    return sp.factor(sp.expand(e.subs(sp.cos(h) ** 2, 1 - sp.sin(h) ** 2)))


def generator_linear_statistic(phi: Callable[[sp.Matrix], sp.Expr], h: sp.Expr = H, n_particles: sp.Expr = N,
                               rate_factor: sp.Expr = TWO, n_moment=circle_moment_covariant
                               ) -> sp.Expr:
    """L_h (1/N)Σφ(v_k) at γ = 0 in the empirical moments (zero momentum), see the module docstring.

    ``rate_factor`` is the 2 of the unordered-pair rate (2/N) λ_h (a negative control changes it).
    """
    v, w = vector("v"), vector("w")
    gbar = averaged_increment(phi, v, w, h, n_moment, trig_symbols=True)
    diagonal = sp.expand(gbar.subs(dict(zip(w, v, strict=True)), simultaneous=True))
    lam = rate(sp.Integer(0), sp.Integer(1), h)
    # (1/N) Σ_{i<j} (rate_factor/N) λ gbar = (rate_factor/2) λ (E_{μ⊗μ} gbar - E_μ gbar(v,v)/N)
    mean = (expectation_product(gbar, v, w, generic_moment)
            - expectation(diagonal, v, generic_moment) / n_particles)
    return sp.expand(rate_factor / 2 * lam * mean.subs({TRIG[0]: sp.cos(h), TRIG[1]: sp.sin(h)}))


@cache
def second_moment_rates_finite_h(rate_factor: sp.Expr = TWO,
                                 n_moment=circle_moment_covariant) -> tuple[sp.Expr, sp.Expr] | None:
    """(α_h, β_h): L_h (1/N)Σ v⊗v = α_h tr(M) I + β_h M exactly (γ = 0, zero momentum, any N ≥ 2)."""
    rhs = sp.Matrix(DIM, DIM, lambda k, l: generator_linear_statistic(
        lambda x: x[k] * x[l], rate_factor=rate_factor, n_moment=n_moment))
    residuals = list(rhs - (ALPHA * trace_m() * sp.eye(DIM) + BETA * SECOND_MOMENT))
    sol = solve_ansatz(residuals, [ALPHA, BETA], list(SECOND_MOMENT.free_symbols))
    return None if sol is None else (in_sin_squared(sol[ALPHA]), in_sin_squared(sol[BETA]))


@cache
def moment4_generator_finite_h() -> sp.Expr | None:
    """L_h (1/N)Σ|v_k|⁴ as c_m4 m4 + c_E2 E² + c_M2 M2 in the EMPIRICAL m4, E = tr M, M2 = tr(M²) (γ = 0).

    Exact for every N (zero momentum). In expectation it reads d/dt E[m4] = E[c_m4 m4 + c_E2 E² + c_M2 M2]:
    E is conserved pathwise, M2 is random.
    """
    v = vector("v")
    rhs = generator_linear_statistic(lambda x: norm2(x) ** 2)
    m4_generic = expectation(norm2(v) ** 2, v, generic_moment)
    residual = rhs - (C_M4 * m4_generic + C_E2 * trace_m() ** 2 + C_M2 * trace_m_squared())
    variables = sorted((s for s in residual.free_symbols if s.name.startswith(("M", "mu_"))), key=str)
    sol = solve_ansatz(residual, [C_M4, C_E2, C_M2], variables)
    if sol is None:
        return None
    return sum(in_sin_squared(sol[c]) * s for c, s in ((C_M4, M4), (C_E2, E ** 2), (C_M2, M2)))


def landau_master_linear_statistic(phi: Callable[[sp.Matrix], sp.Expr], n_particles: int,
                                   gamma: sp.Expr = ZERO) -> tuple[sp.Expr, list[sp.Matrix]]:
    """(L_N (1/N)Σφ(v_k), the particle vectors) for the Landau master equation of docs/spec.md §2, N explicit particles.

    L_N = (1/N) Σ_{i≠j} A_ij, A_ij Φ = ¼ a(v_i - v_j) : (∂_i - ∂_j)⊗(∂_i - ∂_j) Φ + ½ b·(∂_i - ∂_j) Φ, computed
    literally by differentiation in the 3N velocity components.
    """
    vs = [vector(f"x{k}_") for k in range(n_particles)]
    big_phi = sum(phi(x) for x in vs) / n_particles
    total = sp.Integer(0)
    for i, j in product(range(n_particles), repeat=2):
        if i == j:
            continue
        u = vs[i] - vs[j]
        a, b = kernel_a(u, gamma), kernel_b(u, gamma)
        d = [sp.diff(big_phi, vs[i][k]) - sp.diff(big_phi, vs[j][k]) for k in range(DIM)]
        dd = [[sp.diff(sp.diff(big_phi, vs[i][k]) - sp.diff(big_phi, vs[j][k]), vs[i][m])
               - sp.diff(sp.diff(big_phi, vs[i][k]) - sp.diff(big_phi, vs[j][k]), vs[j][m])
               for m in range(DIM)] for k in range(DIM)]
        total += (sum(a[k, m] * dd[k][m] for k in range(DIM) for m in range(DIM)) / 4
                  + sum(b[k] * d[k] for k in range(DIM)) / 2)
    return sp.expand(total / n_particles), vs


def landau_master_minus_weak_form(phi: Callable[[sp.Matrix], sp.Expr], n_particles: int,
                                  gamma: sp.Expr = ZERO) -> sp.Expr:
    """L_N Φ minus the symmetrised weak form on the empirical measure μ = (1/N)Σδ_{v_k} (pairs i ≠ j; /N²)."""
    lhs, vs = landau_master_linear_statistic(phi, n_particles, gamma)
    rhs = sp.Integer(0)
    for i, j in product(range(n_particles), repeat=2):
        if i != j:
            rhs += symmetrised_integrand(phi, vs[i], vs[j], gamma)
    return sp.expand(lhs - rhs / n_particles ** 2)


@cache
def legendre_series_coefficients(order: int = 6) -> tuple[sp.Expr, ...]:
    """Coefficients y_0 = 1, y_2, y_4, … of P_ℓ(cos h) = Σ y_2k h^(2k), for symbolic ℓ, from the Legendre ODE.

    Substituting the even series into h·sin(h)·y'' + h·cos(h)·y' + ℓ(ℓ+1) h·sin(h)·y = 0 (the ODE times
    h sin h, analytic at 0) and equating powers of h up to h^order gives a triangular linear system.
    """
    ys = [sp.Integer(1)] + [sp.Symbol(f"y{k}") for k in range(2, order + 1, 2)]
    y = sum(c * H ** (2 * k) for k, c in enumerate(ys))
    lam = ELL * (ELL + 1)
    expr = H * sp.sin(H) * y.diff(H, 2) + H * sp.cos(H) * y.diff(H) + lam * H * sp.sin(H) * y
    series = sp.series(expr, H, 0, order + 2).removeO()
    eqs = [sp.expand(series).coeff(H, p) for p in range(2, order + 2, 2)]
    sol = sp.solve(eqs, ys[1:], dict=True)[0]
    return tuple(sp.factor(sol[c]) if c in sol else c for c in ys[1:])


@cache
def c_ell() -> sp.Expr:
    """c_ℓ in λ_h (P_ℓ(cos h) - 1) = -|u|^γ ℓ(ℓ+1)(1 + c_ℓ h² + O(h⁴)), derived by series in h."""
    y2, y4 = legendre_series_coefficients(4)[:2]
    # λ_h (P_ℓ - 1)/|u|^γ = (4/h²)(y2 h² + y4 h⁴ + …) = 4 y2 + 4 y4 h² + …; must equal -ℓ(ℓ+1)(1 + c h²)
    lam = ELL * (ELL + 1)
    c = sp.Symbol("c")
    sol = sp.solve([sp.expand(4 * y2 + lam), sp.expand(4 * y4 + lam * c)], [c], dict=True)
    if len(sol) != 1:
        raise ArithmeticError("leading order of λ_h (P_ℓ(cos h) - 1) is not -ℓ(ℓ+1)|u|^γ")
    return sp.factor(sol[0][c])


def eigenvalue_exact(ell: int, h: sp.Expr = H) -> sp.Expr:
    """λ_h (P_ℓ(cos h) - 1) / |u|^γ with the explicit Legendre polynomial P_ℓ (concrete ℓ)."""
    return rate(sp.Integer(0), sp.Integer(1), h) * (sp.legendre(ell, sp.cos(h)) - 1)


def direction_generator(psi: sp.Expr, u: sp.Matrix, gamma: sp.Expr, b_sign: int = -1) -> sp.Expr:
    """A Ψ = a(u):∇²_u Ψ + b(u)·∇_u Ψ, the pair generator A_ij of docs/spec.md §2 in relative variables."""
    a, b = kernel_a(u, gamma), kernel_b(u, gamma, b_sign)
    return contract(a, hessian(psi, u)) + (b.T * gradient(psi, u))[0, 0]


__all__ = ["H", "N", "ELL", "rate", "circle_moment_in_frame", "circle_moment_covariant",
           "averaged_increment",
           "generator_linear_statistic", "second_moment_rates_finite_h", "moment4_generator_finite_h",
           "landau_master_linear_statistic", "landau_master_minus_weak_form", "legendre_series_coefficients",
           "c_ell", "eigenvalue_exact", "in_sin_squared", "one_jump_average", "sphere_moment",
           "direction_generator", "projector", "jumped_pair"]


# ---------------------------------------------------------------- the tagged particle (two-time correlations)


def tagged_increment(h: sp.Expr = H, n_moment: Callable[..., sp.Expr] = circle_moment_covariant) -> sp.Expr:
    """c_h with E_n[v_i' − v_i] = c_h (v_i − v_j) for one jump of the pair (v_i, v_j) (any γ: the rate does not
    enter), or None when the mean increment is not of that form."""
    v, w, n, r = vector("v"), vector("w"), vector("n"), sp.Symbol("R", positive=True)
    cs, sn = TRIG
    vp, _ = jumped_pair(v, w, n, cs, sn, r)
    incr = [_average_over_n(sp.expand(vp[k] - v[k]), n, r, v - w, (*v, *w, cs, sn), n_moment) for k in range(DIM)]
    c = sp.Symbol("c")
    sol = solve_ansatz([incr[k] - c * (v[k] - w[k]) for k in range(DIM)], [c], [*v, *w])
    return None if sol is None else sp.simplify(sol[c].subs({cs: sp.cos(h), sn: sp.sin(h)}))


@cache
def tagged_velocity_rate_finite_h(rate_factor: sp.Expr = TWO,
                                  n_moment: Callable[..., sp.Expr] = circle_moment_covariant) -> sp.Expr:
    """κ_h with L_h v_i = κ_h v_i for every particle i (γ = 0, zero momentum, any N):
    L_h v_i = Σ_{j≠i} (rate_factor/N) λ_h c_h (v_i − v_j) = rate_factor λ_h c_h v_i − (rate_factor/N) λ_h c_h Σ_j v_j
    (the j = i term vanishes), so E[v_i(t) | V_0] = e^{κ_h t} v_i(0) and E[(1/N)Σ v_i(0)·v_i(t)] = E e^{κ_h t}."""
    return sp.simplify(rate_factor * rate(sp.Integer(0), sp.Integer(1)) * tagged_increment(n_moment=n_moment))


def landau_master_tagged_rate(n_particles: int = 3, b_sign: int = -1) -> sp.Expr | None:
    """κ with L_N v_{1,3} = κ v_{1,3} for the Landau master generator of docs/spec.md §2 at γ = 0, computed literally
    by differentiation over N explicit particles at zero momentum (None when L_N v_1 is not a multiple of v_1);
    ``b_sign=+1`` is the wrong-sign negative control."""
    vs = [vector(f"x{k}_") for k in range(n_particles)]
    phi = vs[0][2]
    total = sp.Integer(0)
    for i, j in product(range(n_particles), repeat=2):
        if i != j:
            b = kernel_b(vs[i] - vs[j], sp.Integer(0), b_sign)
            total += sum(b[k] * (sp.diff(phi, vs[i][k]) - sp.diff(phi, vs[j][k])) for k in range(DIM)) / 2
    # the a-term of A_ij needs second derivatives, which vanish for the linear φ
    last = {c: -sum(vs[k][m] for k in range(n_particles - 1)) for m, c in enumerate(vs[-1])}
    lhs = sp.expand(total.subs(last) / n_particles)
    kappa = sp.simplify(lhs / vs[0][2])
    return kappa if not kappa.free_symbols else None
