"""The customer's signed identity from the in-app chat.

The chat sends the app's customer token with every message
(``metadata.customer_token``). The actions that need the customer (order
look-up, recent orders, the ticket) verify it (``CHAT_JWT_SECRET``) when they
run and keep the result in the ``customer_id`` slot. Orders of that customer
are then shown without asking for phone digits; an unsigned or forged token is
ignored. (Verifying it in Rasa's global slot validation instead would cost an
action-server round trip on every message.)
"""

from __future__ import annotations

import logging
import os
from typing import Any, Dict, Optional, Text

from rasa_sdk import Tracker

from support.customer_tokens import customer_of

logger = logging.getLogger(__name__)


def _latest_metadata(tracker: Tracker) -> Dict[str, Any]:
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            metadata = event.get("metadata")
            return metadata if isinstance(metadata, dict) else {}
    return {}


def signed_customer(tracker: Tracker) -> Optional[str]:
    """The customer this conversation is signed in as, if any.

    A valid chat token in the latest customer message wins (it is verified here,
    only when an action needs it, not on every message); otherwise the
    ``customer_id`` slot an earlier action set from such a token.
    """
    token = _latest_metadata(tracker).get("customer_token")
    if isinstance(token, str) and token:
        customer = customer_of(token, os.environ.get("CHAT_JWT_SECRET", ""))
        if customer is not None:
            return customer
        logger.warning("conversation %s: chat token rejected", tracker.sender_id)
    return tracker.get_slot("customer_id")


def remember_customer(tracker: Tracker, customer: Optional[str]) -> Dict[Text, Any]:
    """``{"customer_id": customer}`` when the slot must change to it, else nothing."""
    if customer and customer != tracker.get_slot("customer_id"):
        return {"customer_id": customer}
    return {}
