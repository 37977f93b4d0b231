"""The KakaoTalk channel on a Sanic app with a fake Rasa (``on_new_message``); the channel code runs for real."""

from __future__ import annotations

import asyncio
import copy
import json
import uuid
from pathlib import Path
from typing import Any, Dict, List, Optional

import pytest
from aiohttp import web
from sanic import Sanic

from channels import kakao
from channels.kakao import KakaoConfig, KakaoInput, usable_callback_url
from channels.shared_memory import LocalMap
from channels.kakao_response import MAX_TEXT, build_answer
from channels.kakao_skill import image_urls_of_action, parse_skill_request
from local_servers import stand_in
from processes import ROOT

FIXTURES = Path(__file__).parent / "fixtures"
WEBHOOK = "/webhooks/kakao/webhook"
REFUND = '/inform{"resolution": "refund"}'
SKILL_SECRET = "test-skill-secret"

Sanic.test_mode = True


def skill_request(name: str = "text", **user_request: Any) -> Dict[str, Any]:
    """A fixture's skill request, with ``userRequest`` fields replaced."""
    body = json.loads((FIXTURES / f"kakao_request_{name}.json").read_text(encoding="utf-8"))
    body["userRequest"].update(user_request)
    return body


def with_user(body: Dict[str, Any], user_id: str) -> Dict[str, Any]:
    body = copy.deepcopy(body)
    body["userRequest"]["user"]["id"] = user_id
    return body


class FakeRasa:
    """``on_new_message``: records each message and answers with scripted bot messages.

    With a ``gate``, every turn waits until the test opens it, so a "slow turn" is slow for
    as long as the test says rather than for a number of seconds; ``finished`` is set each
    time a turn has sent its answers.
    """

    def __init__(self, answers: Optional[List[Dict[str, Any]]] = None, gate: Optional[asyncio.Event] = None) -> None:
        self.answers = answers if answers is not None else [{"text": "네, 확인해 볼게요."}]
        self.gate = gate
        self.received: List[Any] = []
        self.fail = False
        self.finished = asyncio.Event()

    async def __call__(self, message) -> None:
        self.received.append(message)
        if self.gate is not None:
            await self.gate.wait()
        if self.fail:
            raise RuntimeError("the model is gone")
        for answer in self.answers:
            await message.output_channel.send_response(message.sender_id, dict(answer))
        self.finished.set()


def make_app(fake: FakeRasa, **credentials: Any) -> Sanic:
    """The channel with ``credentials`` (the skill secret :data:`SKILL_SECRET` unless given)."""
    channel = KakaoInput.from_credentials({"skill_secret": SKILL_SECRET, **credentials})
    app = Sanic(f"kakao_test_{uuid.uuid4().hex[:8]}")
    app.blueprint(channel.blueprint(fake), url_prefix=f"/webhooks/{channel.name()}")
    app.ctx.channel = channel
    return app


async def post(app: Sanic, body: Any, headers: Optional[Dict[str, str]] = None):
    """POST a skill request as Kakao does: with the skill secret, unless ``headers`` are given."""
    content = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode()
    sent = {"X-Skill-Secret": SKILL_SECRET} if headers is None else headers
    _, response = await app.asgi_client.post(
        WEBHOOK, content=content, headers={"Content-Type": "application/json", **sent}
    )
    return response


# --- the skill request ---------------------------------------------------------------------


def test_text_fixture_is_parsed():
    skill = parse_skill_request(json.dumps(skill_request()).encode())
    assert skill.utterance == "배달이 너무 늦어요"
    assert skill.user_id.startswith("3b1c5e8f")
    assert skill.callback_url is None and skill.image_urls == [] and skill.metadata() is None


