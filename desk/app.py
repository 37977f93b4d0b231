"""The desk's Sanic application factory."""

from __future__ import annotations

from sanic import Sanic
from sanic.response import json

from desk.config import DeskSettings
from desk.db import create_engine, create_sessionmaker
from desk.errors import handle_exception
from desk.tickets.views import bp as tickets_bp


def create_app(settings: DeskSettings, name: str = "desk") -> Sanic:
    """Build the desk app; the database engine is opened when the server starts."""
    app = Sanic(name)
    app.config.FALLBACK_ERROR_FORMAT = "json"
    app.ctx.settings = settings
    app.blueprint(tickets_bp)
    app.error_handler.add(Exception, handle_exception)

    @app.before_server_start
    async def open_database(app: Sanic, _loop) -> None:
        app.ctx.engine = create_engine(settings.database_url)
        app.ctx.sessions = create_sessionmaker(app.ctx.engine)

    @app.after_server_stop
    async def close_database(app: Sanic, _loop) -> None:
        await app.ctx.engine.dispose()

    @app.get("/health")
    async def health(_request):
        return json({"status": "ok"})

    return app
