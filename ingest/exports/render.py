"""An agenda item as a document: its title, the meeting it belongs to, and its fields as sections."""

from __future__ import annotations

from html import escape

from ingest.exports.models import AgendaItem, MeetingExport

_TEXT_MARKUP = ("<p", "<div", "<br", "<ol", "<ul", "<table", "<span", "<li", "<b>", "<i>", "<strong")


def item_html(export: MeetingExport, item: AgendaItem) -> str:
    """HTML whose headings become the item's sections ("Sagsfremstilling", "Beslutning" …)."""
    when = export.meeting_date + (f" kl. {export.meeting_time}" if export.meeting_time else "")
    meeting = f"{export.committee}, møde {when}" + (f", {export.location}" if export.location else "")
    parts = [
        "<!DOCTYPE html><html><head><meta charset='utf-8'>",
        f"<title>{escape(item.title)}</title></head><body>",
        f"<h1>{escape(item.number)}. {escape(item.title)}</h1>",
        f"<p>{escape(meeting)}</p>",
    ]
    if item.case_number:
        parts.append(f"<p>Sagsnr.: {escape(item.case_number)}</p>")
    for field in item.fields:
        parts.append(f"<h2>{escape(field.name)}</h2>")
        parts.append(_as_html(field.html))
    # Closed enclosures of an open item are not named: their titles can say what is confidential.
    listed = [e for e in item.enclosures if e.access == "public" or item.access == "restricted"]
    if listed:
        parts.append("<h2>Bilag</h2><ul>")
        parts.extend(f"<li>{escape(e.title)}</li>" for e in listed)
        parts.append("</ul>")
    parts.append("</body></html>")
    return "\n".join(parts)


def _as_html(content: str) -> str:
    """Field content that is already HTML stays as it is; plain text keeps its line breaks as paragraphs."""
    if any(tag in content.lower() for tag in _TEXT_MARKUP):
        return content
    paragraphs = [p.strip() for p in content.replace("\r\n", "\n").split("\n\n") if p.strip()]
    return "\n".join(f"<p>{escape(p).replace(chr(10), '<br>')}</p>" for p in paragraphs)
