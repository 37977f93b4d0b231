"""Handing a conversation to a person: the ticket in the desk, with everything collected."""

from __future__ import annotations

import logging
from datetime import datetime, timezone
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import problem
from actions.category import current_category
from actions.business_rules import BusinessRules
from actions.desk_client import DeskClient, DeskRejected, DeskUnavailable
from actions.identity import signed_customer
from actions.order_access import finding_of, is_verified
from actions.order_facts import day_and_clock
from actions.order_request import requested_change
from actions.services import Services, UsesServices
from actions.transcript import latest_user_timestamp, transcript_from_tracker
from contract.requests import idempotency_key as idempotency_key_of
from contract.vocabulary import CATEGORY_LABELS, MAX_SUMMARY

logger = logging.getLogger(__name__)

# channels that notify the customer of an agent's reply themselves (Messenger pushes it to her phone)
NOTIFYING_CHANNELS = ("facebook",)

# handoff_ticket while the ticket waits in the outbox for the desk
PENDING_TICKET = "pending"
# what the agent reads on the ticket (agent-facing; the customer's words are in domain.yml and support/customer_texts.py)
REQUESTED_RESOLUTIONS = {
    "wait": "계속 기다리기",
    "refund": "환불 요청",
    "redelivery": "재배달 요청",
    "confirm_not_received": "미수령 확인",
    "cancel_double_charge": "중복 결제 취소",
    "cancel_charge": "결제 취소",
    "refund_difference": "차액 확인 및 환불",
}
REASON_NOTES = {
    "lookup_failed": "본인 확인(휴대폰 뒷자리)에 실패함",
    "verification_locked": "본인 확인 실패가 여러 대화에 걸쳐 쌓여 확인을 잠시 멈춤(무단 조회 시도일 수 있음)",
    "validation_failed": "같은 질문에 여러 번 답을 확인하지 못함",
    "not_understood": "봇이 두 번 연속 이해하지 못함",
    "customer_request": "고객이 상담원 연결을 요청함",
    "delivered_not_received": "배달완료로 표시됐지만 고객이 받지 못함",
    "escalation_manager": "⚠ 고객이 책임자 연결을 요구함",
    "escalation_swearing": "⚠ 고객이 욕설을 함(크게 화가 남)",
    "escalation_anger": "⚠ 고객이 크게 화가 남",
    "escalation_repeated": "⚠ 고객이 같은 문제를 세 번 말함",
    "cancel_request": "주문 취소 요청(가게 조리 전)",
    "cancel_cooking": "⚠ 조리 중인 주문의 취소 요청: 가게 동의가 필요하고 시간이 급함",
    "change_request": "주문 변경 요청(가게 조리 전)",
    "change_cooking": "⚠ 조리 중인 주문의 변경 요청: 가게 동의가 필요함",
    "change_on_the_way": "⚠ 배달 중인 주문의 변경 요청: 라이더에게 전달할 수 있는지 확인",
}


def clear_problem_slots() -> List[Dict[Text, Any]]:
    """Events that forget the current problem (:func:`actions.problem.forget_all`)."""
    return [SlotSet(name, value) for name, value in problem.forget_all().items()]


def _notes(tracker: Tracker, reason: str) -> List[str]:
    notes = []
    if reason in REASON_NOTES:
        notes.append(REASON_NOTES[reason])
    if tracker.get_slot("order_unknown"):
        notes.append("고객이 주문번호를 몰라 주문번호 없이 접수")
    elif tracker.get_slot("order_number") and not is_verified(tracker):
        notes.append("주문번호 본인 확인 전")
    if tracker.get_slot("photos") == [] or tracker.get_slot("photos_unavailable"):
        notes.append("고객이 사진을 보낼 수 없다고 함")
    also = [CATEGORY_LABELS.get(c, c) for c in tracker.get_slot("also_problems") or []]
    if also:
        notes.append(f"함께 말한 문제: {', '.join(also)}")
    return notes


def payment_details(tracker: Tracker) -> Optional[Dict[str, Any]]:
    """Amount, method and approval time the customer gave, and what the records showed."""
    details = {
        "amount": tracker.get_slot("payment_amount"),
        "method": tracker.get_slot("payment_method"),
        "approved_at": tracker.get_slot("payment_time"),
        "finding": finding_of(tracker) if current_category(tracker) == "payment" else None,
    }
    details = {key: value for key, value in details.items() if value is not None}
    return details or None


