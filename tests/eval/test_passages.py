"""A BEIR corpus indexed as given; long documents split into pieces and scored by their best piece."""

from __future__ import annotations

from pathlib import Path

from eval.datasets import BeirDataset
from eval.passages import best_passage, index_beir, word_count
from index.record import Record


def _dataset() -> BeirDataset:
    long = "Første sætning om sne. Anden sætning om salt og grus. Tredje sætning om fortove og cykelstier."
    corpus = {"a": ("", "Kort tekst om skoler."), "b": ("Vinter", long), "c": ("", "ord " * 12)}
    return BeirDataset("toy", corpus, {"q": "sne"}, {"q": {"b": 1}})


def test_each_document_is_one_passage_unless_too_long(tmp_path: Path) -> None:
    record = Record(tmp_path / "record.sqlite3")
    owner = index_beir(record, _dataset(), word_count, limit=8)
    assert owner["a"] == "a"
    pieces = [pid for pid, doc in owner.items() if doc == "b"]
    assert pieces == ["b#1", "b#2", "b#3"]
    chunks = {c.chunk_id: c for c in record.chunks()}
    stored = record.document("b")
    assert stored is not None and stored.text.startswith("Vinter\n\n")
    for pid in pieces:
        chunk = chunks[pid]
        assert chunk.text == stored.text[chunk.start : chunk.end]
        assert word_count(chunk.text) <= 8
    assert " ".join(chunks[p].text for p in pieces).split() == stored.text.split()  # nothing lost
    # one sentence longer than the limit is cut between words
    assert [word_count(chunks[p].text) for p in owner if owner[p] == "c"] == [8, 4]
    assert {d.doc_id for d in record.documents()} == {"a", "b", "c"}
    assert all(d.canonical for d in record.documents())  # no dedup between BEIR documents


def test_nothing_is_split_when_everything_fits(tmp_path: Path) -> None:
    owner = index_beir(Record(tmp_path / "record.sqlite3"), _dataset(), word_count)
    assert owner == {"a": "a", "b": "b", "c": "c"}


def test_documents_rank_by_their_best_passage() -> None:
    ranked = [("b#2", 0.9), ("a", 0.8), ("b#1", 0.7), ("c", 0.1)]
    owner = {"a": "a", "b#1": "b", "b#2": "b", "c": "c"}
    assert best_passage(ranked, owner) == [("b", 0.9), ("a", 0.8), ("c", 0.1)]
