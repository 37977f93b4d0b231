"""Who sent the customer's latest message, as the channel proved it.

Every channel signs what it proved about a message into the message's metadata
(:mod:`support.channel_identity`): the conversation, the customer a valid app
token named, the client. The actions trust a customer only from that signature,
on the latest message, for this conversation and before the token expired —
never from a slot an earlier message set, and never from metadata a client could
write (the channels remove the key before they sign).
"""

from __future__ import annotations

import logging
from typing import Any, Dict, Optional

from rasa_sdk import Tracker

from support.channel_identity import METADATA_KEY, ChannelIdentity, verify

logger = logging.getLogger(__name__)


def _latest_metadata(tracker: Tracker) -> Dict[str, Any]:
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            metadata = event.get("metadata")
            return metadata if isinstance(metadata, dict) else {}
    return {}


def verified_identity(tracker: Tracker, key: Optional[bytes]) -> Optional[ChannelIdentity]:
    """The channel's signed identity of the latest customer message, if it is valid for this conversation.

    ``key`` is the identity key of the action server's settings (None: nobody is trusted).
    """
    value = _latest_metadata(tracker).get(METADATA_KEY)
    if value is None:
        return None
    identity = verify(value, tracker.sender_id, key)
    if identity is None:
        logger.warning("conversation %s: the message's channel identity was not accepted", tracker.sender_id)
    return identity


def signed_customer(tracker: Tracker, key: Optional[bytes]) -> Optional[str]:
    """The customer a valid token proved for the latest message, or None."""
    identity = verified_identity(tracker, key)
    return identity.customer if identity is not None else None


def client_of(tracker: Tracker, key: Optional[bytes]) -> str:
    """Who sent the latest message, for counting failed checks (the conversation when unknown)."""
    identity = verified_identity(tracker, key)
    return identity.client if identity is not None else tracker.sender_id
