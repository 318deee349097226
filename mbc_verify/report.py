"""Campaign reports: ``report.json`` (machine-readable), ``report.md`` (human-readable) and the console table."""

from __future__ import annotations

import json
import platform
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from . import __version__
from .certificate import Certificate, Check
from .outputs import atomic_write_text

_VERDICT_MARK = {"pass": "PASS", "fail": "FAIL", "error": "ERROR", "interrupted": "INTERRUPTED",
                 "not-implemented": "not implemented"}


def fmt(x: float | None) -> str:
    """Compact number formatting for tables ("—" for missing)."""
    if x is None:
        return "—"
    if x != x:
        return "nan"
    if x == 0 or 1e-3 <= abs(x) < 1e5:
        return f"{x:.4g}"
    return f"{x:.3e}"


def expected_text(c: Check | None) -> str:
    """The expected value or bound, as the relation reads it."""
    if c is None:
        return "—"
    return {"le": "≤ ", "ge": "≥ ", "in": "∈ CI ∋ "}.get(c.relation, "") + fmt(c.expected)


def tolerance_text(c: Check | None) -> str:
    """The tolerance with its kind (absolute or relative)."""
    if c is None:
        return "—"
    return ("rel " if c.relation == "rel" else "") + fmt(c.tolerance)


def rows(certs: Sequence[Certificate], short: bool = False) -> list[list[str]]:
    """Table rows: id, claim (its short name when ``short``), measured, expected, tolerance (of the primary
    check), verdict, seconds."""
    from .claims.registry import STATEMENTS

    out = []
    for c in certs:
        head = c.headline
        out.append([c.claim_id, STATEMENTS[c.claim_id][0] if short else c.statement,
                    fmt(head.measured if head else None), expected_text(head), tolerance_text(head),
                    _VERDICT_MARK[c.verdict], f"{c.wall_seconds:.1f}"])
    return out


def check_rows(c: Certificate) -> list[str]:
    """Markdown table of every check of a certificate."""
    lines = ["| check | measured | expected | tolerance | relation | holds | tolerance source |",
             "|---|---|---|---|---|---|---|"]
    for k in c.checks:
        mark = "yes" if k.holds else "**NO**"
        star = " (primary)" if c.headline is k else ""
        lines.append(f"| {k.name}{star} | {fmt(k.measured)} | {expected_text(k)} | {tolerance_text(k)} | "
                     f"`{k.relation}` | {mark} | {k.source} |")
    return lines


NORMALISATION = (
    "Normalisation (docs/spec.md §1): ∂_t f = ½ ∇·∫ a(v−w)(f(w)∇f(v) − f(v)∇f(w)) dw with a(z) = |z|^(γ+2)(I − ẑ⊗ẑ), "
    "the paper's eq. (1.1) with its ½; MBC pair rate (2/N)·4|u|^γ/h², grazing parameter h. A plasma physicist's "
    "collision factor (Λ/8π-type constants, ln Λ, charges and masses) multiplies the right-hand side by a constant "
    "c; that is the rescaling of time t → c·t, and every rate here is per unit of this dimensionless time."
)

HEADER = ["id", "claim", "measured", "expected", "tolerance", "verdict", "seconds"]


def summary(certs: Sequence[Certificate]) -> dict[str, int]:
    """Counts per verdict."""
    out = {v: 0 for v in _VERDICT_MARK}
    for c in certs:
        out[c.verdict] += 1
    return out


