"""Properties of the channel payload parsers on generated input (Hypothesis).

``parse_skill_request`` (KakaoTalk) may only raise ``SkillRequestError`` and
``parse_webhook`` (Messenger) only ``MalformedWebhook``, whatever the bytes or the
JSON; what they accept is what the platform sent (round trips), with ids that are
safe in a URL and a log line and only http(s) photo URLs.
"""

from __future__ import annotations

import hashlib
import hmac
import json

from hypothesis import given, settings
from hypothesis import strategies as st

from channels.kakao_skill import (
    MAX_IMAGES,
    MAX_UTTERANCE,
    SkillRequestError,
    image_urls_of_action,
    parse_skill_request,
)
from channels.messenger import valid_signature
from channels.messenger_events import SENDER_ID, IncomingMessage, MalformedWebhook, parse_webhook
from support import customer_texts as say

SETTINGS = settings(max_examples=300, deadline=None)
JSON_SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-(2**70), 2**70), st.floats(allow_nan=False), st.text(max_size=20)
)
JSON_VALUES = st.recursive(
    JSON_SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=12), inner, max_size=4)),
    max_leaves=20,
)
URLISH = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["https://a.example/1.jpg", "http://b.example/2.png?x=1,2", "ftp://c.example/3", "javascript:x",
                     "https://a.example/has space.jpg", "https://" + "x" * 2100]),
)


def _kakao_body(user_request, action=None) -> bytes:
    body = {"userRequest": user_request, "bot": {"id": "b"}, "intent": {"id": "i"}}
    if action is not None:
        body["action"] = action
    return json.dumps(body).encode()


# --- KakaoTalk ------------------------------------------------------------------------------------


@SETTINGS
@given(st.one_of(st.binary(max_size=300), JSON_VALUES.map(lambda v: json.dumps(v).encode())))
def test_skill_requests_raise_only_their_own_error(body):
    try:
        skill = parse_skill_request(body)
    except SkillRequestError as error:
        assert error.code
        return
    assert skill.user_id and skill.utterance


@SETTINGS
@given(
    user_request=st.dictionaries(
        st.sampled_from(["utterance", "user", "callbackUrl", "params", "lang"]),
        st.one_of(JSON_VALUES, st.fixed_dictionaries({"id": st.one_of(st.text(max_size=300), JSON_SCALARS)})),
        max_size=5,
    ),
    action=st.one_of(st.none(), JSON_VALUES, st.fixed_dictionaries({"params": st.dictionaries(st.text(max_size=8), st.one_of(
        JSON_VALUES, st.fixed_dictionaries({"secureUrls": st.one_of(URLISH, st.lists(URLISH, max_size=12))}).map(json.dumps)
    ), max_size=3)})),
)
def test_nearly_right_skill_requests_raise_only_their_own_error(user_request, action):
    try:
        skill = parse_skill_request(_kakao_body(user_request, action))
    except SkillRequestError:
        return
    assert all(0x21 <= ord(c) <= 0x7E for c in skill.user_id), "printable ASCII only: safe in logs and keys"
    assert 0 < len(skill.utterance) <= MAX_UTTERANCE and skill.utterance == skill.utterance.strip()
    assert len(skill.image_urls) <= MAX_IMAGES and len(set(skill.image_urls)) == len(skill.image_urls)
    assert all(url.startswith(("https://", "http://")) and not any(c.isspace() for c in url) for url in skill.image_urls)


@SETTINGS
@given(
    user_id=st.text(alphabet=st.characters(min_codepoint=0x21, max_codepoint=0x7E), min_size=1, max_size=256),
    utterance=st.text(min_size=1, max_size=MAX_UTTERANCE).filter(lambda s: s.strip()),
    urls=st.lists(st.from_regex(r"https://[a-z]{1,10}\.example/[a-z0-9]{1,10}\.jpg", fullmatch=True), max_size=4,
                  unique=True),
)
def test_a_well_formed_skill_request_reads_back(user_id, utterance, urls):
    action = {"params": {"photo": json.dumps({"secureUrls": f"List({','.join(urls)})"})}} if urls else {"params": {}}
    skill = parse_skill_request(_kakao_body({"utterance": utterance, "user": {"id": user_id}}, action))
    # an utterance that only repeats a photo's address (as Kakao does for a photo sent into the chat)
    # is not the customer's words
    words = "사진을 보냈어요" if utterance.strip() in urls else utterance.strip()
    assert (skill.user_id, skill.utterance, skill.image_urls) == (user_id, words, urls)


@SETTINGS
@given(st.text(alphabet=" \t\r\n\u3000", max_size=5), st.booleans())
def test_blank_utterances_are_refused_unless_a_photo_came(blank, with_photo):
    action = {"params": {"p": {"secureUrls": ["https://a.example/1.jpg"]}}} if with_photo else None
    body = _kakao_body({"utterance": blank, "user": {"id": "u1"}}, action)
    if with_photo:
        assert parse_skill_request(body).utterance == say.PHOTO_ONLY
    else:
        try:
            parse_skill_request(body)
        except SkillRequestError as error:
            assert error.code == "empty_utterance"
        else:
            raise AssertionError("a blank utterance without a photo was accepted")


