"""The action server's background work: retry queued tickets; close pooled clients at the end.

rasa-sdk creates its Sanic app ("rasa_sdk") before it imports this package,
so the shutdown listener can be attached here. Imported outside a running
action server (tests, scripts), it does nothing.
"""

from __future__ import annotations

import asyncio
import logging

from sanic import Sanic
from sanic.exceptions import SanicException

from actions import desk_client, order_access
from actions.action_database import close_action_database
from actions.ticket_outbox import keep_flushing

logger = logging.getLogger(__name__)


def register_shutdown(app_name: str = "rasa_sdk") -> bool:
    """Attach the shutdown listener to the action server's app, if it exists."""
    try:
        app = Sanic.get_app(app_name)
    except SanicException:
        return False
    if getattr(app.ctx, "lifecycle_registered", False):
        return True
    app.ctx.lifecycle_registered = True

    @app.after_server_start
    async def start_outbox(app: Sanic, _loop) -> None:
        app.ctx.outbox_task = asyncio.get_running_loop().create_task(keep_flushing(desk_client.desk_client))

    @app.before_server_stop
    async def stop_outbox(app: Sanic, _loop) -> None:
        task = getattr(app.ctx, "outbox_task", None)
        if task is not None:
            task.cancel()

    @app.after_server_stop
    async def close_http_clients(_app: Sanic, _loop) -> None:
        await desk_client.close_client()
        await order_access.close_repository()
        await close_action_database()  # the outbox's and the ownership checks' connections

    return True


register_shutdown()
