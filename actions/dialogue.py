"""Small dialogue actions: answers the customer cannot give, fallbacks, the resolution question."""

from __future__ import annotations

import logging
from datetime import datetime, timezone
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import problem
from actions.category import current_category
from actions.handoff import clear_problem_slots, open_ticket
from actions.identity import signed_customer
from actions.order_access import is_verified, may_see
from actions.order_facts import clock
from actions.problem_form import report_order
from actions.services import UsesServices
from support import customer_texts as say
from support.button_payloads import order_choice

logger = logging.getLogger(__name__)


class ActionCannotProvide(UsesServices, Action):
    """The customer cannot give what the form asked for: go on without it."""

    def name(self) -> Text:
        """The action's name in the domain."""
        return "action_cannot_provide"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[Text, Any]]:
        """Offer recent orders in-app, or continue without the missing piece."""
        requested = tracker.get_slot("requested_slot")
        if requested == "order_number":
            return await self._no_order_number(dispatcher, tracker)
        way_around = problem.cannot_provide(requested)
        if way_around is None:
            dispatcher.utter_message(response="utter_default")
            return []
        response, slots = way_around
        dispatcher.utter_message(response=response)
        return [SlotSet(name, value) for name, value in slots.items()]

    async def _no_order_number(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> List[Dict[Text, Any]]:
        services = self.services
        customer = signed_customer(tracker, services.settings.identity_key)
        if customer and not tracker.get_slot("recent_offered"):
            orders = await services.orders.recent_for_customer(customer, limit=3)
            if orders:
                buttons = [
                    {
                        "title": f"{o.store_name} ({clock(o.ordered_at, services.rules)})",
                        "payload": order_choice(o.number),
                    }
                    for o in orders
                ]
                buttons.append({"title": say.NOT_IN_THE_LIST, "payload": "/dont_know"})
                dispatcher.utter_message(response="utter_pick_recent_order", buttons=buttons)
                return [SlotSet("recent_offered", True)]
        dispatcher.utter_message(response="utter_continue_without_order_number")
        return [SlotSet("order_unknown", True), SlotSet("order_number", None)]


class ActionAskResolution(Action):
    """Offer the remedies this case allows, as buttons."""

    def name(self) -> Text:
        """The action's name in the domain."""
        return "action_ask_resolution"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[Text, Any]]:
        """Delay: wait or refund. Quality: refund or redelivery."""
        if current_category(tracker) == "delay":
            dispatcher.utter_message(response="utter_ask_resolution_delay")
        else:
            dispatcher.utter_message(response="utter_ask_resolution_quality")
        return []


def consecutive_fallbacks(tracker: Tracker) -> int:
    """How many of the customer's latest messages in a row were not understood."""
    count = 0
    for event in reversed(tracker.events):
        if event.get("event") != "user":
            continue
        intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
        if intent != "nlu_fallback":
            break
        count += 1
    return count


class ActionHandleFallback(UsesServices, Action):
    """Not understood: ask with the categories as buttons; twice in a row, hand over."""

    def name(self) -> Text:
        """The action's name in the domain."""
        return "action_handle_fallback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[Text, Any]]:
        """Clarify, or create a ticket after the policy's number of misunderstandings."""
        if consecutive_fallbacks(tracker) >= self.services.rules.fallbacks_in_a_row:
            dispatcher.utter_message(response="utter_handoff_not_understood")
            return await open_ticket(self.services, dispatcher, tracker, "not_understood")
        dispatcher.utter_message(response="utter_default")
        return []


class ActionStop(Action):
    """The customer wants to stop: forget the current problem."""

    def name(self) -> Text:
        """The action's name in the domain."""
        return "action_stop"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[Text, Any]]:
        """Confirm and clear the problem's slots."""
        dispatcher.utter_message(response="utter_stopped")
        return clear_problem_slots()


class ActionSwitchProblem(UsesServices, Action):
    """The customer raised another kind of problem inside the form: work on that one."""

    def name(self) -> Text:
        """The action's name in the domain."""
        return "action_switch_problem"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[Text, Any]]:
        """Keep the order (and its verification), forget the rest, report for the new category."""
        category = ((tracker.latest_message or {}).get("intent") or {}).get("name")
        if category not in problem.PROBLEM_CATEGORIES:
            return []
        dispatcher.utter_message(response=f"utter_sorry_{category}")
        events = [SlotSet(name, value) for name, value in problem.switch_topic(category).items()]
        number = tracker.get_slot("order_number")
        services = self.services
        if number and is_verified(tracker):
            order = await services.orders.get(number)
            if order is not None and may_see(tracker, order, services.settings.identity_key):
                finding = report_order(order, category, datetime.now(timezone.utc), dispatcher, services.rules)
                events.append(SlotSet("order_finding", finding))
        return events
