"""The action server's guard: only callers with the token (Rasa) reach the actions."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sanic import Sanic

from action_services import test_settings
from actions.server import TOKEN_HEADER, build_app, token_accepted

Sanic.test_mode = True
TOKEN = "action-token-for-tests-0123456789"
CALL = {"next_action": "action_that_does_not_exist", "sender_id": "s", "tracker": {"sender_id": "s"}, "domain": {}}


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    settings = replace(test_settings(tmp_path_factory.mktemp("actions")), action_token=TOKEN)
    return build_app(settings)


@pytest.mark.parametrize("headers", [{}, {TOKEN_HEADER: ""}, {TOKEN_HEADER: "wrong"}, {TOKEN_HEADER: TOKEN + "x"}])
async def test_calls_without_the_right_token_are_refused(app, headers):
    _, called = await app.asgi_client.post("/webhook", json=CALL, headers=headers)
    _, listed = await app.asgi_client.get("/actions", headers=headers)
    for response in (called, listed):
        assert response.status == 401, headers
        assert response.json["error"] == "unauthorized"


async def test_the_right_token_reaches_the_actions(app):
    _, listed = await app.asgi_client.get("/actions", headers={TOKEN_HEADER: TOKEN})
    assert listed.status == 200
    names = {entry["name"] for entry in listed.json}
    assert {"action_submit_problem", "validate_problem_form"} <= names
    _, unknown = await app.asgi_client.post("/webhook", json=CALL, headers={TOKEN_HEADER: TOKEN})
    assert unknown.status == 404, "an unknown action is the executor's answer, past the guard"


async def test_health_needs_no_token(app):
    _, response = await app.asgi_client.get("/health")
    assert response.status == 200


def test_token_comparison():
    assert token_accepted("abc", "abc")
    assert not token_accepted("abc", None)
    assert not token_accepted("abc", "")
    assert not token_accepted("abc", "abd")
