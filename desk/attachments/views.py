"""HTTP routes of photos: upload, fetch from an allowed host, and serve them back."""

from __future__ import annotations

import logging
from typing import Optional

from sanic import Blueprint, Request
from sanic.response import HTTPResponse, file
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from contract.requests import FetchRequest
from contract.responses import AttachmentOut
from desk.api_docs import PHOTO_FORM, Answer, documented
from desk.attachments import service, storage
from desk.attachments.fetch import FetchError, check_url, download
from desk.attachments.images import MAX_BYTES
from desk.attachments.schemas import attachment_public
from desk.auth import require_agent_or_service, require_service_token
from desk.errors import ApiError
from desk.http import answer, parse_body
from desk.models import Ticket

logger = logging.getLogger(__name__)

uploads_bp = Blueprint("uploads", url_prefix="/api/uploads", strict_slashes=False)
bp = Blueprint("attachments", url_prefix="/api/attachments")

FETCH_TIMEOUT_SECONDS = 5.0
BINARY = {"type": "string", "format": "binary"}


async def _ticket(session: AsyncSession, number: Optional[str]) -> Optional[Ticket]:
    if not number:
        return None
    if "\x00" in number:  # names no ticket (and PostgreSQL text cannot hold it)
        raise ApiError(404, "ticket_not_found", "No ticket with that number.")
    ticket = await session.scalar(select(Ticket).where(Ticket.number == number))
    if ticket is None:
        raise ApiError(404, "ticket_not_found", f"No ticket numbered {number!r}.")
    return ticket


def uploaded_image(request: Request) -> bytes:
    """The bytes of the multipart field ``file`` (400 when missing or malformed, 413 when too big)."""
    try:
        upload_file = request.files.get("file") if request.files else None
    except Exception as exc:  # a malformed multipart body
        raise ApiError(400, "missing_file", "The body is not valid multipart/form-data.") from exc
    if upload_file is None:
        raise ApiError(400, "missing_file", "Send the image as the multipart/form-data field 'file'.")
    if len(upload_file.body) > MAX_BYTES:
        raise ApiError(413, "file_too_large", "Images may be at most 10 MB.")
    return upload_file.body


async def _store(request: Request, data: bytes, source: str, number: Optional[str]) -> HTTPResponse:
    async with request.app.ctx.sessions() as session:
        ticket = await _ticket(session, number)
        attachment = await service.store_image(
            session,
            request.app.ctx.settings.storage_dir,
            data,
            source,
            ticket=ticket,
            slots=request.app.ctx.image_slots,
        )
    return answer(attachment_public(attachment), status=201)


@uploads_bp.post("")
@documented(
    "Upload a photo (JPEG, PNG, WebP; at most 10 MB; re-encoded)",
    {201: Answer("Stored.", AttachmentOut)},
    form={**PHOTO_FORM, "properties": {**PHOTO_FORM["properties"], "ticket_number": {"type": "string"}}},
    errors=(400, 401, 404, 413, 415, 422),
)
@require_agent_or_service
async def upload(request: Request) -> HTTPResponse:
    """Accept one image in the multipart field ``file`` (optional field ``ticket_number``)."""
    data = uploaded_image(request)
    number = request.form.get("ticket_number") if request.form else None
    return await _store(request, data, "upload", number)


@bp.post("/fetch")
@documented(
    "Download a photo from an allowed host (10 MB, 5 s) and store it",
    {201: Answer("Stored.", AttachmentOut)},
    body=FetchRequest,
    errors=(400, 401, 404, 413, 415, 422),
)
@require_service_token
async def fetch(request: Request) -> HTTPResponse:
    """Download a photo from a configured host, then check and store it like an upload."""
    data = parse_body(request, FetchRequest, "invalid_fetch", "fetch request")
    try:
        settings = request.app.ctx.settings
        host = check_url(data.url, settings.fetch_allowed_hosts, settings.fetch_public_only)
    except FetchError as exc:
        raise ApiError(exc.status, exc.code, str(exc)) from exc
    if data.ticket_number:
        async with request.app.ctx.sessions() as session:
            await _ticket(session, data.ticket_number)
    try:
        body = await download(request.app.ctx.fetch_http, data.url, MAX_BYTES, FETCH_TIMEOUT_SECONDS)
    except FetchError as exc:
        logger.info("fetch from %s failed: %s", host, exc.code)
        raise ApiError(exc.status, exc.code, str(exc)) from exc
    return await _store(request, body, "fetch", data.ticket_number)


async def _serve(request: Request, attachment_id: str, thumbnail: bool) -> HTTPResponse:
    async with request.app.ctx.sessions() as session:
        attachment = await service.get_attachment(session, attachment_id)
    if attachment is None:
        raise ApiError(404, "attachment_not_found", "No such attachment.")
    path = storage.path_of(request.app.ctx.settings.storage_dir, attachment.id, thumbnail)
    content_type = attachment.thumbnail_content_type if thumbnail else attachment.content_type
    try:
        return await file(
            path,
            mime_type=content_type,
            headers={"Cache-Control": "private, max-age=86400", "Content-Disposition": "inline"},
        )
    except FileNotFoundError as exc:
        logger.error("attachment %s has no file in the storage folder", attachment.id)
        raise ApiError(404, "attachment_not_found", "The attachment's file is missing.") from exc


@bp.get("/<attachment_id:str>")
@documented("The photo", {200: Answer("The image", media="image/*", schema=BINARY)}, errors=(401, 404))
@require_agent_or_service
async def get_attachment(request: Request, attachment_id: str) -> HTTPResponse:
    """The re-encoded photo."""
    return await _serve(request, attachment_id, thumbnail=False)


@bp.get("/<attachment_id:str>/thumbnail")
@documented(
    "The photo's thumbnail (WebP, at most 320 px)",
    {200: Answer("The thumbnail", media="image/webp", schema=BINARY)},
    errors=(401, 404),
)
@require_agent_or_service
async def get_thumbnail(request: Request, attachment_id: str) -> HTTPResponse:
    """The photo's thumbnail (WebP, at most 320 px)."""
    return await _serve(request, attachment_id, thumbnail=True)
