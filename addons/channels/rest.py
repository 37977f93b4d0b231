"""Rasa's REST channel (``rest``), refusing what it cannot use instead of failing.

Rasa's own ``RestInput`` answers 500 to a body that is not a JSON object, stays
silent (``[]``) when ``message`` is not a string or ``metadata`` not an object,
lets any client claim another ``input_channel`` (the actions treat ``facebook`` and
``socketio`` as push channels) and logs the customer's text when the bot fails.
This channel keeps its name, URL (``POST /webhooks/rest/webhook``), request
(``{"sender", "message", "metadata"}``) and answers, and:

* answers ``400 {"error": <code>, "message": …}`` to malformed JSON or UTF-8, a
  body that is not an object, a missing or malformed ``sender`` (1–200
  characters, no control characters; a whole number is taken as text), a
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
  (:mod:`addons.channels.rest_replay`). If that memory (Redis) is unreachable,
  the message is handled as if it had no id.

Enabled in ``credentials.yml`` as ``addons.channels.rest.CheckedRestInput``.
"""

from __future__ import annotations

import json
import logging
from asyncio import CancelledError
from dataclasses import dataclass
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text, Tuple

import rasa.utils.endpoints
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from addons.channels.rest_replay import ReplayMemory, StillRunning

logger = logging.getLogger(__name__)

MAX_SENDER = 200  # the desk keeps conversation ids of up to 200 characters
MAX_MESSAGE_ID = 100
ERROR_TEXT = "죄송해요, 잠시 문제가 생겼어요. 잠시 후 다시 말씀해 주세요."
IN_PROGRESS_TEXT = "앞서 보낸 같은 메시지를 아직 처리하고 있어요. 잠시 후 다시 시도해 주세요."


class RestRequestError(ValueError):
    """The body is not a usable message; ``code`` names why (the answer is 400)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class RestRequest:
    """What the bot takes from one REST request."""

    sender: str
    message: str
    metadata: Optional[Dict[str, Any]] = None
    message_id: Optional[str] = None


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def parse_rest_request(body: bytes) -> RestRequest:
    """Validate a raw request body.

    Raises:
        RestRequestError: malformed JSON, not an object, or a field missing or of the wrong type.
    """
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
    if len(sender) > MAX_SENDER or not sender.isprintable():
        raise RestRequestError("invalid_sender", f"sender must be 1 to {MAX_SENDER} printable characters.")
    message = data.get("message")
    if not isinstance(message, str):
        raise RestRequestError("invalid_message", "message must be a string.")
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
            parsed = parse_rest_request(request.body)
        except RestRequestError as error:
            logger.warning("rest.request rejected: %s (%d bytes)", error.code, len(request.body or b""))
            return response.json({"error": error.code, "message": str(error)}, status=400)
        streaming = rasa.utils.endpoints.bool_arg(request, "stream", default=False)
        if streaming and parsed.message_id is not None:
            return response.json(
                {"error": "message_id_with_stream", "message": "message_id cannot be used with stream=true."},
                status=400,
            )
        if streaming:
            return response.stream(
                self.stream_response(on_new_message, parsed.message, parsed.sender, self.name(), parsed.metadata),
                content_type="text/event-stream",
            )
        key = None if parsed.message_id is None else ReplayMemory.key(parsed.sender, parsed.message_id)
        if key is not None:
            try:
                earlier = await self.replay.begin(key)
            except StillRunning:
                logger.warning("rest.message sender=%s repeated message_id still in progress", parsed.sender)
                return response.json({"error": "in_progress", "message": IN_PROGRESS_TEXT}, status=409)
            except Exception as error:  # noqa: BLE001 - without the memory, the message is still answered
                logger.warning("rest.message sender=%s retry memory unavailable (%s): handled without it",
                               parsed.sender, type(error).__name__)
                key, earlier = None, None
            if earlier is not None:
                logger.info("rest.message sender=%s repeated message_id: the first answer again", parsed.sender)
                return response.json(earlier)
        messages, answered = await self._run_turn(parsed, on_new_message)
        if key is not None:
            await self._settle(key, messages if answered else None, parsed.sender)
        return response.json(messages)

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
        self, parsed: RestRequest, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> Tuple[List[Dict[str, Any]], bool]:
        """Hand the message to the bot: ``(its messages, True)``, or ``(an apology, False)`` when it failed."""
        collector = CollectingOutputChannel()
        message = UserMessage(
            parsed.message, collector, parsed.sender, input_channel=self.name(), metadata=parsed.metadata,
            message_id=parsed.message_id,
        )
        try:
            await on_new_message(message)
        except CancelledError:
            logger.error("rest.message timed out for sender %s", parsed.sender)
            return collector.messages or [{"recipient_id": parsed.sender, "text": ERROR_TEXT}], False
        except Exception:  # noqa: BLE001 - the customer gets an apology, never silence or a 500
            logger.exception("rest.message failed in Rasa for sender %s (%d chars)", parsed.sender, len(parsed.message))
            return [{"recipient_id": parsed.sender, "text": ERROR_TEXT}], False
        return collector.messages, True
