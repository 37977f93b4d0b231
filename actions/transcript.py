"""The conversation so far, as the desk stores it."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Dict, List, Optional

from rasa_sdk import Tracker


def _iso(timestamp: Optional[float]) -> Optional[str]:
    if timestamp is None:
        return None
    return datetime.fromtimestamp(timestamp, tz=timezone.utc).isoformat()


def transcript_from_tracker(tracker: Tracker) -> List[Dict[str, Any]]:
    """The customer's and the bot's messages of the current session, in order."""
    lines = []
    for event in tracker.events:
        kind = event.get("event")
        if kind == "session_started":
            lines = []
        elif kind in ("user", "bot") and (event.get("text") or "").strip():
            lines.append(
                {
                    "author": "customer" if kind == "user" else "bot",
                    "text": event["text"],
                    "sent_at": _iso(event.get("timestamp")),
                }
            )
    return lines


def latest_user_timestamp(tracker: Tracker) -> Optional[float]:
    """The time of the customer's latest message, if any."""
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            return event.get("timestamp")
    return None
