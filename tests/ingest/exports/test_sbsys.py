"""The real SBSYS publication (Publication32, KMB IT-udvalget, 15 May 2013)."""

from __future__ import annotations

from pathlib import Path

from ingest.exports import sbsys
from ingest.exports.models import MeetingExport
from ingest.exports.tree import FolderTree, MemoryTree

MANIFEST = "Publication32/Publication32.xml"


def _read(tree: FolderTree | MemoryTree) -> MeetingExport:
    (export,) = sbsys.read(tree, MANIFEST)
    return export


def test_meeting(sbsys_tree: FolderTree) -> None:
    export = _read(sbsys_tree)
    assert export.system == "sbsys"
    assert export.manifest == MANIFEST
    assert export.committee == "KMB IT-udvalget"
    assert export.committee_short is None
    assert (export.meeting_date, export.meeting_time) == ("2013-05-15", "16:30")
    assert export.location == "Mødecenter A, Lokale 3 på Ballerup Rådhus"
    assert export.kind == "agenda"  # a final agenda: the decision fields are still empty


def test_items_in_manifest_order(sbsys_tree: FolderTree) -> None:
    export = _read(sbsys_tree)
    assert [(item.number, item.title) for item in export.items] == [
        ("1", "Meddelelser"),
        ("2", "Oplæg til standard it-arbejdsplads for Kommunalbestyrelsens medlemmer i 2014-2018"),
        ("3", "Indførelse af systemet SAPA (Sagsoverblik/Partskontakt)"),
        ("4", "Regler for indkøb af it-udstyr"),
        ("5", "Status på eDagsorden"),
    ]
    assert all(item.access == "public" for item in export.items)


def test_fields_keep_order_drop_empty_and_keep_entities(sbsys_tree: FolderTree) -> None:
    item = _read(sbsys_tree).items[1]
    assert [field.name for field in item.fields] == [
        "Tidligere behandling",
        "Sammendrag",
        "Baggrund",
        "Sagsfremstilling",
        "Økonomiske konsekvenser og finansiering",
        "Beslutningen træffes af",
        "Indstilling",
    ]  # the empty "Beslutning" is dropped
    assert not any(field.is_decision for field in item.fields)  # "Beslutningen træffes af" is who decides
    summary = item.fields[1].html
    assert summary.startswith("<p>") and "tiltr&aelig;delsen" in summary
    assert _read(sbsys_tree).items[0].fields == ()  # "Meddelelser" has no content


def test_enclosure_resolved_to_the_file(sbsys_tree: FolderTree) -> None:
    export = _read(sbsys_tree)
    (enclosure,) = export.items[2].enclosures  # listed under the item and again under the agenda: once
    assert enclosure.title == "Brev fra KL til Kommunalbestyrelsen vedr Monopolbrud"
    assert enclosure.path == "Publication32/Enclosures/1.pdf"
    assert enclosure.path in sbsys_tree.paths()
    assert enclosure.access == "public"
    assert export.meeting_files == ()


def _edited(sbsys_root: Path, anchors: list[str], old: str, new: str) -> MemoryTree:
    """The sample with the first `old` after the `anchors` (found one after the other) replaced by `new`."""
    tree = FolderTree(sbsys_root)
    files = {path: tree.read(path) for path in tree.paths()}
    text = files[MANIFEST].decode("utf-8-sig")
    at = 0
    for anchor in anchors:
        at = text.index(anchor, at)
    at = text.index(old, at)
    files[MANIFEST] = (text[:at] + new + text[at + len(old) :]).encode("utf-8")
    return MemoryTree(files)


def test_closed_item_and_its_enclosure_are_restricted(sbsys_root: Path) -> None:
    sapa = "<Caption><![CDATA[Indførelse af systemet SAPA"
    tree = _edited(sbsys_root, [sapa], "<IsPublic><![CDATA[True]]>", "<IsPublic><![CDATA[False]]>")
    export = _read(tree)
    item = export.items[2]
    assert item.access == "restricted"
    assert [enclosure.access for enclosure in item.enclosures] == ["restricted"]
    assert [other.access for other in export.items if other is not item] == ["public"] * 4


def test_minutes_when_a_decision_has_content(sbsys_root: Path) -> None:
    anchors = ["<Caption><![CDATA[Regler for indkøb af it-udstyr", "<Caption><![CDATA[Beslutning]]>"]
    tree = _edited(
        sbsys_root, anchors, "<Content></Content>", "<Content>&lt;p&gt;Godkendt.&lt;/p&gt;</Content>"
    )
    export = _read(tree)
    assert export.kind == "minutes"
    decision = export.items[3].fields[-1]
    assert (decision.name, decision.html, decision.is_decision) == ("Beslutning", "<p>Godkendt.</p>", True)


def test_minutes_from_the_publication_type(sbsys_root: Path) -> None:
    tree = _edited(sbsys_root, ["<PublicationTypeAsEnum>"], "[Final]", "[Minutes]")
    assert _read(tree).kind == "minutes"


def test_matches_by_content(sbsys_tree: FolderTree) -> None:
    assert sbsys.matches(sbsys_tree.read(MANIFEST))
    assert not sbsys.matches(b"<Publication><Title>En bog</Title></Publication>")
    assert not sbsys.matches(b"<Root/>")
