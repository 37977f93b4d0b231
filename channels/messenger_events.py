"""Turn a Messenger webhook body into the customer messages the bot should handle.

A body (``{"object": "page", "entry": [{"messaging": [event, ...]}, ...]}``) can
hold several events. Customer messages become :class:`IncomingMessage`:

* a quick reply's ``payload`` or a postback's ``payload`` is the text (Rasa reads
  ``/intent{...}`` payloads as intents);
* otherwise the message's ``text``;
* image attachments go to ``attachments`` as ``{"type": "image", "url": ...}``
  (the bot's channel-independent photo contract, see ``actions/attachments.py``);
  a message with images only gets the text ``support.customer_texts.PHOTO_ONLY``.

The Like sticker (👍, ``sticker_id`` 369239263222822, sent as a ``sticker``
attachment, an ``image`` one, or both) reaches the bot as "👍". Any other attachment
the bot cannot read (voice, video, files, locations, other stickers, shared links
(``fallback``), reels, posts, templates, types Meta adds later) reaches it as
``/nlu_fallback`` so the customer gets the "not understood" choices instead of
silence.

The ``ref`` of an m.me link or an ad (a ``referral`` event, or one inside a
postback or a message) is kept in the metadata as ``referral``; an order number in
it is given as ``referral.order_number``. A ``referral`` event alone (an existing
thread opened from a link) greets the customer. Everything else (echoes of the
page's own messages, delivery and read receipts, reactions, handover and standby
events) is ignored. Texts are never logged: they are the customer's personal data.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional

from contract.requests import fetchable_url
from support import customer_texts as say
from support.order_numbers import normalize_order_number

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
    kind: str = "text"  # text | quick_reply | postback | image | sticker | unsupported | referral
    attachments: List[Dict[str, str]] = field(default_factory=list)
    referral: Optional[Dict[str, str]] = None

    def to_dict(self) -> Dict[str, Any]:
        """The message as JSON-compatible values (it may wait in Redis)."""
        return {"sender_id": self.sender_id, "text": self.text, "mid": self.mid, "kind": self.kind,
                "attachments": [dict(item) for item in self.attachments], "referral": self.referral}

    @classmethod
    def from_dict(cls, data: Dict[str, Any]) -> "IncomingMessage":
        """The message :meth:`to_dict` wrote."""
        return cls(data["sender_id"], data["text"], data.get("mid"), data.get("kind", "text"),
                   list(data.get("attachments") or []), data.get("referral"))

    @property
    def channel_made(self) -> bool:
        """The text is the channel's stand-in, not the customer's words."""
        return self.kind in ("unsupported", "referral")

    @property
    def metadata(self) -> Optional[Dict[str, Any]]:
        """The user message metadata: the images and the referral, when there are any."""
        metadata: Dict[str, Any] = {}
        if self.attachments:
            metadata["attachments"] = [dict(item) for item in self.attachments]
        if self.referral:
            metadata["referral"] = dict(self.referral)
        return metadata or None


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
        return _with_referral(_message(event["message"], sender_id), event["message"])
    if "postback" in event:
        return _with_referral(_postback(event["postback"], sender_id), event["postback"])
    if "referral" in event:
        referral = referral_of(event["referral"])
        if referral is not None and _valid_sender(sender_id, None):
            # the customer opened the thread from a link or an ad, without a word yet
            return IncomingMessage(sender_id, GREETING, None, "referral", referral=referral)
    logger.debug("facebook event ignored: %s", _event_type(event))
    return None


def referral_of(referral: Any) -> Optional[Dict[str, str]]:
    """``ref``, ``source`` and ``type`` of a referral (each a short string), and the order number in ``ref``."""
    if not isinstance(referral, dict):
        return None
    kept = {
        key: value[:MAX_REF]
        for key in ("ref", "source", "type")
        if isinstance((value := referral.get(key)), str) and value.strip()
    }
    if not kept:
        return None
    number = normalize_order_number(kept.get("ref", ""))
    if number:
        kept["order_number"] = number
    return kept


def _with_referral(message: Optional[IncomingMessage], container: Any) -> Optional[IncomingMessage]:
    if message is None or not isinstance(container, dict) or "referral" not in container:
        return message
    referral = referral_of(container["referral"])
    if referral is None:
        return message
    return IncomingMessage(message.sender_id, message.text, message.mid, message.kind, message.attachments, referral)


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
    if _is_like(message):
        return IncomingMessage(sender_id, LIKE_TEXT, mid, "sticker")
    if _has_unsupported(message.get("attachments")):
        # voice, video, files, stickers, shared links, reels…: the bot cannot read them, but must not stay silent
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
GREETING = "/greet"
LIKE_STICKER_ID = 369239263222822  # Messenger's Like (thumbs-up) sticker
LIKE_TEXT = "👍"
MAX_REF = 250


def _sticker_id(item: Any) -> Any:
    payload = item.get("payload") if isinstance(item, dict) else None
    return payload.get("sticker_id") if isinstance(payload, dict) else None


def _is_like(message: Dict[str, Any]) -> bool:
    """The Like sticker: on an attachment (``sticker`` or ``image``) or, in older events, on the message."""
    attachments = message.get("attachments")
    ids = [_sticker_id(item) for item in attachments] if isinstance(attachments, list) else []
    ids.append(message.get("sticker_id"))
    return any(str(value) == str(LIKE_STICKER_ID) for value in ids if value is not None)


def _has_unsupported(attachments: Any) -> bool:
    """Any attachment that is not a photo: the bot cannot read it (Meta adds types now and then)."""
    return isinstance(attachments, list) and any(
        isinstance(item, dict) and (item.get("type") != "image" or _sticker_id(item) is not None)
        for item in attachments
    )


def _attachment_types(attachments: Any) -> str:
    if not isinstance(attachments, list):
        return "none"
    types = [str(item.get("type"))[:20] for item in attachments if isinstance(item, dict)]
    return ",".join(types) or "none"


def _event_type(event: Dict[str, Any]) -> str:
    known = ("delivery", "read", "reaction", "referral", "optin", "account_linking", "pass_thread_control")
    return next((key for key in known if key in event), "unknown")