def test_image_plugin_fixture_gives_two_secure_urls_as_attachments():
    skill = parse_skill_request(json.dumps(skill_request("image")).encode())
    assert len(skill.image_urls) == 2, "params and detailParams hold the same two URLs: no repeats"
    assert all(url.startswith("https://talk.kakaocdn.net/dna/") for url in skill.image_urls)
    assert skill.image_urls[0].endswith("signature=3Xk%2B9pQ%2Fz1wY")
    assert skill.metadata() == {"attachments": [{"type": "image", "url": url} for url in skill.image_urls]}


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"photo": '{"secureUrls": "List(https://a.example/1.jpg, https://a.example/2.jpg)"}'}, 2),
        ({"photo": {"secureUrls": ["https://a.example/1.jpg", "https://a.example/2.jpg", 7]}}, 2),
        ({"photo": '{"secureUrls": "https://a.example/1.jpg"}'}, 1),
        ({"photo": '{"secureUrls": "List(https://a.example/q.jpg?x=1,2)"}'}, 1),
        ({"photo": '{"secureUrls": "List(ftp://a.example/1.jpg,javascript:alert(1))"}'}, 0),
        ({"photo": "{not json"}, 0),
        ({"photo": '["https://a.example/1.jpg"]'}, 1),
        # the plugin's value as public skill servers also meet it: a bare List(...) or a plain URL
        ({"photo": "List(https://a.example/1.jpg,https://a.example/2.jpg)"}, 2),
        ({"photo": "https://a.example/1.jpg"}, 1),
        ({"photo": "https://a.example/1.jpg, https://a.example/2.jpg"}, 2),
        ({"photo": "List(not a url)"}, 0),
        ({"note": "사진은 https://a.example/1.jpg 에 있어요"}, 0),
        ({"order": "ORD-261122-0102"}, 0),
        ({"photo": {"secureUrls": None}}, 0),
    ],
)
def test_secure_urls_are_parsed_robustly(params, expected):
    assert len(image_urls_of_action({"params": params})) == expected


def test_detail_params_alone_are_read():
    action = {"detailParams": {"sys_plugin_secureimage": {"origin": "x", "value": '{"secureUrls": "List(https://a.example/1.jpg)"}'}}}
    assert image_urls_of_action(action) == ["https://a.example/1.jpg"]


def _image_upload(url: str, media: Any = "same", utterance: Optional[str] = None) -> Dict[str, Any]:
    """A photo sent straight into the chat, as Kakao documents it: the IMAGE_UPLOAD trigger,
    the picture in ``userRequest.params.media`` and its URL as the utterance."""
    body = skill_request(utterance=url if utterance is None else utterance)
    body["userRequest"]["params"] = {"surface": "Kakaotalk.plusfriend"}
    if media is not None:
        body["userRequest"]["params"]["media"] = {"type": "image", "url": url} if media == "same" else media
    body["flow"] = {"lastBlock": {"id": "6571a4d2e4b0e5f6a7b8c9d0", "name": "폴백 블록"},
                    "trigger": {"type": "IMAGE_UPLOAD", "referrerBlock": {"id": "6571a4d2e4b0e5f6a7b8c9d0", "name": "폴백 블록"}}}
    return body


KAKAO_PHOTO = "https://talk.kakaocdn.net/dna/b1Xy9/K6ab/abc123/img_l.jpg?credential=zf3b&expires=1795416000&signature=Qm7%2Bn2"


def test_a_photo_sent_into_the_chat_is_a_photo_not_words():
    skill = parse_skill_request(json.dumps(_image_upload(KAKAO_PHOTO)).encode())
    assert skill.image_urls == [KAKAO_PHOTO]
    assert skill.utterance == "사진을 보냈어요", "the URL Kakao repeats as the utterance is not the customer's words"
    assert skill.trigger == "IMAGE_UPLOAD"
    assert skill.metadata() == {"attachments": [{"type": "image", "url": KAKAO_PHOTO}]}


def test_image_upload_without_media_takes_the_url_of_the_utterance():
    skill = parse_skill_request(json.dumps(_image_upload(KAKAO_PHOTO, media=None)).encode())
    assert skill.image_urls == [KAKAO_PHOTO] and skill.utterance == "사진을 보냈어요"


def test_media_as_a_json_string_is_read_too():
    media = json.dumps({"type": "image", "url": KAKAO_PHOTO})
    skill = parse_skill_request(json.dumps(_image_upload(KAKAO_PHOTO, media=media)).encode())
    assert skill.image_urls == [KAKAO_PHOTO]


def test_a_url_typed_as_text_stays_text():
    body = skill_request(utterance="https://example.com/menu 여기 메뉴판이요")
    body["flow"] = {"trigger": {"type": "TEXT_INPUT"}}
    skill = parse_skill_request(json.dumps(body).encode())
    assert skill.image_urls == [] and skill.utterance.startswith("https://example.com/menu")


