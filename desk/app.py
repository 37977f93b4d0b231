"""The desk's Sanic application factory."""

from __future__ import annotations

import asyncio
import warnings

import aiohttp
from PIL import Image
from sanic import Sanic

from contract.responses import Status
from desk.agents.views import agents_bp, auth_bp
from desk.api_docs import Answer, documented
from desk.attachments import storage
from desk.attachments.fetch import fetch_session
from desk.attachments.images import MAX_BYTES, configure_pillow
from desk.attachments.views import bp as attachments_bp
from desk.attachments.views import uploads_bp
from desk.chat.views import api_bp as chat_api_bp
from desk.chat.views import page_bp as chat_page_bp
from desk.config import DeskSettings
from desk.console.views import bp as console_bp
from desk.db import create_engine, create_sessionmaker
from desk.deliveries.views import bp as deliveries_bp
from desk.deliveries.pusher import start_pusher
from desk.notify.notifier import start_notifier
from desk.errors import handle_exception
from desk.http import answer, refuse_null_bytes
from desk.openapi import bp as openapi_bp
from desk.ratelimit import RateLimiter
from desk.ratings.views import bp as ratings_bp
from desk.security import add_security_headers
from desk.tickets.conversations import bp as conversations_bp
from desk.tickets.views import bp as tickets_bp
from support import log_masking

IMAGE_WORKERS = 2
MULTIPART_OVERHEAD = 256 * 1024


def create_app(settings: DeskSettings, name: str = "desk") -> Sanic:
    """Build the desk app; the database, HTTP client and storage are opened when it starts."""
    log_masking.install()  # no personal data in any log line of the desk (support/pii.py)
    app = Sanic(name)
    app.config.FALLBACK_ERROR_FORMAT = "json"
    app.config.REQUEST_MAX_SIZE = MAX_BYTES + MULTIPART_OVERHEAD
    app.ctx.settings = settings
    app.ctx.retry_policy = settings.delivery_retry
    app.ctx.rate_limiter = RateLimiter(settings.rate_limits)
    for blueprint in (
        tickets_bp,
        conversations_bp,
        auth_bp,
        agents_bp,
        uploads_bp,
        attachments_bp,
        deliveries_bp,
        ratings_bp,
        openapi_bp,
        console_bp,
        chat_page_bp,
        chat_api_bp,
    ):
        app.blueprint(blueprint)
    app.error_handler.add(Exception, handle_exception)
    app.register_middleware(refuse_null_bytes, "request")
    app.register_middleware(add_security_headers, "response")

    @app.before_server_start
    async def open_resources(app: Sanic, _loop) -> None:
        app.ctx.engine = create_engine(settings.database_url)
        app.ctx.sessions = create_sessionmaker(app.ctx.engine)
        app.ctx.http = aiohttp.ClientSession(
            timeout=aiohttp.ClientTimeout(total=5), trust_env=False, auto_decompress=True
        )
        app.ctx.fetch_http = fetch_session(settings.fetch_public_only)
        app.ctx.image_slots = asyncio.Semaphore(IMAGE_WORKERS)
        configure_pillow()
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        await asyncio.get_running_loop().run_in_executor(None, storage.ensure_dir, settings.storage_dir)

    @app.after_server_start
    async def start_delivery_pusher(app: Sanic, _loop) -> None:
        app.ctx.pusher = start_pusher(app, settings.rasa_url, settings.rasa_token)
        app.ctx.notifier = start_notifier(app, settings.notifiers)

    @app.before_server_stop
    async def stop_delivery_pusher(app: Sanic, _loop) -> None:
        for task in (getattr(app.ctx, "pusher", None), getattr(app.ctx, "notifier", None)):
            if task is not None:
                task.cancel()

    @app.after_server_stop
    async def close_resources(app: Sanic, _loop) -> None:
        await app.ctx.http.close()
        await app.ctx.fetch_http.close()
        await app.ctx.engine.dispose()

    @app.get("/health")
    @documented("Liveness", {200: Answer("The desk runs.", Status)})
    async def health(_request):
        return answer(Status(status="ok"))

    return app
