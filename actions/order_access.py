"""Who may be told about an order: the proof of ownership a conversation holds."""

from __future__ import annotations

from typing import Optional

from rasa_sdk import Tracker

from actions.identity import signed_customer
from orders.model import Order


def proof_value(kind: str, number: str) -> str:
    """What the slot ``order_verified`` holds once ``number`` is proven: ``"phone:ORD-…"`` or ``"token:ORD-…"``."""
    return f"{kind}:{number}"


def proof_for(tracker: Tracker, number: Optional[str]) -> Optional[str]:
    """How ``number`` was proven in this conversation (``phone`` or ``token``), or None.

    The proof names its order: a proof of one order is no proof of another, whatever
    the slot ``order_number`` holds now (an order number in any message fills it).
    """
    value = tracker.get_slot("order_verified")
    if not number or not isinstance(value, str):
        return None
    kind, _, proven = value.partition(":")
    return kind if proven == number and kind in ("phone", "token") else None


def is_verified(tracker: Tracker) -> bool:
    """Whether the order the conversation is about now (slot ``order_number``) is proven."""
    return proof_for(tracker, tracker.get_slot("order_number")) is not None


def finding_of(tracker: Tracker) -> Optional[str]:
    """What the records of the current order showed, only while that very order is proven."""
    return tracker.get_slot("order_finding") if is_verified(tracker) else None


def may_see(tracker: Tracker, order: Order, identity_key: Optional[bytes]) -> bool:
    """Whether this conversation may be told about ``order`` now.

    Only when the latest message carries a signed-in customer who owns it, or after
    the phone digits of this very order were checked in this conversation.
    """
    if proof_for(tracker, order.number) == "phone":
        return True
    customer = signed_customer(tracker, identity_key)
    return customer is not None and customer == order.customer_id
