"""Shared helpers of the claim modules: profile sizes, the evidence plot, certificate construction."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from ..serialize import to_jsonable  # noqa: E402
from .registry import STATEMENTS  # noqa: E402


def pick(profile: str, quick: Any, full: Any) -> Any:
    """The size for ``profile`` (``quick`` or ``full``)."""
    return quick if profile == "quick" else full


def figure(nrows: int = 1, ncols: int = 1, width: float = 5.0, height: float = 3.6):
    """A matplotlib figure with ``nrows × ncols`` axes (Agg backend: no screen needed)."""
    fig, axes = plt.subplots(nrows, ncols, figsize=(width * ncols, height * nrows), squeeze=False)
    return fig, axes


def save_evidence(out_dir: Path, claim_id: str, fig=None, data: dict[str, Any] | None = None,
                  mutant: str | None = None) -> list[str]:
    """Save the claim's PNG (and its data as JSON) under ``out_dir``; return the file names (relative)."""
    stem = claim_id.lower() + (f"-{mutant}" if mutant else "")
    names = []
    if fig is not None:
        fig.suptitle(f"{claim_id}: {STATEMENTS[claim_id][1]}" + (f"  [mutant {mutant}]" if mutant else ""),
                     fontsize=9)
        fig.tight_layout()
        fig.savefig(out_dir / f"{stem}.png", dpi=110)
        plt.close(fig)
        names.append(f"{stem}.png")
    if data is not None:
        (out_dir / f"{stem}.json").write_text(json.dumps(to_jsonable(data), indent=1) + "\n")
        names.append(f"{stem}.json")
    return names
