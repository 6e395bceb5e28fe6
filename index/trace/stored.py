"""Tracing computed once and kept in the record: after every ingest (and lazily, once, when a record
changed in another way), per access level. A reader decodes the stored result while its key holds —
the record's generation, the embedder and this package's code — and adds the current overrides, which
change without a recomputation."""

from __future__ import annotations

import json
from dataclasses import asdict
from functools import cache
from pathlib import Path
from typing import Any

from index.embed import Embedder, compatible
from index.record import Record
from index.trace.models import (
    Extracted,
    HistoryEntry,
    Recommendation,
    Repeat,
    Response,
    Span,
)
from index.trace.run import compute, with_overrides
from ingest.models import content_hash

ACCESS = {True: "restricted", False: "public"}


@cache
def code_version() -> str:
    """A hash of the tracing code, every module of this package (a new one counts without a list to
    keep): a stored result from other code is computed again."""
    files = sorted(Path(__file__).parent.glob("*.py"))
    return content_hash(*(f"{f.name}\n{f.read_text(encoding='utf-8')}" for f in files))[:16]


def trace_key(record: Record, embedder: Embedder) -> str:
    """Engines of one vector space share a key: a trace computed with one serves the others."""
    return f"{record.generation()}|{min(compatible(embedder.name))}|{code_version()}"


def store(record: Record, embedder: Embedder) -> None:
    """Compute what is stale and keep it (after an ingest). Without restricted documents both access
    levels see the same, and it is computed once."""
    key = trace_key(record, embedder)
    stale = [r for r in (True, False) if (_held(record, r) or ("", ""))[0] != key]
    if not stale:
        return
    if len(stale) == 2 and all(d.access == "public" for d in record.documents()):
        payload = encode(compute(record, embedder, True))
        for restricted in stale:
            record.traces.put(ACCESS[restricted], key, payload)
        return
    for restricted in stale:
        record.traces.put(ACCESS[restricted], key, encode(compute(record, embedder, restricted)))


def _held(record: Record, restricted: bool) -> tuple[str, str] | None:
    held = record.traces.get(ACCESS[restricted])
    return (held.key, held.payload) if held else None


def load(record: Record, embedder: Embedder, restricted: bool) -> list[Recommendation]:
    """The traced recommendations with the current overrides: stored, or computed and stored now."""
    key = trace_key(record, embedder)
    held = _held(record, restricted)
    if held is not None and held[0] == key:
        recs = decode(held[1])
    else:
        recs = compute(record, embedder, restricted)
        record.traces.put(ACCESS[restricted], key, encode(recs))
    return with_overrides(record, recs)


# --- encoding -------------------------------------------------------------------------------------------
def encode(recs: list[Recommendation]) -> str:
    """The recommendations without their overrides, as JSON."""
    rows = []
    for r in recs:
        row = asdict(r)
        row.pop("status_override")
        rows.append(row)
    return json.dumps(rows, ensure_ascii=False)


def _rec(d: dict[str, Any]) -> Recommendation:
    e = dict(d.pop("rec"))
    e["span"] = Span(**e["span"])
    e["row_response"] = Span(**e["row_response"]) if e["row_response"] else None
    return Recommendation(
        **{
            **d,
            "rec": Extracted(**e),
            "responses": [Response(**x) for x in d["responses"]],
            "history": [HistoryEntry(**h) for h in d["history"]],
            "repeated_from": Repeat(**d["repeated_from"]) if d["repeated_from"] else None,
            "repeated_in": [Repeat(**x) for x in d["repeated_in"]],
        }
    )


def decode(payload: str) -> list[Recommendation]:
    return [_rec(d) for d in json.loads(payload)]
