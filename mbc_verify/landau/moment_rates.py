"""Initial rate of the fourth moment, d/dt ∫|v|⁴ f at t = 0: in closed form for mixtures of centred Maxwellians, and
as measured on the isotropic solver (docs/spec.md §1 with its ½, §4).

- :func:`mixture_moment4_rate`: for f = Σ_k w_k N(0, T_k I) (a ``mixture`` datum, weights and temperatures as
  :attr:`mbc_verify.initial.InitSpec.mixture`), the weak form is bilinear in f and

      d/dt ∫|v|⁴ f = Σ_{k,l} w_k w_l R(T_k, T_l),  R(T₁, T₂) = −(16/√π) Γ((γ+7)/2) (2(T₁+T₂))^{γ/2} (T₁ − T₂)²,

  derived in proofs_checks/derivations/mixture.py (key ``landau.moment4_rate_gaussian_pair``), finite for every
  γ ∈ [−3, 1]; it vanishes for a single Maxwellian.
- :func:`isotropic_moment4_rate`: the same rate of the conservative isotropic solver's discrete datum, from two
  short runs: D(δ) = (m4(δ) − m4(0))/δ = m4'(0) + δ m4''/2 + O(δ²), so 2D(δ/2) − D(δ) = m4'(0) + O(δ²); its
  time-truncation estimate is the change of that extrapolation from (δ, δ/2) to (δ/2, δ/4) (both returned).
"""

from __future__ import annotations

from typing import Any

from .. import derived
from ..initial import parse_init
from ..validation import check_gamma, check_positive


def mixture_moment4_rate(gamma: float, init: str) -> float:
    """d/dt ∫|v|⁴ f at t = 0 for a ``mixture`` datum at exponent γ (module docstring)."""
    gamma = check_gamma(gamma)
    spec = parse_init(init)
    if spec.name != "mixture":
        raise ValueError(f"init: the closed form is for a 'mixture', got {spec.name!r}")
    pair = derived.function("landau.moment4_rate_gaussian_pair", "gamma", "T1", "T2")
    return float(sum(wk * wl * pair(gamma, tk, tl) for wk, tk in spec.mixture for wl, tl in spec.mixture))


def _difference_quotient(gamma: float, init: str, delta: float, n_grid: int, mutant: str | None) -> float:
    from .isotropic import solve_isotropic

    m4 = solve_isotropic(gamma, delta, init=init, snapshots=2, n_grid=n_grid, mutant=mutant)["moment4"]
    return (m4[-1] - m4[0]) / delta


def isotropic_moment4_rate(gamma: float, init: str, n_grid: int, delta: float = 0.02,
                           mutant: str | None = None) -> dict[str, Any]:
    """The isotropic solver's d/dt ∫|v|⁴ f at t = 0 on ``n_grid`` cells by the Richardson-extrapolated difference
    quotients of steps δ, δ/2 and δ/4 (module docstring): ``rate`` (from δ/2, δ/4) and ``time_error`` (its change
    from the extrapolation of δ, δ/2). ``mutant``: a planted defect of the solver (:mod:`mbc_verify.mutants`)."""
    gamma = check_gamma(gamma)
    delta = check_positive("delta", delta)
    d = [_difference_quotient(gamma, init, delta / 2**k, n_grid, mutant) for k in range(3)]
    coarse, fine = 2 * d[1] - d[0], 2 * d[2] - d[1]
    return {"rate": fine, "time_error": abs(fine - coarse), "n_grid": n_grid, "delta": delta / 4}
