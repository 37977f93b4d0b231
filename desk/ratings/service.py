"""Ratings on the database, independent of HTTP."""

from __future__ import annotations

from typing import Optional, Tuple

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from desk.errors import ApiError
from desk.models import Rating, Ticket, utcnow
from desk.ratings.schemas import RatingCreate


async def _rated_ticket(session: AsyncSession, data: RatingCreate) -> Optional[Ticket]:
    if data.ticket_number:
        ticket = await session.scalar(select(Ticket).where(Ticket.number == data.ticket_number))
        if ticket is not None and data.sender_id and ticket.sender_id != data.sender_id:
            raise ApiError(422, "invalid_rating", "The ticket does not belong to that sender.")
        return ticket
    return await session.scalar(
        select(Ticket)
        .where(Ticket.sender_id == data.sender_id)
        .order_by(Ticket.created_at.desc(), Ticket.id.desc())
        .limit(1)
    )


async def rate(session: AsyncSession, data: RatingCreate) -> Tuple[Rating, Ticket, bool]:
    """Store the rating of a ticket; a later rating of the same ticket replaces it.

    Returns:
        ``(rating, ticket, created)``.

    Raises:
        ApiError: 404 when no ticket matches.
    """
    ticket = await _rated_ticket(session, data)
    if ticket is None:
        raise ApiError(404, "ticket_not_found", "No ticket matches the rating.")
    rating = await session.scalar(select(Rating).where(Rating.ticket_id == ticket.id))
    created = rating is None
    if rating is None:
        rating = Rating(ticket_id=ticket.id)
        session.add(rating)
    rating.rating, rating.comment, rating.created_at = data.rating, data.comment or None, utcnow()
    await session.commit()
    return rating, ticket, created
