"""Webhook bodies shaped as Meta documents them and as public bots capture them
(``fixtures/messenger_documented/``, each with its source in that folder's README), not
as the team remembered them: every one is answered 200 at once, every photo becomes a
photo, everything else a customer sends gets an answer, and nothing else makes a turn."""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any, Dict

import pytest

from test_messenger import FakeRasa, encode, make_app, post, sign

BODIES = Path(__file__).parent / "fixtures" / "messenger_documented"
ALL = sorted(path.name for path in BODIES.glob("*.json"))
# what reaches the bot from each body: (text, photos) per message, in order
EXPECTED = {
    "01_text.json": [("*", 0)],
    "02_quick_reply.json": [("*", 0)],
    "03_image.json": [("사진을 보냈어요", 1)],
    "04_images_multiple.json": [("사진을 보냈어요", 3)],
    "05a_sticker_thumbs_up_current.json": [("👍", 0)],
    "05b_sticker_thumbs_up_legacy.json": [("👍", 0)],
    "06_fallback_shared_link.json": [("*", 0)],  # the text that came with the link
    "06b_fallback_legacy_shape.json": [("/nlu_fallback", 0)],
    "07_reel.json": [("/nlu_fallback", 0)],
    "08_ig_reel.json": [("/nlu_fallback", 0)],
    "09_template_product_share.json": [("/nlu_fallback", 0)],
    "09b_post_share.json": [("/nlu_fallback", 0)],
    "10_audio.json": [("/nlu_fallback", 0)],
    "11_video.json": [("/nlu_fallback", 0)],
    "12_file.json": [("/nlu_fallback", 0)],
    "13_reply_to.json": [("*", 0)],
    "14_postback.json": [("*", 0)],
    "15_postback_get_started_referral.json": [("*", 0)],
    "16_referral_shortlink.json": [("/greet", 0)],
    "17_referral_ads.json": [("/greet", 0)],
    "18_message_reads.json": [],
    "19_message_deliveries.json": [],
    "20_echo_from_our_app.json": [],
    "21_echo_from_page_inbox.json": [],
    "22_pass_thread_control.json": [],
    "23_take_thread_control.json": [],
    "24_request_thread_control.json": [],
    "25_app_roles.json": [],
    "26_standby_message.json": [],
    "27_standby_echo_template.json": [],
    "28_batch_two_entries.json": [("*", 0), ("사진을 보냈어요", 1), ("*", 0)],
}


def body(name: str) -> Dict[str, Any]:
    return json.loads((BODIES / name).read_text(encoding="utf-8"))


def test_every_documented_body_has_an_expectation():
    assert len(ALL) >= 28 and set(ALL) == set(EXPECTED)


@pytest.mark.parametrize("name", ALL)
async def test_every_documented_body_gets_200_and_what_it_holds_reaches_the_bot(name):
    fake = FakeRasa()
    response = await post(make_app(fake), body(name))
    assert response.status == 200, response.text
    # each sender's messages in order (different senders are handled side by side)
    in_order = sorted(fake.received, key=lambda m: m.sender_id)
    got = [(m.text, len((m.metadata or {}).get("attachments") or [])) for m in in_order]
    expected = EXPECTED[name]
    assert len(got) == len(expected), got
    for (text, photos), (want_text, want_photos) in zip(got, expected):
        assert photos == want_photos
        if want_text == "*":
            assert text and not text.startswith("/"), "the customer's own words or payload"
        else:
            assert text == want_text


async def test_the_ref_of_a_link_is_kept_and_an_order_number_in_it_is_given():
    fake = FakeRasa()
    opened = body("16_referral_shortlink.json")
    opened["entry"][0]["messaging"][0]["referral"]["ref"] = "order_ORD-261122-0101"
    await post(make_app(fake), opened)
    (message,) = fake.received
    assert message.metadata["referral"] == {
        "ref": "order_ORD-261122-0101", "source": "SHORTLINK", "type": "OPEN_THREAD", "order_number": "ORD-261122-0101",
    }
    fake = FakeRasa()
    await post(make_app(fake), body("15_postback_get_started_referral.json"))
    assert fake.received[0].metadata["referral"]["ref"] == "summer_coupon"


class SlowRasa(FakeRasa):
    """Rasa that takes its time: each turn waits until the test opens the gate."""

    def __init__(self) -> None:
        super().__init__()
        self.gate = asyncio.Event()
        self.order = []

    async def __call__(self, message) -> None:
        self.order.append(("start", message.text))
        await self.gate.wait()
        await super().__call__(message)
        self.order.append(("end", message.text))


async def test_the_webhook_answers_at_once_while_rasa_is_slow_and_keeps_each_senders_order():
    slow = SlowRasa()
    app = make_app(slow)
    channel = app.ctx.channel
    raw = encode(body("28_batch_two_entries.json"))
    # the route's handler itself (Sanic's test client would wait for the server's shutdown, which drains)
    request = SimpleNamespace(body=raw, headers={"X-Hub-Signature-256": sign(raw)}, ip="127.0.0.1", args={})
    started = time.monotonic()
    response = await channel._webhook(request, slow)
    assert response.status == 200 and time.monotonic() - started < 1.0, "Meta needs its 200 before the turn ends"
    await asyncio.sleep(0.05)
    # one customer's second message waits for the first; the other customer is not held up
    assert [text for step, text in slow.order if step == "start"] == ["hi", "CONFIRM_YES"]
    slow.gate.set()
    await asyncio.wait_for(channel.drain(), 10)
    first_sender = [step for step, text in slow.order if text in ("hi", "사진을 보냈어요")]
    assert first_sender == ["start", "end", "start", "end"], "one message at a time per customer"
    assert [text for step, text in slow.order if step == "start"][-1] == "사진을 보냈어요"
