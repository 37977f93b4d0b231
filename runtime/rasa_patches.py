"""Every change this bot makes to Rasa's own code, in one place, checked at start-up.

Rasa 3.6 has no hook for these three, so :func:`install` replaces three of its
functions in the running process (Rasa imports :mod:`runtime` for the tracker
store named in ``endpoints.yml``, and that import calls it):

1. **Action guard** (``RemoteAction.run``): a call to the action server is bounded
   by ``ACTION_CALL_TIMEOUT`` seconds (default 10; a turn makes up to three calls,
   well inside the 60 s of Rasa's conversation lock). Rasa would log a failed call
   (server down, timeout, 5xx) and carry on as if it had returned nothing: the
   customer would get silence, and a hung action server would hold the lock for
   five minutes. Instead a failed call returns the response
   ``utter_action_unavailable`` (once per customer message) and applies none of
   the action's events, so the conversation continues where it was when the
   action server is back; a failed form validation (``validate_<form>``) also sets
   the slot ``action_failure`` so the form asks its question again;
   ``action_validate_slot_mappings`` (run inside slot extraction, whose messages are
   never sent) fails silently; a rejection (HTTP 400 from a form validation) is
   Rasa's normal flow and passes unchanged.
2. **Response check** (``RemoteAction._validate_action_result``): Rasa validates
   every action server response with ``jsonschema.validate``, which re-checks the
   *schema* against its meta-schema on every call (over a third of the server's
   time under load). The same validation, by a validator built once: a bad
   response still raises the same ``ValidationError`` with Rasa's message.
3. **Event lookup** (``Event.resolve_by_type``): Rasa walks every subclass of
   ``Event`` for each event it deserialises (a tenth of the server's time under
   load); each type name's class is remembered after its first lookup, and
   unknown names still get Rasa's own answer.

Before it changes anything, :func:`install` checks that this is the Rasa version
the patches were written for and that each function still has the signature
they expect; otherwise it raises :class:`RasaPatchError` and Rasa does not
start. ``tests/runtime/test_rasa_patches.py`` has a test per patch that fails
when its effect is gone.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import os
from typing import Any, Awaitable, Callable, Dict, List, Mapping, Optional, Text, Tuple, Type

import rasa
from jsonschema import ValidationError
from jsonschema.validators import validator_for
from rasa.core.actions.action import ActionExecutionRejection, RemoteAction, create_bot_utterance
from rasa.shared.constants import DOCS_BASE_URL
from rasa.shared.core.events import BotUttered, Event, SlotSet, UserUttered
from rasa.shared.exceptions import RasaException

logger = logging.getLogger(__name__)

RASA_VERSION = "3.6.21"
# the parameters each replaced function must still have
EXPECTED_SIGNATURES: Mapping[str, Tuple[str, ...]] = {
    "RemoteAction.run": ("self", "output_channel", "nlg", "tracker", "domain"),
    "RemoteAction._validate_action_result": ("result",),
    "Event.resolve_by_type": ("type_name", "default"),
}

UNAVAILABLE_RESPONSE = "utter_action_unavailable"
FAILURE_SLOT = "action_failure"
# Rasa runs this one inside slot extraction, where bot messages are dropped
SILENT_ACTIONS = frozenset({"action_validate_slot_mappings"})
DEFAULT_TIMEOUT_SECONDS = 10.0


class RasaPatchError(RuntimeError):
    """This Rasa is not the one the patches were written for; Rasa must not start with them."""


# -- the checks -----------------------------------------------------------------------------------


def _targets() -> Dict[str, Callable[..., Any]]:
    return {
        "RemoteAction.run": _original_run or RemoteAction.run,
        "RemoteAction._validate_action_result": _original_validate or RemoteAction._validate_action_result,
        "Event.resolve_by_type": _original_resolve or Event.resolve_by_type,
    }


def check_rasa(
    version: str, targets: Mapping[str, Callable[..., Any]], expected: Mapping[str, Tuple[str, ...]] = EXPECTED_SIGNATURES
) -> None:
    """Refuse a Rasa the patches were not written for.

    Raises:
        RasaPatchError: another version, or a patched function whose parameters changed.
    """
    if version != RASA_VERSION:
        raise RasaPatchError(
            f"runtime/rasa_patches.py was written for Rasa {RASA_VERSION}, this is Rasa {version}: check each patch "
            "against the new Rasa, then update RASA_VERSION and EXPECTED_SIGNATURES"
        )
    for name, parameters in expected.items():
        found = tuple(p for p in inspect.signature(targets[name]).parameters if p != "self" or "self" in parameters)
        if found != parameters:
            raise RasaPatchError(
                f"Rasa's {name} now takes {found}, the patch expects {parameters}: runtime/rasa_patches.py needs a look"
            )


# -- 1. the action guard ----------------------------------------------------------------------------

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


def already_apologised(tracker: Any) -> bool:
    """Whether the bot already said ``utter_action_unavailable`` since the customer's last message."""
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            return False
        if isinstance(event, BotUttered) and (event.metadata or {}).get("utter_action") == UNAVAILABLE_RESPONSE:
            return True
    return False


