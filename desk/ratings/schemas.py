"""Response shapes of ratings (the request is the contract's :class:`contract.requests.RatingCreate`)."""

from __future__ import annotations

from typing import Optional

from contract.responses import RatedOut, RatingOut
from desk.models import Rating, Ticket


def rating_public(rating: Optional[Rating]) -> Optional[RatingOut]:
    """What the API tells about a ticket's rating."""
    if rating is None:
        return None
    return RatingOut(rating=rating.rating, comment=rating.comment, created_at=rating.created_at)


def rated(rating: Rating, ticket: Optional[Ticket]) -> RatedOut:
    """The answer to ``POST /api/ratings``: the rating and the ticket it is about (None for the bot's answer)."""
    return RatedOut(
        ticket_number=ticket.number if ticket is not None else None,
        rating=rating.rating,
        comment=rating.comment,
        created_at=rating.created_at,
    )
