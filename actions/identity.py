"""The customer's signed identity from the in-app chat.

The chat sends the app's customer token with every message
(``metadata.customer_token``); this global slot validation action verifies it
(``CHAT_JWT_SECRET``) and sets ``customer_id``. Orders of that customer are then
shown without asking for phone digits; an unsigned or forged token is ignored.
"""

from __future__ import annotations

import logging
import os
from typing import Any, Dict, Text

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import ValidationAction
from rasa_sdk.types import DomainDict

from support.customer_tokens import customer_of

logger = logging.getLogger(__name__)


def _latest_metadata(tracker: Tracker) -> Dict[str, Any]:
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            metadata = event.get("metadata")
            return metadata if isinstance(metadata, dict) else {}
    return {}


class ValidateSlotMappings(ValidationAction):
    """Fills custom-mapped slots on every customer message (Rasa's global validation)."""

    async def extract_customer_id(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        """The customer of a valid chat token in the message metadata."""
        token = _latest_metadata(tracker).get("customer_token")
        if not isinstance(token, str) or not token:
            return {}
        customer = customer_of(token, os.environ.get("CHAT_JWT_SECRET", ""))
        if customer is None:
            logger.warning("conversation %s: chat token rejected", tracker.sender_id)
            return {}
        if customer == tracker.get_slot("customer_id"):
            return {}
        return {"customer_id": customer}
