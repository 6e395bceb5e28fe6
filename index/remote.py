"""Server mode: the document records live in the Chroma server beside the vectors.

With `SPORBAR_CHROMA_URL` set, the Chroma server holds all durable state: the passages' vectors (the
store) and, in a second collection, one item per document (its row and its passages' rows as JSON) and
per status override. Each process keeps a local SQLite record only as a cache: a writer pulls before it
writes and pushes what changed after; a reader pulls whenever the shared marker changes. Writers are
expected one at a time (as in embedded mode); the last push wins.
"""

from __future__ import annotations

import hashlib
import json
import logging
import uuid
from collections.abc import Iterator, Mapping
from itertools import chain
from typing import Any

from chromadb.api.models.Collection import Collection

from index.record import Record
from index.store import RefuseEmbedding, client_for

log = logging.getLogger(__name__)

COLLECTION = "sporbar_records"
STATE = "state"
DOC = "doc:"
OVERRIDE = "override:"
_PLACEHOLDER = [1.0]  # Chroma stores a vector per item; these items are found by id, never by vector
PAGE = 200


def _digest(payload: object) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()[:24]


class RemoteRecord:
    def __init__(self, collection: Collection) -> None:
        self.collection = collection

    @classmethod
    def connect(cls, chroma_url: str) -> RemoteRecord:
        client = client_for(chroma_url)
        collection = client.get_or_create_collection(
            COLLECTION, configuration={"hnsw": {"space": "l2"}}, embedding_function=RefuseEmbedding()
        )
        return cls(collection)

    # --- the shared marker -------------------------------------------------------------------------
    def marker(self) -> str | None:
        got = self.collection.get(ids=[STATE], include=["metadatas"])
        metadatas = got["metadatas"] or []
        return str(metadatas[0]["marker"]) if metadatas and metadatas[0] else None

    def _set_marker(self) -> str:
        marker = uuid.uuid4().hex
        self.collection.upsert(ids=[STATE], embeddings=[_PLACEHOLDER], metadatas=[{"marker": marker}])
        return marker

    # --- reading -----------------------------------------------------------------------------------
    def _items(self, include: list[Any]) -> Iterator[tuple[str, Mapping[str, Any] | None, str | None]]:
        offset = 0
        while True:
            got = self.collection.get(limit=PAGE, offset=offset, include=include)
            ids = got["ids"]
            if not ids:
                return
            metadatas = got.get("metadatas") or [None] * len(ids)
            documents = got.get("documents") or [None] * len(ids)
            yield from zip(ids, metadatas, documents, strict=True)
            offset += len(ids)

    @staticmethod
    def _state(record: Record) -> str:
        return f"{record.generation()}:{record.overrides.version}"

    def stale(self, record: Record) -> bool:
        return self.marker() != record.meta.remote_marker

    def pull(self, record: Record) -> bool:
        """Make the local record equal to the shared one; False when it already was."""
        marker = self.marker()
        if marker is None or marker == record.meta.remote_marker:
            return False
        overrides: dict[str, Any] = {}
        pulled = 0

        def payloads() -> Iterator[dict[str, Any]]:
            # Streamed into the record a page at a time; overrides are gathered on the way and written
            # after the last payload.
            nonlocal pulled
            for item_id, _, document in self._items(["documents"]):
                if item_id.startswith(DOC) and document:
                    pulled += 1
                    yield json.loads(document)
                elif item_id.startswith(OVERRIDE) and document:
                    overrides[item_id[len(OVERRIDE) :]] = json.loads(document)

        record.replica.track_changes()
        record.replica.replace_all(payloads(), overrides)
        record.replica.mark_shared()
        record.meta.remote_marker = marker
        record.meta.remote_tracked_since = marker
        record.meta.remote_shared_state = self._state(record)
        log.info("pulled %d documents from the Chroma server", pulled)
        return True

    # --- writing -----------------------------------------------------------------------------------
    def push(self, record: Record) -> int:
        """Send what differs between the local record and the shared one; returns items changed."""
        record.replica.track_changes()
        marker = record.meta.remote_marker
        shared = self.marker()
        # Nothing changed on either side since this record last equalled the shared one: skip the listing.
        if record.meta.remote_shared_state == self._state(record) and marker and marker == shared:
            return 0
        if marker and marker == shared and record.meta.remote_tracked_since == marker:
            # Nobody wrote since this record last equalled the shared one, and it lists its changes since.
            changes = record.replica.unshared()
            sent, gone = self._push_changes(record, changes)
            record.replica.mark_shared(changes)
        else:
            sent, gone = self._push_all(record)
            record.replica.mark_shared()
        if gone:
            self.collection.delete(ids=gone)
        if sent or gone or shared is None:
            marker = self._set_marker()
            record.meta.remote_marker = marker
        record.meta.remote_tracked_since = marker or ""
        record.meta.remote_shared_state = self._state(record)
        return sent + len(gone)

    def _push_changes(self, record: Record, changes: list[tuple[str, str]]) -> tuple[int, list[str]]:
        """The changed documents and overrides only, each compared with its shared digest."""
        doc_ids = [key for kind, key in changes if kind == "doc"]
        overrides = record.overrides.all()
        local: dict[str, object] = {
            DOC + doc_id: payload for doc_id, payload in record.replica.payloads_of(doc_ids)
        }
        local.update(
            {
                OVERRIDE + key: overrides[key]
                for kind, key in changes
                if kind == "override" and key in overrides
            }
        )
        asked = [DOC + key if kind == "doc" else OVERRIDE + key for kind, key in changes]
        remote: dict[str, str] = {}
        for start in range(0, len(asked), PAGE):
            got = self.collection.get(ids=asked[start : start + PAGE], include=["metadatas"])
            remote.update(
                (i, str((m or {}).get("digest")))
                for i, m in zip(got["ids"], got["metadatas"] or [], strict=True)
            )
        changed: list[tuple[str, str, str]] = []
        sent = 0
        for item_id, payload in local.items():
            digest = _digest(payload)
            if remote.get(item_id) != digest:
                changed.append((item_id, digest, json.dumps(payload, ensure_ascii=False)))
            if len(changed) == PAGE:
                sent += self._send(changed)
        sent += self._send(changed)
        return sent, [i for i in asked if i in remote and i not in local]

    def _push_all(self, record: Record) -> tuple[int, list[str]]:
        """Every local item against a listing of every shared one."""
        remote = {
            item_id: str((metadata or {}).get("digest"))
            for item_id, metadata, _ in self._items(["metadatas"])
            if item_id != STATE
        }
        local: set[str] = set()
        changed: list[tuple[str, str, str]] = []  # (item id, digest, JSON), sent a page at a time
        sent = 0
        for item_id, payload in chain(
            ((DOC + doc_id, payload) for doc_id, payload in record.replica.payloads()),
            ((OVERRIDE + rec_id, override) for rec_id, override in record.overrides.all().items()),
        ):
            local.add(item_id)
            digest = _digest(payload)
            if remote.get(item_id) != digest:
                changed.append((item_id, digest, json.dumps(payload, ensure_ascii=False)))
            if len(changed) == PAGE:
                sent += self._send(changed)
        sent += self._send(changed)
        return sent, [i for i in remote if i not in local]

    def _send(self, changed: list[tuple[str, str, str]]) -> int:
        """Upsert the collected items and empty the list; returns how many were sent."""
        if changed:
            self.collection.upsert(
                ids=[i for i, _, _ in changed],
                embeddings=[_PLACEHOLDER] * len(changed),
                metadatas=[{"digest": digest} for _, digest, _ in changed],
                documents=[text for _, _, text in changed],
            )
        count = len(changed)
        changed.clear()
        return count
