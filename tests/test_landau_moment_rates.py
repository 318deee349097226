"""The initial rate of ∫|v|⁴ f: the closed form for mixtures (mbc_verify.landau.moment_rates, derived key
``landau.moment4_rate_gaussian_pair``) against the axisymmetric solver's converged initial rate and the isotropic
solver's second-order convergence."""

from __future__ import annotations

import pytest

from mbc_verify.landau.axisymmetric import initial_rate
from mbc_verify.landau.moment_rates import isotropic_moment4_rate, mixture_moment4_rate


@pytest.mark.parametrize("init", ["mixture:0.5,0.2,0.5,1.8", "mixture:0.5,0.5,0.5,1.5"])
def test_closed_form_equals_the_axisymmetric_initial_rate(init) -> None:
    """The axisymmetric solver's initial rates are converged to ~1e-13 relative (its docstring): 1e-10 bound."""
    closed = mixture_moment4_rate(-3.0, init)
    assert initial_rate(-3.0, init)["dmoment4_dt"] == pytest.approx(closed, rel=1e-10)


def test_a_single_maxwellian_is_stationary_and_bad_input() -> None:
    assert mixture_moment4_rate(-3.0, "mixture:1,1") == 0.0
    assert mixture_moment4_rate(-2.0, "mixture:0.5,0.2,0.5,1.8") < 0.0  # the fourth moment relaxes
    with pytest.raises(ValueError, match="^init"):
        mixture_moment4_rate(-3.0, "bimaxwellian:2,0.5")
    with pytest.raises(ValueError, match="^gamma"):
        mixture_moment4_rate(2.0, "mixture:1,1")


def test_isotropic_solver_rate_converges_at_second_order_to_the_closed_form() -> None:
    closed = mixture_moment4_rate(-3.0, "mixture:0.5,0.2,0.5,1.8")
    err = [isotropic_moment4_rate(-3.0, "mixture:0.5,0.2,0.5,1.8", n)["rate"] - closed for n in (100, 200)]
    assert 3.5 < err[0] / err[1] < 4.5  # measured 4.00: the scheme's second order in Δr
