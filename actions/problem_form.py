"""The problem form: find and verify the order, then collect what the category needs.

Which slots are asked depends on the category and on what the order's records
show (:func:`actions.problem.required_slots`); the phone digits are skipped when
the latest message carries the channel's proof of a signed-in customer and the
order is theirs.

Nothing about an order is said before ownership is proven: without a signed-in
customer, a number in the right format is always followed by the phone question,
and an unknown number gets the same answer as wrong digits. Wrong digits count
per conversation (``phone_attempts``) and, across every conversation, per order
and per client (:mod:`actions.ownership_checks`); past those limits no digits are
checked until the lock-out ends, and the first conversation to meet a lock-out
hands it to a person.
"""

from __future__ import annotations

import hmac
import logging
import re
from datetime import datetime, timezone
from typing import Any, Callable, Dict, List, Optional, Text

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

from actions import problem
from actions.attachments import attachments_of_latest_message, keep_photos
from actions.business_rules import BusinessRules
from actions.category import current_category
from actions.identity import client_of, signed_customer
from actions.order_by_description import is_description, match_description, order_buttons
from actions.order_access import finding_of, is_verified, may_see, proof_for, proof_value
from actions.order_facts import delay_facts, delay_message, payment_findings, payment_message
from actions.order_request import MAX_CHANGE, cancel_choice_of, opening_request, points_back, report_state
from actions.ownership_checks import OwnershipChecks
from actions.services import Services, UsesServices
from actions.transcript import latest_user_timestamp
from orders.model import Order
from orders.repository import OrderRepository
from support import customer_texts as say
from support.amounts import MAX_WON, parse_amount
from support.korean_time import SEOUL, parse_time
from support.order_numbers import normalize_order_number
from support.pii import phone_last_four

logger = logging.getLogger(__name__)

ANSWER_INTENTS = {"inform", "delay", "quality", "payment"}
PAYMENT_METHODS = (
    ("카카오페이", "카카오페이"), ("카카오 페이", "카카오페이"), ("네이버페이", "네이버페이"),
    ("네이버 페이", "네이버페이"), ("토스", "토스페이"), ("제로페이", "제로페이"),
    ("지역화폐", "지역화폐"), ("온누리", "온누리상품권"), ("상품권", "상품권"), ("포인트", "포인트"),
    ("휴대폰", "휴대폰 결제"), ("핸드폰", "휴대폰 결제"), ("계좌", "계좌이체"), ("무통장", "계좌이체"),
    ("현금", "현금"), ("카드", "카드"), ("card", "카드"), ("페이", "간편결제"),
)
RESOLUTION_WORDS = (
    ("재배달", "redelivery"), ("다시 보내", "redelivery"), ("다시 배달", "redelivery"),
    ("환불", "refund"), ("취소", "refund"), ("돈 돌려", "refund"), ("refund", "refund"),
    ("기다", "wait"), ("괜찮", "wait"),
)
_FOUR_DIGITS = re.compile(r"(?<!\d)(\d{4})(?!\d)")
_CORRECTION = re.compile(r"잘못|틀렸|틀린|정정|바꿀게|수정할게|다시 (말|알려|할게)")
_DIGIT = re.compile(r"\d")
_WAIT_ASKED = re.compile(r"\d+\s*(?:분|초)\s*(?:정도)?\s*만(?!\s*에)")
_SHORT_WAIT = 16  # characters without spaces: "1분만 기다려 주실래요"
FORM = "problem_form"
# actions that may pass the customer's message on to the form without a word (it is then the form's answer)
PASSED_ON_BY = frozenset({"action_handle_fallback", "action_switch_problem"})
HOLD_ON = "hold_on"  # the customer needs a moment: not an answer, not a failure
# a described order is looked for among this many of the customer's latest orders; at most this many are offered
DESCRIBED_ORDERS_SEARCHED = 10
MAX_ORDER_BUTTONS = 3
# answers that ask for the order again, with its choices: the form's own question is not repeated after them
ORDER_PROMPTS = frozenset({
    "utter_pick_recent_order", "utter_pick_described_order", "utter_described_order_not_found",
    "utter_no_recent_orders", "utter_described_order_needs_number",
})
# questions answered in the customer's own words, whatever the NLU makes of them
FREE_TEXT_SLOTS = frozenset({"requested_change"})


def _message(tracker: Tracker) -> Dict[str, Any]:
    return tracker.latest_message or {}


