"""The answer benchmark on tiny hand-made cases."""

from __future__ import annotations

from pathlib import Path

import pytest

from eval.answers import (
    QA_SET,
    cites,
    cites_first,
    load_unanswerable,
    open_ingested,
    relevant_spans,
    run_answer_eval,
    separation,
)
from eval.datasets import Question, Quote, load_questions
from index.answer import Answer, Citation, Thresholds
from index.factory import Index
from index.record import Record
from ingest.exports import FolderTree, find_exports
from ingest.exports.render import item_html
from ingest.parse import parse_bytes
from ingest.pipeline import IngestOptions, run_ingest
from tests.support import seed

TELEPHONES = "Fokus på telefonpolitikken på tværs af Klima-, Miljø- og Teknikområdet"
# With the fake embedder a sentence's own words give similarity 1 and unrelated words about 0.
BAR = Thresholds(same_language=0.9, cross_language=0.9, english=0.9)


def _answer(*spans: tuple[str, int, int]) -> Answer:
    citations = tuple(
        Citation(n, doc, "s.txt", "", None, "q", start, end) for n, (doc, start, end) in enumerate(spans, 1)
    )
    return Answer("?", "", bool(citations), citations, 1.0)


def test_a_citation_hits_when_it_overlaps_a_relevant_span() -> None:
    relevant = [("d1", 100, 150)]
    assert cites(_answer(("d1", 140, 200)), relevant)
    assert cites(_answer(("d2", 0, 10), ("d1", 90, 101)), relevant)
    assert not cites(_answer(("d1", 150, 200)), relevant)  # touching is not overlapping
    assert not cites(_answer(("d2", 100, 150)), relevant)
    assert not cites(_answer(), relevant)
    # The first quote alone: what a reader sees first.
    assert cites_first(_answer(("d1", 140, 200), ("d2", 0, 10)), relevant)
    assert not cites_first(_answer(("d2", 0, 10), ("d1", 90, 101)), relevant)
    assert not cites_first(_answer(), relevant)


def test_separation_by_hand() -> None:
    result = separation([0.03, 0.0, -0.01], [-0.02, None, 0.005])
    assert result["answerable_min"] == -0.01
    assert result["unanswerable_max"] == 0.005
    sweep = {row["shift"]: row for row in result["sweep"]}  # type: ignore[attr-defined]
    assert sweep[0.0] == {"shift": 0.0, "found_rate": 2 / 3, "rejection_rate": 2 / 3}
    assert sweep[0.01] == {"shift": 0.01, "found_rate": 1 / 3, "rejection_rate": 1.0}


def test_quotes_map_to_stored_text(fake_index: Index) -> None:
    question = load_questions(QA_SET)[0]
    spans = relevant_spans(fake_index.record, question)
    assert len(spans) == len(question.quotes)
    for (doc_id, start, end), quote in zip(spans, question.quotes, strict=True):
        doc = fake_index.record.document(doc_id)
        assert doc is not None and doc.source == quote.source
        assert " ".join(doc.text[start:end].split()) == " ".join(quote.quote.split())


def test_quotes_are_found_in_every_agenda_item_of_an_export(tmp_path: Path) -> None:
    """An export's agenda items share the manifest's file name as their source: a quote from any item
    is found in that item."""
    manifest = next(
        (Path(__file__).resolve().parents[2] / "eval" / "data" / "answer_docs").rglob("3d4707af-*.xml")
    )
    record = Record(tmp_path / "record.sqlite3")
    run_ingest(record, [manifest.parent], IngestOptions())
    items = [d for d in record.documents() if d.source == manifest.name]
    assert len(items) > 1
    texts = [stored.text for d in items if (stored := record.document(d.doc_id)) is not None]
    quotes = tuple(Quote(manifest.name, " ".join(text.split()[2:9]), 2) for text in texts)
    spans = relevant_spans(record, Question("x", "?", "da", (), quotes))
    assert {doc for doc, _, _ in spans} == {d.doc_id for d in items}


def test_the_unanswerable_set_is_large_and_in_both_languages() -> None:
    questions = load_unanswerable()
    assert len(questions) >= 25
    assert {q.lang for q in questions} == {"da", "en"}
    assert all(not q.quotes for q in questions)


def test_rates_on_a_tiny_case(fake_index: Index) -> None:
    answerable = [Question("a1", TELEPHONES, "da", (), (Quote(seed("001").name, TELEPHONES, 2),))]
    unanswerable = [Question("u1", "xyzzy plugh frobozz quux", "en")]
    report = run_answer_eval(fake_index, answerable, unanswerable, limits=BAR)
    assert report["found_rate"] == 1.0
    assert report["citation_hit_rate"] == 1.0
    assert report["rejection_rate"] == 1.0
    assert report["answerable"] == 1 and report["unanswerable"] == 1
    assert report["mean_ms"] > 0  # type: ignore[operator]
    rows = report["questions"]
    assert isinstance(rows, list) and [r["id"] for r in rows] == ["a1", "u1"]


@pytest.mark.parametrize("limits", [Thresholds(same_language=2.0, cross_language=2.0, english=2.0)])
def test_nothing_found_scores_zero(fake_index: Index, limits: Thresholds) -> None:
    question = load_questions(QA_SET)[0]
    report = run_answer_eval(fake_index.searcher, [question], [], limits=limits)
    assert report["found_rate"] == 0.0 and report["citation_hit_rate"] == 0.0


