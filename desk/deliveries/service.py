"""The reply outbox on the database, independent of HTTP."""

from __future__ import annotations

from typing import Any, Dict, List, Optional

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from desk.models import Delivery, Ticket, utcnow


def enqueue(session: AsyncSession, ticket: Ticket, text: str) -> Delivery:
    """Add (not commit) a delivery of ``text`` to the ticket's customer and channel."""
    delivery = Delivery(
        ticket_id=ticket.id,
        sender_id=ticket.sender_id,
        channel=ticket.channel,
        text=text,
        created_at=utcnow(),
        attempts=0,
    )
    session.add(delivery)
    return delivery


async def pending(session: AsyncSession, limit: int) -> List[Delivery]:
    """Undelivered rows, oldest first."""
    query = (
        select(Delivery)
        .where(Delivery.delivered_at.is_(None))
        .options(selectinload(Delivery.ticket))
        .order_by(Delivery.id)
        .limit(limit)
    )
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


async def mark_failed(session: AsyncSession, delivery_id: int) -> Optional[Delivery]:
    """Count a failed attempt of a row that is still pending."""
    await session.execute(
        update(Delivery)
        .where(Delivery.id == delivery_id, Delivery.delivered_at.is_(None))
        .values(attempts=Delivery.attempts + 1)
        .execution_options(synchronize_session=False)
    )
    await session.commit()
    return await _get(session, delivery_id)


def delivery_public(delivery: Delivery) -> Dict[str, Any]:
    """What the API tells the delivery worker (the ticket must be loaded)."""
    return {
        "id": delivery.id,
        "ticket_number": delivery.ticket.number,
        "sender_id": delivery.sender_id,
        "channel": delivery.channel,
        "text": delivery.text,
        "created_at": delivery.created_at.isoformat(),
        "delivered_at": delivery.delivered_at.isoformat() if delivery.delivered_at else None,
        "attempts": delivery.attempts,
    }
