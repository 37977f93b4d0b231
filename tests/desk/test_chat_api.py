"""The in-app chat's desk routes: demo tokens, customer uploads, config."""

from __future__ import annotations

import dataclasses

import pytest

from desk.app import create_app
from deskkit import image_bytes
from support.customer_tokens import customer_of, issue

SECRET = "chat-secret-for-tests-0123456789"


@pytest.fixture
def chat_app(desk_app):
    settings = dataclasses.replace(desk_app.ctx.settings, chat_jwt_secret=SECRET, chat_demo_tokens=True)
    return create_app(settings, name=f"{desk_app.name}_chat")


async def test_demo_token_names_the_demo_customer(chat_app):
    _, response = await chat_app.asgi_client.post("/api/chat/demo-token")
    assert response.status == 200
    assert customer_of(response.json["token"], SECRET) == "cust-001"
    assert response.json["session_id"] == "app:cust-001"


async def test_demo_tokens_are_off_unless_enabled(desk_app):
    _, response = await desk_app.asgi_client.post("/api/chat/demo-token")
    assert response.status == 404


async def test_customer_upload_needs_a_valid_chat_token(chat_app):
    files = {"file": ("p.png", image_bytes("PNG"), "image/png")}
    _, anonymous = await chat_app.asgi_client.post("/api/chat/uploads", files=files)
    forged = issue("another-secret-0123456789abcdef", "cust-001")
    _, wrong = await chat_app.asgi_client.post(
        "/api/chat/uploads", files=files, headers={"Authorization": f"Bearer {forged}"}
    )
    assert (anonymous.status, wrong.status) == (401, 401)


async def test_customer_upload_stores_a_checked_photo(chat_app):
    token = issue(SECRET, "cust-001")
    _, response = await chat_app.asgi_client.post(
        "/api/chat/uploads",
        files={"file": ("p.png", image_bytes("PNG"), "image/png")},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status == 201 and response.json["id"]
    _, broken = await chat_app.asgi_client.post(
        "/api/chat/uploads",
        files={"file": ("p.png", b"not an image", "image/png")},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert broken.status in (400, 415, 422)


def test_expired_or_garbage_tokens_name_nobody():
    from datetime import datetime, timedelta, timezone

    old = issue(SECRET, "cust-001", hours=1, now=datetime.now(timezone.utc) - timedelta(hours=3))
    assert customer_of(old, SECRET) is None
    assert customer_of("garbage", SECRET) is None
    assert customer_of("", SECRET) is None


async def test_the_page_carries_its_words_from_one_place(chat_app):
    """Every sentence of the page is ``CHAT_PAGE``: in the markup and as JSON for the script."""
    import json
    import re

    from support import customer_texts as say

    _, response = await chat_app.asgi_client.get("/chat")
    assert response.status == 200 and "Content-Security-Policy" in response.headers
    page = response.text
    assert "$" not in page, "no placeholder is left"
    texts = json.loads(re.search(r'<script id="texts" type="application/json">(.*?)</script>', page).group(1))
    assert texts.keys() == say.CHAT_PAGE.keys() and texts["send"] == say.CHAT_PAGE["send"]
    assert f"<title>{say.CHAT_PAGE['title']}</title>" in page and f'placeholder="{say.CHAT_PAGE["placeholder"]}"' in page
    # the upload limits are the desk's own: the types the contract accepts and the image size limit
    assert texts["photo_refused"] == "사진을 올리지 못했어요. JPEG, PNG, WEBP 사진(10MB 이하)인지 확인해 주세요."
    assert 'accept="image/jpeg,image/png,image/webp"' in page


def test_no_word_can_break_out_of_the_page(monkeypatch):
    from desk.chat.views import STATIC_DIR, render_page
    from support import customer_texts as say

    monkeypatch.setitem(say.CHAT_PAGE, "title", '</script><script>alert(1)</script>"&')
    page = render_page(STATIC_DIR / "index.html")
    assert "<script>alert(1)" not in page
    assert page.count("</script>") == 2, "the JSON block and the page script end where they should"
