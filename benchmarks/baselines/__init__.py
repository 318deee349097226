"""Baseline Monte Carlo collision methods in the normalisation of SPEC §1–2 (issue 9).

Takizuka–Abe (:mod:`.takizuka_abe`), Nanbu (:mod:`.nanbu`) and the pairwise spherical Brownian motion method of
Du–Li–Xie–Yu (:mod:`.spherical_bm`), all driven by one kernel (:mod:`.pairwise`) with the fast MBC engine's
random perfect matching, counter-based random numbers and observables.
"""

from __future__ import annotations

from .api import METHODS, simulate_baseline
from .pairwise import METHOD_CODES, advance_pairwise, pairing_factor

__all__ = ["METHODS", "METHOD_CODES", "advance_pairwise", "pairing_factor", "simulate_baseline"]
