"""The bodies the action server sends the desk; the desk validates them with these models."""

from __future__ import annotations

import hashlib
import re
from datetime import datetime
from typing import Any, Dict, List, Literal, Optional

from pydantic import Field, conint, constr, root_validator, validator

from contract.base import ContractModel
from contract.vocabulary import (
    ATTACHMENT_ID,
    AUTHORS,
    CATEGORIES,
    MAX_ATTACHMENTS,
    MAX_CHANNEL,
    MAX_COMMENT,
    MAX_CUSTOMER_ID,
    MAX_EMAIL,
    MAX_IDEMPOTENCY_KEY,
    MAX_LINE,
    MAX_LINES,
    MAX_HANDOFF_REASON,
    MAX_ORDER_NUMBER,
    MAX_REQUESTED_CHANGE,
    MAX_RESOLUTION,
    MAX_SENDER_ID,
    MAX_SUMMARY,
    MAX_TICKET_NUMBER,
    MAX_URL,
    PRIORITIES,
    SERVICE_AUTHORS,
)
from support.conversation_ids import CONVERSATION_ID
from support.pii import is_email_address

AttachmentIds = List[constr(regex=ATTACHMENT_ID)]  # type: ignore[valid-type]
TicketNumber = constr(strict=True, strip_whitespace=True, min_length=1, max_length=MAX_TICKET_NUMBER)


class TranscriptLine(ContractModel):
    """One message of the conversation before the handoff."""

    author: Literal[AUTHORS]  # type: ignore[valid-type]
    text: constr(max_length=MAX_LINE)  # type: ignore[valid-type]
    sent_at: Optional[datetime] = None


class TicketCreate(ContractModel):
    """``POST /api/tickets``: what the action server sends to open a ticket."""

    category: Literal[CATEGORIES]  # type: ignore[valid-type]
    priority: Literal[PRIORITIES] = "normal"  # type: ignore[valid-type]
    channel: constr(strip_whitespace=True, min_length=1, max_length=MAX_CHANNEL)  # type: ignore[valid-type]
    # a conversation id: the characters a URL path carries as they are (support/conversation_ids.py),
    # so the desk can always push to exactly this conversation
    sender_id: constr(strip_whitespace=True, regex=CONVERSATION_ID.pattern)  # type: ignore[valid-type]
    customer_id: Optional[constr(max_length=MAX_CUSTOMER_ID)] = None  # type: ignore[valid-type]
    order_number: Optional[constr(max_length=MAX_ORDER_NUMBER)] = None  # type: ignore[valid-type]
    problem_time: Optional[datetime] = None
    requested_resolution: Optional[constr(max_length=MAX_RESOLUTION)] = None  # type: ignore[valid-type]
    payment_details: Optional[Dict[str, Any]] = None
    # a cancellation or a change of the order the customer asked for (the bot never does it itself)
    requested_change: Optional[constr(max_length=MAX_REQUESTED_CHANGE)] = None  # type: ignore[valid-type]
    # why the bot handed over (an escalation is flagged here), in the agent's words
    handoff_reason: Optional[constr(max_length=MAX_HANDOFF_REASON)] = None  # type: ignore[valid-type]
    summary: constr(max_length=MAX_SUMMARY) = ""  # type: ignore[valid-type]
    transcript: List[TranscriptLine] = Field(default_factory=list, max_items=MAX_LINES)
    attachments: AttachmentIds = Field(default_factory=list, max_items=MAX_ATTACHMENTS)
    # the ticket was queued while the desk was down: tell the customer its number
    notify_customer: bool = False


class MessageCreate(ContractModel):
    """``POST /api/tickets/<n>/messages``: a line the customer, the bot or the system said."""

    author: Literal[SERVICE_AUTHORS] = Field(..., description="agents answer through /reply")  # type: ignore[valid-type]
    text: constr(strict=True, min_length=1, max_length=MAX_LINE)  # type: ignore[valid-type]
    sent_at: Optional[datetime] = None
    attachments: AttachmentIds = Field(default_factory=list, max_items=MAX_ATTACHMENTS)


class RatingCreate(ContractModel):
    """``POST /api/ratings``: a ticket by number, or the bot's answer by sender alone; 1–5."""

    ticket_number: Optional[TicketNumber] = None  # type: ignore[valid-type]
    sender_id: Optional[
        constr(strict=True, strip_whitespace=True, min_length=1, max_length=MAX_SENDER_ID)  # type: ignore[valid-type]
    ] = None
    rating: conint(strict=True, ge=1, le=5)  # type: ignore[valid-type]
    comment: Optional[constr(strict=True, strip_whitespace=True, max_length=MAX_COMMENT)] = None  # type: ignore

    @root_validator(skip_on_failure=True)
    def _names_a_ticket(cls, values: Dict[str, Any]) -> Dict[str, Any]:  # noqa: N805
        if not values.get("ticket_number") and not values.get("sender_id"):
            raise ValueError("give ticket_number or sender_id")
        return values


def fetchable_url(value: object) -> bool:
    """Whether ``value`` can be a photo address the desk fetches: http(s), no spaces, at most MAX_URL."""
    return (
        isinstance(value, str)
        and value.startswith(("https://", "http://"))
        and len(value) <= MAX_URL
        and not any(c.isspace() for c in value)
    )


def idempotency_key(*parts: object) -> str:
    """The ``Idempotency-Key`` of a request made of ``parts`` (conversation, message, reason), within the
    desk's limit: the parts joined with ``:``, or their SHA-256 when that would be longer than the limit."""
    key = ":".join(str(part) for part in parts)
    if len(key) <= MAX_IDEMPOTENCY_KEY and key.isprintable():
        return key
    return "sha256:" + hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def attachment_id(value: object) -> bool:
    """Whether ``value`` has the shape of the id of a photo the desk holds."""
    return isinstance(value, str) and re.fullmatch(ATTACHMENT_ID, value) is not None


class FetchRequest(ContractModel):
    """``POST /api/attachments/fetch``: download a photo from an allowed host."""

    url: constr(strict=True, strip_whitespace=True, min_length=1, max_length=MAX_URL)  # type: ignore[valid-type]
    ticket_number: Optional[TicketNumber] = None  # type: ignore[valid-type]




class ContactEmail(ContractModel):
    """``POST /api/tickets/<n>/email``: the address a customer left for a copy of the conversation and the replies."""

    email: constr(strict=True, strip_whitespace=True, min_length=3, max_length=MAX_EMAIL)  # type: ignore[valid-type]

    @validator("email")
    def _an_address(cls, value: str) -> str:  # noqa: N805 - pydantic validators take the class
        if not is_email_address(value):
            raise ValueError("not an e-mail address")
        return value