def _intent(tracker: Tracker) -> Optional[str]:
    return (_message(tracker).get("intent") or {}).get("name")


def _text(tracker: Tracker) -> str:
    return _message(tracker).get("text") or ""


def _answering(tracker: Tracker) -> bool:
    """The form runs on the customer's message itself, not after a rule answered it (an FAQ, a greeting).

    The form's extraction runs on every call, also when it resumes after a rule's answer: an FAQ question
    with a number in it ("배달비 3000원 왜 받아요?") is then no answer to the question. A hold-on is the
    exception: "잠시만요, ORD-261122-0102 맞나?" is acknowledged by its rule and still answers.
    """
    if _intent(tracker) == HOLD_ON:
        return True
    # back to the message: the form's own run (logged before it validates) and an action that passed the
    # message on without a word (a fallback's FollowupAction, a switch declined) leave it the form's to answer
    for event in reversed(tracker.events):
        kind = event.get("event")
        if kind == "user":
            return True
        if kind == "bot" or (kind == "action" and event.get("name") != FORM and event.get("name") not in PASSED_ON_BY):
            return False
    return True


def asks_to_wait(text: str) -> bool:
    """"1분만요", "30초만 기다려 주세요": the digits are a moment asked for, not an answer.

    Only a short message is one ("30분만에 왔는데 다 식었어요" is a complaint, not a hold-on).
    """
    return (len("".join(text.split())) <= _SHORT_WAIT and bool(_WAIT_ASKED.search(text))
            and not _DIGIT.search(_WAIT_ASKED.sub("", text)))


def _carries_data(tracker: Tracker) -> bool:
    """The message holds something a question may take: an entity, a photo or four digits in a row.

    The moment a hold-on asks for ("1분만요") is none of them.
    """
    waits = [m.span() for m in _WAIT_ASKED.finditer(_text(tracker))]
    entities = [e for e in _message(tracker).get("entities") or []
                if not any(start <= (e.get("start") or 0) < end for start, end in waits)]
    return bool(entities or attachments_of_latest_message(tracker)
                or _FOUR_DIGITS.search(_WAIT_ASKED.sub("", _text(tracker))))


def _message_time(tracker: Tracker) -> datetime:
    timestamp = latest_user_timestamp(tracker)
    if timestamp is None:
        return datetime.now(SEOUL)
    return datetime.fromtimestamp(timestamp, tz=timezone.utc).astimezone(SEOUL)


def _is_answer(tracker: Tracker) -> bool:
    """Is the latest message an answer to the form's question?

    ``inform`` is; a problem intent is only for the form's own category or when it
    carries data (digits, photos) — otherwise the customer changed the topic and
    the form lets the dialogue rules switch the problem (``action_switch_problem``).
    """
    intent = _intent(tracker)
    if intent == "inform":
        return True
    if intent not in ANSWER_INTENTS:
        return False
    return (
        intent == current_category(tracker)
        or bool(_DIGIT.search(_text(tracker)))
        or bool(attachments_of_latest_message(tracker))
    )


# an answer in the form's own words is taken as an answer only when it is short; a longer message may raise more
_SHORT_ANSWER = 20


def answers_the_question(tracker: Tracker) -> bool:
    """Does the latest message answer the form's open question, whatever the NLU called it?

    "환불해 주세요" to the remedy question reads as a payment problem and "사진 보내요" with a photo as
    "cannot provide"; both are answers the form understands (its remedy words, its payment methods, an
    attached photo), so the dialogue must neither switch the problem nor give up the question.
    """
    requested = tracker.get_slot("requested_slot")
    if requested in FREE_TEXT_SLOTS:  # "what should change?": any words are the answer
        return True
    text = _text(tracker).lower()
    short = len("".join(text.split())) <= _SHORT_ANSWER
    if requested == "resolution":
        return short and any(word in text for word, _ in RESOLUTION_WORDS)
    if requested == "payment_method":
        return short and any(word in text for word, _ in PAYMENT_METHODS)
    if requested == "photos":
        return bool(attachments_of_latest_message(tracker))
    return False


