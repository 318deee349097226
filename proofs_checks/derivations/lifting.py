"""N ≥ 3: the Fisher-information dissipation of the N-particle law reduces to pair contributions (the lifting).

For the N-particle law F on R^{3N} under L_N = (2/N) Σ_{i<j} A_ij (master equation, SPEC §2; MBC: A_ij replaced by
λ_h(|u_ij|)(K_h^{ij} − I), SPEC §3), I is convex, so along the flow d/dt I(F) = (2/N) Σ_{i<j} D_ij(F) with
D_ij(F) = ∫ [2 ∇F · ∇(A_ij F)/F − |∇F|² A_ij F/F²]. In the pair coordinates (c, u) = ((v_i+v_j)/2, v_i − v_j) and
the other velocities v_k:

1. ``pair_metric_n``: |∇_V F|² = ½ |∇_c F|² + 2 |∇_u F|² + Σ_{k ∉ {i,j}} |∇_{v_k} F|² (derived from the Jacobian).
2. ``commutator``: A_ij commutes with ∂_{c} = ∂_{v_i} + ∂_{v_j} and with ∂_{v_k}, k ∉ {i, j} (a and b depend on
   v_i − v_j only); it does not commute with ∂_{v_i} alone (negative control).
3. ``jensen_identity``: for L = ∇·(a∇) with a symmetric, 2pLp/F − p²LF/F² = L(p²/F) − 2F ∇(p/F)ᵀ a ∇(p/F); with
   a ≥ 0 (Landau's a is PSD) and ∫ L(·) = 0 every term of D_ij built on a commuting derivative p = ∂F is ≤ 0
   (the MBC analogue is pair_fisher.jump_convexity_identity).

Hence D_ij(F) = (≤ 0 terms from ∇_c and ∇_{v_k}) + 2 ∫ d(c, v_rest) D⁽²⁾(u ↦ F(c, u, v_rest)), D⁽²⁾ the N = 2
u-Fisher dissipation of :mod:`mbc_verify.mbc.pair_law` applied to each fibre (a nonnegative function of u; under
MBC A_ij is λ_h(K_h − I) on u with c and v_rest fixed, the same fibre structure). If F is exchangeable, every fibre
is even in u (swapping i, j maps u → −u with c, v_rest fixed), i.e. an exchangeable N = 2 law. So:
dI/dt ≤ 0 for all exchangeable N-particle laws follows from D⁽²⁾ ≤ 0 for all even nonnegative functions of u.

What is certified and what is not: items 1–3 are exact symbolic identities (this module's tests). D⁽²⁾ ≤ 0 is
certified numerically (C9, N = 2) only on the searched families (Gaussian-polynomial laws with finitely many
degrees ℓ ≤ 4), with the margin reported there; a general fibre lies outside these families, so the N ≥ 3
statement is certified as "reduced to the N = 2 exchangeable inequality", not computed for any N ≥ 3 law. For
non-exchangeable N-particle laws the fibres need not be even, and the N = 2 counterexample (γ = −3, a dipole
modulation) shows the pair inequality itself fails there.
"""

from __future__ import annotations

import sympy as sp

from .landau import GAMMA, kernel_a, kernel_b, vector


def pair_metric_n(n: int = 3) -> sp.Matrix:
    """J Jᵀ for (c, u, v₃, …, v_n) as functions of (v₁, …, v_n): the metric of item 1."""
    vs = [vector(f"w{i}_") for i in range(n)]
    new = [(vs[0][k] + vs[1][k]) / 2 for k in range(3)] + [vs[0][k] - vs[1][k] for k in range(3)]
    new += [vs[i][k] for i in range(2, n) for k in range(3)]
    variables = [x for v in vs for x in v]
    jac = sp.Matrix([[sp.diff(f, x) for x in variables] for f in new])
    return sp.simplify(jac * jac.T)


def particle_generator(phi: sp.Expr, v1: sp.Matrix, v2: sp.Matrix, gamma: sp.Expr = GAMMA) -> sp.Expr:
    """A_12 Φ = ¼ a(v₁−v₂) : (∂₁ − ∂₂)⊗(∂₁ − ∂₂) Φ + ½ b(v₁−v₂) · (∂₁ − ∂₂) Φ (SPEC §2)."""
    a, b = kernel_a(v1 - v2, gamma), kernel_b(v1 - v2, gamma)
    d = [sp.diff(phi, v1[k]) - sp.diff(phi, v2[k]) for k in range(3)]
    dd = [[sp.diff(d[k], v1[m]) - sp.diff(d[k], v2[m]) for m in range(3)] for k in range(3)]
    return (sum(a[k, m] * dd[k][m] for k in range(3) for m in range(3)) / 4
            + sum(b[k] * d[k] for k in range(3)) / 2)


def commutator(derivative: str) -> tuple[sp.Expr, list[sp.Symbol]]:
    """[A_12, D] Φ for a generic polynomial Φ(v₁, v₂, v₃) and D = ``"centre"`` (∂_{v₁,1} + ∂_{v₂,1}), ``"other"``
    (∂_{v₃,1}) or ``"particle"`` (∂_{v₁,1}, the negative control); returns the expression and its symbols."""
    v1, v2, v3 = vector("p"), vector("q"), vector("s")
    phi = (v1[0] ** 2 * v2[1] * v3[2] + v1[2] ** 3 * v3[0] + v1[0] * v2[1] * v2[2] * v3[1] ** 2
           + (v1[1] - v2[1]) ** 2 * v3[0] * v1[2] + v2[0] ** 3 * v1[1])

    def d(e):
        return {"centre": sp.diff(e, v1[0]) + sp.diff(e, v2[0]), "other": sp.diff(e, v3[0]),
                "particle": sp.diff(e, v1[0])}[derivative]

    e = particle_generator(d(phi), v1, v2) - d(particle_generator(phi, v1, v2))
    return e, [*v1, *v2, *v3]


def jensen_identity(sign: int = 1) -> sp.Expr:
    """L(p²/F) − [2pLp/F − p²LF/F² + sign · 2F ∇(p/F)ᵀ a ∇(p/F)] for L = ∇·(a∇), a a generic symmetric 3×3 field:
    0 for sign = 1 (``sign`` = −1 is the negative control)."""
    u = vector("u")
    p, f = sp.Function("p")(*u), sp.Function("F")(*u)
    a = sp.Matrix(3, 3, lambda i, j: sp.Function(f"a{min(i, j)}{max(i, j)}")(*u))

    def lap(q):
        g = [sp.diff(q, x) for x in u]
        return sum(sp.diff(sum(a[i, j] * g[j] for j in range(3)), u[i]) for i in range(3))

    grad_w = sp.Matrix([sp.diff(p / f, x) for x in u])
    e = lap(p ** 2 / f) - (2 * p * lap(p) / f - p ** 2 * lap(f) / f ** 2
                           + sign * 2 * f * (grad_w.T * a * grad_w)[0, 0])
    return sp.simplify(sp.expand(e))
