"""Orders and payments as plain, immutable values."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Optional, Tuple

# an order's status, as the app shows it
ACCEPTED, COOKING, ON_THE_WAY, DELIVERED, CANCELLED = "접수", "조리중", "배달중", "배달완료", "취소"
STATUSES = (ACCEPTED, COOKING, ON_THE_WAY, DELIVERED, CANCELLED)
# a payment's state
APPROVED, PAYMENT_CANCELLED, REFUNDED = "approved", "cancelled", "refunded"
PAYMENT_STATES = (APPROVED, PAYMENT_CANCELLED, REFUNDED)


@dataclass(frozen=True)
class OrderItem:
    """One line of an order."""

    name: str
    quantity: int
    price: int


@dataclass(frozen=True)
class Payment:
    """One payment record of an order (a double charge is two approvals)."""

    method: str
    amount: int
    approved_at: datetime
    state: str
    settled_at: Optional[datetime] = None


@dataclass(frozen=True)
class Order:
    """An order with everything the bot may need to check."""

    number: str
    customer_id: str
    customer_name: str
    customer_phone: str
    store_name: str
    store_phone: str
    status: str
    ordered_at: datetime
    estimated_arrival: Optional[datetime]
    delivered_at: Optional[datetime]
    address: str
    items: Tuple[OrderItem, ...] = field(default_factory=tuple)
    payments: Tuple[Payment, ...] = field(default_factory=tuple)

    @property
    def total(self) -> int:
        """The order's price: the sum of its items."""
        return sum(item.price * item.quantity for item in self.items)

    @property
    def approved_payments(self) -> Tuple[Payment, ...]:
        """Payments whose money is still taken."""
        return tuple(p for p in self.payments if p.state == APPROVED)

    def phone_last4(self) -> str:
        """The last four digits of the customer's phone number."""
        digits = "".join(ch for ch in self.customer_phone if ch.isdigit())
        return digits[-4:]