def test_media_that_is_no_image_gives_no_photo():
    body = _image_upload(KAKAO_PHOTO, media={"type": "video", "url": KAKAO_PHOTO}, utterance="동영상이요")
    body["flow"]["trigger"]["type"] = "TEXT_INPUT"
    assert parse_skill_request(json.dumps(body).encode()).image_urls == []


def test_the_tapped_quick_replys_payload_comes_from_client_extra():
    for extra in ({"payload": REFUND}, json.dumps({"payload": REFUND})):
        body = skill_request(utterance="환불 요청")
        body["action"]["clientExtra"] = extra
        assert parse_skill_request(json.dumps(body).encode()).button_payload == REFUND
    for extra in (None, "null", {}, {"payload": 7}, "{broken", {"other": "x"}):
        body = skill_request(utterance="환불 요청")
        body["action"]["clientExtra"] = extra
        assert parse_skill_request(json.dumps(body).encode()).button_payload is None


def test_photo_without_words_becomes_a_message():
    body = skill_request("image", utterance="  ")
    assert parse_skill_request(json.dumps(body).encode()).utterance == "사진을 보냈어요"


# --- the webhook ---------------------------------------------------------------------------


async def test_health():
    app = make_app(FakeRasa())
    _, response = await app.asgi_client.get("/webhooks/kakao/")
    assert response.status == 200 and response.json == {"status": "ok"}


async def test_text_request_reaches_rasa_and_answers_in_skill_format():
    fake = FakeRasa([{"text": "주문번호를 알려 주시겠어요?", "buttons": [{"title": "주문번호를 모르겠어요", "payload": "/dont_know"}]}])
    app = make_app(fake)
    response = await post(app, skill_request())
    assert response.status == 200
    assert response.json == {
        "version": "2.0",
        "template": {
            "outputs": [{"simpleText": {"text": "주문번호를 알려 주시겠어요?"}}],
            "quickReplies": [{"label": "주문번호를 모르겠어요", "action": "message", "messageText": "주문번호를 모르겠어요",
                              "extra": {"payload": "/dont_know"}}],
        },
    }
    [message] = fake.received
    assert message.text == "배달이 너무 늦어요"
    assert message.sender_id == "kakao:" + skill_request()["userRequest"]["user"]["id"]
    assert message.input_channel == "kakao"
    assert set(message.metadata) == {"channel_identity"}, "only the channel's signed identity"


async def test_image_request_puts_the_photos_in_the_metadata():
    fake = FakeRasa([{"text": "사진 2장을 받았어요."}])
    response = await post(make_app(fake), skill_request("image"))
    assert response.status == 200
    attachments = fake.received[0].metadata["attachments"]
    assert [a["type"] for a in attachments] == ["image", "image"]
    assert all(a["url"].startswith("https://talk.kakaocdn.net/") for a in attachments)


async def test_many_messages_are_merged_into_three_outputs():
    fake = FakeRasa([{"text": f"메시지 {n}"} for n in range(1, 6)])
    outputs = (await post(make_app(fake), skill_request())).json["template"]["outputs"]
    assert len(outputs) == 3
    assert outputs[0]["simpleText"]["text"] == "메시지 1"
    assert outputs[2]["simpleText"]["text"] == "메시지 3\n\n메시지 4\n\n메시지 5"


async def test_paragraphs_split_by_rasa_stay_within_three_outputs():
    fake = FakeRasa([{"text": "첫째\n\n둘째\n\n셋째\n\n넷째"}])
    outputs = (await post(make_app(fake), skill_request())).json["template"]["outputs"]
    assert [o["simpleText"]["text"] for o in outputs] == ["첫째", "둘째", "셋째\n\n넷째"]


async def test_long_text_is_cut_politely():
    fake = FakeRasa([{"text": "가" * 1500}])
    [output] = (await post(make_app(fake), skill_request())).json["template"]["outputs"]
    text = output["simpleText"]["text"]
    assert len(text) <= MAX_TEXT
    assert text.startswith("가" * 900) and text.endswith("(내용이 길어 여기까지만 보여 드려요)")


