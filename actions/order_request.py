"""Cancelling or changing an order: what its state allows, said honestly, and a ticket where a person must act.

The problem form finds and proves the order as for any problem (slot
``order_request``: ``cancel`` or ``change``). What can happen depends on the
order's state (``orders/model.py``):

* not yet cooking (``접수``): the customer can cancel in the app; or a
  cancellation ticket, if they prefer;
* being cooked: a high-priority ticket, since the store must agree and time matters;
* on its way or delivered: it can no longer be cancelled; a problem report or a
  person instead (buttons);
* a change (address, menu, request note): a ticket that carries it, and the
  cut-off said: before cooking likely, while cooking only if the store agrees,
  on the way only what a rider can be told, after delivery not at all.

The bot never cancels an order or moves money itself; the ticket's
``requested_change`` field tells the agent what the customer asked for.
"""

from __future__ import annotations

import re

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import problem
from actions.order_access import finding_of
from orders.model import ACCEPTED, CANCELLED, COOKING, DELIVERED, ON_THE_WAY, Order
from support import customer_texts as say

CANCEL, CHANGE = "cancel", "change"
REQUEST_OF_INTENT = {"cancel_order": CANCEL, "change_order": CHANGE}
# the order's state as the request's finding (order_finding)
FINDING_OF_STATUS = {
    ACCEPTED: "open", COOKING: "cooking", ON_THE_WAY: "on_the_way", DELIVERED: "delivered", CANCELLED: "cancelled",
}
# the customer's choice for an order the store has not started on (slot cancel_choice)
SELF, TICKET = "self", "ticket"
MAX_CHANGE = 300


def report_state(order: Order, dispatcher: CollectingDispatcher) -> str:
    """Tell the verified customer the order's state; returns it as the request's finding."""
    dispatcher.utter_message(text=say.ORDER_REQUEST_STATE.format(store=order.store_name, status=order.status))
    return FINDING_OF_STATUS.get(order.status, "unknown")


# an opening request at least this long (without spaces) may already say what to change: it is offered as the answer
SAID_ALREADY_MIN = 12
_SAID_ALREADY = re.compile(r"(말한|말씀드린|말씀한|말했|적은|쓴)\s*(대로|거|내용|잖아)|위에\s*(말|적|쓴)")


def opening_request(tracker: Tracker) -> Optional[str]:
    """The customer's words that started the change request ("탕수육 소 말고 중으로 바꿀 수 있을까요?"), when long
    enough to say what to change; ``None`` otherwise (a tap, or "주문 변경하고 싶어요")."""
    for event in reversed(tracker.events):
        if event.get("event") != "user":
            continue
        intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
        if intent != "change_order":
            continue
        text = " ".join((event.get("text") or "").split())
        if text.startswith("/") or len(text.replace(" ", "")) < SAID_ALREADY_MIN:
            return None
        return text
    return None


def points_back(text: str, intent: Optional[str]) -> bool:
    """The answer points to what was said before: the "처음 말씀하신 대로요" button, or "위에 말한 대로요"."""
    return (intent == "affirm" and text.strip().startswith("/")) or bool(_SAID_ALREADY.search(text))


def requested_change(tracker: Tracker) -> Optional[str]:
    """What the customer asked to have done, as the agent reads it on the ticket; None without a request."""
    request = tracker.get_slot("order_request")
    if request == CANCEL:
        return say.REQUESTED_CANCEL
    if request == CHANGE:
        wanted = (tracker.get_slot("requested_change") or "").strip()
        return say.REQUESTED_CHANGE.format(change=wanted)[:MAX_CHANGE] if wanted else say.REQUESTED_CHANGE_UNSAID
    return None


def cancel_choice_of(intent: Optional[str], text: str) -> Optional[str]:
    """``self`` (cancel in the app), ``ticket`` (have it done) or None, from a button or the customer's words."""
    if intent in ("affirm", "request_agent"):
        return TICKET
    if intent in ("deny", "stop"):
        return SELF
    if any(word in text for word in ("접수", "상담", "해 주세요", "해주세요", "부탁")):
        return TICKET
    if any(word in text for word in ("앱", "직접", "제가", "할게요")):
        return SELF
    return None


class ActionStartOrderRequest(Action):
    """The customer asked to cancel or change an order: start the problem form for that request."""

    def name(self) -> Text:
        """The action's name in the domain."""
        return "action_start_order_request"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[Text, Any]]:
        """Forget any earlier problem's details (the proven order stays) and remember the request.

        The same request again while its form asks ("101동으로 바꿔 주세요" to "what should change?" reads as
        ``change_order``) changes nothing: the form takes the message as its answer.
        """
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        request = REQUEST_OF_INTENT.get(intent or "", CANCEL)
        if tracker.get_slot("order_request") == request and tracker.active_loop.get("name"):
            return []
        dispatcher.utter_message(response=f"utter_start_{request}")
        reset = {name: None for name in problem.DETAIL_SLOTS + problem.PROGRESS_SLOTS}
        return [
            *(SlotSet(name, value) for name, value in reset.items()),
            SlotSet("order_finding", None),  # the kept order's records are read again for this request
            SlotSet("problem_category", None),
            SlotSet("order_request", request),
        ]


def outcome(tracker: Tracker) -> Dict[str, Any]:
    """What to do with a complete request: ``{"response", "reason"}`` for a ticket, or ``{"response", "offer"}``.

    ``reason`` names the ticket's priority (business_rules.yml); ``offer`` is ``"answered"`` when the
    customer settles it in the app, ``"buttons"`` when only a problem report or a person can help now.
    """
    request = tracker.get_slot("order_request")
    finding = finding_of(tracker)
    if finding is None:  # no order, or not proven: a person looks it up
        return {"response": f"utter_{request}_unknown_order", "reason": f"{request}_request"}
    if request == CANCEL:
        if finding == "open":
            if tracker.get_slot("cancel_choice") == SELF:
                return {"response": "utter_cancel_in_app", "offer": "answered"}
            return {"response": "utter_cancel_ticket", "reason": "cancel_request"}
        if finding == "cooking":
            return {"response": "utter_cancel_cooking", "reason": "cancel_cooking"}
        if finding == "cancelled":
            return {"response": "utter_order_cancelled_help", "offer": "payment"}
        return {"response": "utter_cancel_too_late", "offer": "buttons"}
    if finding == "open":
        return {"response": "utter_change_open", "reason": "change_request"}
    if finding == "cooking":
        return {"response": "utter_change_cooking", "reason": "change_cooking"}
    if finding == "on_the_way":
        return {"response": "utter_change_on_the_way", "reason": "change_on_the_way"}
    if finding == "cancelled":
        return {"response": "utter_change_cancelled", "offer": "answered"}
    return {"response": "utter_change_too_late", "offer": "buttons"}
