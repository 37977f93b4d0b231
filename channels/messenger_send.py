"""Send the bot's answers to Messenger through the Graph API's Send API.

``POST {graph_api_url}/me/messages`` with the page access token, one request per
message, in order, with aiohttp (async, with a timeout). The token travels in the
``Authorization`` header, never in the URL (URLs end up in access logs).
Messenger's limits are applied here: texts longer than :data:`MAX_TEXT` are split,
buttons become at most :data:`MAX_QUICK_REPLIES` quick replies with titles cut
to :data:`MAX_TITLE` characters; a payload longer than :data:`MAX_PAYLOAD` cannot
be cut without breaking it, so that button is left out (and logged).
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Dict, Iterable, List, Optional, Union

import aiohttp
from rasa.core.channels.channel import OutputChannel

from contract.vocabulary import DELIVERY_REFUSED_MARK
from support import conversation_ids
from support import customer_texts as say

logger = logging.getLogger(__name__)

DEFAULT_GRAPH_API_URL = "https://graph.facebook.com/v18.0"
MAX_TEXT = 2000
MAX_QUICK_REPLIES = 13
MAX_TITLE = 20
MAX_PAYLOAD = 1000
MAX_ELEMENTS = 10
# quick replies need a text; used when a response has buttons but no text
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
# Graph error codes of rate limits (application, user, page): worth trying later
RATE_LIMIT_CODES = frozenset({4, 17, 32, 613})
SENT, RETRYABLE, REFUSED = "sent", "retryable", "refused"
# Graph's code for a message outside the messaging window (subcode 2018278 among others)
OUTSIDE_WINDOW = 10


class DeliveryFailed(RuntimeError):
    """A message Rasa sent on its own (an agent reply) did not reach the customer.

    Raised out of the turn so Rasa's ``trigger_intent`` fails, the conversation is not
    saved, and the desk counts the push as failed: it tries again later when
    :attr:`permanent` is False, and gives up at once when it is True (the text then
    carries :data:`PERMANENT_MARK`, which the desk reads in Rasa's error answer).
    """

    def __init__(self, outcome: str) -> None:
        self.permanent = outcome == REFUSED
        super().__init__(f"the Send API did not deliver the message{PERMANENT_MARK if self.permanent else ''}")


PERMANENT_MARK = " " + DELIVERY_REFUSED_MARK


class GraphSendApi:
    """The Send API of one page: an aiohttp session, opened on first use.

    Args:
        base_url: the Graph API root, e.g. ``https://graph.facebook.com/v18.0``.
        page_access_token: the page's token; None: nothing can be sent (logged).
        timeout: seconds for one request.
        attempts: tries per message on network errors, 429 and 5xx.
        backoff: seconds before the second try, doubled for each later one.
    """

    def __init__(
        self,
        base_url: str,
        page_access_token: Optional[str],
        timeout: float = 10.0,
        attempts: int = 3,
        backoff: float = 0.5,
    ) -> None:
        self.url = f"{base_url.rstrip('/')}/me/messages"
        self._token = page_access_token
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        self._attempts = max(1, attempts)
        self._backoff = backoff
        self._session: Optional[aiohttp.ClientSession] = None

    def _client(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(timeout=self._timeout)
        return self._session

    async def close(self) -> None:
        """Close the HTTP session (the server is stopping)."""
        if self._session is not None and not self._session.closed:
            await self._session.close()
        self._session = None

    async def send(
        self, recipient_id: str, message: Dict[str, Any], messaging_type: str = "RESPONSE", tag: Optional[str] = None
    ) -> bool:
        """Send one message (``tag`` with ``messaging_type`` MESSAGE_TAG); returns whether Messenger
        accepted it. Never raises."""
        return (await self.deliver(recipient_id, message, messaging_type, tag))[0] == SENT

    async def deliver(
        self, recipient_id: str, message: Dict[str, Any], messaging_type: str = "RESPONSE", tag: Optional[str] = None
    ) -> "tuple[str, Optional[int]]":
        """Send one message: :data:`SENT`, :data:`RETRYABLE` (the network, a 5xx, a rate limit: worth
        trying later) or :data:`REFUSED` (Meta will not take it, e.g. the customer blocked the page or
        the messaging window is closed), with Graph's error code when there is one. Never raises."""
        if not self._token:
            logger.error(
                "facebook: cannot send to %s: the page access token is not configured (set FB_PAGE_ACCESS_TOKEN)",
                recipient_id,
            )
            return REFUSED, None
        body: Dict[str, Any] = {"recipient": {"id": recipient_id}, "messaging_type": messaging_type, "message": message}
        if tag:
            body["tag"] = tag
        headers = {"Authorization": f"Bearer {self._token}"}
        outcome, code = RETRYABLE, None
        for attempt in range(1, self._attempts + 1):
            try:
                async with self._client().post(self.url, json=body, headers=headers) as response:
                    if 200 <= response.status < 300:
                        return SENT, None
                    code, described = await _graph_error(response)
                    retryable = response.status in RETRY_STATUSES or code in RATE_LIMIT_CODES
                    outcome = RETRYABLE if retryable else REFUSED
                    logger.warning(
                        "facebook send to %s failed (attempt %d): HTTP %s %s",
                        recipient_id, attempt, response.status, described,
                    )
            except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
                outcome = RETRYABLE
                logger.warning("facebook send to %s failed (attempt %d): %r", recipient_id, attempt, exc)
            if outcome == REFUSED or attempt == self._attempts:
                break
            await asyncio.sleep(self._backoff * 2 ** (attempt - 1))
        logger.error("facebook: a message to %s was not delivered (%s)", recipient_id, outcome)
        return outcome, code


async def _graph_error(response: aiohttp.ClientResponse) -> "tuple[Optional[int], str]":
    """The Graph API's error code, and a description with its code, subcode and type (not its message text)."""
    try:
        error = (await response.json(content_type=None)).get("error") or {}
        code = error.get("code")
        described = f"(code={code} subcode={error.get('error_subcode')} type={error.get('type')})"
        return (code if isinstance(code, int) else None), described
    except (ValueError, AttributeError, aiohttp.ClientError):
        return None, ""


def split_text(text: str, limit: int = MAX_TEXT) -> List[str]:
    """Cut ``text`` into parts of at most ``limit`` characters, at paragraph, line or word ends."""
    text = text.strip()
    parts = []
    while len(text) > limit:
        cut = -1
        for separator, keep in (("\n\n", 0), ("\n", 0), (". ", 1), (" ", 0)):
            position = text.rfind(separator, 0, limit)
            if position >= limit // 2:
                cut = position + keep  # a sentence keeps its full stop
                break
        if cut <= 0:
            cut = limit
        parts.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    if text:
        parts.append(text)
    return parts


def quick_replies(buttons: Iterable[Any]) -> List[Dict[str, str]]:
    """Rasa buttons (``{"title", "payload"}``) as Messenger text quick replies."""
    replies = []
    for button in buttons or []:
        if not isinstance(button, dict):
            continue
        title = str(button.get("title") or "").strip()
        payload = button.get("payload")
        if not title or not isinstance(payload, str) or not payload.strip():
            logger.warning("facebook: a button without title or payload was left out (url buttons are not supported)")
            continue
        if len(payload) > MAX_PAYLOAD:
            logger.warning("facebook: a button payload longer than %d characters was left out", MAX_PAYLOAD)
            continue
        if len(title) > MAX_TITLE:
            title = title[: MAX_TITLE - 1] + "…"
        replies.append({"content_type": "text", "title": title, "payload": payload})
    if len(replies) > MAX_QUICK_REPLIES:
        logger.warning("facebook: %d buttons, only the first %d are shown", len(replies), MAX_QUICK_REPLIES)
        replies = replies[:MAX_QUICK_REPLIES]
    return replies


class MessengerOutput(OutputChannel):
    """Rasa's output channel for Messenger, sending through :class:`GraphSendApi`.

    Args:
        api: the page's Send API.
        messaging_type: ``RESPONSE`` for answers to a customer's message,
            ``MESSAGE_TAG`` for messages Rasa sends on its own (agent replies the desk
            pushes through ``trigger_intent``), with ``tag``.
        tag: ``HUMAN_AGENT`` for those: each is first sent as an ``UPDATE`` (no permission
            needed within 24 hours of the customer's last message) and, when Meta refuses it as
            outside the window, again with the tag (7 days, with Meta's Human Agent permission).

        raise_on_failure: raise :class:`DeliveryFailed` when a message does not go out
            (for messages Rasa sends on its own: the desk must not count them delivered).

    How many messages of a turn did not go out is kept in :attr:`failed`.
    """

    @classmethod
    def name(cls) -> str:
        return "facebook"

    def __init__(
        self, api: GraphSendApi, messaging_type: str = "RESPONSE", tag: Optional[str] = None,
        raise_on_failure: bool = False,
    ) -> None:
        super().__init__()
        self.api = api
        self.messaging_type = messaging_type
        self.tag = tag
        self.raise_on_failure = raise_on_failure
        self.failed = 0

    async def _send(self, recipient_id: str, message: Dict[str, Any]) -> bool:
        """Send to the page-scoped id of the conversation ``messenger:<psid>``.

        Raises:
            DeliveryFailed: the message did not go out and ``raise_on_failure`` is set
                (messages Rasa sends on its own, whose sender must learn it).
        """
        psid = conversation_ids.local_id(recipient_id, conversation_ids.MESSENGER)
        if self.tag:
            # within 24 h of the customer's last message a plain update needs no permission; after it,
            # Meta refuses it (code 10) and only the tag (7 days, Meta's Human Agent permission) goes
            outcome, code = await self.api.deliver(psid, message, "UPDATE")
            if outcome == REFUSED and code == OUTSIDE_WINDOW:
                outcome, code = await self.api.deliver(psid, message, self.messaging_type, self.tag)
        else:
            outcome, code = await self.api.deliver(psid, message, self.messaging_type)
        if outcome == SENT:
            return True
        self.failed += 1
        if self.raise_on_failure:
            raise DeliveryFailed(outcome)
        return False

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        for part in split_text(text):
            await self._send(recipient_id, {"text": part})

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: List[Dict[str, Any]], **kwargs: Any
    ) -> None:
        replies = quick_replies(buttons)
        parts = split_text(text or "")
        if not replies:
            for part in parts:
                await self._send(recipient_id, {"text": part})
            return
        parts = parts or [say.CHOOSE_BELOW]
        for part in parts[:-1]:
            await self._send(recipient_id, {"text": part})
        await self._send(recipient_id, {"text": parts[-1], "quick_replies": replies})

    async def send_quick_replies(
        self, recipient_id: str, text: str, quick_replies: List[Dict[str, Any]], **kwargs: Any
    ) -> None:
        await self.send_text_with_buttons(recipient_id, text, quick_replies, **kwargs)

    async def send_image_url(self, recipient_id: str, image: str, **kwargs: Any) -> None:
        await self._send(
            recipient_id, {"attachment": {"type": "image", "payload": {"url": image, "is_reusable": True}}}
        )

    async def send_elements(self, recipient_id: str, elements: Iterable[Dict[str, Any]], **kwargs: Any) -> None:
        elements = [dict(element) for element in elements][:MAX_ELEMENTS]
        for element in elements:
            for button in element.get("buttons") or []:
                if isinstance(button, dict):
                    button.setdefault("type", "postback")
        await self._send(
            recipient_id,
            {"attachment": {"type": "template", "payload": {"template_type": "generic", "elements": elements}}},
        )

    async def send_custom_json(
        self, recipient_id: str, json_message: Union[List, Dict[str, Any]], **kwargs: Any
    ) -> None:
        """A custom response is a Send API ``message`` object (or a list of them)."""
        for message in json_message if isinstance(json_message, list) else [json_message]:
            if isinstance(message, dict):
                await self._send(recipient_id, message)
