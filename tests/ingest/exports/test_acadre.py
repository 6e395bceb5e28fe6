"""Our Acadre fixture: Teknik- og Miljøudvalget's minutes of 9 April 2024 (XML_2417.xml + files folder)."""

from __future__ import annotations

import pytest

from ingest.exports import acadre
from ingest.exports.models import MeetingExport
from ingest.exports.tree import FolderTree, MemoryTree

INDEX = "XML_2417.xml"
FOLDER = "Files_2417_5120455"
AGENDA = f"{FOLDER}/5120452.XML"


@pytest.fixture(scope="module")
def export(acadre_tree: FolderTree) -> MeetingExport:
    (export,) = acadre.read(acadre_tree, INDEX)  # the unpublished agenda (no files folder) is left out
    return export


def test_meeting(export: MeetingExport) -> None:
    assert export.system == "acadre"
    assert export.manifest == INDEX
    assert export.sources == (INDEX, AGENDA)  # the index points to the agenda XML (named .xml, stored .XML)
    assert export.committee == "Teknik- og Miljøudvalget (TMU)"
    assert export.committee_short == "TMU"
    assert (export.meeting_date, export.meeting_time) == ("2024-04-09", "15:00")
    assert export.location == "Mødelokale 2, Rådhuset"
    assert export.kind == "minutes"  # produced agenda type 2: Referat


def test_items(export: MeetingExport) -> None:
    assert [(item.number, item.title, item.case_number) for item in export.items] == [
        ("301", "Budgetopfølgning 1. kvartal 2024", "24/3112"),
        ("302", "Vejvedligeholdelse - udbud af vintertjeneste 2024-2028", "23/9871"),
        ("303", "Køb af ejendom - Industrivej 12", "24/1045"),
        ("304", "Eventuelt", None),
    ]


def test_fields(export: MeetingExport) -> None:
    first = export.items[0]
    assert [field.name for field in first.fields] == [
        "Resumé",
        "Sagsfremstilling",
        "Økonomi og organisatoriske konsekvenser",
        "Indstilling",
        "Beslutning i Teknik- og Miljøudvalget (TMU) den 09-04-2024",
    ]  # "Lovgrundlag" is empty and dropped
    assert [field.is_decision for field in first.fields] == [False, False, False, False, True]
    assert first.fields[-1].html == "<p>Taget til efterretning.</p>"
    assert "&nbsp;" in first.fields[1].html  # HTML entities stay for the HTML parser


def test_enclosures_found_as_named_as_pdf_twin_or_by_title(
    export: MeetingExport, acadre_tree: FolderTree
) -> None:
    budget, winter, purchase, _ = export.items
    assert [(e.title, e.path) for e in budget.enclosures] == [
        ("Budgetopfølgning 1. kvartal - oversigt", f"{FOLDER}/5119001E1.DOCX")
    ]
    assert [e.path for e in winter.enclosures] == [
        f"{FOLDER}/5119002E1.PDF",  # the manifest names 5119002E1.DOC; the export has its PDF
        f"{FOLDER}/5119003E2.PDF",
    ]
    assert [e.path for e in purchase.enclosures] == [f"{FOLDER}/Vurderingsrapport Industrivej 12.pdf"]
    (minutes,) = export.meeting_files
    assert minutes.path == f"{FOLDER}/5120455.docx"
    paths = set(acadre_tree.paths())
    assert all(e.path in paths for item in export.items for e in item.enclosures)


def test_access(export: MeetingExport) -> None:
    _, winter, purchase, _ = export.items
    assert [item.access for item in export.items] == ["public", "public", "restricted", "public"]
    assert [e.access for e in winter.enclosures] == ["public", "restricted"]  # the price list is "Lukket"
    assert [e.access for e in purchase.enclosures] == ["restricted"]
    assert export.meeting_files[0].access == "restricted"  # the minutes may print the closed item


def test_agenda_xml_read_alone(acadre_tree: FolderTree) -> None:
    files = {path: acadre_tree.read(path) for path in acadre_tree.paths() if path != INDEX}
    (export,) = acadre.read(MemoryTree(files), AGENDA)
    assert export.manifest == AGENDA and export.sources == (AGENDA,)
    assert export.committee == "Teknik- og Miljøudvalget (TMU)"
    assert export.kind == "minutes"  # the agenda's name says "Referat"
    assert [item.access for item in export.items] == ["public", "public", "restricted", "public"]


def test_matches_by_content(acadre_tree: FolderTree) -> None:
    assert acadre.matches(acadre_tree.read(INDEX))
    assert acadre.matches(acadre_tree.read(AGENDA))
    assert not acadre.matches(b'<root><table name="customers"><fields/></table></root>')
