"""The reports of ``mbc-verify power``: ``power.json``, ``power.md`` (the table and the targets) and ``power.png``."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from .claims import CLAIM_IDS, all_claims
from .mutants import FAMILIES
from .outputs import atomic_savefig, atomic_write_json, atomic_write_text
from .power import assess


def cell(row: dict[str, Any] | None, uses: bool = False) -> str:
    """A table cell: ε*, ``≤ ε_min`` at the floor, ``> ε_max`` when not detected, ``FA`` (false alarm at ε = 0),
    ``…`` unfinished, ``–`` not searched although the claim uses the family's component (``uses``), ``·`` when it
    does not; ``(f)`` marks a catch made only by formula checks."""
    if row is None:
        return "–" if uses else "·"
    state, star = row["state"], row["eps_star"]
    if state.startswith("skipped"):
        return "FA"
    if state == "not detected":
        return f"> {row['evaluations'][0]['eps']:.2g}"
    if star is None or state == "searching":
        return "…"
    text = f"≤ {star:.2g}" if state == "at floor" else f"{star:.2g}"
    return text + (" (f)" if row["formula_only"] else "")


def _by_cell(rows: list[dict[str, Any]]) -> dict[tuple[str, str], dict[str, Any]]:
    """The search shown in each (family, claim) cell: the claim's (scope ``all``)."""
    return {(r["family"], r["claim"]): r for r in rows if r.get("scope", "all") == "all"}


def cell_text(rows: list[dict[str, Any]], family: str, claim: str, uses: bool) -> str:
    """:func:`cell` of the claim's search, followed by ``; run ε*`` when its engine or solver checks alone were
    searched too (its catch was by formula checks)."""
    text = cell(_by_cell(rows).get((family, claim)), uses)
    run = [r for r in rows if r.get("scope") == "run" and (r["family"], r["claim"]) == (family, claim)]
    return text + (f"; run {cell(run[0])}" if run else "")


def _table(doc: dict[str, Any]) -> list[str]:
    rows = doc["searches"]
    claims = [c for c in CLAIM_IDS if any(r["claim"] == c for r in rows)]
    families = list(dict.fromkeys(r["family"] for r in rows))
    uses = {c.claim_id: c.uses for c in all_claims() if c.claim is not None}
    lines = ["| family | " + " | ".join(claims) + " |", "|---|" + "---|" * len(claims)]
    for f in families:
        target = FAMILIES[f].target
        lines.append(f"| {f} | " + " | ".join(cell_text(rows, f, c, target in uses.get(c, ())) for c in claims)
                     + " |")
    return lines


def _targets(doc: dict[str, Any]) -> list[str]:
    lines = ["| family | detected by | in an engine or solver run | best ε* | target | meets |",
             "|---|---|---|---|---|---|"]
    for t in doc["targets"]:
        best = "—" if t["best_eps"] is None else f"{t['best_eps']:.2g}"
        target = "≥ 2 claims" if t["target"] is None else f"≤ {t['target']:.2g}"
        lines.append(f"| {t['family']} | {', '.join(t['detected_by']) or '—'} | "
                     f"{', '.join(t['engine_or_solver']) or '—'} | {best} | {target} | "
                     f"{'yes' if t['meets_target'] else '**no**'} |")
    return lines


def markdown(doc: dict[str, Any]) -> str:
    """``power.md``: how to read it, the ε* table, the targets and the false alarms."""
    fa = doc["false_alarms"]
    head = [f"# Detection power ({doc['profile']} profile, seed {doc['seed']})", "",
            "ε* is the smallest amplitude of the defect family (row) at which the claim (column) fails, on the grid "
            f"ε_max·2^(−k/{doc['steps_per_octave']}) searched by bisection at a fixed seed; the next smaller grid "
            "amplitude passes. `> x`: passes at the largest amplitude x searched; `≤ x`: fails at the smallest; "
            "`(f)`: caught only by checks of a formula, not of an engine or solver run, and then `; run x`: the "
            "ε* of the claim's engine or solver checks alone; `FA`: the claim fails "
            "without a defect; `–`: not searched (the claim uses the component); `·`: the claim's computation "
            "does not use the family's component. The families are listed by `mbc-verify mutants`.", ""]
    if len(doc.get("invocations", ())) > 1:
        head += ["Merged from " + "; ".join(f"`mbc-verify power --families {','.join(i['families'])} --claims "
                                           f"{','.join(i['claims'])}`" for i in doc["invocations"]) + ".", ""]
    if doc["interrupted"]:
        head += ["**Interrupted**: the searches marked `…` did not finish.", ""]
    body = _table(doc) + ["", "## Targets", ""] + _targets(doc)
    body += ["", "## False alarms (ε = 0)", "",
             f"{fa['failures']} failing certificates in {fa['evaluations']} unmutated claim runs at seeds "
             f"{', '.join(str(s) for s in fa['seeds'])}.", "",
             f"Wall time {doc.get('wall_seconds', math.nan):.0f} s in {doc.get('rounds', 0)} rounds."]
    return "\n".join(head + body) + "\n"


