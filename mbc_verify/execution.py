"""The campaign as tasks: units of work, where they run, and their on-disk cache.

A claim splits into independent :class:`Unit` s (:meth:`mbc_verify.claims.base.Claim.units`); :func:`run_unit`
computes one anywhere (it only needs the unit's description, so it is a valid Dask task). An executor runs a list
of units and returns one :class:`Outcome` per unit that finished: in this process one after the other
(:class:`InProcess`), or on a Dask cluster (:class:`OnDask`, the optional extra ``[distributed]``). Results are
combined in the order of the claim's units, never in completion order, so the certificates are bitwise the same
whatever the scheduler, the number of workers or the order in which units finish.

:class:`UnitCache` keeps every finished unit on disk (written atomically, keyed by a digest of the unit and of
the library's source code), so ``certify --resume`` skips the units an interrupted or crashed run completed.
A unit that raises gives an :class:`Outcome` carrying the traceback: its claim is reported as an error, the other
claims complete. Ctrl-C stops the executor between units (in this process the numba loops return to Python within
a fraction of a second); the units not finished are reported as interrupted.
"""

from __future__ import annotations

import hashlib
import importlib
import pickle
import time
import traceback
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from .interrupts import check as check_interrupt
from .outputs import atomic_write_bytes

PACKAGE = Path(__file__).resolve().parent


@cache
def code_fingerprint() -> str:
    """SHA-256 of every Python source file of the package (and its derived constants): a cached unit is reused
    only by the code that computed it."""
    h = hashlib.sha256()
    for path in sorted(PACKAGE.rglob("*.py")) + sorted(PACKAGE.rglob("*.json")):
        h.update(str(path.relative_to(PACKAGE)).encode())
        h.update(path.read_bytes())
    return h.hexdigest()


SUITES: dict[str, str] = {"conform": "mbc_verify.conformance.plan:resolve"}
"""Suites of units other than the claims: suite name → ``module:function`` that returns (claim, context) of a unit
(the operator certificates of ``mbc-verify conform``)."""


@dataclass(frozen=True)
class Unit:
    """One unit of work: a claim's unit ``key`` with its parameters, for a profile, master seed and defect.
    ``suite``: ``"claims"`` (C1–C12) or a key of :data:`SUITES`."""

    claim_id: str
    profile: str
    seed: int
    mutant: str | None
    key: str
    params: dict[str, Any] = field(default_factory=dict, hash=False)
    suite: str = "claims"

    @property
    def label(self) -> str:
        """A human-readable name: ``C3 [rate_doubled] n2 exact gamma=0 h=0.1``."""
        return f"{self.claim_id}{f' [{self.mutant}]' if self.mutant else ''} {self.key}"

    def digest(self) -> str:
        """A key for the cache: the unit and the code fingerprint."""
        text = repr((self.claim_id, self.profile, self.seed, self.mutant, self.key, sorted(self.params.items()),
                     code_fingerprint()) + ((self.suite,) if self.suite != "claims" else ()))
        return hashlib.sha256(text.encode()).hexdigest()[:32]


@dataclass
class Outcome:
    """What running a unit gave: its value, or the traceback of the exception it raised; wall time and where."""

    value: Any = None
    error: str | None = None
    seconds: float = 0.0
    where: str = "in-process"
    cached: bool = False


def resolve(unit: Unit) -> tuple[Any, Any]:
    """(claim, context) of a unit: from the claim registry, or from its suite's resolver (:data:`SUITES`)."""
    if unit.suite != "claims":
        module, _, fn = SUITES[unit.suite].partition(":")
        return getattr(importlib.import_module(module), fn)(unit)
    from .claims.registry import all_claims
    from .claims.runner import context

    claim = {c.claim_id: c.claim for c in all_claims()}[unit.claim_id]
    return claim, context(claim, unit.profile, unit.seed, unit.mutant)


def run_unit(unit: Unit) -> Outcome:
    """Compute one unit (in any process: it looks its claim up with :func:`resolve`) and time it.

    BLAS (OpenBLAS, MKL) runs on ONE thread inside a unit: its reductions depend on its thread count, and Dask
    workers run it on one (distributed sets ``OPENBLAS_NUM_THREADS=1`` in them), so a unit's value is bitwise the
    same in-process and on any cluster, whatever the machine's number of cores (numba's parallel loops are
    thread-count independent by construction)."""
    from threadpoolctl import threadpool_limits

    claim, ctx = resolve(unit)
    start = time.perf_counter()
    try:
        with threadpool_limits(limits=1, user_api="blas"):
            value = claim.run_unit(ctx, **unit.params)
    except Exception:  # reported as the claim's error, never taken for a result
        return Outcome(error=traceback.format_exc(), seconds=time.perf_counter() - start)
    return Outcome(value=value, seconds=time.perf_counter() - start)


