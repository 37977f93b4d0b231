"""The conversation so far, as the desk stores it."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Dict, List, Optional

from rasa_sdk import Tracker

from contract.vocabulary import MAX_LINE, MAX_LINES
from support.pii import mask
from support.storable_text import storable



def _iso(timestamp: Optional[float]) -> Optional[str]:
    if timestamp is None:
        return None
    return datetime.fromtimestamp(timestamp, tz=timezone.utc).isoformat()


# What a tapped button said, for the agent (payloads like /inform{"resolution": "refund"}).
BUTTON_LABELS = {
    "delay": "배달이 늦어요",
    "quality": "음식에 문제가 있어요",
    "payment": "결제가 이상해요",
    "request_agent": "상담원 연결",
    "dont_know": "모르겠어요 / 보낼 수 없어요",
    "stop": "그만하기",
    "deny": "건너뛰기",
}
ENTITY_LABELS = {
    ("resolution", "wait"): "계속 기다리기",
    ("resolution", "refund"): "환불 요청",
    ("resolution", "redelivery"): "재배달 요청",
}


def readable(event: Dict[str, Any]) -> str:
    """A customer message as the agent should read it: button payloads become their labels."""
    text = event.get("text") or ""
    if not text.startswith("/"):
        return text
    parse = event.get("parse_data") or {}
    for entity in parse.get("entities") or []:
        name, value = entity.get("entity"), entity.get("value")
        if (name, value) in ENTITY_LABELS:
            return f"[버튼] {ENTITY_LABELS[(name, value)]}"
        if name == "survey_rating":
            return f"[버튼] 만족도 {value}점"
        if name == "order_number":
            return f"[버튼] 주문 {value}"
    intent = (parse.get("intent") or {}).get("name")
    return f"[버튼] {BUTTON_LABELS[intent]}" if intent in BUTTON_LABELS else text


def transcript_from_tracker(tracker: Tracker) -> List[Dict[str, Any]]:
    """The customer's and the bot's messages of the current session, in order, masked.

    Phones, cards, 주민등록번호, e-mail and addresses are masked here
    (:func:`support.pii.mask`), so they never leave for the desk or the ticket outbox.
    Lines are made storable (no NUL, no unpaired surrogate: :mod:`support.storable_text`)
    and cut to :data:`MAX_LINE` characters; only the latest :data:`MAX_LINES` lines are kept.
    """
    lines = []
    for event in tracker.events:
        kind = event.get("event")
        if kind == "session_started":
            lines = []
        elif kind in ("user", "bot") and (event.get("text") or "").strip():
            lines.append(
                {
                    "author": "customer" if kind == "user" else "bot",
                    "text": mask(storable(readable(event) if kind == "user" else event["text"]))[:MAX_LINE],
                    "sent_at": _iso(event.get("timestamp")),
                }
            )
    return lines[-MAX_LINES:]


def latest_user_timestamp(tracker: Tracker) -> Optional[float]:
    """The time of the customer's latest message, if any."""
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            return event.get("timestamp")
    return None
