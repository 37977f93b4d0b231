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
from actions.order_by_description import is_description, only_names, order_buttons
from actions.order_request import opening_request
from actions.problem_form import (
    DESCRIBED_ORDERS_SEARCHED, FREE_TEXT_SLOTS, HOLD_ON, ORDER_PROMPTS, answers_the_question, asks_to_wait,
    report_order,
)
from actions.services import UsesServices
from support.order_numbers import normalize_order_number
from support.korean_time import SEOUL

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
        if customer and not tracker.get_slot("recent_offered") and not _orders_listed(tracker):
            orders = await services.orders.recent_for_customer(customer, limit=3)
            if orders:
                dispatcher.utter_message(response="utter_pick_recent_order",
                                         buttons=order_buttons(orders, services.rules))
                return [SlotSet("recent_offered", True)]
        dispatcher.utter_message(response="utter_continue_without_order_number")
        return [SlotSet("order_unknown", True), SlotSet("order_number", None)]


class ActionAskOrderNumber(Action):
    """The form's order-number question, unless this turn's answer already asked it with its choices."""

    def name(self) -> Text:
        """The action's name in the domain (the form asks with it instead of utter_ask_order_number)."""
        return "action_ask_order_number"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[Text, Any]]:
        """Ask for the order number, with its "I don't know" button."""
        if not prompted_this_turn(tracker):
            dispatcher.utter_message(response="utter_ask_order_number")
        return []


def prompted_this_turn(tracker: Tracker) -> bool:
    """Was the order asked for again (recent orders offered, a description answered) since the last message?"""
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            return False
        if event.get("event") == "bot" and (event.get("metadata") or {}).get("utter_action") in ORDER_PROMPTS:
            return True
    return False


def _orders_listed(tracker: Tracker) -> bool:
    """Were her orders offered as buttons while the form asked for this order ("목록에 없어요" after them)?"""
    for event in reversed(tracker.events):
        if event.get("event") == "active_loop" and event.get("name"):
            return False
        if event.get("event") == "bot" and (event.get("metadata") or {}).get("utter_action") in ORDERS_LISTED:
            return True
    return False


class ActionAskRequestedChange(Action):
    """What to change in the order; when the request itself may have said it, a button to send those words."""

    def name(self) -> Text:
        """The action's name in the domain (the form asks with it instead of utter_ask_requested_change)."""
        return "action_ask_requested_change"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[Text, Any]]:
        """Ask for the change, offering "처음 말씀하신 대로요" when the opening request was long enough to hold it."""
        if opening_request(tracker):
            dispatcher.utter_message(response="utter_ask_requested_change_or_as_said")
        else:
            dispatcher.utter_message(response="utter_ask_requested_change")
        return []


class ActionUnaskedAnswer(Action):
    """An answer when no question is open ("ord 261122 0104 짜장면 언제 나와요"): an order number gets its
    status checked (the late-delivery flow's check, which proves the order first); anything else the choices."""

    def name(self) -> Text:
        """The action's name in the domain."""
        return "action_unasked_answer"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[Text, Any]]:
        """Start the status check for the order number given, or offer the problem menu."""
        message = tracker.latest_message or {}
        given = [e.get("value") for e in message.get("entities") or [] if e.get("entity") == "order_number"]
        number = next((n for n in (normalize_order_number(str(v)) for v in given) if n), None)
        number = number or normalize_order_number(message.get("text") or "")
        if number is None:
            dispatcher.utter_message(response="utter_how_can_i_help")
            return []
        dispatcher.utter_message(response="utter_check_order_status")
        return [SlotSet("problem_category", "delay"), SlotSet("order_number", number), FollowupAction("problem_form")]


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


# answers that list the customer's recent orders as buttons
ORDERS_LISTED = frozenset({"utter_pick_described_order", "utter_described_order_not_found"})
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


def _holding_on(parse_data: Dict[str, Any]) -> bool:
    """A moment asked for ("1분만요"), or a hold-on among the two readings the NLU hesitated between."""
    ranking = [r.get("name") for r in parse_data.get("intent_ranking") or [] if r.get("name") != "nlu_fallback"]
    return asks_to_wait(parse_data.get("text") or "") or HOLD_ON in ranking[:2]


def _describes_the_order(tracker: Tracker, parse_data: Dict[str, Any]) -> bool:
    """The order question answered with a description the NLU could not place ("좀 전에 엄마손 김밥에서 주문한
    거예요" read as out of scope): the form looks it up (:mod:`actions.order_by_description`)."""
    return (tracker.get_slot("requested_slot") == "order_number" and not parse_data.get("noise")
            and is_description(parse_data.get("text") or "", datetime.now(SEOUL)))


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
        if loop and _describes_the_order(tracker, parse_data):  # "엄마손 김밥" read as out of scope
            return [FollowupAction(loop)]
        if loop and _holding_on(parse_data):  # "1분만요" read as unsure: the question stays open
            dispatcher.utter_message(response="utter_take_your_time")
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
        if (category not in problem.PROBLEM_CATEGORIES or answers_the_question(tracker)
                or await self._names_her_order(tracker)):
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

    async def _names_her_order(self, tracker: Tracker) -> bool:
        """At the order question, a store whose name sounds like a problem ("바삭 돈까스에서 시킨 거예요")
        answers the question: the form takes it (signed-in customers, whose orders are known)."""
        if tracker.get_slot("requested_slot") != "order_number":
            return False
        customer = signed_customer(tracker, self.services.settings.identity_key)
        if not customer:
            return False
        orders = await self.services.orders.recent_for_customer(customer, limit=DESCRIBED_ORDERS_SEARCHED)
        return only_names((tracker.latest_message or {}).get("text") or "", orders)
