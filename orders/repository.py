"""The one interface through which the bot reads orders."""

from __future__ import annotations

from typing import List, Optional, Protocol

from orders.model import Order


class OrderRepository(Protocol):
    """Read access to the platform's orders."""

    async def get(self, number: str) -> Optional[Order]:
        """The order with this canonical number, or None."""

    async def recent_for_customer(self, customer_id: str, limit: int = 3) -> List[Order]:
        """The customer's latest orders, newest first."""

    async def close(self) -> None:
        """Release the connections, when the action server stops."""
