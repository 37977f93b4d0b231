"""Ratings on the database, independent of HTTP."""

from __future__ import annotations

from typing import Optional, Tuple

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from desk.errors import ApiError
from desk.models import Rating, Ticket, utcnow
from desk.privacy import masked
from contract.requests import RatingCreate


async def _rated_ticket(session: AsyncSession, data: RatingCreate) -> Ticket:
    ticket = await session.scalar(select(Ticket).where(Ticket.number == data.ticket_number))
    if ticket is None:
        raise ApiError(404, "ticket_not_found", "No ticket matches the rating.")
    if data.sender_id and ticket.sender_id != data.sender_id:
        raise ApiError(422, "invalid_rating", "The ticket does not belong to that sender.")
    return ticket


async def rate(session: AsyncSession, data: RatingCreate) -> Tuple[Rating, Optional[Ticket], bool]:
    """Store a rating: of a ticket (a later one replaces it), or of the bot's answer.

    With ``ticket_number`` the rating belongs to that ticket; with ``sender_id``
    alone it rates an answer the bot gave itself and is stored as its own record.
    The comment is masked before it is stored (agents read it with the ticket).

    Returns:
        ``(rating, ticket or None, created)``.

    Raises:
        ApiError: 404 for an unknown ticket, 422 when ticket and sender disagree.
    """
    if not data.ticket_number:
        rating = Rating(
            sender_id=data.sender_id, rating=data.rating, comment=masked(data.comment) or None, created_at=utcnow()
        )
        session.add(rating)
        await session.commit()
        return rating, None, True
    ticket = await _rated_ticket(session, data)
    rating = await session.scalar(select(Rating).where(Rating.ticket_id == ticket.id))
    created = rating is None
    if rating is None:
        rating = Rating(ticket_id=ticket.id, sender_id=ticket.sender_id)
        session.add(rating)
    rating.rating, rating.comment, rating.created_at = data.rating, masked(data.comment) or None, utcnow()
    await session.commit()
    return rating, ticket, created
