"""Finding exports by their manifests' content: names do not matter, bad XML never stops the search."""

from __future__ import annotations

import logging
import time

import pytest

from ingest.exports import detect_system, find_exports
from ingest.exports.tree import ExportTree, FolderTree, MemoryTree
from ingest.exports.xmlread import ManifestError, parse

EDOC_MANIFEST = "12-03-2024 16.00.00/eDocAgendaPublishing.xml"
ACADRE_INDEX = "XML_2417.xml"
ACADRE_AGENDA = "Files_2417_5120455/5120452.XML"


def _files(tree: ExportTree) -> dict[str, bytes]:
    return {path: tree.read(path) for path in tree.paths()}


def _renamed(tree: ExportTree, old: str, new: str) -> MemoryTree:
    files = _files(tree)
    files[new] = files.pop(old)
    return MemoryTree(files)


def test_each_system_found(
    sbsys_tree: FolderTree, fujitsu_tree: FolderTree, edoc_tree: FolderTree, acadre_tree: FolderTree
) -> None:
    assert [e.system for e in find_exports(sbsys_tree)] == ["sbsys"]
    assert [e.system for e in find_exports(fujitsu_tree)] == ["fujitsu-edoc"] * 2  # two publishings
    assert [e.system for e in find_exports(edoc_tree)] == ["edoc"] * 2  # open and closed agenda
    # the index and the agenda XML it points to make one export, not two
    (acadre,) = find_exports(acadre_tree)
    assert acadre.sources == (ACADRE_INDEX, ACADRE_AGENDA)


def test_renamed_manifests_still_found(
    sbsys_tree: FolderTree, fujitsu_tree: FolderTree, edoc_tree: FolderTree, acadre_tree: FolderTree
) -> None:
    sbsys = _renamed(sbsys_tree, "Publication32/Publication32.xml", "Publication32/q8x2k.xml")
    assert [(e.system, e.manifest) for e in find_exports(sbsys)] == [("sbsys", "Publication32/q8x2k.xml")]
    (exported,) = find_exports(sbsys)
    assert exported.items[2].enclosures[0].path == "Publication32/Enclosures/1.pdf"

    newer = next(p for p in fujitsu_tree.paths() if p.endswith("e9117c72-1d79-4fe9-9653-ef7ab6f27187.xml"))
    fujitsu = _renamed(fujitsu_tree, newer, "zz/udtræk.XML")
    assert "zz/udtræk.XML" in [e.manifest for e in find_exports(fujitsu)]

    edoc = _renamed(edoc_tree, EDOC_MANIFEST, "12-03-2024 16.00.00/manifest_7f3")  # no suffix at all
    assert {e.manifest for e in find_exports(edoc)} == {"12-03-2024 16.00.00/manifest_7f3"}

    acadre = _renamed(acadre_tree, ACADRE_INDEX, "indeks.xml")
    (found,) = find_exports(acadre)
    assert found.sources == ("indeks.xml", ACADRE_AGENDA)


def test_agenda_xml_alone_is_an_acadre_export(acadre_tree: FolderTree) -> None:
    files = _files(acadre_tree)
    del files[ACADRE_INDEX]
    (found,) = find_exports(MemoryTree(files))
    assert (found.system, found.manifest) == ("acadre", ACADRE_AGENDA)


UNRELATED = {
    "rss.xml": b'<?xml version="1.0"?><rss version="2.0"><channel><title>Nyheder</title></channel></rss>',
    "[Content_Types].xml": b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
    "tegning.xml": b'<svg xmlns="http://www.w3.org/2000/svg"><rect width="1" height="1"/></svg>',
    "kalender.xml": "<Meeting><Title>Teammøde</Title><MeetingDate>1-2-2024</MeetingDate></Meeting>".encode(),
    "data.xml": b'<root><table name="kunder"><fields><field name="navn">Jens</field></fields></table></root>',
    "bog.xml": b"<Publication><Title>Lokalhistorie</Title><Year>1998</Year></Publication>",
    "noter.txt": b"<?xml version='1.0'?><Meeting><Committee>X</Committee></Meeting>",  # .txt: a document
}


def test_unrelated_xml_is_not_a_manifest() -> None:
    assert find_exports(MemoryTree(UNRELATED)) == []
    assert all(detect_system(data) is None for data in UNRELATED.values())


