"""Agents never see full personal data: what the desk stores and answers is masked."""

from __future__ import annotations

import json

from deskkit import TICKET, create_ticket
from pii_samples import EMAIL, MESSAGE, PHONE, assert_masked, leaks


def shown(response) -> str:
    """A JSON answer as text with its Korean unescaped (so Korean values can be searched)."""
    return json.dumps(response.json, ensure_ascii=False)


def ticket_with_personal_data(sender: str = "customer-pii") -> dict:
    return {
        **TICKET,
        "sender_id": sender,
        "summary": MESSAGE,
        "payment_details": {"method": f"카드 {MESSAGE}", "amount": 23000},
        "transcript": [
            {"author": "customer", "text": MESSAGE},
            {"author": "bot", "text": "주문번호를 알려 주시겠어요?"},
            {"author": "customer", "text": "ORD-261122-0042 이고 23,000원 결제했어요"},
        ],
    }


async def test_new_ticket_is_stored_masked_in_every_view(desk_app, auth, session_headers):
    created = await create_ticket(desk_app, auth, "pii-1", ticket_with_personal_data())
    assert_masked(json.dumps(created, ensure_ascii=False))
    number = created["number"]
    for headers in (auth, session_headers):  # the service and a signed-in agent
        _, detail = await desk_app.asgi_client.get(f"/api/tickets/{number}", headers=headers)
        _, queue = await desk_app.asgi_client.get("/api/tickets", headers=headers)
        assert_masked(shown(detail))
        assert leaks(shown(queue)) == [] and "010-****-5678" in shown(queue)
    # what the agent needs stays
    assert detail.json["order_number"] == "ORD-261122-0042"
    assert detail.json["payment_details"]["amount"] == 23000
    assert "ORD-261122-0042 이고 23,000원 결제했어요" in [line["text"] for line in detail.json["transcript"]]


async def test_search_by_the_full_value_finds_nothing_but_the_last_digits_do(desk_app, auth, session_headers):
    await create_ticket(desk_app, auth, "pii-2", ticket_with_personal_data())
    _, full = await desk_app.asgi_client.get("/api/tickets", params={"text": PHONE}, headers=session_headers)
    _, last4 = await desk_app.asgi_client.get("/api/tickets", params={"text": "5678"}, headers=session_headers)
    assert full.json["tickets"] == []
    assert len(last4.json["tickets"]) == 1 and leaks(shown(last4)) == []


async def test_customer_messages_during_the_handoff_are_masked(desk_app, auth, session_headers):
    number = (await create_ticket(desk_app, auth, "pii-3"))["number"]
    _, added = await desk_app.asgi_client.post(
        f"/api/tickets/{number}/messages",
        json={"author": "customer", "text": MESSAGE},
        headers={**auth, "Idempotency-Key": "pii-message"},
    )
    assert added.status == 201
    assert_masked(shown(added))
    _, detail = await desk_app.asgi_client.get(f"/api/tickets/{number}", headers=session_headers)
    assert_masked(shown(detail))
    _, open_ticket = await desk_app.asgi_client.get("/api/conversations/customer-7/open-ticket", headers=auth)
    assert_masked(shown(open_ticket))


async def test_agent_reply_reaches_the_customer_as_written_but_the_thread_is_masked(desk_app, auth, session_headers):
    number = (await create_ticket(desk_app, auth, "pii-4"))["number"]
    text = f"가게 번호 {PHONE}로 연락드릴게요"
    _, replied = await desk_app.asgi_client.post(
        f"/api/tickets/{number}/reply", json={"text": text}, headers=session_headers
    )
    assert replied.status == 201
    assert replied.json["message"]["text"] == "가게 번호 010-****-5678로 연락드릴게요"
    assert leaks(shown(replied)) == []
    _, pending = await desk_app.asgi_client.get("/api/deliveries/pending", headers=auth)  # service only
    assert [d["text"] for d in pending.json["deliveries"]] == [text]


async def test_rating_comments_are_masked(desk_app, auth, session_headers):
    number = (await create_ticket(desk_app, auth, "pii-5"))["number"]
    _, rated = await desk_app.asgi_client.post(
        "/api/ratings", json={"ticket_number": number, "rating": 2, "comment": f"{EMAIL}로 답장 주세요"}, headers=auth
    )
    assert rated.status == 201 and leaks(shown(rated)) == []
    _, detail = await desk_app.asgi_client.get(f"/api/tickets/{number}", headers=session_headers)
    assert detail.json["rating"]["comment"] == "m***@example.com로 답장 주세요"


async def test_a_phone_number_used_as_sender_id_routes_but_is_shown_masked(desk_app, auth, session_headers):
    created = await create_ticket(desk_app, auth, "pii-6", {**TICKET, "sender_id": PHONE, "customer_id": EMAIL})
    assert created["sender_id"] == "010-****-5678" and created["customer_id"] == "m***@example.com"
    # the desk still finds the conversation by its real id
    _, found = await desk_app.asgi_client.get(f"/api/conversations/{PHONE}/open-ticket", headers=auth)
    assert found.status == 200 and found.json["number"] == created["number"]
    _, queue = await desk_app.asgi_client.get("/api/tickets", headers=session_headers)
    assert leaks(shown(queue)) == []
