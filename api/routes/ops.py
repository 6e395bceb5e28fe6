"""Liveness and metrics."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from api.deps import ServiceDep
from api.schemas import HealthOut

router = APIRouter(tags=["operations"])


@router.get("/healthz", response_model=HealthOut)
def healthz(service: ServiceDep) -> HealthOut:
    counts = service.counts()
    return HealthOut(
        status="ok",
        documents=counts["documents"],
        passages=counts["passages"],
        model=service.index.embedder.name,
    )


@router.get("/metrics", response_class=Response)
def metrics(request: Request) -> Response:
    return Response(generate_latest(request.app.state.metrics.registry), media_type=CONTENT_TYPE_LATEST)
