"""Handing a conversation to a person: the ticket in the desk."""

from __future__ import annotations

import logging
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.desk_client import DeskClient, DeskUnavailable, desk_client
from actions.transcript import latest_user_timestamp, transcript_from_tracker
from support.intents import CATEGORIES

logger = logging.getLogger(__name__)

PRIORITY_BY_CATEGORY = {"delay": "normal", "quality": "normal", "payment": "high", "other": "low"}


def ticket_payload(tracker: Tracker) -> Dict[str, Any]:
    """What the desk needs to know, from the conversation's slots and events."""
    category = tracker.get_slot("problem_category")
    if category not in CATEGORIES:
        category = "other"
    transcript = transcript_from_tracker(tracker)
    customer_lines = [line["text"] for line in transcript if line["author"] == "customer"]
    return {
        "category": category,
        "priority": PRIORITY_BY_CATEGORY[category],
        "channel": tracker.get_latest_input_channel() or "unknown",
        "sender_id": tracker.sender_id,
        "order_number": tracker.get_slot("order_number"),
        "summary": " / ".join(customer_lines)[:2000],
        "transcript": transcript,
    }


def idempotency_key(tracker: Tracker) -> str:
    """The same for every retry of one handoff: sender and the message that caused it."""
    return f"{tracker.sender_id}:{latest_user_timestamp(tracker)}"


class ActionCreateTicket(Action):
    """Create the desk ticket and tell the customer its number."""

    def __init__(self, client: Optional[DeskClient] = None) -> None:
        """Use ``client`` for the desk, or the process-wide client by default."""
        self._client = client

    def name(self) -> Text:
        """The action's name in the domain."""
        return "action_create_ticket"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[Text, Any]]:
        """Post the ticket; on success share its number, otherwise apologise clearly."""
        payload = ticket_payload(tracker)
        try:
            ticket = await (self._client or desk_client()).create_ticket(payload, idempotency_key(tracker))
        except DeskUnavailable as exc:
            logger.error("ticket for conversation %s not created: %s", tracker.sender_id, exc)
            dispatcher.utter_message(response="utter_desk_unavailable")
            return []
        logger.info(
            "conversation %s handed off as %s (%s)",
            tracker.sender_id,
            ticket["number"],
            payload["category"],
        )
        dispatcher.utter_message(response="utter_ticket_created", ticket_number=ticket["number"])
        return [SlotSet("ticket_number", ticket["number"]), SlotSet("order_number", None)]
