"""Item 8 — the pair generator in relative variables and the MBC expansion (docs/spec.md §2, §3).

1. For Φ(v_i, v_j) = Ψ(u, c), u = v_i - v_j, c = (v_i + v_j)/2: ∂_i - ∂_j = 2∇_u, so
   A_ij Φ = ¼ a : (∂_i - ∂_j)^{⊗2} Φ + ½ b·(∂_i - ∂_j) Φ = a : ∇_u²Ψ + b·∇_uΨ = ∇_u·(a ∇_uΨ)  (b = ∇·a).
2. On functions of the direction, A = |u|^γ Δ_S: for the degree-0 harmonics Y_ℓ = H_ℓ(u)/|u|^ℓ (H_ℓ a
   harmonic polynomial, so |u|²ΔY_ℓ = Δ_S Y_ℓ = -ℓ(ℓ+1) Y_ℓ) one has A Y_ℓ = -ℓ(ℓ+1)|u|^γ Y_ℓ.
3. Funk–Hecke for the MBC jump: E_n[H_ℓ(u')] = P_ℓ(cos h) H_ℓ(u) (|u'| = |u|), ℓ = 1…4.
4. λ_h (P_ℓ(cos h) - 1) = -|u|^γ ℓ(ℓ+1)(1 + c_ℓ h² + O(h⁴)) with c_ℓ derived from the Legendre ODE for
   symbolic ℓ; checked against the explicit Legendre polynomials ℓ = 0…8.

Also A|u|^(2k) = 0 (the speed is kept). Negative controls: the wrong sign of b moves the speed (b ∥ u, so it
is invisible on functions of the direction alone); A_ij with ½ in place of ¼ is not (a:∇_u² + b·∇_u);
drawing n on the whole sphere breaks
Funk–Hecke; the doubled rate (mutant ``rate_doubled``) or a perturbed c_ℓ misses the explicit series.
"""

import pytest
import sympy as sp

from proofs_checks.derivations import mbc
from proofs_checks.derivations.identities import value_at, vanishes, witness_point
from proofs_checks.derivations.landau import GAMMA, kernel_a, kernel_b, norm2, vector

QUARTER = sp.Rational(1, 4)
SOLID_HARMONICS = {  # (ℓ, H_ℓ(u)): harmonic homogeneous polynomials of degree ℓ (checked below)
    "P1": (1, lambda u: u[2]),
    "x": (1, lambda u: u[0]),
    "P2": (2, lambda u: 3 * u[2] ** 2 - norm2(u)),
    "xy": (2, lambda u: u[0] * u[1]),
    "P3": (3, lambda u: 5 * u[2] ** 3 - 3 * u[2] * norm2(u)),
    "xyz": (3, lambda u: u[0] * u[1] * u[2]),
    "P4": (4, lambda u: 35 * u[2] ** 4 - 30 * u[2] ** 2 * norm2(u) + 3 * norm2(u) ** 2),
    "xy(x2-y2)": (4, lambda u: u[0] * u[1] * (u[0] ** 2 - u[1] ** 2)),
}


def laplacian(e, u):
    return sum(sp.diff(e, x, 2) for x in u)


def test_solid_harmonics_are_harmonic():
    u = vector("u")
    for ell, h in SOLID_HARMONICS.values():
        assert sp.expand(laplacian(h(u), u)) == 0
        assert sp.Poly(h(u), *u).is_homogeneous and sp.Poly(h(u), *u).total_degree() == ell


def pair_generator_residual(second_order_factor=QUARTER):
    """A_ij Φ (docs/spec.md §2, computed in the particle velocities) minus (a:∇_u² + b·∇_u)Ψ, Φ(v_i, v_j) = Ψ(u, c)."""
    vi, vj = vector("p"), vector("q")
    u, c = vector("u"), vector("c")
    psi = u[0] ** 2 * u[1] * c[2] + u[2] ** 3 * c[0] + u[0] * u[1] * u[2] * c[1] ** 2 + norm2(u) * c[0] * c[1]
    to_particles = {**{u[k]: vi[k] - vj[k] for k in range(3)}, **{c[k]: (vi[k] + vj[k]) / 2 for k in range(3)}}
    phi = psi.subs(to_particles, simultaneous=True)
    a, b = kernel_a(vi - vj), kernel_b(vi - vj)
    d = [sp.diff(phi, vi[k]) - sp.diff(phi, vj[k]) for k in range(3)]
    dd = [[sp.diff(d[k], vi[m]) - sp.diff(d[k], vj[m]) for m in range(3)] for k in range(3)]
    a_ij = (second_order_factor * sum(a[k, m] * dd[k][m] for k in range(3) for m in range(3))
            + sum(b[k] * d[k] for k in range(3)) / 2)
    relative = mbc.direction_generator(psi, u, GAMMA).subs(to_particles, simultaneous=True)
    return a_ij - relative, [*vi, *vj]


