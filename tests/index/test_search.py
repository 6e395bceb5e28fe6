"""Hybrid search over the seed corpus with the fake embedder: filters, duplicates, offsets, modes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from index.embed import FakeEmbedder
from index.factory import COLLECTION, Index, open_index
from index.models import Filters, Hit
from index.search import Searcher
from index.settings import Settings
from index.store import ModelMismatch, open_store
from ingest.pipeline import IngestOptions, run_ingest
from tests.support import seed

DUPLICATE = seed("000").name  # OCR copy of 001
CANONICAL = seed("001").name
COPENHAGEN = seed("002").name
SECTION = "3. Klima, Miljø og Teknik"
SECTION_QUERY = "Hvad lover Klima, Miljø og Teknik om borgerne"
QUERIES = [
    "klager og sagsbehandlingstid",
    "telefonpolitik",
    "Borgerrådgiverens beretning",
    SECTION_QUERY,
]


def sources(hits: list[Hit]) -> set[str]:
    return {h.source for h in hits}


def ranks(hits: list[Hit]) -> dict[str, int]:
    return {h.chunk_id: i for i, h in enumerate(hits)}


# --- filters ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["Copenhagen", "kobenhavn", "København", " KØBENHAVN "])
def test_municipality_filter_in_any_spelling(fake_index: Index, name: str) -> None:
    for mode in ("hybrid", "dense", "lexical"):
        hits = fake_index.searcher.search("klager", 20, Filters(municipality=name), mode).results
        assert hits, mode
        assert sources(hits) == {COPENHAGEN}, mode


def test_unfiltered_search_spans_municipalities(fake_index: Index) -> None:
    hits = fake_index.searcher.search("klager", 20).results
    assert len({h.municipality for h in hits}) > 1


def test_doc_type_filter(fake_index: Index) -> None:
    searcher = fake_index.searcher
    news = searcher.search("borgerrådgiver", 20, Filters(doc_type="News")).results
    assert news and {h.doc_type for h in news} == {"news"}
    responses = searcher.search("borgerrådgiver", 20, Filters(doc_type="response")).results
    assert responses and {h.doc_type for h in responses} == {"response"}
    assert sources(responses) == {CANONICAL, seed("004").name}


def test_year_filter(fake_index: Index) -> None:
    hits = fake_index.searcher.search("klager", 20, Filters(year=2023)).results
    assert hits and sources(hits) == {CANONICAL}
    assert all((h.date or "").startswith("2023") for h in hits)
    assert fake_index.searcher.search("klager", 20, Filters(year=1999)).results == []


def test_unknown_doc_type_is_refused(fake_index: Index) -> None:
    with pytest.raises(ValueError, match="doc_type"):
        fake_index.searcher.search("klager", 5, Filters(doc_type="memo"))


# --- duplicates and offsets ---------------------------------------------------------------------------
@pytest.mark.parametrize("query", [*QUERIES, "Redeggrelse for de initiativer pateenker"])
def test_ocr_duplicate_never_appears_and_is_listed_in_also_in(fake_index: Index, query: str) -> None:
    hits = fake_index.searcher.search(query, 30).results
    assert DUPLICATE not in sources(hits)
    canonical = [h for h in hits if h.source == CANONICAL]
    assert canonical, "the query should reach the canonical copy"
    # Every passage of 001 has its copy in the OCR duplicate 000; other documents have no copies.
    assert all(h.also_in == [DUPLICATE] for h in canonical)
    assert all(h.also_in == [] for h in hits if h.source != CANONICAL)


@pytest.mark.parametrize("query", QUERIES)
def test_hit_text_is_the_stored_text_span(fake_index: Index, query: str) -> None:
    hits = fake_index.searcher.search(query, 20).results
    assert hits
    for hit in hits:
        doc = fake_index.record.document(hit.doc_id)
        assert doc is not None and doc.text
        assert 0 <= hit.start < hit.end <= len(doc.text)
        assert hit.text == doc.text[hit.start : hit.end]
        assert (hit.source, hit.title, hit.doc_type) == (doc.source, doc.title, doc.doc_type)


# --- ranking, k and modes -----------------------------------------------------------------------------
@pytest.mark.parametrize("mode", ["hybrid", "dense", "lexical"])
def test_ordered_by_score_and_k_respected(fake_index: Index, mode: str) -> None:
    searcher = fake_index.searcher
    wide = searcher.search("klager og sagsbehandlingstid", 20, mode=mode).results  # type: ignore[arg-type]
    assert len(wide) == 20
    scores = [h.score for h in wide]
    assert scores == sorted(scores, reverse=True)
    assert len({h.chunk_id for h in wide}) == len(wide)
    for k in (1, 3):
        top = searcher.search("klager og sagsbehandlingstid", k, mode=mode).results  # type: ignore[arg-type]
        assert [h.chunk_id for h in top] == [h.chunk_id for h in wide[:k]]


def test_dense_mode_finds_a_passage_by_its_own_text(fake_index: Index) -> None:
    firsts = {c.doc_id: c for c in reversed(fake_index.record.indexable_chunks())}
    assert len(firsts) == 4  # every canonical document
    for chunk in firsts.values():
        hits = fake_index.searcher.search(chunk.text, 5, mode="dense").results
        assert hits[0].chunk_id == chunk.chunk_id


def test_dense_mode_always_answers_lexical_mode_needs_a_known_word(fake_index: Index) -> None:
    searcher = fake_index.searcher
    assert len(searcher.search("xyzzy qwerty", 5, mode="dense").results) == 5
    assert searcher.search("xyzzy qwerty", 5, mode="lexical").results == []


def test_lexical_mode_returns_only_passages_with_the_word(fake_index: Index) -> None:
    hits = fake_index.searcher.search("Skolevisitationen", 20, mode="lexical").results
    assert hits
    assert all("skolevisitation" in h.text.lower() for h in hits)
    indexed = fake_index.record.indexable_chunks()
    assert len(hits) == sum("skolevisitation" in c.text.lower() for c in indexed)


# --- section preference -------------------------------------------------------------------------------
def test_a_named_section_ranks_its_passages_higher(fake_index: Index) -> None:
    searcher = fake_index.searcher
    with_sections = searcher.search(SECTION_QUERY, 20).results
    without = searcher.search(SECTION_QUERY, 20, sections=False).results
    under = {h.chunk_id for h in with_sections + without if h.section == SECTION}
    assert len(under) >= 2
    on, off = ranks(with_sections), ranks(without)
    # Each passage under the section moves up (or stays first) and the top 3 is all that section.
    assert all(on[cid] <= off.get(cid, len(without)) for cid in under)
    assert sum(on[cid] < off.get(cid, len(without)) for cid in under) >= 1
    assert {h.section for h in with_sections[:3]} == {SECTION}
    assert {h.section for h in without[:3]} != {SECTION}


def test_a_query_naming_no_section_is_unaffected(fake_index: Index) -> None:
    searcher = fake_index.searcher
    with_sections = searcher.search("klager og sagsbehandlingstid", 10).results
    without = searcher.search("klager og sagsbehandlingstid", 10, sections=False).results
    assert [(h.chunk_id, h.score) for h in with_sections] == [(h.chunk_id, h.score) for h in without]


# --- freshness and model checks (own data dirs) -------------------------------------------------------
PARKING = (
    "Parkeringskontrollen i Testrup Kommune\n\n"
    "Kommunen har ansat tre nye parkeringsvagter, som skal hjælpe borgerne med at finde ledige pladser "
    "ved rådhuset. Parkeringsvagterne går runder hver formiddag og svarer på spørgsmål om reglerne.\n"
)
ZEBRA = (
    "Zebrafodgængerovergange ved skolerne\n\n"
    "Teknik og Miljø maler nye zebrafodgængerovergange foran alle skoler i løbet af sommerferien, så "
    "børnene kan krydse vejen sikkert. Arbejdet udføres om natten for at undgå trafikale gener.\n"
)


def _ingest(index: Index, folder: Path, name: str, text: str) -> None:
    (folder / name).write_text(text, encoding="utf-8")
    report = run_ingest(index.record, [folder], IngestOptions())
    assert report.added == 1 and not report.rejected
    index.sync()


def test_a_new_document_is_visible_to_an_existing_searcher(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    index = open_index(Settings(data_dir=tmp_path / "data", embedder="fake"))
    searcher: Searcher = index.searcher
    _ingest(index, docs, "parking.txt", PARKING)
    assert sources(searcher.search("parkeringsvagter", 5, mode="lexical").results) == {"parking.txt"}
    assert searcher.search("zebrafodgængerovergange", 5, mode="lexical").results == []
    generation = index.record.generation()

    _ingest(index, docs, "zebra.txt", ZEBRA)
    assert index.record.generation() != generation
    for mode in ("hybrid", "dense", "lexical"):
        hits = searcher.search("zebrafodgængerovergange foran skoler", 5, mode=mode).results
        assert hits and hits[0].source == "zebra.txt", mode


def test_opening_an_index_with_another_embedder_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = Settings(data_dir=tmp_path, embedder="fake")
    index = open_index(settings)
    index.record.close()

    class OtherModel(FakeEmbedder):
        name = "fake/other-model"

    def always(embedder: FakeEmbedder) -> Callable[..., FakeEmbedder]:
        return lambda *args, **kwargs: embedder

    for embedder, message in ((OtherModel(), "fake/other-model"), (FakeEmbedder(dim=32), "dim 32")):
        monkeypatch.setattr("index.factory.make_embedder", always(embedder))
        with pytest.raises(ModelMismatch, match=message) as caught:
            open_index(settings)
        assert "fake/hashing" in str(caught.value)

    # The store itself refuses too, and the original model still opens.
    with pytest.raises(ModelMismatch):
        open_store(data_dir=tmp_path, chroma_url=None, collection=COLLECTION, model_name="x", dim=64)
    monkeypatch.undo()
    assert open_index(settings).embedder.name == "fake/hashing"
