"""Recognise what a file is from its bytes, and decode text files.

Files arrive with misleading names (HTML saved as .txt, a text export with markdown headings and inline
HTML lists saved as .txt), so the content decides and the extension only breaks ties. Files that are
not documents at all are rejected here with a reason a user can act on.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from pathlib import PurePath

import charset_normalizer

from ingest.errors import RejectedFile

# Exports from Danish offices are UTF-8 or one of these; an unrestricted guess picks cp1250/cp775 for
# short Danish texts and turns "ø" into "ř".
_WESTERN_ENCODINGS = ["cp1252", "latin_1", "iso8859_15"]
_SNIFF_BYTES = 256 * 1024
_MAX_CONTROL_SHARE = 0.02
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Office 97–2003 files (compound documents)
_ODF_TEXT = ("application/vnd.oasis.opendocument.text", "application/vnd.oasis.opendocument.text-template")
_ODF_KINDS = {"spreadsheet": ".ods", "presentation": ".odp", "graphics": ".odg", "formula": ".odf"}
# Names of the streams inside an OLE2 file, as its directory stores them (UTF-16LE).
_OLE2_STREAMS = {
    "an Excel workbook (.xls)": ("Workbook", "Book"),
    "a PowerPoint presentation (.ppt)": ("PowerPoint Document",),
    "an Outlook message (.msg)": ("__substg1.0_",),
}

_HTML_DOCUMENT = re.compile(r"<!doctype\s+html|<html[\s>]|<body[\s>]|<head[\s>]", re.IGNORECASE)
_HTML_BLOCK_TAG = re.compile(
    r"</?(?:p|div|h[1-6]|table|tr|td|th|ul|ol|li|section|article|blockquote|span|br)(?:\s[^<>]*)?/?>",
    re.IGNORECASE,
)
_LINE_OPENS_WITH_BLOCK_TAG = re.compile(r"^\s*<(?:p|div|h[1-6]|table|tr|ul|ol|section|article)[\s>]", re.I)
_ANY_TAG = re.compile(r"</?[a-zA-Z][^<>]*>")
_MD_HEADING = re.compile(r"^#{1,6}[ \t]+\S", re.MULTILINE)
_MD_PIPE_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)+\|?\s*$", re.MULTILINE)
_MD_LIST_ITEM = re.compile(r"^[ \t]{0,3}[-*+][ \t]+\S", re.MULTILINE)
_MD_INLINE = re.compile(r"\*\*[^*\n]+\*\*|\[[^\]\n]+\]\([^)\s]+\)|`[^`\n]+`")


def decode_text(data: bytes) -> str:
    """Decode a text file: UTF-8 (BOM or not), UTF-16 with BOM, else the best Western 8-bit guess."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16", errors="replace")
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = _decode_western(data)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _decode_western(data: bytes) -> str:
    guess = charset_normalizer.from_bytes(data, cp_isolation=_WESTERN_ENCODINGS).best()
    if guess is not None:
        return str(guess)
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin_1")  # never fails; bytes cp1252 leaves undefined become C1 controls


def sniff_format(data: bytes, name: str) -> str:
    """Return "pdf", "docx", "doc", "odt", "rtf", "html", "markdown" or "text"; else raise RejectedFile.

    A file named .pdf, .docx or .odt that lacks that format's signature is rejected rather than read as
    text: it is a broken download or a mislabelled file, and indexing it would mislead. A file named .doc
    may be RTF or HTML in disguise (old exports did that), so its content decides.
    """
    suffix = PurePath(name).suffix.lower()
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return _sniff_zip(data, suffix)
    if data.startswith(_OLE2_MAGIC):
        return _sniff_ole2(data, suffix)
    if data.lstrip().startswith(b"{\\rtf"):
        return "rtf"
    if suffix == ".pdf":
        raise RejectedFile("damaged PDF: the file does not start with a PDF header")
    if suffix == ".docx":
        raise RejectedFile("damaged Word document: the file is not a .docx (zip) package")
    if suffix == ".odt":
        raise RejectedFile("damaged OpenDocument text: the file is not an .odt (zip) package")
    sample = _sample(data)
    text = decode_text(sample)
    if looks_binary(text):
        if suffix == ".doc":
            raise RejectedFile("damaged Word .doc: the file is neither Word 97–2003, RTF nor text")
        raise RejectedFile(
            "not a supported document: binary content (not text, PDF, Word, RTF or OpenDocument text)"
        )
    return _sniff_text(text, suffix)


