"""The action server's access to the order system (one pooled repository), and who may see an order."""

from __future__ import annotations

from typing import Optional

from rasa_sdk import Tracker

from actions.identity import signed_customer
from orders.model import Order
from orders.repository import OrderRepository
from orders.sql import SqlOrderRepository, default_orders_url

_repository: Optional[SqlOrderRepository] = None


def order_repository() -> OrderRepository:
    """The process-wide repository, opened on first use (``ORDERS_DATABASE_URL``)."""
    global _repository
    if _repository is None:
        _repository = SqlOrderRepository(default_orders_url())
    return _repository


async def close_repository() -> None:
    """Dispose of the repository's connections, if it was opened."""
    global _repository
    if _repository is not None:
        await _repository.close()
        _repository = None


def may_see(tracker: Tracker, order: Order) -> bool:
    """Whether this conversation may be told about ``order`` now.

    Only when the latest message carries a signed-in customer who owns it, or after
    the phone digits of this very order were checked in this conversation.
    """
    if tracker.get_slot("order_verified") == "phone" and tracker.get_slot("order_number") == order.number:
        return True
    customer = signed_customer(tracker)
    return customer is not None and customer == order.customer_id
