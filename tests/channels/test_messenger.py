"""The Messenger channel on a Sanic app with a fake Rasa (``on_new_message``); the channel code runs for real.

Answers go to a local stand-in of the Graph API's Send API on 127.0.0.1 that records every request.
"""

from __future__ import annotations

import asyncio
import copy
import hashlib
import hmac
import json
import uuid
from pathlib import Path
from typing import Any, Dict, List, Optional

import pytest
from aiohttp import web
from sanic import Sanic

from channels.messenger import MessengerInput, configured, setting, valid_signature
from channels.messenger_events import parse_webhook
from contract.vocabulary import DELIVERY_REFUSED_MARK
from channels.messenger_send import (
    DeliveryFailed,
    MAX_QUICK_REPLIES,
    MAX_TEXT,
    GraphSendApi,
    MessengerOutput,
    quick_replies,
    split_text,
)
from local_servers import stand_in
from processes import free_port
from support import customer_texts as say

FIXTURES = Path(__file__).parent / "fixtures"
WEBHOOK = "/webhooks/facebook/webhook"
SECRET = "unit-app-secret"
VERIFY = "unit-verify-token"
TOKEN = "unit-page-token"

Sanic.test_mode = True


# --- helpers --------------------------------------------------------------------------------


def webhook_body(name: str = "text", sender: Optional[str] = None, mid: Optional[str] = None) -> Dict[str, Any]:
    """A fixture's webhook body; ``sender``/``mid`` replace those of its first event."""
    body = json.loads((FIXTURES / f"messenger_{name}.json").read_text(encoding="utf-8"))
    event = body["entry"][0]["messaging"][0]
    if sender is not None:
        event["sender"]["id"] = sender
    if mid is not None:
        (event.get("message") or event.get("postback"))["mid"] = mid
    return body


def sign(raw: bytes, secret: str = SECRET) -> str:
    return "sha256=" + hmac.new(secret.encode(), raw, hashlib.sha256).hexdigest()


def encode(body: Any) -> bytes:
    return body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode()


class FakeRasa:
    """``on_new_message``: records each message and answers with scripted bot messages."""

    def __init__(self, answers: Optional[List[Dict[str, Any]]] = None) -> None:
        self.answers = answers or []
        self.received: List[Any] = []
        self.fail_on: Optional[str] = None

    async def __call__(self, message) -> None:
        self.received.append(message)
        if message.text == self.fail_on:
            raise RuntimeError("the model is gone")
        for answer in self.answers:
            await message.output_channel.send_response(message.sender_id, copy.deepcopy(answer))

    @property
    def texts(self) -> List[str]:
        return [message.text for message in self.received]


class GraphStandIn:
    """The Send API on 127.0.0.1: records path, headers and body; answers with scripted statuses."""

    def __init__(self) -> None:
        self.requests: List[Dict[str, Any]] = []
        self.statuses: List[int] = []  # answered in order, then 200
        self.codes: List[int] = []  # the Graph error codes of those answers (default 2)
        self.url = ""

    async def _messages(self, request: web.Request) -> web.Response:
        self.requests.append(
            {
                "path": request.path,
                "query": dict(request.query),
                "headers": dict(request.headers),
                "body": await request.json(),
            }
        )
        status = self.statuses.pop(0) if self.statuses else 200
        if status != 200:
            code = self.codes.pop(0) if self.codes else 2
            return web.json_response({"error": {"code": code, "type": "OAuthException", "message": "x"}}, status=status)
        return web.json_response({"recipient_id": "1", "message_id": "m_out"})

    def routes(self) -> List[web.RouteDef]:
        return [web.post("/v18.0/me/messages", self._messages)]

    def bodies(self, recipient: str) -> List[Dict[str, Any]]:
        return [r["body"] for r in self.requests if r["body"]["recipient"]["id"] == recipient]


@pytest.fixture
async def graph():
    graph_api = GraphStandIn()
    async with stand_in(graph_api.routes()) as url:
        graph_api.url = f"{url}/v18.0"
        yield graph_api


@pytest.fixture
def fake() -> FakeRasa:
    return FakeRasa()


def make_channel(graph_url: str = "http://127.0.0.1:9/v18.0", **overrides: Any) -> MessengerInput:
    credentials = {"verify": VERIFY, "secret": SECRET, "page-access-token": TOKEN, "graph_api_url": graph_url}
    credentials.update(overrides)
    return MessengerInput.from_credentials(credentials)


