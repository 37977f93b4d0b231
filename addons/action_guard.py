"""Answer the customer when the action server cannot run a custom action.

Rasa 3.6 logs a failed custom action (server down, timeout, 5xx) and carries
on as if it had returned nothing: the customer gets silence, and a hung action
server holds the conversation's lock for up to five minutes (Rasa's own request
timeout). Rasa has no hook for this, so :func:`install` wraps
``RemoteAction.run`` once per process:

- the call is bounded by ``ACTION_CALL_TIMEOUT`` seconds (default 10; a turn makes
  up to three calls, well inside the 60 s of Rasa's conversation lock);
- a failed call returns the response ``utter_action_unavailable`` (once per
  customer message) instead of nothing, so the customer is told to send the
  message again; the action's events are not applied, so the conversation
  stays where it was and continues when the action server is back;
- a failed form validation (``validate_<form>``) also sets the slot
  ``action_failure``: Rasa's form would otherwise reject itself (nothing
  validated) and the bot would fall back; this way the form asks its question
  again;
- ``action_validate_slot_mappings`` (run by Rasa inside slot extraction, whose
  messages are never sent) fails silently; a later action apologises;
- a rejection (HTTP 400 from a form validation) is Rasa's normal flow and is
  passed on unchanged.
"""

from __future__ import annotations

import asyncio
import logging
import os
from typing import Any, Awaitable, Callable, List, Optional

from rasa.core.actions.action import ActionExecutionRejection, RemoteAction, create_bot_utterance
from rasa.shared.core.events import BotUttered, Event, SlotSet, UserUttered
from rasa.shared.exceptions import RasaException

logger = logging.getLogger(__name__)

UNAVAILABLE_RESPONSE = "utter_action_unavailable"
FAILURE_SLOT = "action_failure"
# Rasa runs this one inside slot extraction, where bot messages are dropped
SILENT_ACTIONS = frozenset({"action_validate_slot_mappings"})
DEFAULT_TIMEOUT_SECONDS = 10.0

_original_run: Optional[Callable[..., Awaitable[List[Event]]]] = None


def call_timeout() -> float:
    """Seconds a custom action may take: ``ACTION_CALL_TIMEOUT``, default 10."""
    raw = os.environ.get("ACTION_CALL_TIMEOUT", "")
    try:
        value = float(raw) if raw.strip() else DEFAULT_TIMEOUT_SECONDS
    except ValueError:
        logger.warning("ACTION_CALL_TIMEOUT=%r is not a number; using %s s", raw, DEFAULT_TIMEOUT_SECONDS)
        return DEFAULT_TIMEOUT_SECONDS
    return value if value > 0 else DEFAULT_TIMEOUT_SECONDS


def install() -> None:
    """Wrap ``RemoteAction.run`` with the guard; calling it again changes nothing."""
    global _original_run
    if _original_run is not None:
        return
    _original_run = RemoteAction.run
    RemoteAction.run = _guarded_run  # type: ignore[assignment]


def already_apologised(tracker: Any) -> bool:
    """Whether the bot already said ``utter_action_unavailable`` since the customer's last message."""
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            return False
        if isinstance(event, BotUttered) and (event.metadata or {}).get("utter_action") == UNAVAILABLE_RESPONSE:
            return True
    return False


async def _guarded_run(self: RemoteAction, output_channel: Any, nlg: Any, tracker: Any, domain: Any) -> List[Event]:
    """``RemoteAction.run`` bounded in time; a failure becomes a polite message."""
    assert _original_run is not None
    try:
        return await asyncio.wait_for(_original_run(self, output_channel, nlg, tracker, domain), call_timeout())
    except ActionExecutionRejection:
        raise
    except (RasaException, asyncio.TimeoutError) as error:
        reason = "timed out" if isinstance(error, asyncio.TimeoutError) else str(error)
        logger.error("custom action %s failed for conversation %s: %s", self.name(), tracker.sender_id, reason)
        if self.name() in SILENT_ACTIONS:
            return []
        events: List[Event] = []
        if not already_apologised(tracker):
            response = await nlg.generate(UNAVAILABLE_RESPONSE, tracker, output_channel.name())
            if response:
                response["utter_action"] = UNAVAILABLE_RESPONSE
                events.append(create_bot_utterance(response))
        if self.name().startswith("validate_") and any(slot.name == FAILURE_SLOT for slot in domain.slots):
            events.append(SlotSet(FAILURE_SLOT, self.name()))
        return events
