"""Documents: list, read, original file, upload and delete (writes need the API key)."""

from __future__ import annotations

import logging
from typing import Annotated

from fastapi import APIRouter, File, HTTPException, Path, Query, Response, UploadFile, status
from fastapi.responses import FileResponse
from starlette.concurrency import run_in_threadpool

from api.deps import READERS, RestrictedDep, ServiceDep, WriterDep
from api.schemas import DocumentDetailOut, DocumentOut, ErrorOut, ReadingOut, RemovedOut
from api.service import UploadRejected
from index.lock import DataDirBusy

router = APIRouter(prefix="/api/documents", tags=["documents"], dependencies=READERS)
audit = logging.getLogger("api.audit")

DocId = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]
MEDIA = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
READ_CHUNK = 1024 * 1024


@router.get("", response_model=list[DocumentOut])
def list_documents(service: ServiceDep, restricted: RestrictedDep = False) -> list[DocumentOut]:
    return [DocumentOut.model_validate(d.public()) for d in service.documents(restricted)]


@router.get("/{doc_id}/reading", response_model=ReadingOut, responses={404: {"model": ErrorOut}})
def get_reading(
    service: ServiceDep,
    doc_id: DocId,
    start: Annotated[int, Query(ge=0)],
    end: Annotated[int, Query(ge=1)],
    restricted: RestrictedDep = False,
) -> ReadingOut:
    """A machine-corrected reading of a span of an OCR-garbled document (quotes stay the verbatim text)."""
    try:
        found = service.reading(doc_id, start, end, restricted)
    except ValueError as exc:
        raise HTTPException(422, str(exc)) from exc
    if found is None:
        raise HTTPException(404, f"no document {doc_id}")
    text, reading = found
    return ReadingOut(doc_id=doc_id, start=start, end=end, text=text, reading=reading)


@router.get("/{doc_id}", response_model=DocumentDetailOut, responses={404: {"model": ErrorOut}})
def get_document(service: ServiceDep, doc_id: DocId, restricted: RestrictedDep = False) -> DocumentDetailOut:
    view = service.document(doc_id, restricted)
    if view is None:
        raise HTTPException(404, f"no document {doc_id}")
    doc = view.document
    passages = [
        {
            "chunk_id": c.chunk_id,
            "start": c.start,
            "end": c.end,
            "section": c.section,
            "page": c.page,
            "duplicate_of": c.duplicate_of,
        }
        for c in service.index.record.chunks(doc.doc_id)
    ]
    return DocumentDetailOut.model_validate(
        {
            **doc.public(),
            "text": doc.text,
            "duplicates": [d.__dict__ for d in view.duplicates],
            "passages": passages,
            "has_file": service.original_file(doc_id, restricted) is not None,
        }
    )


@router.get("/{doc_id}/file", responses={404: {"model": ErrorOut}})
def get_file(service: ServiceDep, doc_id: DocId, restricted: RestrictedDep = False) -> FileResponse:
    """The original file as ingested (PDF viewers honour a `#page=N` fragment)."""
    path = service.original_file(doc_id, restricted)
    doc = service.index.record.document(doc_id)
    if path is None or doc is None:
        raise HTTPException(404, f"no original file for document {doc_id}")
    media = MEDIA.get(doc.format, "text/plain; charset=utf-8")
    return FileResponse(path, media_type=media, filename=doc.source, content_disposition_type="inline")


@router.post(
    "",
    response_model=DocumentOut,
    status_code=status.HTTP_201_CREATED,
    responses={
        401: {"model": ErrorOut},
        403: {"model": ErrorOut},
        413: {"model": ErrorOut},
        422: {"model": ErrorOut},
    },
)
async def upload(
    service: ServiceDep, key: WriterDep, response: Response, file: Annotated[UploadFile, File()]
) -> DocumentOut:
    limit = service.settings.max_file_bytes
    data = bytearray()
    while chunk := await file.read(READ_CHUNK):
        data += chunk
        if len(data) > limit:
            raise HTTPException(413, f"file too large (limit {service.settings.max_file_mb:g} MB)")
    try:
        doc, created = await run_in_threadpool(service.upload, file.filename, bytes(data))
    except UploadRejected as exc:
        audit.info(
            "upload rejected", extra={"fields": {"key": key, "file": file.filename, "reason": str(exc)}}
        )
        raise HTTPException(422, str(exc)) from exc
    except DataDirBusy as exc:
        raise HTTPException(409, str(exc)) from exc
    audit.info("upload", extra={"fields": {"key": key, "doc_id": doc.doc_id, "source": doc.source}})
    if not created:
        response.status_code = status.HTTP_200_OK
    return DocumentOut.model_validate(doc.public())


@router.delete(
    "/{doc_id}",
    response_model=RemovedOut,
    responses={401: {"model": ErrorOut}, 403: {"model": ErrorOut}, 404: {"model": ErrorOut}},
)
async def delete(service: ServiceDep, key: WriterDep, doc_id: DocId) -> RemovedOut:
    try:
        removed = await run_in_threadpool(service.delete, doc_id)
    except DataDirBusy as exc:
        raise HTTPException(409, str(exc)) from exc
    if not removed:
        raise HTTPException(404, f"no document {doc_id}")
    audit.info("delete", extra={"fields": {"key": key, "doc_id": doc_id}})
    return RemovedOut(removed=1, doc_id=doc_id)
