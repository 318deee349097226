"""Planted defects ("mutants"): the kernels' defect codes, and the named defects that show each check can fail.

A defect is switched on through an explicit ``mutant=NAME`` argument of an engine or solver, never through global
state. Each component translates the name into its integer code with :func:`mutant_code` and its amplitude ε with
:func:`mutant_amplitude`; code :data:`NONE` (0) means "no defect for this component" (no mutant, or one that
targets another component), so numba kernels receive a plain ``int`` and a ``float`` and branch on them. The codes
are the named constants below, imported by the kernels (numba freezes them at compile time: after changing one,
clear the ``__pycache__/*.nb[ic]`` caches).

``mbc-verify mutants`` lists :data:`MUTANTS` and the :data:`FAMILIES` of defects with an amplitude ε (ε = 0: no
defect; named ``FAMILY:EPS``, e.g. ``rate_constant:0.01``); ``mbc-verify certify --mutant NAME`` runs the campaign
with one, ``mbc-verify power`` finds the smallest ε each claim catches.
"""

from __future__ import annotations

import math
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
MATCHING_FACTOR = 8
"""The fast engine's matched-pair mean μ_p = τ R_h/π_N is multiplied by 1 + ε (a defect in the engine's use of the
rate: the combinatorial factor N vs N − 1 is ε = 1/(N − 1)); the rate formula itself is intact."""
JUMP_ANGLE = 9
"""A jump rotates by h(1 + ε) while the rate keeps λ_h = 4|u|^γ/h²."""
ENERGY_LEAK = 10
"""Each jump scales the new relative velocity by 1 + ε: the pair's relative energy leaks by ≈ 2ε per jump."""
SAMPLER_BIAS = 11
"""The fast engine's composed angle Θ of a pair's jumps in a step is returned as Θ(1 + ε) (a biased sampler)."""
PAIR_SELECTION = 12
"""The exact engine draws the partner j of i with the uniform U^(1+ε) instead of U (a biased pair selection)."""
INIT_SCALE = 13
"""The particle initial data are normalised to the energy (1 + ε) E instead of E."""
OBSERVABLE_SCALE = 14
"""The recorded second moment M and fourth moment m4 of a particle run are multiplied by 1 + ε."""

# --- component "isotropic" (the conservative entropic isotropic solver) -------------------------------------
SOLVER_CONSTANT = 1
"""The collision operator is multiplied by 1 + ε (ε = 1: the ½ of docs/spec.md eq. (1) dropped)."""
FRICTION_SIGN = 2
"""The friction (entropic) part of the flux is multiplied by 1 − 2ε (ε = 1: its sign flipped)."""

# --- component "blob" (the blob particle solver) ------------------------------------------------------------
BLOB_CONSTANT = 1
"""The velocity field is multiplied by 1 + ε (ε = 1: the ½ of docs/spec.md eq. (1) dropped)."""

# --- component "maxwell" (the exact Maxwell-molecule dynamics) -----------------------------------------------
MAXWELL_RATES = 1
"""The derived rates α, β of dM/dt = α tr(M) I + β M (and the fourth-moment ODE) are multiplied by 1 + ε."""

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


@dataclass(frozen=True)
class Family:
    """A family of planted defects of amplitude ε (ε = 0: no defect), named on the command line as ``NAME:EPS``.

    ``eps_max`` and ``eps_min`` bound the amplitudes ``mbc-verify power`` searches: from a defect every claim
    should catch down to one below what any estimator of the suite could resolve. ``rate_exponent`` stops at
    ε = 0.25: at γ = −3 any ε > 0 gives E|u|^(γ(1+ε)) = ∞ in three dimensions, and a pair keeps its |u| when it
    jumps, so an exact-engine run to a fixed time pays for a cascade of close-pair jumps that grows steeply with ε
    (at ε = 1, |u|⁻⁶, a quick-profile C2 unit was stopped after more than five minutes; it takes under a second
    without the defect).
    """

    name: str
    target: str
    code: int
    description: str
    eps_max: float = 1.0
    eps_min: float = 1e-5


