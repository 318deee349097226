"""Symbolic (sympy) derivations of the Landau operator and MBC-process structure, with their checks.

``proofs_checks.derivations`` holds the derivations as functions; each ``test_<identity>.py`` module checks
one identity (a positive test and a negative control on a planted defect); ``proofs_checks.export``
regenerates ``reference/derived.json`` and ``mbc_verify/data/derived.json`` (docs/spec.md §4).
"""