def figure(doc: dict[str, Any]) -> Any:
    """ε* per family × claim on a log colour scale (grey: not detected, not searched or not applicable; the cell
    text of :func:`cell` tells them apart)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np
    from matplotlib.colors import LogNorm

    rows = doc["searches"]
    claims = [c for c in CLAIM_IDS if any(r["claim"] == c for r in rows)]
    families = [f for f in FAMILIES if any(r["family"] == f for r in rows)]
    by = _by_cell(rows)
    grid = np.full((len(families), len(claims)), np.nan)
    for i, f in enumerate(families):
        for j, c in enumerate(claims):
            r = by.get((f, c))
            if r is not None and r["eps_star"] is not None:
                grid[i, j] = r["eps_star"]
    fig, ax = plt.subplots(figsize=(max(5.0, 1.0 + 0.75 * len(claims)), max(2.5, 1.2 + 0.42 * len(families))))
    ax.set_facecolor("0.85")
    finite = grid[np.isfinite(grid)]
    norm = LogNorm(vmin=finite.min(), vmax=finite.max()) if finite.size and finite.min() < finite.max() else None
    im = ax.imshow(np.ma.masked_invalid(grid), norm=norm, cmap="viridis_r", aspect="auto")
    uses = {c.claim_id: c.uses for c in all_claims() if c.claim is not None}
    for i, f in enumerate(families):
        for j, c in enumerate(claims):
            ax.text(j, i, cell_text(rows, f, c, FAMILIES[f].target in uses.get(c, ())).replace("; ", "\n"),
                    ha="center", va="center", fontsize=6)
    ax.set_xticks(range(len(claims)), claims)
    ax.set_yticks(range(len(families)), families)
    ax.set_xlabel("claim")
    ax.set_ylabel("defect family")
    ax.set_title(f"smallest detected amplitude ε* ({doc['profile']} profile; grey: not detected)", fontsize=9)
    fig.colorbar(im, ax=ax, label="ε* (log scale)")
    fig.tight_layout()
    return fig


def merge_documents(docs: list[dict[str, Any]]) -> dict[str, Any]:
    """One ``power.json`` document from several runs of the same profile and seed (e.g. different families × claims
    per run): the searches of all (a later run's search of the same family × claim replaces an earlier one), the
    false-alarm verdicts of all, the targets assessed on the union, and ``invocations``: each run's families and
    claims, so that the table can be regenerated run by run."""
    if len({(d["profile"], d["seed"]) for d in docs}) != 1:
        raise ValueError("docs: power documents of one profile and seed only")
    rows: dict[tuple[str, str], dict[str, Any]] = {}
    verdicts: dict[str, dict[str, str]] = {}
    for d in docs:
        rows.update({(r["family"], r["claim"], r.get("scope", "all")): r for r in d["searches"]})
        for cid, per in d["false_alarms"]["verdicts"].items():
            verdicts.setdefault(cid, {}).update(per)
    first = docs[0]
    searches = list(rows.values())
    return {**{k: first[k] for k in ("profile", "seed", "steps_per_octave")},
            "run_id": ",".join(d["run_id"] for d in docs), "interrupted": any(d["interrupted"] for d in docs),
            "searches": searches,
            "false_alarms": {"seeds": sorted({s for d in docs for s in d["false_alarms"]["seeds"]}),
                             "verdicts": verdicts,
                             "failures": sum(v != "pass" for per in verdicts.values() for v in per.values()),
                             "evaluations": sum(len(per) for per in verdicts.values())},
            "targets": assess(searches, first["profile"]),
            "invocations": [i for d in docs for i in invocations(d)],
            "wall_seconds": sum(d.get("wall_seconds", 0.0) for d in docs),
            "rounds": sum(d.get("rounds", 0) for d in docs)}


def invocations(doc: dict[str, Any]) -> list[dict[str, list[str]]]:
    """The families × claims runs a document came from (its own, for a document of one run)."""
    if "invocations" in doc:
        return doc["invocations"]
    return [{"families": list(dict.fromkeys(r["family"] for r in doc["searches"])),
             "claims": sorted({r["claim"] for r in doc["searches"]}, key=lambda c: int(c[1:]))}]


def write_power_reports(doc: dict[str, Any], out: Path) -> None:
    """Write ``power.json``, ``power.md`` and ``power.png`` atomically into ``out``."""
    import matplotlib.pyplot as plt

    atomic_write_json(out / "power.json", doc)
    atomic_write_text(out / "power.md", markdown(doc))
    fig = figure(doc)
    atomic_savefig(fig, out / "power.png", dpi=120)
    plt.close(fig)


def main(argv: list[str] | None = None) -> int:
    """``python -m mbc_verify.power_report A/power.json B/power.json … --out DIR``: merge and write the reports."""
    import argparse
    import json

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("documents", nargs="+", type=Path, help="power.json files of one profile and seed")
    parser.add_argument("--out", type=Path, required=True, help="output directory of the merged reports")
    args = parser.parse_args(argv)
    doc = merge_documents([json.loads(p.read_text(encoding="utf-8")) for p in args.documents])
    args.out.mkdir(parents=True, exist_ok=True)
    write_power_reports(doc, args.out)
    print(f"wrote {args.out}/power.{{json,md,png}}: {len(doc['searches'])} searches")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

__all__ = ["cell", "figure", "invocations", "markdown", "merge_documents", "write_power_reports"]
