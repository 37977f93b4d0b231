"""Claim, assign, reply, resolve, hand back and close: allowed and illegal transitions."""

from __future__ import annotations

import pytest

from deskkit import AGENT_EMAIL, create_ticket, make_agent, sign_in


@pytest.fixture
async def number(desk_app, auth):
    return (await create_ticket(desk_app, auth))["number"]


async def post(app, path, headers, body=None):
    _, response = await app.asgi_client.post(path, json=body, headers=headers)
    return response


async def test_claim_reply_resolve_close(desk_app, auth, session_headers, agent, number):
    claimed = await post(desk_app, f"/api/tickets/{number}/claim", session_headers)
    assert claimed.status == 200
    assert claimed.json["status"] == "assigned"
    assert claimed.json["assigned_agent"]["id"] == agent

    replied = await post(desk_app, f"/api/tickets/{number}/reply", session_headers, {"text": "  새 음식을 보내 드릴게요  "})
    assert replied.status == 201
    assert replied.json["message"]["author"] == "agent"
    assert replied.json["message"]["text"] == "새 음식을 보내 드릴게요"
    assert replied.json["ticket"]["status"] == "waiting_customer"

    _, pending = await desk_app.asgi_client.get("/api/deliveries/pending", headers=auth)
    [delivery] = pending.json["deliveries"]
    assert delivery["id"] == replied.json["delivery_id"]
    assert (delivery["ticket_number"], delivery["sender_id"], delivery["channel"]) == (number, "customer-7", "rest")
    assert delivery["text"] == "새 음식을 보내 드릴게요" and delivery["attempts"] == 0

    resolved = await post(desk_app, f"/api/tickets/{number}/resolve", session_headers)
    assert resolved.status == 200 and resolved.json["status"] == "resolved"
    assert resolved.json["resolved_at"] is not None

    closed = await post(desk_app, f"/api/tickets/{number}/close", session_headers)
    assert closed.status == 200 and closed.json["status"] == "closed"
    assert closed.json["closed_at"] is not None


async def test_reply_to_a_new_ticket_assigns_it(desk_app, session_headers, agent, number):
    replied = await post(desk_app, f"/api/tickets/{number}/reply", session_headers, {"text": "확인 중입니다"})
    assert replied.json["ticket"]["assigned_agent"]["id"] == agent
    assert replied.json["ticket"]["status"] == "waiting_customer"


async def test_handback_resolves_with_a_system_line(desk_app, session_headers, number):
    handed = await post(desk_app, f"/api/tickets/{number}/handback", session_headers)
    assert handed.status == 200
    assert handed.json["status"] == "resolved"
    last = handed.json["transcript"][-1]
    assert last["author"] == "system" and "챗봇" in last["text"]


@pytest.mark.parametrize(
    "steps, action",
    [
        ([], "close"),
        (["resolve"], "resolve"),
        (["resolve"], "reply"),
        (["resolve"], "handback"),
        (["resolve"], "claim"),
        (["resolve", "close"], "close"),
        (["resolve", "close"], "resolve"),
        (["handback"], "reply"),
    ],
)
async def test_illegal_transitions_are_a_409(desk_app, session_headers, number, steps, action):
    for step in steps:
        assert (await post(desk_app, f"/api/tickets/{number}/{step}", session_headers)).status == 200
    response = await post(desk_app, f"/api/tickets/{number}/{action}", session_headers, {"text": "x"})
    assert response.status == 409
    error = response.json["error"]
    assert error["code"] == "invalid_transition"
    assert number in error["message"] and error["details"]["action"] == action


async def test_claim_by_a_second_agent_is_a_409(desk_app, settings, session_headers, number):
    await make_agent(settings.database_url, "second@example.com", "이상담", "second-password")
    other = await sign_in(desk_app, "second@example.com", "second-password")
    assert (await post(desk_app, f"/api/tickets/{number}/claim", session_headers)).status == 200
    again = await post(desk_app, f"/api/tickets/{number}/claim", session_headers)
    assert again.status == 200  # claiming one's own ticket again is harmless
    refused = await post(desk_app, f"/api/tickets/{number}/claim", other)
    assert refused.status == 409 and refused.json["error"]["code"] == "already_assigned"


