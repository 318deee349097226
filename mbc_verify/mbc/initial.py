"""Particle initial data (docs/spec.md §8): N velocities drawn from a named density, then normalised.

Laws (names parsed by :func:`mbc_verify.initial.parse_init`):

- ``maxwellian``: v ~ N(0, I).
- ``bimaxwellian:TPAR,TPERP``: v ~ N(0, diag(T⊥, T⊥, T∥)) (the parallel axis is z).
- ``bkw:K0``: the BKW density f = (2πK)^{-3/2} e^{-|v|²/(2K)} (A + B |v|²/K) at K = K0, sampled exactly as the
  mixture it is: with probability A, v ~ N(0, K I); with probability 3B, v = √K ρ ω with ω uniform on the unit
  sphere and ρ ~ χ₅ (density ∝ ρ⁴ e^{-ρ²/2}, because (|v|²/K) e^{-|v|²/(2K)} r² dr ∝ ρ⁴ e^{-ρ²/2} dρ and the
  normalisation ∫ (|v|²/K) N(0, K I) = 3). Mass 1 gives A + 3B = 1. A(K), B(K) and the positivity range
  [K_min, K_max] are read from :mod:`mbc_verify.derived` (keys ``bkw.A``, ``bkw.B``, ``bkw.K_min``,
  ``bkw.K_max``, derived in proofs_checks), never typed in here.
- ``shell``: all speeds equal: the directions come in antipodal pairs (ω, -ω) with ω uniform on the sphere (and,
  for odd N, one equilateral triangle in a uniformly random plane), randomly permuted; every particle's velocity
  is then uniform on the sphere and the momentum vanishes before normalisation.

Normalisation (docs/spec.md §8): v ← v - (1/N) Σ v_i, then v ← v · √(E / ((1/N) Σ |v_i|²)) with E = InitSpec.energy
(T∥ + 2T⊥ for ``bimaxwellian``, 3 otherwise). After it, momentum and energy equal 0 and E up to round-off.

``mixture`` is a density for the deterministic solvers: :func:`sample_initial` (and so ``simulate``) refuses it;
:func:`sample_mixture` draws it for the callers that pass initial states themselves (``run_states``): each velocity
i.i.d. from Σ_k w_k N(0, T_k I) (component k with probability w_k), then normalised as above.
Reproducible: the draws come from ``numpy.random.default_rng(seed)`` (PCG64), independent of the engines' streams.
"""

from __future__ import annotations

import math

import numpy as np

from ..initial import InitSpec, bkw_coefficients, parse_init
from ..validation import check_n_particles, check_seed

PARTICLE_INITS = ("maxwellian", "bimaxwellian", "bkw", "shell")


def check_particle_init(init: str | InitSpec, name: str = "init") -> InitSpec:
    """Parse ``init`` and refuse densities that have no particle sampler (``mixture``)."""
    spec = parse_init(init, name)
    if spec.name not in PARTICLE_INITS:
        raise ValueError(f"{name}: {spec.name!r} is for deterministic solvers only; particles accept "
                         f"{', '.join(PARTICLE_INITS)}")
    if spec.name == "bkw":
        bkw_coefficients(spec.params[0], f"{name} (K0)")
    return spec


def _unit_vectors(rng: np.random.Generator, n: int) -> np.ndarray:
    g = rng.standard_normal((n, 3))
    return g / np.linalg.norm(g, axis=1)[:, None]


def draw(spec: InitSpec, n: int, rng: np.random.Generator) -> np.ndarray:
    """N velocities drawn from the law of ``spec`` (module docstring), before normalisation."""
    if spec.name == "maxwellian":
        return rng.standard_normal((n, 3))
    if spec.name == "bimaxwellian":
        tpar, tperp = spec.params
        return rng.standard_normal((n, 3)) * np.sqrt([tperp, tperp, tpar])
    if spec.name == "bkw":
        k = spec.params[0]
        a, _ = bkw_coefficients(k)
        gauss = rng.random(n) < a
        v = math.sqrt(k) * rng.standard_normal((n, 3))
        m = int(np.count_nonzero(~gauss))
        rho = np.sqrt(rng.chisquare(5, m))
        v[~gauss] = math.sqrt(k) * rho[:, None] * _unit_vectors(rng, m)
        return v
    if spec.name == "shell":
        half = n // 2 - (1 if n % 2 else 0)
        om = _unit_vectors(rng, half)
        parts = [om, -om]
        if n % 2:
            e = _unit_vectors(rng, 2)
            e1 = e[0]
            e2 = e[1] - (e[1] @ e1) * e1
            e2 /= np.linalg.norm(e2)
            ang = 2.0 * np.pi * np.arange(3) / 3.0
            parts.append(np.cos(ang)[:, None] * e1 + np.sin(ang)[:, None] * e2)
        return math.sqrt(3.0) * rng.permutation(np.concatenate(parts))
    raise ValueError(f"init: no particle sampler for {spec.name!r}")


def normalise(v: np.ndarray, energy: float) -> np.ndarray:
    """v - mean, scaled so that (1/N) Σ |v_i|² = energy (docs/spec.md §8); returns a new C-contiguous array."""
    w = v - v.mean(axis=0)
    w *= math.sqrt(energy / np.mean(np.sum(w * w, axis=1)))
    return np.ascontiguousarray(w)


def sample_initial(init: str | InitSpec, n: int, seed: int) -> np.ndarray:
    """N × 3 initial velocities for ``init`` (docs/spec.md §8), zero momentum, energy InitSpec.energy; same seed, same
    v."""
    spec = check_particle_init(init)
    n = check_n_particles(n)
    seed = check_seed(seed)
    return normalise(draw(spec, n, np.random.default_rng(seed)), spec.energy)


def sample_mixture(init: str | InitSpec, n: int, seed: int) -> np.ndarray:
    """N × 3 velocities i.i.d. from the ``mixture`` density Σ_k w_k N(0, T_k I) (weights and temperatures as
    :attr:`mbc_verify.initial.InitSpec.mixture`), normalised to zero momentum and the nominal energy 3; same seed,
    same v. ``ValueError`` naming init for another datum."""
    spec = parse_init(init)
    if spec.name != "mixture":
        raise ValueError(f"init: sample_mixture draws a 'mixture', got {spec.name!r}")
    n = check_n_particles(n)
    rng = np.random.default_rng(check_seed(seed))
    weights, temps = (np.array(x) for x in zip(*spec.mixture, strict=True))
    label = np.minimum(np.searchsorted(np.cumsum(weights), rng.random(n), side="right"), weights.size - 1)
    return normalise(rng.standard_normal((n, 3)) * np.sqrt(temps[label])[:, None], spec.energy)