def make_app(on_new_message, channel: Optional[MessengerInput] = None) -> Sanic:
    """A Sanic app with the channel's blueprint mounted where Rasa mounts it."""
    channel = channel or make_channel()
    app = Sanic(f"messenger_test_{uuid.uuid4().hex[:8]}")
    app.blueprint(channel.blueprint(on_new_message), url_prefix=f"/webhooks/{channel.name()}")
    app.ctx.channel = channel
    return app


async def post(app: Sanic, body: Any, signature: Optional[str] = "sign", headers: Optional[Dict[str, str]] = None):
    """POST ``body`` to the webhook, signed with the test secret unless ``signature`` says otherwise."""
    raw = encode(body)
    sent = {"Content-Type": "application/json", **(headers or {})}
    if signature == "sign":
        sent["X-Hub-Signature-256"] = sign(raw)
    elif signature is not None:
        sent["X-Hub-Signature-256"] = signature
    _, response = await app.asgi_client.post(WEBHOOK, content=raw, headers=sent)
    # the webhook answers before the events are handled; the tests look at what handling did
    await asyncio.wait_for(app.ctx.channel.drain(), 10)
    return response


# --- the channel as Rasa loads it -------------------------------------------------------------


def test_channel_keeps_rasas_name_and_extends_its_connector():
    from rasa.core.channels.facebook import FacebookInput

    channel = make_channel()
    assert isinstance(channel, FacebookInput)
    assert channel.name() == "facebook" and channel.url_prefix() == "facebook"
    output = channel.get_output_channel()
    assert isinstance(output, MessengerOutput) and output.name() == "facebook"
    assert (output.messaging_type, output.tag) == ("MESSAGE_TAG", "HUMAN_AGENT"), (
        "messages Rasa sends on its own (agent replies the desk pushes) may come 7 days after the customer's last"
    )


def test_routes_are_where_messenger_and_rasa_expect_them(fake):
    app = make_app(fake)
    routes = {(route.path, method) for route in app.router.routes for method in route.methods}
    assert ("webhooks/facebook/webhook", "GET") in routes
    assert ("webhooks/facebook/webhook", "POST") in routes


@pytest.mark.parametrize("value", [None, "", "  ", "${FB_APP_SECRET}", "x${FB_APP_SECRET}"])
def test_unexpanded_or_empty_values_are_not_configured(value):
    assert configured(value) is None


def test_settings_come_from_the_value_or_the_variable_named_by_key_env(monkeypatch):
    monkeypatch.setenv("UNIT_FB_SECRET", "from-env")
    monkeypatch.delenv("UNIT_FB_UNSET", raising=False)
    assert setting({"secret": "direct", "secret_env": "UNIT_FB_SECRET"}, "secret") == "direct"
    assert setting({"secret": "${FB_APP_SECRET}", "secret_env": "UNIT_FB_SECRET"}, "secret") == "from-env"
    assert setting({"page_access_token_env": "UNIT_FB_SECRET"}, "page-access-token") == "from-env"
    assert setting({"secret_env": "UNIT_FB_UNSET"}, "secret") is None
    assert setting({}, "secret") is None


def test_graph_api_url_defaults_when_unset_and_must_be_http():
    default = make_channel(graph_url="${FB_GRAPH_API_URL}")
    assert default.send_api.url == "https://graph.facebook.com/v18.0/me/messages"
    assert make_channel(graph_url="http://127.0.0.1:8/v18.0/").send_api.url == "http://127.0.0.1:8/v18.0/me/messages"
    with pytest.raises(ValueError):
        make_channel(graph_url="file:///etc/passwd")