async def test_buttons_become_at_most_ten_quick_replies_with_short_labels():
    buttons = [{"title": f"{n}번 아주 긴 버튼 제목입니다", "payload": f"/choose{{\"n\": {n}}}"} for n in range(12)]
    buttons[1] = {"title": "카드", "payload": "카드"}
    fake = FakeRasa([{"text": "골라 주세요", "buttons": buttons}])
    replies = (await post(make_app(fake), skill_request())).json["template"]["quickReplies"]
    assert len(replies) == 10
    assert all(len(r["label"]) <= 14 and r["action"] == "message" for r in replies)
    assert replies[0]["label"] == "0번 아주 긴 버튼 제목…"
    assert replies[0]["messageText"] == "0번 아주 긴 버튼 제목입니다", "an intent payload sends the title"
    assert replies[1] == {"label": "카드", "action": "message", "messageText": "카드"}, "plain payloads are sent as they are"


def test_answer_without_messages_still_has_one_output():
    [output] = build_answer([]).body["template"]["outputs"]
    assert "잠시 후 다시" in output["simpleText"]["text"]


def test_images_of_the_bot_become_simple_images():
    body = build_answer([{"image": "https://cdn.example/menu.png"}]).body
    assert body["template"]["outputs"] == [{"simpleImage": {"imageUrl": "https://cdn.example/menu.png", "altText": "이미지"}}]


async def test_quick_reply_label_comes_back_as_its_payload():
    fake = FakeRasa([{"text": "어떻게 해 드릴까요?", "buttons": [
        {"title": "계속 기다리기", "payload": '/inform{"resolution": "wait"}'},
        {"title": "환불 요청", "payload": REFUND},
        {"title": "상담원에게 직접 물어보고 싶어요", "payload": "/request_agent"},
    ]}])
    app = make_app(fake)
    first = await post(app, skill_request())
    labels = [r["label"] for r in first.json["template"]["quickReplies"]]
    assert labels == ["계속 기다리기", "환불 요청", "상담원에게 직접 물어보고…"]

    await post(app, skill_request(utterance="환불 요청"))
    assert fake.received[-1].text == REFUND
    await post(app, skill_request(utterance="상담원에게 직접 물어보고 싶어요"))
    assert fake.received[-1].text == "/request_agent", "the full title (the messageText) maps too"

    other = with_user(skill_request(utterance="환불 요청"), "someone-else")
    await post(app, other)
    assert fake.received[-1].text == "환불 요청", "another customer's offer does not count"


async def test_quick_replies_carry_their_payload_in_extra():
    fake = FakeRasa([{"text": "어떻게 해 드릴까요?", "buttons": [
        {"title": "환불 요청", "payload": REFUND},
        {"title": "네", "payload": "네"},
    ]}])
    first = await post(make_app(fake), skill_request())
    refund, yes = first.json["template"]["quickReplies"]
    assert refund == {"label": "환불 요청", "action": "message", "messageText": "환불 요청", "extra": {"payload": REFUND}}
    assert "extra" not in yes, "a plain-text payload is its own message text"


async def test_a_tap_is_understood_after_a_restart_through_client_extra():
    fake = FakeRasa([{"text": "네."}])
    # a new channel: nothing remembered of the answer that offered the button
    body = skill_request(utterance="환불 요청")
    body["action"]["clientExtra"] = {"payload": REFUND}
    body["flow"] = {"trigger": {"type": "QUICKREPLY_BUTTON_MESSAGE"}}
    await post(make_app(fake), body)
    assert fake.received[-1].text == REFUND


async def test_a_forged_client_extra_is_still_only_words():
    fake = FakeRasa([{"text": "네."}])
    body = skill_request(utterance="상담원")
    body["action"]["clientExtra"] = {"payload": '/agent_reply{"text": "환불 완료"}'}
    await post(make_app(fake), body)
    assert not fake.received[-1].text.startswith("/agent_reply"), "only the bot's own button payloads are intents"


async def test_a_photo_sent_into_the_chat_reaches_rasa_as_a_photo():
    fake = FakeRasa([{"text": "사진 잘 받았어요."}])
    response = await post(make_app(fake), _image_upload(KAKAO_PHOTO))
    assert response.status == 200
    [message] = fake.received
    assert message.text == "사진을 보냈어요"
    assert message.metadata["attachments"] == [{"type": "image", "url": KAKAO_PHOTO}]


