"""What happens when the problem form is complete: an answer or a ticket."""

from __future__ import annotations

import logging
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import problem
from actions.category import current_category
from actions.handoff import clear_problem_slots, open_ticket
from actions.order_access import finding_of, may_see
from actions.order_facts import won
from actions.order_request import outcome as request_outcome
from actions.services import UsesServices
from support import customer_texts as say

logger = logging.getLogger(__name__)


def answered_by_bot(dispatcher: CollectingDispatcher, tracker: Tracker) -> List[Dict[Text, Any]]:
    """The bot settled the problem: forget it; the survey follows (``survey_due``).

    When the customer named another problem at the start, it is offered next instead, with the order
    (and its proof) kept, and the survey waits.
    """
    category = current_category(tracker)
    pending = [c for c in tracker.get_slot("also_problems") or [] if c != category and c in problem.PROBLEM_CATEGORIES]
    if pending:
        return offer_next_problem(dispatcher, pending[0], pending[1:], "utter_next_problem",
                                  next=say.CATEGORY_NAMES[pending[0]])
    return [*clear_problem_slots(), SlotSet("survey_due", True), SlotSet("survey_ticket", None)]


def offer_next_problem(
    dispatcher: CollectingDispatcher, category: str, pending: List[str], response: str, **values: Any
) -> List[Dict[Text, Any]]:
    """Ask with buttons whether to go on with ``category``; the order and its proof stay, the survey waits."""
    buttons = [{"title": say.NEXT_PROBLEM_YES, "payload": f"/{category}"},
               {"title": say.NEXT_PROBLEM_NO, "payload": "/goodbye"}]
    dispatcher.utter_message(response=response, buttons=buttons, **values)
    kept = [SlotSet(name, value) for name, value in problem.after_answer(pending).items()]
    return [*kept, SlotSet("survey_due", False)]


def handed_over(events: List[Dict[Text, Any]]) -> List[Dict[Text, Any]]:
    """The problem went to a person (or the lookup ended): no survey now."""
    return [*events, SlotSet("survey_due", False)]


class ActionSubmitProblem(UsesServices, Action):
    """Settle the collected problem: tell the customer what happens next."""

    def name(self) -> Text:
        """The action's name in the domain."""
        return "action_submit_problem"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[Text, Any]]:
        """Dispatch by category and by what the order's records showed."""
        slot = tracker.get_slot
        if slot("lookup_failed"):
            return handed_over(clear_problem_slots())
        if slot("handoff_reason"):
            return await self._ticket(dispatcher, tracker, slot("handoff_reason"))
        if slot("order_request"):
            return await self._request(dispatcher, tracker)
        category = current_category(tracker)
        if category == "delay":
            return await self._delay(dispatcher, tracker)
        if category == "quality":
            reason = "quality_refund" if slot("resolution") == "refund" else "quality"
            return await self._ticket(dispatcher, tracker, reason)
        if category == "payment":
            return await self._payment(dispatcher, tracker)
        return await self._ticket(dispatcher, tracker, "customer_request")

    async def _ticket(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, reason: str, resolution: Optional[str] = None
    ) -> List[Dict[Text, Any]]:
        return handed_over(await open_ticket(self.services, dispatcher, tracker, reason, resolution))

    async def _request(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> List[Dict[Text, Any]]:
        """Cancel or change the order: what its state allows (:func:`actions.order_request.outcome`)."""
        result = request_outcome(tracker)
        if result.get("offer") == "payment":  # already cancelled: is the money back? one tap away
            return offer_next_problem(dispatcher, "payment", [], result["response"])
        dispatcher.utter_message(response=result["response"])
        if "reason" in result:
            return await self._ticket(dispatcher, tracker, result["reason"])
        if result["offer"] == "answered":
            return answered_by_bot(dispatcher, tracker)
        # too late to cancel or change: the answer's buttons offer a problem report or a person, the order kept
        kept = [SlotSet(name, value) for name, value in problem.after_answer([]).items()]
        return [*kept, SlotSet("survey_due", False)]

    async def _delay(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> List[Dict[Text, Any]]:
        finding = finding_of(tracker)
        if tracker.get_slot("order_unknown"):
            return await self._ticket(dispatcher, tracker, "delay_unknown_order")
        if finding == "delivered":
            dispatcher.utter_message(response="utter_delivered_not_received")
            return await self._ticket(dispatcher, tracker, "delivered_not_received", "confirm_not_received")
        if finding == "late":
            resolution = tracker.get_slot("resolution")
            if resolution == "wait":
                dispatcher.utter_message(response="utter_wait_acknowledged")
                return answered_by_bot(dispatcher, tracker)
            return await self._ticket(dispatcher, tracker, "delay_refund")
        if finding == "cancelled":  # the money may still be missing: the payment problem is one tap away
            pending = [c for c in tracker.get_slot("also_problems") or [] if c not in ("delay", "payment")]
            return offer_next_problem(dispatcher, "payment", pending, "utter_order_cancelled_help")
        return answered_by_bot(dispatcher, tracker)

    async def _payment(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> List[Dict[Text, Any]]:
        finding = finding_of(tracker)
        if finding == "double_charge":
            dispatcher.utter_message(response="utter_payment_will_be_fixed")
            return await self._ticket(dispatcher, tracker, "payment_double_charge", "cancel_double_charge")
        if finding == "charged_no_order":
            dispatcher.utter_message(response="utter_payment_will_be_fixed")
            return await self._ticket(dispatcher, tracker, "payment_charged_no_order", "cancel_charge")
        if finding == "refunded":
            return answered_by_bot(dispatcher, tracker)
        if tracker.get_slot("order_unknown") or not tracker.get_slot("order_number"):
            return await self._ticket(dispatcher, tracker, "payment_other")
        services = self.services
        order = await services.orders.get(tracker.get_slot("order_number"))
        if order is not None and not may_see(tracker, order, services.settings.identity_key):
            order = None  # nothing of an order that is not proven: the agent compares
        said = tracker.get_slot("payment_amount")
        recorded = sum(p.amount for p in order.approved_payments) if order else None
        if order is not None and said is not None and int(said) != recorded:
            dispatcher.utter_message(
                response="utter_payment_mismatch",
                said=won(int(said)),
                recorded=won(recorded),
                difference=won(abs(int(said) - recorded)),
            )
            return await self._ticket(dispatcher, tracker, "payment_mismatch", "refund_difference")
        dispatcher.utter_message(response="utter_payment_matches")
        return await self._ticket(dispatcher, tracker, "payment_other")
