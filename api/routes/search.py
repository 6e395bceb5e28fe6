"""Search and cited answers."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Query
from fastapi.responses import StreamingResponse
from starlette.concurrency import run_in_threadpool

from api.deps import READERS, RestrictedDep, ServiceDep
from api.schemas import AnswerOut, AskIn, GroupedSearchOut, SearchOut
from api.service import QueryRejected
from index.answer import Answer
from index.models import Filters, Mode
from index.respond import Event
from ingest.models import DOC_TYPES

router = APIRouter(prefix="/api", tags=["search"], dependencies=READERS)


def _filters(
    municipality: str | None, doc_type: str | None, year: int | None, committee: str | None, restricted: bool
) -> Filters:
    try:
        return Filters(
            municipality or None, doc_type or None, year, committee or None, restricted
        ).normalised()
    except ValueError as exc:
        raise HTTPException(422, str(exc)) from exc


@router.get("/search", response_model=SearchOut | GroupedSearchOut)
async def search(
    service: ServiceDep,
    q: Annotated[str, Query(min_length=1, description="the question or keywords")],
    k: Annotated[int, Query(ge=1, le=100)] = 10,
    offset: Annotated[int, Query(ge=0, le=90, description="skip this many results (paging)")] = 0,
    municipality: Annotated[str | None, Query(max_length=100)] = None,
    doc_type: Annotated[str | None, Query(description=f"one of {', '.join(DOC_TYPES)}")] = None,
    year: Annotated[int | None, Query(ge=1900, le=2100)] = None,
    mode: Annotated[Mode, Query(description="hybrid (default), or one side alone")] = "hybrid",
    committee: Annotated[
        str | None, Query(max_length=200, description="name, short name or words of it")
    ] = None,
    group: Annotated[
        Literal["passage", "document"] | None,
        Query(description="document: one result per document, `k` counts documents"),
    ] = None,
    restricted: RestrictedDep = False,
) -> SearchOut | GroupedSearchOut:
    filters = _filters(municipality, doc_type, year, committee, restricted)
    # Model inference and BM25 are CPU work: keep them off the event loop.
    try:
        if group == "document":
            grouped = await run_in_threadpool(
                service.search_documents, q, min(k, 100 - offset), filters, offset, mode
            )
            return GroupedSearchOut.model_validate(grouped.public())
        result = await run_in_threadpool(service.search, q, min(k, 100 - offset), filters, offset, mode)
    except QueryRejected as exc:
        raise HTTPException(422, str(exc)) from exc
    return SearchOut.model_validate({**result.public(), "offset": offset})


@router.post("/ask", response_model=AnswerOut)
async def ask(service: ServiceDep, body: AskIn, restricted: RestrictedDep = False) -> AnswerOut:
    filters = _filters(body.municipality, body.doc_type, body.year, body.committee, restricted)
    try:
        answer = await run_in_threadpool(service.ask, body.question, body.k, filters)
    except QueryRejected as exc:
        raise HTTPException(422, str(exc)) from exc
    return AnswerOut.model_validate(answer.public())


ASK_STREAM_DOC = """The answer as newline-delimited JSON, one event per line, sent as soon as it is ready:
`{"event": "sentence", "mode", "text", "citations"}` for each sentence (a generated sentence only after its
citations are verified), `{"event": "notice", "text"}` when a generated answer falls back to the extractive
one, and last `{"event": "answer", ...}` with the whole Answer."""


@router.post(
    "/ask/stream",
    response_class=StreamingResponse,
    description=ASK_STREAM_DOC,
    responses={200: {"content": {"application/x-ndjson": {}}}},
)
async def ask_stream(
    service: ServiceDep, body: AskIn, restricted: RestrictedDep = False
) -> StreamingResponse:
    filters = _filters(body.municipality, body.doc_type, body.year, body.committee, restricted)
    try:
        events = await run_in_threadpool(service.ask_events, body.question, body.k, filters)
    except QueryRejected as exc:
        raise HTTPException(422, str(exc)) from exc
    return StreamingResponse(_ndjson(events), media_type="application/x-ndjson")


def _ndjson(events: Iterator[Event]) -> Iterator[str]:
    """One JSON line per event (Starlette runs this iterator in a worker thread)."""
    for kind, payload in events:
        data = (
            AnswerOut.model_validate(payload.public()).model_dump()
            if isinstance(payload, Answer)
            else payload
        )
        yield json.dumps({"event": kind, **data}, ensure_ascii=False) + "\n"  # type: ignore[dict-item]