def test_the_credentials_file_enables_the_channel_from_the_environment(monkeypatch):
    from rasa.shared.utils.io import read_config_file

    from processes import ROOT

    def load() -> MessengerInput:
        credentials = read_config_file(str(ROOT / "credentials.yml"))
        return MessengerInput.from_credentials(credentials["channels.messenger.MessengerInput"])

    for name in ("FB_APP_SECRET", "FB_VERIFY_TOKEN", "FB_PAGE_ACCESS_TOKEN", "FB_GRAPH_API_URL"):
        monkeypatch.delenv(name, raising=False)
    unset = load()  # Rasa refuses to start when a ${VAR} in the file is unset: this must not raise
    assert unset.fb_secret is None and unset.fb_verify is None and unset.fb_access_token is None
    assert unset.graph_api_url == "https://graph.facebook.com/v18.0"

    monkeypatch.setenv("FB_APP_SECRET", "s3cret")
    monkeypatch.setenv("FB_VERIFY_TOKEN", "v")
    monkeypatch.setenv("FB_PAGE_ACCESS_TOKEN", "t")
    monkeypatch.setenv("FB_GRAPH_API_URL", "http://127.0.0.1:1/v18.0")
    channel = load()
    assert (channel.fb_secret, channel.fb_verify, channel.fb_access_token) == ("s3cret", "v", "t")
    assert channel.graph_api_url == "http://127.0.0.1:1/v18.0"


# --- verification challenge -----------------------------------------------------------------


async def test_verification_echoes_the_challenge_when_the_token_matches(fake):
    _, response = await make_app(fake).asgi_client.get(
        WEBHOOK, params={"hub.mode": "subscribe", "hub.verify_token": VERIFY, "hub.challenge": "1158201444"}
    )
    assert response.status == 200 and response.text == "1158201444"


@pytest.mark.parametrize(
    "params",
    [
        {"hub.mode": "subscribe", "hub.verify_token": "wrong", "hub.challenge": "1"},
        {"hub.mode": "subscribe", "hub.challenge": "1"},
        {"hub.mode": "unsubscribe", "hub.verify_token": VERIFY, "hub.challenge": "1"},
        {"hub.verify_token": VERIFY, "hub.challenge": "1"},
    ],
)
async def test_verification_is_refused_without_the_right_token_and_mode(fake, params):
    _, response = await make_app(fake).asgi_client.get(WEBHOOK, params=params)
    assert response.status == 403 and "1" != response.text


async def test_verification_without_a_challenge_is_a_bad_request(fake):
    params = {"hub.mode": "subscribe", "hub.verify_token": VERIFY}
    _, response = await make_app(fake).asgi_client.get(WEBHOOK, params=params)
    assert response.status == 400


async def test_verification_is_refused_when_no_token_is_configured(fake):
    app = make_app(fake, make_channel(verify="${FB_VERIFY_TOKEN}"))
    _, response = await app.asgi_client.get(
        WEBHOOK, params={"hub.mode": "subscribe", "hub.verify_token": "${FB_VERIFY_TOKEN}", "hub.challenge": "1"}
    )
    assert response.status == 403


# --- signatures -----------------------------------------------------------------------------


async def test_a_signed_message_reaches_rasa_as_a_facebook_message(fake):
    response = await post(make_app(fake), webhook_body("text"))
    assert response.status == 200
    (message,) = fake.received
    assert message.text == "배달이 너무 늦어요"
    assert message.sender_id == "messenger:7012345678901234"
    assert message.input_channel == "facebook"
    assert message.message_id.startswith("m_Ae3kQ8")
    assert set(message.metadata) == {"channel_identity"}, "no images: only the channel's signed identity"
    assert isinstance(message.output_channel, MessengerOutput)
    assert message.output_channel.messaging_type == "RESPONSE"


def legacy_sha1(raw: bytes) -> str:
    return "sha1=" + hmac.new(SECRET.encode(), raw, hashlib.sha1).hexdigest()


@pytest.mark.parametrize(
    "case",
    [
        "missing",
        "wrong secret",
        "other body",
        "not hex",
        "no prefix",
        "sha1 in the sha256 header",
        "legacy header only",
    ],
)
async def test_a_bad_or_missing_signature_is_refused_and_nothing_is_processed(fake, case):
    body = webhook_body("text")
    raw = encode(body)
    signature, headers = None, {}
    if case == "wrong secret":
        signature = sign(raw, "another-secret")
    elif case == "other body":
        signature = sign(encode(webhook_body("text", mid="m_other")))
    elif case == "not hex":
        signature = "sha256=" + "zz" * 32
    elif case == "no prefix":
        signature = sign(raw)[len("sha256=") :]
    elif case == "sha1 in the sha256 header":
        signature = legacy_sha1(raw)
    elif case == "legacy header only":
        headers = {"X-Hub-Signature": legacy_sha1(raw)}
    response = await post(make_app(fake), raw, signature=signature, headers=headers)
    assert response.status == 403
    assert fake.received == []


