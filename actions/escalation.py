"""An angry or repeating customer goes to a person at once (``dialogue/escalation_policy.py`` decides when).

The open form is left, the ticket is opened with what was collected so far and
flagged with the reason (a demand for a manager, swearing, anger, the same
problem said three times) at high priority, and the customer hears one calm
sentence before the ticket's number.
"""

from __future__ import annotations

import logging
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.handoff import open_ticket
from actions.resolve import handed_over
from actions.services import UsesServices
from support.escalation_cues import ESCALATION, REASONS, REPEATED

logger = logging.getLogger(__name__)


def escalation_reason(tracker: Tracker) -> str:
    """Why the conversation escalates: the NLU's cue, else the repeated problem."""
    reason = (tracker.latest_message or {}).get(ESCALATION)
    return reason if reason in REASONS else REPEATED


class ActionEscalate(UsesServices, Action):
    """Leave any form, open a high-priority ticket flagged with the reason, say one calm sentence."""

    def name(self) -> Text:
        """The action's name in the domain."""
        return "action_escalate"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[Text, Any]]:
        """Hand over now; the ticket's number follows the calm sentence."""
        reason = escalation_reason(tracker)
        logger.info("conversation %s escalated to a person (%s)", tracker.sender_id, reason)
        left = [ActiveLoop(None), SlotSet("requested_slot", None)] if tracker.active_loop else []
        dispatcher.utter_message(response="utter_escalated")
        events = await open_ticket(self.services, dispatcher, tracker, f"escalation_{reason}")
        return [*left, *handed_over(events)]
