"""FastAPI dependencies as `Annotated` aliases: the service, the settings and the write key check."""

from __future__ import annotations

import hashlib
import hmac
from typing import Annotated

from fastapi import Depends, Header, HTTPException, Request, status

from api.service import Service
from index.settings import Settings


def get_service(request: Request) -> Service:
    service: Service = request.app.state.service
    return service


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


ServiceDep = Annotated[Service, Depends(get_service)]
SettingsDep = Annotated[Settings, Depends(get_settings)]


def require_api_key(
    settings: SettingsDep,
    x_api_key: Annotated[str | None, Header(description="the write key, `$SPORBAR_API_KEY`")] = None,
) -> str:
    """Writes need `X-API-Key`; with no key configured they are refused outright."""
    configured = settings.api_key.get_secret_value() if settings.api_key else ""
    if not configured:
        raise HTTPException(status.HTTP_403_FORBIDDEN, "writes are disabled: no API key is configured")
    if x_api_key is None:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED, "missing X-API-Key header", headers={"WWW-Authenticate": "ApiKey"}
        )
    if not hmac.compare_digest(x_api_key.encode(), configured.encode()):
        raise HTTPException(status.HTTP_403_FORBIDDEN, "wrong API key")
    return key_id(x_api_key)


def require_reader(
    settings: SettingsDep,
    x_api_key: Annotated[str | None, Header(description="the read key when one is configured")] = None,
) -> None:
    """With `$SPORBAR_READ_KEY` set, reads need it (or the write key) in `X-API-Key`."""
    read = settings.read_key.get_secret_value() if settings.read_key else ""
    if not read:
        return
    if x_api_key is None:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED, "missing X-API-Key header", headers={"WWW-Authenticate": "ApiKey"}
        )
    write = settings.api_key.get_secret_value() if settings.api_key else ""
    given = x_api_key.encode()
    # Every comparison runs, so the time taken does not tell which key was close.
    ok_read = hmac.compare_digest(given, read.encode())
    ok_write = bool(write) and hmac.compare_digest(given, write.encode())
    ok_restricted = _is_restricted_key(settings, x_api_key)
    if not (ok_read or ok_write or ok_restricted):
        raise HTTPException(status.HTTP_403_FORBIDDEN, "wrong API key")


def _is_restricted_key(settings: Settings, given: str | None) -> bool:
    restricted = settings.restricted_key.get_secret_value() if settings.restricted_key else ""
    return bool(restricted) and given is not None and hmac.compare_digest(given.encode(), restricted.encode())


def sees_restricted(
    settings: SettingsDep,
    x_api_key: Annotated[
        str | None, Header(description="the restricted key also shows restricted documents")
    ] = None,
) -> bool:
    """Whether the request carries the restricted key: only then do restricted documents exist for it."""
    return _is_restricted_key(settings, x_api_key)


def key_id(key: str) -> str:
    """A short, non-reversible name for a key, for logs."""
    return hashlib.sha256(key.encode()).hexdigest()[:8]


WriterDep = Annotated[str, Depends(require_api_key)]
RestrictedDep = Annotated[bool, Depends(sees_restricted)]
READERS = [Depends(require_reader)]
