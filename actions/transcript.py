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


BUTTON_MARK = "[버튼] "  # how the agent sees that the customer tapped a button rather than typed


def offered_buttons(event: Dict[str, Any], offered: Dict[str, str]) -> None:
    """Note in ``offered`` (payload → title) the buttons a bot message showed."""
    data = event.get("data")
    buttons = data.get("buttons") if isinstance(data, dict) else None
    for button in buttons if isinstance(buttons, list) else []:
        if isinstance(button, dict) and isinstance(button.get("payload"), str) and isinstance(button.get("title"), str):
            offered[button["payload"]] = button["title"]


def readable(event: Dict[str, Any], offered: Dict[str, str]) -> str:
    """A customer message as the agent should read it: a tapped button's payload becomes the title the
    customer saw on it (``offered``: the buttons shown so far in the session)."""
    text = event.get("text") or ""
    if text.startswith("/") and text in offered:
        return BUTTON_MARK + offered[text]
    return text


def transcript_from_tracker(tracker: Tracker) -> List[Dict[str, Any]]:
    """The customer's and the bot's messages of the current session, in order, masked.

    Phones, cards, 주민등록번호, e-mail and addresses are masked here
    (:func:`support.pii.mask`), so they never leave for the desk or the ticket outbox.
    Lines are made storable (no NUL, no unpaired surrogate: :mod:`support.storable_text`)
    and cut to :data:`MAX_LINE` characters; only the latest :data:`MAX_LINES` lines are kept.
    """
    lines: List[Dict[str, Any]] = []
    offered: Dict[str, str] = {}
    for event in tracker.events:
        kind = event.get("event")
        if kind == "session_started":
            lines, offered = [], {}
        if kind == "bot":
            offered_buttons(event, offered)
        if kind in ("user", "bot") and (event.get("text") or "").strip():
            lines.append(
                {
                    "author": "customer" if kind == "user" else "bot",
                    "text": mask(storable(readable(event, offered) if kind == "user" else event["text"]))[:MAX_LINE],
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
