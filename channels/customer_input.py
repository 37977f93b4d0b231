"""What every input channel does to a customer's message before Rasa sees it.

* The text: a button's payload stays an intent; any other text in intent form
  (``/agent_reply{…}``, ``/ticket_resolved``) reaches the bot as words
  (:func:`support.button_payloads.as_customer_text`).
* The metadata: what a client wrote under keys only the bot may set
  (:data:`RESERVED_METADATA`: the signed identity, Rasa's external-event flag, a
  raw customer token) is removed.
* The identity: the channel's :class:`~support.channel_identity.ChannelIdentity`
  is added, signed, so the actions know which conversation, customer and client
  the message belongs to (:mod:`support.channel_identity`).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
from typing import Any, Dict, Mapping, Optional, Sequence

from rasa.core.channels.channel import OutputChannel, UserMessage

from contract.vocabulary import MAX_MESSAGE
from support import customer_texts as say
from support.button_payloads import as_customer_text
from support.channel_identity import METADATA_KEY, ChannelIdentity, sign, signing_key
from support.client_address import Network, client_ip, parse_proxies

logger = logging.getLogger(__name__)

# keys of a message's metadata that only the bot itself writes
RESERVED_METADATA = (METADATA_KEY, "is_external", "customer_token")
# the longest customer message a channel hands to the bot: KakaoTalk's and Messenger's own limit.
# Longer texts cost the NLU seconds of CPU for no one (and stalled the server for everyone).
MAX_TEXT = MAX_MESSAGE
TOO_LONG_TEXT = say.TOO_LONG.format(limit=MAX_TEXT)


def clean_metadata(metadata: Optional[Mapping[str, Any]]) -> Dict[str, Any]:
    """``metadata`` without the reserved keys (a copy)."""
    return {key: value for key, value in (metadata or {}).items() if key not in RESERVED_METADATA}


def trusted_proxies(env: Optional[Mapping[str, str]] = None) -> Sequence[Network]:
    """``CHANNEL_TRUSTED_PROXIES``: proxies whose ``X-Forwarded-For`` names the client (HAProxy).

    Raises:
        ValueError: an entry that is no IP address or network.
    """
    env = os.environ if env is None else env
    return parse_proxies(env.get("CHANNEL_TRUSTED_PROXIES", ""))


def address_client(
    peer: Optional[str], forwarded_for: Optional[str], proxies: Sequence[Network], key: Optional[bytes] = None
) -> str:
    """The client key of a request from ``peer``: ``ip:`` and a keyed digest of its address.

    The conversation keeps this key (in each message's identity), never the address itself.
    """
    address = client_ip(peer or "unknown", forwarded_for, proxies)
    digest = hmac.new(key or b"", b"client-address:" + address.encode("utf-8"), hashlib.sha256).hexdigest()
    return f"ip:{digest[:32]}"


class CustomerInput:
    """Builds the :class:`UserMessage` of one customer message for a channel."""

    def __init__(self, key: Optional[bytes] = None, use_environment: bool = True) -> None:
        """Sign with ``key``, or with the key from ``CHAT_JWT_SECRET`` (:func:`signing_key`)."""
        self.key = key if key is not None or not use_environment else signing_key()
        if self.key is None:
            logger.warning("CHAT_JWT_SECRET is not set: messages carry no signed identity (no customer is ever trusted)")

    def message(
        self,
        text: str,
        output_channel: OutputChannel,
        identity: ChannelIdentity,
        metadata: Optional[Mapping[str, Any]] = None,
        message_id: Optional[str] = None,
        channel_made: bool = False,
    ) -> UserMessage:
        """The message for Rasa: gated text, cleaned metadata, the signed identity.

        ``channel_made``: the text is the channel's own stand-in (e.g. for a voice
        message it cannot read), not the customer's words, and is not gated.
        """
        cleaned = clean_metadata(metadata)
        if self.key is not None:
            cleaned[METADATA_KEY] = sign(identity, self.key)
        return UserMessage(
            text if channel_made else as_customer_text(text),
            output_channel,
            identity.conversation,
            input_channel=identity.channel,
            metadata=cleaned or None,
            message_id=message_id,
        )
