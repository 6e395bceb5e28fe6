"""The citizen advisor's view: recommendations, their responses and status, overrides and CSV."""

from __future__ import annotations

import logging
from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Query, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from api.deps import READERS, RestrictedDep, ServiceDep, WriterDep
from api.schemas import ErrorOut
from index.trace.export import Dialect, Lang, RecFilters, to_csv
from index.trace.models import Status

router = APIRouter(prefix="/api/recommendations", tags=["recommendations"], dependencies=READERS)
audit = logging.getLogger("api.audit")

RecId = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]


class ResponseOut(BaseModel):
    doc_id: str
    source: str
    quote: str
    start: int
    end: int
    score: float
    same_row: bool


class HistoryOut(BaseModel):
    year: int | None = Field(
        description="the answering document's year: its date's, else the year it is about"
    )
    date: str | None
    status: Status = Field(description="the status this document's answer alone gives")
    reason: str
    reason_code: str
    reason_da: str = Field(description="the reason in Danish")
    doc_id: str
    source: str
    title: str
    doc_type: str
    quote: str = Field(description="the answering document's stored text [start:end]")
    start: int
    end: int
    score: float


class RepeatOut(BaseModel):
    rec_id: str
    doc_id: str
    source: str
    title: str
    year: int | None


class OverrideOut(BaseModel):
    status: Status
    note: str
    by: str
    at: str


class RecommendationOut(BaseModel):
    rec_id: str
    doc_id: str
    source: str
    title: str = Field(description="the title of the document the recommendation comes from")
    text: str
    start: int
    end: int
    theme: str
    section: str
    year: int | None
    municipality: str | None
    department: str | None = Field(description="the unit it is addressed to, when the text names it")
    status: Status = Field(description="the latest answer's status (see history)")
    confidence: float
    reason: str = Field(description="why, in English")
    reason_da: str = Field(description="the same in Danish")
    reason_code: str = Field(
        description="the reason, language-neutral: action_taken, decision_made, plan_or_study, acknowledged, "
        "mentioned, mixed, declined, no_match, no_response"
    )
    status_override: OverrideOut | None
    effective_status: Status
    responses: list[ResponseOut]
    history: list[HistoryOut] = Field(description="one entry per answering document, oldest first")
    repeated_from: RepeatOut | None = Field(
        description="the same recommendation in an earlier report it repeats, or null"
    )
    repeated_in: list[RepeatOut] = Field(description="later reports that recommend it again")


class OverrideIn(BaseModel):
    status: Status
    note: str = Field(default="", max_length=2000)
    by: str = Field(default="", max_length=100, description="who decided (defaults to the key's id)")


@router.get("", response_model=list[RecommendationOut])
async def recommendations(
    service: ServiceDep,
    municipality: Annotated[str | None, Query(max_length=100)] = None,
    status: Annotated[Status | None, Query()] = None,
    theme: Annotated[str | None, Query(max_length=200)] = None,
    doc_id: Annotated[str | None, Query(max_length=64)] = None,
    year: Annotated[int | None, Query(ge=1900, le=2100)] = None,
    restricted: RestrictedDep = False,
) -> list[RecommendationOut]:
    keep = RecFilters(municipality, status, theme, doc_id, year).keep
    recs = await run_in_threadpool(service.recommendations, restricted)
    return [RecommendationOut.model_validate(r.public()) for r in recs if keep(r)]


@router.get(".csv", response_class=Response)
async def recommendations_csv(
    service: ServiceDep,
    municipality: Annotated[str | None, Query(max_length=100)] = None,
    status: Annotated[Status | None, Query()] = None,
    theme: Annotated[str | None, Query(max_length=200)] = None,
    year: Annotated[int | None, Query(ge=1900, le=2100)] = None,
    lang: Annotated[Lang, Query(description="language of the column names, statuses and reasons")] = "en",
    dialect: Annotated[
        Dialect, Query(description="excel-da: ';', decimal comma, UTF-8 with BOM; comma: plain CSV")
    ] = "comma",
    restricted: RestrictedDep = False,
) -> Response:
    keep = RecFilters(municipality, status, theme, None, year).keep
    recs = await run_in_threadpool(service.recommendations, restricted)
    return Response(
        to_csv([r for r in recs if keep(r)], lang, dialect),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="recommendations.csv"'},
    )


@router.put(
    "/{rec_id}/override",
    response_model=RecommendationOut,
    responses={401: {"model": ErrorOut}, 403: {"model": ErrorOut}, 404: {"model": ErrorOut}},
)
async def set_override(
    service: ServiceDep, key: WriterDep, rec_id: RecId, body: OverrideIn
) -> RecommendationOut:
    return await _override(service, key, rec_id, body)


@router.delete(
    "/{rec_id}/override",
    response_model=RecommendationOut,
    responses={401: {"model": ErrorOut}, 403: {"model": ErrorOut}, 404: {"model": ErrorOut}},
)
async def clear_override(service: ServiceDep, key: WriterDep, rec_id: RecId) -> RecommendationOut:
    return await _override(service, key, rec_id, None)


async def _override(service: ServiceDep, key: str, rec_id: str, body: OverrideIn | None) -> RecommendationOut:
    status = body.status if body else None
    note = body.note if body else ""
    by = (body.by if body else "") or f"key:{key}"
    rec = await run_in_threadpool(service.override, rec_id, status, note, by)
    if rec is None:
        raise HTTPException(404, f"no recommendation {rec_id}")
    audit.info(
        "status override", extra={"fields": {"key": key, "rec_id": rec_id, "status": status, "note": note}}
    )
    return RecommendationOut.model_validate(rec.public())
