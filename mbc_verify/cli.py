"""The ``mbc-verify`` command line (docs/spec.md §8): ``certify``, ``conform``, ``mutants``, ``power``, ``simulate``,
``solve``.

Exit codes: 0 success (for ``certify``: every selected claim passed; for ``conform``: every applicable operator
certificate passed; for ``power``: every family met its target and no claim failed without a defect), 1 a claim or
certificate failed or is not implemented, a target was missed, or a run produced a non-finite result, 2 bad
arguments, 130 interrupted (Ctrl-C). Every error is one line on stderr
naming the flag the user typed: the library raises :class:`~mbc_verify.validation.ArgumentError` naming its API
argument, and the parser's destinations are those API names, so ``h`` is reported as ``--grazing``. Output paths
are checked before any work starts.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn

from . import __version__
from .serialize import to_jsonable

EXIT_OK, EXIT_FAIL, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


class UsageError(Exception):
    """Bad command-line arguments (exit 2), already phrased with the flag."""


class _Parser(argparse.ArgumentParser):
    """argparse with one-line error messages (exit 2)."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


def build_parser() -> argparse.ArgumentParser:
    """The parser; every destination is the name of the API argument it feeds."""
    p = _Parser(prog="mbc-verify",
                description="Certify, by computation, the structural claims of Du, 'Propagation of chaos for the "
                            "Landau equation via microcanonical binary collisions' (arXiv:2511.09035).")
    p.add_argument("--version", action="version", version=f"mbc-verify {__version__}")
    sub = p.add_subparsers(dest="command", metavar="{certify,conform,mutants,power,simulate,solve}",
                           parser_class=_Parser)
    _certify_parser(sub)
    _conform_parser(sub)
    sub.add_parser("mutants", help="list the planted defects and the defect families")
    _power_parser(sub)
    _simulate_parser(sub)
    _solve_parser(sub)
    return p


def _certify_parser(sub: Any) -> None:
    c = sub.add_parser("certify", help="run the validation campaign (claims C1–C12) and write the reports")
    c.add_argument("--profile", default="quick", help="quick (a few minutes on 2 cores) or full")
    c.add_argument("--claims", default=None, help="comma-separated claim ids, e.g. C1,C3 (default: all)")
    c.add_argument("--mutant", default=None, help="run with a planted defect (see `mbc-verify mutants`)")
    c.add_argument("--seed", type=int, default=0, help="master seed (default 0)")
    c.add_argument("--out", dest="out_dir", default="mbc-report", help="output directory (default ./mbc-report)")
    c.add_argument("--json", dest="json_file", default=None, help="also write the JSON report to this file")
    c.add_argument("--matrix", action="store_true",
                   help="also run every claim under every mutant and put the mutation matrix in the reports")
    c.add_argument("--resume", action="store_true",
                   help="reuse the units an earlier run into the same --out completed (same code and parameters)")
    c.add_argument("--scheduler", default=None,
                   help="run the units on Dask: local[:WORKERS] or tcp://HOST:PORT (extra [distributed])")


def _power_parser(sub: Any) -> None:
    w = sub.add_parser("power", help="the smallest defect of each family each claim catches (detection power)")
    w.add_argument("--profile", default="quick", help="quick or full (the claims' sizes)")
    w.add_argument("--families", default=None, help="comma-separated defect families (default: all; see mutants)")
    w.add_argument("--claims", default=None, help="comma-separated claim ids (default: all)")
    w.add_argument("--seed", type=int, default=0, help="the fixed master seed of every evaluation (default 0)")
    w.add_argument("--false-alarm-seeds", dest="false_alarm_seeds", type=int, default=0,
                   help="also run the unmutated claims at seeds 0..N-1 and count their failures")
    w.add_argument("--out", dest="out_dir", default="mbc-power", help="output directory (default ./mbc-power)")
    w.add_argument("--resume", action="store_true", help="reuse the evaluations an earlier run into --out finished")
    w.add_argument("--scheduler", default=None, help="run the units on Dask: local[:WORKERS] or tcp://HOST:PORT")