_DAMAGED_ZIP = {".odt": "damaged OpenDocument text", ".docx": "damaged Word document"}


def _sniff_zip(data: bytes, suffix: str) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            mimetype = _read_small(archive, "mimetype") if "mimetype" in names else ""
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, zlib.error) as error:
        what = _DAMAGED_ZIP.get(suffix, "damaged Word document or zip archive")
        raise RejectedFile(f"{what}: {error}") from error
    if "word/document.xml" in names:
        return "docx"
    if mimetype in _ODF_TEXT:
        return "odt"
    if mimetype.startswith("application/vnd.oasis.opendocument."):
        kind = mimetype.rsplit(".", 1)[-1]
        suffix = _ODF_KINDS.get(kind, "")
        raise RejectedFile(f"not a supported document: an OpenDocument {kind} {suffix}".rstrip())
    raise RejectedFile(
        "not a supported document: a zip archive that is not a Word .docx or an OpenDocument text (.odt)"
    )


def _read_small(archive: zipfile.ZipFile, name: str, limit: int = 256) -> str:
    """The start of a small member such as ODF's `mimetype`, decoded; never more than `limit` bytes."""
    with archive.open(name) as member:
        return member.read(limit).decode("ascii", errors="replace").strip()


def _sniff_ole2(data: bytes, suffix: str) -> str:
    """Word 97–2003 .doc among the Office files that share the OLE2 container."""
    if _has_stream(data, "WordDocument") or suffix in {".doc", ".dot"}:
        return "doc"  # a .doc whose directory is lost is judged by the reader, which says what is wrong
    for kind, streams in _OLE2_STREAMS.items():
        if any(_has_stream(data, stream) for stream in streams):
            raise RejectedFile(f"not a supported document: {kind}")
    raise RejectedFile("not a supported document: an Office 97–2003 file that is not a Word .doc")


def _has_stream(data: bytes, name: str) -> bool:
    return name.encode("utf-16-le") in data


def _sample(data: bytes) -> bytes:
    """The head of a large file, cut at a line break so a UTF-8 sequence is never split."""
    if len(data) <= _SNIFF_BYTES:
        return data
    head = data[:_SNIFF_BYTES]
    cut = head.rfind(b"\n")
    return head[:cut] if cut > 0 else head


def looks_binary(text: str) -> bool:
    """Whether decoded text is binary junk: a NUL, or more than a few control characters."""
    if "\x00" in text:
        return True
    controls = sum(1 for ch in text if (ord(ch) < 32 and ch not in "\t\n\f") or 0x7F <= ord(ch) < 0xA0)
    return controls > _MAX_CONTROL_SHARE * max(len(text), 1)


def _sniff_text(text: str, suffix: str) -> str:
    if _HTML_DOCUMENT.search(text[:4096]) or _is_html_fragment(text):
        return "html"
    if _markdown_score(text) > 0:
        return "markdown"
    if suffix in {".md", ".markdown"}:
        return "markdown"
    if suffix in {".html", ".htm", ".xhtml"} and _ANY_TAG.search(text):
        return "html"
    return "text"


def _is_html_fragment(text: str) -> bool:
    """Body-only HTML: block tags open many of its lines, or tags make up a large share of it.

    A text export with a few inline lists in table cells and markdown headings stays markdown: its
    lines open with text or "#", and the markdown signals outweigh the tags.
    """
    lines = [line for line in text.split("\n") if line.strip()]
    if not lines or not _HTML_BLOCK_TAG.search(text):
        return False
    opening = sum(1 for line in lines if _LINE_OPENS_WITH_BLOCK_TAG.match(line))
    if _markdown_score(text) > opening:
        return False
    tag_chars = sum(len(match) for match in _ANY_TAG.findall(text))
    return opening >= max(1, len(lines) // 3) or tag_chars > 0.3 * len(text)


def _markdown_score(text: str) -> int:
    """How many lines carry markdown structure; 0 when there is none."""
    score = len(_MD_HEADING.findall(text)) + 2 * len(_MD_PIPE_SEPARATOR.findall(text))
    tab_rows = sum(1 for line in text.split("\n") if len([c for c in line.split("\t") if c.strip()]) >= 2)
    if tab_rows >= 2:
        score += tab_rows
    list_items = len(_MD_LIST_ITEM.findall(text))
    if list_items >= 2 and (score or _MD_INLINE.search(text)):
        score += list_items
    return score