def ticket_payload(
    services: Services, tracker: Tracker, reason: str = "customer_request", resolution: Optional[str] = None
) -> Dict[str, Any]:
    """What the desk needs to know, from the conversation's slots and events."""
    category = current_category(tracker)
    transcript = transcript_from_tracker(tracker)
    customer_lines = [line["text"] for line in transcript if line["author"] == "customer"]
    notes = _notes(tracker, reason)
    summary = " / ".join(customer_lines)
    summary = with_note(summary, "; ".join(notes)) if notes else summary[:MAX_SUMMARY]
    resolution = resolution or tracker.get_slot("resolution")
    return {
        "category": category,
        "priority": services.rules.priority(reason),
        "channel": tracker.get_latest_input_channel() or "unknown",
        "sender_id": tracker.sender_id,
        "customer_id": signed_customer(tracker, services.settings.identity_key),
        "order_number": tracker.get_slot("order_number") if not tracker.get_slot("order_unknown") else None,
        "problem_time": tracker.get_slot("problem_time"),
        "requested_resolution": REQUESTED_RESOLUTIONS.get(resolution, resolution),
        "payment_details": payment_details(tracker),
        "requested_change": requested_change(tracker),
        "handoff_reason": REASON_NOTES.get(reason),
        "summary": summary,
        "transcript": transcript,
    }


def with_note(summary: str, note: str) -> str:
    """``summary`` with ``[note]`` in front, still within the desk's limit."""
    return f"[{note}] {summary}"[:MAX_SUMMARY]


def idempotency_key(tracker: Tracker, reason: str = "") -> str:
    """The same for every retry of one handoff: sender, triggering message, reason."""
    return idempotency_key_of(tracker.sender_id, latest_user_timestamp(tracker), reason)


async def _attachment_ids(client: DeskClient, tracker: Tracker, payload: Dict[str, Any]) -> List[str]:
    """Desk ids of the customer's photos; photos the desk could not fetch are noted."""
    ids, failed = [], 0
    for photo in tracker.get_slot("photos") or []:
        if photo.get("id"):
            ids.append(photo["id"])
            continue
        try:
            ids.append((await client.fetch_attachment(photo["url"])).id)
        except DeskUnavailable as exc:
            failed += 1
            logger.warning("photo of conversation %s not fetched: %s", tracker.sender_id, exc)
    if failed:
        payload["summary"] = with_note(payload["summary"], f"사진 {failed}장을 가져오지 못함")
    return ids


def tell_when_answered(dispatcher: CollectingDispatcher, rules: BusinessRules, now: Optional[datetime] = None) -> None:
    """When a person will answer: soon in business hours, else the next opening."""
    now = now or datetime.now(timezone.utc)
    if rules.is_open(now):
        dispatcher.utter_message(
            response="utter_handoff_in_hours", minutes=int(rules.first_answer.total_seconds() // 60)
        )
    else:
        dispatcher.utter_message(
            response="utter_handoff_after_hours", next_opening=day_and_clock(rules.next_opening(now), rules)
        )


async def open_ticket(
    services: Services,
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    reason: str,
    resolution: Optional[str] = None,
) -> List[Dict[Text, Any]]:
    """Create the ticket, tell the customer its number and when a person answers."""
    client = services.desk
    payload = ticket_payload(services, tracker, reason, resolution)
    key = idempotency_key(tracker, reason)
    try:
        attachments = await _attachment_ids(client, tracker, payload)
        if attachments:
            payload["attachments"] = attachments
        try:
            ticket = await client.create_ticket(payload, key)
        except DeskRejected:
            if not attachments:
                raise
            # photos the desk does not know: keep the ticket, note the photos
            logger.warning("conversation %s: desk refused photo ids %s", tracker.sender_id, attachments)
            payload.pop("attachments")
            payload["summary"] = with_note(payload["summary"], f"고객이 보낸 사진 {len(attachments)}장을 확인하지 못함")
            ticket = await client.create_ticket(payload, key)
    except DeskRejected as exc:
        logger.error("ticket for conversation %s refused by the desk: %s", tracker.sender_id, exc)
        dispatcher.utter_message(response="utter_desk_unavailable")
        return []
    except DeskUnavailable as exc:
        logger.error("desk unreachable for conversation %s, ticket queued: %s", tracker.sender_id, exc)
        await services.outbox.keep(payload, key)
        dispatcher.utter_message(response="utter_ticket_queued")
        return [SlotSet("handoff_ticket", PENDING_TICKET), *clear_problem_slots()]
    logger.info(
        "conversation %s handed off as %s (category=%s reason=%s priority=%s)",
        tracker.sender_id, ticket.number, payload["category"], reason, payload["priority"],
    )
    dispatcher.utter_message(response="utter_ticket_created", ticket_number=ticket.number)
    tell_when_answered(dispatcher, services.rules)
    if ticket.email_updates and tracker.get_latest_input_channel() not in NOTIFYING_CHANNELS:
        # a customer who closes the chat still learns the answer, and keeps a written record
        dispatcher.utter_message(response="utter_offer_email")
    return [
        SlotSet("ticket_number", ticket.number),
        SlotSet("handoff_ticket", ticket.number),
        *clear_problem_slots(),
    ]


class ActionCreateTicket(UsesServices, Action):
    """Hand the conversation to a person at the customer's request (or when the bot is stuck)."""

    def name(self) -> Text:
        """The action's name in the domain."""
        return "action_create_ticket"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[Text, Any]]:
        """Post the ticket; on success share its number, otherwise apologise clearly."""
        reason = tracker.get_slot("handoff_reason") or "customer_request"
        return await open_ticket(self.services, dispatcher, tracker, reason)
