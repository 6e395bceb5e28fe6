"""The FastAPI application: the index opened once in the lifespan, thin routers, errors without traces."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool

from api.observe import JsonFormatter, Metrics, observe, request_id
from api.routes import documents, ops, page, search, trace
from api.service import Service
from index.settings import Settings

log = logging.getLogger(__name__)


def _error(status: int, detail: object, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(
        {"detail": detail, "request_id": request_id.get()}, status_code=status, headers=headers
    )


MULTIPART_OVERHEAD = 64 * 1024


def limit_body(
    limit: int,
) -> Callable[[Request, Callable[[Request], Awaitable[Response]]], Awaitable[Response]]:
    """Refuse a request whose declared body is over the limit before any of it is read."""

    async def middleware(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            detail = f"request body too large (limit {limit // (1024 * 1024)} MB)"
            return _error(413, detail)
        return await call_next(request)

    return middleware


def _audit_file(settings: Settings) -> None:
    """Writes are also kept as JSON lines in the data dir's audit log."""
    audit = logging.getLogger("api.audit")
    path = (settings.data_dir / "audit.log").resolve()
    if any(getattr(h, "baseFilename", None) == str(path) for h in audit.handlers):
        return
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(JsonFormatter())
    audit.addHandler(handler)
    audit.setLevel(logging.INFO)


def create_app(settings: Settings, service: Service | None = None) -> FastAPI:
    """The app for these settings; a ready `service` (tests) skips opening the index in the lifespan."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if service is None:
            # The model and the index load once, off the event loop.
            app.state.service = await run_in_threadpool(Service.open, settings)
        _audit_file(settings)
        log.info("serving %s", settings.data_dir)
        yield

    app = FastAPI(
        title="Sporbar",
        summary="Search and cited answers over Danish municipal governance documents.",
        version="0.1.0",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.service = service
    app.state.metrics = Metrics(lambda: app.state.service.counts() if app.state.service else {})
    app.middleware("http")(observe(app.state.metrics))
    app.middleware("http")(limit_body(settings.max_file_bytes + MULTIPART_OVERHEAD))
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware, allow_origins=settings.cors_origins, allow_methods=["GET", "POST", "DELETE"]
        )

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> JSONResponse:
        return _error(exc.status_code, exc.detail, dict(exc.headers or {}))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = [
            {"loc": list(e.get("loc", ())), "msg": str(e.get("msg", "")), "type": str(e.get("type", ""))}
            for e in exc.errors()
        ]
        return _error(422, problems)

    for module in (search, documents, trace, ops, page):
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=page.STATIC), name="static")
    return app
