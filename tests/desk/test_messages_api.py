"""Customer messages during a handoff: the open-ticket lookup and the idempotent thread append."""

from __future__ import annotations

import pytest

from deskkit import create_ticket, image_bytes, upload


def key(value):
    return {"Idempotency-Key": value}


async def add(app, number, headers, body):
    _, response = await app.asgi_client.post(f"/api/tickets/{number}/messages", json=body, headers=headers)
    return response


async def test_open_ticket_is_found_until_resolved(desk_app, auth, session_headers):
    ticket = await create_ticket(desk_app, auth)
    _, found = await desk_app.asgi_client.get("/api/conversations/customer-7/open-ticket", headers=auth)
    assert found.status == 200 and found.json["number"] == ticket["number"]
    assert found.json["transcript"][0]["text"] == "음식이 식어서 왔어요"

    await desk_app.asgi_client.post(f"/api/tickets/{ticket['number']}/resolve", headers=session_headers)
    _, gone = await desk_app.asgi_client.get("/api/conversations/customer-7/open-ticket", headers=auth)
    assert gone.status == 404 and gone.json["error"]["code"] == "no_open_ticket"


async def test_open_ticket_of_a_stranger_is_a_404(desk_app, auth):
    _, response = await desk_app.asgi_client.get("/api/conversations/nobody/open-ticket", headers=auth)
    assert response.status == 404


async def test_open_ticket_needs_the_service_token(desk_app, session_headers):
    _, response = await desk_app.asgi_client.get("/api/conversations/customer-7/open-ticket", headers=session_headers)
    assert response.status == 401


async def test_customer_message_is_appended_once(desk_app, auth):
    number = (await create_ticket(desk_app, auth))["number"]
    body = {"author": "customer", "text": "아직 답이 없네요", "sent_at": "2026-11-22T19:05:00+09:00"}
    first = await add(desk_app, number, {**auth, **key("m-1")}, body)
    again = await add(desk_app, number, {**auth, **key("m-1")}, body)
    assert (first.status, again.status) == (201, 200)
    assert first.json["message"]["id"] == again.json["message"]["id"]
    assert first.json["message"]["sent_at"] == "2026-11-22T10:05:00+00:00"
    _, ticket = await desk_app.asgi_client.get(f"/api/tickets/{number}", headers=auth)
    assert [line["text"] for line in ticket.json["transcript"]].count("아직 답이 없네요") == 1


async def test_customer_answer_puts_the_ticket_back_to_assigned(desk_app, auth, session_headers):
    number = (await create_ticket(desk_app, auth))["number"]
    await desk_app.asgi_client.post(f"/api/tickets/{number}/reply", json={"text": "사진 부탁드려요"}, headers=session_headers)
    bot = await add(desk_app, number, {**auth, **key("b")}, {"author": "bot", "text": "상담원에게 전달했어요"})
    assert bot.json["ticket"]["status"] == "waiting_customer"
    customer = await add(desk_app, number, {**auth, **key("c")}, {"author": "customer", "text": "보냈어요"})
    assert customer.json["ticket"]["status"] == "assigned"


async def test_message_with_a_photo_links_it(desk_app, auth):
    number = (await create_ticket(desk_app, auth))["number"]
    photo = (await upload(desk_app, auth, image_bytes("PNG"), "p.png", "image/png")).json
    response = await add(desk_app, number, {**auth, **key("p")}, {"author": "customer", "text": "사진", "attachments": [photo["id"]]})
    assert response.status == 201
    _, ticket = await desk_app.asgi_client.get(f"/api/tickets/{number}", headers=auth)
    assert [a["id"] for a in ticket.json["attachments"]] == [photo["id"]]


async def test_message_to_a_resolved_ticket_is_a_409(desk_app, auth, session_headers):
    number = (await create_ticket(desk_app, auth))["number"]
    await desk_app.asgi_client.post(f"/api/tickets/{number}/resolve", headers=session_headers)
    response = await add(desk_app, number, {**auth, **key("late")}, {"author": "customer", "text": "하나 더요"})
    assert response.status == 409 and response.json["error"]["code"] == "invalid_transition"


@pytest.mark.parametrize(
    "body",
    [
        {"author": "agent", "text": "agents use /reply"},
        {"author": "hacker", "text": "x"},
        {"author": "customer"},
        {"author": "customer", "text": ""},
        {"author": "customer", "text": 42},
        {"author": "customer", "text": "x", "sent_at": "yesterday"},
        {"author": "customer", "text": "x", "attachments": ["../../etc/passwd"]},
        {"author": "customer", "text": "x", "extra": 1},
    ],
)
async def test_bad_messages_are_a_422(desk_app, auth, body):
    number = (await create_ticket(desk_app, auth))["number"]
    response = await add(desk_app, number, {**auth, **key("bad")}, body)
    assert response.status == 422 and response.json["error"]["code"] == "invalid_message"


async def test_message_with_an_unknown_photo_is_refused_and_not_stored(desk_app, auth):
    number = (await create_ticket(desk_app, auth))["number"]
    body = {"author": "customer", "text": "사진", "attachments": ["A" * 32]}
    response = await add(desk_app, number, {**auth, **key("ghost")}, body)
    assert response.status == 422 and response.json["error"]["code"] == "unknown_attachment"
    _, ticket = await desk_app.asgi_client.get(f"/api/tickets/{number}", headers=auth)
    assert len(ticket.json["transcript"]) == 2


async def test_message_needs_a_key_a_token_and_a_ticket(desk_app, auth, session_headers):
    number = (await create_ticket(desk_app, auth))["number"]
    body = {"author": "customer", "text": "x"}
    assert (await add(desk_app, number, auth, body)).json["error"]["code"] == "missing_idempotency_key"
    assert (await add(desk_app, number, {**session_headers, **key("k")}, body)).status == 401
    assert (await add(desk_app, "T-20991231-9999", {**auth, **key("k")}, body)).status == 404
    _, broken = await desk_app.asgi_client.post(
        f"/api/tickets/{number}/messages", content=b"{", headers={**auth, **key("k"), "Content-Type": "application/json"}
    )
    assert broken.status == 400 and broken.json["error"]["code"] == "malformed_json"


async def test_concurrent_retries_store_one_message(desk_app, auth, session_headers):
    import asyncio

    number = (await create_ticket(desk_app, auth))["number"]
    await desk_app.asgi_client.post(f"/api/tickets/{number}/reply", json={"text": "사진 부탁드려요"}, headers=session_headers)
    body = {"author": "customer", "text": "여기 있어요"}
    first, second = await asyncio.gather(*(add(desk_app, number, {**auth, **key("same")}, body) for _ in range(2)))
    assert sorted([first.status, second.status]) == [200, 201]
    assert first.json["message"]["id"] == second.json["message"]["id"]
    _, ticket = await desk_app.asgi_client.get(f"/api/tickets/{number}", headers=auth)
    assert [line["text"] for line in ticket.json["transcript"]].count("여기 있어요") == 1
    assert ticket.json["status"] == "assigned"
