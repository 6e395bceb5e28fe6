"""Duplicate detection benchmark: precision and recall of document deduplication over the garbling rate.

    python -m eval.dedup [--results results] [--rates 0,0.1,0.2] [--json]

For each garbling rate a generated set is ingested through the real pipeline (`run_ingest`, which groups
duplicates with `ingest.dedup`'s MinHash-LSH clusters verified at `DOC_THRESHOLD`):

- clean documents: runs of paragraphs of the seed corpus's born-digital files, and our own texts;
- one garbled copy of each (`eval.garble` at the rate): the true duplicates;
- near misses, which are not duplicates: form letters that share a letterhead and a closing paragraph
  (about 50 words) around different texts of 80 words or more, and documents quoting two sentences of a
  clean document after 80 words or more of other text.
  The clean documents themselves share topic and vocabulary (one municipality's complaint reports).

Pairs of documents are counted: a pair is predicted when both land in one duplicate group. Precision is
undefined (null) when no pair is predicted. `clean_canonical`: of the groups holding a clean document, how
many chose a clean one as the copy to keep.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

from eval.datasets import fingerprint
from eval.garble import Garbling, garble
from eval.plot import curve_plot
from eval.report import markdown_table, provenance
from index.record import Record
from ingest.dedup import DOC_THRESHOLD, SIGNATURE_SCHEME, jaccard, key_shingles
from ingest.pipeline import IngestOptions, run_ingest

DATA = Path(__file__).parent / "data"
OWN_TEXTS = DATA / "dedup_texts.jsonl"
CORPUS = Path(__file__).resolve().parent.parent / "corpus"
SEEDS = ("001", "003", "004")  # born-digital; 000 and 002 are OCR scans
RATES = (0.0, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5)
DOC_WORDS = 180  # a clean document: consecutive paragraphs up to at least this many words
LETTER_WORDS = 80  # a form letter's own text, around a letterhead and closing of about 50 words
MIN_PARAGRAPH_WORDS = 15
SEED = 11
_SENTENCE = re.compile(r"(?<=[.!?])\s+")


@dataclass(frozen=True)
class GenDoc:
    name: str
    family: str  # documents of one family are copies of one another
    kind: str  # clean, garbled, letter, quoting
    text: str


def paragraphs(text: str) -> list[str]:
    """Prose paragraphs (blank-line separated), whitespace collapsed; no headings, tables or markup."""
    paras = (" ".join(p.split()) for p in re.split(r"\n\s*\n", text))
    return [
        p
        for p in paras
        if len(p.split()) >= MIN_PARAGRAPH_WORDS and "<" not in p and not p.startswith(("#", "|"))
    ]


def _group(paras: Sequence[str], words: int = DOC_WORDS) -> list[str]:
    docs: list[list[str]] = [[]]
    for para in paras:
        if sum(len(p.split()) for p in docs[-1]) >= words:
            docs.append([])
        docs[-1].append(para)
    return ["\n\n".join(d) for d in docs if sum(len(p.split()) for p in d) >= words // 2]


def _own_texts() -> dict[str, list[str]]:
    kinds: dict[str, list[str]] = {}
    for line in OWN_TEXTS.read_text(encoding="utf-8").splitlines():
        if line.strip():
            item = json.loads(line)
            kinds.setdefault(item["kind"], []).append(item["text"])
    return kinds


def base_set(corpus: Path = CORPUS) -> tuple[list[GenDoc], list[GenDoc]]:
    """Clean documents and near misses; every fourth seed paragraph is kept for the near misses' text."""
    own = _own_texts()
    pool: list[str] = []
    texts: list[str] = []
    for prefix in SEEDS:
        paras = paragraphs(next(corpus.glob(f"{prefix}_*")).read_text(encoding="utf-8"))
        pool += paras[3::4]
        texts += _group([p for i, p in enumerate(paras) if i % 4 != 3])
    texts += own["document"]
    clean: list[GenDoc] = []
    for text in texts:  # a seed repeats some of its own paragraphs: keep documents that do not overlap
        key = key_shingles(text)
        if all(jaccard(key, key_shingles(d.text)) < 0.1 for d in clean):
            clean.append(GenDoc(f"clean-{len(clean):02d}", f"f{len(clean):02d}", "clean", text))
    seen = set().union(*(key_shingles(d.text) for d in clean))
    pool = [p for p in pool if len(key_shingles(p) & seen) < len(key_shingles(p)) / 2]
    header, footer = own["header"][0], own["footer"][0]
    bodies = own["letter"] + _group(pool[0::2], LETTER_WORDS)
    near = [
        GenDoc(f"letter-{i:02d}", f"letter-{i:02d}", "letter", f"{header}\n\n{body}\n\n{footer}")
        for i, body in enumerate(bodies)
    ]
    others = _group(pool[1::2], LETTER_WORDS)
    for i, (doc, other) in enumerate(zip(clean[::3], others, strict=False)):
        quoted = " ".join(_SENTENCE.split(doc.text.split("\n\n")[0])[:2])
        text = f"{other}\n\nSom der står i redegørelsen: »{quoted}«"
        near.append(GenDoc(f"quoting-{i:02d}", f"quoting-{i:02d}", "quoting", text))
    return clean, near


