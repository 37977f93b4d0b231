"""HTTP route that tells Rasa whether a conversation is with a person right now."""

from __future__ import annotations

from sanic import Blueprint, Request
from sanic.response import HTTPResponse

from contract.responses import TicketOut
from desk.api_docs import Answer, documented
from desk.auth import require_service_token
from desk.errors import ApiError
from desk.http import answer
from desk.tickets.schemas import ticket_detail
from desk.tickets.service import find_open_ticket

bp = Blueprint("conversations", url_prefix="/api/conversations")


@bp.get("/<sender_id:str>/open-ticket")
@documented("The conversation's open ticket, if any", {200: Answer("An open ticket.", TicketOut)}, errors=(401, 404))
@require_service_token
async def open_ticket(request: Request, sender_id: str) -> HTTPResponse:
    """The sender's open ticket (new, assigned or waiting for the customer), or 404."""
    async with request.app.ctx.sessions() as session:
        ticket = await find_open_ticket(session, sender_id)
    if ticket is None:
        raise ApiError(404, "no_open_ticket", "This conversation has no open ticket.")
    return answer(ticket_detail(ticket))
