"""The action server's access to the order system (one pooled repository)."""

from __future__ import annotations

from typing import Optional

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
