"""Rasa's socket.io channel with the conversation bound by the server, never named by the client.

Rasa's own channel puts a socket into whatever room (conversation) the client
names in ``session_request``, so anyone could join a signed-in customer's
conversation and read her orders and agent replies. Here the conversation is
decided once, when the socket connects (socket.io's ``auth`` payload):

* ``{"token": "<customer token>"}`` valid (:mod:`support.customer_tokens`): the
  customer's conversation ``app:<customer id>``; a token that is expired, forged,
  for another audience or malformed refuses the connection (``connect_error``
  with ``{"error": <code>}``);
* no token: a new anonymous conversation ``web:<random>``. It can be resumed on a
  new socket with the ``resume_token`` the server gave with it.

``session_request`` confirms the bound conversation
(``session_confirm`` → ``{"session_id", "resume_token"?}``). A ``session_id``
that a client sends and that is not its own gets the event ``session_error``
``{"error": "session_mismatch", "message": …}``, never the other room; so does any
malformed event (``invalid_message``, ``invalid_metadata``), a message over 2,000
characters (``message_too_long``) and a message after
the customer token expired (``token_expired``: connect again with a fresh token,
or send it as ``metadata.customer_token``). Every message carries the channel's
signed identity (:mod:`channels.customer_input`).

With ``CHANNEL_REDIS_URL`` set, emits travel over Redis, so an agent reply pushed
to any Rasa server reaches the socket wherever it is connected. Same name
(``socketio``) and settings as Rasa's channel; enabled in ``credentials.yml`` as
``channels.socketio_sessions.BoundSocketIOInput``.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
from typing import Any, Awaitable, Callable, Dict, Optional, Text

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketBlueprint, SocketIOInput, SocketIOOutput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from socketio import AsyncServer
from socketio.exceptions import ConnectionRefusedError as SocketRefused

from channels.customer_input import MAX_TEXT, TOO_LONG_TEXT, CustomerInput, address_client, trusted_proxies
from channels.shared_memory import redis_url
from support import conversation_ids
from support import customer_texts as say
from support.channel_identity import ChannelIdentity
from support.customer_tokens import TokenPolicy, TokenRejected, verify

logger = logging.getLogger(__name__)

PUBSUB_CHANNEL = "supportbot-socketio"
ERROR_EVENT = "session_error"
MAX_METADATA_CHARS = 64 * 1024
# the largest socket.io packet the server reads (python-socketio's default is 1 MB)
MAX_PACKET_BYTES = 128 * 1024
_RESUME_PURPOSE = b"supportbot/anonymous-resume/v1"
MESSAGES = {**say.SESSION_ERRORS, "message_too_long": TOO_LONG_TEXT}


def _error(code: str) -> Dict[str, str]:
    return {"error": code, "message": MESSAGES.get(code, MESSAGES["invalid_message"])}


class BoundSocketIOInput(SocketIOInput):
    """Rasa's socket.io input channel whose conversations are bound to verified identities."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.customer_input = CustomerInput()
        self.token_policy = TokenPolicy.from_env()
        self.proxies = trusted_proxies()

    # -- anonymous conversations that can be resumed ------------------------------------

    def resume_token(self, conversation: str) -> Optional[str]:
        """The proof that a socket was given the anonymous ``conversation``; None without a key."""
        key = self.customer_input.key
        if key is None:
            return None
        return hmac.new(key, _RESUME_PURPOSE + conversation.encode("utf-8"), hashlib.sha256).hexdigest()

    def _may_resume(self, conversation: Any, token: Any) -> bool:
        if not isinstance(conversation, str) or not isinstance(token, str):
            return False
        if conversation_ids.namespace_of(conversation) != conversation_ids.WEB:
            return False
        expected = self.resume_token(conversation)
        return expected is not None and hmac.compare_digest(expected, token)

    # -- events -------------------------------------------------------------------------

    def _bind(self, auth: Any, request: Optional[Request]) -> Dict[str, Any]:
        """The session of a new socket, from its ``auth`` payload.

        Raises:
            SocketRefused: a token that is not valid, or an ``auth`` that is not an object.
        """
        if auth is not None and not isinstance(auth, dict):
            raise SocketRefused("auth must be an object", {"error": "invalid_auth"})
        token = (auth or {}).get("token")
        client = address_client(
            request.ip if request is not None else None,
            request.headers.get("x-forwarded-for") if request is not None else None,
            self.proxies,
            self.customer_input.key,
        )
        if token is None:
            return {"conversation": conversation_ids.anonymous_conversation(), "customer": None,
                    "expires_at": None, "client": client}
        try:
            verified = verify(token, self.token_policy)
        except TokenRejected as rejected:
            logger.warning("socketio.connect refused: %s", rejected.code)
            raise SocketRefused(str(rejected), {"error": rejected.code}) from rejected
        return {"conversation": conversation_ids.customer_conversation(verified.customer_id),
                "customer": verified.customer_id, "expires_at": verified.expires_at, "client": client}

    async def _session_request(self, sio: AsyncServer, sid: Text, data: Any) -> None:
        session = await sio.get_session(sid, namespace=self.namespace)
        requested = data.get("session_id") if isinstance(data, dict) else None
        if requested is not None and requested != session["conversation"]:
            if session["customer"] is None and self._may_resume(requested, data.get("resume_token")):
                sio.leave_room(sid, session["conversation"], namespace=self.namespace)
                session["conversation"] = requested
                await sio.save_session(sid, session, namespace=self.namespace)
                sio.enter_room(sid, requested, namespace=self.namespace)
            else:
                logger.warning("socketio.session_request: a session id that is not the socket's own was refused")
                await sio.emit(ERROR_EVENT, _error("session_mismatch"), room=sid, namespace=self.namespace)
        confirmed: Dict[str, Any] = {"session_id": session["conversation"]}
        if session["customer"] is None and self.resume_token(session["conversation"]):
            confirmed["resume_token"] = self.resume_token(session["conversation"])
        await sio.emit("session_confirm", confirmed, room=sid, namespace=self.namespace)

    def _metadata(self, data: Dict[str, Any]) -> Optional[Dict[str, Any]]:
        """The event's metadata as an object; None when it is malformed."""
        metadata = data.get(self.metadata_key)
        if metadata is None:
            return {}
        if isinstance(metadata, str):
            if len(metadata) > MAX_METADATA_CHARS:
                return None
            try:
                metadata = json.loads(metadata)
            except (ValueError, RecursionError):
                return None
        return metadata if isinstance(metadata, dict) else None

    def _refresh_token(self, session: Dict[str, Any], token: Any) -> Optional[str]:
        """Take a fresh token sent with a message; the error code when it cannot be taken."""
        try:
            verified = verify(token, self.token_policy)
        except TokenRejected:
            return "invalid_token"
        if verified.customer_id != session["customer"]:
            return "customer_mismatch"
        session["expires_at"] = verified.expires_at
        return None

    async def _user_message(
        self, sio: AsyncServer, sid: Text, data: Any, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> None:
        async def refuse(code: str) -> None:
            logger.warning("socketio.message refused: %s", code)
            await sio.emit(ERROR_EVENT, _error(code), room=sid, namespace=self.namespace)

        if not isinstance(data, dict) or not isinstance(data.get("message", ""), str):
            return await refuse("invalid_message")
        if len(data.get("message", "")) > MAX_TEXT:
            return await refuse("message_too_long")
        session = await sio.get_session(sid, namespace=self.namespace)
        named = data.get("session_id")
        if named is not None and named != session["conversation"]:
            return await refuse("session_mismatch")
        metadata = self._metadata(data)
        if metadata is None:
            return await refuse("invalid_metadata")
        if "customer_token" in metadata and session["customer"] is not None:
            problem = self._refresh_token(session, metadata["customer_token"])
            if problem:
                return await refuse(problem)
            await sio.save_session(sid, session, namespace=self.namespace)
        if session["customer"] is not None and session["expires_at"] <= time.time():
            return await refuse("token_expired")
        identity = ChannelIdentity(
            conversation=session["conversation"], channel=self.name(), customer=session["customer"],
            client=session["client"], expires_at=session["expires_at"],
        )
        output = SocketIOOutput(sio, self.bot_message_evt)
        await on_new_message(self.customer_input.message(data.get("message", ""), output, identity, metadata))

    # -- routes -------------------------------------------------------------------------

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        """The socket.io server with bound sessions; its emits shared over Redis when configured."""
        sio = AsyncServer(async_mode="sanic", cors_allowed_origins=[], max_http_buffer_size=MAX_PACKET_BYTES)
        url = redis_url()
        if url:
            from socketio import AsyncRedisManager

            manager = AsyncRedisManager(url, channel=PUBSUB_CHANNEL)
            manager.set_server(sio)
            sio.manager = manager
            logger.info("socket.io emits shared over Redis (channel %s)", PUBSUB_CHANNEL)
        blueprint = SocketBlueprint(sio, self.socketio_path, "socketio_webhook", __name__)
        self.sio = sio

        @blueprint.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @sio.on("connect", namespace=self.namespace)
        async def connect(sid: Text, environ: Dict[str, Any], auth: Any = None) -> bool:
            session = self._bind(auth, environ.get("sanic.request"))
            await sio.save_session(sid, session, namespace=self.namespace)
            sio.enter_room(sid, session["conversation"], namespace=self.namespace)
            logger.debug("socketio.connect bound to a %s conversation",
                         conversation_ids.namespace_of(session["conversation"]))
            return True

        @sio.on("session_request", namespace=self.namespace)
        async def session_request(sid: Text, data: Any = None) -> None:
            await self._session_request(sio, sid, data)

        @sio.on(self.user_message_evt, namespace=self.namespace)
        async def handle_message(sid: Text, data: Any = None) -> None:
            await self._user_message(sio, sid, data, on_new_message)

        return blueprint
