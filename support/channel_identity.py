"""What a channel vouches for about one customer message, signed so the action server can trust it.

Every input channel of the bot puts a :class:`ChannelIdentity` into the metadata
of each message it hands to Rasa (key :data:`METADATA_KEY`): the conversation it
bound the message to, the customer a valid token proved (or nobody), the client
the message came from (for counting failed ownership checks) and when that proof
expires. The channel signs it with a key derived from ``CHAT_JWT_SECRET``; the
action server checks the signature, the conversation and the expiry before it
shows a customer's orders. Whatever a client writes into the metadata under the
same key is removed by the channel first, so the key can only hold what a channel
signed. The customer's token itself is never stored in the conversation.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from dataclasses import asdict, dataclass
from typing import Any, Mapping, Optional

from support.derived_keys import derived_key

METADATA_KEY = "channel_identity"
_PURPOSE = b"supportbot/channel-identity/v1"
_FIELDS = ("conversation", "channel", "customer", "client", "expires_at")


@dataclass(frozen=True)
class ChannelIdentity:
    """What the channel proved about a message.

    Attributes:
        conversation: the conversation id the channel bound the message to.
        channel: the channel's name (``socketio``, ``rest``, ``kakao``, ``facebook``).
        customer: the customer id a valid token proved for this message, or None.
        client: who sent it, for counting failed checks: ``ip:<address>`` or the conversation id
            when the platform (Kakao, Meta) calls from its own servers.
        expires_at: Unix time after which the customer proof no longer holds (None: no customer).
    """

    conversation: str
    channel: str
    customer: Optional[str]
    client: str
    expires_at: Optional[int] = None


def signing_key(env: Optional[Mapping[str, str]] = None) -> Optional[bytes]:
    """The key channels sign with and actions verify with, derived from ``CHAT_JWT_SECRET``; None without it."""
    return derived_key("CHAT_JWT_SECRET", _PURPOSE, env)


def _digest(key: bytes, fields: Mapping[str, Any]) -> str:
    canonical = json.dumps([fields.get(name) for name in _FIELDS], ensure_ascii=False, separators=(",", ":"))
    return hmac.new(key, canonical.encode("utf-8"), hashlib.sha256).hexdigest()


def sign(identity: ChannelIdentity, key: bytes) -> dict:
    """The metadata value for ``identity``."""
    fields = asdict(identity)
    return {**fields, "signature": _digest(key, fields)}


def verify(value: Any, conversation: str, key: Optional[bytes], now: Optional[float] = None) -> Optional[ChannelIdentity]:
    """The identity in a message's metadata value, if it is signed, for this conversation and not expired.

    A customer whose proof expired is dropped (the rest still holds); anything
    unsigned, malformed or for another conversation gives None.
    """
    if key is None or not isinstance(value, dict):
        return None
    signature = value.get("signature")
    if not isinstance(signature, str) or not hmac.compare_digest(signature, _digest(key, value)):
        return None
    if value.get("conversation") != conversation:
        return None
    if not isinstance(value.get("channel"), str) or not isinstance(value.get("client"), str):
        return None
    customer = value.get("customer")
    expires_at = value.get("expires_at")
    now = time.time() if now is None else now
    if not isinstance(customer, str) or not isinstance(expires_at, int) or expires_at <= now:
        customer, expires_at = None, None
    return ChannelIdentity(
        conversation=conversation, channel=value["channel"], customer=customer, client=value["client"],
        expires_at=expires_at,
    )
