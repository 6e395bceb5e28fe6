"""The seed corpus through the whole ingest pipeline (shared, session-scoped record)."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

from eval.garble import Garbling, garble
from index.record import Record
from ingest.pipeline import IngestOptions, remove_documents, run_ingest
from tests.support import CORPUS, seed


def _by_prefix(record: Record) -> dict[str, object]:
    return {d.source[:3]: d for d in record.documents()}


def test_first_ingest_counts(seed_record: Record) -> None:
    report = seed_record.first_report  # type: ignore[attr-defined]
    assert (report.added, report.updated, report.unchanged, report.rejected) == (5, 0, 0, [])
    assert report.duplicates == 1


def test_seed_documents_metadata(seed_record: Record) -> None:
    docs = _by_prefix(seed_record)
    d = {k: v.public() for k, v in docs.items()}  # type: ignore[attr-defined]
    assert d["000"]["duplicate_of"] == d["001"]["doc_id"] and not d["000"]["canonical"]
    assert all(d[k]["canonical"] for k in ("001", "002", "003", "004"))
    assert [k for k in sorted(d) if d[k]["ocr_garbled"]] == ["000", "002"]
    assert {k: d[k]["municipality"] for k in d} == {
        "000": "Gentofte",
        "001": "Gentofte",
        "002": "København",
        "003": "Gentofte",
        "004": "Holbæk",
    }
    assert (d["001"]["doc_type"], d["004"]["doc_type"], d["003"]["doc_type"]) == (
        "response",
        "response",
        "news",
    )
    assert d["001"]["date"] == "2023-03-13" and d["003"]["date"] is None
    assert all(d[k]["language"] == "da" for k in d)


def test_chunks_point_into_stored_text(seed_record: Record) -> None:
    for doc in seed_record.documents():
        full = seed_record.document(doc.doc_id)
        assert full is not None
        chunks = seed_record.chunks(doc.doc_id)
        assert len(chunks) == doc.chunks > 0
        for chunk in chunks:
            assert full.text[chunk.start : chunk.end] == chunk.text
            assert len(chunk.text.split()) <= 300


def test_telephone_bullet_is_under_klima_miljo_og_teknik(seed_record: Record) -> None:
    doc = _by_prefix(seed_record)["001"]
    chunk = next(c for c in seed_record.chunks(doc.doc_id) if "Fokus på telefonpolitikken" in c.text)  # type: ignore[attr-defined]
    assert "Klima, Miljø og Teknik" in chunk.section


def test_garbled_only_document_has_corrected_text(seed_record: Record) -> None:
    doc = _by_prefix(seed_record)["002"]
    chunks = seed_record.chunks(doc.doc_id)  # type: ignore[attr-defined]
    assert all(c.corrected_text for c in chunks)
    assert any("løbende" in (c.corrected_text or "") for c in chunks)
    assert not any("løbende" in c.text for c in chunks)  # the stored text is never rewritten


def test_reingest_unchanged_is_cheap_and_changes_replace(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    shutil.copytree(CORPUS, folder)
    record = Record(tmp_path / "r.sqlite3")
    start = time.perf_counter()
    run_ingest(record, [folder], IngestOptions())
    first = time.perf_counter() - start
    start = time.perf_counter()
    again = run_ingest(record, [folder], IngestOptions())
    second = time.perf_counter() - start
    assert (again.added, again.updated, again.unchanged) == (0, 0, 5)
    assert second < first / 3
    target = next(folder.glob("003_*"))
    ids = {d.source: d.doc_id for d in record.documents()}
    target.write_text(target.read_text() + "\n\nEn ny afsluttende sætning om borgerrådgiveren.\n")
    changed = run_ingest(record, [folder], IngestOptions())
    assert (changed.added, changed.updated, changed.unchanged) == (0, 1, 4)
    assert {d.source: d.doc_id for d in record.documents()} == ids
    next(folder.glob("004_*")).unlink()
    pruned = run_ingest(record, [folder], IngestOptions(), prune=True)
    assert pruned.removed == 1 and len(record.documents()) == 4


def test_removing_canonical_promotes_its_duplicate(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    for prefix in ("000", "001"):
        shutil.copy(seed(prefix), folder)
    record = Record(tmp_path / "r.sqlite3")
    run_ingest(record, [folder], IngestOptions())
    assert remove_documents(record, [seed("001").name]) == 1
    (only,) = record.documents()
    assert only.canonical and only.duplicate_of is None


def test_new_garbling_collapses_and_same_topic_does_not(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    clean = seed("004").read_text()
    (folder / "clean.txt").write_text(clean)
    (folder / "scan.txt").write_text(
        garble(clean, Garbling(rate=0.15, drop_rate=0.02, merge_rate=0.01, seed=3))
    )
    shutil.copy(seed("001"), folder / "response.txt")
    shutil.copy(seed("003"), folder / "news.txt")
    record = Record(tmp_path / "r.sqlite3")
    report = run_ingest(record, [folder], IngestOptions())
    docs = {d.source: d for d in record.documents()}
    assert report.duplicates == 1
    assert docs["scan.txt"].duplicate_of == docs["clean.txt"].doc_id
    assert docs["response.txt"].canonical and docs["news.txt"].canonical


def test_rejected_files_are_reported_and_skipped(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    shutil.copy(seed("003"), folder)
    (folder / "empty.txt").write_text("")
    (folder / "junk.pdf").write_bytes(b"\x00\x01\x02junk" * 50)
    record = Record(tmp_path / "r.sqlite3")
    report = run_ingest(record, [folder], IngestOptions())
    assert report.added == 1
    assert sorted(r["source"] for r in report.rejected) == ["empty.txt", "junk.pdf"]
    assert all(r["reason"] for r in report.rejected)
    assert len(record.documents()) == 1


def test_a_web_page_s_title_names_its_municipality_and_no_other_format_s_hint_does() -> None:
    from ingest.build import _with_page_title
    from ingest.gazetteer import load_gazetteer
    from ingest.models import ParsedDocument

    body = "Jobcentre Rudersdal has changed its letters. The committee approved the plan."
    page = ParsedDocument(format="html", blocks=(), title_hint="Finance Committee | Rudersdal Kommune")
    assert load_gazetteer().find_municipality(_with_page_title(page, body)) == "Rudersdal"
    assert load_gazetteer().find_municipality(body) is None
    word = ParsedDocument(format="docx", blocks=(), title_hint="Samarbejdsaftale med Aarhus Kommune")
    assert _with_page_title(word, body) == body  # a document's first heading is in its text already


def test_an_ingested_web_page_takes_its_municipality_from_its_title(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "summary_en.html").write_text(
        "<html><head><title>Finance Committee | Rudersdal Kommune</title></head><body><main>"
        "<h1>Finance Committee: summary in English</h1><p>Jobcentre Rudersdal has changed its letters, and "
        "the committee approved the new plan for the citizens' advisor's annual report.</p>"
        "</main></body></html>",
        encoding="utf-8",
    )
    record = Record(tmp_path / "record.sqlite3")
    run_ingest(record, [folder], IngestOptions())
    (doc,) = record.documents()
    assert doc.municipality == "Rudersdal"
    assert doc.title == "Finance Committee: summary in English"
