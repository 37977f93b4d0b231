"""HTTP routes of the ticket resource: create, list, read, the life cycle and the thread."""

from __future__ import annotations

import logging
from functools import partial
from typing import Awaitable, Callable, List, Optional, Sequence

from sanic import Blueprint, Request
from sanic.response import HTTPResponse
from sqlalchemy.ext.asyncio import AsyncSession

from contract.requests import ContactEmail, MessageCreate, TicketCreate
from contract.responses import EmailSaved, MessageAdded, TicketList, TicketOut
from contract.vocabulary import CATEGORIES, PRIORITIES, STATUSES
from desk.agents import service as agents
from desk.api_docs import IDEMPOTENCY_KEY, Answer, Param, documented
from desk.auth import require_agent, require_agent_or_service, require_service_token
from desk.errors import ApiError
from desk.http import answer, idempotency_key, int_arg, is_row_id, parse_body
from desk.models import Agent, Ticket
from desk.tickets import operations, service
from desk.tickets.schemas import (
    AssignRequest,
    Replied,
    ReplyCreate,
    masked_email,
    message_public,
    ticket_detail,
    ticket_list,
    ticket_summary,
)

logger = logging.getLogger(__name__)

bp = Blueprint("tickets", url_prefix="/api/tickets", strict_slashes=False)

MAX_SEARCH = 200
MAX_SENDER_FILTER = 300


def ticket_action(summary: str, body: Optional[type] = None) -> Callable:
    """:func:`documented` for an agent's action on one ticket: the ticket after the change."""
    errors = (401, 404, 409) if body is None else (400, 401, 404, 409, 422)
    return documented(summary, {200: Answer("The ticket after the change.", TicketOut)}, body=body, errors=errors)


def _email_on(request: Request) -> bool:
    """Whether the desk can e-mail customers (an SMTP server is configured)."""
    return request.app.ctx.settings.mail is not None


def _kakao_on(request: Request) -> bool:
    """Whether the desk can send KakaoTalk events (the event API is configured)."""
    return request.app.ctx.settings.kakao_events is not None


async def _load(session: AsyncSession, number: str) -> Ticket:
    ticket = await service.get_ticket(session, number)
    if ticket is None:
        raise ApiError(404, "ticket_not_found", f"No ticket numbered {number!r}.")
    return ticket


@bp.post("")
@documented(
    "Open a ticket (201 new, 200 replay of the same Idempotency-Key)",
    {201: Answer("Created.", TicketOut), 200: Answer("Replayed.", TicketOut)},
    body=TicketCreate,
    params=(IDEMPOTENCY_KEY,),
    errors=(400, 401, 422),
)
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
    return answer(ticket_detail(ticket, _email_on(request)), status=201 if created else 200)


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
    if sender_id is not None and not 0 < len(sender_id) <= MAX_SENDER_FILTER:
        raise ApiError(400, "invalid_filter", f"sender_id must have 1 to {MAX_SENDER_FILTER} characters")
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
@documented(
    "Tickets by priority, then SLA due",
    {200: Answer("The tickets.", TicketList)},
    params=(
        Param("status", "comma list of " + ", ".join(STATUSES)),
        Param("category", "comma list of " + ", ".join(CATEGORIES)),
        Param("priority", "comma list of " + ", ".join(PRIORITIES)),
        Param("channel", "comma list of channels"),
        Param("text", "search in summary, order number, ticket number and transcript",
              schema={"type": "string", "maxLength": MAX_SEARCH}),
        Param("sender_id", "the tickets of one conversation (exact conversation id)",
              schema={"type": "string", "maxLength": MAX_SENDER_FILTER}),
        Param("assigned", "me or none", schema={"type": "string", "enum": ["me", "none"]}),
        Param("limit", "1–500, default 100", schema={"type": "integer", "minimum": 1, "maximum": 500}),
    ),
    errors=(400, 401),
)
@require_agent_or_service
async def list_tickets(request: Request) -> HTTPResponse:
    """Tickets by priority then SLA due; filters: status, category, priority, channel, text, sender_id, assigned."""
    where = _ticket_filter(request)
    async with request.app.ctx.sessions() as session:
        tickets = await service.list_tickets(session, where)
    return answer(TicketList(tickets=ticket_list(tickets)))


@bp.get("/<number:str>")
@documented("One ticket with transcript, photos and rating", {200: Answer("The ticket.", TicketOut)}, errors=(401, 404))
@require_agent_or_service
async def get_ticket(request: Request, number: str) -> HTTPResponse:
    """One ticket with its transcript, photos and rating."""
    async with request.app.ctx.sessions() as session:
        ticket = await _load(session, number)
    return answer(ticket_detail(ticket, _email_on(request)))


