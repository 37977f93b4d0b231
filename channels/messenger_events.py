"""Turn a Messenger webhook body into the customer messages the bot should handle.

A body (``{"object": "page", "entry": [{"messaging": [event, ...]}, ...]}``) can
hold several events. Customer messages become :class:`IncomingMessage`:

* a quick reply's ``payload`` or a postback's ``payload`` is the text (Rasa reads
  ``/intent{...}`` payloads as intents);
* otherwise the message's ``text``;
* image attachments go to ``attachments`` as ``{"type": "image", "url": ...}``
  (the bot's channel-independent photo contract, see ``actions/attachments.py``);
  a message with images only gets the text ``support.customer_texts.PHOTO_ONLY``.

Voice, video, files and locations, which the bot cannot read, reach it as
``/nlu_fallback`` so the customer gets the "not understood" choices instead of
silence. Everything else (echoes of the page's own messages, delivery and read
receipts, reactions, stickers) is ignored. Texts are never logged: they are the
customer's personal data.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional

from contract.requests import fetchable_url
from support import customer_texts as say

logger = logging.getLogger(__name__)

# page-scoped ids are digits; allow the characters a test or a future id may use,
# never anything that could break a URL path or a log line
SENDER_ID = re.compile(r"[0-9A-Za-z_-]{1,64}")  # matched whole (fullmatch: no trailing newline)


class MalformedWebhook(ValueError):
    """The body does not have the shape Messenger sends."""


@dataclass(frozen=True)
class IncomingMessage:
    """One customer message, ready for Rasa."""

    sender_id: str
    text: str
    mid: Optional[str] = None
    kind: str = "text"  # text | quick_reply | postback | image
    attachments: List[Dict[str, str]] = field(default_factory=list)

    @property
    def metadata(self) -> Optional[Dict[str, Any]]:
        """The user message metadata: the images, when there are any."""
        if not self.attachments:
            return None
        return {"attachments": [dict(item) for item in self.attachments]}


def parse_webhook(body: Any) -> Optional[List[IncomingMessage]]:
    """The customer messages in a webhook body, in order.

    Returns None when the body is about another object than a page (Meta expects
    200 for those too). Raises :class:`MalformedWebhook` when the containers have
    the wrong shape; a single event with unexpected content is skipped instead.
    """
    if not isinstance(body, dict):
        raise MalformedWebhook("the body is not a JSON object")
    kind = body.get("object")
    if not isinstance(kind, str):
        raise MalformedWebhook("'object' is missing or not a string")
    if kind != "page":
        return None
    entries = body.get("entry")
    if not isinstance(entries, list):
        raise MalformedWebhook("'entry' is missing or not a list")
    messages: List[IncomingMessage] = []
    for entry in entries:
        if not isinstance(entry, dict):
            raise MalformedWebhook("an entry is not an object")
        events = entry.get("messaging", [])  # absent for standby/changes entries
        if not isinstance(events, list):
            raise MalformedWebhook("'messaging' is not a list")
        for event in events:
            if not isinstance(event, dict):
                raise MalformedWebhook("a messaging event is not an object")
            message = parse_event(event)
            if message is not None:
                messages.append(message)
    return messages


def parse_event(event: Dict[str, Any]) -> Optional[IncomingMessage]:
    """The customer message in one messaging event, or None when there is none."""
    sender = event.get("sender")
    sender_id = sender.get("id") if isinstance(sender, dict) else None
    if "message" in event:
        return _message(event["message"], sender_id)
    if "postback" in event:
        return _postback(event["postback"], sender_id)
    logger.debug("facebook event ignored: %s", _event_type(event))
    return None


def _message(message: Any, sender_id: Any) -> Optional[IncomingMessage]:
    if not isinstance(message, dict):
        logger.warning("facebook message ignored: 'message' is not an object")
        return None
    if message.get("is_echo"):
        return None  # the page's own message, echoed back
    mid = _mid(message)
    if not _valid_sender(sender_id, mid):
        return None
    quick_reply = message.get("quick_reply")
    if isinstance(quick_reply, dict) and _text(quick_reply.get("payload")):
        return IncomingMessage(sender_id, quick_reply["payload"], mid, "quick_reply")
    images = _images(message.get("attachments"))
    text = _text(message.get("text"))
    if text:
        return IncomingMessage(sender_id, text, mid, "text", images)
    if images:
        return IncomingMessage(sender_id, say.PHOTO_ONLY, mid, "image", images)
    if _has_unsupported(message.get("attachments")):
        # voice, video, files, locations: the bot cannot read them, but must not stay silent
        return IncomingMessage(sender_id, UNSUPPORTED_TEXT, mid, "unsupported")
    logger.info(
        "facebook message %s ignored: no text and no image (attachment types: %s)",
        mid,
        _attachment_types(message.get("attachments")),
    )
    return None


def _postback(postback: Any, sender_id: Any) -> Optional[IncomingMessage]:
    if not isinstance(postback, dict):
        logger.warning("facebook postback ignored: 'postback' is not an object")
        return None
    mid = _mid(postback)
    if not _valid_sender(sender_id, mid):
        return None
    payload = _text(postback.get("payload"))
    if not payload:
        logger.warning("facebook postback %s ignored: no payload", mid)
        return None
    return IncomingMessage(sender_id, payload, mid, "postback")


def _images(attachments: Any) -> List[Dict[str, str]]:
    if not isinstance(attachments, list):
        return []
    images = []
    for item in attachments:
        if not isinstance(item, dict) or item.get("type") != "image":
            continue
        payload = item.get("payload")
        if not isinstance(payload, dict) or payload.get("sticker_id") is not None:
            continue  # stickers (the like button too) are images, but not photos
        url = payload.get("url")
        if fetchable_url(url):
            images.append({"type": "image", "url": url})
        else:
            logger.warning("facebook image attachment ignored: no usable url")
    return images


def _text(value: Any) -> Optional[str]:
    return value if isinstance(value, str) and value.strip() else None


def _mid(container: Dict[str, Any]) -> Optional[str]:
    mid = container.get("mid")
    return mid if isinstance(mid, str) and 0 < len(mid) <= 512 else None


def _valid_sender(sender_id: Any, mid: Optional[str]) -> bool:
    if isinstance(sender_id, str) and SENDER_ID.fullmatch(sender_id):
        return True
    logger.warning("facebook event %s ignored: missing or malformed sender id", mid)
    return False


UNSUPPORTED_TEXT = "/nlu_fallback"  # the bot answers with its "not understood" choices
UNSUPPORTED_TYPES = ("audio", "video", "file", "location")


def _has_unsupported(attachments: Any) -> bool:
    return isinstance(attachments, list) and any(
        isinstance(item, dict) and item.get("type") in UNSUPPORTED_TYPES for item in attachments
    )


def _attachment_types(attachments: Any) -> str:
    if not isinstance(attachments, list):
        return "none"
    types = [str(item.get("type"))[:20] for item in attachments if isinstance(item, dict)]
    return ",".join(types) or "none"


def _event_type(event: Dict[str, Any]) -> str:
    known = ("delivery", "read", "reaction", "referral", "optin", "account_linking", "pass_thread_control")
    return next((key for key in known if key in event), "unknown")
