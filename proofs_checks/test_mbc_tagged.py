"""The tagged particle of the MBC process at γ = 0: L_h v_i = κ_h v_i with κ_h = 4(cos h − 1)/h² for every particle,
any N, zero momentum (proofs_checks/derivations/mbc.py), so the two-time correlation (1/N)Σ v_i(0)·v_i(t) has the
exact mean E e^{κ_h t} (claim C4).

Checks: the mean jump increment is (cos h − 1)(v_i − v_j)/2; brute-force sums over N = 3 and 4 explicit particles
give κ_h v_i; κ_h → −2, the Landau master generator's rate computed literally by differentiation (docs/spec.md §2,
N = 3 and 4), with the leading correction h²/6; negative controls: the rate (1/N)λ_h per unordered pair gives the
limit −1, and the wrong sign of b gives the master rate +2.
"""

import pytest
import sympy as sp

from proofs_checks.derivations import mbc
from proofs_checks.derivations.landau import vector

H = mbc.H


def test_mean_increment_is_half_the_relative_velocity_change():
    assert sp.simplify(mbc.tagged_increment() - (sp.cos(H) - 1) / 2) == 0


@pytest.mark.parametrize("n_particles", [3, 4])
def test_tagged_rate_by_brute_force(n_particles):
    """Σ_{j≠0} (2/N) λ_h E_n[v_0' − v_0] over explicit particles at zero momentum equals κ_h v_0."""
    xs = [vector(f"x{k}_") for k in range(n_particles - 1)]
    vs = xs + [-sum(xs, sp.zeros(3, 1))]
    c = mbc.tagged_increment()
    lam = mbc.rate(sp.Integer(0), sp.Integer(1))
    total = sum((2 * lam * c / n_particles * (vs[0] - vs[j]) for j in range(1, n_particles)), sp.zeros(3, 1))
    assert sp.simplify(total - mbc.tagged_velocity_rate_finite_h() * vs[0]) == sp.zeros(3, 1)


@pytest.mark.parametrize("n_particles", [3, 4])
def test_small_h_limit_is_the_landau_master_rate(n_particles):
    kappa = mbc.tagged_velocity_rate_finite_h()
    master = mbc.landau_master_tagged_rate(n_particles)
    assert master == -2
    assert sp.limit(kappa, H, 0) == master
    assert sp.expand(sp.series(kappa, H, 0, 4).removeO() - master) == H**2 / 6


def test_negative_controls():
    assert sp.limit(mbc.tagged_velocity_rate_finite_h(rate_factor=sp.Integer(1)), H, 0) == -1
    assert mbc.landau_master_tagged_rate(3, b_sign=1) == 2
