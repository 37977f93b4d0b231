"""HTTP routes of the ticket resource."""

from __future__ import annotations

import logging

from pydantic import ValidationError
from sanic import Blueprint, Request
from sanic.response import HTTPResponse, json

from desk.auth import require_service_token
from desk.errors import ApiError
from desk.tickets import service
from desk.tickets.schemas import CATEGORIES, STATUSES, TicketCreate, ticket_detail, ticket_summary

logger = logging.getLogger(__name__)

bp = Blueprint("tickets", url_prefix="/api/tickets", strict_slashes=False)

MAX_IDEMPOTENCY_KEY = 200


def _json_object(request: Request) -> dict:
    try:
        body = request.json
    except Exception as exc:  # Sanic raises InvalidUsage on malformed JSON
        raise ApiError(400, "malformed_json", "The request body is not valid JSON.") from exc
    if not isinstance(body, dict):
        raise ApiError(400, "malformed_json", "The request body must be a JSON object.")
    return body


def _idempotency_key(request: Request) -> str:
    key = request.headers.get("idempotency-key", "").strip()
    if not key:
        raise ApiError(400, "missing_idempotency_key", "The Idempotency-Key header is required.")
    if len(key) > MAX_IDEMPOTENCY_KEY:
        raise ApiError(400, "invalid_idempotency_key", "The Idempotency-Key header is too long.")
    return key


@bp.post("")
@require_service_token
async def create_ticket(request: Request) -> HTTPResponse:
    """Open a ticket; a repeated call with the same Idempotency-Key returns the first one."""
    key = _idempotency_key(request)
    try:
        data = TicketCreate.parse_obj(_json_object(request))
    except ValidationError as exc:
        raise ApiError(422, "invalid_ticket", "The ticket is invalid.", exc.errors()) from exc
    async with request.app.ctx.sessions() as session:
        ticket, created = await service.create_ticket(session, data, key)
        ticket = await service.get_ticket(session, ticket.number)
    logger.info(
        "ticket %s %s (category=%s priority=%s channel=%s)",
        ticket.number,
        "created" if created else "replayed",
        ticket.category,
        ticket.priority,
        ticket.channel,
    )
    return json(ticket_detail(ticket), status=201 if created else 200)


@bp.get("")
@require_service_token
async def list_tickets(request: Request) -> HTTPResponse:
    """Tickets ordered by priority and SLA, filtered by ``status`` and ``category``."""
    status = request.args.get("status")
    category = request.args.get("category")
    if status is not None and status not in STATUSES:
        raise ApiError(400, "invalid_filter", f"status must be one of {', '.join(STATUSES)}")
    if category is not None and category not in CATEGORIES:
        raise ApiError(400, "invalid_filter", f"category must be one of {', '.join(CATEGORIES)}")
    async with request.app.ctx.sessions() as session:
        tickets = await service.list_tickets(session, status=status, category=category)
    return json({"tickets": [ticket_summary(t) for t in tickets]})


@bp.get("/<number:str>")
@require_service_token
async def get_ticket(request: Request, number: str) -> HTTPResponse:
    """One ticket with its transcript."""
    async with request.app.ctx.sessions() as session:
        ticket = await service.get_ticket(session, number)
    if ticket is None:
        raise ApiError(404, "ticket_not_found", f"No ticket numbered {number!r}.")
    return json(ticket_detail(ticket))
