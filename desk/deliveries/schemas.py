"""Response shape of deliveries."""

from __future__ import annotations

from contract.responses import DeliveryOut, DeliveryStateOut
from desk.models import Delivery


def delivery_public(delivery: Delivery) -> DeliveryOut:
    """What the API tells the delivery worker (the ticket must be loaded)."""
    return DeliveryOut(
        id=delivery.id,
        ticket_number=delivery.ticket.number,
        sender_id=delivery.sender_id,
        channel=delivery.channel,
        kind=delivery.kind,
        text=delivery.text,
        created_at=delivery.created_at,
        delivered_at=delivery.delivered_at,
        attempts=delivery.attempts,
    )


def delivery_state(delivery: Delivery) -> DeliveryStateOut:
    """Where a reply stands, as agents see it."""
    if delivery.delivered_at is not None:
        state = "delivered"
    elif delivery.given_up_at is not None:
        state = "failed"
    else:
        state = "waiting"
    return DeliveryStateOut(
        id=delivery.id,
        kind=delivery.kind,
        text=delivery.text,
        state=state,
        attempts=delivery.attempts,
        created_at=delivery.created_at,
        delivered_at=delivery.delivered_at,
        given_up_at=delivery.given_up_at,
    )
