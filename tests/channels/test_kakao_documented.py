"""Skill requests shaped as Kakao documents them and as public skill servers log them
(``fixtures/kakao_documented/``, each with its source in that folder's README), not as
the team remembered them: every one is answered 200, and every photo reaches Rasa."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any, Dict

import pytest

from test_kakao import FAST, FakeRasa, make_app, post

BODIES = Path(__file__).parent / "fixtures" / "kakao_documented"
ALL = sorted(path.name for path in BODIES.glob("*.json"))
# photos each body holds: sent into the chat, or through the image plugin in its several forms
PHOTOS = {
    "02_photo_direct_image_upload.json": 1,
    "03_secureimage_json_string_params_and_detailparams.json": 1,
    "04_secureimage_two_images_detailparams_value.json": 2,
    "05_secureimage_bare_list_empty_utterance.json": 1,
    "06_secureimage_plain_url.json": 1,
}


def body(name: str) -> Dict[str, Any]:
    return json.loads((BODIES / name).read_text(encoding="utf-8"))


def test_the_documented_bodies_are_all_here():
    assert len(ALL) >= 15 and set(PHOTOS) <= set(ALL)


@pytest.mark.parametrize("name", ALL)
async def test_every_documented_body_is_answered_200(name):
    fake = FakeRasa([{"text": "네, 확인해 볼게요."}])
    response = await asyncio.wait_for(post(make_app(fake, **FAST), body(name)), 10)
    assert response.status == 200, response.text
    assert response.json["version"] == "2.0"
    outputs = response.json.get("template", {}).get("outputs") or [response.json.get("data")]
    assert outputs and all(outputs), "the customer always gets words"


@pytest.mark.parametrize("name, count", sorted(PHOTOS.items()))
async def test_every_photo_becomes_a_photo(name, count):
    fake = FakeRasa([{"text": "사진 잘 받았어요."}])
    await post(make_app(fake), body(name))
    [message] = fake.received
    photos = (message.metadata or {}).get("attachments") or []
    assert len(photos) == count
    assert all(photo["type"] == "image" and photo["url"].startswith("https://") for photo in photos), (
        "Kakao's CDN is asked over https (the production desk fetches nothing else)"
    )
    assert not message.text.startswith("http"), "a photo's address is never taken for the customer's words"


async def test_a_tap_with_someone_elses_extra_keys_is_taken_as_its_words():
    fake = FakeRasa([{"text": "네."}])
    await post(make_app(fake), body("07_quickreply_message_with_clientextra.json"))
    assert fake.received[-1].text == "주문 확인하기"


async def test_the_test_panels_callback_url_is_not_used():
    gate = asyncio.Event()
    fake = FakeRasa([{"text": "늦은 답"}], gate=gate)
    app = make_app(fake, **FAST)
    response = await asyncio.wait_for(post(app, body("11_callback_test_panel.json")), 10)
    assert "useCallback" not in response.json
    gate.set()
    await asyncio.wait_for(app.ctx.channel.drain(), 10)
