"""Action calls checked before rasa-sdk runs them: a clear 400 (or 413), never a 500.

rasa-sdk answers a body that is not an object, a call without a tracker or a
tracker whose events are not objects with a 500 that echoes the whole request
(the conversation's text) back, and it inflates a ``Content-Encoding: deflate``
body without a limit. :func:`checked_call` decodes the body (inflating at most
:data:`MAX_CALL_BYTES`) and checks the shape every action relies on; the answer
to a bad call names the problem and never repeats the body.

Hand-written rather than a pydantic model: this runs on the event loop for every
action call, and a pydantic model took 4.5 ms for a 300-event tracker against
0.5 ms here (15 ms against 1.2 ms at 1,000 events).
"""

from __future__ import annotations

import json
import zlib
from typing import Any, Dict, Optional

from support.coded_errors import StatusError

MAX_CALL_BYTES = 32 * 1024 * 1024  # a long conversation's tracker is a few megabytes


class CallRefused(StatusError):
    """The body is not an action call; ``status`` and ``code`` say how to answer."""


def _inflate(body: bytes) -> bytes:
    inflater = zlib.decompressobj()
    try:
        data = inflater.decompress(body, MAX_CALL_BYTES + 1)
    except zlib.error as exc:
        raise CallRefused(400, "invalid_body", "The deflate-encoded body is corrupt.") from exc
    if len(data) > MAX_CALL_BYTES or inflater.unconsumed_tail:
        raise CallRefused(413, "too_large", f"An action call may inflate to at most {MAX_CALL_BYTES} bytes.")
    if not inflater.eof:
        raise CallRefused(400, "invalid_body", "The deflate-encoded body is truncated.")
    return data


def _kind(value: Any, kinds: tuple) -> bool:
    """``value`` is absent (None) or one of ``kinds`` (a bool counts only where ``bool`` is named)."""
    if value is None:
        return True
    if isinstance(value, bool):
        return bool in kinds
    return isinstance(value, kinds)


def _problem_in_tracker(tracker: Any) -> Optional[str]:
    if not isinstance(tracker, dict):
        return "tracker must be an object"
    if not isinstance(tracker.get("sender_id"), str) or not tracker["sender_id"]:
        return "tracker.sender_id must be a non-empty string"
    for key, kinds in (("slots", (dict,)), ("latest_message", (dict,)), ("active_loop", (dict,)),
                       ("followup_action", (str,)), ("latest_action_name", (str,)), ("paused", (bool,))):
        if not _kind(tracker.get(key), kinds):
            return f"tracker.{key} has the wrong type"
    events = tracker.get("events")
    if events is not None and not isinstance(events, list):
        return "tracker.events must be a list"
    for event in events or []:
        if not isinstance(event, dict) or not isinstance(event.get("event"), str):
            return "every tracker event must be an object with an 'event' name"
        for key, kinds in (("text", (str,)), ("parse_data", (dict,)), ("timestamp", (int, float)),
                           ("metadata", (dict,)), ("name", (str,))):
            if not _kind(event.get(key), kinds):
                return f"a tracker event's {key} has the wrong type"
    latest = tracker.get("latest_message") or {}
    for key, kinds in (("text", (str,)), ("intent", (dict,)), ("entities", (list,)), ("metadata", (dict,))):
        if not _kind(latest.get(key), kinds):
            return f"tracker.latest_message.{key} has the wrong type"
    if not all(isinstance(entity, dict) for entity in latest.get("entities") or []):
        return "tracker.latest_message.entities must be objects"
    return None


def problem_in_call(call: Any) -> Optional[str]:
    """What is wrong with a decoded action call, or None."""
    if not isinstance(call, dict):
        return "the body must be a JSON object"
    if not isinstance(call.get("next_action"), str) or not call["next_action"]:
        return "next_action must be a non-empty string"
    for key, kinds in (("domain", (dict,)), ("version", (str,)), ("sender_id", (str,))):
        if not _kind(call.get(key), kinds):
            return f"{key} has the wrong type"
    return _problem_in_tracker(call.get("tracker"))


def checked_call(body: bytes, content_encoding: Optional[str]) -> Dict[str, Any]:
    """The action call in ``body``.

    Raises:
        CallRefused: 413 when it inflates beyond :data:`MAX_CALL_BYTES`, 400 for
            anything that is not a well-formed action call.
    """
    data = _inflate(body) if content_encoding == "deflate" else body
    try:
        call = json.loads(data or b"")
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        raise CallRefused(400, "invalid_body", "The body is not valid JSON.") from exc
    problem = problem_in_call(call)
    if problem is not None:
        raise CallRefused(400, "invalid_action_call", problem)
    return call