@pytest.mark.parametrize("secret", [None, "", "${FB_APP_SECRET}"])
async def test_without_a_configured_secret_every_post_is_refused(fake, secret, caplog):
    app = make_app(fake, make_channel(secret=secret))
    raw = encode(webhook_body("text"))
    # even signed with what an unexpanded placeholder would be as a key
    response = await post(app, raw, signature=sign(raw, secret or ""))
    assert response.status == 403
    assert fake.received == []
    assert "FB_APP_SECRET" in caplog.text and "not configured" in caplog.text


def test_signature_check_is_exact():
    raw = b'{"object":"page"}'
    assert valid_signature(SECRET, raw, sign(raw))
    assert valid_signature(SECRET, raw, sign(raw).upper().replace("SHA256=", "sha256="))
    assert not valid_signature(SECRET, raw + b" ", sign(raw))
    assert not valid_signature(SECRET, raw, "sha256=ä")
    assert not valid_signature("", raw, sign(raw, ""))


# --- redelivery -----------------------------------------------------------------------------


async def test_the_same_message_delivered_twice_is_handled_once(fake):
    app = make_app(fake)
    body = webhook_body("text", mid="m_redelivered_1")
    first, second = await post(app, body), await post(app, body)
    assert first.status == 200 and second.status == 200
    assert len(fake.received) == 1


async def test_different_message_ids_are_all_handled(fake):
    app = make_app(fake)
    for number in range(3):
        await post(app, webhook_body("text", mid=f"m_distinct_{number}"))
    assert len(fake.received) == 3


async def test_a_redelivery_to_another_rasa_server_is_ignored_when_memory_is_shared(fake, monkeypatch, redis_url):
    """Two channel instances (two Rasa servers) sharing Redis: the second copy is not handled."""
    monkeypatch.setenv("CHANNEL_REDIS_URL", redis_url)
    server_one, server_two = make_app(fake, make_channel()), make_app(fake, make_channel())
    mid = f"m_shared_{uuid.uuid4().hex}"
    first = await post(server_one, webhook_body("text", mid=mid))
    second = await post(server_two, webhook_body("text", mid=mid))
    assert first.status == 200 and second.status == 200
    assert len(fake.received) == 1


# --- message content ------------------------------------------------------------------------


async def test_images_go_to_the_metadata_with_a_text_the_nlu_can_read(fake):
    await post(make_app(fake), webhook_body("image"))
    (message,) = fake.received
    assert message.text == say.PHOTO_ONLY == "사진을 보냈어요"
    attachments = message.metadata["attachments"]
    assert [item["type"] for item in attachments] == ["image", "image"]
    assert all(item["url"].startswith("https://scontent.xx.fbcdn.net/") for item in attachments)
    assert set(attachments[0]) == {"type", "url"}


async def test_text_with_an_image_keeps_the_text_and_the_image(fake):
    body = webhook_body("image")
    body["entry"][0]["messaging"][0]["message"]["text"] = "치킨이 다 식었어요"
    await post(make_app(fake), body)
    (message,) = fake.received
    assert message.text == "치킨이 다 식었어요"
    assert len(message.metadata["attachments"]) == 2


async def test_the_like_sticker_is_a_thumbs_up_not_a_photo(fake):
    response = await post(make_app(fake), webhook_body("sticker"))
    assert response.status == 200
    (message,) = fake.received
    assert message.text == "👍" and not (message.metadata or {}).get("attachments")


async def test_a_quick_reply_sends_its_payload(fake):
    await post(make_app(fake), webhook_body("quick_reply"))
    assert fake.texts == ['/inform{"resolution": "refund"}']


async def test_a_postback_sends_its_payload(fake):
    await post(make_app(fake), webhook_body("postback"))
    (message,) = fake.received
    assert message.text == "/greet" and message.message_id.startswith("m_Ei7o")


async def test_a_batch_is_handled_in_order_and_non_messages_are_skipped(fake):
    response = await post(make_app(fake), webhook_body("batch"))
    assert response.status == 200
    assert fake.texts == ["ORD-261122-0102 이에요", "결제가 두 번 됐어요"], "echo, delivery and read are skipped"
    assert [m.sender_id for m in fake.received] == ["messenger:7012345678901234", "messenger:7098765432109876"]