def garbling(rate: float, seed: int) -> Garbling:
    """Letter confusions at `rate`; a worse scan also loses and merges more words."""
    return Garbling(rate=rate, drop_rate=rate / 5, merge_rate=rate / 5, seed=seed)


def generated_set(clean: Sequence[GenDoc], near: Sequence[GenDoc], rate: float) -> list[GenDoc]:
    copies = [
        GenDoc(f"garbled-{d.name[6:]}", d.family, "garbled", garble(d.text, garbling(rate, SEED + i)))
        for i, d in enumerate(clean)
    ]
    return [*clean, *copies, *near]


def detect(docs: Sequence[GenDoc], workdir: Path) -> tuple[dict[str, str], dict[str, str]]:
    """After a real ingest: each duplicate's canonical document, and every document's stored text."""
    folder = workdir / "docs"
    folder.mkdir()
    for doc in docs:
        (folder / f"{doc.name}.txt").write_text(doc.text + "\n", encoding="utf-8")
    record = Record(workdir / "record.sqlite3")
    try:
        run_ingest(record, [folder], IngestOptions())
        stored = record.documents(with_text=True)
    finally:
        record.close()
    name = {d.doc_id: Path(d.source).stem for d in stored}
    duplicate_of = {name[d.doc_id]: name[d.duplicate_of] for d in stored if d.duplicate_of}
    return duplicate_of, {name[d.doc_id]: d.text for d in stored}


def _pairs(groups: Sequence[Sequence[str]]) -> set[tuple[str, str]]:
    return {(a, b) for group in groups for a, b in combinations(sorted(group), 2)}


def score(docs: Sequence[GenDoc], duplicate_of: dict[str, str], texts: dict[str, str]) -> dict[str, object]:
    """Pair precision and recall, the kinds of wrongly paired documents, and the similarity margin."""
    families: dict[str, list[str]] = {}
    for doc in docs:
        families.setdefault(doc.family, []).append(doc.name)
    groups: dict[str, list[str]] = {}
    for member, canonical in duplicate_of.items():
        groups.setdefault(canonical, [canonical]).append(member)
    truth, predicted = _pairs(list(families.values())), _pairs(list(groups.values()))
    hits = len(truth & predicted)
    kind = {d.name: d.kind for d in docs}
    with_clean = [c for c, group in groups.items() if any(kind[m] == "clean" for m in group)]
    keys = {n: key_shingles(t) for n, t in texts.items()}
    true_sims = [jaccard(keys[a], keys[b]) for a, b in truth]
    other_sims = [jaccard(keys[a], keys[b]) for a, b in combinations(sorted(keys), 2) if (a, b) not in truth]
    return {
        "precision": round(hits / len(predicted), 4) if predicted else None,
        "recall": round(hits / len(truth), 4) if truth else None,
        "true_pairs": len(truth),
        "predicted_pairs": len(predicted),
        "correct_pairs": hits,
        "false_pairs": ", ".join(sorted(f"{kind[a]}+{kind[b]}" for a, b in predicted - truth)) or "none",
        "clean_canonical": f"{sum(kind[c] == 'clean' for c in with_clean)}/{len(with_clean)}",
        "groups": len(groups),
        "min_true_jaccard": round(min(true_sims), 3) if true_sims else None,
        "max_other_jaccard": round(max(other_sims), 3) if other_sims else None,
    }


