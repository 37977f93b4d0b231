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
  the text.

Enabled in ``credentials.yml`` as ``addons.channels.rest.CheckedRestInput``.
"""

from __future__ import annotations

import json
import logging
from asyncio import CancelledError
from dataclasses import dataclass
from typing import Any, Awaitable, Callable, Dict, Optional, Text

import rasa.utils.endpoints
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

logger = logging.getLogger(__name__)

MAX_SENDER = 200  # the desk keeps conversation ids of up to 200 characters
ERROR_TEXT = "죄송해요, 잠시 문제가 생겼어요. 잠시 후 다시 말씀해 주세요."


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
    return RestRequest(sender=sender, message=message, metadata=metadata)


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

    async def handle(self, request: Request, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> HTTPResponse:
        """Answer one request: the bot's messages, a 400, or an apology."""
        try:
            parsed = parse_rest_request(request.body)
        except RestRequestError as error:
            logger.warning("rest.request rejected: %s (%d bytes)", error.code, len(request.body or b""))
            return response.json({"error": error.code, "message": str(error)}, status=400)
        if rasa.utils.endpoints.bool_arg(request, "stream", default=False):
            return response.stream(
                self.stream_response(on_new_message, parsed.message, parsed.sender, self.name(), parsed.metadata),
                content_type="text/event-stream",
            )
        collector = CollectingOutputChannel()
        message = UserMessage(
            parsed.message, collector, parsed.sender, input_channel=self.name(), metadata=parsed.metadata
        )
        try:
            await on_new_message(message)
        except CancelledError:
            logger.error("rest.message timed out for sender %s", parsed.sender)
            return response.json(collector.messages or [{"recipient_id": parsed.sender, "text": ERROR_TEXT}])
        except Exception:  # noqa: BLE001 - the customer gets an apology, never silence or a 500
            logger.exception("rest.message failed in Rasa for sender %s (%d chars)", parsed.sender, len(parsed.message))
            return response.json([{"recipient_id": parsed.sender, "text": ERROR_TEXT}])
        return response.json(collector.messages)
