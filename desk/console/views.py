"""Serve the console page and its static files (no build step)."""

from __future__ import annotations

from pathlib import Path

from sanic import Blueprint, Request
from sanic.response import HTTPResponse
from sanic.response import html as html_response

from contract.vocabulary import MAX_REPLY
from desk.api_docs import HTML, documented
from desk.console import labels
from desk.page_template import render, script_json
from desk.static_files import serve_folder

STATIC_DIR = Path(__file__).resolve().parent / "static"

bp = Blueprint("console", url_prefix="/console")
serve_folder(bp, STATIC_DIR)


def render_page(path: Path = STATIC_DIR / "index.html") -> str:
    """The console page with the contract's words, their labels and the reply limit in place."""
    return render(path, {}, vocabulary=script_json(labels.vocabulary()), status_options=labels.status_options(),
                  max_reply=MAX_REPLY)


PAGE = render_page()


@bp.get("", strict_slashes=False)
@documented("The agent console (HTML page)", {200: HTML})
async def console(_request: Request) -> HTTPResponse:
    """The console's single page."""
    return html_response(PAGE, headers={"Cache-Control": "no-cache"})
