"""Photos: check and store bytes, record them, link them to tickets."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import List, Optional, Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from desk.attachments import storage
from desk.attachments.images import THUMBNAIL_CONTENT_TYPE, ImageRejected, process_image
from desk.errors import ApiError
from desk.models import Attachment, Ticket, utcnow

logger = logging.getLogger(__name__)


async def store_image(
    session: AsyncSession,
    storage_dir: Path,
    data: bytes,
    source: str,
    ticket: Optional[Ticket] = None,
    slots: Optional[asyncio.Semaphore] = None,
) -> Attachment:
    """Decode, re-encode and store ``data``; record it (linked to ``ticket`` if given).

    Pillow and file writes run in the default executor; ``slots`` bounds how many
    images are decoded at once.

    Raises:
        ApiError: 4xx when the bytes are not an acceptable image.
    """
    loop = asyncio.get_running_loop()
    try:
        if slots is None:
            processed = await loop.run_in_executor(None, process_image, data)
        else:
            async with slots:
                processed = await loop.run_in_executor(None, process_image, data)
    except ImageRejected as exc:
        logger.info("image refused (%s, %d bytes, source=%s)", exc.code, len(data), source)
        raise ApiError(exc.status, exc.code, str(exc)) from exc
    attachment_id = storage.new_id()
    await loop.run_in_executor(
        None, storage.write_pair, storage_dir, attachment_id, processed.data, processed.thumbnail
    )
    attachment = Attachment(
        id=attachment_id,
        ticket_id=ticket.id if ticket is not None else None,
        content_type=processed.content_type,
        width=processed.width,
        height=processed.height,
        size_bytes=len(processed.data),
        thumbnail_content_type=THUMBNAIL_CONTENT_TYPE,
        source=source,
        created_at=utcnow(),
    )
    session.add(attachment)
    try:
        await session.commit()
    except Exception:
        await loop.run_in_executor(None, storage.remove_pair, storage_dir, attachment_id)
        raise
    logger.info(
        "attachment %s stored (%s %dx%d, source=%s)",
        attachment_id,
        processed.content_type,
        processed.width,
        processed.height,
        source,
    )
    return attachment


async def get_attachment(session: AsyncSession, attachment_id: str) -> Optional[Attachment]:
    """The attachment with ``attachment_id``, if any."""
    if not storage.is_valid_id(attachment_id):
        return None
    return await session.get(Attachment, attachment_id)


async def link_to_ticket(session: AsyncSession, ticket: Ticket, ids: Sequence[str]) -> List[Attachment]:
    """Attach the photos ``ids`` to ``ticket`` (not committed).

    Raises:
        ApiError: 422 when an id is unknown or the photo belongs to another ticket.
    """
    wanted = list(dict.fromkeys(ids))
    if not wanted:
        return []
    rows = await session.scalars(select(Attachment).where(Attachment.id.in_(wanted)))
    found = {attachment.id: attachment for attachment in rows.all()}
    missing = [i for i in wanted if i not in found]
    if missing:
        raise ApiError(422, "unknown_attachment", "Some attachments do not exist.", {"missing": missing})
    taken = [a.id for a in found.values() if a.ticket_id is not None and a.ticket_id != ticket.id]
    if taken:
        raise ApiError(
            422, "attachment_in_use", "Some attachments belong to another ticket.", {"taken": taken}
        )
    for attachment in found.values():
        if ticket.id is None:
            attachment.ticket = ticket
        else:
            attachment.ticket_id = ticket.id
    return [found[i] for i in wanted]
