"""Request and response shapes of the ticket API, validated at the boundary."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Dict, List, Optional, Union

from pydantic import BaseModel, Extra, Field, StrictInt, StrictStr, constr, validator

from desk.agents.schemas import agent_public
from desk.attachments.schemas import ATTACHMENT_ID, attachment_public
from desk.models import Ticket, TicketMessage
from desk.privacy import shown
from desk.ratings.schemas import rating_public
from support.conversation_ids import CONVERSATION_ID

CATEGORIES = ("delay", "quality", "payment", "other")
PRIORITIES = ("urgent", "high", "normal", "low")
STATUSES = ("new", "assigned", "waiting_customer", "resolved", "closed")
AUTHORS = ("customer", "bot", "agent", "system")
SERVICE_AUTHORS = ("customer", "bot", "system")
MAX_TEXT = 20000
MAX_ATTACHMENTS = 20

Email = constr(strict=True, strip_whitespace=True, min_length=3, max_length=254)
AttachmentIds = List[constr(regex=ATTACHMENT_ID)]  # type: ignore[valid-type]


class TranscriptLine(BaseModel, extra=Extra.forbid):
    """One message of the conversation before the handoff."""

    author: constr(strip_whitespace=True, min_length=1)  # type: ignore[valid-type]
    text: constr(max_length=MAX_TEXT)  # type: ignore[valid-type]
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
    # a conversation id: the characters a URL path carries as they are (support/conversation_ids.py),
    # so the desk can always push to exactly this conversation
    sender_id: constr(strip_whitespace=True, regex=CONVERSATION_ID.pattern)  # type: ignore[valid-type]
    customer_id: Optional[constr(max_length=100)] = None  # type: ignore[valid-type]
    order_number: Optional[constr(max_length=30)] = None  # type: ignore[valid-type]
    problem_time: Optional[datetime] = None
    requested_resolution: Optional[constr(max_length=40)] = None  # type: ignore[valid-type]
    payment_details: Optional[Dict[str, Any]] = None
    summary: constr(max_length=2000) = ""  # type: ignore[valid-type]
    transcript: List[TranscriptLine] = Field(default_factory=list, max_items=500)
    attachments: AttachmentIds = Field(default_factory=list, max_items=MAX_ATTACHMENTS)
    # the ticket was queued while the desk was down: tell the customer its number
    notify_customer: bool = False

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


class MessageCreate(BaseModel, extra=Extra.forbid):
    """``POST /api/tickets/<n>/messages``: a line the customer, the bot or the system said."""

    author: StrictStr
    text: constr(strict=True, min_length=1, max_length=MAX_TEXT)  # type: ignore[valid-type]
    sent_at: Optional[datetime] = None
    attachments: AttachmentIds = Field(default_factory=list, max_items=MAX_ATTACHMENTS)

    @validator("author")
    def _service_author(cls, value: str) -> str:  # noqa: N805
        if value not in SERVICE_AUTHORS:
            raise ValueError(f"must be one of {', '.join(SERVICE_AUTHORS)} (agents use /reply)")
        return value


class ReplyCreate(BaseModel, extra=Extra.forbid):
    """``POST /api/tickets/<n>/reply``: what the agent answers the customer."""

    text: constr(strict=True, strip_whitespace=True, min_length=1, max_length=5000)  # type: ignore[valid-type]


class AssignRequest(BaseModel, extra=Extra.forbid):
    """``POST /api/tickets/<n>/assign``: the agent by id or email."""

    agent: Union[StrictInt, Email]  # type: ignore[valid-type]


def _iso(value: Optional[datetime]) -> Optional[str]:
    return value.isoformat() if value is not None else None


def ticket_summary(ticket: Ticket) -> Dict[str, Any]:
    """The fields of a ticket shown in lists (its assigned agent must be loaded)."""
    return {
        "number": ticket.number,
        "category": ticket.category,
        "priority": ticket.priority,
        "status": ticket.status,
        "channel": ticket.channel,
        "sender_id": shown(ticket.sender_id),
        "customer_id": shown(ticket.customer_id),
        "order_number": ticket.order_number,
        "problem_time": _iso(ticket.problem_time),
        "requested_resolution": ticket.requested_resolution,
        "payment_details": ticket.payment_details,
        "summary": ticket.summary,
        "sla_due_at": _iso(ticket.sla_due_at),
        "assigned_agent": agent_public(ticket.assigned_agent),
        "resolved_at": _iso(ticket.resolved_at),
        "closed_at": _iso(ticket.closed_at),
        "created_at": _iso(ticket.created_at),
        "updated_at": _iso(ticket.updated_at),
    }


def message_public(message: TicketMessage) -> Dict[str, Any]:
    """One transcript line (its agent must be loaded)."""
    return {
        "id": message.id,
        "author": message.author,
        "text": message.text,
        "sent_at": _iso(message.sent_at),
        "agent": agent_public(message.agent) if message.agent_id is not None else None,
    }


def ticket_detail(ticket: Ticket) -> Dict[str, Any]:
    """A ticket with its transcript, photos and rating (all must be loaded)."""
    detail = ticket_summary(ticket)
    detail["transcript"] = [message_public(m) for m in ticket.messages]
    detail["attachments"] = [attachment_public(a) for a in ticket.attachments]
    detail["rating"] = rating_public(ticket.rating)
    return detail
