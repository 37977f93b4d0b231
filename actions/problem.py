"""The problem a customer reports, in one place: its slots, what each category asks, what each turn resets.

A problem is worked on by the problem form (:mod:`actions.problem_form`), may
switch category or be corrected on the way (:mod:`actions.dialogue`), and ends
in an answer or a ticket (:mod:`actions.resolve`, :mod:`actions.handoff`). All of
them read this module; a new slot of the problem is added here (and declared in
``domain.yml``, which ``tests/actions/test_problem.py`` checks).
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Tuple

from contract.vocabulary import CATEGORIES

# the order and the proof that it is the customer's
ORDER_SLOTS = ("order_number", "order_unknown", "recent_offered")
PROOF_SLOTS = ("order_verified", "order_finding", "phone_last4", "phone_attempts", "lookup_failed")
# what the categories ask; a topic switch forgets these (the order and its proof stay)
DETAIL_SLOTS = (
    "problem_time", "photos", "photos_unavailable", "resolution", "payment_amount", "payment_method", "payment_time",
    "requested_change", "cancel_choice",
)
# how the form is going
# (also_problems: the other problems the customer named at the start, taken after this one; a switch keeps them;
# order_request: "cancel" or "change" when the customer asks to cancel or change the order, :mod:`actions.order_request`)
PROGRESS_SLOTS = ("failed_validations", "handoff_reason", "form_category", "also_problems", "order_request")
# every slot of one problem: forgotten once the problem ends in an answer or a ticket (who the customer is stays)
ALL_SLOTS = ORDER_SLOTS + PROOF_SLOTS + DETAIL_SLOTS + PROGRESS_SLOTS
# the categories a problem is worked on in (the rest is answered from the FAQ or handed to a person)
PROBLEM_CATEGORIES = tuple(category for category in CATEGORIES if category != "other")

# what a customer names when correcting an answer ("아 주문번호 잘못 말했어요"), and the slots it forgets
CORRECTIONS: Tuple[Tuple[str, Tuple[str, ...]], ...] = (
    ("주문번호", ("order_number", "order_verified", "order_finding", "resolution", "phone_last4", "phone_attempts")),
    ("금액", ("payment_amount",)),
    ("결제수단", ("payment_method",)),
    ("시간", ("problem_time", "payment_time")),
)
# "모름" stands for an answer the customer could not give (the agent finds out)
UNKNOWN = "모름"


def required_slots(
    category: str, no_order: bool, order_given: bool, proven: bool, finding: Optional[str],
    request: Optional[str] = None,
) -> List[str]:
    """The slots a problem of ``category`` (or a ``request`` to cancel or change the order) still needs.

    * always the order number (unless the customer has none), then its phone digits
      until that very order is proven;
    * a change: what to change; a cancellation of an order the store has not started on:
      whether the customer cancels in the app or wants it done for them;
    * delay: the remedy when the order is late; the time without an order;
    * quality: photos and the remedy; the time without an order;
    * payment: amount, method and approval time when the records do not explain it.
    """
    slots: List[str] = []
    if not no_order:
        slots.append("order_number")
        if order_given and not proven:
            return slots + ["phone_last4"]
    if request == "change":
        return slots + ["requested_change"]
    if request == "cancel":
        return slots + (["cancel_choice"] if finding == "open" else [])
    if category == "delay":
        if no_order:
            slots.append("problem_time")
        elif finding == "late":
            slots.append("resolution")
    elif category == "quality":
        if no_order:
            slots.append("problem_time")
        slots += ["photos", "resolution"]
    elif category == "payment" and (no_order or finding == "compare"):
        slots += ["payment_amount", "payment_method", "payment_time"]
    return slots


def forget_all() -> Dict[str, Any]:
    """The problem ended: every slot of it forgotten."""
    return {name: None for name in ALL_SLOTS}


def after_answer(pending: List[str]) -> Dict[str, Any]:
    """The bot answered this problem and another one is pending: the order and its proof stay for it.

    What the records showed for this problem is forgotten: the next one reads them for its own category.
    """
    return {**{name: None for name in DETAIL_SLOTS + PROGRESS_SLOTS}, "order_finding": None,
            "also_problems": pending or None}


def new_order(number: str) -> Dict[str, Any]:
    """Another order number was given: it is proven (and its records read) on its own."""
    return {"order_number": number, "order_verified": None, "order_finding": None, "resolution": None,
            "phone_last4": None, "phone_attempts": 0}


def switch_topic(category: str) -> Dict[str, Any]:
    """The customer raised another kind of problem: what the old one collected is forgotten, the order stays."""
    return {"form_category": category, **{name: None for name in DETAIL_SLOTS},
            "failed_validations": None, "handoff_reason": None}


def correction(text: str, filled: Dict[str, Any]) -> Optional[Tuple[str, ...]]:
    """The slots a correction names (``"주문번호 잘못 말했어요"``), if one of them is filled; else None."""
    spaced_out = text.replace(" ", "")
    for word, slots in CORRECTIONS:
        if word in spaced_out and any(filled.get(name) is not None for name in slots):
            return slots
    return None


def cannot_provide(requested: Optional[str]) -> Optional[Tuple[str, Dict[str, Any]]]:
    """The customer cannot give what the form asked for: ``(the response, the slots to set)``; None for the order
    number (the recent orders are offered first) and for questions that have no way around."""
    if requested == "photos":
        return "utter_continue_without_photos", {"photos": [], "photos_unavailable": True}
    if requested == "phone_last4":
        return "utter_lookup_failed", {"lookup_failed": True}
    if requested in ("payment_amount", "payment_method", "payment_time", "problem_time"):
        return "utter_continue_without_detail", {requested: UNKNOWN}
    return None
