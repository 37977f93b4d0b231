"""Response shape of deliveries."""

from __future__ import annotations

from contract.responses import DeliveryOut
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
