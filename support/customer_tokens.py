"""Signed customer identity (JWT, HS256) for the in-app chat, shared by the desk and the actions.

The app's backend signs ``{"sub": customer_id, "exp": …}`` with ``CHAT_JWT_SECRET``;
the chat page sends the token with every message (socket.io ``metadata``) and
the action server verifies it before it trusts the customer id. The desk only
issues demo tokens (``POST /api/chat/demo-token``) so the demo page works.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Optional

import jwt

ALGORITHM = "HS256"
DEMO_CUSTOMER = "cust-001"


def issue(secret: str, customer_id: str, hours: float = 12.0, now: Optional[datetime] = None) -> str:
    """A token naming ``customer_id``, valid for ``hours``."""
    now = now or datetime.now(timezone.utc)
    claims = {"sub": customer_id, "iat": int(now.timestamp()), "exp": int((now + timedelta(hours=hours)).timestamp())}
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


def customer_of(token: str, secret: str) -> Optional[str]:
    """The customer id of a valid, unexpired token; None otherwise."""
    if not token or not secret:
        return None
    try:
        claims = jwt.decode(token, secret, algorithms=[ALGORITHM], options={"require": ["sub", "exp"]})
    except jwt.PyJWTError:
        return None
    subject = claims.get("sub")
    return subject if isinstance(subject, str) and 0 < len(subject) <= 100 else None


def sender_for(customer_id: str) -> str:
    """The conversation id of a signed-in customer's chat (one conversation per customer)."""
    return f"app:{customer_id}"
