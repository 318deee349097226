"""The ``mbc-verify`` command line (SPEC §6): ``certify``, ``mutants``, ``simulate``, ``solve``.

Exit codes: 0 success (for ``certify``: every selected claim passed), 1 a claim failed or is not implemented,
2 bad arguments (printed as one line naming the argument).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

from . import __version__
from .serialize import to_jsonable

EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """Bad command-line arguments (exit 2)."""


class _Parser(argparse.ArgumentParser):
    """argparse with one-line error messages (exit 2)."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="mbc-verify",
                description="Certify, by computation, the structural claims of Du, 'Propagation of chaos for the "
                            "Landau equation via microcanonical binary collisions' (arXiv:2511.09035).")
    p.add_argument("--version", action="version", version=f"mbc-verify {__version__}")
    sub = p.add_subparsers(dest="command", metavar="{certify,mutants,simulate,solve}", parser_class=_Parser)

    c = sub.add_parser("certify", help="run the validation campaign (claims C1–C12) and write the reports")
    c.add_argument("--profile", default="quick", help="quick (a few minutes on 2 cores) or full")
    c.add_argument("--claims", default=None, help="comma-separated claim ids, e.g. C1,C3 (default: all)")
    c.add_argument("--mutant", default=None, help="run with a planted defect (see `mbc-verify mutants`)")
    c.add_argument("--seed", type=int, default=0, help="master seed (default 0)")
    c.add_argument("--out", default="mbc-report", help="output directory (default ./mbc-report)")
    c.add_argument("--json", default=None, help="also write the JSON report to this file")
    c.add_argument("--matrix", action="store_true",
                   help="also run every claim under every mutant and put the mutation matrix in the reports")

    sub.add_parser("mutants", help="list the planted defects")

    s = sub.add_parser("simulate", help="one MBC particle run")
    s.add_argument("--gamma", type=float, required=True, help="interaction exponent γ ∈ [-3, 1]")
    s.add_argument("--grazing", type=float, required=True, help="grazing parameter h ∈ (0, π) (the paper's h)")
    s.add_argument("--n", type=int, required=True, help="number of particles N ≥ 2")
    s.add_argument("--t-end", type=float, required=True, help="final time")
    s.add_argument("--init", default="maxwellian", help="maxwellian | bimaxwellian:TPAR,TPERP | bkw:K0 | shell")
    s.add_argument("--engine", default="fast", help="exact | fast")
    s.add_argument("--dt", type=float, default=None, help="time step of the fast engine")
    s.add_argument("--snapshots", type=int, default=11, help="number of output times (incl. 0 and t_end)")
    s.add_argument("--seed", type=int, default=0)
    s.add_argument("--kernel", default="fixed", help="angle law of a jump (default: fixed angle h)")
    s.add_argument("--mutant", default=None, help=argparse.SUPPRESS)
    s.add_argument("--json", default=None, help="write the run record to this file")

    v = sub.add_parser("solve", help="one deterministic Landau run")
    v.add_argument("--method", required=True, help="maxwell | isotropic | axisymmetric | blob")
    v.add_argument("--gamma", type=float, required=True, help="interaction exponent γ ∈ [-3, 1]")
    v.add_argument("--t-end", type=float, required=True, help="final time")
    v.add_argument("--init", default="maxwellian",
                   help="maxwellian | bimaxwellian:TPAR,TPERP | bkw:K0 | mixture:W1,T1,W2,T2,…")
    v.add_argument("--snapshots", type=int, default=11)
    v.add_argument("--json", default=None, help="write the run record to this file")
    v.add_argument("--mutant", default=None, help=argparse.SUPPRESS)
    g = v.add_argument_group("method options (isotropic, axisymmetric)")
    g.add_argument("--grid", type=int, default=None, help="number of radial grid points")
    g.add_argument("--vmax", type=float, default=None, help="largest speed of the grid")
    g.add_argument("--dt", type=float, default=None, help="time step (isotropic, axisymmetric, blob)")
    g.add_argument("--nxi", type=int, default=None, help="Legendre nodes in the angle (axisymmetric)")
    g.add_argument("--rtol", type=float, default=None, help="adaptive step tolerance (axisymmetric)")
    b = v.add_argument_group("method options (blob)")
    b.add_argument("--per-dim", type=int, default=None, help="particles per dimension")
    b.add_argument("--domain", type=float, default=None, help="half-width of the initial particle box")
    b.add_argument("--epsilon", type=float, default=None, help="mollifier width ε")
    return p


def _progress():
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    return Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("t = {task.completed:.3g}"),
                    TimeElapsedColumn(), transient=True, console=_console(stderr=True))


def _console(stderr: bool = False):
    from rich.console import Console

    return Console(stderr=stderr)


