"""Serve the console page and its static files (no build step)."""

from __future__ import annotations

from pathlib import Path

from sanic import Blueprint, Request
from sanic.response import HTTPResponse, file

from desk.api_docs import HTML, documented
from desk.static_files import serve_folder

STATIC_DIR = Path(__file__).resolve().parent / "static"

bp = Blueprint("console", url_prefix="/console")
serve_folder(bp, STATIC_DIR)


@bp.get("", strict_slashes=False)
@documented("The agent console (HTML page)", {200: HTML})
async def console(_request: Request) -> HTTPResponse:
    """The console's single page."""
    return await file(
        STATIC_DIR / "index.html",
        mime_type="text/html; charset=utf-8",
        headers={"Cache-Control": "no-cache"},
    )
