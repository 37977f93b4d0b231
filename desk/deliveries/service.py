"""The deliveries (agent replies and notices waiting to reach the customer) on the database, independent of HTTP."""

from __future__ import annotations

from datetime import datetime
from typing import List, Optional, Sequence

from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased, selectinload

from desk.deliveries.retry import RetryPolicy
from desk.models import Delivery, Ticket, utcnow


def enqueue(session: AsyncSession, ticket: Ticket, text: str, kind: str = "reply") -> Delivery:
    """Add (not commit) a delivery of ``text`` to the ticket's customer and channel.

    ``kind`` is ``reply`` (an agent's answer) or ``resolved`` (the ticket was
    resolved or handed back: the bot takes over and asks the survey).
    """
    delivery = Delivery(
        ticket_id=ticket.id,
        sender_id=ticket.sender_id,
        channel=ticket.channel,
        kind=kind,
        text=text,
        created_at=utcnow(),
        attempts=0,
    )
    session.add(delivery)
    return delivery


async def pending(
    session: AsyncSession,
    limit: int,
    sender_id: Optional[str] = None,
    channels: Optional[Sequence[str]] = None,
) -> List[Delivery]:
    """Undelivered rows, oldest first, optionally of one customer or some channels."""
    query = select(Delivery).where(Delivery.delivered_at.is_(None))
    if sender_id is not None:
        query = query.where(Delivery.sender_id == sender_id)
    if channels is not None:
        query = query.where(Delivery.channel.in_(list(channels)))
    query = (
        query
        .options(selectinload(Delivery.ticket))
        .order_by(Delivery.id)
        .limit(limit)
    )
    return list((await session.scalars(query)).all())


async def due(
    session: AsyncSession,
    limit: int,
    channels: Sequence[str],
    now: Optional[datetime] = None,
    sender_id: Optional[str] = None,
) -> List[Delivery]:
    """The next row of each customer on ``channels`` (or of ``sender_id``), when its try is due,
    oldest first.

    Only a customer's oldest row still in play is ever due, so her replies arrive in the order
    they were written even when one of them has to wait; given-up rows are out of play and never
    come back, so they hold nothing up.
    """
    now = now or utcnow()
    earlier = aliased(Delivery)
    waiting_before = (
        select(earlier.id)
        .where(
            earlier.sender_id == Delivery.sender_id,
            earlier.delivered_at.is_(None),
            earlier.given_up_at.is_(None),
            earlier.id < Delivery.id,
        )
        .exists()
    )
    query = select(Delivery).where(
        Delivery.delivered_at.is_(None),
        Delivery.given_up_at.is_(None),
        Delivery.channel.in_(list(channels)),
        or_(Delivery.next_attempt_at.is_(None), Delivery.next_attempt_at <= now),
        ~waiting_before,
    )
    if sender_id is not None:
        query = query.where(Delivery.sender_id == sender_id)
    query = query.options(selectinload(Delivery.ticket)).order_by(Delivery.id).limit(limit)
    return list((await session.scalars(query)).all())


async def _get(session: AsyncSession, delivery_id: int) -> Optional[Delivery]:
    return await session.scalar(
        select(Delivery)
        .where(Delivery.id == delivery_id)
        .options(selectinload(Delivery.ticket))
        .execution_options(populate_existing=True)
    )


async def mark_delivered(session: AsyncSession, delivery_id: int) -> Optional[Delivery]:
    """Record a successful delivery (once: a repeated call changes nothing)."""
    await session.execute(
        update(Delivery)
        .where(Delivery.id == delivery_id, Delivery.delivered_at.is_(None))
        .values(delivered_at=utcnow(), attempts=Delivery.attempts + 1)
        .execution_options(synchronize_session=False)
    )
    await session.commit()
    return await _get(session, delivery_id)


async def mark_failed(
    session: AsyncSession,
    delivery_id: int,
    policy: RetryPolicy = RetryPolicy(),
    now: Optional[datetime] = None,
    give_up: bool = False,
) -> Optional[Delivery]:
    """Count a failed attempt of a row that is still pending: its next try waits (``policy``),
    and a row older than the policy's age, or one the channel refused (``give_up``), is given up."""
    row = await _get(session, delivery_id)
    if row is None or row.delivered_at is not None:
        return row
    now = now or utcnow()
    values = policy.after_failure(row.attempts + 1, row.created_at, now, give_up)
    if row.given_up_at is not None:
        values.pop("given_up_at", None)  # given up once stays given up from then
    await session.execute(
        update(Delivery)
        .where(Delivery.id == delivery_id, Delivery.delivered_at.is_(None))
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    await session.commit()
    return await _get(session, delivery_id)


async def of_ticket(session: AsyncSession, number: str) -> Optional[List[Delivery]]:
    """The deliveries of the ticket numbered ``number``, oldest first; None when there is no such ticket."""
    ticket = await session.scalar(select(Ticket).where(Ticket.number == number))
    if ticket is None:
        return None
    query = select(Delivery).where(Delivery.ticket_id == ticket.id).order_by(Delivery.id)
    return list((await session.scalars(query)).all())


async def retry(
    session: AsyncSession, delivery_id: int, now: Optional[datetime] = None
) -> "tuple[Optional[Delivery], bool]":
    """Queue a given-up delivery again, as if it were new (its age counts from now).

    Returns the row (None when there is none) and whether it was queued again: a
    delivered row, or one still being tried, is left as it is.
    """
    now = now or utcnow()
    result = await session.execute(
        update(Delivery)
        .where(Delivery.id == delivery_id, Delivery.delivered_at.is_(None), Delivery.given_up_at.is_not(None))
        .values(given_up_at=None, next_attempt_at=None, created_at=now)
        .execution_options(synchronize_session=False)
    )
    await session.commit()
    return await _get(session, delivery_id), result.rowcount == 1
