"""Rasa's REST channel (``rest``), refusing what it cannot use instead of failing.

The REST webhook is the channel an app's **backend** calls, server to server; a
customer's own device uses the in-app chat (socket.io). Rasa's own ``RestInput``
answers 500 to a body that is not a JSON object, stays silent (``[]``) when
``message`` is not a string or ``metadata`` not an object, lets any client claim
another ``input_channel`` and any ``sender`` (so a REST client could write into an
in-app customer's conversation) and logs the customer's text when the bot fails.
This channel keeps its name, URL (``POST /webhooks/rest/webhook``), request
(``{"sender", "message", "metadata"}``) and answers, and:

* puts every conversation in the ``rest`` namespace: ``"sender": "me"`` is the
  conversation ``rest:me`` (:mod:`support.conversation_ids`), so no REST client can
  reach a conversation of the in-app chat, KakaoTalk or Messenger;
* takes a service credential, ``Authorization: Bearer <REST_SERVICE_TOKEN>``: a wrong
  one is refused (401); without one the request is refused too when
  ``REST_REQUIRE_SERVICE_TOKEN`` is on (the production profile), and always when it
  is on but no token is configured;
* takes the customer's app token in ``metadata.customer_token``: a valid one lets
  the bot show that customer's orders for this message; a missing-the-mark one is
  refused (401 with the reason); the token itself is never stored;
* lets a message through as an intent only when it is a payload of the bot's own
  buttons, and removes what a client wrote under the metadata keys only the bot
  sets (:mod:`channels.customer_input`);
* answers ``400 {"error": <code>, "message": …}`` to malformed JSON or UTF-8, a
  body that is not an object, a missing or malformed ``sender`` (1–190
  characters of ``A-Z a-z 0-9 . _ ~ : @ + = -``, which every URL carries as they are;
  a whole number is taken as text), a ``message`` over 2,000 characters
  (``message_too_long``), a body over 64 KB (``413 too_large``), a
  ``message`` that is not a string and ``metadata`` that is not an object;
* always records the channel as ``rest``;
* answers a polite apology instead of silence when the bot fails, and never logs
  the text;
* takes an optional ``message_id`` (1–100 printable characters, unique per
  conversation) so a client may retry safely: a repeated ``sender`` +
  ``message_id`` within ten minutes is not handled again but answered with the
  first request's answer, waiting for it while the first request still runs (409
  after 30 s). A request that failed in the bot or was cut off is forgotten, so
  its retry is handled; so is one whose server died, two minutes on
  (:mod:`channels.rest_replay`). If that memory (Redis) is unreachable,
  the message is handled as if it had no id.

Enabled in ``credentials.yml`` as ``channels.rest.CheckedRestInput``.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import os
from asyncio import CancelledError, Queue
from dataclasses import dataclass
from typing import Any, Awaitable, Callable, Dict, List, Mapping, Optional, Text, Tuple

import rasa.utils.endpoints
from rasa.core.channels.channel import CollectingOutputChannel, OutputChannel, UserMessage
from rasa.core.channels.rest import QueueOutputChannel, RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels.customer_input import MAX_TEXT, CustomerInput, address_client, trusted_proxies
from channels.rest_replay import ReplayMemory, StillRunning
from support import conversation_ids
from support import customer_texts as say
from support.channel_identity import ChannelIdentity
from support.coded_errors import CodedError
from support.customer_tokens import TokenPolicy, TokenRejected, verify

logger = logging.getLogger(__name__)

MAX_SENDER = conversation_ids.MAX_LOCAL_ID  # "rest:" + sender fits the desk's 200 characters
# a message of 2,000 characters, its metadata (photo references, a customer token) and room to spare;
# a bigger body would only bloat the tracker store (its metadata is kept with the message)
MAX_BODY_BYTES = 64 * 1024
MAX_MESSAGE_ID = 100


class RestRequestError(CodedError):
    """The body is not a usable message; ``code`` names why (the answer is 400)."""


class RestAccessError(CodedError):
    """The request may not use the channel; ``code`` names why (the answer is 401)."""


@dataclass(frozen=True)
class RestRequest:
    """What the bot takes from one REST request."""

    sender: str
    message: str
    metadata: Optional[Dict[str, Any]] = None
    message_id: Optional[str] = None

    @property
    def conversation(self) -> str:
        """The conversation id: the sender in the ``rest`` namespace."""
        return conversation_ids.in_namespace(conversation_ids.REST, self.sender)


@dataclass(frozen=True)
class RestSettings:
    """Who may call the channel (``credentials.yml`` block, values from the environment).

    Attributes:
        service_token: the app backend's credential; None: none configured.
        require_service_token: refuse requests without the credential.
    """

    service_token: Optional[str] = None
    require_service_token: bool = False

    @classmethod
    def from_credentials(
        cls, credentials: Optional[Mapping[str, Any]], environ: Mapping[str, str] = os.environ
    ) -> "RestSettings":
        """``service_token_env`` and ``require_service_token_env`` name the variables to read."""
        values = dict(credentials or {})
        token_env = values.get("service_token_env")
        require_env = values.get("require_service_token_env")
        token = (environ.get(str(token_env), "") if token_env else "").strip() or None
        required = (environ.get(str(require_env), "") if require_env else "").strip().lower()
        return cls(service_token=token, require_service_token=required in ("1", "true", "yes", "on"))


def service_access(settings: RestSettings, authorization: Optional[str]) -> bool:
    """Whether the request carries the service credential (True) or none where none is needed (False).

    Raises:
        RestAccessError: a wrong credential, or none where one is required.
    """
    scheme, _, given = (authorization or "").partition(" ")
    if authorization:
        if scheme.lower() != "bearer" or not settings.service_token or not hmac.compare_digest(
            given.strip().encode(), settings.service_token.encode()
        ):
            raise RestAccessError("invalid_service_token", "The service token is wrong.")
        return True
    if settings.require_service_token:
        raise RestAccessError("service_token_required", "This channel takes requests from the app's backend only "
                                                        "(Authorization: Bearer <service token>).")
    return False


def customer_of_request(metadata: Optional[Dict[str, Any]], policy: Optional[TokenPolicy]) -> Tuple[Optional[str], Optional[int]]:
    """The customer and expiry a ``metadata.customer_token`` proves; ``(None, None)`` without one.

    Raises:
        RestAccessError: the token is there but not valid (``invalid_customer_token`` with the reason).
    """
    if not metadata or "customer_token" not in metadata:
        return None, None
    try:
        token = verify(metadata.get("customer_token"), policy)
    except TokenRejected as rejected:
        raise RestAccessError("invalid_customer_token", f"{rejected} ({rejected.code})") from rejected
    return token.customer_id, token.expires_at


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def parse_rest_request(body: bytes) -> RestRequest:
    """Validate a raw request body.

    Raises:
        RestRequestError: malformed JSON, not an object, or a field missing or of the wrong type;
            ``too_large`` for a body over :data:`MAX_BODY_BYTES`.
    """
    if len(body or b"") > MAX_BODY_BYTES:
        raise RestRequestError("too_large", f"The body must be at most {MAX_BODY_BYTES // 1024} KB.")
    try:
        data = json.loads(body or b"", parse_constant=_refuse_constant)
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        raise RestRequestError("malformed_json", "The body is not valid JSON.") from exc
    if not isinstance(data, dict):
        raise RestRequestError("not_an_object", "The body must be a JSON object.")
    sender = data.get("sender")
    if isinstance(sender, int) and not isinstance(sender, bool):
        sender = str(sender)
    if not isinstance(sender, str) or not sender.strip():
        raise RestRequestError("missing_sender", "sender must be a non-empty string naming the conversation.")
    if not conversation_ids.LOCAL_ID.fullmatch(sender):
        raise RestRequestError(
            "invalid_sender", f"sender must be 1 to {MAX_SENDER} characters of A-Z a-z 0-9 . _ ~ : @ + = -."
        )
    message = data.get("message")
    if not isinstance(message, str):
        raise RestRequestError("invalid_message", "message must be a string.")
    if len(message) > MAX_TEXT:
        raise RestRequestError("message_too_long", f"message must be at most {MAX_TEXT} characters.")
    metadata = data.get("metadata")
    if metadata is not None and not isinstance(metadata, dict):
        raise RestRequestError("invalid_metadata", "metadata must be an object.")
    message_id = data.get("message_id")
    if message_id is not None and (
        not isinstance(message_id, str)
        or not message_id.strip()
        or len(message_id) > MAX_MESSAGE_ID
        or not message_id.isprintable()
    ):
        raise RestRequestError(
            "invalid_message_id", f"message_id must be 1 to {MAX_MESSAGE_ID} printable characters."
        )
    return RestRequest(sender=sender, message=message, metadata=metadata, message_id=message_id)


class CheckedRestInput(RestInput):
    """Rasa's REST channel with its input checked (see the module docstring)."""

    @classmethod
    def name(cls) -> Text:
        """Rasa's name: the URL prefix and the ``input_channel`` of its messages."""
        return "rest"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> "CheckedRestInput":
        """The channel configured by its ``credentials.yml`` block."""
        return cls(RestSettings.from_credentials(credentials))

    def __init__(self, settings: Optional[RestSettings] = None, customer_input: Optional[CustomerInput] = None) -> None:
        self.settings = settings or RestSettings()
        self.customer_input = customer_input or CustomerInput()
        self.token_policy = TokenPolicy.from_env()
        self.proxies = trusted_proxies()
        if self.settings.require_service_token and not self.settings.service_token:
            logger.error("rest channel: a service token is required but none is configured (REST_SERVICE_TOKEN): "
                         "every request is refused")

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        """The health and webhook routes."""
        webhook = Blueprint("checked_rest_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(_request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            return await self.handle(request, on_new_message)

        return webhook

    @property
    def replay(self) -> ReplayMemory:
        """What the channel remembers of requests that carried a ``message_id``."""
        if getattr(self, "_replay", None) is None:
            self._replay = ReplayMemory.shared()
        return self._replay

    async def handle(self, request: Request, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> HTTPResponse:
        """Answer one request: the bot's messages, a 400, or an apology."""
        try:
            service = service_access(self.settings, request.headers.get("authorization"))
        except RestAccessError as error:
            logger.warning("rest.request refused: %s", error.code)
            return response.json({"error": error.code, "message": str(error)}, status=401)
        try:
            parsed = parse_rest_request(request.body)
        except RestRequestError as error:
            logger.warning("rest.request rejected: %s (%d bytes)", error.code, len(request.body or b""))
            status = 413 if error.code == "too_large" else 400
            return response.json({"error": error.code, "message": str(error)}, status=status)
        try:
            customer, expires_at = customer_of_request(parsed.metadata, self.token_policy)
        except RestAccessError as error:
            logger.warning("rest.request refused for %s: %s", parsed.conversation, error)
            return response.json({"error": error.code, "message": str(error)}, status=401)
        identity = ChannelIdentity(
            conversation=parsed.conversation,
            channel=self.name(),
            customer=customer,
            # the app's backend speaks for many customers from one address: count per conversation
            client=parsed.conversation if service else address_client(
                request.ip, request.headers.get("x-forwarded-for"), self.proxies, self.customer_input.key
            ),
            expires_at=expires_at,
        )
        streaming = rasa.utils.endpoints.bool_arg(request, "stream", default=False)
        if streaming and parsed.message_id is not None:
            return response.json(
                {"error": "message_id_with_stream", "message": "message_id cannot be used with stream=true."},
                status=400,
            )
        if streaming:
            return response.stream(self._stream(parsed, identity, on_new_message), content_type="text/event-stream")
        key = None if parsed.message_id is None else ReplayMemory.key(parsed.conversation, parsed.message_id)
        if key is not None:
            try:
                earlier = await self.replay.begin(key)
            except StillRunning:
                logger.warning("rest.message sender=%s repeated message_id still in progress", parsed.conversation)
                return response.json({"error": "in_progress", "message": say.SAME_MESSAGE_IN_PROGRESS}, status=409)
            except Exception as error:  # noqa: BLE001 - without the memory, the message is still answered
                logger.warning("rest.message sender=%s retry memory unavailable (%s): handled without it",
                               parsed.conversation, type(error).__name__)
                key, earlier = None, None
            if earlier is not None:
                logger.info("rest.message sender=%s repeated message_id: the first answer again", parsed.conversation)
                return response.json(earlier)
        messages, answered = await self._run_turn(parsed, identity, on_new_message)
        if key is not None:
            await self._settle(key, messages if answered else None, parsed.conversation)
        return response.json(messages)

    def _message(
        self, parsed: RestRequest, identity: ChannelIdentity, output: OutputChannel
    ) -> UserMessage:
        return self.customer_input.message(
            parsed.message, output, identity, metadata=parsed.metadata, message_id=parsed.message_id
        )

    def _stream(
        self, parsed: RestRequest, identity: ChannelIdentity, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> Callable[[Any], Awaitable[None]]:
        """``?stream=true``: each bot message as one JSON line as soon as it is said."""

        async def stream(resp: Any) -> None:
            queue: Queue = Queue()

            async def turn() -> None:
                try:
                    await on_new_message(self._message(parsed, identity, QueueOutputChannel(queue)))
                except Exception:  # noqa: BLE001 - the stream ends with an apology, never a broken body
                    logger.exception("rest.stream failed in Rasa for sender %s", parsed.conversation)
                    await queue.put({"recipient_id": parsed.conversation, "text": say.TRY_AGAIN_LATER})
                finally:
                    await queue.put("DONE")

            task = asyncio.ensure_future(turn())
            while True:
                result = await queue.get()
                if result == "DONE":
                    break
                await resp.write(json.dumps(result) + "\n")
            await task

        return stream

    async def _settle(self, key: str, messages: Optional[List[Dict[str, Any]]], sender: str) -> None:
        """Keep the answer for retries, or forget the id when the turn did not complete."""
        try:
            if messages is None:
                await self.replay.abandon(key)
            else:
                await self.replay.finish(key, messages)
        except Exception as error:  # noqa: BLE001 - the customer still gets this answer
            logger.warning("rest.message sender=%s retry memory unavailable (%s): answer not kept",
                           sender, type(error).__name__)

    async def _run_turn(
        self, parsed: RestRequest, identity: ChannelIdentity, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> Tuple[List[Dict[str, Any]], bool]:
        """Hand the message to the bot: ``(its messages, True)``, or ``(an apology, False)`` when it failed."""
        collector = CollectingOutputChannel()
        conversation = parsed.conversation
        try:
            await on_new_message(self._message(parsed, identity, collector))
        except CancelledError:
            logger.error("rest.message timed out for sender %s", conversation)
            return collector.messages or [{"recipient_id": conversation, "text": say.TRY_AGAIN_LATER}], False
        except Exception:  # noqa: BLE001 - the customer gets an apology, never silence or a 500
            logger.exception("rest.message failed in Rasa for sender %s (%d chars)", conversation, len(parsed.message))
            return [{"recipient_id": conversation, "text": say.TRY_AGAIN_LATER}], False
        return collector.messages, True
