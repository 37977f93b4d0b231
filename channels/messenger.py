"""Facebook Messenger input channel: Rasa's ``FacebookInput``, hardened.

Enabled in ``credentials.yml`` under ``channels.messenger.MessengerInput``;
the channel keeps Rasa's name ``facebook`` (the desk pushes agent replies to that
channel and tickets record it), so its routes are
``GET/POST /webhooks/facebook/webhook``. What it adds to Rasa's connector:

* the verification challenge only with ``hub.mode=subscribe`` and the right token
  (constant-time), else 403;
* ``X-Hub-Signature-256`` (HMAC-SHA256 of the raw body with the app secret) on
  every POST, else 403 and nothing is processed; without a configured secret
  every POST is refused;
* the webhook answers 200 at once: Meta expects an answer within seconds, redelivers
  otherwise and unsubscribes a webhook that keeps failing. Each sender's events are
  handled afterwards, in order, in the background (:mod:`channels.sender_queues`;
  with ``CHANNEL_REDIS_URL``, kept in Redis until handled by one of the Rasa servers:
  :mod:`channels.durable_queues`);
* redeliveries (a ``mid`` already handled) are answered 200 and not handled again;
* a signed body of a shape the channel does not know is logged and answered 200
  (only Meta can sign it; a 4xx would only be retried until Meta disables the webhook);
* every event of a batch is handled, not only the first; images go to the
  message metadata as ``attachments``, never as text;
* agent replies and other messages the bot sends on its own go out as an ``UPDATE``
  and, when Meta refuses that as outside the 24-hour window, with the ``HUMAN_AGENT``
  tag (7 days after the customer's last message); one that the Send API does not take fails
  Rasa's ``trigger_intent``, so the desk never counts it delivered
  (:class:`~channels.messenger_send.DeliveryFailed`);
* answers go out through the Send API with aiohttp (``messenger_send``), also for
  messages Rasa sends on its own (``get_output_channel``, used by ``trigger_intent``);
* a customer's conversation is ``messenger:<page-scoped id>``
  (:mod:`support.conversation_ids`); a message is an intent only when it is one of
  the bot's button payloads (:mod:`channels.customer_input`).

See ``docs/channels-messenger.md``.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import re
from typing import Any, Awaitable, Callable, Dict, Optional, Text, Union

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from rasa.core.channels.facebook import FacebookInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels.customer_input import CustomerInput
from channels.durable_queues import RedisSenderQueues
from channels.sender_queues import QueueFull, SenderQueues
from channels.shared_memory import redis_client
from channels.shared_memory import shared_map
from channels.messenger_events import IncomingMessage, MalformedWebhook, parse_webhook
from channels.messenger_send import DEFAULT_GRAPH_API_URL, GraphSendApi, MessengerOutput
from support import conversation_ids
from support.channel_identity import ChannelIdentity

# how long and how many handled message ids are remembered (Messenger redelivers for up to a day)
DEFAULT_TTL_SECONDS = 24 * 60 * 60
DEFAULT_MAX_ENTRIES = 50_000

logger = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Hub-Signature-256"
SIGNATURE_PREFIX = "sha256="
# what Rasa leaves in place of ${VAR} when it does not expand it
UNEXPANDED = re.compile(r"\$\{[^}]*\}")


def configured(value: Any) -> Optional[str]:
    """A credentials value, or None when it is empty or an unexpanded ``${VAR}``."""
    if value is None:
        return None
    text = str(value).strip()
    if not text or UNEXPANDED.search(text):
        return None
    return text


def setting(credentials: Dict[Text, Any], key: str) -> Optional[str]:
    """A setting: its value in ``credentials.yml``, else the variable its ``<key>_env`` names.

    ``secret: abc`` (or Rasa's ``secret: ${FB_APP_SECRET}`` when that variable is
    set) gives the value itself; ``secret_env: FB_APP_SECRET`` reads the variable
    when the channel starts, and an unset or empty variable means "not configured".
    """
    value = configured(credentials.get(key))
    if value is not None:
        return value
    variable = credentials.get(f"{key.replace('-', '_')}_env")
    return configured(os.environ.get(variable)) if isinstance(variable, str) and variable else None


def valid_signature(secret: str, body: bytes, header: Optional[str]) -> bool:
    """Whether ``header`` is ``sha256=<hex HMAC-SHA256 of body with secret>``."""
    if not secret or not header or not header.startswith(SIGNATURE_PREFIX):
        return False
    expected = hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()
    given = header[len(SIGNATURE_PREFIX) :].strip().lower()
    return hmac.compare_digest(expected.encode("ascii"), given.encode("utf-8"))


def event_queues(handle: Callable[[Dict[str, Any]], Awaitable[None]]) -> Union[SenderQueues, RedisSenderQueues]:
    """Where accepted webhook events wait: in Redis when ``CHANNEL_REDIS_URL`` is set (several Rasa
    servers, and nothing lost in a crash), else in this process."""
    client = redis_client()
    if client is None:
        return SenderQueues(handle)
    logger.info("facebook webhook events wait in Redis until handled")
    return RedisSenderQueues(client, "messenger", handle)


def _error(status: int, message: str) -> HTTPResponse:
    return response.json({"error": message}, status=status)


class MessengerInput(FacebookInput):
    """Messenger webhook with SHA-256 signatures, redelivery filter and an async Send API.

    Args:
        fb_verify: the verify token chosen when subscribing the webhook.
        fb_secret: the app secret that signs every webhook body.
        fb_access_token: the page access token for the Send API.
        graph_api_url: the Graph API root (default :data:`DEFAULT_GRAPH_API_URL`).
        send_timeout: seconds for one Send API request.
        dedup_ttl_seconds, dedup_max_entries: how long and how many message ids
            are remembered to recognise redeliveries.
    """

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        """Settings from ``credentials.yml``; see :func:`setting` for where each value comes from."""
        if not credentials:
            cls.raise_missing_credentials_exception()
        return cls(
            setting(credentials, "verify"),
            setting(credentials, "secret"),
            setting(credentials, "page-access-token"),
            graph_api_url=setting(credentials, "graph_api_url"),
            send_timeout=float(credentials.get("send_timeout") or 10.0),
            dedup_ttl_seconds=float(credentials.get("dedup_ttl_seconds") or DEFAULT_TTL_SECONDS),
            dedup_max_entries=int(credentials.get("dedup_max_entries") or DEFAULT_MAX_ENTRIES),
        )

    def __init__(
        self,
        fb_verify: Optional[Text],
        fb_secret: Optional[Text],
        fb_access_token: Optional[Text],
        graph_api_url: Optional[Text] = None,
        send_timeout: float = 10.0,
        dedup_ttl_seconds: float = DEFAULT_TTL_SECONDS,
        dedup_max_entries: int = DEFAULT_MAX_ENTRIES,
    ) -> None:
        super().__init__(configured(fb_verify), configured(fb_secret), configured(fb_access_token))
        base_url = configured(graph_api_url) or DEFAULT_GRAPH_API_URL
        if not base_url.startswith(("https://", "http://")):
            raise ValueError(f"facebook channel: graph_api_url must be an http(s) URL, got {base_url!r}")
        self.graph_api_url = base_url.rstrip("/")
        self.send_api = GraphSendApi(self.graph_api_url, self.fb_access_token, timeout=send_timeout)
        if dedup_ttl_seconds <= 0 or dedup_max_entries <= 0:
            raise ValueError("facebook channel: dedup_ttl_seconds and dedup_max_entries must be positive")
        # message ids already handled; shared over Redis when CHANNEL_REDIS_URL is set, so a
        # redelivery that reaches another Rasa server is still recognised
        self.seen = shared_map("messenger:seen", dedup_ttl_seconds, dedup_max_entries)
        self.customer_input = CustomerInput()
        # set when the blueprint is made (it knows Rasa's on_new_message)
        self.queues: Optional[Union[SenderQueues[Dict[str, Any]], RedisSenderQueues]] = None
        if self.fb_secret is None:
            logger.error(
                "facebook channel: the app secret (FB_APP_SECRET) is not configured: "
                "every webhook POST is refused with 403"
            )
        if self.fb_verify is None:
            logger.warning(
                "facebook channel: the verify token (FB_VERIFY_TOKEN) is not configured: "
                "the webhook verification is refused"
            )
        if self.fb_access_token is None:
            logger.warning(
                "facebook channel: the page access token (FB_PAGE_ACCESS_TOKEN) is not configured: "
                "no answer can be sent"
            )

    def get_output_channel(self) -> OutputChannel:
        """The channel for messages Rasa sends on its own (``trigger_intent``, ``output_channel=latest``):
        agent replies and the desk's notices, tagged ``HUMAN_AGENT`` (Meta: 7 days after the customer's last message)."""
        return MessengerOutput(self.send_api, messaging_type="MESSAGE_TAG", tag="HUMAN_AGENT", raise_on_failure=True)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        messenger = Blueprint("messenger_webhook", __name__)

        async def handle(item: Dict[str, Any]) -> None:
            await self._handle(IncomingMessage.from_dict(item["message"]), item["metadata"], on_new_message)

        self.queues = event_queues(handle)

        @messenger.listener("after_server_start")
        async def pick_up_waiting_events(_app: Any, _loop: Any) -> None:
            # with Redis: events a crashed or stopped server left behind are handled now
            if isinstance(self.queues, RedisSenderQueues):
                self.queues.start()

        @messenger.listener("before_server_stop")
        async def finish_queued_events(_app: Any, _loop: Any) -> None:
            await self.drain()
            await self.queues.stop()

        @messenger.listener("after_server_stop")
        async def close_send_api(_app: Any, _loop: Any) -> None:
            await self.send_api.close()

        @messenger.route("/", methods=["GET"])
        async def health(_request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @messenger.route("/webhook", methods=["GET"])
        async def verification(request: Request) -> HTTPResponse:
            return self._verification(request)

        @messenger.route("/webhook", methods=["POST"])
        async def webhook(request: Request) -> HTTPResponse:
            return await self._webhook(request, on_new_message)

        return messenger

    def _verification(self, request: Request) -> HTTPResponse:
        if self.fb_verify is None:
            logger.error("facebook webhook verification refused: FB_VERIFY_TOKEN is not configured")
            return _error(403, "verification is not configured")
        token = request.args.get("hub.verify_token") or ""
        if request.args.get("hub.mode") != "subscribe" or not hmac.compare_digest(
            token.encode("utf-8"), self.fb_verify.encode("utf-8")
        ):
            logger.warning("facebook webhook verification refused: wrong mode or verify token")
            return _error(403, "verification failed")
        challenge = request.args.get("hub.challenge")
        if not challenge:
            return _error(400, "hub.challenge is missing")
        return response.text(challenge)

    async def _webhook(
        self, request: Request, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> HTTPResponse:
        if self.fb_secret is None:
            logger.error("facebook webhook refused: FB_APP_SECRET is not configured, no message can be verified")
            return _error(403, "signature cannot be verified")
        body = request.body or b""
        if not valid_signature(self.fb_secret, body, request.headers.get(SIGNATURE_HEADER)):
            logger.warning(
                "facebook webhook refused: %s header missing or wrong (%d bytes from %s)",
                SIGNATURE_HEADER,
                len(body),
                request.ip,
            )
            return _error(403, "invalid signature")
        try:
            messages = parse_webhook(json.loads(body))
        except (ValueError, RecursionError) as exc:  # JSONDecodeError, UnicodeDecodeError, MalformedWebhook, too deep
            # signed, so Meta sent it: a 4xx would only make Meta send it again and, after an hour
            # of failures, unsubscribe the page. Nothing in it can be handled: answer 200, log why.
            reason = str(exc) if isinstance(exc, MalformedWebhook) else "the body is not JSON"
            logger.error("facebook webhook ignored: a signed body of an unexpected shape (%s, %d bytes)",
                         reason, len(body))
            return response.text("EVENT_RECEIVED")
        if messages is None:
            logger.info("facebook webhook ignored: not a page event")
            return response.text("EVENT_RECEIVED")
        request_metadata = self.get_metadata(request) or {}
        for message in messages:
            if message.mid is not None and not await self.seen.add(message.mid, 1):
                logger.info("facebook message %s from %s is a redelivery: ignored", message.mid, message.sender_id)
                continue
            try:
                await self.queues.put(message.sender_id, {"message": message.to_dict(), "metadata": request_metadata})
            except QueueFull:
                # let Meta deliver it again later rather than drop it
                logger.error("facebook message %s from %s: too many events waiting, Meta will retry",
                             message.mid, message.sender_id)
                if message.mid is not None:
                    await self.seen.pop(message.mid)
                return _error(503, "busy, please retry")
        return response.text("EVENT_RECEIVED")

    async def drain(self, timeout: float = 30.0) -> None:
        """Wait until every event the webhook accepted has been handled."""
        if self.queues is not None:
            await self.queues.drain(timeout)

    async def _handle(
        self,
        message: IncomingMessage,
        request_metadata: Dict[str, Any],
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
    ) -> None:
        metadata = {**request_metadata, **(message.metadata or {})}
        logger.info(
            "facebook %s %s from %s (%d image(s))",
            message.kind,
            message.mid,
            message.sender_id,
            len(message.attachments),
        )
        conversation = conversation_ids.conversation_id(conversation_ids.MESSENGER, message.sender_id)
        # Meta calls from its own servers and vouches for the sender: count per conversation
        identity = ChannelIdentity(conversation=conversation, channel=self.name(), customer=None, client=conversation)
        user_message = self.customer_input.message(
            message.text,
            MessengerOutput(self.send_api, messaging_type="RESPONSE"),
            identity,
            metadata=metadata,
            message_id=message.mid,
            channel_made=message.channel_made,
        )
        try:
            await on_new_message(user_message)
        except Exception:  # one failing message must not fail the others of the batch, nor give Meta a 500
            logger.exception("facebook message %s from %s: the bot failed to handle it", message.mid, message.sender_id)
