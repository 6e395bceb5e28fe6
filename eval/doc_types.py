"""How well a document's type is told from its opening: labelled openings of documents in both languages
(`eval/data/doc_types_heldout.jsonl`, written without looking at the classifier), each built as ingest builds
a plain-text file's document (`ingest.build.build_document`), whose type is compared.

    python -m eval.doc_types [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ingest.build import build_document
from ingest.chunk import ChunkSizes
from ingest.files import SourceFile

HELDOUT = Path(__file__).parent / "data" / "doc_types_heldout.jsonl"


@dataclass(frozen=True)
class Opening:
    """A document's opening and the type it is."""

    oid: str
    lang: str
    expected: str
    name: str
    text: str


def load_openings(path: Path = HELDOUT) -> list[Opening]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [Opening(r["id"], r["lang"], r["type"], r["name"], r["text"]) for r in rows]


def type_of(opening: Opening) -> str:
    """The type ingest gives the opening, read as the plain text (or Markdown) it is."""
    suffix = ".md" if opening.name.endswith(".md") else ".txt"
    name = Path(opening.name).stem + suffix
    doc, _ = build_document(opening.text.encode("utf-8"), SourceFile(Path(name), name), {}, ChunkSizes())
    return doc.doc_type


def score(openings: Sequence[Opening]) -> dict[str, object]:
    """Accuracy over all, per type and per language, and the confusions (expected → given)."""
    given = [(o, type_of(o)) for o in openings]

    def share(pairs: Sequence[tuple[Opening, str]]) -> float:
        return round(sum(o.expected == t for o, t in pairs) / len(pairs), 3) if pairs else 0.0

    types = sorted({o.expected for o in openings})
    return {
        "n": len(openings),
        "accuracy": share(given),
        "by_type": {t: share([(o, g) for o, g in given if o.expected == t]) for t in types},
        "by_language": {lang: share([(o, g) for o, g in given if o.lang == lang]) for lang in ("da", "en")},
        "confusions": dict(Counter(f"{o.expected} → {g}" for o, g in given if o.expected != g)),
        "misses": [o.oid for o, g in given if o.expected != g],
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.doc_types", description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print JSON")
    args = parser.parse_args(argv)
    report = score(load_openings())
    if args.json:
        json.dump(report, sys.stdout, ensure_ascii=False, indent=2)
        print()
    else:
        print(f"accuracy {report['accuracy']:.3f} (n={report['n']})")
        print("by type:", report["by_type"])
        print("by language:", report["by_language"])
        print("confusions:", report["confusions"])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
