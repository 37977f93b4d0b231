"""Ticket operations on the database, independent of HTTP."""

from __future__ import annotations

from typing import List, Optional, Tuple

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from desk.models import Ticket, TicketMessage, utcnow
from desk.tickets.numbering import next_ticket_number
from desk.tickets.schemas import PRIORITIES, TicketCreate
from desk.tickets.sla import sla_due


async def find_by_idempotency_key(session: AsyncSession, key: str) -> Optional[Ticket]:
    """The ticket an earlier call with ``key`` created, if any."""
    return await session.scalar(select(Ticket).where(Ticket.idempotency_key == key))


async def create_ticket(
    session: AsyncSession, data: TicketCreate, idempotency_key: str
) -> Tuple[Ticket, bool]:
    """Create a ticket, or return the one an earlier call with the same key made.

    Returns:
        ``(ticket, created)``; ``created`` is False for a replayed call.
    """
    existing = await find_by_idempotency_key(session, idempotency_key)
    if existing is not None:
        return existing, False
    now = utcnow()
    ticket = Ticket(
        number=await next_ticket_number(session, now),
        idempotency_key=idempotency_key,
        status="new",
        sla_due_at=sla_due(data.priority, now),
        created_at=now,
        updated_at=now,
        **data.dict(exclude={"transcript"}),
    )
    ticket.messages = [
        TicketMessage(author=line.author, text=line.text, sent_at=line.sent_at or now)
        for line in data.transcript
    ]
    session.add(ticket)
    try:
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
    """A ticket by its public number, with its thread loaded."""
    return await session.scalar(
        select(Ticket).where(Ticket.number == number).options(selectinload(Ticket.messages))
    )


async def list_tickets(
    session: AsyncSession,
    status: Optional[str] = None,
    category: Optional[str] = None,
    limit: int = 100,
) -> List[Ticket]:
    """Tickets filtered by status and category, most urgent and earliest due first."""
    query = select(Ticket)
    if status:
        query = query.where(Ticket.status == status)
    if category:
        query = query.where(Ticket.category == category)
    tickets = (await session.scalars(query.order_by(Ticket.sla_due_at).limit(limit))).all()
    rank = {name: index for index, name in enumerate(PRIORITIES)}
    return sorted(tickets, key=lambda t: (rank[t.priority], t.sla_due_at))