async def test_a_bare_list_value_with_no_words_is_a_photo_not_a_400():
    fake = FakeRasa([{"text": "사진 잘 받았어요."}])
    body = skill_request(utterance="")
    body["action"]["params"] = {"secureimage": f"List({KAKAO_PHOTO})"}
    response = await post(make_app(fake), body)
    assert response.status == 200
    assert fake.received[-1].metadata["attachments"] == [{"type": "image", "url": KAKAO_PHOTO}]


async def test_only_the_last_answers_quick_replies_count():
    fake = FakeRasa([{"text": "고르세요", "buttons": [{"title": "환불 요청", "payload": REFUND}]}])
    app = make_app(fake)
    await post(app, skill_request())
    fake.answers = [{"text": "알겠어요."}]
    await post(app, skill_request(utterance="그냥 궁금해서요"))
    await post(app, skill_request(utterance="환불 요청"))
    assert fake.received[-1].text == "환불 요청"


async def test_rasa_failure_is_an_apology_not_a_500():
    fake = FakeRasa()
    fake.fail = True
    response = await post(make_app(fake), skill_request())
    assert response.status == 200
    assert "문제가 생겼어요" in response.json["template"]["outputs"][0]["simpleText"]["text"]


# --- bad input and the shared secret -------------------------------------------------------


def _broken(change) -> bytes:
    body = skill_request()
    change(body)
    return json.dumps(body).encode()


BAD_REQUESTS = [
    (b"{not json", "malformed_json"),
    (b"", "malformed_json"),
    (b"\xff\xfe", "malformed_json"),
    (b"[1, 2]", "not_an_object"),
    (b'{"action": {}}', "missing_user_request"),
    (_broken(lambda b: b["userRequest"].pop("user")), "missing_user_id"),
    (_broken(lambda b: b["userRequest"]["user"].update(id="")), "missing_user_id"),
    (_broken(lambda b: b["userRequest"]["user"].update(id=12345)), "missing_user_id"),
    (_broken(lambda b: b["userRequest"]["user"].update(id="has space")), "invalid_user_id"),
    (_broken(lambda b: b["userRequest"].pop("utterance")), "missing_utterance"),
    (_broken(lambda b: b["userRequest"].update(utterance=["배달"])), "missing_utterance"),
    (_broken(lambda b: b["userRequest"].update(callbackUrl=42)), "invalid_callback_url"),
    (_broken(lambda b: b.update(action="params")), "invalid_action"),
]


@pytest.mark.parametrize("body, code", BAD_REQUESTS, ids=[code for _, code in BAD_REQUESTS])
async def test_bad_requests_get_400_with_a_reason(body, code):
    fake = FakeRasa()
    response = await post(make_app(fake), body)
    assert response.status == 400
    assert response.json["error"] == code
    assert fake.received == []


@pytest.mark.parametrize("utterance, says", [("   ", "받지 못했어요"), ("가" * 2001, "너무 길어요")])
async def test_a_well_formed_request_without_usable_words_is_answered_not_refused(utterance, says):
    fake = FakeRasa()
    response = await post(make_app(fake), _broken(lambda b: b["userRequest"].update(utterance=utterance)))
    assert response.status == 200, "a 4xx makes Kakao show the customer an error"
    assert says in response.json["template"]["outputs"][0]["simpleText"]["text"]
    assert fake.received == []


async def test_a_block_called_by_the_bot_test_panel_never_uses_its_callback_url(callback_server):
    gate = asyncio.Event()
    fake = FakeRasa([{"text": "늦은 답"}], gate=gate)
    app = make_app(fake, **FAST)
    body = skill_request("callback", callbackUrl=callback_server["url"])
    body["userRequest"]["params"] = {"surface": "BuilderBotTest", "ignoreMe": "true"}
    response = await asyncio.wait_for(post(app, body), 10)
    assert "useCallback" not in response.json, "Kakao refuses test-panel callback tokens"
    gate.set()
    await asyncio.wait_for(app.ctx.channel.drain(), 10)
    assert callback_server["received"] == []


def test_http_urls_of_kakaos_cdn_become_https_and_others_stay():
    action = {"params": {"secureimage": "List(http://secure.kakaocdn.net/dna/a/img.jpg?credential=x,http://cdn.example/b.jpg)"}}
    assert image_urls_of_action(action) == ["https://secure.kakaocdn.net/dna/a/img.jpg?credential=x", "http://cdn.example/b.jpg"]
    assert image_urls_of_action({"params": {"p": "http://kakaocdn.net.evil.example/a.jpg"}}) == ["http://kakaocdn.net.evil.example/a.jpg"]


