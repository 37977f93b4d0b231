"""Validation of the order form: the customer's order number."""

from __future__ import annotations

import logging
import re
from typing import Any, Dict, List, Text

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

from support.order_numbers import is_canonical, normalize_order_number

logger = logging.getLogger(__name__)

# Intents with which a customer answers the order-number question.
ANSWER_INTENTS = {"inform", "delay", "quality", "payment"}
_HAS_DIGIT = re.compile(r"\d")


class ValidateOrderForm(FormValidationAction):
    """Extracts and validates ``order_number`` for ``order_form``."""

    def name(self) -> Text:
        """The action's name in the domain."""
        return "validate_order_form"

    async def extract_order_number(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        """Read an order number from the text when the entity mapping found none.

        An answer with digits but no valid number gets a message naming the
        expected format; an answering intent without digits is simply asked
        again; any other message is left to the dialogue rules (the form is
        rejected).
        """
        if tracker.get_slot("requested_slot") != "order_number":
            return {}
        message = tracker.latest_message or {}
        if any(e.get("entity") == "order_number" for e in message.get("entities", [])):
            return {}
        text = message.get("text") or ""
        found = normalize_order_number(text)
        if found:
            return {"order_number": found}
        if _HAS_DIGIT.search(text):
            dispatcher.utter_message(response="utter_order_number_invalid")
            return {"order_number": None}
        intent = (message.get("intent") or {}).get("name")
        if intent in ANSWER_INTENTS:
            return {"order_number": None}
        return {}

    async def validate_order_number(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> Dict[Text, Any]:
        """Keep only canonical order numbers (``ORD-YYMMDD-NNNN``)."""
        if slot_value is None:
            return {"order_number": None}
        values: List[Any] = slot_value if isinstance(slot_value, list) else [slot_value]
        for value in values:
            normalized = normalize_order_number(str(value))
            if normalized and is_canonical(normalized):
                return {"order_number": normalized}
        dispatcher.utter_message(response="utter_order_number_invalid")
        return {"order_number": None}
