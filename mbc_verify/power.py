"""Detection power (``mbc-verify power``): the smallest amplitude ε of each defect family that each claim catches.

A certificate is only as good as the smallest defect it catches. For every defect family of
:data:`mbc_verify.mutants.FAMILIES` and every claim whose computation uses the family's component (``uses``), the
claim is run under ``FAMILY:ε`` on the geometric grid

    ε_k = ε_max · 2^(−k/2),  k = 0, 1, …, K,   ε_K ≥ ε_min > ε_(K+1)

(the family's ``eps_max`` and ``eps_min``; neighbouring amplitudes differ by the factor √2), always at the same
master seed, so that every amplitude sees the same random numbers (common random numbers: the verdict changes
with ε and not with the noise). The search evaluates ε_max first (a pass there: not detected), then ε_min (a
fail there: detected at the floor), then bisects the indices between the largest failing and the smallest passing
amplitude until they are neighbours. ε* is the smallest failing amplitude found; the search assumes that a claim
that fails at ε fails at every larger ε (each evaluation is recorded, so a non-monotone claim is visible in
``power.json``). A failure is any verdict other than ``pass`` (a crash under a defect is caught too).

Before the search every claim runs once at ε = 0 (no defect) at the same seed: a claim that fails there has no
power to measure (a false alarm, reported, never searched). ``false_alarm_seeds = n`` runs the unmutated claims at
seeds 0, …, n − 1 as well and reports the number of failures (the 5σ design of the statistical checks predicts
about zero).

Every round of evaluations is one batch of units on the campaign's executors (in this process, or Dask), cached
under ``OUT/.cache/units``, so ``resume=True`` continues an interrupted search; on Ctrl-C the reports of the
evaluations finished so far are written and :class:`KeyboardInterrupt` propagates. Reports: ``power.json``,
``power.md`` (the table and the targets of :data:`TARGETS`) and ``power.png`` (ε* per family × claim on a log
colour scale) in ``OUT``; the claims' evidence of every evaluation under ``OUT/runs/<run id>/``.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .campaign import Job, certificate_of, execute, new_run_dir, validate
from .certificate import Certificate
from .claims import all_claims
from .claims.runner import plan
from .execution import Outcome, Unit, UnitCache, client_for
from .mutants import FAMILIES, family_mutant
from .outputs import check_output_dir
from .validation import ArgumentError, check_int

STEPS_PER_OCTAVE = 2
"""Grid points per factor 2 of ε (neighbours differ by √2)."""

RATE_LIKE = ("rate_constant", "rate_exponent", "matching_factor", "jump_angle")

TARGETS: dict[str, dict[str, float]] = {
    "quick": {**dict.fromkeys(RATE_LIKE, 0.01), "azimuth_bias": 0.02, "energy_leak": 1e-13,
              "isotropic_constant": 0.005, "blob_constant": 0.005},
    "full": {**dict.fromkeys(RATE_LIKE, 0.003), "azimuth_bias": 0.02, "energy_leak": 1e-13,
             "isotropic_constant": 0.005, "blob_constant": 0.005},
}
"""The largest acceptable ε* of a family, per profile: the best ε* over the claims that catch it in an engine or
solver run (not only in a formula); the energy leak must be caught by C1 (:data:`TARGET_CLAIM`)."""

TARGET_CLAIM = {"energy_leak": "C1"}


def amplitude_grid(family: str) -> tuple[float, ...]:
    """ε_k = ε_max · 2^(−k/2), k = 0 … K, the last one ≥ ε_min (module docstring)."""
    fam = FAMILIES[family]
    k_max = math.floor(STEPS_PER_OCTAVE * math.log2(fam.eps_max / fam.eps_min) + 1e-9)
    return tuple(fam.eps_max * 2.0 ** (-k / STEPS_PER_OCTAVE) for k in range(k_max + 1))


@dataclass
class Search:
    """The bisection of one (family, claim) pair over :func:`amplitude_grid` (grid index k: ε decreasing in k)."""

    family: str
    claim_id: str
    grid: tuple[float, ...]
    outcomes: dict[int, dict[str, Any]] = field(default_factory=dict)
    skipped: str | None = None
    scope: str = "all"
    """``all``: the claim fails; ``run``: a check of an engine or solver run fails (not one of ``formula``)."""
    formula: tuple[str, ...] = ()

    def failed(self, k: int) -> bool:
        o = self.outcomes[k]
        if self.scope == "run" and o["verdict"] == "fail":
            return any(c not in self.formula for c in o["failed_checks"])
        return o["verdict"] != "pass"

    def run_scope(self) -> Search | None:
        """For a finished search whose catch at ε* is by formula checks only: the search of the same family and
        claim judged by its engine or solver checks alone, starting from the evaluations already made."""
        if self.scope != "all" or not self.formula or self.next_index() is not None or self.eps_star is None:
            return None
        if not set(self.failing_checks()) <= set(self.formula):
            return None
        return Search(self.family, self.claim_id, self.grid, dict(self.outcomes), None, "run", self.formula)

    def next_index(self) -> int | None:
        """The next grid index to evaluate (None: the search is over)."""
        last = len(self.grid) - 1
        if self.skipped is not None:
            return None
        for k in (0, last):
            if k not in self.outcomes:
                return k
            if (k == 0) != self.failed(k):  # ε_max passes, or ε_min fails: nothing to bisect
                return None
        lo = max(k for k in self.outcomes if self.failed(k) and k < self.passing_index())
        hi = self.passing_index()
        return (lo + hi) // 2 if hi - lo > 1 else None

    def passing_index(self) -> int:
        """The smallest grid index (largest ε) at which the claim passed."""
        return min(k for k in self.outcomes if not self.failed(k))

    @property
    def eps_star(self) -> float | None:
        """The smallest failing ε found (None: not detected up to ε_max, or skipped)."""
        fails = [k for k in self.outcomes if self.failed(k)]
        if not fails or self.skipped is not None:
            return None
        passing = [k for k in self.outcomes if not self.failed(k)]
        below = [k for k in fails if not passing or k < min(passing)]
        return self.grid[max(below)]

    @property
    def eps_pass(self) -> float | None:
        """The largest passing ε below ε* (None when ε* is at the floor ε_min)."""
        star = self.eps_star
        passing = [self.grid[k] for k in self.outcomes if not self.failed(k)]
        if star is None or not passing:
            return None
        below = [e for e in passing if e < star]
        return max(below) if below else None

    def state(self) -> str:
        """``skipped: …``, ``not detected``, ``at floor``, ``searching`` or ``done``."""
        if self.skipped is not None:
            return f"skipped: {self.skipped}"
        if 0 in self.outcomes and not self.failed(0):
            return "not detected"
        last = len(self.grid) - 1
        if last in self.outcomes and self.failed(last):
            return "at floor"
        return "searching" if self.next_index() is not None else "done"

    def failing_checks(self) -> list[str]:
        """The checks that failed at ε* (the ones that caught the defect)."""
        star = self.eps_star
        if star is None:
            return []
        return self.outcomes[self.grid.index(star)]["failed_checks"]

    def to_dict(self) -> dict[str, Any]:
        return {"family": self.family, "claim": self.claim_id, "scope": self.scope, "state": self.state(),
                "eps_star": self.eps_star,
                "eps_pass": self.eps_pass, "failing_checks": self.failing_checks(),
                "evaluations": [{"eps": self.grid[k], **o} for k, o in sorted(self.outcomes.items())]}


def _outcome(cert: Certificate) -> dict[str, Any]:
    return {"verdict": cert.verdict, "failed_checks": [c.name for c in cert.checks if not c.holds],
            "seconds": cert.wall_seconds}


def _searches(families: Sequence[str], ids: Sequence[str]) -> list[Search]:
    claims = {c.claim_id: c.claim for c in all_claims() if c.claim is not None}
    return [Search(f, cid, amplitude_grid(f), formula=tuple(claims[cid].formula_checks)) for f in families
            for cid in ids if cid in claims and FAMILIES[f].target in claims[cid].uses]


def check_families(families: str | Sequence[str] | None) -> list[str]:
    """The selected family names (all by default); ArgumentError naming ``families`` for an unknown one."""
    if families is None:
        return list(FAMILIES)
    names = [f.strip() for f in (families.split(",") if isinstance(families, str) else families) if f.strip()]
    bad = [f for f in names if f not in FAMILIES]
    if bad or not names:
        raise ArgumentError("families", f"families: unknown family {bad[0] if bad else '(none)'!r}; known: "
                                        f"{', '.join(FAMILIES)}")
    return names


RoundProgress = Callable[[int, int, int, str], object]
"""``on_unit(round, done, total, label)``: called as the units of a round finish."""


@dataclass
class _Run:
    """The state of one power run: its arguments, executor and output places."""

    profile: str
    seed: int
    out: Path
    run_dir: Path
    cache: UnitCache
    resume: bool
    client: Any
    on_unit: RoundProgress | None
    rounds: int = 0
    interrupted: bool = False
    known: dict[Unit, Outcome] = field(default_factory=dict)

    def evaluate(self, jobs: list[Job]) -> dict[tuple[str, str | None, int], Certificate]:
        """Run the jobs' units as one batch; their certificates keyed by (claim, mutant, seed). Unmutated units an
        earlier round ran (the ε = 0 runs, whose defect-free units every amplitude shares) are not run again."""
        units: list[Unit] = [u for job in jobs for u in job.plan[2] if u not in self.known]
        self.rounds += 1
        rnd = self.rounds
        progress = None if self.on_unit is None else (lambda d, t, lab: self.on_unit(rnd, d, t, lab))
        fresh, self.interrupted = execute(units, self.cache, self.resume, self.client, progress)
        self.known.update({u: o for u, o in fresh.items() if u.mutant is None and o.error is None})
        outcomes = {**self.known, **fresh}
        certs = {}
        for job in jobs:
            if all(u in outcomes for u in job.plan[2]):
                seed = job.plan[1].seed if job.plan[1] is not None else self.seed
                certs[(job.claim_id, job.mutant, seed)] = certificate_of(job, outcomes, self.run_dir, self.profile)
        return certs


def _baseline(run: _Run, ids: list[str], seeds: list[int]) -> dict[tuple[str, int], Certificate]:
    """The unmutated certificates of the claims at every seed (the false-alarm checks)."""
    jobs = [Job(cid, None, plan(cid, run.profile, s, None)) for s in seeds for cid in ids]
    return {(cid, s): c for (cid, _, s), c in run.evaluate(jobs).items()}


def _bisect(run: _Run, searches: list[Search]) -> None:
    """Rounds of evaluations until every search is over (or Ctrl-C). A search caught by formula checks only is
    followed by its run-scope search (:meth:`Search.run_scope`), appended to ``searches``."""
    while not run.interrupted:
        searches += [r for s in searches if (r := s.run_scope()) is not None
                     and not any(o.scope == "run" and (o.family, o.claim_id) == (s.family, s.claim_id)
                                 for o in searches)]
        todo = [(s, k) for s in searches if (k := s.next_index()) is not None]
        if not todo:
            return
        jobs = [Job(s.claim_id, family_mutant(s.family, s.grid[k]), plan(s.claim_id, run.profile, run.seed,
                                                                         family_mutant(s.family, s.grid[k])))
                for s, k in todo]
        certs = run.evaluate(jobs)
        for (s, k), job in zip(todo, jobs, strict=True):
            cert = certs.get((job.claim_id, job.mutant, run.seed))
            if cert is not None:
                s.outcomes[k] = _outcome(cert)


def measure_power(profile: str = "quick", families: str | Sequence[str] | None = None,
                  claims: str | Sequence[str] | None = None, *, seed: int = 0, out_dir: str | Path = "mbc-power",
                  false_alarm_seeds: int = 0, resume: bool = False, client: Any = None,
                  scheduler: str | None = None, on_unit: RoundProgress | None = None) -> dict[str, Any]:
    """Measure the detection power (module docstring) and write ``power.json``, ``power.md``, ``power.png``.

    Returns the ``power.json`` document: ``searches`` (one per family × claim using its component, with ``eps_star``
    and every evaluation), ``false_alarms`` and ``targets`` (:func:`assess`). Arguments are validated before any
    claim runs (ArgumentError naming the first bad one).
    """
    fams = check_families(families)
    ids = validate(profile, claims, None, seed)
    false_alarm_seeds = check_int("false_alarm_seeds", false_alarm_seeds, 0)
    out = check_output_dir(out_dir, "out_dir")
    with client_for(client, scheduler) as client:
        return _measure(profile, fams, ids, seed, out, false_alarm_seeds, resume, client, on_unit)


def _measure(profile: str, fams: list[str], ids: list[str], seed: int, out: Path, false_alarm_seeds: int,
             resume: bool, client: Any, on_unit: RoundProgress | None) -> dict[str, Any]:
    from .power_report import write_power_reports

    t0 = time.perf_counter()
    out.mkdir(parents=True, exist_ok=True)
    run_id, run_dir = new_run_dir(out)
    run = _Run(profile, seed, out, run_dir, UnitCache(out / ".cache" / "units"), resume, client, on_unit)
    searches = _searches(fams, ids)
    involved = sorted({s.claim_id for s in searches}, key=ids.index)
    seeds = sorted({seed, *range(false_alarm_seeds)})
    base = _baseline(run, involved, seeds)
    for s in searches:
        cert = base.get((s.claim_id, seed))
        if cert is not None and not cert.passed:
            s.skipped = f"false alarm: {s.claim_id} fails at ε = 0, seed {seed}"
    _bisect(run, searches)
    doc = power_document(profile, seed, run_id, searches, base, seeds, run.interrupted)
    doc["wall_seconds"] = time.perf_counter() - t0
    doc["rounds"] = run.rounds
    write_power_reports(doc, out)
    if run.interrupted:
        raise KeyboardInterrupt
    return doc


def power_document(profile: str, seed: int, run_id: str, searches: list[Search],
                   base: dict[tuple[str, int], Certificate], seeds: list[int], interrupted: bool) -> dict[str, Any]:
    """The ``power.json`` document of a finished (or interrupted) search."""
    formula = {c.claim_id: c.claim.formula_checks for c in all_claims() if c.claim is not None}
    rows = [s.to_dict() for s in searches]
    for r in rows:
        r["formula_only"] = bool(r["failing_checks"]) and set(r["failing_checks"]) <= set(formula[r["claim"]])
    alarms = {cid: {str(s): base[(cid, s)].verdict for s in seeds if (cid, s) in base}
              for cid in sorted({c for c, _ in base}, key=lambda c: int(c[1:]))}
    fails = sum(v != "pass" for per in alarms.values() for v in per.values())
    return {"profile": profile, "seed": seed, "run_id": run_id, "interrupted": interrupted,
            "steps_per_octave": STEPS_PER_OCTAVE, "searches": rows,
            "false_alarms": {"seeds": seeds, "verdicts": alarms, "failures": fails,
                             "evaluations": sum(len(per) for per in alarms.values())},
            "targets": assess(rows, profile)}


def assess(rows: list[dict[str, Any]], profile: str) -> list[dict[str, Any]]:
    """Each family against the targets: detected by ≥ 2 claims, one of them in an engine or solver run, and its
    best such ε* at most :data:`TARGETS` [profile] (the target claim's ε* for :data:`TARGET_CLAIM`)."""
    out = []
    for fam in dict.fromkeys(r["family"] for r in rows):
        mine = [r for r in rows if r["family"] == fam and r["eps_star"] is not None]
        dynamic = [r for r in mine if not r["formula_only"]]
        if fam in TARGET_CLAIM:
            dynamic = [r for r in dynamic if r["claim"] == TARGET_CLAIM[fam]]
        best = min((r["eps_star"] for r in dynamic), default=None)
        target = TARGETS[profile].get(fam)
        row = {"family": fam, "detected_by": list(dict.fromkeys(r["claim"] for r in mine)),
               "engine_or_solver": list(dict.fromkeys(r["claim"] for r in mine if not r["formula_only"])),
               "best_eps": best,
               "target": target, "two_claims": len(mine) >= 2 and any(not r["formula_only"] for r in mine)}
        row["meets_target"] = row["two_claims"] and (target is None or (best is not None and best <= target))
        out.append(row)
    return out


__all__ = ["RATE_LIKE", "STEPS_PER_OCTAVE", "TARGETS", "Search", "amplitude_grid", "assess", "check_families",
           "measure_power", "power_document"]