async def guarded_run(self: RemoteAction, output_channel: Any, nlg: Any, tracker: Any, domain: Any) -> List[Event]:
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


# -- 2. the response check --------------------------------------------------------------------------

_original_validate: Optional[Callable[..., bool]] = None
_validator: Optional[Any] = None


def response_validator() -> Any:
    """The validator of Rasa's action response schema (the schema checked once, here)."""
    global _validator
    if _validator is None:
        schema = RemoteAction.action_response_format_spec()
        cls = validator_for(schema)
        cls.check_schema(schema)
        _validator = cls(schema)
    return _validator


def validate_action_result(_action: RemoteAction, result: Dict[Text, Any]) -> bool:
    """Rasa's check of one action server response, with the prepared validator."""
    try:
        response_validator().validate(result)
    except ValidationError as error:
        error.message += (
            ". Failed to validate Action server response from API, make sure your response from the "
            f"Action endpoint is valid. For more information about the format visit {DOCS_BASE_URL}/custom-actions"
        )
        raise error
    return True


# -- 3. the event lookup ----------------------------------------------------------------------------

_original_resolve: Optional[Callable[..., Optional[Type[Event]]]] = None
_known: Dict[Text, Type[Event]] = {}


def resolve_by_type(type_name: Text, default: Optional[Type[Event]] = None) -> Optional[Type[Event]]:
    """The event class of ``type_name``, as Rasa's ``Event.resolve_by_type`` answers it."""
    assert _original_resolve is not None
    found = _known.get(type_name)
    if found is not None:
        return found
    try:
        found = _original_resolve(type_name, None)
    except ValueError:
        found = None
    if found is not None:
        _known[type_name] = found
        return found
    return _original_resolve(type_name, default)


# -- installing ------------------------------------------------------------------------------------


def installed() -> bool:
    """Whether the patches are in place in this process."""
    return _original_run is not None


def install(version: Optional[str] = None) -> None:
    """Check Rasa, then put the three patches in place; calling it again changes nothing.

    Raises:
        RasaPatchError: when this Rasa is not the one the patches were written for.
    """
    global _original_run, _original_validate, _original_resolve
    if installed():
        return
    check_rasa(version or rasa.__version__, _targets())
    _original_run = RemoteAction.run
    _original_validate = RemoteAction._validate_action_result
    _original_resolve = Event.resolve_by_type
    RemoteAction.run = guarded_run  # type: ignore[assignment]
    RemoteAction._validate_action_result = validate_action_result  # type: ignore[assignment]
    Event.resolve_by_type = staticmethod(resolve_by_type)  # type: ignore[assignment]
    logger.debug("Rasa %s patched: action guard, response check, event lookup", RASA_VERSION)