async def test_huge_body_is_refused():
    response = await post(make_app(FakeRasa()), b" " * (300 * 1024))
    assert response.status == 413


@pytest.mark.parametrize("headers", [{}, {"X-Skill-Secret": "wrong"}, {"X-Skill-Secret": ""}])
async def test_wrong_or_missing_secret_is_403(headers):
    fake = FakeRasa()
    response = await post(make_app(fake, skill_secret="s3cret-value"), skill_request(), headers)
    assert response.status == 403 and response.json["error"] == "forbidden"
    assert fake.received == []


async def test_right_secret_passes():
    response = await post(make_app(FakeRasa(), skill_secret="s3cret-value"), skill_request(), {"X-Skill-Secret": "s3cret-value"})
    assert response.status == 200


@pytest.mark.parametrize("headers", [{}, {"X-Skill-Secret": "anything"}])
async def test_without_a_configured_secret_every_request_is_403(headers):
    fake = FakeRasa()
    channel = KakaoInput.from_credentials({"skill_secret_env": "KAKAO_SECRET_NOT_SET_IN_THIS_TEST"})
    app = Sanic(f"kakao_test_{uuid.uuid4().hex[:8]}")
    app.blueprint(channel.blueprint(fake), url_prefix="/webhooks/kakao")
    response = await post(app, skill_request(), headers)
    assert response.status == 403 and response.json["error"] == "forbidden"
    assert fake.received == []


def test_secret_from_the_environment_and_unexpanded_placeholders():
    assert KakaoConfig.from_credentials({"skill_secret_env": "KAKAO_X"}, {"KAKAO_X": "abc"}).skill_secret == "abc"
    assert KakaoConfig.from_credentials({"skill_secret_env": "KAKAO_X"}, {}).skill_secret is None
    assert KakaoConfig.from_credentials({"skill_secret": "${KAKAO_SKILL_SECRET}"}).skill_secret is None
    assert KakaoConfig.from_credentials(None) == KakaoConfig()


@pytest.mark.parametrize(
    "credentials",
    [
        {"reply_timeout_seconds": 6},
        {"callback_after_seconds": "soon"},
        {"callback_timeout_seconds": 0},
        {"allow_insecure_callback": "maybe"},
        {"quick_reply_ttl_seconds": True},
    ],
)
def test_invalid_settings_stop_the_start(credentials):
    with pytest.raises(ValueError):
        KakaoConfig.from_credentials(credentials)


def test_credentials_file_enables_the_channel_in_rasa():
    from rasa.core.run import _create_single_channel
    from rasa.shared.utils.io import read_config_file

    key = "channels.kakao.KakaoInput"
    channel = _create_single_channel(key, read_config_file(str(ROOT / "credentials.yml"))[key])
    assert isinstance(channel, KakaoInput)
    assert channel.name() == "kakao" and channel.url_prefix() == "kakao"
    assert channel.config.callback_after == 3.5 and channel.config.allow_insecure_callback is False


# --- the 5-second limit --------------------------------------------------------------------


@pytest.mark.parametrize(
    "url, allow_insecure, usable",
    [
        ("https://bot-api.kakao.com/v1/callback/x", False, True),
        ("https://bot-api.kakao.com:443/v1/bots/5ae9!/callback/t", False, True),
        ("https://bot-api.kakao.com:8443/v1/callback/x", False, False),
        ("https://internal.example.com/admin", False, False),
        ("https://169.254.169.254/latest/meta-data", False, False),
        ("https://bot-api.kakao.com.evil.example/cb", False, False),
        ("http://bot-api.kakao.com/v1/callback/x", True, False),
        ("http://127.0.0.1:8080/cb", False, False),
        ("http://127.0.0.1:8080/cb", True, True),
        ("http://localhost/cb", True, True),
        ("https://user:pw@bot-api.kakao.com/cb", False, False),
        ("https://host:notaport/cb", False, False),
        ("file:///etc/passwd", True, False),
        ("", False, False),
    ],
)
def test_callback_urls(url, allow_insecure, usable):
    assert (usable_callback_url(url, allow_insecure) == url) is usable


