"""What agents see of personal data: free text is masked before it is stored.

The rule (docs/desk.md, "Personal data"): ticket summaries, transcript and
thread lines, payment details and rating comments are masked with
:func:`support.pii.mask` when they are written, so no agent view, search or
export can show a full phone, card, 주민등록번호, e-mail or street address.
Order numbers, amounts and the last four digits of phones and cards stay.
Identifiers the desk needs to route replies (``sender_id``) are stored as they
are and masked only when shown (:func:`shown`).
"""

from __future__ import annotations

from typing import Any, Optional

from contract.requests import TicketCreate
from support.pii import mask


def masked(value: Any) -> Any:
    """``value`` with every string in it masked (dicts and lists walked)."""
    if isinstance(value, str):
        return mask(value)
    if isinstance(value, dict):
        return {key: masked(item) for key, item in value.items()}
    if isinstance(value, list):
        return [masked(item) for item in value]
    return value


def masked_ticket(data: TicketCreate) -> TicketCreate:
    """A copy of a new ticket with its free text masked (summary, transcript, details)."""
    return data.copy(
        update={
            "summary": mask(data.summary),
            "order_number": masked(data.order_number),  # an order number itself is never masked
            "requested_resolution": masked(data.requested_resolution),
            "requested_change": masked(data.requested_change),
            "handoff_reason": masked(data.handoff_reason),
            "payment_details": masked(data.payment_details),
            "transcript": [line.copy(update={"text": mask(line.text)}) for line in data.transcript],
        }
    )


def shown(identifier: Optional[str]) -> Optional[str]:
    """An identifier as agents see it: a phone or e-mail used as an id is masked."""
    return masked(identifier)
