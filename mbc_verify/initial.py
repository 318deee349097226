"""Names of initial data (docs/spec.md §8): parsing and normalisation.

An initial-data name is ``NAME`` or ``NAME:ARG1,ARG2,…``:

- ``maxwellian``                 centred Maxwellian, energy 3 (temperature 1);
- ``bimaxwellian:TPAR,TPERP``    N(0, diag(TPERP, TPERP, TPAR)), energy TPAR + 2 TPERP (the parallel axis is z);
- ``bkw:K0``                     the BKW density (docs/spec.md §4) at K = K0, energy 3;
- ``shell``                      all speeds equal (uniform on the sphere |v| = √3), energy 3;
- ``mixture:W1,T1,W2,T2,…``      Σ_k w_k N(0, T_k I) with w_k = W_k / Σ W, temperatures rescaled by one common
                                 factor so that the energy is 3 (deterministic solvers only).

"Energy" is (1/N) Σ |v_i|² for particles and ∫|v|² f for densities (mass 1). Every initial state is shifted to
zero momentum and scaled so that its energy equals :attr:`InitSpec.energy` exactly.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache

from .validation import ArgumentError, check_positive

SPREAD_MAX = 1e100
"""Largest ratio between the weights, or between the temperatures, of a ``mixture`` (beyond it the rescaled
temperatures leave the float64 range)."""

NAMES = ("maxwellian", "bimaxwellian", "bkw", "shell", "mixture")
_ARITY = {"maxwellian": 0, "bimaxwellian": 2, "bkw": 1, "shell": 0}


@dataclass(frozen=True)
class InitSpec:
    """A parsed initial-data name. ``params`` are the numbers after the colon, validated."""

    name: str
    params: tuple[float, ...] = ()

    @property
    def energy(self) -> float:
        """Nominal energy ∫|v|² f: T∥ + 2T⊥ for ``bimaxwellian``, 3 otherwise."""
        if self.name == "bimaxwellian":
            tpar, tperp = self.params
            return tpar + 2.0 * tperp
        return 3.0

    @property
    def isotropic(self) -> bool:
        """Whether the density is radially symmetric (accepted by isotropic solvers)."""
        return self.name != "bimaxwellian"

    @property
    def mixture(self) -> tuple[tuple[float, float], ...]:
        """For ``mixture``: pairs (w_k, T_k) with Σ w_k = 1 and Σ w_k 3 T_k = 3 (the rescaling of docs/spec.md §8)."""
        if self.name != "mixture":
            raise ArgumentError("init", f"init: {self.name!r} is not a mixture")
        # scaled first by a power of two (exact: the same rounding as unscaled), so that no sum overflows
        ws = [math.ldexp(x, -math.frexp(max(self.params[0::2]))[1]) for x in self.params[0::2]]
        ts = [math.ldexp(x, -math.frexp(max(self.params[1::2]))[1]) for x in self.params[1::2]]
        wsum = sum(ws)
        w = [x / wsum for x in ws]
        scale = 1.0 / sum(wk * tk for wk, tk in zip(w, ts, strict=True))
        return tuple((wk, tk * scale) for wk, tk in zip(w, ts, strict=True))

    def __str__(self) -> str:
        if not self.params:
            return self.name
        return self.name + ":" + ",".join(repr(p) for p in self.params)


def parse_init(spec: str | InitSpec, name: str = "init") -> InitSpec:
    """Parse ``NAME[:ARGS]`` into an :class:`InitSpec`; raise ArgumentError naming ``init`` on bad input.

    ``bkw:K0`` needs K0 in the positivity range [3/5, 1] derived in proofs_checks (docs/spec.md §4); that range is
    checked where the BKW coefficients are used, here only K0 > 0.
    """
    if isinstance(spec, InitSpec):
        return spec
    if not isinstance(spec, str) or not spec.strip():
        raise ArgumentError(name, f"{name}: must be a string NAME[:ARGS] with NAME one of {', '.join(NAMES)}, "
                                  f"got {spec!r}")
    head, _, tail = spec.strip().partition(":")
    head = head.strip().lower()
    if head not in NAMES:
        raise ArgumentError(name, f"{name}: unknown initial data {head!r}; known: {', '.join(NAMES)}")
    args = _numbers(name, head, tail)
    if head == "mixture":
        _check_mixture(name, args)
    else:
        _check_arity(name, head, args)
    out = InitSpec(head, tuple(args))
    if not math.isfinite(out.energy):
        raise ArgumentError(name, f"{name}: the energy of {str(out)!r} overflows float64")
    return out


def _numbers(name: str, head: str, tail: str) -> list[float]:
    """The comma-separated numbers after the colon."""
    if not tail.strip():
        return []
    args = []
    for k, tok in enumerate(tail.split(",")):
        try:
            args.append(float(tok))
        except ValueError:
            raise ArgumentError(name, f"{name}: argument {k + 1} of {head!r} is not a number: {tok!r}") from None
    return args


def _check_mixture(name: str, args: list[float]) -> None:
    """Pairs (W_k, T_k) > 0, finite, the weights and the temperatures each within :data:`SPREAD_MAX`."""
    if len(args) < 2 or len(args) % 2:
        raise ArgumentError(name, f"{name}: mixture needs pairs W1,T1[,W2,T2,...], got {len(args)} numbers")
    for k in range(0, len(args), 2):
        check_positive(f"{name} (mixture weight W{k // 2 + 1})", args[k])
        check_positive(f"{name} (mixture temperature T{k // 2 + 1})", args[k + 1])
    for label, xs in (("weights", args[0::2]), ("temperatures", args[1::2])):
        if max(xs) > SPREAD_MAX * min(xs):
            raise ArgumentError(name, f"{name}: the mixture {label} must lie within a factor {SPREAD_MAX:g} of "
                                      f"each other, got {xs}")


def _check_arity(name: str, head: str, args: list[float]) -> None:
    """The number of arguments of ``head`` and their positivity."""
    want = _ARITY[head]
    if len(args) != want:
        form = {"bimaxwellian": "bimaxwellian:TPAR,TPERP", "bkw": "bkw:K0"}.get(head, head)
        raise ArgumentError(name, f"{name}: {head!r} takes {want} argument(s) ({form}), got {len(args)}")
    labels = {"bimaxwellian": ("TPAR", "TPERP"), "bkw": ("K0",)}.get(head, ())
    for lab, x in zip(labels, args, strict=True):
        check_positive(f"{name} ({lab})", x)


@cache
def _bkw_functions() -> tuple:
    """A(K), B(K) and the positivity range [K_min, K_max] from the sympy derivations (docs/spec.md §4)."""
    from . import derived  # lazily: sympy is needed only when BKW data are used

    return (derived.function("bkw.A", "K"), derived.function("bkw.B", "K"),
            derived.number("bkw.K_min"), derived.number("bkw.K_max"))


def bkw_coefficients(k: float, name: str = "K") -> tuple[float, float]:
    """(A(K), B(K)) of the BKW density f = (2πK)^{-3/2} e^{-|v|²/(2K)} (A + B |v|²/K) (docs/spec.md §4), read
    from :mod:`mbc_verify.derived` (keys ``bkw.A``, ``bkw.B``); ArgumentError naming ``name`` outside the positivity
    range [K_min, K_max] (keys ``bkw.K_min``, ``bkw.K_max``)."""
    fa, fb, kmin, kmax = _bkw_functions()
    k = check_positive(name, k)
    if not kmin <= k <= kmax:
        raise ArgumentError(name, f"{name}: the BKW density is non-negative only for K in [{kmin:g}, {kmax:g}], "
                                  f"got {k!r}")
    return float(fa(k)), float(fb(k))
