"""Request and response shapes of ratings."""

from __future__ import annotations

from typing import Any, Dict, Optional

from pydantic import BaseModel, Extra, conint, constr, root_validator

from desk.models import Rating


TicketNumber = constr(strict=True, strip_whitespace=True, min_length=1, max_length=20)
SenderId = constr(strict=True, strip_whitespace=True, min_length=1, max_length=200)
Comment = constr(strict=True, strip_whitespace=True, max_length=2000)


class RatingCreate(BaseModel, extra=Extra.forbid):
    """``POST /api/ratings``: a ticket by number, or the bot's answer by sender alone; 1–5."""

    ticket_number: Optional[TicketNumber] = None  # type: ignore[valid-type]
    sender_id: Optional[SenderId] = None  # type: ignore[valid-type]
    rating: conint(strict=True, ge=1, le=5)  # type: ignore[valid-type]
    comment: Optional[Comment] = None  # type: ignore[valid-type]

    @root_validator(skip_on_failure=True)
    def _names_a_ticket(cls, values: Dict[str, Any]) -> Dict[str, Any]:  # noqa: N805
        if not values.get("ticket_number") and not values.get("sender_id"):
            raise ValueError("give ticket_number or sender_id")
        return values


def rating_public(rating: Optional[Rating]) -> Optional[Dict[str, Any]]:
    """What the API tells about a rating."""
    if rating is None:
        return None
    return {"rating": rating.rating, "comment": rating.comment, "created_at": rating.created_at.isoformat()}


