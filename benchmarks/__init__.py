"""Timing code: benchmarks of the MBC engines against the Monte Carlo collision methods users would otherwise pick.

The baselines themselves are a library (:mod:`mbc_verify.baselines`); here: pytest-benchmark suites, studies and
``benchmarks.gate``, the CI performance gate (speed ratios measured in one run).
"""