def run_dedup(results_dir: Path, rates: Sequence[float] = RATES, corpus: Path = CORPUS) -> dict[str, object]:
    clean, near = base_set(corpus)
    curve = []
    for rate in rates:
        docs = generated_set(clean, near, rate)
        with tempfile.TemporaryDirectory(prefix="sporbar-dedup-") as tmp:
            duplicate_of, texts = detect(docs, Path(tmp))
        curve.append({"rate": rate, **score(docs, duplicate_of, texts)})
    seeds = [next(corpus.glob(f"{p}_*")) for p in SEEDS]
    report: dict[str, object] = {
        "benchmark": "dedup",
        "documents": {"clean": len(clean), "garbled": len(clean), "near_miss": len(near)},
        "settings": {
            "doc_threshold": DOC_THRESHOLD,
            "signature": SIGNATURE_SCHEME,
            "garbling": {
                "confusions": "eval.garble.OTHER_CONFUSIONS",
                "rate": "per row",
                "drop_rate": "rate/5",
                "merge_rate": "rate/5",
                "rewrap": True,
                "seed": f"{SEED} + document number",
            },
        },
        "data_fingerprint": fingerprint([*seeds, OWN_TEXTS]),
        "provenance": provenance(),
        "curve": curve,
    }
    write_dedup_report(report, results_dir / "dedup")
    return report


COLUMNS = (
    "rate",
    "precision",
    "recall",
    "predicted_pairs",
    "correct_pairs",
    "clean_canonical",
    "min_true_jaccard",
    "max_other_jaccard",
)


def _fmt(value: object) -> str:
    return "n/a" if value is None else f"{value:.3f}" if isinstance(value, float) else str(value)


def dedup_table(report: dict[str, object]) -> tuple[list[str], list[list[str]]]:
    curve = report["curve"]
    assert isinstance(curve, list)
    return list(COLUMNS), [[_fmt(row[c]) for c in COLUMNS] for row in curve]


def write_dedup_report(report: dict[str, object], out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    curve = report["curve"]
    assert isinstance(curve, list)
    rates = [row["rate"] for row in curve]
    series = {m: [row[m] for row in curve] for m in ("precision", "recall")}
    curve_plot("Document dedup over OCR garbling", rates, series, "garbling rate", out / "report.png")
    (out / "report.json").write_text(
        json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    docs = report["documents"]
    lines = [
        "# Duplicate detection over the garbling rate",
        "",
        f"Documents per rate: {docs}. Pairs of documents are scored; a pair is predicted when both land in "
        f"one duplicate group of a real ingest (verified key-shingle Jaccard >= {DOC_THRESHOLD}).",
        "",
        markdown_table(*dedup_table(report)),
        "",
        "![precision and recall](report.png)",
        "",
        "Wrongly paired kinds per rate: "
        + "; ".join(f"{row['rate']}: {row['false_pairs']}" for row in curve),
        "",
        f"Settings: {json.dumps(report['settings'], ensure_ascii=False)}; data fingerprint "
        f"{report['data_fingerprint']}; {json.dumps(report['provenance'])}",
        "",
    ]
    (out / "report.md").write_text("\n".join(lines), encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.dedup", description=__doc__.split("\n")[0])
    parser.add_argument("--results", type=Path, default=Path("results"), help="folder for the report")
    parser.add_argument("--rates", default=",".join(str(r) for r in RATES), help="comma-separated rates")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    args = parser.parse_args(argv)
    try:
        rates = [float(r) for r in args.rates.split(",") if r.strip()]
    except ValueError:
        parser.error(f"--rates must be numbers: {args.rates}")
    report = run_dedup(args.results, rates)
    if args.json:
        print(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        header, body = dedup_table(report)
        widths = [max(len(r[i]) for r in [header, *body]) for i in range(len(header))]
        for row in [header, *body]:
            print("  ".join(c.rjust(w) for c, w in zip(row, widths, strict=True)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
