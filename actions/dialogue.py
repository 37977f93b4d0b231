"""Small dialogue actions: answers the customer cannot give, fallbacks, the resolution question."""

from __future__ import annotations

import logging
from datetime import datetime, timezone
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import problem
from actions.category import current_category
from actions.handoff import clear_problem_slots, open_ticket
from actions.identity import signed_customer
from actions.order_access import is_verified, may_see
from actions.order_facts import clock
from actions.problem_form import FREE_TEXT_SLOTS, answers_the_question, report_order
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
        """Offer recent orders in-app, or continue without the missing piece (unless it came after all)."""
        requested = tracker.get_slot("requested_slot")
        if answers_the_question(tracker):
            return []
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


# messages that are no attempt to say something to support: answered "not understood", never counted
NOT_ADDRESSED = "out_of_scope"
# the top two problems this close (NLU confidence) make the bot ask which one, with a button each
UNSURE_MARGIN = 0.25
UNSURE_FLOOR = 0.2
ASKABLE = (*problem.PROBLEM_CATEGORIES, "request_agent")


def is_noise(parse_data: Dict[str, Any]) -> bool:
    """Keyboard mash, markup, SQL (``noise`` set by nlu/noise_filter.py) or text not addressed to support."""
    return bool(parse_data.get("noise")) or (parse_data.get("intent") or {}).get("name") == NOT_ADDRESSED


def consecutive_fallbacks(tracker: Tracker) -> int:
    """How many of the customer's latest messages in a row were not understood (noise is skipped, not counted)."""
    count = 0
    for event in reversed(tracker.events):
        if event.get("event") != "user":
            continue
        parse_data = event.get("parse_data") or {}
        if is_noise(parse_data):
            continue
        if (parse_data.get("intent") or {}).get("name") != "nlu_fallback":
            break
        count += 1
    return count


def close_choices(parse_data: Dict[str, Any]) -> List[str]:
    """The two problems (or a person) the NLU hesitated between, when they are close; else []."""
    ranking = [r for r in parse_data.get("intent_ranking") or [] if r.get("name") != "nlu_fallback"]
    if len(ranking) < 2 or is_noise(parse_data):
        return []
    first, second = ranking[0], ranking[1]
    names = [first.get("name"), second.get("name")]
    confidences = [float(first.get("confidence") or 0), float(second.get("confidence") or 0)]
    if not all(name in ASKABLE for name in names) or confidences[1] < UNSURE_FLOOR:
        return []
    return names if confidences[0] - confidences[1] <= UNSURE_MARGIN else []


def menu_buttons(domain: DomainDict, intents: List[str]) -> List[Dict[str, str]]:
    """The problem menu's buttons (domain.yml ``utter_how_can_i_help``) for these intents, in this order."""
    menu = ((domain.get("responses") or {}).get("utter_how_can_i_help") or [{}])[0].get("buttons") or []
    by_intent = {button["payload"].lstrip("/"): button for button in menu}
    return [by_intent[name] for name in intents if name in by_intent]


class ActionHandleFallback(UsesServices, Action):
    """Not understood: ask which of two close problems, or offer the menu; twice in a row, hand over."""

    def name(self) -> Text:
        """The action's name in the domain."""
        return "action_handle_fallback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[Text, Any]]:
        """Noise: the menu, never a ticket. Close guesses: a button each. Else the menu or the handoff.

        A form asking for the customer's own words (what to change in the order) takes the message as the
        answer, however the NLU read it.
        """
        parse_data = tracker.latest_message or {}
        loop = tracker.active_loop.get("name")
        if loop and tracker.get_slot("requested_slot") in FREE_TEXT_SLOTS and not is_noise(parse_data):
            return [FollowupAction(loop)]
        if is_noise(parse_data):
            dispatcher.utter_message(response="utter_default")
            return []
        choices = menu_buttons(domain, close_choices(parse_data))
        if len(choices) == 2:
            dispatcher.utter_message(response="utter_which_problem", buttons=choices)
            return []
        if consecutive_fallbacks(tracker) >= self.services.rules.fallbacks_in_a_row:
            dispatcher.utter_message(response="utter_handoff_not_understood")
            return await open_ticket(self.services, dispatcher, tracker, "not_understood")
        dispatcher.utter_message(response="utter_default")
        return []


class ActionFaqInForm(Action):
    """An FAQ question in the middle of the form: its answer, unless the form asked for the customer's own words."""

    def name(self) -> Text:
        """The action's name in the domain."""
        return "action_faq_in_form"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[Text, Any]]:
        """The FAQ topic's response; nothing when the message answers a free-text question (the form takes it)."""
        if tracker.get_slot("requested_slot") in FREE_TEXT_SLOTS:
            return []
        topic = ((tracker.latest_message or {}).get("intent") or {}).get("full_retrieval_intent_name") or ""
        retrieval, _, name = topic.partition("/")
        dispatcher.utter_message(response=f"utter_other/{name}" if retrieval == "other" and name else "utter_default")
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
        if category not in problem.PROBLEM_CATEGORIES or answers_the_question(tracker):
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