async def test_a_failing_message_does_not_stop_the_batch_nor_give_a_500(fake):
    fake.fail_on = "ORD-261122-0102 이에요"
    response = await post(make_app(fake), webhook_body("batch"))
    assert response.status == 200
    assert fake.texts == ["ORD-261122-0102 이에요", "결제가 두 번 됐어요"]


async def test_message_texts_are_never_logged(fake, caplog):
    caplog.set_level("DEBUG")
    await post(make_app(fake), webhook_body("batch"))
    await post(make_app(fake), webhook_body("image"))
    assert "이에요" not in caplog.text and "결제가" not in caplog.text and "fbcdn" not in caplog.text


# --- bad input ------------------------------------------------------------------------------


def _event(**fields: Any) -> Dict[str, Any]:
    return {"object": "page", "entry": [{"id": "1", "time": 1, "messaging": [fields]}]}


@pytest.mark.parametrize(
    "raw",
    [
        b"{not json",
        b"\xff\xfe\x00",
        b"",
        b"[]",
        b'"page"',
        b"{}",
        b'{"object": 3, "entry": []}',
        b'{"object": "page"}',
        b'{"object": "page", "entry": {"id": "1"}}',
        b'{"object": "page", "entry": ["x"]}',
        b'{"object": "page", "entry": [{"messaging": {"sender": {"id": "1"}}}]}',
        b'{"object": "page", "entry": [{"messaging": [null]}]}',
    ],
)
async def test_signed_bodies_of_an_unknown_shape_are_logged_and_answered_200(fake, raw, caplog):
    """Only Meta can sign a body: a 4xx would be retried until Meta disables the webhook."""
    response = await post(make_app(fake), raw)
    assert response.status == 200 and response.text == "EVENT_RECEIVED"
    assert fake.received == []
    assert any("unexpected shape" in record.getMessage() and record.levelname == "ERROR" for record in caplog.records)


@pytest.mark.parametrize(
    "body",
    [
        {"object": "instagram", "entry": [{"messaging": [{"message": {"text": "hi"}}]}]},
        {"object": "page", "entry": []},
        {"object": "page", "entry": [{"id": "1", "time": 1, "standby": [{"sender": {"id": "1"}}]}]},
        _event(sender={"id": "7012345678901234"}, message="text as a string"),
        _event(sender={"id": "7012345678901234"}, message={"mid": "m_1", "text": 42}),
        _event(sender={"id": "7012345678901234"}, message={"mid": "m_2", "text": "   "}),
        _event(sender={"id": 7012345678901234}, message={"mid": "m_3", "text": "hi"}),
        _event(sender={"id": "../../etc"}, message={"mid": "m_4", "text": "hi"}),
        _event(sender="7012345678901234", message={"mid": "m_5", "text": "hi"}),
        _event(message={"mid": "m_6", "text": "hi"}),
        _event(sender={"id": "7012345678901234"}, postback={"mid": "m_7", "title": "x"}),
        _event(sender={"id": "7012345678901234"}, postback=["payload"]),
        _event(
            sender={"id": "7012345678901234"},
            message={"mid": "m_9", "attachments": [{"type": "image", "payload": {"url": "javascript:alert(1)"}}]},
        ),
        _event(sender={"id": "7012345678901234"}, message={"mid": "m_10", "attachments": "image"}),
        _event(sender={"id": "7012345678901234"}, reaction={"mid": "m_11", "action": "react", "emoji": "👍"}),
        _event(sender={"id": "7012345678901234"}, message={"mid": "m_12", "quick_reply": {"payload": 5}}),
    ],
)
async def test_events_that_are_not_usable_messages_are_ignored_with_200(fake, body):
    response = await post(make_app(fake), body)
    assert response.status == 200
    assert fake.received == []


async def test_voice_video_or_file_gets_the_not_understood_answer_not_silence(fake):
    body = _event(
        sender={"id": "7012345678901234"},
        message={"mid": "m_8", "attachments": [{"type": "audio", "payload": {"url": "https://x/a.mp4"}}]},
    )
    response = await post(make_app(fake), body)
    assert response.status == 200
    assert [m.text for m in fake.received] == ["/nlu_fallback"]


def test_a_quick_reply_without_a_usable_payload_falls_back_to_the_text():
    (message,) = parse_webhook(
        _event(sender={"id": "1"}, message={"mid": "m", "text": "환불 요청", "quick_reply": {"payload": ""}})
    )
    assert message.text == "환불 요청" and message.kind == "text"