@SETTINGS
@given(st.dictionaries(st.text(max_size=8), JSON_VALUES, max_size=4))
def test_image_urls_of_any_action_are_http_urls(action):
    urls = image_urls_of_action(action)
    assert len(urls) <= MAX_IMAGES and all(url.startswith(("https://", "http://")) for url in urls)


def test_user_ids_with_a_trailing_newline_are_refused():
    """A regex anchored with $ let "abc\\n" through; the id must be printable ASCII throughout."""
    for user_id in ("abc\n", "abc\r", "a b", "키"):
        try:
            parse_skill_request(_kakao_body({"utterance": "안녕", "user": {"id": user_id}}))
        except SkillRequestError as error:
            assert error.code == "invalid_user_id"
        else:
            raise AssertionError(f"{user_id!r} was accepted")


def test_deeply_nested_json_is_malformed_not_a_crash():
    for body in (b"[" * 100_000, b'{"a":' * 50_000):
        try:
            parse_skill_request(body)
        except SkillRequestError as error:
            assert error.code == "malformed_json"


# --- Messenger ------------------------------------------------------------------------------------

EVENTS = st.fixed_dictionaries(
    {"sender": st.one_of(JSON_VALUES, st.fixed_dictionaries({"id": st.one_of(st.text(max_size=70), JSON_SCALARS)}))},
    optional={
        "message": st.one_of(JSON_VALUES, st.fixed_dictionaries({}, optional={
            "mid": st.one_of(st.text(max_size=600), JSON_SCALARS),
            "text": st.one_of(st.text(max_size=50), JSON_SCALARS),
            "is_echo": st.booleans(),
            "quick_reply": st.one_of(JSON_VALUES, st.fixed_dictionaries({"payload": st.one_of(st.text(max_size=30), JSON_SCALARS)})),
            "attachments": st.one_of(JSON_VALUES, st.lists(st.fixed_dictionaries({
                "type": st.sampled_from(["image", "audio", "video", "file", "location", "fallback", 3]),
                "payload": st.one_of(JSON_VALUES, st.fixed_dictionaries({"url": URLISH}, optional={"sticker_id": JSON_SCALARS})),
            }), max_size=3)),
        })),
        "postback": st.one_of(JSON_VALUES, st.fixed_dictionaries({}, optional={
            "mid": st.one_of(st.text(max_size=20), JSON_SCALARS),
            "payload": st.one_of(st.text(max_size=30), JSON_SCALARS),
        })),
        "delivery": JSON_VALUES,
    },
)
BODIES = st.one_of(
    JSON_VALUES,
    st.fixed_dictionaries(
        {"object": st.one_of(st.just("page"), JSON_SCALARS)},
        optional={"entry": st.one_of(JSON_VALUES, st.lists(st.one_of(
            JSON_VALUES, st.fixed_dictionaries({}, optional={"messaging": st.one_of(JSON_VALUES, st.lists(EVENTS, max_size=3))})
        ), max_size=3))},
    ),
)


@settings(max_examples=500, deadline=None)
@given(BODIES)
def test_webhook_bodies_raise_only_malformed_webhook(body):
    try:
        messages = parse_webhook(body)
    except MalformedWebhook:
        return
    if messages is None:
        assert isinstance(body, dict) and body.get("object") != "page"
        return
    for message in messages:
        assert isinstance(message, IncomingMessage)
        assert SENDER_ID.fullmatch(message.sender_id), "safe in a URL path and a log line"
        assert isinstance(message.text, str) and message.text.strip()
        assert message.mid is None or 0 < len(message.mid) <= 512
        assert all(a["url"].startswith(("https://", "http://")) for a in message.attachments)


@SETTINGS
@given(
    sender=st.from_regex(r"[0-9]{1,20}", fullmatch=True),
    text=st.text(min_size=1, max_size=500).filter(lambda s: s.strip()),
    mid=st.from_regex(r"m_[A-Za-z0-9_-]{1,60}", fullmatch=True),
)
def test_a_text_event_reads_back(sender, text, mid):
    body = {"object": "page", "entry": [{"messaging": [{"sender": {"id": sender}, "message": {"mid": mid, "text": text}}]}]}
    [message] = parse_webhook(json.loads(json.dumps(body)))
    assert (message.sender_id, message.text, message.mid, message.kind) == (sender, text, mid, "text")


@SETTINGS
@given(st.binary(max_size=200), st.one_of(st.none(), st.text(max_size=80)))
def test_only_the_right_signature_is_valid(body, header):
    secret = "property-app-secret"
    right = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    assert valid_signature(secret, body, right)
    assert valid_signature(secret, body, right.upper().replace("SHA256=", "sha256="))
    same = header is not None and header.startswith("sha256=") and header[7:].strip().lower() == right[7:]
    assert valid_signature(secret, body, header) is same
    assert not valid_signature("", body, right)


def test_sender_ids_with_a_trailing_newline_are_ignored():
    body = {"object": "page", "entry": [{"messaging": [{"sender": {"id": "123\n"}, "message": {"mid": "m1", "text": "안녕"}}]}]}
    assert parse_webhook(body) == []
