"""Routes of the in-app web chat: the page, demo tokens, customer photo uploads, history."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Dict

from sanic import Blueprint, Request
from sanic.response import HTTPResponse
from sanic.response import html as html_response

from contract.vocabulary import IMAGE_TYPES, MAX_MESSAGE
from desk.api_docs import CHAT, HTML, PHOTO_FORM, Answer, documented
from desk.attachments import service as attachments
from desk.attachments.schemas import attachment_public
from desk.attachments.images import FORMATS as IMAGE_FORMATS
from desk.attachments.images import MAX_BYTES
from desk.attachments.views import uploaded_image
from desk.chat.schemas import ChatConfig, ChatHistory, ChatLine, ChatPhoto, DemoToken
from desk.errors import ApiError
from desk.http import answer
from desk.page_template import render, script_json
from desk.ratelimit import limit, limiter
from desk.static_files import serve_folder
from support import customer_texts as say
from support import customer_tokens as tokens
from support.conversation_ids import path_segment

logger = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).resolve().parent / "static"

page_bp = Blueprint("chat_page", url_prefix="/chat")
serve_folder(page_bp, STATIC_DIR)
api_bp = Blueprint("chat_api", url_prefix="/api/chat")


def page_texts() -> Dict[str, str]:
    """``CHAT_PAGE`` with the upload limits filled in (the types and size the desk accepts)."""
    formats = ", ".join(IMAGE_FORMATS)
    return {name: text.format(formats=formats, max_mb=MAX_BYTES // (1024 * 1024))
            for name, text in say.CHAT_PAGE.items()}


def render_page(path: Path = STATIC_DIR / "index.html") -> str:
    """The chat page with its words and the contract's limits in place (``desk/page_template.py``)."""
    texts = page_texts()
    return render(path, texts, texts=script_json(texts), max_text=MAX_MESSAGE, image_types=",".join(IMAGE_TYPES))


PAGE = render_page()


def _chat_csp(socket_url: str) -> str:
    return (
        "default-src 'self'; img-src 'self' blob:; script-src 'self'; style-src 'self'; "
        f"connect-src 'self' {socket_url} {socket_url.replace('http', 'ws', 1)}; "
        "object-src 'none'; base-uri 'none'; frame-ancestors 'self'; form-action 'self'"
    )


@page_bp.get("", strict_slashes=False)
@documented("The in-app web chat (HTML page an app embeds)", {200: HTML})
async def chat_page(request: Request) -> HTTPResponse:
    """The chat page an app would embed in a web view."""
    settings = request.app.ctx.settings
    return html_response(
        PAGE, headers={"Cache-Control": "no-cache", "Content-Security-Policy": _chat_csp(settings.chat_socket_url)}
    )


def _customer(request: Request) -> str:
    """The customer named by the request's ``Authorization: Bearer <chat token>`` (issuer and audience checked)."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    customer = tokens.customer_of(token.strip(), request.app.ctx.settings.chat_tokens)
    if scheme.lower() != "bearer" or customer is None:
        raise ApiError(401, "unauthorized", "A valid chat token is required.")
    return customer


def _limit_chat(request: Request) -> None:
    """Count a chat request of the client's IP (``DESK_RATE_CHAT``); 429 when over."""
    limits = limiter(request)
    limit(limits.chat, limits.client(request), "Too many chat requests; try again in a minute.")


@api_bp.get("/config")
@documented("Where the chat page connects (Rasa's socket.io)", {200: Answer("The settings.", ChatConfig)})
async def chat_config(request: Request) -> HTTPResponse:
    """Where the page connects (Rasa's socket.io)."""
    return answer(ChatConfig(socket_url=request.app.ctx.settings.chat_socket_url, socket_path="/socket.io"))


@api_bp.post("/demo-token")
@documented(
    "A chat token for the demo customer (only with CHAT_DEMO_TOKENS=true)",
    {200: Answer("Issued.", DemoToken)},
    errors=(404, 429),
)
async def demo_token(request: Request) -> HTTPResponse:
    """A token for the demo customer; an app's own backend would issue these after its login."""
    _limit_chat(request)
    settings = request.app.ctx.settings
    if settings.chat_tokens is None or not settings.chat_demo_tokens:
        raise ApiError(404, "demo_disabled", "Demo chat tokens are not enabled on this desk.")
    customer = tokens.DEMO_CUSTOMER
    return answer(
        DemoToken(
            token=tokens.issue(settings.chat_tokens, customer),
            customer_id=customer,
            session_id=tokens.sender_for(customer),
        )
    )


@api_bp.post("/uploads")
@documented(
    "A photo from the chat's photo button (checked and re-encoded like every upload)",
    {201: Answer("Stored.", ChatPhoto)},
    form=PHOTO_FORM,
    errors=(400, 401, 413, 415, 422, 429),
    security=CHAT,
)
async def customer_upload(request: Request) -> HTTPResponse:
    """A photo from the chat's photo button (multipart field ``file``), checked like every upload."""
    limits = limiter(request)
    limit(limits.uploads, limits.client(request), "Too many photos; try again in a minute.")
    _customer(request)
    data = uploaded_image(request)
    async with request.app.ctx.sessions() as session:
        stored = await attachments.store_image(
            session,
            request.app.ctx.settings.storage_dir,
            data,
            "upload",
            ticket=None,
            slots=request.app.ctx.image_slots,
        )
    logger.info("chat photo %s uploaded (%d bytes)", stored.id, len(data))
    public = attachment_public(stored)
    return answer(ChatPhoto(id=public.id, content_type=public.content_type), status=201)


@api_bp.get("/history")
@documented(
    "The signed-in customer's conversation so far",
    {200: Answer("Lines.", ChatHistory)},
    errors=(401, 429),
    security=CHAT,
)
async def history(request: Request) -> HTTPResponse:
    """The customer's conversation so far (read from Rasa's tracker), so a reload loses nothing."""
    _limit_chat(request)
    customer = _customer(request)
    settings = request.app.ctx.settings
    if not settings.rasa_url or not settings.rasa_token:
        return answer(ChatHistory(messages=[]))
    sender = path_segment(tokens.sender_for(customer))
    url = f"{settings.rasa_url.rstrip('/')}/conversations/{sender}/tracker"
    try:
        async with request.app.ctx.http.get(url, params={"token": settings.rasa_token}) as response:
            tracker = await response.json(content_type=None) if response.status == 200 else {}
    except Exception:  # Rasa unreachable: the page simply starts empty
        logger.warning("chat history unavailable for a customer: Rasa unreachable")
        tracker = {}
    messages = []
    for event in tracker.get("events") or []:
        text = event.get("text") or ""
        external = (event.get("metadata") or {}).get("is_external") is True  # the desk's own pushes
        if event.get("event") == "user" and not text.startswith("/") and not external:
            messages.append(ChatLine(author="customer", text=text))
        elif event.get("event") == "bot" and event.get("text"):
            messages.append(ChatLine(author="bot", text=event["text"]))
    return answer(ChatHistory(messages=messages[-200:]))