def _conform_parser(sub: Any) -> None:
    c = sub.add_parser("conform", help="certify binary-collision operators: the operator × certificate matrix")
    c.add_argument("--operator", dest="operators", action="append", required=True,
                   help="a built-in (mbc_fast, mbc_exact, takizuka_abe, nanbu, spherical_bm), pkg.module:factory or "
                        "an entry point of group mbc_verify.operators; repeat or separate by commas for several")
    c.add_argument("--param", dest="params", action="append", default=None,
                   help="KEY=VALUE passed to every operator's factory, e.g. h=0.2 (repeatable)")
    c.add_argument("--gamma", dest="gammas", action="append", default=None,
                   help="γ values to run, e.g. --gamma=-3,0 or --gamma -3 --gamma 0 (default: each certificate's own)")
    c.add_argument("--profile", default="quick", help="quick (minutes) or full")
    c.add_argument("--certificates", default=None, help="comma-separated certificate ids (default: all)")
    c.add_argument("--seed", type=int, default=0, help="master seed (default 0)")
    c.add_argument("--out", dest="out_dir", default="mbc-conform", help="output directory (default ./mbc-conform)")
    c.add_argument("--json", dest="json_file", default=None, help="also write the JSON report to this file")
    c.add_argument("--scheduler", default=None,
                   help="run the units on Dask: local[:WORKERS] or tcp://HOST:PORT (extra [distributed])")


def _simulate_parser(sub: Any) -> None:
    s = sub.add_parser("simulate", help="one particle run (MBC engines or a baseline)")
    s.add_argument("--gamma", type=float, required=True, help="interaction exponent γ ∈ [-3, 1]")
    s.add_argument("--grazing", dest="h", type=float, default=None,
                   help="grazing parameter h ∈ (0, π) (the paper's h; MBC engines only)")
    s.add_argument("--n", type=int, required=True, help="number of particles N ≥ 2")
    s.add_argument("--t-end", type=float, required=True, help="final time")
    s.add_argument("--init", default="maxwellian", help="maxwellian | bimaxwellian:TPAR,TPERP | bkw:K0 | shell")
    s.add_argument("--engine", default="fast", help="exact | fast | takizuka_abe | nanbu | spherical_bm")
    s.add_argument("--dt", type=float, default=None, help="time step of the time-stepped engines")
    s.add_argument("--snapshots", type=int, default=11, help="number of output times (incl. 0 and t_end)")
    s.add_argument("--seed", type=int, default=0)
    s.add_argument("--kernel", default="fixed", help="angle law of a jump (default: fixed angle h)")
    s.add_argument("--mutant", default=None, help=argparse.SUPPRESS)
    s.add_argument("--json", dest="json_file", default=None, help="write the run record to this file")


def _solve_parser(sub: Any) -> None:
    v = sub.add_parser("solve", help="one deterministic Landau run")
    v.add_argument("--method", required=True, help="maxwell | isotropic | axisymmetric | blob")
    v.add_argument("--gamma", type=float, required=True, help="interaction exponent γ ∈ [-3, 1]")
    v.add_argument("--t-end", type=float, required=True, help="final time")
    v.add_argument("--init", default="maxwellian",
                   help="maxwellian | bimaxwellian:TPAR,TPERP | bkw:K0 | mixture:W1,T1,W2,T2,…")
    v.add_argument("--snapshots", type=int, default=11)
    v.add_argument("--json", dest="json_file", default=None, help="write the run record to this file")
    v.add_argument("--mutant", default=None, help=argparse.SUPPRESS)
    g = v.add_argument_group("method options (isotropic, axisymmetric)")
    g.add_argument("--grid", dest="n_grid", type=int, default=None, help="number of radial grid points (isotropic)")
    g.add_argument("--nr", dest="n_r", type=int, default=None, help="number of radial nodes (axisymmetric)")
    g.add_argument("--nxi", dest="n_xi", type=int, default=None, help="Legendre nodes in the angle (axisymmetric)")
    g.add_argument("--rtol", type=float, default=None, help="adaptive step tolerance (axisymmetric)")
    g.add_argument("--vmax", dest="v_max", type=float, default=None, help="largest speed of the grid")
    g.add_argument("--dt", type=float, default=None, help="time step (isotropic, axisymmetric, blob)")
    b = v.add_argument_group("method options (blob)")
    b.add_argument("--per-dim", dest="n_per_dim", type=int, default=None, help="particles per dimension")
    b.add_argument("--domain", type=float, default=None, help="half-width of the initial particle box")
    b.add_argument("--epsilon", type=float, default=None, help="mollifier width ε")


