"""Malformed action calls get a 400 (or 413) from the action server, never a 500 that echoes the tracker."""

from __future__ import annotations

import json
import zlib
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sanic import Sanic

from action_services import test_settings
from actions.call_check import MAX_CALL_BYTES, CallRefused, checked_call
from actions.server import TOKEN_HEADER, build_app

Sanic.test_mode = True
TOKEN = "call-check-token-0123456789"
SECRET_TEXT = "제 번호는 010-1234-5678이에요"
TRACKER = {"sender_id": "s-1", "slots": {}, "events": [], "latest_message": {"text": SECRET_TEXT}}

BAD_CALLS = {
    "empty": b"",
    "not-json": b"{",
    "invalid-utf8": b"\xff\xfe",
    "array": b"[]",
    "string": b'"x"',
    "null": b"null",
    "next-action-number": json.dumps({"next_action": 5, "tracker": TRACKER}).encode(),
    "next-action-list": json.dumps({"next_action": ["x"], "tracker": TRACKER}).encode(),
    "no-tracker": json.dumps({"next_action": "action_create_ticket"}).encode(),
    "tracker-string": json.dumps({"next_action": "action_create_ticket", "tracker": "x"}).encode(),
    "tracker-without-sender": json.dumps({"next_action": "action_create_ticket", "tracker": {}}).encode(),
    "events-string": json.dumps({"next_action": "action_create_ticket", "tracker": {**TRACKER, "events": "x"}}).encode(),
    "events-not-objects": json.dumps(
        {"next_action": "action_create_ticket", "tracker": {**TRACKER, "events": [1, "x", None]}}).encode(),
    "event-text-number": json.dumps(
        {"next_action": "action_create_ticket", "tracker": {**TRACKER, "events": [{"event": "user", "text": 5}]}}).encode(),
    "slots-list": json.dumps({"next_action": "action_create_ticket", "tracker": {**TRACKER, "slots": []}}).encode(),
    "latest-text-number": json.dumps(
        {"next_action": "action_relay_to_agent", "tracker": {**TRACKER, "latest_message": {"text": 5}}}).encode(),
    "entities-not-objects": json.dumps({"next_action": "action_relay_to_agent", "tracker": {
        **TRACKER, "latest_message": {"text": "x", "entities": ["order"]}}}).encode(),
    "domain-list": json.dumps({"next_action": "action_create_ticket", "tracker": TRACKER, "domain": []}).encode(),
    "deep-nesting": b'{"next_action": "a", "tracker": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
}


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    settings = replace(test_settings(tmp_path_factory.mktemp("actions")), action_token=TOKEN)
    return build_app(settings)


async def call(app, body: bytes, **headers):
    _, response = await app.asgi_client.post(
        "/webhook", content=body, headers={TOKEN_HEADER: TOKEN, "Content-Type": "application/json", **headers}
    )
    return response


@pytest.mark.parametrize("name", list(BAD_CALLS))
async def test_malformed_calls_are_a_400_that_does_not_echo_the_body(app, name):
    response = await call(app, BAD_CALLS[name])
    assert response.status == 400, response.text
    assert response.json["error"] in ("invalid_body", "invalid_action_call")
    assert SECRET_TEXT not in response.text and "request_body" not in response.text


async def test_deflate_bodies_are_inflated_with_a_limit(app):
    good = {"next_action": "action_that_does_not_exist", "tracker": TRACKER, "domain": {}}
    response = await call(app, zlib.compress(json.dumps(good).encode()), **{"Content-Encoding": "deflate"})
    assert response.status == 404, "a well-formed call reaches rasa-sdk (which knows no such action)"
    bomb = zlib.compress(b"{" + b" " * (MAX_CALL_BYTES + 10) + b"}", 9)
    assert len(bomb) < 100_000
    response = await call(app, bomb, **{"Content-Encoding": "deflate"})
    assert response.status == 413 and response.json["error"] == "too_large"
    for broken in (b"not deflate at all", zlib.compress(json.dumps(good).encode())[:-8]):
        response = await call(app, broken, **{"Content-Encoding": "deflate"})
        assert response.status == 400 and response.json["error"] == "invalid_body"


async def test_the_token_is_still_checked_first(app):
    _, response = await app.asgi_client.post("/webhook", content=b"[]", headers={"Content-Type": "application/json"})
    assert response.status == 401


JSON = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=10)),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3)),
    max_leaves=15,
)
CALLS = st.fixed_dictionaries({"next_action": st.one_of(st.just("action_create_ticket"), JSON)}, optional={
    "tracker": st.one_of(JSON, st.fixed_dictionaries({"sender_id": st.one_of(st.just("s"), JSON)}, optional={
        "slots": JSON, "events": st.one_of(JSON, st.lists(st.one_of(JSON, st.fixed_dictionaries(
            {"event": st.sampled_from(["user", "bot", "slot"])}, optional={"text": JSON, "timestamp": JSON})), max_size=3)),
        "latest_message": st.one_of(JSON, st.fixed_dictionaries({}, optional={"text": JSON, "entities": JSON})),
    })),
    "domain": JSON,
})


@settings(max_examples=300, deadline=None)
@given(st.one_of(JSON, CALLS))
def test_any_json_is_a_checked_call_or_refused(value):
    try:
        call_ = checked_call(json.dumps(value).encode(), None)
    except CallRefused as refused:
        assert refused.status == 400
        return
    assert isinstance(call_["next_action"], str) and isinstance(call_["tracker"]["sender_id"], str)
