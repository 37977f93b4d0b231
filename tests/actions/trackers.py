"""Build real rasa-sdk trackers for action tests."""

from __future__ import annotations

import time
from typing import Any, Dict, List, Optional

from rasa_sdk import Tracker

from support.channel_identity import METADATA_KEY, ChannelIdentity, sign, signing_key

# CHAT_JWT_SECRET and DESK_SERVICE_TOKEN of the action tests (conftest.py's settings)
IDENTITY_SECRET = "test-identity-secret-0123456789abcdef"
DESK_TOKEN = "test-desk-service-token-0123456789"


def signed_identity(
    sender_id: str = "customer-1", customer: Optional[str] = None, client: str = "ip:203.0.113.9",
    channel: str = "socketio", expires_in: float = 3600,
) -> Dict[str, Any]:
    """The metadata a channel adds to a message: its identity, signed as a running channel signs it."""
    identity = ChannelIdentity(
        conversation=sender_id, channel=channel, customer=customer, client=client,
        expires_at=int(time.time() + expires_in) if customer else None,
    )
    return {METADATA_KEY: sign(identity, signing_key({"CHAT_JWT_SECRET": IDENTITY_SECRET}))}


def user_event(text: str, intent: str, entities=None, timestamp: float = 1_700_000_000.0, channel="rest"):
    return {
        "event": "user",
        "text": text,
        "timestamp": timestamp,
        "input_channel": channel,
        "parse_data": {"intent": {"name": intent, "confidence": 0.99}, "entities": entities or []},
    }


def bot_event(text: str, timestamp: float = 1_700_000_001.0, buttons: Optional[List[Dict[str, str]]] = None):
    """A bot message as Rasa sends it in a tracker (its buttons under ``data``)."""
    return {"event": "bot", "text": text, "timestamp": timestamp, "data": {"buttons": buttons}}


def make_tracker(
    events: List[Dict[str, Any]],
    slots: Optional[Dict[str, Any]] = None,
    sender_id: str = "customer-1",
    active_loop: Optional[str] = None,
) -> Tracker:
    latest_user = next((e for e in reversed(events) if e["event"] == "user"), None)
    latest_message = {}
    if latest_user:
        latest_message = {"text": latest_user["text"], **latest_user["parse_data"]}
    return Tracker(
        sender_id=sender_id,
        slots=slots or {},
        latest_message=latest_message,
        events=events,
        paused=False,
        followup_action=None,
        active_loop={"name": active_loop} if active_loop else {},
        latest_action_name=None,
    )

