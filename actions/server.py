"""The action server: rasa-sdk's app, built like the desk, reachable only by Rasa.

``python -m actions.server`` replaces ``rasa run actions``. It serves the same
rasa-sdk app (``/webhook``, ``/actions``, ``/health``) built by :func:`build_app`
from one :class:`~actions.settings.ActionSettings`:

- the actions' clients and stores (:class:`~actions.services.Services`: the desk,
  the orders, the action server's own database) are opened in a start-up listener
  and closed in a stop listener; queued tickets are retried in the background;
- it listens on ``ACTION_HOST`` (default 127.0.0.1), not on every interface;
- when ``ACTION_SERVER_TOKEN`` is set, every request but ``/health`` must carry
  it in the ``X-Action-Token`` header (Rasa sends it: ``endpoints.yml``);
  anything else is answered 401;
- an action call that is not well formed is answered 400 (413 when it inflates
  too far) before rasa-sdk runs it (:mod:`actions.call_check`);
- personal data is masked in every log record (:mod:`support.log_masking`).
"""

from __future__ import annotations

import asyncio
import hmac
import logging
from typing import Optional

from rasa_sdk.endpoint import create_app
from rasa_sdk.plugin import plugin_manager
from sanic import Sanic
from sanic.request import Request
from sanic.response import HTTPResponse, json

from actions import services as running_services
from actions.call_check import CallRefused, checked_call
from actions.services import Services
from actions.settings import ActionSettings
from actions.ticket_outbox import keep_flushing
from support import log_masking

logger = logging.getLogger(__name__)

TOKEN_HEADER = "X-Action-Token"
OPEN_PATHS = frozenset({"/health"})


def token_accepted(expected: str, given: Optional[str]) -> bool:
    """Whether ``given`` equals the expected token (compared in constant time)."""
    return bool(given) and hmac.compare_digest(expected.encode(), str(given).encode())


def build_app(settings: ActionSettings, services: Optional[Services] = None) -> Sanic:
    """rasa-sdk's app for the ``actions`` package, with its services, the token guard and the call check.

    ``services``: what the actions work with (default: built from ``settings`` when the server starts).
    """
    app = create_app("actions", cors_origins=None)
    token = settings.action_token

    @app.before_server_start
    async def open_services(app: Sanic, _loop) -> None:
        running_services.start(services or Services.from_settings(settings))

    @app.after_server_start
    async def start_outbox(app: Sanic, _loop) -> None:
        running = running_services.running()
        app.ctx.outbox_task = asyncio.get_running_loop().create_task(keep_flushing(running.outbox, running.desk))

    @app.before_server_stop
    async def stop_outbox(app: Sanic, _loop) -> None:
        task = getattr(app.ctx, "outbox_task", None)
        if task is not None:
            task.cancel()

    @app.after_server_stop
    async def close_services(_app: Sanic, _loop) -> None:
        await running_services.stop()

    if token:

        @app.on_request
        async def require_token(request: Request) -> Optional[HTTPResponse]:
            if request.path in OPEN_PATHS or token_accepted(token, request.headers.get(TOKEN_HEADER)):
                return None
            logger.warning("action server refused a request to %s without a valid token", request.path)
            return json({"error": "unauthorized", "message": "a valid X-Action-Token header is required"}, 401)

    @app.on_request
    async def check_action_call(request: Request) -> Optional[HTTPResponse]:
        if request.path != "/webhook" or request.method != "POST":
            return None
        try:
            call = checked_call(request.body or b"", request.headers.get("Content-Encoding"))
        except CallRefused as refused:
            logger.warning("action call refused: %s", refused)
            return json({"error": refused.code, "message": str(refused)}, refused.status)
        if request.headers.get("Content-Encoding") != "deflate":
            request.parsed_json = call  # rasa-sdk reads request.json: the body is decoded once
        return None

    plugin_manager().hook.attach_sanic_app_extensions(app=app)
    return app


def main() -> None:
    """Serve the action server until stopped."""
    log_masking.install()
    settings = ActionSettings.from_env()
    logging.basicConfig(level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    if settings.action_token is None:
        logger.warning("ACTION_SERVER_TOKEN is not set: the action server accepts calls without a token")
    if settings.identity_key is None:
        logger.warning("CHAT_JWT_SECRET is not set: no message's customer identity can be trusted")
    app = build_app(settings)
    logger.info("action server listening on %s:%s", settings.host, settings.port)
    app.run(host=settings.host, port=settings.port, workers=1, access_log=False, motd=False)


if __name__ == "__main__":
    main()
