"""Response shape of photos (the fetch request is the contract's :class:`contract.requests.FetchRequest`)."""

from __future__ import annotations

from contract.responses import AttachmentOut
from desk.models import Attachment


def attachment_public(attachment: Attachment) -> AttachmentOut:
    """What the API tells about a photo; URLs are relative to the desk."""
    url = f"/api/attachments/{attachment.id}"
    return AttachmentOut(
        id=attachment.id,
        content_type=attachment.content_type,
        width=attachment.width,
        height=attachment.height,
        url=url,
        thumbnail_url=f"{url}/thumbnail",
    )
