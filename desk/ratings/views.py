"""HTTP route of ratings."""

from __future__ import annotations

import logging

from sanic import Blueprint, Request
from sanic.response import HTTPResponse

from contract.requests import RatingCreate
from contract.responses import RatedOut
from desk.api_docs import Answer, documented
from desk.auth import require_service_token
from desk.http import answer, parse_body
from desk.ratings import service
from desk.ratings.schemas import rated

logger = logging.getLogger(__name__)

bp = Blueprint("ratings", url_prefix="/api/ratings", strict_slashes=False)


@bp.post("")
@documented(
    "Rate a ticket 1–5 (by number), or the bot's own answer (sender_id alone)",
    {201: Answer("Stored.", RatedOut), 200: Answer("Replaced.", RatedOut)},
    body=RatingCreate,
    errors=(400, 401, 404, 422),
)
@require_service_token
async def create_rating(request: Request) -> HTTPResponse:
    """Record a customer's 1–5 rating (201; 200 when it replaces an earlier one)."""
    data = parse_body(request, RatingCreate, "invalid_rating", "rating")
    async with request.app.ctx.sessions() as session:
        rating, ticket, created = await service.rate(session, data)
    subject = ticket.number if ticket is not None else "bot answer"
    logger.info("%s rated %d (%s)", subject, rating.rating, "new" if created else "replaced")
    return answer(rated(rating, ticket), status=201 if created else 200)
