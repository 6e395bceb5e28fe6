"""Operations: a request id on every request and log line, JSON logs, and Prometheus metrics."""

from __future__ import annotations

import contextvars
import json
import logging
import time
import uuid
from collections.abc import Awaitable, Callable

from fastapi import Request, Response
from fastapi.responses import JSONResponse
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "ts": round(record.created, 3),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        rid = request_id.get()
        if rid:
            entry["request_id"] = rid
        entry.update(getattr(record, "fields", {}))
        if record.exc_info:
            entry["error"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def configure_logging(json_lines: bool) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter() if json_lines else logging.Formatter("%(levelname)s %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.INFO)
    for noisy in ("bm25s", "chromadb", "httpx", "sentence_transformers"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


class Metrics:
    """Per-app metrics in their own registry (several apps in one process must not clash)."""

    def __init__(self, counts: Callable[[], dict[str, int]]) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "sporbar_requests", "HTTP requests", ["method", "route", "status"], registry=self.registry
        )
        self.latency = Histogram(
            "sporbar_request_seconds",
            "HTTP request latency",
            ["method", "route"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        for name in ("documents", "canonical_documents", "passages"):
            gauge = Gauge(
                f"sporbar_index_{name}", f"{name.replace('_', ' ')} in the index", registry=self.registry
            )
            gauge.set_function(lambda name=name: float(counts().get(name, 0)))  # type: ignore[misc]


def _route_name(request: Request) -> str:
    """The matched route's path template, so that /api/documents/{doc_id} is one series, not one per id."""
    route = request.scope.get("route")
    return str(getattr(route, "path", "unmatched"))


def observe(
    metrics: Metrics,
) -> Callable[[Request, Callable[[Request], Awaitable[Response]]], Awaitable[Response]]:
    log = logging.getLogger("api.access")

    async def middleware(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        rid = request.headers.get("x-request-id", "")[:64] or uuid.uuid4().hex[:16]
        token = request_id.set(rid)
        started = time.perf_counter()
        status = 500
        try:
            try:
                response = await call_next(request)
            except Exception:
                # Logged with its trace here; the client gets the request id, never the trace.
                log.exception("unhandled error on %s %s", request.method, request.url.path)
                detail = "internal error; the request id identifies it in the server log"
                response = JSONResponse({"detail": detail, "request_id": rid}, status_code=500)
            status = response.status_code
            response.headers["X-Request-ID"] = rid
            return response
        finally:
            seconds = time.perf_counter() - started
            route = _route_name(request)
            metrics.requests.labels(request.method, route, str(status)).inc()
            metrics.latency.labels(request.method, route).observe(seconds)
            fields = {"method": request.method, "path": request.url.path, "status": status}
            log.info("request", extra={"fields": {**fields, "ms": round(seconds * 1000, 1)}})
            request_id.reset(token)

    return middleware
