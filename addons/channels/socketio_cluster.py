"""Rasa's socket.io channel, able to push to a customer connected to another Rasa server.

An agent's reply reaches a socket.io customer when the desk asks Rasa to push
it (``trigger_intent`` with output channel ``socketio``). With one Rasa server
that server holds the customer's socket. With several behind a load balancer,
the push may reach a server that does not: Rasa's own channel then emits into
an empty room and the reply is never shown. With ``CHANNEL_REDIS_URL`` set,
this channel gives its socket.io server python-socketio's Redis manager, so an
emit on any server reaches the socket wherever it is connected. Without it, it
is Rasa's channel unchanged. Same name (``socketio``) and settings.
"""

from __future__ import annotations

import logging
from typing import Any, Awaitable, Callable

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketIOInput
from sanic import Blueprint

from addons.channels.shared_memory import redis_url

logger = logging.getLogger(__name__)

PUBSUB_CHANNEL = "supportbot-socketio"


class ClusterSocketIOInput(SocketIOInput):
    """``SocketIOInput`` whose emits travel over Redis when ``CHANNEL_REDIS_URL`` is set."""

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        """Rasa's socket.io routes; the server's client manager is Redis-backed when configured."""
        blueprint = super().blueprint(on_new_message)
        url = redis_url()
        if url and self.sio is not None:
            from socketio import AsyncRedisManager

            manager = AsyncRedisManager(url, channel=PUBSUB_CHANNEL)
            manager.set_server(self.sio)
            self.sio.manager = manager
            logger.info("socket.io emits shared over Redis (channel %s)", PUBSUB_CHANNEL)
        return blueprint
