"""The sympy derivations behind every constant in ``reference/derived.json`` (docs/spec.md §1–§4).

Modules: ``landau`` (the kernel a, b and the weak forms of docs/spec.md §1), ``moments`` (expectations of
polynomials under a density or a product density, by moment substitution), ``maxwell`` (γ = 0 moment
ODEs), ``bkw`` (the BKW solution), ``mbc`` (the MBC jump kernel, Funk–Hecke expansion, finite-h moment
generators), ``bimaxwellian`` (initial rates for any γ), ``hardy`` (the bound on E|v-w|^-2), ``identities``
(deciding identities that involve |z|^γ).
"""
