"""Every intent the bot knows, and the problem category each one belongs to.

This map is the one place the code (ticket category, NLU evaluation) and the
docs (README, "Intents") take the intents' categories from. An intent maps to
one of the four categories of ``contract/vocabulary.py`` or is conversational (``None``). ``other`` is a retrieval
intent: its sub-intents ``other/<topic>`` are the FAQ topics.
"""

from __future__ import annotations

from typing import Dict, Optional


INTENT_CATEGORY: Dict[str, Optional[str]] = {
    "delay": "delay",
    "quality": "quality",
    "payment": "payment",
    "other": "other",
    "greet": None,
    "goodbye": None,
    "thank": None,
    "affirm": None,
    "deny": None,
    "request_agent": None,
    "inform": None,
    "stop": None,
    "dont_know": None,
    "hold_on": None,
    "cancel_order": "other",
    "change_order": "other",
    "out_of_scope": None,
    "agent_reply": None,
    "ticket_resolved": None,
}

INTENT_DESCRIPTIONS: Dict[str, str] = {
    "delay": "food not arrived, late, stuck status, rider not moving, delivered but not received, no rider, ETA",
    "quality": "cold/soggy/spoiled/undercooked food, foreign objects, spills, wrong or missing items, portions, ignored requests",
    "payment": "failed or double charges, charged without order, coupons, points, local currency, refunds, cancellations, wrong amounts",
    "other": "FAQ topics other/<topic>: account, app, address and settings, store info, hours, contact channels, "
    "what to prepare, email response time, order history, receipts, delivery fees, coupons and points, minimum order, "
    "partnership, rider recruitment, complaints about people, reviews, chit-chat",
    "greet": "hello",
    "goodbye": "bye",
    "thank": "thanks",
    "affirm": "yes",
    "deny": "no",
    "request_agent": "asks for a human agent",
    "inform": "answers with an order number, a time or an amount",
    "stop": "wants to stop the current step",
    "dont_know": "cannot give what was asked (no order number, no photo)",
    "hold_on": "needs a moment (잠시만요, 찾아볼게요): the open question waits",
    "cancel_order": "wants to cancel an order that was placed (what is possible depends on its state)",
    "change_order": "wants to change an order that was placed: address, menu, request note",
    "out_of_scope": "text not addressed to support: pasted text, a message meant for someone else, off-topic questions",
    "agent_reply": "sent by the desk through Rasa's API: an agent's reply to push to the customer",
    "ticket_resolved": "sent by the desk through Rasa's API: the ticket was resolved, the bot takes over",
}


def base_intent(intent: Optional[str]) -> Optional[str]:
    """``other/hours`` → ``other``; other names unchanged."""
    if not intent:
        return intent
    return intent.split("/", 1)[0]


def category_of(intent: Optional[str]) -> Optional[str]:
    """The problem category of an intent (``None`` for conversational or unknown ones)."""
    return INTENT_CATEGORY.get(base_intent(intent) or "")
