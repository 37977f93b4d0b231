"""Ticket shapes the console sends, and tickets as the API shows them (the contract's models).

What the action server sends (``TicketCreate``, ``MessageCreate``) and the
ticket it gets back are in :mod:`contract`; the agent-only bodies are here.
"""

from __future__ import annotations

from typing import List, Optional, Union

from pydantic import StrictInt, constr

from contract.base import ContractModel
from contract.responses import MessageOut, TicketOut, TicketSummaryOut
from contract.vocabulary import MAX_REPLY
from desk.agents.schemas import agent_public
from desk.attachments.schemas import attachment_public
from desk.models import Ticket, TicketMessage
from desk.privacy import shown
from desk.ratings.schemas import rating_public
from support.pii import email_addresses

Email = constr(strict=True, strip_whitespace=True, min_length=3, max_length=254)


class ReplyCreate(ContractModel):
    """``POST /api/tickets/<n>/reply``: what the agent answers the customer."""

    text: constr(strict=True, strip_whitespace=True, min_length=1, max_length=MAX_REPLY)  # type: ignore[valid-type]


class AssignRequest(ContractModel):
    """``POST /api/tickets/<n>/assign``: the agent by id or email."""

    agent: Union[StrictInt, Email]  # type: ignore[valid-type]


class Replied(ContractModel):
    """The agent's stored reply, the delivery that carries it, and the ticket after it."""

    message: MessageOut
    delivery_id: int
    ticket: TicketOut


def _summary_fields(ticket: Ticket) -> dict:
    return dict(
        number=ticket.number,
        category=ticket.category,
        priority=ticket.priority,
        status=ticket.status,
        channel=ticket.channel,
        sender_id=shown(ticket.sender_id),
        customer_id=shown(ticket.customer_id),
        order_number=ticket.order_number,
        problem_time=ticket.problem_time,
        requested_resolution=ticket.requested_resolution,
        requested_change=ticket.requested_change,
        handoff_reason=ticket.handoff_reason,
        payment_details=ticket.payment_details,
        summary=ticket.summary,
        sla_due_at=ticket.sla_due_at,
        assigned_agent=agent_public(ticket.assigned_agent),
        resolved_at=ticket.resolved_at,
        closed_at=ticket.closed_at,
        created_at=ticket.created_at,
        updated_at=ticket.updated_at,
    )


def ticket_summary(ticket: Ticket) -> TicketSummaryOut:
    """The fields of a ticket shown in lists (its assigned agent must be loaded)."""
    return TicketSummaryOut(**_summary_fields(ticket))


def message_public(message: TicketMessage) -> MessageOut:
    """One transcript line (its agent must be loaded)."""
    return MessageOut(
        id=message.id,
        author=message.author,
        text=message.text,
        sent_at=message.sent_at,
        agent=agent_public(message.agent) if message.agent_id is not None else None,
    )


def ticket_detail(ticket: Ticket, email_updates: bool = False) -> TicketOut:
    """A ticket with its transcript, photos and rating (all must be loaded); ``email_updates``:
    the desk can e-mail customers. The address the customer left is shown masked."""
    return TicketOut(
        **_summary_fields(ticket),
        transcript=[message_public(m) for m in ticket.messages],
        attachments=[attachment_public(a) for a in ticket.attachments],
        rating=rating_public(ticket.rating),
        email_updates=email_updates,
        notify_email=masked_email(ticket.notify_email),
    )


def masked_email(address: Optional[str]) -> Optional[str]:
    """``k***@example.com`` for ``kim@example.com``."""
    found = email_addresses(address or "")
    return found[0][1] if found else None


def ticket_list(tickets: List[Ticket]) -> List[TicketSummaryOut]:
    """Summaries of ``tickets`` in their order."""
    return [ticket_summary(ticket) for ticket in tickets]
