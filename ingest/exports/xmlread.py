"""Parse a manifest safely, and walk it by local element names whatever its namespaces.

Manifests come from many exporters: with or without a BOM, UTF-8, UTF-16 or a Western 8-bit encoding
(declared, or declared wrongly), with namespaces on some elements and not on others. A document with a
DOCTYPE is refused before it is parsed, so no entity can expand (billion laughs) or reach outside.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from xml.parsers import expat

from ingest.detect import decode_text

MAX_MANIFEST_BYTES = 64 * 1024 * 1024
_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")


class ManifestError(Exception):
    """A manifest that cannot be read: malformed, unsafe, or missing what a meeting needs."""


class _PrologDone(Exception):
    pass


def parse(data: bytes) -> ET.Element:
    """The root element of an XML document; ManifestError when it is malformed, too large or unsafe."""
    if len(data) > MAX_MANIFEST_BYTES:
        raise ManifestError(f"XML too large to be a manifest ({len(data)} bytes)")
    _refuse_doctype(data)
    try:
        return ET.fromstring(data)
    except ET.ParseError as error:
        first_error = error
    # A declared encoding that is not the real one (cp1252 bytes declared as UTF-8, say): decode the
    # bytes by their content and parse the text once more.
    text = _DECLARATION.sub("", decode_text(data).lstrip("\ufeff"), count=1)
    recoded = text.encode("utf-8")
    _refuse_doctype(recoded)
    try:
        return ET.fromstring(recoded)
    except ET.ParseError:
        raise ManifestError(f"malformed XML: {first_error}") from first_error


def root_of(document: ET.Element | bytes) -> ET.Element | None:
    """The root element of a parsed document or of its bytes; None when the bytes are no usable XML."""
    if isinstance(document, bytes | bytearray):
        try:
            return parse(bytes(document))
        except ManifestError:
            return None
    return document


def local(tag: object) -> str:
    """An element's name without its namespace ("{http://…}Committee" → "Committee")."""
    if not isinstance(tag, str):
        return ""  # comments and processing instructions
    return tag.rsplit("}", 1)[-1]


def namespace(tag: object) -> str:
    if isinstance(tag, str) and tag.startswith("{"):
        return tag[1:].split("}", 1)[0]
    return ""


def children(element: ET.Element | None, name: str) -> list[ET.Element]:
    """The direct children named `name` (any namespace)."""
    if element is None:
        return []
    return [child for child in element if local(child.tag) == name]


def child(element: ET.Element | None, *path: str) -> ET.Element | None:
    """The first element down the path of local names, or None."""
    for name in path:
        if element is None:
            return None
        element = next((c for c in element if local(c.tag) == name), None)
    return element


def text(element: ET.Element | None, *path: str) -> str:
    """The stripped text of the element down `path` ("" when it is missing or empty)."""
    found = child(element, *path) if path else element
    if found is None or found.text is None:
        return ""
    return found.text.strip()


def raw_text(element: ET.Element | None, *path: str) -> str:
    """Like `text`, without stripping: HTML content as the manifest gives it."""
    found = child(element, *path) if path else element
    if found is None or found.text is None:
        return ""
    return found.text


def _refuse_doctype(data: bytes) -> None:
    parser = expat.ParserCreate()

    def doctype(*_: object) -> None:
        raise ManifestError("XML with a DOCTYPE declaration is not accepted as a manifest")

    def first_element(*_: object) -> None:
        raise _PrologDone

    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = doctype
    parser.StartElementHandler = first_element
    try:
        parser.Parse(data, True)
    except _PrologDone:
        return
    except expat.ExpatError:
        # Malformed, or an encoding expat does not know: the real parse decides, but a declaration
        # anywhere in the bytes is refused all the same.
        folded = data.lower()
        for marker in (b"<!doctype", b"<!entity"):
            if marker in folded or marker.decode().encode("utf-16-le") in folded:
                raise ManifestError("XML with a DOCTYPE declaration is not accepted as a manifest") from None
