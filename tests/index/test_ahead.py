"""Embedding while ingest parses: the model works in its own thread during the ingest, every passage's
vector is cached by the end, and the store sync afterwards embeds nothing."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from index import ahead
from index.ahead import embedding_ahead
from index.embed import FakeEmbedder, Kind
from index.factory import Index, open_index
from index.settings import Settings
from ingest.pipeline import IngestOptions, run_ingest
from tests.support import CORPUS


class Watched(FakeEmbedder):
    """Notes the thread of each call and how many documents the record held when it came."""

    def __init__(self, index: Index | None = None, fail_after: int | None = None) -> None:
        super().__init__()
        self.index = index
        self.fail_after = fail_after
        self.calls: list[tuple[str, int, int]] = []

    def embed(self, texts: Sequence[str], kind: Kind) -> np.ndarray:
        if self.fail_after is not None and len(self.calls) >= self.fail_after:
            raise RuntimeError("the model went away")
        written = len(self.index.record.documents()) if self.index else 0
        self.calls.append((threading.current_thread().name, written, len(texts)))
        return super().embed(texts, kind)


TOPICS = (
    "klagevejledning aktindsigt partshøring begrundelse journalisering",
    "hjemmepleje visitation genoptræning hjælpemidler rehabilitering",
    "skoleskift specialundervisning befordring frokostordning lektiecafé",
    "byggetilladelse lokalplan dispensation naboorientering servitut",
    "kontanthjælp jobcenter sygedagpenge ressourceforløb fleksjob",
    "affaldssortering storskrald genbrugsplads containere kompost",
    "parkeringslicens vejarbejde cykelsti fortov vintertjeneste",
    "dagpleje vuggestue pasningsgaranti søskenderabat ventelister",
)


def _folder(tmp_path: Path, files: int = 8) -> Path:
    """Notes on different subjects, so that none is a duplicate of another."""
    folder = tmp_path / "in"
    folder.mkdir()
    for n in range(files):
        words = TOPICS[n % len(TOPICS)].split()
        paragraphs = [
            f"Afsnit {p} handler om {words[p % 5]} og {words[(p + 2) % 5]}: forvaltningen har "
            f"gennemgået {p + 3} sager om {words[(p + 1) % 5]} og ændrer praksis for {words[(p + 3) % 5]} "
            f"fra uge {p * 7 + n}, så {words[(p + 4) % 5]} følger reglerne."
            for p in range(12)
        ]
        (folder / f"notat_{n}.txt").write_text(f"Notat {n}\n\n" + "\n\n".join(paragraphs), encoding="utf-8")
    return folder


@pytest.fixture()
def index(tmp_path: Path) -> Index:
    return open_index(Settings(data_dir=tmp_path / "data", embedder="fake"))


def test_the_model_embeds_in_its_own_thread_while_later_files_are_still_parsed(
    index: Index, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ahead, "BATCH", 4)
    watched = Watched(index)
    folder = _folder(tmp_path)
    with embedding_ahead(index.record, watched) as sink:
        report = run_ingest(sink, [folder], IngestOptions())
    assert report.added == 8
    assert {thread for thread, _, _ in watched.calls} == {"embed-ahead_0"}
    assert min(written for _, written, _ in watched.calls) < 8  # began before the last file was written
    wanted = {c.text_hash for c in index.record.indexable_chunks()}
    assert wanted <= set(index.record.vectors.get(sorted(wanted), watched.name))


def test_the_sync_after_it_embeds_only_what_was_held_back_and_the_store_is_complete(index: Index) -> None:
    with embedding_ahead(index.record, index.embedder) as sink:
        run_ingest(sink, [CORPUS], IngestOptions())
    assert sink.embedded > 0
    report = index.sync()
    # The seed corpus holds OCR copies: a copy read before its clean twin is embedded ahead, the twin
    # waits and is embedded by the sync once it is known to be the canonical one. Nothing twice.
    everything = {c.text_hash for c in index.record.chunks()}
    assert report.embedded < report.added == index.record.count_indexable()
    assert sink.embedded + report.embedded <= len(everything)
    assert index.store.ids() == {c.chunk_id for c in index.record.indexable_chunks()}


def test_passages_already_cached_are_not_embedded_again(index: Index, tmp_path: Path) -> None:
    folder = _folder(tmp_path, files=3)
    first = Watched()
    with embedding_ahead(index.record, first) as sink:
        run_ingest(sink, [folder], IngestOptions())
    (folder / "notat_0.txt").write_text(
        (folder / "notat_0.txt").read_text(encoding="utf-8") + "\n\nEt nyt afsnit kom til senere.", "utf-8"
    )
    again = Watched()
    with embedding_ahead(index.record, again) as sink:
        run_ingest(sink, [folder], IngestOptions())
    assert 1 <= sink.embedded == sum(n for _, _, n in again.calls) <= 2  # the changed passage, not the file


def test_a_model_failure_surfaces_and_keeps_what_was_embedded(
    index: Index, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ahead, "BATCH", 4)
    failing = Watched(fail_after=1)
    folder = _folder(tmp_path)
    with (
        pytest.raises(RuntimeError, match="the model went away"),
        embedding_ahead(index.record, failing) as sink,
    ):
        run_ingest(sink, [folder], IngestOptions())
    assert len(index.record.documents()) == 8  # the documents are written; the sync embeds the rest
    hashes = [c.text_hash for c in index.record.indexable_chunks()]
    assert len(index.record.vectors.get(hashes, failing.name)) == 4  # the one call of four before the failure
    assert index.sync().added == len(hashes)


def test_a_copy_of_a_written_document_waits_for_the_sync(index: Index, tmp_path: Path) -> None:
    folder = _folder(tmp_path, files=2)
    original = (folder / "notat_0.txt").read_text(encoding="utf-8")
    (folder / "notat_0_kopi.txt").write_text(original.replace("Afsnit", "Afsnlt"), encoding="utf-8")
    watched = Watched()
    with embedding_ahead(index.record, watched) as sink:
        run_ingest(sink, [folder], IngestOptions())
    copy = next(d for d in index.record.documents() if d.source == "notat_0_kopi.txt")
    assert not copy.canonical
    own = {
        c.text_hash for d in index.record.documents() if d.canonical for c in index.record.chunks(d.doc_id)
    }
    copied = [c.text_hash for c in index.record.chunks(copy.doc_id)]
    assert sink.embedded == len(own)  # the copy's passages were not sent to the model
    assert not index.record.vectors.get(copied, watched.name)
    assert index.sync().embedded == 0