def _cmd_certify(args: argparse.Namespace) -> int:
    from rich.table import Table

    from .campaign import certify
    from .claims import PROFILES, parse_claims
    from .mutants import check_mutant
    from .report import HEADER, rows

    if args.profile not in PROFILES:
        raise UsageError(f"--profile: must be one of {', '.join(PROFILES)}, got {args.profile!r}")
    try:
        ids = parse_claims(args.claims)
        check_mutant(args.mutant)
    except ValueError as exc:
        raise UsageError(f"--{exc}") from None
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=_console(stderr=True), transient=True) as prog:
        task = prog.add_task("certify", total=len(ids))
        certs = certify(args.profile, args.claims, seed=args.seed, out_dir=args.out, mutant=args.mutant,
                        json_file=args.json, matrix=args.matrix,
                        on_start=lambda cid: prog.update(task, description=f"certify {cid}"),
                        on_done=lambda _c: prog.advance(task))
    table = Table(title=f"mbc-verify certify ({args.profile}" + (f", mutant {args.mutant}" if args.mutant else "")
                  + ")")
    for h in HEADER:
        table.add_column(h, overflow="fold")
    style = {"PASS": "green", "FAIL": "red", "ERROR": "red", "not implemented": "yellow"}
    for r in rows(certs, short=True):
        table.add_row(*r[:5], f"[{style[r[5]]}]{r[5]}[/]", r[6])
    con = _console()
    con.print(table)
    out = Path(args.out)
    con.print(f"reports: {out / 'report.json'}, {out / 'report.md'}")
    return EXIT_OK if all(c.passed for c in certs) else EXIT_FAIL


def _cmd_mutants(_args: argparse.Namespace) -> int:
    from rich.table import Table

    from .mutants import MUTANTS

    table = Table(title="planted defects (mbc-verify certify --mutant NAME)")
    for h in ("name", "component", "defect"):
        table.add_column(h, overflow="fold")
    for m in MUTANTS.values():
        table.add_row(m.name, m.target, m.description)
    _console().print(table)
    return EXIT_OK


def _run_with_progress(label: str, horizon: float, fn, **kwargs) -> dict[str, Any]:
    """Call ``fn(progress=callback, **kwargs)`` with a progress bar that appears at the first callback (so that
    argument errors raised before any work print as one clean line)."""
    prog = _progress()
    task = None

    def callback(t: float, _t_end: float) -> None:
        nonlocal task
        if task is None:
            prog.start()
            task = prog.add_task(label, total=max(horizon, 0.0))
        prog.update(task, completed=t)

    try:
        return fn(progress=callback, **kwargs)
    finally:
        if task is not None:
            prog.stop()


def _emit(record: dict[str, Any], json_file: str | None, keys: Sequence[str]) -> None:
    from rich.table import Table

    rec = to_jsonable(record)
    if json_file:
        Path(json_file).parent.mkdir(parents=True, exist_ok=True)
        Path(json_file).write_text(json.dumps(rec, indent=1) + "\n")
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
    try:
        from .mbc.api import simulate
    except ImportError:
        print("mbc-verify simulate: not available yet", file=sys.stderr)
        return EXIT_USAGE
    rec = _run_with_progress("simulate", args.t_end if args.t_end == args.t_end else 0.0, simulate,
                             gamma=args.gamma, h=args.grazing, n=args.n, t_end=args.t_end, init=args.init,
                             engine=args.engine, dt=args.dt, snapshots=args.snapshots, seed=args.seed,
                             kernel=args.kernel, mutant=args.mutant)
    rec = dict(rec)
    rec["T_par"] = [m[2][2] for m in to_jsonable(rec["second_moment"])]
    _emit(rec, args.json, ("energy", "T_par", "moment4"))
    return EXIT_OK


def _cmd_solve(args: argparse.Namespace) -> int:
    from .solve import solver

    opts = {"isotropic": {"n_grid": args.grid, "v_max": args.vmax, "dt": args.dt},
            "axisymmetric": {"n_r": args.grid, "v_max": args.vmax, "n_xi": args.nxi, "rtol": args.rtol,
                             "dt": args.dt},
            "blob": {"n_per_dim": args.per_dim, "domain": args.domain, "epsilon": args.epsilon, "dt": args.dt},
            "maxwell": {}}
    if args.method not in opts:
        raise UsageError(f"--method: must be one of {', '.join(opts)}, got {args.method!r}")
    given = {k: v for k, v in vars(args).items()
             if k in ("grid", "vmax", "dt", "nxi", "rtol", "per_dim", "domain", "epsilon") and v is not None}
    allowed = {"isotropic": {"grid", "vmax", "dt"}, "axisymmetric": {"grid", "vmax", "nxi", "rtol", "dt"},
               "blob": {"per_dim", "domain", "epsilon", "dt"}, "maxwell": set()}
    extra = sorted(set(given) - allowed[args.method])
    if extra:
        raise UsageError(f"--{extra[0].replace('_', '-')}: not an option of method {args.method!r}")
    try:
        fn = solver(args.method)
    except NotImplementedError as exc:
        print(f"mbc-verify solve: {exc}", file=sys.stderr)
        return EXIT_USAGE
    kw = {k: v for k, v in opts[args.method].items() if v is not None}
    rec = _run_with_progress(f"solve ({args.method})", args.t_end if args.t_end == args.t_end else 0.0, fn,
                             gamma=args.gamma, t_end=args.t_end, init=args.init, snapshots=args.snapshots,
                             mutant=args.mutant, **kw)
    _emit(rec, args.json, ("mass", "energy", "tpar", "moment4", "entropy", "fisher"))
    return EXIT_OK


_COMMANDS = {"certify": _cmd_certify, "mutants": _cmd_mutants, "simulate": _cmd_simulate, "solve": _cmd_solve}


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``mbc-verify`` console script; returns the exit code."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        if args.command is None:
            parser.print_help()
            return EXIT_USAGE
        return _COMMANDS[args.command](args)
    except UsageError as exc:
        print(f"mbc-verify: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except ValueError as exc:
        print(f"mbc-verify: error: {str(exc).splitlines()[0]}", file=sys.stderr)
        return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
