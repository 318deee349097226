"""Rate laws α(r) of one pair, for the exact N = 2 spectral evolution (:mod:`mbc_verify.mbc.pair_law`).

The Landau master generator of a pair is α(|u|) Δ_S (SPEC §2, α(r) = r^γ) and the MBC pair rate is
λ_h(r) = 4 α(r) s(h) / h² (SPEC §3, :mod:`mbc_verify.mbc.rates`). Two laws:

- :class:`PowerLaw`: α(r) = r^γ, γ ∈ [−3, 1] (the project's law).
- :class:`TanhStep`: α(r) = 1 + A tanh((r − r₀)/w), 0 < A < 1 — the **negative control**: a positive, bounded,
  smooth rate law that is not a power. Its log-slope r α'(r)/α(r) peaks at ≈ 17.9 near the step (A = 0.9,
  r₀ = 1.5, w = 0.1), so it violates the hypothesis of Guillén–Silvestre's Theorem 1.1.

**The hypothesis** (N. Guillen and L. Silvestre, *The Landau equation does not blow up*, Acta Math. 234 (2025)
315–375, arXiv:2311.09420). Verified with the project's search tool (arXiv v2 HTML, displayed formulas lost in the
extraction): "Theorem 1.1. Let f be a classical solution to the space-homogeneous Landau equation (1.1). Assume
that the interaction potential satisfies, for all r > 0, [display] then the Fisher information is monotone
decreasing as a function of time." and "The assumption of Theorem 1.1 holds for any power-law interaction with
[γ] in the usual range." The display is read by the project as r |α'(r)| ≤ √22 α(r) (as in
:mod:`mbc_verify.claims.c08_fisher`). Consistent with it: S. Ji, arXiv:2408.13954 (abstract, verified): "We prove
upper and lower bounds on the optimal constant Λ_d of the Bakry-Émery Γ₂ criterion for positive symmetric
functions on the unit sphere S^{d−1} [...] The Bakry-Émery Γ₂ criterion inequality was crucially used to prove the
monotonicity of the Fisher information for the Landau equation by Guillen and Silvestre [...] we compute that Λ₃
is between 5.5 and 5.739", and √22 = 2√5.5. The inequality is one for *symmetric* (even) functions on the sphere,
i.e. exchangeable pair laws. Our second-order analysis (proofs_checks/derivations/pair_fisher.py) gives the
matching linear thresholds |rα'/α| ≤ 2√(ℓ(ℓ+1)): 2√6 ≈ 4.90 for the first even degree ℓ = 2 (≥ √22, as it must),
but 2√2 ≈ 2.83 for the dipole ℓ = 1, which only non-exchangeable laws have — so at γ = −3 the N = 2 Fisher
information of a non-exchangeable law can increase (:func:`mbc_verify.mbc.pair_search.counterexample_law`).
For α = r^γ the log-slope is |γ| ≤ 3 < √22 everywhere.

Each law gives α and α' (the commutator [∂_r, α(r) Δ_S] = α'(r) Δ_S drives the Fisher information's radial
part, see :mod:`mbc_verify.mbc.pair_law`), ``breakpoints`` (radii where the quadrature must place panel edges)
and ``log_slope_sup`` (sup_r r|α'|/α, the quantity of the Guillén–Silvestre hypothesis).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..validation import check_gamma, check_positive, check_real

GS_LOG_SLOPE_BOUND = math.sqrt(22.0)
"""Guillén–Silvestre, Thm 1.1 (as read by the project): r|α'(r)| ≤ √22 α(r) for all r > 0 (module docstring)."""


@dataclass(frozen=True)
class PowerLaw:
    """α(r) = r^γ (SPEC §1–§3), γ ∈ [−3, 1]."""

    gamma: float

    def __post_init__(self) -> None:
        object.__setattr__(self, "gamma", check_gamma(self.gamma))

    @property
    def name(self) -> str:
        return f"r^{self.gamma:g}"

    def value(self, r: np.ndarray) -> np.ndarray:
        """α(r) = r^γ (r > 0)."""
        return np.power(r, self.gamma)

    def derivative(self, r: np.ndarray) -> np.ndarray:
        """α'(r) = γ r^(γ−1)."""
        return self.gamma * np.power(r, self.gamma - 1.0)

    def breakpoints(self) -> np.ndarray:
        """No radius is special for a power law."""
        return np.empty(0)

    def log_slope_sup(self) -> float:
        """sup_r r|α'(r)|/α(r) = |γ|."""
        return abs(self.gamma)


@dataclass(frozen=True)
class TanhStep:
    """α(r) = 1 + height · tanh((r − centre)/width): the non-power negative control (module docstring)."""

    height: float = 0.9
    centre: float = 1.5
    width: float = 0.1

    def __post_init__(self) -> None:
        h = check_real("height", self.height, "in (0, 1)")
        if not 0.0 < h < 1.0:
            raise ValueError(f"height: must lie in (0, 1) so that α > 0, got {self.height!r}")
        object.__setattr__(self, "height", h)
        object.__setattr__(self, "centre", check_positive("centre", self.centre))
        object.__setattr__(self, "width", check_positive("width", self.width))

    @property
    def name(self) -> str:
        return f"1+{self.height:g}tanh((r-{self.centre:g})/{self.width:g})"

    def value(self, r: np.ndarray) -> np.ndarray:
        return 1.0 + self.height * np.tanh((r - self.centre) / self.width)

    def derivative(self, r: np.ndarray) -> np.ndarray:
        """α'(r) = (height/width) (1 − tanh²((r − centre)/width))."""
        th = np.tanh((r - self.centre) / self.width)
        return self.height / self.width * (1.0 - th * th)

    def breakpoints(self) -> np.ndarray:
        """Panel edges every width/2 across [centre − 12 width, centre + 12 width] (tanh within e^-24 of ±1)."""
        edges = self.centre + self.width * np.arange(-12.0, 12.5, 0.5)
        return edges[edges > 0.0]

    def log_slope_sup(self) -> float:
        """sup_r r α'(r)/α(r), by dense sampling of [0, centre + 30 width] (the ratio is smooth, single-peaked)."""
        r = np.linspace(1e-9, self.centre + 30.0 * self.width, 200001)
        return float(np.max(r * self.derivative(r) / self.value(r)))


RateLaw = PowerLaw | TanhStep