class UnitCache:
    """Finished units on disk under ``directory`` (one pickle per unit digest, written atomically)."""

    def __init__(self, directory: str | Path) -> None:
        self.directory = Path(directory)

    def _path(self, unit: Unit) -> Path:
        return self.directory / unit.claim_id.lower() / f"{unit.digest()}.pkl"

    def get(self, unit: Unit) -> Outcome | None:
        """The cached outcome of ``unit`` (None when absent or unreadable)."""
        path = self._path(unit)
        try:
            with path.open("rb") as fh:
                out = pickle.load(fh)
        except (OSError, pickle.UnpicklingError, EOFError):
            return None
        out.cached = True
        return out

    def put(self, unit: Unit, outcome: Outcome) -> None:
        """Store a successful outcome (errors are not cached: a rerun retries them)."""
        if outcome.error is None:
            atomic_write_bytes(self._path(unit), pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL))


Progress = Callable[[Unit, Outcome], object]


class InProcess:
    """Run the units one after the other in this process (numba uses the threads of this process)."""

    def run(self, units: Iterable[Unit], on_done: Progress) -> None:
        """Run every unit, calling ``on_done(unit, outcome)`` after each (Ctrl-C propagates between chunks)."""
        for unit in units:
            outcome = run_unit(unit)
            check_interrupt()  # a Ctrl-C that numba swallowed while compiling this unit
            on_done(unit, outcome)


class OnDask:
    """Run the units as tasks of a Dask distributed ``client`` (the optional extra ``[distributed]``).

    A task whose worker dies is rescheduled by the Dask scheduler on another worker (the unit is a pure function
    of its description, so the result is the same); a task that raises inside the claim returns its traceback as
    an :class:`Outcome`; a task the cluster itself loses (all retries exhausted) is reported with the worker logs.
    """

    def __init__(self, client: Any) -> None:
        self.client = client

    def run(self, units: Iterable[Unit], on_done: Progress) -> None:
        """Submit every unit, call ``on_done`` as they complete (any order); cancel the rest on Ctrl-C."""
        from distributed import as_completed

        futures = {self.client.submit(run_unit, u, key=f"unit-{u.digest()}", pure=False): u for u in units}
        try:
            for fut in as_completed(list(futures)):
                unit = futures[fut]
                on_done(unit, self._outcome(fut))
        except KeyboardInterrupt:
            self.client.cancel(list(futures))
            raise

    def _outcome(self, fut: Any) -> Outcome:
        try:
            out = fut.result()
        except Exception as exc:  # the cluster lost the task: keep the worker logs with the error
            logs = self.client.get_worker_logs(n=20)
            text = "\n".join(f"--- {w}\n" + "\n".join(msg for _, msg in entries) for w, entries in logs.items())
            return Outcome(error=f"{type(exc).__name__}: {exc}\nworker logs:\n{text}", where="dask")
        who = self.client.who_has(fut).get(fut.key, ())
        out.where = ",".join(who) if who else "dask"
        return out


@contextmanager
def client_for(client: Any, scheduler: str | None) -> Iterator[Any]:
    """The Dask client a run uses: ``client`` when given, else one made by :func:`connect` from ``scheduler`` and
    closed on exit (cluster included), else None (in-process). Connection errors are raised on entry, before any
    work starts."""
    close = None
    if client is None and scheduler is not None:
        client, close = connect(scheduler)
    try:
        yield client
    finally:
        if close is not None:
            close()


def connect(scheduler: str) -> tuple[Any, Callable[[], None]]:
    """(client, close) for ``local[:WORKERS]`` (a LocalCluster of processes, one thread each) or ``tcp://HOST:PORT``
    (an existing scheduler); ArgumentError naming ``scheduler`` when Dask is not installed or the text is bad."""
    from .validation import ArgumentError

    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise ArgumentError("scheduler", "scheduler: Dask is not installed; pip install 'mbc_verify[distributed]'") \
            from None
    if scheduler.startswith("tcp://"):
        client = Client(scheduler, timeout="20s")
        return client, client.close
    head, _, count = scheduler.partition(":")
    if head != "local" or (count and not count.isdigit()) or count == "0":
        raise ArgumentError("scheduler", f"scheduler: must be local[:WORKERS] or tcp://HOST:PORT, got {scheduler!r}")
    cluster = LocalCluster(n_workers=int(count) if count else None, threads_per_worker=1, processes=True,
                           dashboard_address=None, env={"NUMBA_NUM_THREADS": "1"})
    client = Client(cluster)

    def close() -> None:
        client.close()
        cluster.close()

    return client, close
