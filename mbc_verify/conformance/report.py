"""Conformance reports: the operator × certificate matrix as Markdown, JSON and a picture.

``conform.json`` holds every certificate (all checks, the derived verdicts, the failure messages ``why``) and the
matrix; ``conform.md`` the matrix, the table of fitted Δt orders and error constants, the failures with their
reasons and the checks of each certificate; ``matrix.png`` the matrix as coloured cells (verdict and, for the
certificates that fit one, the Δt order of their headline quantity).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import __version__
from ..certificate import Certificate
from ..outputs import atomic_savefig, atomic_write_json, atomic_write_text
from ..report import check_rows, fmt

MARK = {"pass": "PASS", "fail": "FAIL", "error": "ERROR", "interrupted": "INTERRUPTED",
        "not-implemented": "not implemented", "n/a": "n/a"}
COLOUR = {"pass": "#8fd19e", "fail": "#f5a3a3", "error": "#f7c68f", "interrupted": "#f3e39b", "n/a": "#dddddd",
          "not-implemented": "#dddddd"}


NUMBERS = ("gamma", "order", "constant", "limit", "limit_stderr")


def _number(x: Any) -> float:
    return {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}.get(x, x) if isinstance(x, str) \
        else (math.nan if x is None else float(x))


@dataclass
class Cell:
    """One cell of the matrix: an operator's certificate, or why it does not apply."""

    operator: str
    certificate: str
    cert: Certificate | None = None
    not_applicable: str | None = None

    @property
    def verdict(self) -> str:
        """The certificate's verdict, or ``n/a``."""
        return "n/a" if self.cert is None else self.cert.verdict

    @property
    def orders(self) -> list[dict[str, Any]]:
        """The fitted orders recorded in the certificate's details (non-finite numbers decoded, as a certificate
        read back from JSON holds them as strings)."""
        if self.cert is None:
            return []
        return [{k: (_number(v) if k in NUMBERS else v) for k, v in row.items()}
                for row in self.cert.details.get("orders", [])]

    def to_dict(self) -> dict[str, Any]:
        """Plain data."""
        return {"operator": self.operator, "certificate": self.certificate, "verdict": self.verdict,
                "not_applicable": self.not_applicable, **({"result": self.cert.to_dict()} if self.cert else {})}


def order_text(row: dict[str, Any]) -> str:
    """``0.96 [0.70, 1.21]`` or ``—``."""
    p = row.get("order")
    if p is None or not math.isfinite(p):
        return "not resolved" if row.get("limit_holds", True) else "— (the Δt → 0 limit fails)"
    lo, hi = (_number(x) for x in row["order_ci"])
    return f"{p:.2f} [{lo:.2f}, {hi:.2f}]"


def matrix(cells: Sequence[Cell]) -> dict[str, dict[str, str]]:
    """{operator: {certificate: verdict}} in input order."""
    out: dict[str, dict[str, str]] = {}
    for c in cells:
        out.setdefault(c.operator, {})[c.certificate] = c.verdict
    return out


def cell_text(c: Cell) -> str:
    """A Markdown cell: the verdict, and the orders of the fitted quantities (γ: order)."""
    text = MARK[c.verdict]
    orders = [o for o in c.orders if o.get("order") is not None and math.isfinite(o["order"])]
    if orders:
        text += " (" + ", ".join(f"{o.get('label', o['gamma'])}: {o['order']:.2f}" for o in orders) + ")"
    return text


def markdown(cells: Sequence[Cell], meta: dict[str, Any]) -> str:
    """The Markdown report (module docstring)."""
    ops = list(matrix(cells))
    certs = list(dict.fromkeys(c.certificate for c in cells))
    by = {(c.operator, c.certificate): c for c in cells}
    lines = [f"# mbc-verify conform ({meta['profile']} profile)", "",
             f"mbc_verify {__version__}; seed {meta['seed']}; γ selection "
             f"{meta['gammas'] or 'each certificate’s default'}; {meta['wall_seconds']:.0f} s.", "",
             "Verdicts; in brackets the fitted Δt order p (error ≈ C Δt^p) of each certified quantity whose Δt "
             "dependence is resolved (table below). n/a: the certificate does not apply (reason below).", "",
             "| operator | " + " | ".join(certs) + " |", "|---|" + "---|" * len(certs)]
    for op in ops:
        lines.append(f"| `{op}` | " + " | ".join(cell_text(by[(op, c)]) if (op, c) in by else "—" for c in certs)
                     + " |")
    lines += ["", "## Fitted Δt orders and error constants", "",
              "error ≈ C Δt^p of the quantity; the Δt → 0 limit of the error (certified to be 0 within 5σ) with its "
              "standard error.", "",
              "| operator | certificate | γ | quantity | order p [99 % CI] | C | Δt → 0 error ± se |",
              "|---|---|---|---|---|---|---|"]
    for c in cells:
        for o in c.orders:
            lines.append(f"| `{c.operator}` | {c.certificate} | {o['gamma']:g} | {o['quantity']} | {order_text(o)} | "
                         f"{fmt(o.get('constant'))} | {fmt(o.get('limit'))} ± {fmt(o.get('limit_stderr'))} |")
    lines += _failures(cells) + _not_applicable(cells) + _checks(cells)
    return "\n".join(lines) + "\n"


