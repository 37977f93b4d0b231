"""Close the action server's pooled HTTP clients when the server stops.

rasa-sdk creates its Sanic app ("rasa_sdk") before it imports this package,
so the shutdown listener can be attached here. Imported outside a running
action server (tests, scripts), it does nothing.
"""

from __future__ import annotations

import logging

from sanic import Sanic
from sanic.exceptions import SanicException

from actions import desk_client, order_access

logger = logging.getLogger(__name__)


def register_shutdown(app_name: str = "rasa_sdk") -> bool:
    """Attach the shutdown listener to the action server's app, if it exists."""
    try:
        app = Sanic.get_app(app_name)
    except SanicException:
        return False

    @app.after_server_stop
    async def close_http_clients(_app: Sanic, _loop) -> None:
        await desk_client.close_client()
        await order_access.close_repository()

    return True


register_shutdown()
