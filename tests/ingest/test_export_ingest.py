"""Committee-meeting exports ingest as documents: an agenda item each, with the manifest's metadata,
enclosures linked to their item, closed items restricted, whatever the system and wherever it lies."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from index.record import Record
from ingest.models import Document
from ingest.pipeline import IngestOptions, run_ingest

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO.parent / "shared" / "samples" / "esdh"
FIXTURES = Path(__file__).parent / "exports" / "fixtures"
needs_samples = pytest.mark.skipif(
    not SAMPLES.is_dir(), reason="the shared ESDH samples are not beside the repo"
)


def _ingest(tmp_path: Path, *paths: Path) -> tuple[Record, list[Document]]:
    record = Record(tmp_path / "record.sqlite3")
    report = run_ingest(record, list(paths), IngestOptions())
    assert not [r for r in report.rejected if "OCR" not in r["reason"]], report.rejected
    return record, record.documents()


def _items(docs: list[Document]) -> dict[str, Document]:
    return {d.item_number: d for d in docs if d.item_number and d.path.rsplit("#", 1)[-1] == d.item_number}


@needs_samples
def test_an_sbsys_publication_zip(tmp_path: Path) -> None:
    record, docs = _ingest(tmp_path, SAMPLES / "sbsys_Publication32.zip")
    items = _items(docs)
    assert sorted(items) == ["1", "2", "3", "4", "5"]
    item = items["3"]
    assert item.title == "Indførelse af systemet SAPA (Sagsoverblik/Partskontakt)"
    assert item.source == "Publication32.xml"
    assert item.path == "sbsys_Publication32.zip/Publication32/Publication32.xml#3"
    assert (item.committee, item.meeting_date, item.meeting_time) == (
        "KMB IT-udvalget",
        "2013-05-15",
        "16:30",
    )
    assert (item.date, item.year, item.doc_type, item.access) == ("2013-05-15", 2013, "agenda", "public")
    assert item.municipality == "Ballerup"  # from what the whole manifest says
    (enclosure,) = [d for d in docs if d.parent_id]
    assert enclosure.parent_id == item.doc_id and enclosure.source == "1.pdf"
    assert enclosure.title == "Brev fra KL til Kommunalbestyrelsen vedr Monopolbrud"
    assert enclosure.committee == "KMB IT-udvalget" and enclosure.item_number == "3"
    full = record.document(items["2"].doc_id)
    assert full is not None
    headings = [full.text[u.start : u.end] for u in full.units if u.kind == "heading"]
    assert {"Sagsfremstilling", "Indstilling"} <= set(headings)  # the item's fields are its sections


@needs_samples
def test_a_fujitsu_edoc_folder_keeps_closed_items_closed(tmp_path: Path) -> None:
    _, docs = _ingest(tmp_path, SAMPLES / "edoc_fujitsu")
    newest = [d for d in docs if "12.24.03" in d.path]
    items = _items(newest)
    assert {n: d.access for n, d in items.items()} == {
        "1": "public",
        "2": "public",
        "3": "public",
        "4": "public",
        "5": "restricted",
        "6": "restricted",
    }
    assert {d.committee_short for d in newest} == {"Htest"}
    closed = items["5"].doc_id
    enclosures = [d for d in newest if d.parent_id == closed]
    assert enclosures and all(d.access == "restricted" for d in enclosures)
    # The meeting's own agenda prints the closed items, so it is restricted too.
    (agenda,) = [d for d in newest if d.path.endswith(".html")]
    assert agenda.access == "restricted" and agenda.item_number is None


def test_edoc_minutes_with_a_pdf_per_item_and_a_closed_agenda(tmp_path: Path) -> None:
    record, docs = _ingest(tmp_path, FIXTURES / "edoc")
    items = _items(docs)
    assert sorted(items) == ["1", "2", "3", "4"]
    assert {d.doc_type for d in items.values()} == {"minutes"}
    assert items["4"].access == "restricted" and items["2"].access == "public"
    assert {d.committee for d in docs} == {"Børne- og Skoleudvalget"}
    # Each item's own PDF is the item, never a loose public document of its own.
    assert not [d for d in docs if d.committee is None]
    full = record.document(items["2"].doc_id)
    assert full is not None
    headings = [full.text[u.start : u.end] for u in full.units if u.kind == "heading"]
    assert {"Sammendrag", "Indstilling", "Beslutning"} <= set(headings)
    assert "høringssvarSagsnr" not in full.text  # eDoc's run-together labels are taken apart


def test_acadre_export_with_item_xml_and_files(tmp_path: Path) -> None:
    _, docs = _ingest(tmp_path, FIXTURES / "acadre")
    items = _items(docs)
    assert sorted(items) == ["301", "302", "303", "304"]
    assert items["303"].access == "restricted"
    assert {d.committee_short for d in docs} == {"TMU"}
    linked = {d.title: d for d in docs if d.parent_id == items["303"].doc_id}
    assert linked and all(d.access == "restricted" for d in linked.values())


def test_ids_are_stable_and_a_root_sporbar_json_sets_fields(tmp_path: Path) -> None:
    export = tmp_path / "export"
    shutil.copytree(FIXTURES / "acadre", export)
    (export / "sporbar.json").write_text(json.dumps({"municipality": "Aarhus"}), encoding="utf-8")
    record, docs = _ingest(tmp_path, export)
    assert {d.municipality for d in docs} == {"Aarhus"}
    again = run_ingest(record, [export], IngestOptions())
    assert (again.added, again.updated, again.unchanged) == (0, 0, len(docs))
    assert {d.doc_id for d in record.documents()} == {d.doc_id for d in docs}


def test_a_side_car_beats_the_manifest(tmp_path: Path) -> None:
    export = tmp_path / "export"
    shutil.copytree(FIXTURES / "acadre", export)
    target = next((export / "Files_2417_5120455").glob("5119001E1.DOCX"))
    meta = target.with_name(target.name + ".meta.json")
    meta.write_text(json.dumps({"title": "Budget, 1. kvartal", "access": "restricted"}), encoding="utf-8")
    _, docs = _ingest(tmp_path, export)
    (doc,) = [d for d in docs if d.source == target.name]
    assert (doc.title, doc.access, doc.committee) == (
        "Budget, 1. kvartal",
        "restricted",
        "Teknik- og Miljøudvalget (TMU)",
    )


def test_a_full_agenda_beside_the_manifest_is_a_copy_of_its_items_passage_by_passage(tmp_path: Path) -> None:
    """An eDoc agenda page prints every item the manifest holds, under its own labels and cut across
    items, so no passage of it is a near-duplicate of one item's: its passages are copies by containment,
    and searches and answers quote the items."""
    export = next((REPO / "eval" / "data" / "answer_docs").rglob("3d4707af-*.xml")).parent
    record, docs = _ingest(tmp_path, export)
    (full,) = [d for d in docs if d.item_number is None and d.parent_id is None]
    items = {d.doc_id for d in docs if d.item_number is not None}
    chunks = {c.chunk_id: c for c in record.chunks()}
    own = [c for c in chunks.values() if c.doc_id == full.doc_id]
    copies = [c for c in own if c.duplicate_of is not None]
    assert copies and all(chunks[c.duplicate_of].doc_id in items for c in copies)
    # Every passage of real length is a copy; the page's header and its list of item titles are not.
    assert all(c.duplicate_of is not None for c in own if len(c.text) > 500)
    assert not any(c.duplicate_of for c in chunks.values() if c.doc_id in items)
