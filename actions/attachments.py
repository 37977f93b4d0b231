"""Photos a customer sent: attachments in the message metadata, whatever the channel.

Channels put them in the user message's metadata as
``{"attachments": [{"type": "image", "url": "https://…"} | {"type": "image", "id": "…"}]}``;
``url`` points at the channel's copy, ``id`` at an image the desk already holds.
"""

from __future__ import annotations

from typing import Any, Dict, List

from rasa_sdk import Tracker

from contract.requests import attachment_id, fetchable_url


def _valid(item: Any) -> bool:
    if not isinstance(item, dict) or item.get("type") != "image":
        return False
    return attachment_id(item.get("id")) or fetchable_url(item.get("url"))


def attachments_of_latest_message(tracker: Tracker) -> List[Dict[str, str]]:
    """The valid image attachments of the customer's latest message."""
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            metadata = event.get("metadata") or {}
            items = metadata.get("attachments") if isinstance(metadata, dict) else None
            if not isinstance(items, list):
                return []
            return [
                {key: item[key] for key in ("type", "url", "id") if key in item}
                for item in items
                if _valid(item)
            ]
    return []
