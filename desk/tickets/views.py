"""HTTP routes of the ticket resource: create, list, read, the life cycle and the thread."""

from __future__ import annotations

import logging
from typing import Awaitable, Callable, List, Sequence

from sanic import Blueprint, Request
from sanic.response import HTTPResponse, json
from sqlalchemy.ext.asyncio import AsyncSession

from desk.agents import service as agents
from desk.auth import require_agent, require_agent_or_service, require_service_token
from desk.errors import ApiError
from desk.http import idempotency_key, int_arg, is_row_id, parse_body
from desk.models import Agent, Ticket
from desk.tickets import operations, service
from desk.tickets.schemas import (
    CATEGORIES,
    PRIORITIES,
    STATUSES,
    AssignRequest,
    MessageCreate,
    ReplyCreate,
    TicketCreate,
    message_public,
    ticket_detail,
    ticket_summary,
)

logger = logging.getLogger(__name__)

bp = Blueprint("tickets", url_prefix="/api/tickets", strict_slashes=False)

MAX_SEARCH = 200


async def _load(session: AsyncSession, number: str) -> Ticket:
    ticket = await service.get_ticket(session, number)
    if ticket is None:
        raise ApiError(404, "ticket_not_found", f"No ticket numbered {number!r}.")
    return ticket


@bp.post("")
@require_service_token
async def create_ticket(request: Request) -> HTTPResponse:
    """Open a ticket; a repeated call with the same Idempotency-Key returns the first one."""
    key = idempotency_key(request)
    data = parse_body(request, TicketCreate, "invalid_ticket", "ticket")
    async with request.app.ctx.sessions() as session:
        ticket, created = await service.create_ticket(session, data, key)
        ticket = await _load(session, ticket.number)
    logger.info(
        "ticket %s %s (category=%s priority=%s channel=%s attachments=%d)",
        ticket.number,
        "created" if created else "replayed",
        ticket.category,
        ticket.priority,
        ticket.channel,
        len(ticket.attachments),
    )
    return json(ticket_detail(ticket), status=201 if created else 200)


def _choices(request: Request, name: str, allowed: Sequence[str]) -> List[str]:
    """A filter of comma-separated values, each one of ``allowed``."""
    text = request.args.get(name)
    if text is None:
        return []
    values = [value.strip() for value in text.split(",") if value.strip()]
    unknown = [value for value in values if value not in allowed]
    if unknown or not values:
        raise ApiError(400, "invalid_filter", f"{name} must be one or more of {', '.join(allowed)}")
    return values


def _ticket_filter(request: Request) -> service.TicketFilter:
    text = (request.args.get("text") or "").strip()
    if len(text) > MAX_SEARCH:
        raise ApiError(400, "invalid_filter", f"text may have at most {MAX_SEARCH} characters")
    channels = [c.strip() for c in (request.args.get("channel") or "").split(",") if c.strip()]
    sender_id = request.args.get("sender_id")
    if sender_id is not None and not 0 < len(sender_id) <= 300:
        raise ApiError(400, "invalid_filter", "sender_id must have 1 to 300 characters")
    assigned = request.args.get("assigned")
    if assigned not in (None, "me", "none"):
        raise ApiError(400, "invalid_filter", "assigned must be me or none")
    if assigned == "me" and request.ctx.agent is None:
        raise ApiError(400, "invalid_filter", "assigned=me needs an agent session")
    return service.TicketFilter(
        statuses=_choices(request, "status", STATUSES),
        categories=_choices(request, "category", CATEGORIES),
        priorities=_choices(request, "priority", PRIORITIES),
        channels=channels,
        text=text or None,
        sender_id=sender_id,
        assigned_agent_id=request.ctx.agent.id if assigned == "me" else None,
        unassigned=assigned == "none",
        limit=int_arg(request, "limit", 100, 1, 500),
    )


@bp.get("")
@require_agent_or_service
async def list_tickets(request: Request) -> HTTPResponse:
    """Tickets by priority then SLA due; filters: status, category, priority, channel, text, sender_id, assigned."""
    where = _ticket_filter(request)
    async with request.app.ctx.sessions() as session:
        tickets = await service.list_tickets(session, where)
    return json({"tickets": [ticket_summary(t) for t in tickets]})