SOLVE_OPTIONS = {"isotropic": ("n_grid", "v_max", "dt"), "axisymmetric": ("n_r", "n_xi", "rtol", "v_max", "dt"),
                 "blob": ("n_per_dim", "domain", "epsilon", "dt"), "maxwell": ()}
"""The method options each ``solve --method`` accepts (API names)."""


def flags(parser: argparse.ArgumentParser, command: str) -> dict[str, str]:
    """{API argument name: the flag that sets it} for a subcommand."""
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction)).choices[command]
    return {a.dest: a.option_strings[-1] for a in sub._actions if a.option_strings}


def _flagged(exc: ValueError, names: dict[str, str]) -> str:
    """The first line of ``exc`` with its leading API argument name replaced by the flag."""
    text = str(exc).splitlines()[0]
    param = getattr(exc, "param", None) or text.split(":", 1)[0].split(" ", 1)[0]
    if param in names and text.startswith(param):
        return names[param] + text[len(param):]
    return text


def _console(stderr: bool = False):  # noqa: ANN202 — a rich Console
    from rich.console import Console

    return Console(stderr=stderr)


def _check_outputs(args: argparse.Namespace) -> None:
    from .outputs import check_output_dir, check_output_file

    if getattr(args, "out_dir", None) is not None:
        check_output_dir(args.out_dir, "out_dir")
    if getattr(args, "json_file", None) is not None:
        check_output_file(args.json_file, "json_file")


def _cmd_certify(args: argparse.Namespace) -> int:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
    from rich.table import Table

    from .campaign import certify, validate
    from .report import HEADER, rows

    ids = validate(args.profile, args.claims, args.mutant, args.seed)
    _check_outputs(args)
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=_console(stderr=True), transient=True) as prog:
        task = prog.add_task("certify", total=None)

        def on_unit(done: int, total: int, label: str) -> None:
            prog.update(task, completed=done, total=total, description=f"certify: {label}")

        certs = certify(args.profile, ids, seed=args.seed, out_dir=args.out_dir, mutant=args.mutant,
                        json_file=args.json_file, matrix=args.matrix, resume=args.resume, scheduler=args.scheduler,
                        on_unit=on_unit)
    table = Table(title=f"mbc-verify certify ({args.profile}" + (f", mutant {args.mutant}" if args.mutant else "")
                  + ")")
    for h in HEADER:
        table.add_column(h, overflow="fold")
    style = {"PASS": "green", "FAIL": "red", "ERROR": "red", "INTERRUPTED": "yellow", "not implemented": "yellow"}
    for r in rows(certs, short=True):
        table.add_row(*r[:5], f"[{style[r[5]]}]{r[5]}[/]", r[6])
    con = _console()
    con.print(table)
    out = Path(args.out_dir)
    con.print(f"reports: {out / 'report.json'}, {out / 'report.md'}")
    return EXIT_OK if all(c.passed for c in certs) else EXIT_FAIL


