"""Planted defects ("mutants"): the kernels' defect codes, and the named defects that show each check can fail.

A defect is switched on through an explicit ``mutant=NAME`` argument of an engine or solver, never through global
state. Each component translates the name into its integer code with :func:`mutant_code` and its amplitude ε with
:func:`mutant_amplitude`; code :data:`NONE` (0) means "no defect for this component" (no mutant, or one that
targets another component), so numba kernels receive a plain ``int`` and a ``float`` and branch on them. The codes
are the named constants below, imported by the kernels (numba freezes them at compile time: after changing one,
clear the ``__pycache__/*.nb[ic]`` caches).

``mbc-verify mutants`` lists :data:`MUTANTS`; ``mbc-verify certify --mutant NAME`` runs the campaign with one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

NONE = 0
"""No defect."""

# --- component "mbc" (the jump kernel, the rates and the engines) -------------------------------------------
ONE_SIDED_ROTATION = 1
"""A jump moves only v_i: v_i' = v_i + u' − u, v_j unchanged (momentum and energy not conserved)."""
AZIMUTH_BIAS = 2
"""The azimuth of the rotation axis is φ = 2π U^(1+ε) instead of 2π U (anisotropic kernel)."""
RATE_EXPONENT = 3
"""The pair rate uses |u|^(γ(1+ε)) instead of |u|^γ (ε = −1: no |u|^γ factor at all)."""
RATE_CONSTANT = 4
"""The pair rate is multiplied by 1 + ε."""
FROZEN_PARTNERS = 6
"""Every particle always collides with the same partner (no mean-field mixing)."""
TEXTBOOK_ROTATION = 7
"""The rotation computed by its formula cos h·u + sin h·|u|·n, which in float64 scales |u|² by cos²h + sin²h ≠ 1."""

# --- component "isotropic" (the conservative entropic isotropic solver) -------------------------------------
SOLVER_CONSTANT = 1
"""The collision operator is multiplied by 1 + ε (ε = 1: the ½ of docs/spec.md eq. (1) dropped)."""
FRICTION_SIGN = 2
"""The friction (entropic) part of the flux is multiplied by 1 − 2ε (ε = 1: its sign flipped)."""

# --- component "blob" (the blob particle solver) ------------------------------------------------------------
BLOB_CONSTANT = 1
"""The velocity field is multiplied by 1 + ε (ε = 1: the ½ of docs/spec.md eq. (1) dropped)."""

# --- component "axisymmetric" (the axisymmetric spectral Landau solver) -------------------------------------
AXISYMMETRIC_CONSTANT = 1
"""The operator ½ ∇·(A∇f − Bf) is multiplied by 1 + ε (ε = 1: the ½ of docs/spec.md eq. (1) dropped)."""
AXISYMMETRIC_FRICTION_SIGN = 2
"""The friction term B f of the flux A∇f − B f is multiplied by 1 − 2ε (ε = 1: its sign flipped)."""


class Defect(NamedTuple):
    """What a numba kernel receives: the defect code of its component (:data:`NONE`: none) and the amplitude ε."""

    code: int
    amp: float


NO_DEFECT = Defect(NONE, 0.0)
"""The correct kernel."""

TARGETS = ("mbc", "isotropic", "blob", "maxwell", "axisymmetric")
"""The components a claim can use (``uses``) and a defect can target."""


@dataclass(frozen=True)
class Mutant:
    """A named planted defect: the component it targets, its kernel code (> 0), amplitude ε and description."""

    name: str
    target: str
    code: int
    amplitude: float
    description: str


_MUTANTS = (
    Mutant("one_sided_rotation", "mbc", ONE_SIDED_ROTATION, 0.0,
           "a jump moves only v_i (v_i' = v_i + u' - u, v_j unchanged): breaks momentum and energy conservation"),
    Mutant("biased_azimuth", "mbc", AZIMUTH_BIAS, 1.0,
           "the azimuth of the rotation axis is drawn as 2π U² instead of 2π U: the kernel is not isotropic"),
    Mutant("rate_without_gamma", "mbc", RATE_EXPONENT, -1.0,
           "the pair jump rate omits the |u|^γ factor (λ_h = 4 / h²)"),
    Mutant("rate_doubled", "mbc", RATE_CONSTANT, 1.0,
           "the pair jump rate is off by a factor 2 (λ_h = 8 |u|^γ / h²)"),
    Mutant("frozen_partners", "mbc", FROZEN_PARTNERS, 0.0,
           "every particle always collides with the same partner (the fast engine's matching is never reshuffled; "
           "the exact engine replaces the drawn partner of i by i ^ 1): no mean-field mixing, chaos is not propagated"),
    Mutant("textbook_rotation", "mbc", TEXTBOOK_ROTATION, 0.0,
           "the rotation is computed by its formula cos h·u + sin h·|u|·n, which in float64 scales |u|² by the fixed "
           "cos²h + sin²h ≠ 1: a systematic energy drift of about an ulp per jump (the kernel uses an exact "
           "Householder isometry instead)"),
    Mutant("solver_without_half", "isotropic", SOLVER_CONSTANT, 1.0,
           "the isotropic Landau solver drops the ½ of docs/spec.md eq. (1) (collision operator doubled)"),
    Mutant("entropy_sign", "isotropic", FRICTION_SIGN, 1.0,
           "the isotropic solver's flux has the sign of its entropic (friction) part flipped"),
    Mutant("blob_without_half", "blob", BLOB_CONSTANT, 1.0,
           "the blob solver drops the ½ of docs/spec.md eq. (1) (velocity field doubled)"),
    Mutant("axisymmetric_without_half", "axisymmetric", AXISYMMETRIC_CONSTANT, 1.0,
           "the axisymmetric Landau solver drops the ½ of docs/spec.md eq. (1) (collision operator doubled)"),
    Mutant("axisymmetric_friction_sign", "axisymmetric", AXISYMMETRIC_FRICTION_SIGN, 1.0,
           "the axisymmetric solver's flux A∇f − B f has the sign of its friction part B f flipped (the momentum "
           "and energy correction still applies)"),
)

MUTANTS: dict[str, Mutant] = {m.name: m for m in _MUTANTS}


def check_mutant(mutant: str | None, name: str = "mutant") -> str | None:
    """``None`` or a registered mutant name; ArgumentError naming the parameter otherwise."""
    from .validation import ArgumentError

    if mutant is None:
        return None
    if not isinstance(mutant, str) or mutant not in MUTANTS:
        raise ArgumentError(name, f"{name}: unknown mutant {mutant!r}; known: {', '.join(MUTANTS)}")
    return mutant


def _for(mutant: str | None, target: str) -> Mutant | None:
    if target not in TARGETS:
        raise ValueError(f"target: must be one of {', '.join(TARGETS)}, got {target!r}")
    m = check_mutant(mutant)
    return MUTANTS[m] if m is not None and MUTANTS[m].target == target else None


def mutant_code(mutant: str | None, target: str) -> int:
    """Kernel code of ``mutant`` for component ``target``: :data:`NONE` when it is None or targets another one."""
    m = _for(mutant, target)
    return NONE if m is None else m.code


def mutant_amplitude(mutant: str | None, target: str) -> float:
    """Amplitude ε of ``mutant`` for component ``target`` (0 when it does not act on that component)."""
    m = _for(mutant, target)
    return 0.0 if m is None else m.amplitude


def defect(mutant: str | None, target: str) -> Defect:
    """The :class:`Defect` that ``mutant`` plants in component ``target`` (:data:`NO_DEFECT` when none)."""
    m = _for(mutant, target)
    return NO_DEFECT if m is None else Defect(m.code, m.amplitude)