Action = Callable[[AsyncSession, Ticket, Agent], Awaitable[None]]


async def _act(request: Request, number: str, action: Action, name: str) -> HTTPResponse:
    async with request.app.ctx.sessions() as session:
        ticket = await _load(session, number)
        await action(session, ticket, request.ctx.agent)
        ticket = await _load(session, number)
    logger.info("ticket %s %s by agent %s -> %s", number, name, request.ctx.agent.id, ticket.status)
    return answer(ticket_detail(ticket))


@bp.post("/<number:str>/claim")
@ticket_action("The signed-in agent takes the ticket")
@require_agent
async def claim(request: Request, number: str) -> HTTPResponse:
    """The signed-in agent takes the ticket."""
    return await _act(request, number, operations.claim, "claimed")


@bp.post("/<number:str>/assign")
@ticket_action("Assign the ticket to an agent (id or email)", AssignRequest)
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


@bp.post("/<number:str>/email")
@documented(
    "The customer's e-mail address for a copy of the conversation and the agents' replies (the action server)",
    {200: Answer("Saved; the copy is queued.", EmailSaved)},
    body=ContactEmail,
    errors=(400, 401, 404, 409, 422, 503),
)
@require_service_token
async def leave_email(request: Request, number: str) -> HTTPResponse:
    """Keep the address on the open ticket and queue the copy of the conversation (a written record)."""
    data = parse_body(request, ContactEmail, "invalid_email", "e-mail address")
    if not _email_on(request):
        raise ApiError(503, "email_off", "This desk sends no e-mail (DESK_SMTP_HOST is not set).")
    async with request.app.ctx.sessions() as session:
        ticket = await _load(session, number)
        queued = await operations.leave_email(session, ticket, data.email)
    logger.info("ticket %s: the customer left an e-mail address (copy queued: %s)", number, queued)
    return answer(EmailSaved(ticket_number=number, email=masked_email(data.email) or "", copy_queued=queued))


@bp.post("/<number:str>/reply")
@documented(
    "The agent answers; queued as a delivery; status waiting_customer",
    {201: Answer("Replied.", Replied)},
    body=ReplyCreate,
    errors=(400, 401, 404, 409, 422),
)
@require_agent
async def reply(request: Request, number: str) -> HTTPResponse:
    """The agent answers the customer; the answer is queued as a delivery."""
    data = parse_body(request, ReplyCreate, "invalid_reply", "reply")
    async with request.app.ctx.sessions() as session:
        ticket = await _load(session, number)
        message, delivery = await operations.reply(
            session, ticket, request.ctx.agent, data.text, kakao_events=_kakao_on(request)
        )
        ticket = await _load(session, number)
    logger.info("ticket %s replied by agent %s (delivery %s)", number, request.ctx.agent.id, delivery.id)
    line = next(m for m in ticket.messages if m.id == message.id)
    return answer(Replied(message=message_public(line), delivery_id=delivery.id, ticket=ticket_detail(ticket)), 201)


@bp.post("/<number:str>/resolve")
@ticket_action("Mark the ticket resolved")
@require_agent
async def resolve(request: Request, number: str) -> HTTPResponse:
    """Mark the ticket resolved."""
    return await _act(request, number, partial(operations.resolve, kakao_events=_kakao_on(request)), "resolved")


@bp.post("/<number:str>/handback")
@ticket_action("Hand the conversation back to the bot (resolved)")
@require_agent
async def handback(request: Request, number: str) -> HTTPResponse:
    """Hand the conversation back to the bot (the ticket becomes resolved)."""
    return await _act(request, number, partial(operations.handback, kakao_events=_kakao_on(request)), "handed back")


@bp.post("/<number:str>/close")
@ticket_action("Close a resolved ticket")
@require_agent
async def close(request: Request, number: str) -> HTTPResponse:
    """Close a resolved ticket."""
    return await _act(request, number, operations.close, "closed")


@bp.post("/<number:str>/messages")
@documented(
    "Append a customer/bot/system line to an open ticket (idempotent)",
    {201: Answer("Added.", MessageAdded), 200: Answer("Replayed.", MessageAdded)},
    body=MessageCreate,
    params=(IDEMPOTENCY_KEY,),
    errors=(400, 401, 404, 409, 422),
)
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
    body = MessageAdded(message=message_public(line), ticket=ticket_summary(ticket))
    return answer(body, status=201 if created else 200)