def _cmd_conform(args: argparse.Namespace) -> int:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
    from rich.table import Table

    from .conformance.campaign import conform, validate
    from .conformance.report import MARK, cell_text, matrix

    gammas = ",".join(args.gammas) if args.gammas else None
    operators = ",".join(args.operators)
    validate(operators, args.params, gammas, args.profile, args.certificates, args.seed)
    _check_outputs(args)
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=_console(stderr=True), transient=True) as prog:
        task = prog.add_task("conform", total=None)

        def on_unit(done: int, total: int, label: str) -> None:
            prog.update(task, completed=done, total=total, description=f"conform: {label}")

        res = conform(operators, params=args.params, gammas=gammas, profile=args.profile,
                      certificates=args.certificates, seed=args.seed, out_dir=args.out_dir, json_file=args.json_file,
                      scheduler=args.scheduler, on_unit=on_unit)
    certs = list(dict.fromkeys(c.certificate for c in res.cells))
    by = {(c.operator, c.certificate): c for c in res.cells}
    table = Table(title=f"mbc-verify conform ({args.profile})")
    for h in ("operator", *certs):
        table.add_column(h, overflow="fold")
    style = {"PASS": "green", "FAIL": "red", "ERROR": "red", "INTERRUPTED": "yellow", "n/a": "dim"}
    for op in matrix(res.cells):
        table.add_row(op, *(f"[{style.get(MARK[by[(op, c)].verdict], 'yellow')}]{cell_text(by[(op, c)])}[/]"
                            for c in certs))
    con = _console()
    con.print(table)
    for c in res.cells:
        if c.cert is not None and not c.cert.passed:
            for why in c.cert.details.get("why") or [c.cert.details.get("error", c.cert.verdict)]:
                con.print(f"[red]{c.operator} / {c.certificate}[/]: {why}", soft_wrap=True)
    out = Path(args.out_dir)
    con.print(f"reports: {out / 'conform.json'}, {out / 'conform.md'}, {out / 'matrix.png'}")
    return EXIT_OK if res.passed else EXIT_FAIL


def _cmd_mutants(_args: argparse.Namespace) -> int:
    from rich.table import Table

    from .mutants import FAMILIES, MUTANTS, family_of

    table = Table(title="planted defects (mbc-verify certify --mutant NAME)")
    for h in ("name", "component", "family member", "defect"):
        table.add_column(h, overflow="fold")
    for m in MUTANTS.values():
        table.add_row(m.name, m.target, family_of(m) or "—", m.description)
    fams = Table(title="defect families (--mutant FAMILY:EPS; ε = 0 is no defect)")
    for h in ("family", "component", "defect", "ε searched by power"):
        fams.add_column(h, overflow="fold")
    for f in FAMILIES.values():
        fams.add_row(f.name, f.target, f.description, f"{f.eps_min:.2g} … {f.eps_max:.2g}")
    con = _console()
    con.print(table)
    con.print(fams)
    return EXIT_OK


def _cmd_power(args: argparse.Namespace) -> int:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from .campaign import validate
    from .power import check_families, measure_power
    from .validation import check_int

    check_families(args.families)
    validate(args.profile, args.claims, None, args.seed)
    check_int("false_alarm_seeds", args.false_alarm_seeds, 0)
    _check_outputs(args)
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=_console(stderr=True), transient=True) as prog:
        task = prog.add_task("power", total=None)

        def on_unit(rnd: int, done: int, total: int, label: str) -> None:
            prog.update(task, completed=done, total=total, description=f"power, round {rnd}: {label}")

        doc = measure_power(args.profile, args.families, args.claims, seed=args.seed, out_dir=args.out_dir,
                            false_alarm_seeds=args.false_alarm_seeds, resume=args.resume,
                            scheduler=args.scheduler, on_unit=on_unit)
    out = Path(args.out_dir)
    text = (out / "power.md").read_text(encoding="utf-8")
    _console().print(text[text.index("| family"):text.index("## False")].rstrip())
    _console().print(f"reports: {out / 'power.json'}, {out / 'power.md'}, {out / 'power.png'}")
    ok = all(t["meets_target"] for t in doc["targets"]) and doc["false_alarms"]["failures"] == 0
    return EXIT_OK if ok else EXIT_FAIL


