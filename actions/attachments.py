"""Photos a customer sent: attachments in the message metadata, whatever the channel.

Channels put them in the user message's metadata as
``{"attachments": [{"type": "image", "url": "https://…"} | {"type": "image", "id": "…"}]}``;
``url`` points at the channel's copy, ``id`` at an image the desk already holds.

A channel's copy may not last: KakaoTalk's secure image URLs expire after about
ten minutes, Messenger's CDN URLs after a while. :func:`keep_photos` has the desk
fetch and keep each photo as soon as the customer sends it, so the ticket opened
later still has it.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Dict, List

from rasa_sdk import Tracker

from actions.desk_client import DeskClient, DeskUnavailable

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


logger = logging.getLogger(__name__)


async def keep_photos(desk: DeskClient, photos: List[Dict[str, str]], conversation: str) -> List[Dict[str, str]]:
    """``photos`` with every URL the desk could fetch replaced by the desk's id.

    A photo the desk could not fetch now keeps its URL; the handoff tries it once more.
    """

    async def keep(photo: Dict[str, str]) -> Dict[str, str]:
        url = photo.get("url")
        if photo.get("id") or not url:
            return photo
        try:
            return {"type": "image", "id": (await desk.fetch_attachment(url)).id}
        except DeskUnavailable as exc:
            logger.warning("photo of conversation %s not kept on arrival: %s", conversation, exc)
            return photo

    # side by side: the turn waits for the slowest photo, not for their sum
    return list(await asyncio.gather(*(keep(photo) for photo in photos)))
