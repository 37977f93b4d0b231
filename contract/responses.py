"""What the desk answers the action server (and every other caller) about tickets, photos, ratings and deliveries.

The desk builds each answer through these models (``desk/*/schemas.py``), so an
answer that drifts from its documented shape fails in the desk's own tests.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Dict, List, Literal, Optional

from pydantic import Field, conint, constr

from contract.base import ContractModel
from contract.vocabulary import (
    AUTHORS,
    CATEGORIES,
    DELIVERY_KINDS,
    IMAGE_TYPES,
    PRIORITIES,
    STATUSES,
    TICKET_NUMBER,
)

TicketNumberOut = constr(regex=TICKET_NUMBER)


class AgentOut(ContractModel):
    """An agent, as the API tells about one."""

    id: int
    email: str
    name: str


class AttachmentOut(ContractModel):
    """A stored photo; the URLs are relative to the desk."""

    id: str
    content_type: Literal[IMAGE_TYPES]  # type: ignore[valid-type]
    width: int
    height: int
    url: str
    thumbnail_url: str


class RatingOut(ContractModel):
    """The customer's 1–5 rating of a ticket."""

    rating: conint(ge=1, le=5)  # type: ignore[valid-type]
    comment: Optional[str]
    created_at: datetime


class MessageOut(ContractModel):
    """One line of a ticket's thread."""

    id: int
    author: Literal[AUTHORS]  # type: ignore[valid-type]
    text: str
    sent_at: Optional[datetime]
    agent: Optional[AgentOut]


class TicketSummaryOut(ContractModel):
    """A ticket as lists show it."""

    number: TicketNumberOut  # type: ignore[valid-type]
    category: Literal[CATEGORIES]  # type: ignore[valid-type]
    priority: Literal[PRIORITIES]  # type: ignore[valid-type]
    status: Literal[STATUSES]  # type: ignore[valid-type]
    channel: str
    sender_id: str
    customer_id: Optional[str]
    order_number: Optional[str]
    problem_time: Optional[datetime]
    requested_resolution: Optional[str]
    payment_details: Optional[Dict[str, Any]]
    requested_change: Optional[str] = None
    handoff_reason: Optional[str] = None
    summary: str
    sla_due_at: datetime
    assigned_agent: Optional[AgentOut]
    resolved_at: Optional[datetime]
    closed_at: Optional[datetime]
    created_at: datetime
    updated_at: datetime


class TicketOut(TicketSummaryOut):
    """A ticket with its thread, photos and rating.

    ``email_updates``: the desk can e-mail the customer a copy and the replies (SMTP is
    configured); ``notify_email``: the address she left, masked (``k***@example.com``).
    """

    transcript: List[MessageOut]
    attachments: List[AttachmentOut]
    rating: Optional[RatingOut]
    email_updates: bool = False
    notify_email: Optional[str] = None


class EmailSaved(ContractModel):
    """``POST /api/tickets/<n>/email``: the address (masked) and whether the copy of the conversation is on its way."""

    ticket_number: str
    email: str
    copy_queued: bool


class TicketList(ContractModel):
    """``GET /api/tickets``."""

    tickets: List[TicketSummaryOut]


class MessageAdded(ContractModel):
    """``POST /api/tickets/<n>/messages``: the stored line and the ticket after it."""

    message: MessageOut
    ticket: TicketSummaryOut


class DeliveryOut(ContractModel):
    """An agent reply or notice on its way to the customer."""

    id: int
    ticket_number: str
    sender_id: str
    channel: str
    kind: Literal[DELIVERY_KINDS]  # type: ignore[valid-type]
    text: str
    created_at: datetime
    delivered_at: Optional[datetime]
    attempts: int


class DeliveryList(ContractModel):
    """``GET /api/deliveries/pending``."""

    deliveries: List[DeliveryOut]


class DeliveryStateOut(ContractModel):
    """Where an agent's reply (or notice) to the customer stands, for the console.

    ``state``: ``delivered``; ``waiting`` (not tried yet, or tried again soon after
    ``attempts`` failures); ``failed`` (given up: too old, or the channel refused it).
    """

    id: int
    kind: Literal[DELIVERY_KINDS]  # type: ignore[valid-type]
    text: str
    state: Literal["delivered", "waiting", "failed"]
    attempts: int
    created_at: datetime
    delivered_at: Optional[datetime]
    given_up_at: Optional[datetime]


class DeliveryStateList(ContractModel):
    """``GET /api/deliveries?ticket=<number>``: a ticket's replies, oldest first."""

    deliveries: List[DeliveryStateOut]


class RatedOut(ContractModel):
    """``POST /api/ratings``; ``ticket_number`` is null for a rating of an answer the bot gave itself."""

    ticket_number: Optional[str]
    rating: conint(ge=1, le=5)  # type: ignore[valid-type]
    comment: Optional[str]
    created_at: datetime


class ErrorDetail(ContractModel):
    """What went wrong: a stable code, a sentence, and the fields at fault when there are any."""

    code: str
    message: str
    details: Any = Field(None, description="pydantic's list of field errors, or other context")


class ErrorOut(ContractModel):
    """Every error of the desk has this one shape."""

    error: ErrorDetail


class Status(ContractModel):
    """A plain acknowledgement (``{"status": "ok"}``)."""

    status: str
