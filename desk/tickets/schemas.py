"""Request and response shapes of the ticket API, validated at the boundary."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Dict, List, Optional

from pydantic import BaseModel, Extra, Field, constr, validator

from desk.models import Ticket

CATEGORIES = ("delay", "quality", "payment", "other")
PRIORITIES = ("urgent", "high", "normal", "low")
STATUSES = ("new", "assigned", "waiting_customer", "resolved", "closed")
AUTHORS = ("customer", "bot", "agent", "system")


class TranscriptLine(BaseModel, extra=Extra.forbid):
    """One message of the conversation before the handoff."""

    author: constr(strip_whitespace=True, min_length=1)  # type: ignore[valid-type]
    text: constr(max_length=20000)  # type: ignore[valid-type]
    sent_at: Optional[datetime] = None

    @validator("author")
    def _known_author(cls, value: str) -> str:  # noqa: N805
        if value not in AUTHORS:
            raise ValueError(f"must be one of {', '.join(AUTHORS)}")
        return value


class TicketCreate(BaseModel, extra=Extra.forbid):
    """What the action server sends to open a ticket."""

    category: str
    priority: str = "normal"
    channel: constr(strip_whitespace=True, min_length=1, max_length=40)  # type: ignore[valid-type]
    sender_id: constr(strip_whitespace=True, min_length=1, max_length=200)  # type: ignore[valid-type]
    customer_id: Optional[constr(max_length=100)] = None  # type: ignore[valid-type]
    order_number: Optional[constr(max_length=30)] = None  # type: ignore[valid-type]
    problem_time: Optional[datetime] = None
    requested_resolution: Optional[constr(max_length=40)] = None  # type: ignore[valid-type]
    payment_details: Optional[Dict[str, Any]] = None
    summary: constr(max_length=2000) = ""  # type: ignore[valid-type]
    transcript: List[TranscriptLine] = Field(default_factory=list, max_items=500)

    @validator("category")
    def _known_category(cls, value: str) -> str:  # noqa: N805
        if value not in CATEGORIES:
            raise ValueError(f"must be one of {', '.join(CATEGORIES)}")
        return value

    @validator("priority")
    def _known_priority(cls, value: str) -> str:  # noqa: N805
        if value not in PRIORITIES:
            raise ValueError(f"must be one of {', '.join(PRIORITIES)}")
        return value


def _iso(value: Optional[datetime]) -> Optional[str]:
    return value.isoformat() if value is not None else None


def ticket_summary(ticket: Ticket) -> Dict[str, Any]:
    """The fields of a ticket shown in lists."""
    return {
        "number": ticket.number,
        "category": ticket.category,
        "priority": ticket.priority,
        "status": ticket.status,
        "channel": ticket.channel,
        "sender_id": ticket.sender_id,
        "customer_id": ticket.customer_id,
        "order_number": ticket.order_number,
        "problem_time": _iso(ticket.problem_time),
        "requested_resolution": ticket.requested_resolution,
        "payment_details": ticket.payment_details,
        "summary": ticket.summary,
        "sla_due_at": _iso(ticket.sla_due_at),
        "created_at": _iso(ticket.created_at),
        "updated_at": _iso(ticket.updated_at),
    }


def ticket_detail(ticket: Ticket) -> Dict[str, Any]:
    """A ticket with its transcript (its messages must be loaded)."""
    detail = ticket_summary(ticket)
    detail["transcript"] = [
        {"author": m.author, "text": m.text, "sent_at": _iso(m.sent_at)} for m in ticket.messages
    ]
    return detail
