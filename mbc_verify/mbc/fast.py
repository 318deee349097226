"""Fast engine of the MBC process (docs/spec.md §5.4, eqs. (53)–(56)): O(N) work per time step Δt, any γ ∈ [-3, 1],
Coulomb included.

The step is the matched-pair step of :mod:`mbc_verify.mbc.matching` with the MBC pair law: in each step of a
uniformly random perfect matching, pair p makes K_p ~ Poisson(μ_p) jumps, μ_p = τ (2/N) λ_h(|u_p|) / π_N with |u|
frozen at its value at the start of the step (|u| is invariant under the pair's own jumps, and the pair's
particles meet nobody else in this step); K_p and the composed rotation are drawn from their exact law
(:mod:`mbc_verify.mbc.compound`: certified tables, Kolmogorov error ≤ 10⁻¹²) and applied as ONE rotation. Particle i's
expected number of jumps per step is Σ_{j≠i} τ R_h(u_ij), its MBC total rate
times τ. For N = 2 the matching is the pair itself, μ = τ λ_h, and since |u| is constant the engine is exact
(K over the steps adds up to Poisson(λ_h t)). For N > 2 the one-partner-per-step constraint gives a bias at fixed
t (first-order splitting: the O(τ²) term of one step is E_match[(Σ_p μ_p(K_p − I))²]/2, not τ² L²/2): O(Δt) for
γ ≥ −5/2 and O(Δt^{2/3}) at γ = −3 (close pairs, see :data:`DEFAULT_DT`); it is measured against the exact engine
in ``tests/test_mbc_fast.py`` and ``benchmarks/fast_bias.py``, and for γ = 0 it is known in closed form (the test
of the traceless second moment).

Coulomb stability: the pair rate is capped at r^γ ≤ 1e250 (:mod:`mbc_verify.mbc.rates`), the Poisson sampler is
O(1) and finite for every mean (:mod:`mbc_verify.mbc.poisson`), and a pair whose K reaches the uniform threshold
is re-randomised uniformly on its sphere (exact to float64 resolution, :mod:`mbc_verify.mbc.composite`).
Cost per pair and step: one Poisson draw (table-driven, :mod:`mbc_verify.mbc.poisson_table`), and for K ≥ 1 the
composed angle (K − 1 scalar steps below the tables' first K, one or two table draws above,
:mod:`mbc_verify.mbc.compound`), an azimuth (:func:`mbc_verify.mbc.trig.turn`) and one rotation; the velocities of
the pair 16 places ahead are prefetched (:mod:`mbc_verify.mbc.matching`). Measured against Takizuka–Abe in
``benchmarks/fast_vs_ta.py``.
"""

from __future__ import annotations

from ..mutants import JUMP_ANGLE, NO_DEFECT, Defect
from .compound_build import build_tables
from .matching import OP_MBC, PairLaw

DEFAULT_DT = 1e-3
"""Default Δt of the fast engine, for every γ and h (docs/spec.md time units, energy 3).

The Δt bias is a property of the one-partner-per-step splitting, set by the physical relaxation time
(λ_h (1 − m_ℓ) → r^γ ℓ(ℓ+1) does not depend on h), not by h. At γ = 0 it is known in closed form (test of the
traceless second moment): the traceless rate is off by a relative ≈ 3Δt (N large), 0.3 % at Δt = 1e-3.
Measured against the exact engine (``benchmarks/fast_bias.py``: N = 64, h = 0.3, T∥(t) from
``bimaxwellian:2,0.5``, 20000 paired replicas; fitted order with 95 % interval; ``benchmarks/results/fast_bias_*``,
commit 91e85c5):

- γ = 0 (t = 0.3):  bias ≈ 0.95 Δt,   order 0.93 [0.86, 0.99] (0.98 [0.91, 1.04] on the previous sampler's stream);
- γ = −2 (t = 1):   bias ≈ 0.15 Δt,   order 0.94 [0.84, 1.04];
- γ = −3 (t = 1):   bias ≈ 0.05 Δt^{2/3}, order 0.64 [0.56, 0.73].

The Coulomb order 2/3 is expected: a pair with |u| = r moves T∥ by O(r²) per unit angle and its splitting error
per step is O(min((τ r^γ)², τ r^γ)); integrating against r² dr gives Δt^{min(1, (γ+5)/(−γ))}, i.e. order 1 for
γ ≥ −5/2 and 2/3 at γ = −3. At Δt = 1e-3 the bias is ≈ 1e-3 (γ = 0), 2e-4 (γ = −2), 4e-4 (γ = −3) in T∥:
below the Monte Carlo error of the default ensemble sizes (se ≈ 0.01 for 600 replicas of N = 64).
"""


def fast_law(gamma: float, h: float, kernel: int, defect: Defect = NO_DEFECT) -> PairLaw:
    """The MBC :class:`~mbc_verify.mbc.matching.PairLaw`: the certified compound-jump tables of (kernel, h)
    (:func:`mbc_verify.mbc.compound_build.build_tables`, built once and cached in this process); under the
    ``JUMP_ANGLE`` defect the tables of the angle h(1 + ε) with the rate of h."""
    angle = h * (1.0 + defect.amp) if defect.code == JUMP_ANGLE else h
    return PairLaw(OP_MBC, gamma, h, kernel, build_tables(kernel, angle).tab)
