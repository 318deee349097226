"""Item 9 — exact finite-h moment equations of the MBC process at γ = 0 (docs/spec.md §3).

Derived in ``mbc.generator_linear_statistic`` for any N at zero total momentum:

    L_h M = α_h tr(M) I + β_h M,   L_h m4 = c_m4 m4 + c_E2 E² + c_M2 M2   (empirical M, m4, E = tr M, M2 = tr M²).

Checks: one jump conserves momentum and energy (modulo n·u = 0, |n| = 1); the circle moments; brute-force
pair sums over N = 3 and N = 4 explicit particles reproduce the formulas (so no (N-1)/N correction is
missing); h → 0 gives the Maxwell rates of item 5; the Landau master generator of docs/spec.md §2, differentiated
literally for N = 3 particles, gives exactly the Maxwell rates and the ∫|v|⁴ equation on the empirical
measure; the traceless rate is the ℓ = 2 Funk–Hecke rate λ_h(1 - P_2(cos h)), whose h-expansion has c_2.
Negative controls: the rate (1/N)λ_h instead of (2/N)λ_h per unordered pair misses the h → 0 limit, and so
does a direction drawn on the whole sphere (which keeps the energy only on average); a one-sided jump
(mutant ``one_sided_rotation``) changes the energy.
"""

import pytest
import sympy as sp

from proofs_checks.derivations import maxwell, mbc
from proofs_checks.derivations.identities import vanishes
from proofs_checks.derivations.landau import GAMMA, norm2, vector
from proofs_checks.derivations.maxwell import M2, M4, E

H = mbc.H


def particles(n):
    """n symbolic velocities with zero total momentum (the last one is minus the sum of the others)."""
    vs = [vector(f"x{k}_") for k in range(n - 1)]
    return vs + [-sum(vs, sp.zeros(3, 1))]


def empirical(vs):
    n = len(vs)
    m = sum((x * x.T for x in vs), sp.zeros(3, 3)) / n
    m4 = sum(norm2(x) ** 2 for x in vs) / n
    return m, m4, m.trace(), (m * m).trace()


def brute_force_generator(phi, vs):
    """h²/4 × (1/N) Σ_{i<j} (2/N) λ_h E_n[Δφ] over explicit particles, cos h and sin h as symbols ``TRIG``."""
    n = len(vs)
    v, w = vector("v"), vector("w")
    gbar = mbc.averaged_increment(phi, v, w, trig_symbols=True)
    total = sum(gbar.xreplace({**dict(zip(v, vs[i], strict=True)), **dict(zip(w, vs[j], strict=True))})
                for i in range(n) for j in range(i + 1, n))
    return sp.expand(total * 2 / n ** 2)


def same_trig_polynomial(brute, predicted) -> bool:
    """brute (in the symbols cos_h, sin_h) equals h²/4 × predicted (in sin h) modulo cos² + sin² = 1."""
    cs, sn = mbc.TRIG
    scaled = sp.expand(predicted / mbc.rate(0, 1)).subs({sp.sin(H): sn, sp.cos(H): cs})
    assert not scaled.has(H)
    gens = sorted(sp.expand(brute - scaled).free_symbols - {cs, sn}, key=str)
    _, remainder = sp.reduced(sp.expand(brute - scaled), [cs ** 2 + sn ** 2 - 1], cs, sn, *gens)
    return remainder == 0


def test_jump_conserves_momentum_and_energy():
    v, w, n, r = vector("v"), vector("w"), vector("n"), sp.Symbol("R", positive=True)
    vp, wp = mbc.jumped_pair(v, w, n, r=r)
    assert all(sp.expand(c) == 0 for c in (vp + wp) - (v + w))
    u = v - w
    energy_change = sp.expand(norm2(vp) + norm2(wp) - norm2(v) - norm2(w))
    # relations: |n|² = 1, u·n = 0, R² = |u|² (R stands for |u|)
    relations = [norm2(n) - 1, (u.T * n)[0, 0], r ** 2 - norm2(u)]
    _, remainder = sp.reduced(energy_change, sp.groebner(relations, r, *n, *v, *w).exprs, r, *n, *v, *w)
    assert sp.simplify(remainder) == 0
    one_sided = sp.expand(norm2(v + (vp - wp) - u) + norm2(w) - norm2(v) - norm2(w))  # mutant one_sided_rotation
    _, remainder = sp.reduced(one_sided, sp.groebner(relations, r, *n, *v, *w).exprs, r, *n, *v, *w)
    assert remainder != 0


def test_circle_moments_frame_integral_and_covariant_form():
    e3 = sp.Matrix([0, 0, 1])
    for order in range(5):
        for alpha in [a for a in sp.utilities.iterables.iproduct(*[range(order + 1)] * 3) if sum(a) == order]:
            assert sp.simplify(mbc.circle_moment_in_frame(alpha) - mbc.circle_moment_covariant(alpha, e3)) == 0


