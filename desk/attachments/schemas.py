"""Request and response shapes of photos."""

from __future__ import annotations

from typing import Any, Dict, Optional

from pydantic import BaseModel, Extra, constr

from desk.models import Attachment

ATTACHMENT_ID = r"^[A-Za-z0-9_-]{16,64}$"
TicketNumber = constr(strict=True, strip_whitespace=True, min_length=1, max_length=20)


class FetchRequest(BaseModel, extra=Extra.forbid):
    """``POST /api/attachments/fetch``: download a photo from an allowed host."""

    url: constr(strict=True, strip_whitespace=True, min_length=1, max_length=2000)  # type: ignore[valid-type]
    ticket_number: Optional[TicketNumber] = None  # type: ignore[valid-type]


def attachment_public(attachment: Attachment) -> Dict[str, Any]:
    """What the API tells about a photo; URLs are relative to the desk."""
    url = f"/api/attachments/{attachment.id}"
    return {
        "id": attachment.id,
        "content_type": attachment.content_type,
        "width": attachment.width,
        "height": attachment.height,
        "url": url,
        "thumbnail_url": f"{url}/thumbnail",
    }
