"""The real Fujitsu eDoc agenda folder: two publishings of Hennys testudvalg's meeting on 2 May 2017."""

from __future__ import annotations

from ingest.exports import fujitsu
from ingest.exports.models import MeetingExport
from ingest.exports.tree import FolderTree

FOLDER = "Hennys testudvalg/2017-05-02 10.00/Dagsorden/Dagsorden/Os2Dagsorden TEST"
NEWER = f"{FOLDER}/2017-04-21 12.24.03/e9117c72-1d79-4fe9-9653-ef7ab6f27187.xml"
OLDER = f"{FOLDER}/2017-04-21 12.00.48/41a93779-8b2a-414b-9f87-691e24f8f40a.xml"


def _read(tree: FolderTree, manifest: str) -> MeetingExport:
    (export,) = fujitsu.read(tree, manifest)
    return export


def test_meeting(fujitsu_tree: FolderTree) -> None:
    export = _read(fujitsu_tree, NEWER)
    assert export.system == "fujitsu-edoc"
    assert export.committee == "Hennys testudvalg"
    assert export.committee_short == "Htest"
    assert (export.meeting_date, export.meeting_time) == ("2017-05-02", "10:00")
    assert export.location == "Mødelokale 1, Midtpunkt"
    assert export.kind == "agenda"


def test_items(fujitsu_tree: FolderTree) -> None:
    export = _read(fujitsu_tree, NEWER)
    assert [(item.number, item.title) for item in export.items] == [
        ("1", "test"),
        ("2", "test tabel"),
        ("3", "Fejloprettet"),
        ("4", "Fejloprettet"),
        ("5", "Anders' møgsag"),
        ("6", "Underskriftsblad"),
    ]
    assert export.items[1].case_number == "200906126"


def test_fields_keep_order_and_drop_empty(fujitsu_tree: FolderTree) -> None:
    items = _read(fujitsu_tree, NEWER).items
    assert items[0].fields == ()
    assert [field.name for field in items[2].fields] == [
        "Præsentation",
        "Forvaltningen foreslår",
        "Sagsbeskrivelse",
        "Økonomi",
        "Høring",
    ]
    assert [field.name for field in items[3].fields] == ["Præsentation", "Forvaltningen foreslår"]
    description = items[2].fields[2].html
    assert description.startswith("På byrådsseminariet") and "<br />" in description
    assert not any(field.is_decision for item in items for field in item.fields)


def test_closed_items_and_their_attachments_are_restricted(fujitsu_tree: FolderTree) -> None:
    items = _read(fujitsu_tree, NEWER).items
    assert [item.access for item in items] == ["public"] * 4 + ["restricted"] * 2
    closed = items[4]
    assert len(closed.enclosures) == 8
    # the attachments say "Offentlig", but they belong to a closed item
    assert {enclosure.access for enclosure in closed.enclosures} == {"restricted"}
    assert {enclosure.access for enclosure in items[0].enclosures} == {"public"}


def test_attachments_resolved_to_files_in_the_tree(fujitsu_tree: FolderTree) -> None:
    items = _read(fujitsu_tree, NEWER).items
    paths = set(fujitsu_tree.paths())
    first = items[0].enclosures
    assert [enclosure.title for enclosure in first] == [
        "TrekantBrand Nyhedsbrev nr. 1-2017.msg",
        "Nyhedsbrev nr. 1-2017.pdf",
        "Signaturbevis.txt",
        "TrekantBrand nyhedsbrev nr. 2-2017.msg",
    ]
    # the manifest says "\Attachments\6104646-6648380-1.pdf"; the file is "Attachments/…-1.PDF"
    assert first[0].path == f"{FOLDER}/2017-04-21 12.24.03/Attachments/6104646-6648380-1.PDF"
    all_enclosures = [enclosure for item in items for enclosure in item.enclosures]
    assert len(all_enclosures) == 12
    assert all(enclosure.path in paths for enclosure in all_enclosures)


def test_meeting_html_is_a_meeting_file_restricted_when_it_prints_closed_items(
    fujitsu_tree: FolderTree,
) -> None:
    (newer_html,) = _read(fujitsu_tree, NEWER).meeting_files
    assert newer_html.path == NEWER.removesuffix(".xml") + ".html"
    assert newer_html.access == "restricted"  # not filtered to public items: it prints items 5 and 6
    (older_html,) = _read(fujitsu_tree, OLDER).meeting_files
    assert older_html.path == OLDER.removesuffix(".xml") + ".html"
    assert older_html.access == "public"


def test_older_publishing_has_only_the_manifest_and_the_html(fujitsu_tree: FolderTree) -> None:
    export = _read(fujitsu_tree, OLDER)
    assert [item.number for item in export.items] == ["2", "3", "4", "5", "6"]
    assert all(item.access == "public" for item in export.items)
    assert all(item.enclosures == () for item in export.items)


def test_matches_by_content(fujitsu_tree: FolderTree) -> None:
    assert fujitsu.matches(fujitsu_tree.read(NEWER))
    assert not fujitsu.matches(b"<Root><Committee><Meeting/></Committee></Root>")  # not Fujitsu's namespace
    notification = (
        b'<Root xmlns:edoc="http://www.fujitsu.dk/agenda/xml/schemas/2009/03/31/">'
        b"<edoc:Notification><edoc:Publish>true</edoc:Publish></edoc:Notification></Root>"
    )
    assert not fujitsu.matches(notification)