def report_order(
    order: Order, category: str, now: datetime, dispatcher: CollectingDispatcher, rules: BusinessRules,
    request: Optional[str] = None,
) -> str:
    """Tell the verified customer what the order's records show for ``category`` (or for a ``request`` to
    cancel or change it: its state); returns the finding."""
    if request:
        return report_state(order, dispatcher)
    if category == "delay":
        facts = delay_facts(order, now, rules)
        dispatcher.utter_message(text=delay_message(order, facts, now, rules))
        if facts.delivered:
            return "delivered"
        if facts.cancelled:
            return "cancelled"
        return "late" if facts.late else "on_time"
    if category == "payment":
        findings = payment_findings(order)
        dispatcher.utter_message(text=payment_message(order, findings, rules))
        if findings.double_charge:
            return "double_charge"
        if findings.charged_no_order:
            return "charged_no_order"
        return "refunded" if findings.refunded else "compare"
    if category == "quality":
        dispatcher.utter_message(response="utter_order_found", store=order.store_name)
    return "verified"


def _entity_texts(tracker: Tracker, name: str) -> List[str]:
    return [e.get("text") or "" for e in _message(tracker).get("entities", []) if e.get("entity") == name]


def referred_order_number(tracker: Tracker) -> Optional[str]:
    """The order number of the link the customer came from in this session (the channel's
    ``referral.order_number`` metadata), if any."""
    for event in reversed(tracker.events):
        if event.get("event") == "session_started":
            return None
        referral = (event.get("metadata") or {}).get("referral") if event.get("event") == "user" else None
        if isinstance(referral, dict) and isinstance(referral.get("order_number"), str):
            number = normalize_order_number(referral["order_number"])
            if number:
                return number
    return None