def _answered_from(path: Path) -> bool:
    """Whether a set's quotes may come from a file: a document, or an export's manifest (not the agenda
    page the export renders beside it, whose items are the manifest's)."""
    if path.suffix == ".html" and path.with_suffix(".xml").exists():
        return False
    return path.suffix in {".txt", ".md", ".html", ".docx", ".pdf", ".rtf", ".odt", ".xml"}


def _parsed(data: bytes, name: str) -> str:
    blocks = parse_bytes(data, name).blocks
    return "\n".join(part for b in blocks for part in (b.text, *(cell.text for cell in b.cells)))


def _plain(path: Path) -> str:
    """A document's text: a text file's own, another format's (Word, PDF, RTF) as its parser reads it, an
    export manifest's as its agenda items read (their quotes name the manifest as their source)."""
    if path.suffix in {".txt", ".md", ".html"}:
        return path.read_text(encoding="utf-8")
    if path.suffix == ".xml":
        exports = find_exports(FolderTree(path.parent))
        return "\n".join(_parsed(item_html(e, i).encode(), "item.html") for e in exports for i in e.items)
    return _parsed(path.read_bytes(), path.name)


def test_the_answer_sets_are_large_enough_and_their_quotes_are_in_their_documents() -> None:
    from eval.answer_sets import (
        ACTION_SET,
        ANSWER_DOCS,
        HELDOUT_SET,
        HELDOUT_SETS,
        UNANSWERABLE_ACTION,
        load_keywords,
        load_meaningless,
    )
    from eval.answers import CORPUS, load_unanswerable

    action, heldout = load_questions(ACTION_SET), load_questions(HELDOUT_SET)
    later = {n: load_questions(path) for n, (path, _) in HELDOUT_SETS.items()}
    for n, (_, unanswerable) in HELDOUT_SETS.items():
        assert len(later[n]) >= 10 and len(load_unanswerable(unanswerable)) >= 8
    assert len(load_unanswerable(UNANSWERABLE_ACTION)) >= 10
    assert len(action) + len(heldout) >= 40 and len(heldout) >= 10
    assert len(load_keywords()) >= 20 and all(k.terms for k in load_keywords())
    assert len(load_meaningless()) >= 30
    files = [*CORPUS.iterdir(), *(p for p in ANSWER_DOCS.rglob("*") if p.is_file())]
    texts = {p.name: " ".join(_plain(p).split()) for p in files}
    for question in [*action, *heldout, *(q for questions in later.values() for q in questions)]:
        for quote in question.quotes:
            assert texts[quote.source].count(" ".join(quote.quote.split())) == 1, (question.qid, quote.quote)
    held_sources = {q.source for question in heldout for q in question.quotes}
    assert held_sources == {p.name for p in (ANSWER_DOCS / "heldout").iterdir()}
    for n, questions in later.items():
        sources = {q.source for question in questions for q in question.quotes}
        documents = {p.name for p in (ANSWER_DOCS / f"heldout{n}").rglob("*") if _answered_from(p)}
        assert sources == documents


def test_an_eval_index_takes_in_documents_added_after_it_was_built(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A new answer set's documents are ingested into an eval index built before them; files already in
    it are left as they are."""
    monkeypatch.setenv("SPORBAR_EMBEDDER", "fake")
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    (first / "a.txt").write_text("Kommunen har indført en ny telefontid for borgerne.\n", encoding="utf-8")
    (second / "b.txt").write_text(
        "Udvalget besluttede at udvide åbningstiden om torsdagen.\n", encoding="utf-8"
    )
    data = tmp_path / "data"
    assert [d.source for d in open_ingested(data, (first,)).record.documents()] == ["a.txt"]
    index = open_ingested(data, (first, second))
    assert sorted(d.source for d in index.record.documents()) == ["a.txt", "b.txt"]
    assert index.store.count() == index.record.count_indexable()  # every passage has its vector


def test_the_cross_language_measurement_reports_both_groups_per_share(
    fake_index: Index, tmp_path: Path
) -> None:
    from eval.cross_language import measure

    rows = measure(fake_index.searcher, [0.0, 0.5], "hybrid", tmp_path)
    assert [(r["weight"], r["questions"]) for r in rows] == [
        (0.0, "cross"),
        (0.0, "same"),
        (0.5, "cross"),
        (0.5, "same"),
    ]
    # The seed questions in English ask about Danish documents; those in Danish about their own language.
    assert all(isinstance(r["n"], int) and r["n"] > 0 for r in rows)
    # The seed corpus is Danish only: no passage draws English questions by their language, none is shifted.
    assert [r["MRR"] for r in rows[:2]] == [r["MRR"] for r in rows[2:]]


def test_the_cross_language_latency_reports_first_and_repeated_searches(fake_index: Index) -> None:
    from eval.cross_language import latency

    timings = latency(fake_index.searcher, mixed=False)
    assert set(timings) == {"first_mean_ms", "first_p50_ms", "again_mean_ms", "again_p50_ms"}
    assert all(value > 0 for value in timings.values())
