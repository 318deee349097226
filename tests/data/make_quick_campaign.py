"""Regenerate tests/data/quick_campaign.json: every check of the quick campaign at seed 0 (the stored values of the
regression test tests/test_regression.py).

    python tests/data/make_quick_campaign.py

Update the stored values only where a claim changed ON PURPOSE, and record which and why in ``changed_on_purpose``
(kept from the existing file; edit it by hand) and in the closing note. ``report_v0.1.json`` beside this file is
the quick report of mbc_verify 0.1 (before certificates were made of checks), against which the headlines of the
claims not listed as changed are compared.
"""

from __future__ import annotations

import json
import math
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent


def enc(x: float) -> float | str:
    return x if math.isfinite(x) else repr(x)


def main() -> int:
    sys.path.insert(0, str(HERE.parents[1]))
    from mbc_verify.campaign import certify

    path = HERE / "quick_campaign.json"
    old = json.loads(path.read_text()) if path.exists() else {}
    with tempfile.TemporaryDirectory() as tmp:
        certs = certify("quick", None, seed=0, out_dir=tmp)
    doc = {"profile": "quick", "seed": 0, "changed_on_purpose": old.get("changed_on_purpose", {}),
           "claims": {c.claim_id: {"verdict": c.verdict, "primary": c.headline.name if c.headline else "",
                                   "checks": {k.name: enc(k.measured) for k in c.checks}} for c in certs}}
    path.write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n")
    print(f"wrote {path}: {sum(len(c['checks']) for c in doc['claims'].values())} checks")
    return 0


if __name__ == "__main__":
    sys.exit(main())