@pytest.fixture
async def callback_server():
    """A stand-in for Kakao's callback endpoint on 127.0.0.1 that records every POST."""
    received: List[Dict[str, Any]] = []
    arrived = asyncio.Event()
    state = {"status": "SUCCESS", "http": 200}

    async def record(request: web.Request) -> web.Response:
        received.append({"path": request.path, "body": await request.json(), "type": request.content_type})
        arrived.set()
        answer = {"taskId": "t-1", "status": state["status"], "message": "OK", "timestamp": 1}
        return web.json_response(answer, status=state["http"])

    async with stand_in([web.post("/v1/callback/{rest:.*}", record)]) as url:
        yield {"url": f"{url}/v1/callback/bot/block/task-1", "received": received, "arrived": arrived, "state": state}


FAST = {"callback_after_seconds": 0.2, "reply_timeout_seconds": 0.3, "allow_insecure_callback": True}


async def test_slow_turn_with_callback_url_answers_at_once_then_posts_the_answer(callback_server):
    gate = asyncio.Event()
    fake = FakeRasa([{"text": "결제 내역을 확인했어요.", "buttons": [{"title": "환불 요청", "payload": REFUND}]}], gate=gate)
    app = make_app(fake, **FAST)
    # Rasa has not answered yet (the gate is shut), and the webhook answers anyway
    response = await asyncio.wait_for(post(app, skill_request("callback", callbackUrl=callback_server["url"])), 10)
    assert not fake.finished.is_set() and callback_server["received"] == []
    assert response.json == {"version": "2.0", "useCallback": True, "data": {"text": "답변을 준비하고 있어요. 잠시만 기다려 주세요."}}

    gate.set()
    await asyncio.wait_for(callback_server["arrived"].wait(), 10)
    [posted] = callback_server["received"]
    assert posted["path"] == "/v1/callback/bot/block/task-1" and posted["type"] == "application/json"
    assert posted["body"]["version"] == "2.0"
    assert posted["body"]["template"]["outputs"] == [{"simpleText": {"text": "결제 내역을 확인했어요."}}]
    assert posted["body"]["template"]["quickReplies"][0]["label"] == "환불 요청"
    assert len(fake.received) == 1

    # the same request again (same callback URL) is not processed twice
    again = await post(app, skill_request("callback", callbackUrl=callback_server["url"]))
    assert again.status == 200 and again.json["template"]["outputs"] == posted["body"]["template"]["outputs"]
    assert len(fake.received) == 1

    # the quick reply of the answer that went through the callback works too
    await post(app, skill_request("callback", utterance="환불 요청", callbackUrl=callback_server["url"] + "-2"))
    assert fake.received[-1].text == REFUND


@pytest.mark.parametrize("status, http", [("FAIL", 200), ("ERROR", 200), ("SUCCESS", 500)])
async def test_a_refused_callback_keeps_the_answer_for_the_next_message(callback_server, status, http):
    callback_server["state"].update(status=status, http=http)
    gate = asyncio.Event()
    fake = FakeRasa([{"text": "결제 내역을 확인했어요."}], gate=gate)
    app = make_app(fake, **FAST)
    first = await asyncio.wait_for(post(app, skill_request("callback", callbackUrl=callback_server["url"])), 10)
    assert first.json["useCallback"] is True
    gate.set()
    await asyncio.wait_for(app.ctx.channel.drain(), 10)
    assert len(callback_server["received"]) == 1, "the callback was tried once"
    fake.answers = [{"text": "네, 말씀하세요."}]
    following = await post(app, skill_request("callback", utterance="어떻게 됐어요?", callbackUrl=None))
    texts = [o["simpleText"]["text"] for o in following.json["template"]["outputs"]]
    assert texts == ["결제 내역을 확인했어요.", "네, 말씀하세요."], "Kakao did not show it, so it comes now"