_FAMILIES = (
    Family("rate_constant", "mbc", RATE_CONSTANT, "the jump-rate constant: λ_h (1 + ε)"),
    Family("rate_exponent", "mbc", RATE_EXPONENT, "the |u|^γ exponent: |u|^(γ(1+ε))", eps_max=0.25),
    Family("matching_factor", "mbc", MATCHING_FACTOR, "the fast engine's matched-pair mean: μ_p (1 + ε)"),
    Family("jump_angle", "mbc", JUMP_ANGLE, "the rotation angle h(1 + ε) at an unchanged rate", eps_max=0.5),
    Family("azimuth_bias", "mbc", AZIMUTH_BIAS, "the azimuth law: φ = 2π U^(1+ε)"),
    Family("energy_leak", "mbc", ENERGY_LEAK, "a per-jump energy leak: u' (1 + ε)", eps_max=1e-3,
           eps_min=2.0**-52),
    Family("sampler_bias", "mbc", SAMPLER_BIAS, "the fast engine's composed-angle sampler: Θ (1 + ε)"),
    Family("pair_selection", "mbc", PAIR_SELECTION, "the exact engine's partner choice: U^(1+ε)"),
    Family("init_scale", "mbc", INIT_SCALE, "the initial-data normalisation: energy E (1 + ε)"),
    Family("observable_scale", "mbc", OBSERVABLE_SCALE, "the recorded second and fourth moments: (1 + ε)",
           eps_min=1e-8),
    Family("isotropic_constant", "isotropic", SOLVER_CONSTANT, "the isotropic solver's constant: ½ (1 + ε)"),
    Family("entropic_flux", "isotropic", FRICTION_SIGN, "the isotropic solver's friction flux: (1 − 2ε)",
           eps_max=0.5),
    Family("blob_constant", "blob", BLOB_CONSTANT, "the blob solver's constant: ½ (1 + ε)"),
    Family("maxwell_rates", "maxwell", MAXWELL_RATES, "the exact Maxwell-molecule rates: α, β (1 + ε)",
           eps_min=1e-8),
    Family("axisymmetric_constant", "axisymmetric", AXISYMMETRIC_CONSTANT,
           "the axisymmetric solver's constant: ½ (1 + ε)"),
    Family("axisymmetric_friction", "axisymmetric", AXISYMMETRIC_FRICTION_SIGN,
           "the axisymmetric solver's friction term: B f (1 − 2ε)", eps_max=0.5),
)

FAMILIES: dict[str, Family] = {f.name: f for f in _FAMILIES}


def family_of(mutant: Mutant) -> str | None:
    """The family member ``FAMILY:EPS`` a registered mutant is (None for the structural ones: one-sided rotation,
    frozen partners, textbook rotation)."""
    for fam in FAMILIES.values():
        if (fam.target, fam.code) == (mutant.target, mutant.code):
            return family_mutant(fam.name, mutant.amplitude)
    return None


def family_mutant(family: str, amplitude: float) -> str:
    """The mutant name ``FAMILY:EPS`` of a family member (``repr`` of the amplitude: exact round trip)."""
    return f"{family}:{float(amplitude)!r}"


def resolve(mutant: str | None, name: str = "mutant") -> Mutant | None:
    """The :class:`Mutant` of a registered name or of a family member ``FAMILY:EPS``; ArgumentError otherwise."""
    from .validation import ArgumentError

    if mutant is None:
        return None
    if isinstance(mutant, str) and mutant in MUTANTS:
        return MUTANTS[mutant]
    head, sep, tail = mutant.partition(":") if isinstance(mutant, str) else ("", "", "")
    if sep and head in FAMILIES:
        try:
            eps = float(tail)
        except ValueError:
            eps = math.nan
        if not math.isfinite(eps):
            raise ArgumentError(name, f"{name}: the amplitude of {head!r} must be a finite number, got {tail!r}")
        fam = FAMILIES[head]
        return Mutant(mutant, fam.target, fam.code, eps, f"{fam.description}, ε = {eps:g}")
    raise ArgumentError(name, f"{name}: unknown mutant {mutant!r}; known: {', '.join(MUTANTS)}, or FAMILY:EPS with "
                              f"FAMILY one of {', '.join(FAMILIES)}")


def check_mutant(mutant: str | None, name: str = "mutant") -> str | None:
    """``None``, a registered mutant name or a family member ``FAMILY:EPS``; ArgumentError naming the parameter
    otherwise."""
    resolve(mutant, name)
    return mutant


def _for(mutant: str | None, target: str) -> Mutant | None:
    if target not in TARGETS:
        raise ValueError(f"target: must be one of {', '.join(TARGETS)}, got {target!r}")
    m = resolve(mutant)
    return m if m is not None and m.target == target else None


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
