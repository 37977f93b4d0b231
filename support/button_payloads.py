"""The payloads the bot's own buttons send, and nothing else a customer may send as an intent.

Rasa reads a message such as ``/payment`` or ``/inform{"resolution": "refund"}``
as an intent with entities, without the NLU. The bot's buttons use that form
(``domain.yml``, the recent-order buttons of ``actions/dialogue.py``), so a tap
must keep working; but a customer can type the same form, and some intents are
the desk's alone (``agent_reply``, ``ticket_resolved``). Every input channel
therefore lets a message through as an intent only when it is one of the
payloads below, with a valid value; any other text in that form reaches the bot
as ordinary text (:func:`as_customer_text`).

``tests/support/test_button_payloads.py`` checks that every button of the domain
is accepted here, so a new button cannot be forgotten.
"""

from __future__ import annotations

import json
import re
from typing import Any, Callable, Dict

from support.order_numbers import ORDER_NUMBER_PATTERN, normalize_order_number

# intents a button sends without entities ("greet": a platform's "get started" button, e.g. Messenger's)
# "goodbye": the "괜찮아요" of the next-problem offer (actions/resolve.py); "affirm" and "deny": the two choices
# for an order the store has not started on, cancel it for me or I cancel it in the app (actions/order_request.py)
BUTTON_INTENTS = frozenset({
    "greet", "delay", "quality", "payment", "request_agent", "dont_know", "stop", "deny", "goodbye", "affirm",
})


def _one_of(*values: str) -> Callable[[Any], bool]:
    allowed = frozenset(values)
    return lambda value: isinstance(value, str) and value in allowed


def _canonical_order_number(value: Any) -> bool:
    return isinstance(value, str) and ORDER_NUMBER_PATTERN.fullmatch(value) is not None and (
        normalize_order_number(value) == value
    )


# /inform{"<entity>": <value>}: the entity each button sets and the values it may carry
INFORM_ENTITIES: Dict[str, Callable[[Any], bool]] = {
    "resolution": _one_of("wait", "refund", "redelivery"),
    "survey_rating": _one_of("1", "2", "3", "4", "5"),
    "order_number": _canonical_order_number,
}

# what Rasa would take as an intent: "/" + a name up to "{" or "@" (its own pattern, less strict)
_INTENT_FORM = re.compile(r"^/(?P<name>[^{@]*)(?P<rest>.*)$", re.DOTALL)
_NAME = re.compile(r"[A-Za-z0-9_/.-]+")
_FULLWIDTH_SOLIDUS = "\uff0f"


def order_choice(number: str) -> str:
    """The payload of a button that picks the order ``number`` (canonical form)."""
    return "/inform" + json.dumps({"order_number": number}, ensure_ascii=False)


def looks_like_intent(text: str) -> bool:
    """Whether Rasa could read ``text`` as an intent (``/name…``) instead of words."""
    match = _INTENT_FORM.match(text.strip())
    return bool(match) and bool(_NAME.fullmatch(match.group("name").strip()))


def is_offered(text: str) -> bool:
    """Whether ``text`` is exactly a payload one of the bot's buttons sends."""
    match = _INTENT_FORM.match(text.strip())
    if not match:
        return False
    name, rest = match.group("name"), match.group("rest")
    if name in BUTTON_INTENTS:
        return rest == ""
    if name != "inform" or not rest.startswith("{"):
        return False
    try:
        entities = json.loads(rest)
    except (ValueError, RecursionError):
        return False
    if not isinstance(entities, dict) or len(entities) != 1:
        return False
    (entity, value), = entities.items()
    check = INFORM_ENTITIES.get(entity)
    return check is not None and check(value)


def as_customer_text(text: str) -> str:
    """``text`` unchanged, unless it is in intent form without being a button's payload.

    Then its leading ``/`` becomes a full-width ``／``: the bot reads (and agents see)
    the customer's words, and Rasa no longer takes them for an intent.
    """
    if not looks_like_intent(text) or is_offered(text):
        return text
    start = len(text) - len(text.lstrip())
    return text[:start] + _FULLWIDTH_SOLIDUS + text[start + 1:]
