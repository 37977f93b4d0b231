"""The bad-input corpus on the channel webhooks (REST, KakaoTalk, Messenger), with a fake Rasa behind them.

The channel code runs for real on a Sanic app; ``on_new_message`` stands in for
Rasa and records what reached it. Every refused request is a clear 4xx in the
channel's JSON error shape and reaches nothing; every corpus message is handed
to the bot as sent (REST and Messenger) or refused with a 400 KakaoTalk reads.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import uuid
from typing import Any, Dict, List, Optional

import pytest
from sanic import Sanic

from channels.kakao import KakaoInput
from channels.customer_input import MAX_TEXT
from channels.kakao_skill import MAX_BODY_BYTES, MAX_UTTERANCE
from channels.messenger import MessengerInput
from channels.rest import CheckedRestInput, RestRequestError, parse_rest_request
from channels.rest import MAX_BODY_BYTES as REST_MAX_BODY
from bad_input import MALFORMED_JSON, MESSAGES, REST_BODIES
from support.button_payloads import as_customer_text
from support import customer_texts as say

Sanic.test_mode = True
SECRET = "bad-input-app-secret"
SKILL_SECRET = "bad-input-skill-secret"


class FakeRasa:
    """``on_new_message``: records each message, answers politely, or fails when told to."""

    def __init__(self, answer: bool = True) -> None:
        self.received: List[Any] = []
        self.fail = False
        self.answer = answer

    async def __call__(self, message) -> None:
        self.received.append(message)
        if self.fail:
            raise RuntimeError("the model is gone")
        if self.answer:
            await message.output_channel.send_response(message.sender_id, {"text": "네, 확인해 볼게요."})


def mount(channel, fake: FakeRasa) -> Sanic:
    app = Sanic(f"bad_{channel.name()}_{uuid.uuid4().hex[:8]}")
    app.blueprint(channel.blueprint(fake), url_prefix=f"/webhooks/{channel.name()}")
    return app


def error_of(response) -> Optional[str]:
    try:
        return response.json.get("error")
    except Exception:  # noqa: BLE001
        return None


# --- REST -----------------------------------------------------------------------------------------


@pytest.fixture
def rest():
    fake = FakeRasa()
    return mount(CheckedRestInput(), fake), fake


async def post_rest(app: Sanic, raw: bytes):
    _, response = await app.asgi_client.post("/webhooks/rest/webhook", content=raw,
                                             headers={"Content-Type": "application/json"})
    return response


REST_CASES = REST_BODIES + [(f"malformed-{name}", raw) for name, raw in MALFORMED_JSON]


@pytest.mark.parametrize("name, raw", REST_CASES, ids=[n for n, _ in REST_CASES])
async def test_rest_bodies_the_bot_cannot_use_are_a_400_and_reach_nothing(rest, name, raw):
    app, fake = rest
    response = await post_rest(app, raw)
    if name in ("lone-surrogate", "sender-number", "metadata-bad-attachments"):
        assert response.status == 200 and fake.received, "a usable message: the bot gets it"
        return
    expected = (413, "too_large") if len(raw) > REST_MAX_BODY else (400, error_of(response) or "an error code")
    assert (response.status, error_of(response)) == expected, response.text
    assert fake.received == []


@pytest.mark.parametrize("sender", ["", "   ", "a" * 191, "a\x00b", "line\nbreak", "\u200b", True, None, ["x"], {"id": 1}])
async def test_rest_senders_that_name_no_conversation_are_refused(rest, sender):
    app, fake = rest
    response = await post_rest(app, json.dumps({"sender": sender, "message": "안녕하세요"}).encode())
    assert response.status == 400 and error_of(response) in ("missing_sender", "invalid_sender")
    assert fake.received == []


@pytest.mark.parametrize("case", MESSAGES, ids=[case.name for case in MESSAGES])
async def test_rest_hands_every_corpus_message_to_the_bot_as_sent(rest, case):
    app, fake = rest
    body = json.dumps({"sender": "customer-1", "message": case.text}).encode()
    response = await post_rest(app, body)
    if len(case.text) > MAX_TEXT:
        expected = (413, "too_large") if len(body) > REST_MAX_BODY else (400, "message_too_long")
        assert (response.status, error_of(response)) == expected
        assert fake.received == []
        return
    assert response.status == 200 and response.json[0]["text"] == "네, 확인해 볼게요."
    [message] = fake.received
    # Rasa's UserMessage strips; text in intent form that no button sends arrives as words
    expected = as_customer_text(case.text).strip()
    assert (message.text, message.sender_id, message.input_channel) == (expected, "rest:customer-1", "rest")


async def test_rest_clients_cannot_claim_another_channel(rest):
    app, fake = rest
    body = {"sender": "c-2", "message": "안녕하세요", "input_channel": "facebook"}
    assert (await post_rest(app, json.dumps(body).encode())).status == 200
    assert fake.received[0].input_channel == "rest"


async def test_rest_failure_in_the_bot_is_an_apology_not_silence(rest, caplog):
    app, fake = rest
    fake.fail = True
    response = await post_rest(app, json.dumps({"sender": "c-3", "message": "비밀 메시지 010-1234-5678"}).encode())
    assert response.status == 200 and response.json == [{"recipient_id": "rest:c-3", "text": say.TRY_AGAIN_LATER}]
    assert "비밀 메시지" not in caplog.text, "the customer's text is never logged"


def test_rest_parser_reads_what_rasa_reads():
    parsed = parse_rest_request(json.dumps({"sender": 42, "message": "안녕", "metadata": {"a": 1}}).encode())
    assert (parsed.sender, parsed.message, parsed.metadata) == ("42", "안녕", {"a": 1})
    with pytest.raises(RestRequestError):
        parse_rest_request(b'{"sender": "x", "message": NaN}')


# --- KakaoTalk ------------------------------------------------------------------------------------


def skill_body(utterance: Any = "안녕하세요", user_id: Any = "kakao-user-1", **extra: Any) -> Dict[str, Any]:
    return {"intent": {"id": "i"}, "userRequest": {"utterance": utterance, "user": {"id": user_id, "type": "botUserKey"}},
            "bot": {"id": "b"}, "action": {"params": {}, "detailParams": {}}, **extra}


@pytest.fixture
def kakao():
    fake = FakeRasa()
    return mount(KakaoInput.from_credentials({"skill_secret": SKILL_SECRET, "reply_timeout_seconds": 2}), fake), fake


async def post_kakao(app: Sanic, raw: bytes, secret: Optional[str] = SKILL_SECRET):
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers["X-Skill-Secret"] = secret
    _, response = await app.asgi_client.post("/webhooks/kakao/webhook", content=raw, headers=headers)
    return response


@pytest.mark.parametrize("name, raw", MALFORMED_JSON, ids=[n for n, _ in MALFORMED_JSON])
async def test_kakao_malformed_json_is_a_400(kakao, name, raw):
    app, fake = kakao
    response = await post_kakao(app, raw)
    assert response.status == 400 and error_of(response), response.text
    assert fake.received == []


WRONG_SKILL_BODIES = {
    "user-request-list": {"userRequest": []},
    "user-request-missing": {"bot": {"id": "b"}},
    "user-missing": {"userRequest": {"utterance": "안녕"}},
    "user-id-number": skill_body(user_id=12345),
    "user-id-empty": skill_body(user_id=""),
    "user-id-newline": skill_body(user_id="abc\n"),
    "user-id-space": skill_body(user_id="a b"),
    "user-id-korean": skill_body(user_id="카카오"),
    "user-id-too-long": skill_body(user_id="a" * 300),
    "utterance-number": skill_body(utterance=3),
    "utterance-list": skill_body(utterance=["안녕"]),
    "utterance-null": skill_body(utterance=None),
    "callback-number": {**skill_body(), "userRequest": {**skill_body()["userRequest"], "callbackUrl": 7}},
    "action-list": skill_body(action=[1, 2]),
}


@pytest.mark.parametrize("name", list(WRONG_SKILL_BODIES))
async def test_kakao_wrong_types_and_missing_fields_are_a_400(kakao, name):
    app, fake = kakao
    response = await post_kakao(app, json.dumps(WRONG_SKILL_BODIES[name]).encode())
    assert response.status == 400 and error_of(response), response.text
    assert fake.received == []


# well-formed, but without words the bot can take: the customer is told why, in the chat
UNREADABLE_SKILL_BODIES = {
    "utterance-empty": (skill_body(utterance=""), "받지 못했어요"),
    "utterance-spaces": (skill_body(utterance=" \t\n\u3000"), "받지 못했어요"),
    "utterance-too-long": (skill_body(utterance="가" * (MAX_UTTERANCE + 1)), "너무 길어요"),
}


@pytest.mark.parametrize("name", list(UNREADABLE_SKILL_BODIES))
async def test_kakao_bodies_without_usable_words_are_answered_in_the_chat(kakao, name):
    app, fake = kakao
    body, says = UNREADABLE_SKILL_BODIES[name]
    response = await post_kakao(app, json.dumps(body).encode())
    assert response.status == 200, response.text
    assert says in response.json["template"]["outputs"][0]["simpleText"]["text"]
    assert fake.received == []


@pytest.mark.parametrize("secret", [None, "", "wrong-secret", SKILL_SECRET + " ", "\u00ff" * 10])
async def test_kakao_missing_or_forged_secret_is_a_403(kakao, secret):
    app, fake = kakao
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers["X-Skill-Secret"] = secret.encode("latin-1")
    _, response = await app.asgi_client.post("/webhooks/kakao/webhook", content=json.dumps(skill_body()).encode(),
                                             headers=headers)
    assert response.status == 403 and error_of(response) == "forbidden"
    assert fake.received == []


async def test_kakao_body_over_the_limit_is_a_413(kakao):
    app, fake = kakao
    response = await post_kakao(app, json.dumps(skill_body(utterance="가" * MAX_BODY_BYTES)).encode())
    assert response.status == 413 and fake.received == []


@pytest.mark.parametrize("case", MESSAGES, ids=[case.name for case in MESSAGES])
async def test_kakao_corpus_messages_are_answered_or_a_clear_400(kakao, case):
    app, fake = kakao
    response = await post_kakao(app, json.dumps(skill_body(utterance=case.text), ensure_ascii=False).encode())
    if not case.text.strip() or len(case.text) > MAX_UTTERANCE:
        # well-formed, but nothing the bot can take: the customer is told why (a 4xx shows Kakao's error bubble)
        assert response.status == 200, response.text
        assert response.json["template"]["outputs"][0]["simpleText"]["text"]
        assert fake.received == []
        return
    assert response.status == 200, response.text
    assert response.json["version"] == "2.0"
    assert response.json["template"]["outputs"][0]["simpleText"]["text"] == "네, 확인해 볼게요."
    assert fake.received[0].text == as_customer_text(case.text).strip()


async def test_kakao_failure_in_the_bot_is_an_apology(kakao):
    app, fake = kakao
    fake.fail = True
    response = await post_kakao(app, json.dumps(skill_body()).encode())
    assert response.status == 200
    assert response.json["template"]["outputs"][0]["simpleText"]["text"] == say.TRY_AGAIN_LATER


# --- Messenger ------------------------------------------------------------------------------------


def sign(raw: bytes, secret: str = SECRET) -> str:
    return "sha256=" + hmac.new(secret.encode(), raw, hashlib.sha256).hexdigest()


def text_event(text: Any, sender: Any = "7012345678901234", mid: Optional[str] = None) -> Dict[str, Any]:
    return {"object": "page", "entry": [{"id": "1", "time": 1, "messaging": [
        {"sender": {"id": sender}, "recipient": {"id": "1"}, "timestamp": 1,
         "message": {"mid": mid or f"m_{uuid.uuid4().hex}", "text": text}}]}]}


@pytest.fixture
def messenger():
    fake = FakeRasa(answer=False)  # Messenger answers through the Send API, tested in test_messenger.py
    channel = MessengerInput.from_credentials(
        {"verify": "verify-token", "secret": SECRET, "page-access-token": "page-token",
         "graph_api_url": "http://127.0.0.1:9/v18.0"}
    )
    return mount(channel, fake), fake


async def post_messenger(app: Sanic, raw: bytes, signature: Optional[str] = "sign"):
    headers = {"Content-Type": "application/json"}
    if signature == "sign":
        headers["X-Hub-Signature-256"] = sign(raw)
    elif signature is not None:
        headers["X-Hub-Signature-256"] = signature.encode("latin-1")
    _, response = await app.asgi_client.post("/webhooks/facebook/webhook", content=raw, headers=headers)
    return response


def forged_signatures(raw: bytes) -> Dict[str, Optional[str]]:
    right = sign(raw)
    return {
        "missing": None,
        "empty": "",
        "prefix-only": "sha256=",
        "sha1": "sha1=" + hashlib.sha1(raw).hexdigest(),
        "other-secret": sign(raw, "another-secret"),
        "other-body": sign(raw + b" "),
        "truncated": right[:-2],
        "extended": right + "00",
        "non-hex": "sha256=" + "z" * 64,
        "non-ascii": "sha256=" + "\u00ff" * 64,
        "no-prefix": right[len("sha256="):],
    }


@pytest.mark.parametrize("name", list(forged_signatures(b"x")))
async def test_messenger_missing_or_forged_signatures_are_a_403_and_reach_nothing(messenger, name):
    app, fake = messenger
    raw = json.dumps(text_event("환불해 주세요")).encode()
    response = await post_messenger(app, raw, forged_signatures(raw)[name])
    assert response.status == 403 and error_of(response)
    assert fake.received == []


@pytest.mark.parametrize("name, raw", MALFORMED_JSON, ids=[n for n, _ in MALFORMED_JSON])
async def test_messenger_signed_malformed_json_is_ignored_with_200(messenger, name, raw):
    """Signed, so sent by Meta: a 4xx would be retried until Meta disables the webhook."""
    app, fake = messenger
    response = await post_messenger(app, raw)
    assert response.status == 200, response.text
    assert fake.received == []


WRONG_WEBHOOK_BODIES = {
    "object-number": {"object": 1, "entry": []},
    "object-missing": {"entry": []},
    "entry-object": {"object": "page", "entry": {}},
    "entry-string": {"object": "page", "entry": "x"},
    "entry-item-list": {"object": "page", "entry": [[1]]},
    "messaging-object": {"object": "page", "entry": [{"messaging": {}}]},
    "event-string": {"object": "page", "entry": [{"messaging": ["x"]}]},
}


@pytest.mark.parametrize("name", list(WRONG_WEBHOOK_BODIES))
async def test_messenger_wrong_container_types_are_ignored_with_200(messenger, name):
    app, fake = messenger
    response = await post_messenger(app, json.dumps(WRONG_WEBHOOK_BODIES[name]).encode())
    assert response.status == 200
    assert fake.received == []


@pytest.mark.parametrize("text, sender", [
    (42, "7012345678901234"), (None, "7012345678901234"), (["a"], "7012345678901234"), ("   ", "7012345678901234"),
    ("안녕", 7012345678901234), ("안녕", "12 34"), ("안녕", "123\n"), ("안녕", "x" * 65), ("안녕", None),
])
async def test_messenger_events_with_wrong_types_are_skipped_not_failed(messenger, text, sender):
    app, fake = messenger
    response = await post_messenger(app, json.dumps(text_event(text, sender)).encode())
    assert response.status == 200 and response.text == "EVENT_RECEIVED"
    assert fake.received == []


@pytest.mark.parametrize("case", [c for c in MESSAGES if c.text.strip()], ids=[c.name for c in MESSAGES if c.text.strip()])
async def test_messenger_corpus_messages_reach_the_bot_as_sent(messenger, case):
    app, fake = messenger
    response = await post_messenger(app, json.dumps(text_event(case.text)).encode())
    assert response.status == 200
    assert [m.text for m in fake.received] == [as_customer_text(case.text).strip()]  # Rasa's UserMessage strips


async def test_messenger_verification_with_bad_parameters_is_refused(messenger):
    app, _ = messenger
    for query in ("", "hub.mode=subscribe", "hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1",
                  "hub.mode=unsubscribe&hub.verify_token=verify-token&hub.challenge=1",
                  "hub.mode=subscribe&hub.verify_token=%00&hub.challenge=1",
                  "hub.mode=subscribe&hub.verify_token=verify-token"):
        _, response = await app.asgi_client.get(f"/webhooks/facebook/webhook?{query}")
        assert response.status in (400, 403) and error_of(response), (query, response.text)
