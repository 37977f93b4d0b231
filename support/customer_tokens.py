"""Signed customer identity (JWT, HS256) for the in-app chat, shared by the desk, the channels and the actions.

The app's backend signs ``{"sub": customer_id, "iss": …, "aud": …, "exp": …}``
with ``CHAT_JWT_SECRET`` after its own login. The chat page hands the token to
Rasa's socket.io channel when it connects (and to the desk for uploads and
history); the channel verifies it and binds the socket to that customer's
conversation (``app:<sub>``). A token is accepted only with the configured
issuer (``CHAT_JWT_ISSUER``) and audience (``CHAT_JWT_AUDIENCE``), so a token the
app issued for another service is refused. The desk issues demo tokens
(``POST /api/chat/demo-token``) only when ``CHAT_DEMO_TOKENS`` is on.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Mapping, Optional, Union

import jwt

from support.coded_errors import CodedError
from support.conversation_ids import customer_conversation

ALGORITHM = "HS256"
DEMO_CUSTOMER = "cust-001"
DEFAULT_ISSUER = "kfood-app"
DEFAULT_AUDIENCE = "kfood-support-chat"
MAX_TOKEN_CHARS = 4096
# a customer id becomes part of a conversation id and of URLs: plain ASCII only
_SUBJECT = re.compile(r"[A-Za-z0-9._@+-]{1,100}")


class TokenRejected(CodedError):
    """A customer token that is not accepted; ``code`` says why (a stable, machine-readable word)."""


@dataclass(frozen=True)
class TokenPolicy:
    """How customer tokens are signed and which ones are accepted."""

    secret: str
    issuer: str = DEFAULT_ISSUER
    audience: str = DEFAULT_AUDIENCE

    @classmethod
    def from_env(cls, env: Optional[Mapping[str, str]] = None) -> Optional["TokenPolicy"]:
        """``CHAT_JWT_SECRET``, ``CHAT_JWT_ISSUER`` and ``CHAT_JWT_AUDIENCE``; None without a secret."""
        env = os.environ if env is None else env
        secret = (env.get("CHAT_JWT_SECRET") or "").strip()
        if not secret:
            return None
        return cls(
            secret=secret,
            issuer=(env.get("CHAT_JWT_ISSUER") or DEFAULT_ISSUER).strip(),
            audience=(env.get("CHAT_JWT_AUDIENCE") or DEFAULT_AUDIENCE).strip(),
        )


@dataclass(frozen=True)
class CustomerToken:
    """What a valid token proves: who the customer is, and until when."""

    customer_id: str
    expires_at: int


PolicyLike = Union[str, TokenPolicy]


def _policy(policy: PolicyLike) -> TokenPolicy:
    return policy if isinstance(policy, TokenPolicy) else TokenPolicy(secret=policy)


def issue(policy: PolicyLike, customer_id: str, hours: float = 12.0, now: Optional[datetime] = None) -> str:
    """A token naming ``customer_id``, valid for ``hours`` (``policy`` may be just the secret)."""
    rules = _policy(policy)
    now = now or datetime.now(timezone.utc)
    claims = {
        "sub": customer_id,
        "iss": rules.issuer,
        "aud": rules.audience,
        "iat": int(now.timestamp()),
        "exp": int((now + timedelta(hours=hours)).timestamp()),
    }
    return jwt.encode(claims, rules.secret, algorithm=ALGORITHM)


def verify(token: object, policy: Optional[PolicyLike]) -> CustomerToken:
    """The customer a token proves.

    Raises:
        TokenRejected: ``missing_token``, ``malformed_token``, ``expired_token``, ``invalid_signature``,
            ``wrong_issuer``, ``wrong_audience``, ``invalid_subject`` or ``tokens_disabled`` (no secret).
    """
    if policy is None or (isinstance(policy, str) and not policy):
        raise TokenRejected("tokens_disabled", "Customer tokens are not accepted here (no secret is configured).")
    rules = _policy(policy)
    if not isinstance(token, str) or not token.strip():
        raise TokenRejected("missing_token", "A customer token is required.")
    if len(token) > MAX_TOKEN_CHARS:
        raise TokenRejected("malformed_token", "The customer token is too long.")
    try:
        claims = jwt.decode(
            token.strip(), rules.secret, algorithms=[ALGORITHM], audience=rules.audience, issuer=rules.issuer,
            options={"require": ["sub", "exp", "iss", "aud"]},
        )
    except jwt.ExpiredSignatureError as exc:
        raise TokenRejected("expired_token", "The customer token has expired.") from exc
    except jwt.InvalidAudienceError as exc:
        raise TokenRejected("wrong_audience", "The customer token is for another service.") from exc
    except jwt.InvalidIssuerError as exc:
        raise TokenRejected("wrong_issuer", "The customer token was not issued by the app.") from exc
    except jwt.InvalidSignatureError as exc:
        raise TokenRejected("invalid_signature", "The customer token's signature is wrong.") from exc
    except jwt.PyJWTError as exc:
        raise TokenRejected("malformed_token", "The customer token is malformed.") from exc
    subject = claims.get("sub")
    if not isinstance(subject, str) or not _SUBJECT.fullmatch(subject):
        raise TokenRejected("invalid_subject", "The customer token names no valid customer.")
    return CustomerToken(customer_id=subject, expires_at=int(claims["exp"]))


def customer_of(token: object, policy: Optional[PolicyLike]) -> Optional[str]:
    """The customer id of a valid, unexpired token; None otherwise."""
    try:
        return verify(token, policy).customer_id
    except TokenRejected:
        return None


def sender_for(customer_id: str) -> str:
    """The conversation id of a signed-in customer's chat (one conversation per customer)."""
    return customer_conversation(customer_id)