# --- answers through the Send API -----------------------------------------------------------


async def test_the_bot_answers_through_the_send_api(graph):
    rasa = FakeRasa(
        answers=[
            {"text": "주문번호를 알려 주세요."},
            {
                "text": "어떻게 해 드릴까요?",
                "buttons": [{"title": "환불 요청", "payload": "/refund"}, {"title": "계속 기다리기", "payload": "/wait"}],
            },
            {"image": "https://example.com/map.png"},
        ]
    )
    app = make_app(rasa, make_channel(graph.url))
    response = await post(app, webhook_body("text", sender="7000000000000001", mid="m_answer_1"))
    assert response.status == 200
    assert [r["path"] for r in graph.requests] == ["/v18.0/me/messages"] * 3
    assert all(r["headers"]["Authorization"] == f"Bearer {TOKEN}" for r in graph.requests)
    assert all("access_token" not in r["query"] for r in graph.requests), "the token stays out of URLs"
    assert graph.bodies("7000000000000001") == [
        {
            "recipient": {"id": "7000000000000001"},
            "messaging_type": "RESPONSE",
            "message": {"text": "주문번호를 알려 주세요."},
        },
        {
            "recipient": {"id": "7000000000000001"},
            "messaging_type": "RESPONSE",
            "message": {
                "text": "어떻게 해 드릴까요?",
                "quick_replies": [
                    {"content_type": "text", "title": "환불 요청", "payload": "/refund"},
                    {"content_type": "text", "title": "계속 기다리기", "payload": "/wait"},
                ],
            },
        },
        {
            "recipient": {"id": "7000000000000001"},
            "messaging_type": "RESPONSE",
            "message": {
                "attachment": {"type": "image", "payload": {"url": "https://example.com/map.png", "is_reusable": True}}
            },
        },
    ]


async def test_long_texts_are_split_and_buttons_go_with_the_last_part(graph):
    output = make_channel(graph.url).get_output_channel()
    paragraph = "배달이 늦어져서 정말 죄송합니다. " * 40  # about 760 characters
    text = "\n\n".join([paragraph.strip()] * 4)  # about 3000 characters
    buttons = [{"title": "상담원 연결", "payload": "/request_agent"}]
    await output.send_text_with_buttons("7000000000000002", text, buttons)
    bodies = graph.bodies("7000000000000002")
    messages = [b["message"] for b in bodies]
    assert len(messages) == 2
    assert all(len(m["text"]) <= MAX_TEXT for m in messages)
    assert "quick_replies" not in messages[0] and messages[1]["quick_replies"][0]["payload"] == "/request_agent"
    assert [(b["messaging_type"], b.get("tag")) for b in bodies] == [("UPDATE", None)] * 2, "within 24 h: an update"
    assert "".join(m["text"] for m in messages).replace("\n", "") == text.replace("\n", "")


async def test_messenger_limits_on_quick_replies(graph):
    output = MessengerOutput(GraphSendApi(graph.url, TOKEN))
    buttons = [{"title": f"선택지 {n}", "payload": f"/pick{{\"n\": {n}}}"} for n in range(15)]
    buttons[0]["title"] = "아주아주아주 긴 버튼 제목이라서 스무 글자를 넘어요"
    buttons[1]["payload"] = "/x" + "a" * 1000
    await output.send_quick_replies("7000000000000003", "골라 주세요", buttons)
    (body,) = graph.bodies("7000000000000003")
    replies = body["message"]["quick_replies"]
    assert len(replies) == MAX_QUICK_REPLIES
    assert len(replies[0]["title"]) == 20 and replies[0]["title"].endswith("…")
    assert all(reply["payload"] != buttons[1]["payload"] for reply in replies), "a too-long payload is left out"
    assert all(len(reply["payload"]) <= 1000 and len(reply["title"]) <= 20 for reply in replies)


async def test_buttons_without_text_still_get_a_text(graph):
    output = MessengerOutput(GraphSendApi(graph.url, TOKEN))
    await output.send_text_with_buttons("7000000000000004", "", [{"title": "네", "payload": "/affirm"}])
    (body,) = graph.bodies("7000000000000004")
    assert body["message"]["text"] and body["message"]["quick_replies"][0]["title"] == "네"