def _run_with_progress(label: str, fn: Callable[..., dict[str, Any]], **kwargs: Any) -> dict[str, Any]:
    """Call ``fn(progress=callback, **kwargs)`` with a progress bar that appears at the first callback (so that
    argument errors raised before any work print as one clean line)."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    prog = Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("t = {task.completed:.3g}"),
                    TimeElapsedColumn(), transient=True, console=_console(stderr=True))
    task = None

    def callback(t: float, t_end: float) -> None:
        nonlocal task
        if task is None:
            prog.start()
            task = prog.add_task(label, total=max(t_end, 0.0))
        prog.update(task, completed=t)

    try:
        return fn(progress=callback, **kwargs)
    finally:
        if task is not None:
            prog.stop()


def _emit(record: dict[str, Any], json_file: str | None, keys: Sequence[str]) -> None:
    from rich.table import Table

    from .outputs import atomic_write_json

    rec = to_jsonable(record)
    if json_file:
        atomic_write_json(json_file, rec)
    table = Table()
    table.add_column("t")
    present = [k for k in keys if k in rec and rec[k] is not None]
    for k in present:
        table.add_column(k)
    for idx, t in enumerate(rec["times"]):
        table.add_row(f"{t:.4g}", *(f"{rec[k][idx]:.10g}" for k in present))
    _console().print(table)
    _console().print(f"wall time {rec.get('wall_seconds', float('nan')):.2f} s" + (f"; wrote {json_file}" if json_file
                                                                                   else ""))


def _cmd_simulate(args: argparse.Namespace) -> int:
    from .mbc.api import simulate

    _check_outputs(args)
    rec = _run_with_progress("simulate", simulate, gamma=args.gamma, h=args.h, n=args.n, t_end=args.t_end,
                             init=args.init, engine=args.engine, dt=args.dt, snapshots=args.snapshots,
                             seed=args.seed, kernel=args.kernel, mutant=args.mutant)
    rec = dict(rec)
    rec["T_par"] = [m[2][2] for m in to_jsonable(rec["second_moment"])]
    _emit(rec, args.json_file, ("energy", "T_par", "moment4"))
    return EXIT_OK


def _cmd_solve(args: argparse.Namespace, names: dict[str, str]) -> int:
    from .runspec import check_finite
    from .solve import solver

    if args.method not in SOLVE_OPTIONS:
        raise UsageError(f"--method: must be one of {', '.join(SOLVE_OPTIONS)}, got {args.method!r}")
    options = {k for opts in SOLVE_OPTIONS.values() for k in opts}
    given = {k for k in options if getattr(args, k) is not None}
    extra = sorted(given - set(SOLVE_OPTIONS[args.method]))
    if extra:
        raise UsageError(f"{names[extra[0]]}: not an option of method {args.method!r}")
    _check_outputs(args)
    kw = {k: getattr(args, k) for k in SOLVE_OPTIONS[args.method] if getattr(args, k) is not None}
    rec = _run_with_progress(f"solve ({args.method})", solver(args.method), gamma=args.gamma, t_end=args.t_end,
                             init=args.init, snapshots=args.snapshots, mutant=args.mutant, **kw)
    for key in ("mass", "energy", "moment4", "entropy", "fisher"):
        if rec.get(key) is not None:
            check_finite(key, rec[key], float(rec["times"][-1]))
    _emit(rec, args.json_file, ("mass", "energy", "moment4", "entropy", "fisher"))
    return EXIT_OK


def _dispatch(args: argparse.Namespace, names: dict[str, str]) -> int:
    if args.command == "solve":
        return _cmd_solve(args, names)
    return {"certify": _cmd_certify, "conform": _cmd_conform, "mutants": _cmd_mutants, "power": _cmd_power,
            "simulate": _cmd_simulate}[args.command](args)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``mbc-verify`` console script; returns the exit code."""
    from .interrupts import install, interrupted
    from .runspec import NonFiniteResult

    install()
    parser = build_parser()
    names: dict[str, str] = {}
    try:
        args = parser.parse_args(argv)
        if args.command is None:
            parser.print_help()
            return EXIT_USAGE
        names = flags(parser, args.command)
        return _dispatch(args, names)
    except KeyboardInterrupt:
        return _fail("interrupted", EXIT_INTERRUPTED)
    except Exception as exc:
        if interrupted():  # an error that followed a Ctrl-C numba swallowed while compiling
            return _fail("interrupted", EXIT_INTERRUPTED)
        if isinstance(exc, UsageError):
            return _fail(str(exc), EXIT_USAGE)
        if isinstance(exc, NonFiniteResult):
            return _fail(str(exc).splitlines()[0], EXIT_FAIL)
        if isinstance(exc, ValueError):
            return _fail(_flagged(exc, names), EXIT_USAGE)
        raise


def _fail(message: str, code: int) -> int:
    print(f"mbc-verify: error: {message}", file=sys.stderr)
    return code


if __name__ == "__main__":
    sys.exit(main())
