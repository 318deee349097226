"""Benchmarks of the MBC engines against the Monte Carlo collision methods users would otherwise pick (issue 9).

``benchmarks.baselines``: Takizuka–Abe, Nanbu and pairwise spherical-Brownian-motion collision steps in the
normalisation of SPEC §1–2; ``benchmarks.gate``: the CI performance gate (ratios measured in one run).
"""
