"""Our eDoc agenda publishing fixture: Børne- og Skoleudvalget, 12 March 2024, open and closed agenda."""

from __future__ import annotations

import pytest

from ingest.exports import edoc
from ingest.exports.edoc import split_decision
from ingest.exports.models import MeetingExport
from ingest.exports.tree import FolderTree

FOLDER = "12-03-2024 16.00.00"
MANIFEST = f"{FOLDER}/eDocAgendaPublishing.xml"


@pytest.fixture(scope="module")
def exports(edoc_tree: FolderTree) -> list[MeetingExport]:
    return edoc.read(edoc_tree, MANIFEST)


def test_one_export_per_published_agenda(exports: list[MeetingExport]) -> None:
    assert len(exports) == 2
    for export in exports:
        assert export.system == "edoc"
        assert export.manifest == MANIFEST
        assert export.committee == "Børne- og Skoleudvalget"
        assert (export.meeting_date, export.meeting_time) == ("2024-03-12", "16:00")
        assert export.kind == "minutes"  # "Referat endeligt godkendt"
    open_agenda, closed_agenda = exports
    assert [(item.number, item.title) for item in open_agenda.items] == [
        ("1", "Godkendelse af dagsorden"),
        ("2", "Skolestruktur 2025 - høringssvar"),
        ("3", "Kvalitetsrapport for folkeskolerne 2023"),
    ]
    assert [(item.number, item.title) for item in closed_agenda.items] == [
        ("4", "Personalesag - ansættelse af skoleleder på Hedeskolen")
    ]


def test_decision_split_from_the_full_text(exports: list[MeetingExport]) -> None:
    item = exports[0].items[1]
    description, decision = item.fields
    assert (description.name, description.is_decision) == ("Beskrivelse", False)
    assert "Der er indkommet 14 høringssvar" in description.html
    assert "beslutning den" not in description.html
    assert (decision.name, decision.is_decision) == ("Beslutning", True)
    assert decision.html.startswith("<p>Børne- og Skoleudvalgets beslutning den 12.03.2024 Punkt 2</p>")
    assert "forældrene inddrages i planlægningen af skolevejen" in decision.html
    assert item.case_number == "2023-031877"  # from "Sagsnr.:" in the text
    assert exports[0].items[0].case_number == "2024-004512"  # from the case's identifier


def test_files_resolved_in_the_tree(exports: list[MeetingExport], edoc_tree: FolderTree) -> None:
    paths = set(edoc_tree.paths())
    open_agenda = exports[0]
    first = open_agenda.items[0].document
    assert first is not None
    assert first.path == f"{FOLDER}/2100011.pdf"  # the manifest says 2100011.PDF
    assert first.title == "Godkendelse af dagsorden"
    (whole,) = open_agenda.meeting_files
    assert whole.path == f"{FOLDER}/2100001.PDF"
    attachments = open_agenda.items[1].enclosures
    assert [a.title for a in attachments] == [
        "Høringssvar fra skolebestyrelserne",
        "Notat om elevtal pr. skoledistrikt med navngivne elever",
    ]
    every = [
        *[f.path for e in exports for f in e.meeting_files],
        *[i.document.path for e in exports for i in e.items if i.document is not None],
        *[f.path for e in exports for i in e.items for f in i.enclosures],
    ]
    assert len(every) == 10 and set(every) <= paths


def test_access(exports: list[MeetingExport]) -> None:
    open_agenda, closed_agenda = exports
    assert [item.access for item in open_agenda.items] == ["public"] * 3
    public, not_to_publish = open_agenda.items[1].enclosures
    assert (public.access, not_to_publish.access) == ("public", "restricted")  # "MÅ IKKE PUBLICERES"
    assert open_agenda.meeting_files[0].access == "public"
    (closed,) = closed_agenda.items
    assert closed.access == "restricted"
    assert closed.document is not None and closed.document.access == "restricted"
    assert {enclosure.access for enclosure in closed.enclosures} == {"restricted"}
    assert closed_agenda.meeting_files[0].access == "restricted"  # "Lukket dagsorden"


def test_split_decision_without_a_decision() -> None:
    agenda_text = "1.\tGodkendelseSammendragTekst.Beslutningen træffes afUdvalgetIndstillingAt godkende."
    assert split_decision(agenda_text, "Udvalget") == (agenda_text, "")


def test_split_decision_takes_the_last_heading() -> None:
    text = (
        "Tekst. Økonomiudvalgets beslutning den 01.02.2024 Punkt 3Udsat.Mere tekst."
        "Økonomiudvalgets beslutning den 07.03.2024 Punkt 1Godkendt."
    )
    before, decision = split_decision(text)
    assert decision == "Økonomiudvalgets beslutning den 07.03.2024 Punkt 1Godkendt."
    assert "Udsat." in before


def test_matches_by_content(edoc_tree: FolderTree) -> None:
    assert edoc.matches(edoc_tree.read(MANIFEST))
    assert not edoc.matches("<Meeting><Title>Teammøde</Title></Meeting>".encode())
