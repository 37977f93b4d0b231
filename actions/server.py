"""The action server: rasa-sdk's app, reachable only by Rasa.

``python -m actions.server`` replaces ``rasa run actions``. It serves the same
rasa-sdk app (``/webhook``, ``/actions``, ``/health``) and adds two guards:

- it listens on ``ACTION_HOST`` (default 127.0.0.1), not on every interface;
- when ``ACTION_SERVER_TOKEN`` is set, every request but ``/health`` must carry
  it in the ``X-Action-Token`` header (Rasa sends it: ``endpoints.yml``);
  anything else is answered 401;
- an action call that is not well formed is answered 400 (413 when it inflates
  too far) before rasa-sdk runs it (:mod:`actions.call_check`).

Port: ``ACTION_PORT`` (default 5055).
"""

from __future__ import annotations

import hmac
import logging
import os
from typing import Optional

from rasa_sdk.endpoint import create_app
from rasa_sdk.plugin import plugin_manager
from sanic import Sanic
from sanic.request import Request
from sanic.response import HTTPResponse, json

from actions.call_check import CallRefused, checked_call

logger = logging.getLogger(__name__)

TOKEN_HEADER = "X-Action-Token"
OPEN_PATHS = frozenset({"/health"})


def token_accepted(expected: str, given: Optional[str]) -> bool:
    """Whether ``given`` equals the expected token (compared in constant time)."""
    return bool(given) and hmac.compare_digest(expected.encode(), str(given).encode())


def build_app(token: Optional[str]) -> Sanic:
    """rasa-sdk's app for the ``actions`` package, with the token guard when ``token`` is set."""
    app = create_app("actions", cors_origins=None)
    from actions import lifecycle  # imported after the app exists, so its listeners attach

    lifecycle.register_shutdown(app.name)
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
    logging.basicConfig(level=os.environ.get("LOG_LEVEL", "INFO"), format="%(asctime)s %(levelname)s %(name)s %(message)s")
    token = os.environ.get("ACTION_SERVER_TOKEN") or None
    if token is None:
        logger.warning("ACTION_SERVER_TOKEN is not set: the action server accepts calls without a token")
    host = os.environ.get("ACTION_HOST", "127.0.0.1")
    port = int(os.environ.get("ACTION_PORT", "5055"))
    app = build_app(token)
    logger.info("action server listening on %s:%s", host, port)
    app.run(host=host, port=port, workers=1, access_log=False, motd=False)


if __name__ == "__main__":
    main()
