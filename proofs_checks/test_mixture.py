"""d/dt ∫|v|⁴ f at t = 0 for a mixture of centred Maxwellians, any γ, in closed form (proofs_checks/derivations/
mixture.py): R(T₁, T₂) = −(16/√π) Γ((γ+7)/2) (2(T₁+T₂))^{γ/2} (T₁ − T₂)².

Checks: a Maxwellian is stationary (R(T, T) = 0, symbolic γ); R is symmetric; substituting γ = −3 before or after
the derivation gives the same expression; at γ = 0 the mixture rate equals the closed Maxwell-molecule moment
equation ``maxwell.moment4_rhs`` (derived independently from generic moments) for symbolic weights and
temperatures. Negative controls: with the wrong sign of b, a Maxwellian is not stationary and the γ = 0 rate misses
the moment equation.
"""

import sympy as sp

from proofs_checks.derivations import mixture as mx
from proofs_checks.derivations.maxwell import M2, M4, E, moment4_rhs

W1, TA, TB = sp.symbols("w1 Ta Tb", positive=True)


def _gamma0_moment_equation(weights, temps):
    """maxwell.moment4_rhs at the mixture's moments: m4 = 15 Σ w T², E = 3 Σ w T, M2 = tr(M²) = 3 (Σ w T)²."""
    tbar = sum(w * t for w, t in zip(weights, temps, strict=True))
    m4 = 15 * sum(w * t * t for w, t in zip(weights, temps, strict=True))
    return moment4_rhs().subs({M4: m4, E: 3 * tbar, M2: 3 * tbar**2}, simultaneous=True)


def test_pair_rate_closed_form_and_maxwellian_stationary():
    r = mx.pair_rate()
    closed = (-16 / sp.sqrt(sp.pi) * sp.gamma((mx.GAMMA + 7) / 2) * (2 * (mx.T1 + mx.T2)) ** (mx.GAMMA / 2)
              * (mx.T1 - mx.T2) ** 2)
    assert sp.simplify(sp.gammasimp(r / closed)) == 1
    assert sp.simplify(r.subs(mx.T2, mx.T1)) == 0
    assert sp.simplify(r - r.subs({mx.T1: mx.T2, mx.T2: mx.T1}, simultaneous=True)) == 0


def test_coulomb_substitution_commutes_with_the_derivation():
    assert sp.simplify(mx.pair_rate(sp.Integer(-3)) - mx.pair_rate().subs(mx.GAMMA, -3)) == 0


def test_gamma0_equals_the_maxwell_moment_equation():
    weights, temps = [W1, 1 - W1], [TA, TB]
    got = mx.mixture_rate(weights, temps, sp.Integer(0))
    assert sp.simplify(got - _gamma0_moment_equation(weights, temps)) == 0


def test_negative_control_wrong_sign_of_b():
    assert sp.simplify(mx.pair_rate(sp.Integer(-3), b_sign=1).subs(mx.T2, mx.T1)) != 0
    weights, temps = [W1, 1 - W1], [TA, TB]
    wrong = mx.mixture_rate(weights, temps, sp.Integer(0), b_sign=1)
    assert sp.simplify(wrong - _gamma0_moment_equation(weights, temps)) != 0
