"""One validated run description for every particle run: simulate, the ensembles, the claims, the baselines, the gate.

:meth:`RunSpec.build` checks every bound once, before any work, and raises
:class:`~mbc_verify.validation.ArgumentError` naming the API argument (the CLI turns it into the flag the user
typed): γ ∈ [−3, 1]; for the MBC engines 0 < h < π, inside the range where the fast engine's certified tables fit
in memory (:func:`mbc_verify.mbc.compound_build.practical`);
N ≥ 2 and small enough for the available memory; t_end > 0; Δt > 0 with t_end/Δt within the step counter;
the number of snapshots within memory; the seed; the kernel, the engine and the planted defect; initial data
whose state is finite in float64. A run whose result is not finite raises :class:`NonFiniteResult` (the CLI exits
with status 1 and one line), never returns it.

Engines: ``exact`` and ``fast`` (the MBC process, docs/spec.md §3, §5.3–§5.4; ``h`` required) and the baselines
``takizuka_abe``, ``nanbu``, ``spherical_bm`` (``h`` must be None; they have no grazing parameter).
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from .initial import InitSpec
from .mbc.angles import KERNELS
from .mbc.fast import DEFAULT_DT
from .mbc.matching import OPERATORS
from .mutants import check_mutant, defect
from .validation import (
    ArgumentError,
    check_choice,
    check_gamma,
    check_grazing,
    check_int,
    check_n_particles,
    check_positive,
    check_seed,
    check_velocities,
)

MBC_ENGINES = ("exact", "fast")
BASELINES = tuple(name for name in OPERATORS if name != "fast")
ENGINES = MBC_ENGINES + BASELINES
EXACT_MAX_N = 4096
"""Largest N for the exact engine (its N × N rate matrix then takes 128 MiB per thread)."""
MAX_STEPS = 2**53
"""Largest number of time steps of one run: t_end/Δt must stay an exact float64 integer."""
MAX_SNAPSHOTS = 10**7
BYTES_PER_PARTICLE = 32
"""Velocities (24 bytes) and the matching state (8 bytes) of one particle."""


class NonFiniteResult(ArithmeticError):
    """A run produced NaN or infinity (the input overflows float64 somewhere): an error, never an output."""


def available_memory() -> int:
    """Bytes of memory available to this process (MemAvailable of /proc/meminfo, else free physical pages)."""
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")


def _gib(nbytes: float) -> str:
    return f"{nbytes / 2**30:.3g} GiB"


@dataclass(frozen=True)
class RunSpec:
    """A validated particle run (module docstring). ``init`` is the parsed name, or None when ``v0`` is given."""

    gamma: float
    n: int
    t_end: float
    engine: str
    h: float | None
    dt: float | None
    init: InitSpec | None
    v0: np.ndarray | None
    snapshots: int
    seed: int
    kernel: str
    mutant: str | None
    replicas: int = 1

    @classmethod
    def build(cls, *, gamma: float, n: int, t_end: float, engine: str = "fast", h: float | None = None,
              dt: float | None = None, init: Any = "maxwellian", snapshots: int = 11, seed: int = 0,
              kernel: str = "fixed", mutant: str | None = None, replicas: int = 1,
              record_bytes: int = 0) -> RunSpec:
        """Validate and build (module docstring). ``record_bytes``: memory the caller will keep per replica and
        snapshot (samples, states), included in the memory bound of ``snapshots``."""
        engine = check_choice("engine", engine, ENGINES)
        spec = cls(gamma=check_gamma(gamma), n=check_n_particles(n), t_end=check_positive("t_end", t_end),
                   engine=engine, h=_grazing(engine, h, kernel), dt=None, init=None, v0=None,
                   snapshots=check_int("snapshots", snapshots, 2, MAX_SNAPSHOTS), seed=check_seed(seed),
                   kernel=check_choice("kernel", kernel, tuple(KERNELS)), mutant=check_mutant(mutant),
                   replicas=check_int("replicas", replicas, 1))
        spec = replace(spec, dt=_time_step(engine, dt, spec.t_end))
        spec = replace(spec, **_initial(init, spec.n))
        spec.check_memory(record_bytes)
        return spec

    @property
    def kernel_code(self) -> int:
        """The numba code of the angle law."""
        return KERNELS[self.kernel]

    def defect(self, target: str = "mbc"):  # noqa: ANN201 — a mutants.Defect
        """The planted defect of this run for component ``target``."""
        return defect(self.mutant, target)

    @property
    def init_label(self) -> str:
        """The initial data as recorded: its canonical name, or ``"array"``."""
        return "array" if self.init is None else str(self.init)

    def check_memory(self, record_bytes: int = 0) -> None:
        """ArgumentError naming ``n`` or ``snapshots`` when the run would not fit in the available memory."""
        free = available_memory()
        if self.engine == "exact":
            if self.n > EXACT_MAX_N:
                raise ArgumentError("n", f"n: the exact engine keeps an N x N rate matrix; N must be <= "
                                         f"{EXACT_MAX_N}, got {self.n}")
            state = 8 * self.n * self.n * (os.cpu_count() or 1)
        else:
            state = BYTES_PER_PARTICLE * self.n * min(self.replicas, 256)
        if state > free // 2:
            raise ArgumentError("n", f"n: N = {self.n} needs about {_gib(state)} for the state, more than half of "
                                     f"the {_gib(free)} available")
        record = self.snapshots * (15 * 8 + record_bytes * self.replicas)
        if record > free // 2:
            raise ArgumentError("snapshots", f"snapshots: {self.snapshots} snapshots need about {_gib(record)}, "
                                             f"more than half of the {_gib(free)} available")


def _grazing(engine: str, h: float | None, kernel: str) -> float | None:
    """h for the MBC engines (required, in (0, π), tables within :data:`MAX_TABLE_TERMS`); None for baselines."""
    if engine in BASELINES:
        if h is not None:
            raise ArgumentError("h", f"h: the {engine} baseline has no grazing parameter, got {h!r}")
        return None
    if h is None:
        raise ArgumentError("h", f"h: the {engine} engine needs the grazing parameter h in (0, pi)")
    x = check_grazing(h)
    if engine == "fast":
        from .mbc.compound_build import check_practical

        check_practical(KERNELS.get(kernel, 0), x, "h")
    return x


def _time_step(engine: str, dt: float | None, t_end: float) -> float | None:
    """Δt of a time-stepped engine (default :data:`DEFAULT_DT`), with t_end/Δt ≤ :data:`MAX_STEPS`."""
    if engine == "exact":
        if dt is not None:
            raise ArgumentError("dt", f"dt: only time-stepped engines take a time step (engine='exact'), got {dt!r}")
        return None
    step = check_positive("dt", DEFAULT_DT if dt is None else dt)
    if not t_end / step <= MAX_STEPS:
        raise ArgumentError("dt", f"dt: t_end/dt = {t_end / step:.3g} steps exceeds the step counter's "
                                  f"{MAX_STEPS:.3g}, got {step!r}")
    return step


def _initial(init: Any, n: int) -> dict[str, Any]:
    """{"init": InitSpec or None, "v0": array or None}: a particle initial-data name, or N × 3 velocities."""
    from .mbc.initial import check_particle_init

    if isinstance(init, (str, InitSpec)):
        spec = check_particle_init(init)
        if not math.isfinite(n * spec.energy * 4.0):
            raise ArgumentError("init", f"init: {str(spec)!r} overflows float64 (energy {spec.energy:g} per "
                                        f"particle, N = {n})")
        return {"init": spec, "v0": None}
    v = check_velocities(init, "init").copy()
    if v.shape[0] != n:
        raise ArgumentError("init", f"init: an array of velocities must have n = {n} rows, got {v.shape[0]}")
    if not math.isfinite(float(np.sum(v * v)) * 4.0):
        raise ArgumentError("init", "init: the velocities overflow float64 (sum of |v|^2 is not finite)")
    return {"init": None, "v0": v}


def check_finite(name: str, value: Any, t: float) -> None:
    """Raise :class:`NonFiniteResult` when ``value`` (a number or array) is not finite at time ``t``."""
    if not np.all(np.isfinite(value)):
        raise NonFiniteResult(f"{name}: the run produced a non-finite value at t = {t:.6g} (the parameters or the "
                              "initial data overflow float64)")
