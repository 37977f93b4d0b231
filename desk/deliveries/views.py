"""HTTP routes of the deliveries, for the action server that hands replies out and the worker that pushes them."""

from __future__ import annotations

import logging

from sanic import Blueprint, Request
from sanic.response import HTTPResponse

from contract.responses import DeliveryList, DeliveryOut, DeliveryStateList, DeliveryStateOut
from desk.api_docs import Answer, Param, documented
from desk.auth import require_agent, require_service_token
from desk.deliveries import service
from desk.deliveries.schemas import delivery_public, delivery_state
from desk.errors import ApiError
from desk.http import answer, int_arg, is_row_id

logger = logging.getLogger(__name__)

bp = Blueprint("deliveries", url_prefix="/api/deliveries")


@bp.get("/pending")
@documented(
    "Agent replies not delivered yet, oldest first",
    {200: Answer("Pending rows.", DeliveryList)},
    params=(
        Param("limit", "1–500, default 100", schema={"type": "integer"}),
        Param("sender_id", "only this customer's deliveries", schema={"type": "string"}),
    ),
    errors=(400, 401),
)
@require_service_token
async def pending(request: Request) -> HTTPResponse:
    """Replies not delivered yet, oldest first (``limit`` 1–500, default 100; ``sender_id``)."""
    limit = int_arg(request, "limit", 100, 1, 500)
    sender_id = request.args.get("sender_id")
    if sender_id is not None and not 0 < len(sender_id) <= 200:
        raise ApiError(400, "invalid_filter", "sender_id must be 1 to 200 characters.")
    async with request.app.ctx.sessions() as session:
        rows = await service.pending(session, limit, sender_id=sender_id)
    return answer(DeliveryList(deliveries=[delivery_public(row) for row in rows]))


async def _mark(request: Request, delivery_id: int, delivered: bool) -> HTTPResponse:
    if not is_row_id(delivery_id):  # no such row; a larger number would overflow the database integer
        raise ApiError(404, "delivery_not_found", f"No delivery with id {delivery_id}.")
    async with request.app.ctx.sessions() as session:
        if delivered:
            row = await service.mark_delivered(session, delivery_id)
        else:
            row = await service.mark_failed(session, delivery_id, request.app.ctx.retry_policy)
    if row is None:
        raise ApiError(404, "delivery_not_found", f"No delivery with id {delivery_id}.")
    outcome = "delivered" if delivered else "failed"
    logger.info("delivery %s %s (attempts=%d)", delivery_id, outcome, row.attempts)
    return answer(delivery_public(row))


@bp.post("/<delivery_id:int>/delivered")
@documented("Mark a reply delivered (repeatable)", {200: Answer("The row.", DeliveryOut)}, errors=(401, 404))
@require_service_token
async def delivered(request: Request, delivery_id: int) -> HTTPResponse:
    """Record that the reply reached the customer (repeating it is harmless)."""
    return await _mark(request, delivery_id, delivered=True)


@bp.post("/<delivery_id:int>/failed")
@documented("Count a failed delivery attempt", {200: Answer("The row.", DeliveryOut)}, errors=(401, 404))
@require_service_token
async def failed(request: Request, delivery_id: int) -> HTTPResponse:
    """Count a failed attempt; the row stays pending."""
    return await _mark(request, delivery_id, delivered=False)


@bp.get("")
@documented(
    "A ticket's replies and where each stands (delivered, waiting, failed), for agents",
    {200: Answer("The ticket's deliveries, oldest first.", DeliveryStateList)},
    params=(Param("ticket", "the ticket number", required=True, schema={"type": "string"}),),
    errors=(400, 401, 404),
)
@require_agent
async def of_ticket(request: Request) -> HTTPResponse:
    """The deliveries of ``?ticket=<number>``."""
    number = request.args.get("ticket")
    if not number or len(number) > 40:
        raise ApiError(400, "invalid_filter", "ticket must name a ticket number.")
    async with request.app.ctx.sessions() as session:
        rows = await service.of_ticket(session, number)
    if rows is None:
        raise ApiError(404, "ticket_not_found", f"No ticket numbered {number!r}.")
    return answer(DeliveryStateList(deliveries=[delivery_state(row) for row in rows]))


@bp.post("/<delivery_id:int>/retry")
@documented(
    "Send a failed reply again (an agent's button)",
    {200: Answer("The row, waiting again.", DeliveryStateOut)},
    errors=(401, 404, 409),
)
@require_agent
async def retry(request: Request, delivery_id: int) -> HTTPResponse:
    """Queue a given-up reply again; 409 when it was delivered or is still being tried."""
    if not is_row_id(delivery_id):
        raise ApiError(404, "delivery_not_found", f"No delivery with id {delivery_id}.")
    async with request.app.ctx.sessions() as session:
        row, queued = await service.retry(session, delivery_id)
    if row is None:
        raise ApiError(404, "delivery_not_found", f"No delivery with id {delivery_id}.")
    if not queued:
        raise ApiError(409, "not_failed", "Only a reply that could not be delivered can be sent again.")
    logger.info("delivery %s queued again by agent %s", delivery_id, request.ctx.agent.id)
    return answer(delivery_state(row))