class ValidateProblemForm(UsesServices, FormValidationAction):
    """Validation and extraction for ``problem_form``."""

    def __init__(self, services: Optional[Services] = None, now: Optional[Callable[[], datetime]] = None) -> None:
        """Work with ``services`` and ``now`` as the clock (defaults: the running server's, the real one)."""
        UsesServices.__init__(self, services)
        self._now = now or (lambda: datetime.now(timezone.utc))

    def name(self) -> Text:
        """The action's name in the domain."""
        return "validate_problem_form"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[Text, Any]]:
        """Validate as usual; remember the form's category; let the customer correct an answer.

        "잠시만요" (``hold_on``) answers nothing: the rules acknowledge it and the question is asked
        again as it was, with nothing extracted and no failure counted. A hold-on that carries data
        ("잠시만요, ORD-261122-0102 맞나?") is validated as an answer.
        """
        if _intent(tracker) == HOLD_ON and not _carries_data(tracker):
            return []
        events: List[Dict[Text, Any]] = []
        if not tracker.get_slot("form_category"):
            events.append(SlotSet("form_category", current_category(tracker)))
            events += self._also_problems(dispatcher, tracker, current_category(tracker))
            events += await self._kept_order(dispatcher, tracker, current_category(tracker))
            events += await self._opening_description(dispatcher, tracker, domain)
            if not any(event.get("name") == "order_number" for event in events):
                events += await self._referred_order(dispatcher, tracker, domain)
        events += self._corrections(dispatcher, tracker)
        for event in events:
            tracker.slots[event["name"]] = event["value"]
        return [*events, *await super().run(dispatcher, tracker, domain)]

    @staticmethod
    def _also_problems(dispatcher: CollectingDispatcher, tracker: Tracker, category: str) -> List[Dict[Text, Any]]:
        """The message that started the form named other problems too: say they will be taken, remember them."""
        named = [c for c in _message(tracker).get("also_problems") or []
                 if c != category and c in problem.PROBLEM_CATEGORIES]
        if not named or category not in problem.PROBLEM_CATEGORIES:
            return []
        pending = list(dict.fromkeys([*(tracker.get_slot("also_problems") or []), *named]))
        also = ", ".join(say.CATEGORY_NAMES[c] for c in named)
        dispatcher.utter_message(response="utter_also_problems", also=also, first=say.CATEGORY_NAMES[category])
        return [SlotSet("also_problems", pending)]

    async def _kept_order(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, category: str
    ) -> List[Dict[Text, Any]]:
        """A problem taken up next with the proven order kept: its records are read again for this category."""
        number = tracker.get_slot("order_number")
        if not number or tracker.get_slot("order_finding") or not is_verified(tracker):
            return []
        order = await self.repository.get(number)
        if order is None or not may_see(tracker, order, self.services.settings.identity_key):
            return []
        finding = report_order(order, category, self._now(), dispatcher, self.services.rules,
                               tracker.get_slot("order_request"))
        return [SlotSet("order_finding", finding)]

    async def _opening_description(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[Text, Any]]:
        """The message that opened the form described the order ("아까 행복치킨에서 시킨 거 언제 와요?"): a
        signed-in customer's order is found from it, or her fitting orders offered, before any question."""
        if (tracker.get_slot("order_number") or _entity_texts(tracker, "order_number")
                or normalize_order_number(_text(tracker)) or not signed_customer(tracker, self.identity_key)):
            return []
        described = await self._described_order(dispatcher, tracker)
        if not described or not described.get("order_number"):
            return []  # no description, or her orders were offered as buttons
        validated = await self.validate_order_number(described["order_number"], dispatcher, tracker, domain)
        return [SlotSet(name, value) for name, value in validated.items()]

    async def _referred_order(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[Text, Any]]:
        """The customer came from a link naming her order (Messenger's ``m.me/<page>?ref=ORD-…``): the
        order is taken as if she had typed its number, and proven the same way, before any question."""
        if (tracker.get_slot("order_number") or _entity_texts(tracker, "order_number")
                or normalize_order_number(_text(tracker))):
            return []
        number = referred_order_number(tracker)
        if number is None:
            return []
        validated = await self.validate_order_number(number, dispatcher, tracker, domain)
        return [SlotSet(name, value) for name, value in validated.items()]

    @staticmethod
    def _corrections(dispatcher: CollectingDispatcher, tracker: Tracker) -> List[Dict[Text, Any]]:
        """"아 주문번호 잘못 말했어요": forget that answer so it is asked again."""
        text = _text(tracker)
        if not _CORRECTION.search(text) or normalize_order_number(text) or _entity_texts(tracker, "amount"):
            return []
        slots = problem.correction(text, tracker.slots)
        if slots is None:
            return []
        dispatcher.utter_message(response="utter_ask_again")
        return [SlotSet(name, None) for name in slots]

    @property
    def repository(self) -> OrderRepository:
        """The order repository in use."""
        return self.services.orders

    @property
    def checks(self) -> OwnershipChecks:
        """The store of ownership checks in use."""
        return self.services.checks

    @property
    def identity_key(self) -> Optional[bytes]:
        """The key the channels' identities are checked with."""
        return self.services.settings.identity_key

    async def required_slots(
        self,
        domain_slots: List[Text],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> List[Text]:
        """The slots still relevant for this category and this order (:func:`actions.problem.required_slots`)."""
        slot = tracker.get_slot
        if slot("handoff_reason") or slot("lookup_failed"):
            return []
        return problem.required_slots(
            current_category(tracker),
            no_order=bool(slot("order_unknown")),
            order_given=bool(slot("order_number")),
            proven=is_verified(tracker),
            finding=finding_of(tracker),
            request=slot("order_request"),
        )

    # -- failures -------------------------------------------------------------

    def _fail(
        self,
        slot_name: str,
        tracker: Tracker,
        dispatcher: CollectingDispatcher,
        response: str,
        **kwargs: Any,
    ) -> Dict[Text, Any]:
        """Refuse a value; after too many refusals of one slot, hand over to a person."""
        counts = dict(tracker.get_slot("failed_validations") or {})
        counts[slot_name] = counts.get(slot_name, 0) + 1
        result: Dict[Text, Any] = {slot_name: None, "failed_validations": counts}
        if counts[slot_name] >= self.services.rules.failed_validations_per_slot:
            dispatcher.utter_message(response="utter_too_many_failures")
            result["handoff_reason"] = "validation_failed"
        else:
            dispatcher.utter_message(response=response, **kwargs)
        return result

    @staticmethod
    def _no_answer_to(slot: str, dispatcher: CollectingDispatcher, tracker: Tracker) -> Optional[Dict[Text, Any]]:
        """``{}`` when the message is no answer to ``slot`` (another question is open, or a rule answered the
        message); ``{slot: None}`` once a moment asked for ("1분만요") is acknowledged; ``None`` otherwise."""
        if tracker.get_slot("requested_slot") != slot or not _answering(tracker):
            return {}
        if asks_to_wait(_text(tracker)):
            dispatcher.utter_message(response="utter_take_your_time")
            return {slot: None}
        return None

    # -- order number -----------------------------------------------------------

    async def extract_order_number(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        """Read an order number from the text when the entity mapping found none."""
        if tracker.get_slot("requested_slot") != "order_number":
            return {}
        if _entity_texts(tracker, "order_number"):
            return {}
        found = normalize_order_number(_text(tracker))
        if found:
            return {"order_number": found}
        no_answer = self._no_answer_to("order_number", dispatcher, tracker)
        if no_answer is not None:
            return no_answer
        described = await self._described_order(dispatcher, tracker)
        if described is not None:
            return described
        if _DIGIT.search(_text(tracker)):
            return {"order_number": _text(tracker).strip()[:40]}
        if _is_answer(tracker):
            return {"order_number": None}
        return {}

    async def _described_order(
        self, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> Optional[Dict[Text, Any]]:
        """An order described by store, menu or time ("아까 BBQ에서 시킨 거요"): ``None`` when it is not one.

        Only a signed-in customer's own recent orders are searched. One order named by its store or
        menu is taken; otherwise the fitting orders (or, when none fits, the recent ones) are offered as
        buttons. Without a signed-in customer the bot says it needs the number.
        """
        text, now = _text(tracker), _message_time(tracker)
        customer = signed_customer(tracker, self.identity_key)
        if not customer:
            if not is_description(text, now):
                return None
            dispatcher.utter_message(response="utter_described_order_needs_number")
            return {"order_number": None}
        recent = await self.repository.recent_for_customer(customer, limit=DESCRIBED_ORDERS_SEARCHED)
        match = match_description(text, recent, now)
        if match is None:
            return None
        if match.sure:
            return {"order_number": match.orders[0].number}
        rules = self.services.rules
        if match.orders:
            dispatcher.utter_message(response="utter_pick_described_order",
                                     buttons=order_buttons(match.orders[:MAX_ORDER_BUTTONS], rules))
        elif recent:
            dispatcher.utter_message(response="utter_described_order_not_found",
                                     buttons=order_buttons(recent[:MAX_ORDER_BUTTONS], rules))
        else:
            dispatcher.utter_message(response="utter_no_recent_orders")
        return {"order_number": None}

    async def validate_order_number(
        self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        """Format; then, for a signed-in customer, existence and ownership at once.

        Without a signed-in customer nothing is said about the order yet: whether it
        exists is known only to the phone question's answer (no number can be probed).
        """
        if slot_value is None:
            return {"order_number": None}
        values = slot_value if isinstance(slot_value, list) else [slot_value]
        number = next((n for n in (normalize_order_number(str(v)) for v in values) if n), None)
        if number is None:
            return self._fail("order_number", tracker, dispatcher, "utter_order_number_invalid")
        if proof_for(tracker, number):  # this very order is proven already (not merely the slot's earlier one)
            return {"order_number": number}
        reset = problem.new_order(number)  # a new order is proven on its own: its digits are asked again
        customer = signed_customer(tracker, self.identity_key)
        if customer:
            order = await self.repository.get(number)
            if order is None or order.customer_id != customer:
                # the same answer whether the order is missing or someone else's
                return self._fail(
                    "order_number", tracker, dispatcher, "utter_order_not_in_account", order_number=number
                )
            return {**reset, **self._verified(order, dispatcher, tracker, "token")}
        lock = await self.checks.lockout(number, client_of(tracker, self.identity_key), self._now())
        if lock:
            return {**reset, **await self._locked_out(lock, dispatcher, tracker)}
        return reset

    # -- identity ---------------------------------------------------------------

    async def extract_phone_last4(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        """Four digits typed as the answer to the phone question."""
        no_answer = self._no_answer_to("phone_last4", dispatcher, tracker)
        if no_answer is not None:
            return no_answer
        text = _text(tracker)
        whole_number = phone_last_four(text)
        if whole_number:  # the whole phone number typed: only its last four are kept
            return {"phone_last4": whole_number}
        found = _FOUR_DIGITS.findall(text)
        if len(found) == 1 and not normalize_order_number(text):
            return {"phone_last4": found[0]}
        if _DIGIT.search(text):
            dispatcher.utter_message(response="utter_phone_last4_format")
            return {"phone_last4": None}
        return {}

    async def validate_phone_last4(
        self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        """Compare with the order's phone number; wrong digits and unknown orders get the same answer.

        Three wrong answers end the lookup; failures across conversations lock the order
        or the client out for a while (:mod:`actions.ownership_checks`).
        """
        if slot_value is None:
            return {"phone_last4": None}
        number = tracker.get_slot("order_number") or ""
        client, now = client_of(tracker, self.identity_key), self._now()
        reservation = await self.checks.reserve(number, client, now)
        if isinstance(reservation, str):  # no check left for this order or this client: locked out
            return await self._locked_out(reservation, dispatcher, tracker)
        order = await self.repository.get(number)
        if order is not None and hmac.compare_digest(str(slot_value), order.phone_last4()):
            await self.checks.release(reservation)
            return {"phone_last4": "****", **self._verified(order, dispatcher, tracker, "phone")}
        attempts = int(tracker.get_slot("phone_attempts") or 0) + 1
        logger.info("conversation %s: ownership not proven (attempt %d)", tracker.sender_id, attempts)
        lock = await self.checks.lockout(number, client, now)
        if lock:  # this failure took the last check
            return {"phone_attempts": attempts, **await self._locked_out(lock, dispatcher, tracker)}
        rules = self.services.rules
        if attempts >= rules.phone_attempts:
            dispatcher.utter_message(response="utter_lookup_failed")
            return {"phone_last4": None, "phone_attempts": attempts, "lookup_failed": True}
        dispatcher.utter_message(response="utter_phone_last4_wrong", attempts_left=rules.phone_attempts - attempts)
        return {"phone_last4": None, "phone_attempts": attempts}

    async def _locked_out(self, lock: str, dispatcher: CollectingDispatcher, tracker: Tracker) -> Dict[Text, Any]:
        """No more digits are checked for now; the first conversation to meet the lock-out gets a person."""
        if await self.checks.claim(lock, tracker.sender_id, self._now()):
            logger.warning("conversation %s: ownership checks locked out, handed to a person", tracker.sender_id)
            dispatcher.utter_message(response="utter_verification_locked_ticket")
            return {"phone_last4": None, "handoff_reason": "verification_locked"}
        logger.warning("conversation %s: ownership checks locked out", tracker.sender_id)
        dispatcher.utter_message(response="utter_verification_locked")
        return {"phone_last4": None, "lookup_failed": True}

    def _verified(
        self, order: Order, dispatcher: CollectingDispatcher, tracker: Tracker, proof: str
    ) -> Dict[Text, Any]:
        """The order is the customer's (``proof``: ``token`` or ``phone``): say what its records show."""
        finding = report_order(order, current_category(tracker), self._now(), dispatcher, self.services.rules,
                               tracker.get_slot("order_request"))
        return {"order_verified": proof_value(proof, order.number), "order_finding": finding}

    # -- time ---------------------------------------------------------------------

    async def extract_problem_time(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        """The answer to "when" resolved against the message's own time."""
        no_answer = self._no_answer_to("problem_time", dispatcher, tracker)
        if no_answer is not None:
            return no_answer
        value = parse_time(_text(tracker), _message_time(tracker))
        if value is not None:
            return {"problem_time": value.isoformat()}
        if _is_answer(tracker) or _DIGIT.search(_text(tracker)):
            dispatcher.utter_message(response="utter_problem_time_unclear")
            return {"problem_time": None}
        return {}

    async def validate_problem_time(
        self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        """Resolve the entity's text against the message's time; no future times."""
        if slot_value is None:
            return {"problem_time": None}
        texts = _entity_texts(tracker, "time")
        moment = _message_time(tracker)
        value = parse_time(texts[0], moment) if texts else None
        if value is None:
            try:
                value = datetime.fromisoformat(str(slot_value))
            except ValueError:
                return self._fail("problem_time", tracker, dispatcher, "utter_problem_time_unclear")
        if value > moment:
            return self._fail("problem_time", tracker, dispatcher, "utter_problem_time_unclear")
        return {"problem_time": value.isoformat()}

    # -- photos ---------------------------------------------------------------------

    async def extract_photos(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        """Images attached to the latest message (1 to the policy's maximum)."""
        images = attachments_of_latest_message(tracker)
        if not images:
            if tracker.get_slot("requested_slot") == "photos" and _is_answer(tracker):
                dispatcher.utter_message(response="utter_photos_missing")
                return {"photos": None}
            return {}
        maximum = self.services.rules.photos_max
        if len(images) > maximum:
            dispatcher.utter_message(response="utter_photos_too_many", maximum=maximum)
        return {"photos": images[:maximum]}

    async def validate_photos(
        self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        """Keep the photos; an empty list means the customer could not send one."""
        if slot_value is None:
            return {"photos": None}
        if slot_value:
            dispatcher.utter_message(response="utter_photos_received", count=len(slot_value))
        photos = await keep_photos(self.services.desk, list(slot_value), tracker.sender_id)
        return {"photos": photos}

    # -- resolution -----------------------------------------------------------------

    async def extract_resolution(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        """The remedy the customer chose, from a button or their own words."""
        if tracker.get_slot("requested_slot") != "resolution":
            return {}
        for entity in _message(tracker).get("entities", []):
            if entity.get("entity") == "resolution":
                return {"resolution": entity.get("value")}
        text = _text(tracker).lower()
        for word, value in RESOLUTION_WORDS:
            if word in text:
                return {"resolution": value}
        return {}

    async def validate_resolution(
        self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        """Only the remedies offered for this case."""
        category = current_category(tracker)
        allowed = ("wait", "refund") if category == "delay" else ("refund", "redelivery")
        if slot_value in allowed:
            return {"resolution": slot_value}
        return self._fail("resolution", tracker, dispatcher, "utter_resolution_unclear")

    # -- payment details ----------------------------------------------------------

    async def extract_payment_amount(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        """A bare number typed as the amount (``23000``) when no amount entity was found."""
        if _entity_texts(tracker, "amount"):
            return {}
        no_answer = self._no_answer_to("payment_amount", dispatcher, tracker)
        if no_answer is not None:
            return no_answer
        value = parse_amount(_text(tracker).replace("원", "").strip())
        if value is not None:
            return {"payment_amount": value}
        if _DIGIT.search(_text(tracker)):
            dispatcher.utter_message(response="utter_payment_amount_unclear")
            return {"payment_amount": None}
        return {}

    async def validate_payment_amount(
        self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        """A positive number of won."""
        if slot_value is None:
            return {"payment_amount": None}
        try:
            amount = int(float(slot_value))
        except (TypeError, ValueError):
            return self._fail("payment_amount", tracker, dispatcher, "utter_payment_amount_unclear")
        if not 0 < amount <= MAX_WON:
            return self._fail("payment_amount", tracker, dispatcher, "utter_payment_amount_unclear")
        return {"payment_amount": amount}

    async def extract_payment_method(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        """The payment method named in the answer."""
        if tracker.get_slot("requested_slot") != "payment_method":
            return {}
        text = _text(tracker).lower()
        for word, method in PAYMENT_METHODS:
            if word in text:
                return {"payment_method": method}
        if _is_answer(tracker) and 0 < len(text.strip()) <= 30:
            return {"payment_method": text.strip()}
        return {}

    async def extract_payment_time(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        """When the payment was approved, resolved against the message's time."""
        no_answer = self._no_answer_to("payment_time", dispatcher, tracker)
        if no_answer is not None:
            return no_answer
        value = parse_time(_text(tracker), _message_time(tracker))
        if value is not None:
            return {"payment_time": value.isoformat()}
        if _is_answer(tracker) or _DIGIT.search(_text(tracker)):
            dispatcher.utter_message(response="utter_problem_time_unclear")
            return {"payment_time": None}
        return {}

    # -- cancelling or changing the order (actions/order_request.py) -------------

    async def extract_requested_change(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        """What the customer wants changed, in their words ("주소를 101동 1203호로요")."""
        if tracker.get_slot("requested_slot") != "requested_change":
            return {}
        if _intent(tracker) in ("stop", "dont_know", "request_agent", "greet", "goodbye"):
            return {}
        text = " ".join(_text(tracker).split())
        said = opening_request(tracker)
        if said and points_back(text, _intent(tracker)):  # "처음 말씀하신 대로요": the opening words are the change
            return {"requested_change": said[:MAX_CHANGE]}
        return {"requested_change": text} if text else {}

    async def validate_requested_change(
        self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        """Some words of what to change, not more than the ticket holds."""
        text = str(slot_value or "").strip()
        if len(text) < 2 or len(text) > MAX_CHANGE:
            return self._fail("requested_change", tracker, dispatcher, "utter_requested_change_unclear",
                              maximum=MAX_CHANGE)
        return {"requested_change": text}

    async def extract_cancel_choice(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        """Cancel in the app, or have it done: from the buttons or the customer's words."""
        if tracker.get_slot("requested_slot") != "cancel_choice":
            return {}
        choice = cancel_choice_of(_intent(tracker), _text(tracker))
        return {"cancel_choice": choice} if choice else {}