async def test_assign_by_email_or_id(desk_app, settings, session_headers, number):
    second = await make_agent(settings.database_url, "second@example.com", "이상담", "second-password")
    by_id = await post(desk_app, f"/api/tickets/{number}/assign", session_headers, {"agent": second})
    assert by_id.status == 200 and by_id.json["assigned_agent"]["id"] == second
    by_email = await post(desk_app, f"/api/tickets/{number}/assign", session_headers, {"agent": AGENT_EMAIL})
    assert by_email.json["assigned_agent"]["email"] == AGENT_EMAIL
    assert by_email.json["status"] == "assigned"


@pytest.mark.parametrize(
    "body, status, code",
    [
        ({"agent": 999}, 422, "unknown_agent"),
        ({"agent": "ghost@example.com"}, 422, "unknown_agent"),
        ({"agent": 1.5}, 422, "invalid_assignment"),
        ({}, 422, "invalid_assignment"),
        (["x"], 400, "malformed_json"),
    ],
)
async def test_bad_assignments(desk_app, session_headers, number, body, status, code):
    response = await post(desk_app, f"/api/tickets/{number}/assign", session_headers, body)
    assert (response.status, response.json["error"]["code"]) == (status, code)


@pytest.mark.parametrize(
    "body, status, code",
    [
        ({"text": ""}, 422, "invalid_reply"),
        ({"text": "   "}, 422, "invalid_reply"),
        ({"text": 5}, 422, "invalid_reply"),
        ({"text": "x" * 5001}, 422, "invalid_reply"),
        ({}, 422, "invalid_reply"),
        ({"text": "hi", "html": True}, 422, "invalid_reply"),
    ],
)
async def test_bad_replies(desk_app, auth, session_headers, number, body, status, code):
    response = await post(desk_app, f"/api/tickets/{number}/reply", session_headers, body)
    assert (response.status, response.json["error"]["code"]) == (status, code)
    _, pending = await desk_app.asgi_client.get("/api/deliveries/pending", headers=auth)
    assert pending.json["deliveries"] == []


async def test_reply_with_broken_json_is_a_400(desk_app, session_headers, number):
    _, response = await desk_app.asgi_client.post(
        f"/api/tickets/{number}/reply", content=b'{"text": ', headers={**session_headers, "Content-Type": "application/json"}
    )
    assert response.status == 400 and response.json["error"]["code"] == "malformed_json"


@pytest.mark.parametrize("action", ["claim", "assign", "reply", "resolve", "handback", "close"])
async def test_actions_need_an_agent_session(desk_app, auth, number, action):
    for headers in ({}, auth):
        response = await post(desk_app, f"/api/tickets/{number}/{action}", headers, {"text": "x", "agent": 1})
        assert response.status == 401 and response.json["error"]["code"] == "unauthorized"


@pytest.mark.parametrize("action", ["claim", "resolve", "handback", "close"])
async def test_actions_on_an_unknown_ticket_are_a_404(desk_app, session_headers, action):
    response = await post(desk_app, f"/api/tickets/T-20991231-9999/{action}", session_headers)
    assert response.status == 404 and response.json["error"]["code"] == "ticket_not_found"


async def test_two_agents_claiming_at_once_one_wins(desk_app, settings, session_headers, number):
    import asyncio

    await make_agent(settings.database_url, "second@example.com", "이상담", "second-password")
    other = await sign_in(desk_app, "second@example.com", "second-password")
    first, second = await asyncio.gather(
        post(desk_app, f"/api/tickets/{number}/claim", session_headers),
        post(desk_app, f"/api/tickets/{number}/claim", other),
    )
    assert sorted([first.status, second.status]) == [200, 409]
    loser = first if first.status == 409 else second
    assert loser.json["error"]["code"] in ("already_assigned", "concurrent_change")
