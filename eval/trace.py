"""Recommendation linking benchmark: tables that pair recommendations with their follow-ups give ground
truth. The pairing is hidden by writing the two columns as two separate documents (recommendations as a
table without the follow-up column; follow-ups as sections of a response note in shuffled order), and we
measure how often the top-linked response is the true row's follow-up. Then the hand-labelled sets of
`eval/data/trace/` are scored (`eval.trace_sets`): the development sets always, the held-out sets only with
`--heldout`, reported apart.

    python -m eval.trace [--corpus corpus/] [--embedder onnx] [--heldout] [--json]
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
from dataclasses import dataclass
from pathlib import Path

from eval.trace_sets import TRACE_SETS, evaluate_set, load_sets, totals
from index.factory import open_index
from index.settings import DEFAULT_EMBEDDER, Settings
from index.trace.extract import RESPONSE_HEADERS, THEME_HEADERS, _cell, extract
from index.trace.link import candidates, link
from index.trace.run import extract_all
from ingest.models import Document
from ingest.pipeline import IngestOptions, run_ingest

SEED = 7


@dataclass(frozen=True)
class Pair:
    theme: str
    recommendation: str
    follow_up: str


def paired_rows(doc: Document) -> list[Pair]:
    """Rows of a document's tables that carry both a recommendation and its follow-up."""
    pairs = []
    for rec in extract(doc):
        unit = next((u for u in doc.units if u.cells and u.start <= rec.span.start < u.end), None)
        if unit is None or rec.row_response is None:
            continue
        theme_cell = _cell(unit, THEME_HEADERS)
        theme = doc.text[theme_cell.start : theme_cell.end] if theme_cell else ""
        assert _cell(unit, RESPONSE_HEADERS) is not None
        pairs.append(Pair(theme.strip(), rec.span.text, rec.row_response.text))
    return pairs


def _lines(text: str) -> str:
    """Cell lines as HTML list items, the way table exports hold them."""
    items: list[str] = []
    for line in (raw.strip() for raw in text.splitlines()):
        if line.startswith(("•", "◦")) or not items:
            items.append(line.lstrip("•◦ ").strip())
        elif line:
            items[-1] += " " + line  # a cell continued on the next row
    return "<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>"


def write_hidden(pairs: list[Pair], municipality: str | None, folder: Path) -> None:
    """The two columns as two documents, with side-cars naming municipality and type."""
    rows = ["Tema\tAnbefalinger fra borgerrådgiverens årsberetning"]
    rows += [f"<b>{p.theme}</b>\t{_lines(p.recommendation)}" for p in pairs]
    (folder / "anbefalinger.txt").write_text(
        "# Borgerrådgiverens anbefalinger\n\n" + "\n".join(rows) + "\n", encoding="utf-8"
    )
    order = list(range(len(pairs)))
    random.Random(SEED).shuffle(order)
    sections = [f"## Opfølgning {n}\n\n" + pairs[i].follow_up for n, i in enumerate(order, start=1)]
    (folder / "opfoelgning.txt").write_text(
        "# Administrationens opfølgning\n\n" + "\n\n".join(sections) + "\n", encoding="utf-8"
    )
    for name, doc_type in (("anbefalinger.txt", "report"), ("opfoelgning.txt", "response")):
        meta = {"municipality": municipality, "doc_type": doc_type}
        (folder / f"{name}.meta.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")


def _key(text: str) -> str:
    return " ".join(text.replace("•", " ").replace("◦", " ").split())


def _same(a: str, b: str) -> bool:
    return _key(a) in _key(b)


def evaluate_linking(corpus: Path, embedder: str) -> dict[str, object]:
    """Top-1 linking accuracy over every paired table row in the corpus, with the pairing hidden."""
    with tempfile.TemporaryDirectory(prefix="sporbar-trace-") as tmp:
        root = Path(tmp)
        source = open_index(Settings(data_dir=root / "source", embedder=embedder))
        run_ingest(source.record, [corpus], IngestOptions())
        rows: list[dict[str, object]] = []
        for doc in source.record.documents(with_text=True):
            pairs = paired_rows(doc) if doc.canonical else []
            if not pairs:
                continue
            folder = root / doc.doc_id
            folder.mkdir()
            write_hidden(pairs, doc.municipality, folder)
            hidden = open_index(Settings(data_dir=root / f"{doc.doc_id}-index", embedder=embedder))
            run_ingest(hidden.record, [folder], IngestOptions())
            truth = {_key(p.recommendation): p.follow_up for p in pairs}
            recs = extract_all(hidden.record)
            spans = {(r.span.doc_id, r.span.start, r.span.end) for r in recs}
            pool = candidates(hidden.record.documents(with_text=True), hidden.record.chunks(), spans)
            linked = link(recs, pool, hidden.record, hidden.embedder)
            for rec in recs:
                follow_up = truth.get(_key(rec.span.text))
                if follow_up is None:
                    continue
                ranked = linked.get(rec.rec_id, [])
                top = ranked[0].quote if ranked else ""
                hit = bool(top) and _same(top, follow_up)
                rows.append({"source": doc.source, "theme": rec.theme, "hit": hit})
        hits = sum(bool(r["hit"]) for r in rows)
        return {
            "rows": len(rows),
            "top1_correct": hits,
            "top1_accuracy": round(hits / len(rows), 3) if rows else 0.0,
            "embedder": embedder,
            "misses": [r for r in rows if not r["hit"]],
        }


def evaluate_sets(root: Path, embedder: str, heldout: bool) -> dict[str, object]:
    """Per-set scores and pooled totals, development and held-out sets kept apart."""
    out: dict[str, object] = {}
    for part, keep in (("development", False), ("heldout", True)):
        if keep and not heldout:
            continue
        scores = [evaluate_set(s, embedder) for s in load_sets(root) if s.heldout == keep]
        out[part] = {"sets": [s.summary() for s in scores], "total": totals(scores) if scores else None}
    return out


def _print_sets(result: dict[str, object]) -> None:
    for part, block in result.items():
        assert isinstance(block, dict)
        print(f"\n{part}")
        print(f"{'set':<22}{'P':>7}{'R':>7}{'dept':>7}{'status':>8}{'top':>7}  gold/pred/answered")
        for row in [*block["sets"], *([block["total"]] if block["total"] else [])]:
            print(
                f"{row['set']:<22}{row['precision']:>7.2f}{row['recall']:>7.2f}{row['department_accuracy']:>7.2f}"
                f"{row['status_accuracy']:>8.2f}{row['top_response_accuracy']:>7.2f}"
                f"  {row['gold']}/{row['predicted']}/{row['answered']}"
            )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.trace", description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=Path("corpus"))
    parser.add_argument("--sets", type=Path, default=TRACE_SETS, help="folder of labelled sets")
    parser.add_argument("--embedder", default=DEFAULT_EMBEDDER)
    parser.add_argument("--heldout", action="store_true", help="also score the held-out sets, reported apart")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    result = evaluate_linking(args.corpus, args.embedder)
    result["labelled"] = evaluate_sets(args.sets, args.embedder, args.heldout)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        share = f"{result['top1_accuracy']:.1%}"
        print(
            f"hidden pairing: paired rows {result['rows']}, top-1 correct {result['top1_correct']} ({share})"
        )
        _print_sets(result["labelled"])  # type: ignore[arg-type]
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