def write_reports(certs: Sequence[Certificate], out_dir: Path, meta: dict[str, Any],
                  json_file: Path | None = None, link_prefix: str = "") -> tuple[Path, Path]:
    """Write ``report.json`` and ``report.md`` under ``out_dir`` (and the JSON also to ``json_file``); the Markdown
    links to the evidence files are prefixed by ``link_prefix`` (their directory relative to ``out_dir``)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    doc = {
        "tool": "mbc-verify",
        "version": __version__,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "machine": platform.machine(),
        **meta,
        "summary": summary(certs),
        "all_passed": bool(certs) and all(c.passed for c in certs),
        "certificates": [c.to_dict() for c in certs],
    }
    text = json.dumps(doc, indent=2) + "\n"
    mpath = atomic_write_text(out_dir / "report.md", markdown(certs, doc, link_prefix))
    jpath = atomic_write_text(out_dir / "report.json", text)
    if json_file is not None:
        atomic_write_text(json_file, text)
    return jpath, mpath


def markdown(certs: Sequence[Certificate], doc: dict[str, Any], link_prefix: str = "") -> str:
    """The Markdown report: the summary table, then one section per certificate."""
    lines = [
        "# mbc-verify certification report",
        "",
        f"Profile `{doc.get('profile')}`, seed {doc.get('seed')}, mutant `{doc.get('mutant')}`, "
        f"mbc_verify {doc['version']}, {doc['created']}, run `{doc.get('run_id')}`"
        + (" — **interrupted**: unfinished claims are marked INTERRUPTED" if doc.get("interrupted") else "") + ".",
        "",
        "| " + " | ".join(HEADER) + " |",
        "|" + "---|" * len(HEADER),
    ]
    lines += ["| " + " | ".join(r) + " |" for r in rows(certs)]
    s = doc["summary"]
    lines += ["", NORMALISATION]
    lines += ["", f"Passed {s['pass']} of {len(certs)}; failed {s['fail']}, errors {s['error']}, "
              f"not implemented {s['not-implemented']}.", ""]
    if doc.get("mutation_matrix"):
        lines += matrix_markdown(doc["mutation_matrix"])
    for c in certs:
        lines += [f"## {c.claim_id}: {c.statement}", "", f"- verdict: **{_VERDICT_MARK[c.verdict]}**"]
        head = c.headline
        if head is not None and head.quantity:
            lines.append(f"- quantity: {head.quantity}")
        if c.seeds:
            lines.append(f"- seeds: {', '.join(map(str, c.seeds))}")
        if c.sizes:
            lines.append("- sizes: " + ", ".join(f"{k} = {v}" for k, v in c.sizes.items()))
        if c.checks:
            lines += ["", *check_rows(c), ""]
        for name in c.evidence:
            ev = link_prefix + name
            lines.append(f"- evidence: [{ev}]({ev})" + (f"\n\n  ![{c.claim_id}]({ev})" if ev.endswith(".png") else ""))
        for k, v in c.details.items():
            if k != "traceback":
                lines.append(f"- {k}: {v}")
        lines += [f"- wall time: {c.wall_seconds:.1f} s", ""]
    return "\n".join(lines) + "\n"


_MATRIX_MARK = {"pass": "survives", "unaffected": "·", "fail": "**killed**", "error": "**killed** (error)",
                "not-implemented": "n/i"}


def matrix_markdown(matrix: dict[str, dict[str, str]]) -> list[str]:
    """The mutation matrix (mutants × claims) as Markdown lines, with the kill counts both ways."""
    claims = list(next(iter(matrix.values())).keys())
    lines = ["## Mutation matrix", "",
             "Each planted defect (`mbc-verify mutants`) is run against each claim that uses its component; "
             "**killed** = the claim fails under the defect (good), survives = it still passes, · = the claim's "
             "computation does not use the defective component.", "",
             "| mutant | " + " | ".join(claims) + " | kills |", "|---|" + "---|" * (len(claims) + 1)]
    for name, row in matrix.items():
        kills = sum(v not in ("pass", "unaffected") for v in row.values())
        lines.append(f"| {name} | " + " | ".join(_MATRIX_MARK.get(row[c], row[c]) for c in claims) + f" | {kills} |")
    killed_by = [sum(matrix[m][c] not in ("pass", "unaffected") for m in matrix) for c in claims]
    lines += ["| killed by | " + " | ".join(str(k) for k in killed_by) + " | |", ""]
    return lines