def test_malformed_manifest_skipped_with_a_warning(
    edoc_tree: FolderTree, acadre_tree: FolderTree, caplog: pytest.LogCaptureFixture
) -> None:
    files = _files(edoc_tree) | {f"acadre/{p}": data for p, data in _files(acadre_tree).items()}
    files[EDOC_MANIFEST] = files[EDOC_MANIFEST][: len(files[EDOC_MANIFEST]) // 2]  # cut off mid-way
    with caplog.at_level(logging.WARNING):
        exports = find_exports(MemoryTree(files))
    assert [e.system for e in exports] == ["acadre"]
    assert any(EDOC_MANIFEST in record.getMessage() for record in caplog.records)


def test_manifest_without_a_date_skipped_with_a_warning(
    edoc_tree: FolderTree, caplog: pytest.LogCaptureFixture
) -> None:
    files = _files(edoc_tree)
    files[EDOC_MANIFEST] = files[EDOC_MANIFEST].replace(
        b"12-03-2024 16:00:00</MeetingDate>", b"</MeetingDate>", 1
    )
    with caplog.at_level(logging.WARNING):
        assert find_exports(MemoryTree(files)) == []
    assert any("no meeting date" in record.getMessage() for record in caplog.records)


def test_missing_enclosure_left_out_with_a_warning(
    edoc_tree: FolderTree, caplog: pytest.LogCaptureFixture
) -> None:
    files = _files(edoc_tree)
    del files["12-03-2024 16.00.00/2100032.PDF"]
    with caplog.at_level(logging.WARNING):
        open_agenda, _ = find_exports(MemoryTree(files))
    assert open_agenda.items[2].enclosures == ()
    assert any("2100032.PDF" in record.getMessage() for record in caplog.records)


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE Meeting [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<Meeting><Committee>&lol9;</Committee><MeetingDate>01-02-2024</MeetingDate><MeetingAgendaTypes/></Meeting>"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE Meeting [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<Meeting><Committee>&xxe;</Committee><MeetingDate>01-02-2024</MeetingDate><MeetingAgendaTypes/></Meeting>"""


@pytest.mark.parametrize("data", [BILLION_LAUGHS, EXTERNAL_ENTITY], ids=["billion-laughs", "external-entity"])
def test_entity_declarations_refused(data: bytes, caplog: pytest.LogCaptureFixture) -> None:
    with pytest.raises(ManifestError, match="DOCTYPE"):
        parse(data)
    started = time.monotonic()
    with caplog.at_level(logging.WARNING):
        assert find_exports(MemoryTree({"eDocAgendaPublishing.xml": data})) == []
    assert time.monotonic() - started < 1
    assert any("DOCTYPE" in record.getMessage() for record in caplog.records)


MINIMAL_EDOC = (
    "<Meeting><Committee>Økonomiudvalget</Committee><MeetingDate>07-03-2024 15:00:00</MeetingDate>"
    "<MeetingState>Dagsorden</MeetingState><MeetingAgendaTypes><MeetingAgendaType>"
    "<AgendaType>Åben dagsorden</AgendaType><MeetingAgendaItems><MeetingAgendaItem>"
    "<AgendaItemNumber>1</AgendaItemNumber><Document><Title>Årsregnskab</Title>"
    "<PublishingType>SKAL PUBLICERES</PublishingType></Document><FullText>Regnskabet for året.</FullText>"
    "</MeetingAgendaItem></MeetingAgendaItems></MeetingAgendaType></MeetingAgendaTypes></Meeting>"
)


@pytest.mark.parametrize(
    "data",
    [
        b"\xef\xbb\xbf" + MINIMAL_EDOC.encode("utf-8"),
        ('<?xml version="1.0" encoding="utf-16"?>' + MINIMAL_EDOC).encode("utf-16"),
        ('<?xml version="1.0" encoding="windows-1252"?>' + MINIMAL_EDOC).encode("cp1252"),
        ('<?xml version="1.0" encoding="ISO-8859-1"?>' + MINIMAL_EDOC).encode("latin-1"),
        ('<?xml version="1.0" encoding="utf-8"?>' + MINIMAL_EDOC).encode("cp1252"),  # declared wrongly
        ('<?xml version="1.0" encoding="utf-8"?>\r\n<!-- eksport -->\r\n' + MINIMAL_EDOC).encode("utf-8"),
    ],
    ids=["utf8-bom", "utf16", "cp1252", "latin1", "wrong-declaration", "comment"],
)
def test_encodings(data: bytes) -> None:
    (export,) = find_exports(MemoryTree({"Møde/eDocAgendaPublishing.xml": data}))
    assert export.committee == "Økonomiudvalget"
    assert export.items[0].title == "Årsregnskab"
    assert export.kind == "agenda"


def test_namespaced_manifest_found() -> None:
    namespaced = MINIMAL_EDOC.replace("<Meeting>", '<Meeting xmlns="urn:edoc:agenda">', 1)
    (export,) = find_exports(MemoryTree({"a.xml": namespaced.encode()}))
    assert export.committee == "Økonomiudvalget"
