"""Registry of planted defects ("mutants") used to show that each certified check can fail.

A mutant is switched on through an explicit ``mutant=NAME`` argument of an engine or solver, never through
global state. Each component translates the name into a small integer code with :func:`mutant_code`; code 0
means "no defect for this component" (no mutant, or a mutant that targets another component), so numba kernels
receive a plain ``int`` and branch on it.

``mbc-verify mutants`` lists this registry; ``mbc-verify certify --mutant NAME`` runs the campaign with it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Mutant:
    """A named planted defect in one component (``target``), with its kernel code (> 0)."""

    name: str
    target: str
    code: int
    description: str


_MUTANTS = (
    Mutant("one_sided_rotation", "mbc", 1,
           "a jump moves only v_i (v_i' = v_i + u' - u, v_j unchanged): breaks momentum and energy conservation"),
    Mutant("biased_azimuth", "mbc", 2,
           "the azimuth of the rotation axis is drawn as 2π U² instead of 2π U: the kernel is not isotropic"),
    Mutant("rate_without_gamma", "mbc", 3,
           "the pair jump rate omits the |u|^γ factor (λ_h = 4 / h²)"),
    Mutant("rate_doubled", "mbc", 4,
           "the pair jump rate is off by a factor 2 (λ_h = 8 |u|^γ / h²)"),
    Mutant("frozen_partners", "mbc", 6,
           "every particle always collides with the same partner (the fast engine's matching is never reshuffled; "
           "the exact engine replaces the drawn partner of i by i ^ 1): no mean-field mixing, chaos is not propagated"),
    Mutant("textbook_rotation", "mbc", 7,
           "the rotation is computed by its formula cos h·u + sin h·|u|·n, which in float64 scales |u|² by the fixed "
           "cos²h + sin²h ≠ 1: a systematic energy drift of about an ulp per jump (the kernel uses an exact "
           "Householder isometry instead)"),
    Mutant("solver_without_half", "isotropic", 1,
           "the isotropic Landau solver drops the ½ of SPEC §1 (collision operator doubled)"),
    Mutant("entropy_sign", "isotropic", 2,
           "the isotropic solver's flux has the sign of its entropic (friction) part flipped"),
    Mutant("blob_without_half", "blob", 1,
           "the blob solver drops the ½ of SPEC §1 (velocity field doubled)"),
)

MUTANTS: dict[str, Mutant] = {m.name: m for m in _MUTANTS}
TARGETS = ("mbc", "isotropic", "blob", "maxwell")


def check_mutant(mutant: str | None, name: str = "mutant") -> str | None:
    """``None`` or a registered mutant name; ``ValueError`` naming the parameter otherwise."""
    if mutant is None:
        return None
    if not isinstance(mutant, str) or mutant not in MUTANTS:
        raise ValueError(f"{name}: unknown mutant {mutant!r}; known: {', '.join(MUTANTS)}")
    return mutant


def mutant_code(mutant: str | None, target: str) -> int:
    """Kernel code of ``mutant`` for component ``target``: 0 when it is None or targets another component."""
    if target not in TARGETS:
        raise ValueError(f"target: must be one of {', '.join(TARGETS)}, got {target!r}")
    m = check_mutant(mutant)
    if m is None:
        return 0
    mut = MUTANTS[m]
    return mut.code if mut.target == target else 0