def test_circle_moments_are_supported_on_the_circle():
    u = vector("u")
    second = sp.Matrix(3, 3, lambda i, j: mbc.circle_moment_covariant(tuple(int(k in (i, j)) + int(i == j == k)
                                                                               for k in range(3)), u))
    assert sp.simplify(second.trace() - 1) == 0  # E|n|² = 1
    assert sp.simplify((u.T * second * u)[0, 0]) == 0  # E(u·n)² = 0


@pytest.mark.parametrize("n_particles", [3, 4])
def test_second_moment_rates_by_brute_force(n_particles):
    alpha_h, beta_h = mbc.second_moment_rates_finite_h()
    vs = particles(n_particles)
    m, _, e, _ = empirical(vs)
    for k, l in [(0, 0), (0, 1), (1, 2), (2, 2)]:
        got = brute_force_generator(lambda x, k=k, l=l: x[k] * x[l], vs)
        assert same_trig_polynomial(got, (alpha_h * e if k == l else 0) + beta_h * m[k, l])


def test_moment4_generator_by_brute_force():
    vs = particles(3)
    _, m4, e, m2 = empirical(vs)
    got = brute_force_generator(lambda x: norm2(x) ** 2, vs)
    predicted = mbc.moment4_generator_finite_h().subs({M4: m4, E: e, M2: m2})
    assert same_trig_polynomial(got, predicted)


def test_small_h_limit_is_maxwell():
    alpha_h, beta_h = mbc.second_moment_rates_finite_h()
    alpha, beta = maxwell.second_moment_rates()
    assert sp.limit(alpha_h, H, 0) == alpha and sp.limit(beta_h, H, 0) == beta
    assert sp.simplify(3 * alpha_h + beta_h) == 0  # energy conserved at every h
    assert sp.simplify(sp.limit(mbc.moment4_generator_finite_h(), H, 0) - maxwell.moment4_rhs()) == 0


def test_landau_master_generator_gives_maxwell_moments_exactly():
    alpha, beta = maxwell.second_moment_rates()
    lhs, xs = mbc.landau_master_linear_statistic(lambda x: x[0] * x[1], 3)
    vs = particles(3)
    to_zero_momentum = {c: vs[2][k] for k, c in enumerate(xs[2])}
    m, m4, e, m2 = empirical(vs)
    assert sp.simplify(lhs.subs(to_zero_momentum) - beta * m[0, 1]) == 0
    lhs, xs = mbc.landau_master_linear_statistic(lambda x: x[2] ** 2, 3)
    assert sp.simplify(lhs.subs(to_zero_momentum) - alpha * e - beta * m[2, 2]) == 0
    lhs, xs = mbc.landau_master_linear_statistic(lambda x: norm2(x) ** 2, 3)
    expected = maxwell.moment4_rhs().subs({M4: m4, E: e, M2: m2})
    assert sp.simplify(lhs.subs(to_zero_momentum) - expected) == 0


@pytest.mark.parametrize("name,phi", [("v1^2", lambda x: x[0] ** 2), ("v1 v2 v3", lambda x: x[0] * x[1] * x[2])])
def test_landau_master_generator_is_the_weak_form_on_the_empirical_measure(name, phi):
    """For symbolic γ: L_N (1/N)Σφ = (1/N²) Σ_{i≠j} (symmetrised integrand), no self-interaction term."""
    assert vanishes(mbc.landau_master_minus_weak_form(phi, 3, GAMMA))


def test_traceless_rate_is_the_l2_funk_hecke_rate():
    _, beta_h = mbc.second_moment_rates_finite_h()
    l2_rate = mbc.rate(0, 1) * (1 - sp.legendre(2, sp.cos(H)))
    assert sp.simplify(-beta_h - l2_rate) == 0
    series = sp.series(-beta_h / 6, H, 0, 4).removeO()  # ℓ(ℓ+1) = 6 at ℓ = 2
    assert sp.expand(series - (1 + mbc.c_ell().subs(mbc.ELL, 2) * H ** 2)) == 0


def test_negative_control_rate_per_ordered_pair():
    alpha_h, beta_h = mbc.second_moment_rates_finite_h(rate_factor=sp.Integer(1))
    alpha, beta = maxwell.second_moment_rates()
    assert sp.limit(alpha_h, H, 0) != alpha and sp.limit(beta_h, H, 0) != beta


def test_negative_control_direction_on_the_whole_sphere():
    alpha_h, beta_h = mbc.second_moment_rates_finite_h(n_moment=mbc.sphere_moment)
    alpha, beta = maxwell.second_moment_rates()
    assert sp.limit(alpha_h, H, 0) != alpha and sp.limit(beta_h, H, 0) != beta