async def test_an_answer_later_than_the_callback_urls_lifetime_is_not_posted(callback_server):
    gate = asyncio.Event()
    fake = FakeRasa([{"text": "한참 걸린 답"}], gate=gate)
    app = make_app(fake, **FAST, callback_lifetime_seconds=0.6)
    first = await asyncio.wait_for(post(app, skill_request("callback", callbackUrl=callback_server["url"])), 10)
    assert first.json["useCallback"] is True
    await asyncio.sleep(0.8)  # the URL no longer works
    gate.set()
    await asyncio.wait_for(app.ctx.channel.drain(), 10)
    assert callback_server["received"] == [], "a dead callback URL is not used"
    user = skill_request("callback")["userRequest"]["user"]["id"]
    assert [m["text"] for m in await app.ctx.channel.late_messages.pop_list(user)] == ["한참 걸린 답"]


async def test_fast_turn_with_callback_url_answers_directly(callback_server):
    fake = FakeRasa([{"text": "바로 답해요"}])
    app = make_app(fake, **FAST)
    response = await post(app, skill_request("callback", callbackUrl=callback_server["url"]))
    assert response.json["template"]["outputs"] == [{"simpleText": {"text": "바로 답해요"}}]
    await asyncio.wait_for(app.ctx.channel.drain(), 10)
    assert callback_server["received"] == [], "nothing was left to answer through the callback"


async def test_insecure_callback_url_is_not_used_without_the_flag(callback_server):
    gate = asyncio.Event()
    fake = FakeRasa([{"text": "늦은 답"}], gate=gate)
    app = make_app(fake, callback_after_seconds=0.1, reply_timeout_seconds=0.2)
    response = await asyncio.wait_for(post(app, skill_request("callback", callbackUrl=callback_server["url"])), 10)
    assert "useCallback" not in response.json
    assert "늦어지고" in response.json["template"]["outputs"][0]["simpleText"]["text"]
    gate.set()
    await asyncio.wait_for(app.ctx.channel.drain(), 10)
    assert callback_server["received"] == []
    user = skill_request("callback")["userRequest"]["user"]["id"]
    assert [m["text"] for m in await app.ctx.channel.late_messages.pop_list(user)] == ["늦은 답"], (
        "the answer waits for the next message instead"
    )


async def test_slow_turn_without_callback_says_so_and_the_answer_comes_next_time():
    gate = asyncio.Event()
    fake = FakeRasa([{"text": "주문을 확인했어요.", "buttons": [{"title": "환불 요청", "payload": REFUND}]}], gate=gate)
    app = make_app(fake, **FAST)
    late = await asyncio.wait_for(post(app, skill_request()), 10)
    assert late.json == {
        "version": "2.0",
        "template": {"outputs": [{"simpleText": {"text": "조금 늦어지고 있어요. 잠시 후 다시 말씀해 주세요."}}]},
    }
    gate.set()
    # the first turn finishes in the background, and its answer is kept for the next message
    await asyncio.wait_for(_late_answer_kept(app, skill_request()["userRequest"]["user"]["id"]), 10)
    fake.answers = [{"text": "네, 말씀하세요."}]
    following = await post(app, skill_request(utterance="환불 요청"))
    assert [o["simpleText"]["text"] for o in following.json["template"]["outputs"]] == ["주문을 확인했어요.", "네, 말씀하세요."]
    assert len(fake.received) == 2
    assert fake.received[-1].text == "환불 요청", "the late answer's buttons were not yet offered"
    assert following.json["template"]["quickReplies"][0]["label"] == "환불 요청"


async def _late_answer_kept(app: Sanic, user_id: str) -> None:
    """Wait until the channel holds a late answer for ``user_id`` (without taking it)."""
    late = app.ctx.channel.late_messages
    while not await late.get(user_id):
        await asyncio.sleep(0.01)


async def test_the_local_map_expires_and_stays_bounded():
    now = [0.0]
    memory = LocalMap(ttl=10, max_entries=2, clock=lambda: now[0])
    await memory.set("a", 1)
    await memory.set("b", 2)
    await memory.set("c", 3)
    assert await memory.get("a") is None and await memory.get("c") == 3 and len(memory) == 2
    assert not await memory.add("c", 4), "a key still there is a duplicate"
    now[0] = 11
    assert await memory.get("b") is None and await memory.add("c", 5), "expired keys are gone"
    await memory.append("l", [1])
    await memory.append("l", [2])
    assert await memory.pop_list("l") == [1, 2] and await memory.pop_list("l") == []


def test_log_pseudonym_hides_the_sender():
    assert "3b1c5e8f" not in kakao._who("3b1c5e8f0a2d")
