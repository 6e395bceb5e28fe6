"""How well the machine-corrected reading (`ingest/ocr.py`) restores OCR-damaged Danish.

Texts nobody tuned the repair on (`eval/data/dedup_texts.jsonl`: memos, letters and page furniture written for
the dedup benchmark) are damaged the way the seed corpus's scans are (FACTS.md: æ, ø, å lost to ae/ee/a,
g/e/o, a/d/é; l read as I), with a fixed seed, and repaired. Per word: of the damaged words, the share put
right (restored); of the words the damage left alone, the share the repair broke (broken).

    python -m eval.ocr_repair [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from eval.garble import Garbling, garble
from ingest.ocr import repair

TEXTS = Path(__file__).parent / "data" / "dedup_texts.jsonl"
# The seed scans' confusions (FACTS.md, 000 against 001); the Danish letters are lost everywhere.
SCAN_CONFUSIONS: dict[str, tuple[str, ...]] = {
    "æ": ("ae", "ee", "a", "ze"),
    "ø": ("g", "e", "o"),
    "å": ("a", "a", "d", "é"),
    "l": ("I",),
}


def measure(texts: Sequence[str], seeds: Sequence[int] = (0, 1, 2)) -> dict[str, float | int]:
    damaged = restored = kept = broken = 0
    for seed in seeds:
        g = Garbling(rate=0.1, confusions=SCAN_CONFUSIONS, rewrap=False, seed=seed)
        for text in texts:
            clean = text.split()
            scanned = garble(text, g).split()
            fixed = repair(" ".join(scanned)).split()
            if not len(clean) == len(scanned) == len(fixed):
                continue  # the damage never adds or drops words here; a guard all the same
            for truth, scan, out in zip(clean, scanned, fixed, strict=True):
                if scan != truth:
                    damaged += 1
                    restored += out == truth
                else:
                    kept += 1
                    broken += out != truth
    return {
        "damaged_words": damaged,
        "restored": round(restored / max(1, damaged), 3),
        "undamaged_words": kept,
        "broken": round(broken / max(1, kept), 4),
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.ocr_repair", description=__doc__.split("\n")[0])
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    texts = [json.loads(line)["text"] for line in TEXTS.read_text(encoding="utf-8").splitlines() if line]
    report = measure(texts)
    print(json.dumps(report) if args.json else "\n".join(f"{k}: {v}" for k, v in report.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