def test_pair_generator_in_relative_variables():
    assert vanishes(pair_generator_residual()[0])
    u = vector("u")
    psi = u[0] ** 2 * u[1] + u[2] ** 3 + u[0] * u[1] * u[2]
    flux_form = sum(sp.diff(sum(kernel_a(u)[k, m] * sp.diff(psi, u[m]) for m in range(3)), u[k]) for k in range(3))
    assert vanishes(mbc.direction_generator(psi, u, GAMMA) - flux_form)


def test_negative_control_pair_generator_with_half_instead_of_quarter():
    residual, syms = pair_generator_residual(second_order_factor=sp.Rational(1, 2))
    assert not vanishes(residual)
    assert value_at(residual, witness_point(syms)) != 0


@pytest.mark.parametrize("name", SOLID_HARMONICS)
def test_direction_generator_is_r_gamma_laplace_beltrami(name):
    ell, h = SOLID_HARMONICS[name]
    u = vector("u")
    y = h(u) / norm2(u) ** sp.Rational(ell, 2)
    assert vanishes(norm2(u) * laplacian(y, u) + ell * (ell + 1) * y)  # Δ_S Y = -ℓ(ℓ+1) Y
    assert vanishes(mbc.direction_generator(y, u, GAMMA) + ell * (ell + 1) * norm2(u) ** (GAMMA / 2) * y)


@pytest.mark.parametrize("name", SOLID_HARMONICS)
def test_funk_hecke_eigenvalue_of_one_jump(name):
    ell, h = SOLID_HARMONICS[name]
    u = vector("u")
    averaged = mbc.one_jump_average(h, u)
    assert sp.simplify(averaged - sp.legendre(ell, sp.cos(mbc.H)) * h(u)) == 0


def test_c_ell_matches_explicit_legendre_series():
    for ell in range(9):
        series = sp.series(mbc.eigenvalue_exact(ell), mbc.H, 0, 4).removeO()
        predicted = -ell * (ell + 1) * (1 + mbc.c_ell().subs(mbc.ELL, ell) * mbc.H ** 2)
        assert sp.expand(series - predicted) == 0


def test_legendre_series_coefficients_match_explicit_polynomials():
    coeffs = mbc.legendre_series_coefficients(6)
    for ell in range(7):
        series = sp.series(sp.legendre(ell, sp.cos(mbc.H)), mbc.H, 0, 8).removeO()
        predicted = 1 + sum(c.subs(mbc.ELL, ell) * mbc.H ** (2 * k + 2) for k, c in enumerate(coeffs))
        assert sp.expand(series - predicted) == 0


@pytest.mark.parametrize("power", [1, 2, 3])
def test_pair_generator_keeps_the_speed(power):
    """A |u|^(2k) = 0: the relative velocity moves on its sphere (b·∇ exactly cancels the radial part of a:∇²)."""
    u = vector("u")
    assert vanishes(mbc.direction_generator(norm2(u) ** power, u, GAMMA))


def test_negative_control_wrong_sign_of_b_moves_the_speed():
    u = vector("u")
    residual = mbc.direction_generator(norm2(u), u, GAMMA, b_sign=+1)
    assert not vanishes(residual)
    assert value_at(residual, witness_point(list(u))) != 0


def test_negative_control_direction_on_the_whole_sphere():
    ell, h = SOLID_HARMONICS["P2"]
    u = vector("u")
    averaged = mbc.one_jump_average(h, u, n_moment=mbc.sphere_moment)
    assert sp.simplify(averaged - sp.legendre(ell, sp.cos(mbc.H)) * h(u)) != 0


def test_negative_control_doubled_rate_and_perturbed_c_ell():
    ell = 3
    series = sp.series(2 * mbc.eigenvalue_exact(ell), mbc.H, 0, 4).removeO()  # λ_h = 8/h² (rate_doubled)
    predicted = -ell * (ell + 1) * (1 + mbc.c_ell().subs(mbc.ELL, ell) * mbc.H ** 2)
    assert sp.expand(series - predicted) != 0
    exact = sp.series(mbc.eigenvalue_exact(ell), mbc.H, 0, 4).removeO()
    perturbed = -ell * (ell + 1) * (1 + (mbc.c_ell().subs(mbc.ELL, ell) + sp.Rational(1, 48)) * mbc.H ** 2)
    assert sp.expand(exact - perturbed) != 0