async def test_custom_json_is_sent_as_a_message(graph):
    output = MessengerOutput(GraphSendApi(graph.url, TOKEN))
    await output.send_response("7000000000000005", {"custom": {"text": "custom", "metadata": "x"}})
    assert graph.bodies("7000000000000005")[0]["message"] == {"text": "custom", "metadata": "x"}


async def test_server_errors_are_retried_and_client_errors_are_not(graph):
    api = GraphSendApi(graph.url, TOKEN, attempts=3, backoff=0.01)
    graph.statuses = [500, 503]
    assert await api.send("7000000000000006", {"text": "retry"})
    assert len(graph.bodies("7000000000000006")) == 3
    graph.statuses = [400]
    assert not await api.send("7000000000000007", {"text": "no retry"})
    assert len(graph.bodies("7000000000000007")) == 1
    await api.close()


async def test_an_agent_reply_outside_the_24_hour_window_goes_again_with_the_human_agent_tag(graph):
    output = make_channel(graph.url).get_output_channel()
    graph.statuses, graph.codes = [400], [10]  # (#10) This message is sent outside of allowed window
    await output.send_text_message("messenger:7000000000000016", "3일 전 문의에 답변드려요")
    sent = [(b["messaging_type"], b.get("tag")) for b in graph.bodies("7000000000000016")]
    assert sent == [("UPDATE", None), ("MESSAGE_TAG", "HUMAN_AGENT")]
    assert output.failed == 0


async def test_rate_limits_are_worth_another_try_and_a_refusal_is_not(graph):
    api = GraphSendApi(graph.url, TOKEN, attempts=3, backoff=0.01)
    graph.statuses, graph.codes = [400, 400], [613, 4]  # Meta's rate limits come as 400s
    assert (await api.deliver("7000000000000011", {"text": "later"}))[0] == "sent"
    graph.statuses, graph.codes = [400], [551]  # the customer is not available (blocked the page)
    assert await api.deliver("7000000000000012", {"text": "never"}) == ("refused", 551)
    assert len(graph.bodies("7000000000000012")) == 1
    await api.close()


async def test_a_message_sent_on_the_bots_own_that_does_not_go_out_fails_the_turn(graph):
    output = make_channel(graph.url).get_output_channel()
    graph.statuses, graph.codes = [400], [551]
    with pytest.raises(DeliveryFailed) as refused:
        await output.send_text_message("messenger:7000000000000013", "상담원 답장")
    assert refused.value.permanent and DELIVERY_REFUSED_MARK in str(refused.value)
    graph.statuses = [503, 503, 503]
    with pytest.raises(DeliveryFailed) as later:
        await output.send_text_message("messenger:7000000000000014", "상담원 답장")
    assert not later.value.permanent and DELIVERY_REFUSED_MARK not in str(later.value)
    # an answer within a customer's own turn never fails that turn
    answer = MessengerOutput(GraphSendApi(graph.url, TOKEN, attempts=1))
    graph.statuses = [400]
    await answer.send_text_message("messenger:7000000000000015", "답변")
    assert answer.failed == 1


async def test_an_unreachable_graph_api_is_logged_not_raised(caplog):
    api = GraphSendApi(f"http://127.0.0.1:{free_port()}/v18.0", TOKEN, timeout=2, attempts=2, backoff=0.01)
    assert not await api.send("7000000000000008", {"text": "lost"})
    assert "not delivered" in caplog.text and "lost" not in caplog.text
    await api.close()


async def test_nothing_is_sent_without_a_page_access_token(graph, caplog):
    api = GraphSendApi(graph.url, None)
    assert not await api.send("7000000000000009", {"text": "x"})
    assert graph.requests == [] and "FB_PAGE_ACCESS_TOKEN" in caplog.text


@pytest.mark.parametrize(
    "text, parts",
    [
        ("", []),
        ("짧아요", ["짧아요"]),
        ("가" * 2000, ["가" * 2000]),
        ("가" * 2001, ["가" * 2000, "가"]),
    ],
)
def test_split_text(text, parts):
    assert split_text(text) == parts


def test_split_text_prefers_sentence_ends():
    text = "첫 문장이에요. " * 300 + "끝"
    parts = split_text(text)
    assert all(len(part) <= MAX_TEXT for part in parts)
    assert parts[0].endswith("이에요."), "cut after a full stop, not inside a word"


def test_quick_replies_skip_url_buttons():
    assert quick_replies([{"title": "웹", "url": "https://example.com", "type": "web_url"}, "x"]) == []
