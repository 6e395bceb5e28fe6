"""OpenDocument text: an .odt package written here, zip and XML by hand, parsed into blocks."""

from __future__ import annotations

import io
import zipfile

import pytest

from ingest.detect import sniff_format
from ingest.errors import RejectedFile
from ingest.models import Block, Cell
from ingest.parse import parse_bytes
from ingest.parsers import odt

NAMESPACES = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0"'
)
BODY = """
<text:tracked-changes><text:changed-region text:id="c1"><text:deletion>
  <text:p>Slettet tekst om lukkede punkter</text:p>
</text:deletion></text:changed-region></text:tracked-changes>
<text:table-of-content><text:index-body><text:p>Indhold 1</text:p></text:index-body></text:table-of-content>
<text:p text:style-name="P1">Referat fra Teknik- og Miljøudvalget</text:p>
<text:h text:outline-level="1">Punkt 1: Vejbelysning</text:h>
<text:p>Udvalget<text:s text:c="2"/>godkendte <text:span>udskiftningen</text:span> af gadelys<text:note>
  <text:note-citation>1</text:note-citation>
  <text:note-body><text:p>Fodnote om lygter</text:p></text:note-body>
  </text:note> på Nørregade.<text:line-break/>Arbejdet begynder i maj.</text:p>
<text:section text:name="Beslutning">
  <text:h text:outline-level="2">Beslutning</text:h>
  <text:p>Indstillingen blev tiltrådt.</text:p>
</text:section>
<text:list>
  <text:list-item><text:p>Ældre lamper skiftes først</text:p>
    <text:list><text:list-item><text:p>på Ærøvej</text:p></text:list-item></text:list>
  </text:list-item>
  <text:list-item><text:p>Økonomien følges</text:p></text:list-item>
</text:list>
<table:table>
  <table:table-column table:number-columns-repeated="3"/>
  <table:table-header-rows><table:table-row>
    <table:table-cell><text:p>Vej</text:p></table:table-cell>
    <table:table-cell><text:p>Lamper</text:p></table:table-cell>
    <table:table-cell><text:p>Pris</text:p></table:table-cell>
  </table:table-row></table:table-header-rows>
  <table:table-row>
    <table:table-cell table:number-columns-spanned="2"><text:p>Nørregade og Ærøvej</text:p></table:table-cell>
    <table:covered-table-cell/>
    <table:table-cell><text:p>1,2 mio. kr.</text:p></table:table-cell>
  </table:table-row>
  <table:table-row>
    <table:table-cell><text:p>Søgade</text:p></table:table-cell>
    <table:table-cell><text:p>40</text:p><text:list><text:list-item><text:p>LED</text:p></text:list-item></text:list>
    </table:table-cell>
    <table:table-cell table:number-columns-repeated="1000"/>
  </table:table-row>
</table:table>
<table:table><table:table-row><table:table-cell><text:p>Layout-tabel med én celle.</text:p>
  </table:table-cell></table:table-row></table:table>
<text:p><draw:frame><draw:text-box><text:p>Tekst i en ramme</text:p></draw:text-box></draw:frame></text:p>
<text:p>Sagen sendes videre til Byrådet.</text:p>
"""


def _content(body: str) -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {NAMESPACES}>'
        '<office:automatic-styles><style:style style:name="P1" style:family="paragraph" '
        'style:parent-style-name="Title"/></office:automatic-styles>'
        f"<office:body><office:text>{body}</office:text></office:body></office:document-content>"
    )


def _odt(
    content: str | None = None,
    title: str | None = "Referat TMU 3. marts",
    mimetype: str = "application/vnd.oasis.opendocument.text",
) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), mimetype, compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", content if content is not None else _content(BODY))
        if title is not None:
            meta = (
                f"<office:document-meta {NAMESPACES}><office:meta><dc:title>{title}</dc:title></office:meta>"
            )
            archive.writestr("meta.xml", meta + "</office:document-meta>")
        archive.writestr("META-INF/manifest.xml", "<manifest/>")
    return buffer.getvalue()


def test_odt_blocks_in_reading_order() -> None:
    parsed = parse_bytes(_odt(), "referat.odt")
    assert parsed.format == "odt"
    assert parsed.title_hint == "Referat TMU 3. marts"
    assert parsed.blocks == (
        Block("heading", "Referat fra Teknik- og Miljøudvalget", 1),
        Block("heading", "Punkt 1: Vejbelysning", 1),
        Block(
            "paragraph",
            "Udvalget  godkendte udskiftningen af gadelys på Nørregade.\nArbejdet begynder i maj.",
        ),
        Block("heading", "Beslutning", 2),
        Block("paragraph", "Indstillingen blev tiltrådt."),
        Block("bullet", "Ældre lamper skiftes først", 1),
        Block("bullet", "på Ærøvej", 2),
        Block("bullet", "Økonomien følges", 1),
        Block("row", cells=(Cell("Vej", "Nørregade og Ærøvej"), Cell("Pris", "1,2 mio. kr."))),
        Block("row", cells=(Cell("Vej", "Søgade"), Cell("Lamper", "40\n• LED"))),
        Block("paragraph", "Layout-tabel med én celle."),
        Block("paragraph", "Sagen sendes videre til Byrådet."),
    )


def test_title_style_names_the_document_without_metadata() -> None:
    assert parse_bytes(_odt(title=None), "x.odt").title_hint == "Referat fra Teknik- og Miljøudvalget"


def test_odt_is_recognised_by_its_mimetype_whatever_the_name() -> None:
    assert sniff_format(_odt(), "bilag") == "odt"
    assert (
        sniff_format(_odt(mimetype="application/vnd.oasis.opendocument.text-template"), "skabelon") == "odt"
    )


def test_other_opendocument_files_are_rejected_by_kind() -> None:
    with pytest.raises(RejectedFile, match=r"an OpenDocument spreadsheet \.ods"):
        sniff_format(_odt(mimetype="application/vnd.oasis.opendocument.spreadsheet"), "budget.ods")


def test_external_entities_are_not_read() -> None:
    declaration = '<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/hostname">]>'
    content = _content("<text:p>Hemmeligt: &xxe;</text:p>").replace(
        "<office:document-content", declaration + "<office:document-content"
    )
    parsed = parse_bytes(_odt(content), "ondt.odt")
    assert [b.text for b in parsed.blocks] == ["Hemmeligt:"]


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda: _odt()[:300], "damaged"),
        (
            lambda: _odt(content="<office:document-content><unclosed>"),
            "damaged OpenDocument text: XMLSyntaxError",
        ),
        (lambda: _odt(content=_content("").replace("<office:text></office:text>", "")), "has no text body"),
        (
            lambda: _odt(title=None).replace(b"content.xml", b"content.xmX"),
            "damaged OpenDocument text: KeyError",
        ),
    ],
    ids=["truncated", "bad-xml", "no-body", "no-content"],
)
def test_damaged_odt_is_rejected(make: object, reason: str) -> None:
    assert callable(make)
    with pytest.raises(RejectedFile, match=reason):
        parse_bytes(make(), "referat.odt")


def test_content_that_unpacks_too_large_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(odt, "MAX_XML_BYTES", 1000)
    with pytest.raises(RejectedFile, match=r"OpenDocument text too large: content\.xml"):
        parse_bytes(_odt(), "referat.odt")
