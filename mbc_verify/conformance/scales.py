"""Time scales that size the certificates' runs for any γ (docs/spec.md §4.3, eq. (46)).

Near isotropy the anisotropy T∥ − T⊥ of the Landau equation decays at 3 ν_iso(γ), with
ν_iso(γ) = (16/15) 2^γ Γ((γ + 7)/2) / √π (eq. (46); ν_iso(0) = 2, ν_iso(−3) = 2/(15√π)). The certificates measure
times and time steps in units of t_rel(γ) = 1/(3 ν_iso(γ)) (1/6 at γ = 0, ≈ 4.43 at γ = −3), so that a run covers
the same part of the relaxation at every γ. These scales only size the runs; no tolerance depends on them.
"""

from __future__ import annotations

import math

from ..validation import check_gamma


def isotropization_rate(gamma: float) -> float:
    """ν_iso(γ) of eq. (46)."""
    g = check_gamma(gamma)
    return 16.0 / 15.0 * 2.0**g * math.gamma((g + 7.0) / 2.0) / math.sqrt(math.pi)


def relaxation_time(gamma: float) -> float:
    """t_rel(γ) = 1/(3 ν_iso(γ)) (module docstring)."""
    return 1.0 / (3.0 * isotropization_rate(gamma))