def _failures(cells: Sequence[Cell]) -> list[str]:
    bad = [c for c in cells if c.cert is not None and not c.cert.passed]
    if not bad:
        return []
    out = ["", "## Failures and why", ""]
    for c in bad:
        out.append(f"- `{c.operator}` / {c.certificate}: **{MARK[c.verdict]}**")
        reasons = c.cert.details.get("why") or [c.cert.details.get("error", "")]
        out += [f"  - {r}" for r in reasons if r]
    return out


def _not_applicable(cells: Sequence[Cell]) -> list[str]:
    na = [c for c in cells if c.cert is None]
    if not na:
        return []
    return ["", "## Not applicable", ""] + [f"- `{c.operator}` / {c.certificate}: {c.not_applicable}" for c in na]


def _checks(cells: Sequence[Cell]) -> list[str]:
    out = ["", "## Checks", ""]
    for c in cells:
        if c.cert is None:
            continue
        out += [f"### `{c.operator}` / {c.certificate}: {MARK[c.verdict]}", "", c.cert.statement, ""]
        if c.cert.checks:
            out += check_rows(c.cert)
        if c.cert.evidence:
            out.append("")
            out.append("Evidence: " + ", ".join(f"[{Path(e).name}]({e})" for e in c.cert.evidence))
        out.append("")
    return out


def figure(cells: Sequence[Cell]) -> Any:
    """The matrix as coloured cells (module docstring)."""
    from ..claims.common import figure as new_figure

    ops = list(matrix(cells))
    certs = list(dict.fromkeys(c.certificate for c in cells))
    by = {(c.operator, c.certificate): c for c in cells}
    fig, ax = new_figure(1, 1, width=1.6 * len(certs) + 2.5, height=0.55 * len(ops) + 1.2)
    a = ax[0, 0]
    for i, op in enumerate(ops):
        for j, cid in enumerate(certs):
            c = by.get((op, cid))
            verdict = c.verdict if c is not None else "n/a"
            a.add_patch(_rect(j, len(ops) - 1 - i, COLOUR.get(verdict, "#ffffff")))
            text = MARK[verdict]
            orders = [o["order"] for o in (c.orders if c else []) if o.get("order") is not None
                      and math.isfinite(o["order"])]
            if orders:
                text += "\np " + "/".join(f"{p:.2f}" for p in orders[:5])
            a.text(j + 0.5, len(ops) - 0.5 - i, text, ha="center", va="center", fontsize=6)
    a.set_xlim(0, len(certs))
    a.set_ylim(0, len(ops))
    a.set_xticks([j + 0.5 for j in range(len(certs))], certs, rotation=20, fontsize=7)
    a.set_yticks([len(ops) - 0.5 - i for i in range(len(ops))], ops, fontsize=7)
    a.set_title("mbc-verify conform: operator × certificate", fontsize=9)
    fig.tight_layout()
    return fig


def _rect(x: float, y: float, colour: str) -> Any:
    from matplotlib.patches import Rectangle

    return Rectangle((x, y), 1, 1, facecolor=colour, edgecolor="white")


def write(cells: Sequence[Cell], out: Path, meta: dict[str, Any], json_file: Path | None = None) -> list[Path]:
    """Write conform.json, conform.md and matrix.png under ``out`` (and the JSON also to ``json_file``)."""
    import matplotlib.pyplot as plt

    doc = {**meta, "mbc_verify": __version__, "matrix": matrix(cells), "cells": [c.to_dict() for c in cells]}
    paths = [atomic_write_json(out / "conform.json", doc), atomic_write_text(out / "conform.md", markdown(cells, meta))]
    fig = figure(cells)
    paths.append(atomic_savefig(fig, out / "matrix.png", dpi=130))
    plt.close(fig)
    if json_file is not None:
        paths.append(atomic_write_json(json_file, doc))
    return paths
