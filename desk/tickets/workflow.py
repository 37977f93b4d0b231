"""The ticket life cycle: new → assigned → waiting_customer → resolved → closed.

Pure rules (no database): which action is allowed in which status and which
status it leads to.
"""

from __future__ import annotations

from typing import Optional

from contract.vocabulary import OPEN_STATUSES
from desk.errors import ApiError

ALLOWED_FROM = {
    "claim": OPEN_STATUSES,
    "assign": OPEN_STATUSES,
    "reply": OPEN_STATUSES,
    "message": OPEN_STATUSES,
    "resolve": OPEN_STATUSES,
    "handback": OPEN_STATUSES,
    "close": ("resolved",),
}

_REFUSALS = {
    "claim": "cannot be claimed",
    "assign": "cannot be assigned",
    "reply": "cannot be replied to",
    "message": "takes no new messages",
    "resolve": "cannot be resolved again",
    "handback": "cannot be handed back to the bot",
    "close": "cannot be closed; only a resolved ticket can be closed",
}


class TicketConflict(ApiError):
    """409: the ticket's state does not allow what was asked."""

    def __init__(self, code: str, message: str, details: Optional[dict] = None) -> None:
        super().__init__(409, code, message, details)


def check_allowed(action: str, number: str, status: str) -> None:
    """Raise :class:`TicketConflict` when ``action`` is not allowed in ``status``."""
    if status not in ALLOWED_FROM[action]:
        raise TicketConflict(
            "invalid_transition",
            f"Ticket {number} is {status} and {_REFUSALS[action]}.",
            {"action": action, "status": status, "allowed_from": list(ALLOWED_FROM[action])},
        )


def next_status(action: str, current: str, author: Optional[str] = None) -> str:
    """The status after ``action`` (``author`` for ``message``); assumes it is allowed."""
    if action in ("claim", "assign"):
        return "assigned" if current == "new" else current
    if action == "reply":
        return "waiting_customer"
    if action == "message":
        return "assigned" if author == "customer" and current == "waiting_customer" else current
    if action in ("resolve", "handback"):
        return "resolved"
    if action == "close":
        return "closed"
    raise ValueError(f"unknown action {action!r}")
