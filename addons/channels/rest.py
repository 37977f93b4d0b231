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
  first request's answer (waiting for it while the first request still runs; 409
  if it takes more than 30 s; a first request whose server died mid-turn is taken
  over after two minutes). The ids are remembered in this process, or in Redis
  for every Rasa server when ``CHANNEL_REDIS_URL`` is set
  (:mod:`addons.channels.shared_memory`). A request that failed in the bot is
  forgotten, so its retry is handled.

Enabled in ``credentials.yml`` as ``addons.channels.rest.CheckedRestInput``.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from asyncio import CancelledError
from dataclasses import dataclass
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text, Tuple

import rasa.utils.endpoints
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from addons.channels.shared_memory import SharedMap, shared_map

logger = logging.getLogger(__name__)

MAX_SENDER = 200  # the desk keeps conversation ids of up to 200 characters
MAX_MESSAGE_ID = 100
ERROR_TEXT = "죄송해요, 잠시 문제가 생겼어요. 잠시 후 다시 말씀해 주세요."
IN_PROGRESS_TEXT = "앞서 보낸 같은 메시지를 아직 처리하고 있어요. 잠시 후 다시 시도해 주세요."
REPLAY_TTL_SECONDS = 600.0  # how long a message id is remembered
REPLAY_WAIT_SECONDS = 30.0  # how long a retry waits for the first request's answer
REPLAY_MAX_ENTRIES = 20_000  # per process, without Redis
ABANDONED_AFTER_SECONDS = 120.0  # a first request still "in progress" after this died with its server


def _in_progress() -> Dict[str, Any]:
    """The entry of a ``message_id`` whose request is running."""
    return {"state": "in_progress", "since": time.time()}


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
    def replies(self) -> SharedMap:
        """The answers of requests that carried a ``message_id``, by sender and id."""
        if getattr(self, "_replies", None) is None:
            self._replies = shared_map("rest:replies", REPLAY_TTL_SECONDS, REPLAY_MAX_ENTRIES)
        return self._replies

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
        if parsed.message_id is None:
            return response.json(await self._run_turn(parsed, on_new_message))

        key = f"{parsed.sender}\n{parsed.message_id}"  # a sender is printable: no line break in it
        if not await self.replies.add(key, _in_progress()):
            earlier, claimed = await self._earlier_answer_or_claim(key)
            if earlier is not None:
                logger.info("rest.message sender=%s repeated message_id: the first answer again", parsed.sender)
                return response.json(earlier)
            if not claimed:
                logger.warning("rest.message sender=%s repeated message_id still in progress", parsed.sender)
                return response.json({"error": "in_progress", "message": IN_PROGRESS_TEXT}, status=409)
        try:
            return response.json(await self._run_turn(parsed, on_new_message, remember_as=key))
        except BaseException:
            await self.replies.pop(key)
            raise

    async def _earlier_answer_or_claim(self, key: str) -> Tuple[Optional[List[Dict[str, Any]]], bool]:
        """For a repeated ``message_id``: ``(the first request's answer, False)``, waiting while it runs.

        ``(None, True)`` when this request took the id over (the first one failed in the bot and
        was forgotten, or was abandoned: its server died mid-turn); ``(None, False)`` when the
        first one is still running after ``REPLAY_WAIT_SECONDS``.
        """
        deadline = time.monotonic() + REPLAY_WAIT_SECONDS
        while True:
            entry = await self.replies.get(key)
            if isinstance(entry, dict) and isinstance(entry.get("messages"), list):
                return entry["messages"], False
            since = entry.get("since") if isinstance(entry, dict) else None
            abandoned = isinstance(since, (int, float)) and time.time() - since > ABANDONED_AFTER_SECONDS
            if entry is None or abandoned:
                if abandoned:
                    await self.replies.pop(key)
                if await self.replies.add(key, _in_progress()):
                    return None, True
            if time.monotonic() >= deadline:
                return None, False
            await asyncio.sleep(0.1)

    async def _run_turn(
        self,
        parsed: RestRequest,
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
        remember_as: Optional[str] = None,
    ) -> List[Dict[str, Any]]:
        """Hand the message to the bot; its messages, or an apology when it failed.

        With ``remember_as`` (a ``message_id`` key) the answer is remembered under that key,
        or the key is forgotten when the bot failed, so that a retry is handled again.
        """
        collector = CollectingOutputChannel()
        message = UserMessage(
            parsed.message, collector, parsed.sender, input_channel=self.name(), metadata=parsed.metadata,
            message_id=parsed.message_id,
        )
        try:
            await on_new_message(message)
        except CancelledError:
            logger.error("rest.message timed out for sender %s", parsed.sender)
            messages = collector.messages or [{"recipient_id": parsed.sender, "text": ERROR_TEXT}]
        except Exception:  # noqa: BLE001 - the customer gets an apology, never silence or a 500
            logger.exception("rest.message failed in Rasa for sender %s (%d chars)", parsed.sender, len(parsed.message))
            if remember_as is not None:
                await self.replies.pop(remember_as)
            return [{"recipient_id": parsed.sender, "text": ERROR_TEXT}]
        else:
            messages = collector.messages
        if remember_as is not None:
            await self.replies.set(remember_as, {"messages": messages})
        return messages