@bp.get("/<number:str>")
@require_agent_or_service
async def get_ticket(request: Request, number: str) -> HTTPResponse:
    """One ticket with its transcript, photos and rating."""
    async with request.app.ctx.sessions() as session:
        ticket = await _load(session, number)
    return json(ticket_detail(ticket))


Action = Callable[[AsyncSession, Ticket, Agent], Awaitable[None]]


async def _act(request: Request, number: str, action: Action, name: str) -> HTTPResponse:
    async with request.app.ctx.sessions() as session:
        ticket = await _load(session, number)
        await action(session, ticket, request.ctx.agent)
        ticket = await _load(session, number)
    logger.info("ticket %s %s by agent %s -> %s", number, name, request.ctx.agent.id, ticket.status)
    return json(ticket_detail(ticket))


@bp.post("/<number:str>/claim")
@require_agent
async def claim(request: Request, number: str) -> HTTPResponse:
    """The signed-in agent takes the ticket."""
    return await _act(request, number, operations.claim, "claimed")


@bp.post("/<number:str>/assign")
@require_agent
async def assign(request: Request, number: str) -> HTTPResponse:
    """Give the ticket to the agent named by id or email."""
    data = parse_body(request, AssignRequest, "invalid_assignment", "assignment")
    async with request.app.ctx.sessions() as session:
        if isinstance(data.agent, int):  # an id no row can have is no agent (and would overflow PostgreSQL)
            agent = await agents.get_agent(session, data.agent) if is_row_id(data.agent) else None
        else:
            agent = await agents.find_by_email(session, data.agent)
    if agent is None or not agent.is_active:
        raise ApiError(422, "unknown_agent", "No active agent with that id or email.")

    async def give(session: AsyncSession, ticket: Ticket, _by: Agent) -> None:
        await operations.assign(session, ticket, agent)

    return await _act(request, number, give, f"assigned to agent {agent.id}")


@bp.post("/<number:str>/reply")
@require_agent
async def reply(request: Request, number: str) -> HTTPResponse:
    """The agent answers the customer; the answer is queued as a delivery."""
    data = parse_body(request, ReplyCreate, "invalid_reply", "reply")
    async with request.app.ctx.sessions() as session:
        ticket = await _load(session, number)
        message, delivery = await operations.reply(session, ticket, request.ctx.agent, data.text)
        ticket = await _load(session, number)
    logger.info("ticket %s replied by agent %s (delivery %s)", number, request.ctx.agent.id, delivery.id)
    line = next(m for m in ticket.messages if m.id == message.id)
    return json(
        {"message": message_public(line), "delivery_id": delivery.id, "ticket": ticket_detail(ticket)},
        status=201,
    )


@bp.post("/<number:str>/resolve")
@require_agent
async def resolve(request: Request, number: str) -> HTTPResponse:
    """Mark the ticket resolved."""
    return await _act(request, number, operations.resolve, "resolved")


@bp.post("/<number:str>/handback")
@require_agent
async def handback(request: Request, number: str) -> HTTPResponse:
    """Hand the conversation back to the bot (the ticket becomes resolved)."""
    return await _act(request, number, operations.handback, "handed back")


@bp.post("/<number:str>/close")
@require_agent
async def close(request: Request, number: str) -> HTTPResponse:
    """Close a resolved ticket."""
    return await _act(request, number, operations.close, "closed")


@bp.post("/<number:str>/messages")
@require_service_token
async def add_message(request: Request, number: str) -> HTTPResponse:
    """Append what the customer, the bot or the system said while the ticket is open."""
    key = idempotency_key(request)
    data = parse_body(request, MessageCreate, "invalid_message", "message")
    async with request.app.ctx.sessions() as session:
        ticket = await _load(session, number)
        message, created = await operations.add_message(session, ticket, data, key)
        ticket = await _load(session, number)
    outcome = "added" if created else "replayed"
    logger.info("ticket %s message %s %s (author=%s)", number, message.id, outcome, message.author)
    line = next(m for m in ticket.messages if m.id == message.id)
    body = {"message": message_public(line), "ticket": ticket_summary(ticket)}
    return json(body, status=201 if created else 200)
