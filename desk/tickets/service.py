"""Ticket creation, reading and search on the database, independent of HTTP."""

from __future__ import annotations

from dataclasses import dataclass
from typing import List, Optional, Sequence, Tuple

from sqlalchemy import case, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from contract.requests import TicketCreate
from contract.vocabulary import PRIORITIES
from desk.attachments.service import link_to_ticket
from desk.models import Ticket, TicketMessage, utcnow
from desk.privacy import masked_ticket
from desk.deliveries.service import enqueue
from desk.tickets.numbering import next_ticket_number
from desk.tickets.sla import sla_due
from desk.tickets.workflow import OPEN_STATUSES
from support import customer_texts as say

_DETAIL = (
    selectinload(Ticket.messages).selectinload(TicketMessage.agent),
    selectinload(Ticket.attachments),
    selectinload(Ticket.rating),
    selectinload(Ticket.assigned_agent),
)

PRIORITY_RANK = case(
    *[(Ticket.priority == name, rank) for rank, name in enumerate(PRIORITIES)],
    else_=len(PRIORITIES),
)


@dataclass(frozen=True)
class TicketFilter:
    """What ``GET /api/tickets`` may filter by; empty sequences mean any."""

    statuses: Sequence[str] = ()
    categories: Sequence[str] = ()
    priorities: Sequence[str] = ()
    channels: Sequence[str] = ()
    text: Optional[str] = None
    sender_id: Optional[str] = None
    assigned_agent_id: Optional[int] = None
    unassigned: bool = False
    limit: int = 100




async def find_by_idempotency_key(session: AsyncSession, key: str) -> Optional[Ticket]:
    """The ticket an earlier call with ``key`` created, if any."""
    return await session.scalar(select(Ticket).where(Ticket.idempotency_key == key))


async def create_ticket(
    session: AsyncSession, data: TicketCreate, idempotency_key: str
) -> Tuple[Ticket, bool]:
    """Create a ticket, or return the one an earlier call with the same key made.

    Free text is masked before it is stored (:func:`desk.privacy.masked_ticket`).

    Returns:
        ``(ticket, created)``; ``created`` is False for a replayed call.

    Raises:
        ApiError: 422 when a listed attachment is unknown or belongs to another ticket.
    """
    existing = await find_by_idempotency_key(session, idempotency_key)
    if existing is not None:
        return existing, False
    data = masked_ticket(data)  # agents never see full personal data (desk/privacy.py)
    now = utcnow()
    ticket = Ticket(
        number=await next_ticket_number(session, now),
        idempotency_key=idempotency_key,
        status="new",
        sla_due_at=sla_due(data.priority, now),
        created_at=now,
        updated_at=now,
        **data.dict(exclude={"transcript", "attachments", "notify_customer"}),
    )
    ticket.messages = [
        TicketMessage(author=line.author, text=line.text, sent_at=line.sent_at or now)
        for line in data.transcript
    ]
    try:
        await link_to_ticket(session, ticket, data.attachments)
    except Exception:
        await session.rollback()
        raise
    session.add(ticket)
    try:
        if data.notify_customer:
            await session.flush()
            enqueue(session, ticket, say.TICKET_QUEUED.format(number=ticket.number))
        await session.commit()
    except IntegrityError:
        # A concurrent retry with the same key won the race: answer with its ticket.
        await session.rollback()
        existing = await find_by_idempotency_key(session, idempotency_key)
        if existing is None:
            raise
        return existing, False
    return ticket, True


async def get_ticket(session: AsyncSession, number: str) -> Optional[Ticket]:
    """A ticket by its public number, with its thread, photos, rating and agent loaded."""
    return await session.scalar(
        select(Ticket)
        .where(Ticket.number == number)
        .options(*_DETAIL)
        .execution_options(populate_existing=True)
    )


LIKE_ESCAPE = "!"


def _like_pattern(text: str) -> str:
    """``text`` as a LIKE pattern that matches it anywhere, wildcards taken literally."""
    escaped = text.replace("!", "!!").replace("%", "!%").replace("_", "!_")
    return f"%{escaped}%"


async def list_tickets(session: AsyncSession, where: TicketFilter = TicketFilter()) -> List[Ticket]:
    """Tickets matching ``where``, most urgent priority first, then earliest SLA due."""
    query = select(Ticket).options(selectinload(Ticket.assigned_agent))
    for column, values in (
        (Ticket.status, where.statuses),
        (Ticket.category, where.categories),
        (Ticket.priority, where.priorities),
        (Ticket.channel, where.channels),
    ):
        if values:
            query = query.where(column.in_(list(values)))
    if where.text:
        pattern = _like_pattern(where.text)
        in_transcript = select(TicketMessage.ticket_id).where(
            TicketMessage.text.ilike(pattern, escape=LIKE_ESCAPE)
        )
        query = query.where(
            or_(
                Ticket.summary.ilike(pattern, escape=LIKE_ESCAPE),
                Ticket.order_number.ilike(pattern, escape=LIKE_ESCAPE),
                Ticket.number.ilike(pattern, escape=LIKE_ESCAPE),
                Ticket.id.in_(in_transcript),
            )
        )
    if where.sender_id is not None:
        query = query.where(Ticket.sender_id == where.sender_id)
    if where.assigned_agent_id is not None:
        query = query.where(Ticket.assigned_agent_id == where.assigned_agent_id)
    if where.unassigned:
        query = query.where(Ticket.assigned_agent_id.is_(None))
    query = query.order_by(PRIORITY_RANK, Ticket.sla_due_at, Ticket.id).limit(where.limit)
    return list((await session.scalars(query)).all())


async def find_open_ticket(session: AsyncSession, sender_id: str) -> Optional[Ticket]:
    """The newest ticket of ``sender_id`` that is still open, fully loaded, if any."""
    number = await session.scalar(
        select(Ticket.number)
        .where(Ticket.sender_id == sender_id, Ticket.status.in_(OPEN_STATUSES))
        .order_by(Ticket.created_at.desc(), Ticket.id.desc())
        .limit(1)
    )
    return None if number is None else await get_ticket(session, number)
