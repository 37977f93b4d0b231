"""Proof that an agent's words come from the desk.

The desk pushes agent replies and "ticket resolved" notices into a conversation
through Rasa's ``trigger_intent`` (intents ``agent_reply`` and ``ticket_resolved``).
With each it sends the entity ``agent_proof``: an HMAC over the conversation,
the kind, the delivery's id and the text, keyed with a key derived from the
desk's service token, which only the desk and the action server hold. The
actions say an agent's words, or end a handoff, only when the proof matches, so
nothing a customer types or taps can speak as an agent, whichever way it reaches
Rasa.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Mapping, Optional

from support.derived_keys import derived_key

PROOF_ENTITY = "agent_proof"
TEXT_ENTITY = "agent_text"
_PURPOSE = b"supportbot/agent-proof/v1"


def proof_key(env: Optional[Mapping[str, str]] = None) -> Optional[bytes]:
    """The key, derived from ``DESK_SERVICE_TOKEN``; None when it is not set."""
    return derived_key("DESK_SERVICE_TOKEN", _PURPOSE, env)


def _digest(key: bytes, conversation: str, kind: str, delivery_id: int, text: str) -> str:
    message = json.dumps([conversation, kind, int(delivery_id), text], ensure_ascii=False, separators=(",", ":"))
    return hmac.new(key, message.encode("utf-8"), hashlib.sha256).hexdigest()


def make_proof(key: bytes, conversation: str, kind: str, delivery_id: int, text: str) -> str:
    """The ``agent_proof`` entity value for one delivery: ``<delivery id>.<hex HMAC>``."""
    return f"{int(delivery_id)}.{_digest(key, conversation, kind, delivery_id, text)}"


def check_proof(
    key: Optional[bytes], proof: object, conversation: str, kind: str, text: str
) -> bool:
    """Whether ``proof`` is the desk's proof of ``text`` of ``kind`` for ``conversation``."""
    if key is None or not isinstance(proof, str) or not isinstance(text, str):
        return False
    delivery, separator, digest = proof.partition(".")
    if not separator or not delivery.isdigit() or len(delivery) > 18:
        return False
    expected = _digest(key, conversation, kind, int(delivery), text)
    return hmac.compare_digest(expected, digest)
