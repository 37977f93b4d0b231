"""The ticket API: creation, idempotency, reading, listing and bad input."""

from __future__ import annotations

import http.client
import json
import re

import pytest

TICKET = {
    "category": "delay",
    "channel": "rest",
    "sender_id": "customer-1",
    "order_number": "ORD-261122-0042",
    "transcript": [
        {"author": "customer", "text": "배달이 너무 늦어요"},
        {"author": "bot", "text": "주문번호를 알려 주시겠어요?"},
    ],
}


def headers(auth, key="key-1"):
    return {**auth, "Idempotency-Key": key}


async def test_create_then_read_a_ticket(desk_app, auth):
    _, created = await desk_app.asgi_client.post("/api/tickets", json=TICKET, headers=headers(auth))
    assert created.status == 201
    number = created.json["number"]
    assert re.fullmatch(r"T-\d{8}-0001", number)
    assert created.json["status"] == "new"
    assert created.json["priority"] == "normal"

    _, read = await desk_app.asgi_client.get(f"/api/tickets/{number}", headers=auth)
    assert read.status == 200
    assert read.json["order_number"] == "ORD-261122-0042"
    assert [line["text"] for line in read.json["transcript"]] == [
        "배달이 너무 늦어요",
        "주문번호를 알려 주시겠어요?",
    ]
    assert read.json["sla_due_at"] > read.json["created_at"]


async def test_same_idempotency_key_yields_one_ticket(desk_app, auth):
    _, first = await desk_app.asgi_client.post("/api/tickets", json=TICKET, headers=headers(auth))
    _, again = await desk_app.asgi_client.post("/api/tickets", json=TICKET, headers=headers(auth))
    assert (first.status, again.status) == (201, 200)
    assert again.json["number"] == first.json["number"]
    _, listed = await desk_app.asgi_client.get("/api/tickets", headers=auth)
    assert len(listed.json["tickets"]) == 1


async def test_numbers_count_up_within_a_day(desk_app, auth):
    numbers = []
    for key in ("a", "b", "c"):
        _, response = await desk_app.asgi_client.post("/api/tickets", json=TICKET, headers=headers(auth, key))
        numbers.append(response.json["number"])
    assert [n[-4:] for n in numbers] == ["0001", "0002", "0003"]
    assert len({n[:10] for n in numbers}) == 1


async def test_list_orders_by_priority_and_filters(desk_app, auth):
    for key, category, priority in (("1", "other", "low"), ("2", "payment", "high"), ("3", "delay", "urgent")):
        body = {**TICKET, "category": category, "priority": priority}
        await desk_app.asgi_client.post("/api/tickets", json=body, headers=headers(auth, key))
    _, listed = await desk_app.asgi_client.get("/api/tickets", headers=auth)
    assert [t["priority"] for t in listed.json["tickets"]] == ["urgent", "high", "low"]
    _, payment = await desk_app.asgi_client.get("/api/tickets?category=payment", headers=auth)
    assert [t["category"] for t in payment.json["tickets"]] == ["payment"]


@pytest.mark.parametrize(
    "body, code",
    [
        ({**TICKET, "category": "weather"}, "invalid_ticket"),
        ({**TICKET, "priority": 3}, "invalid_ticket"),
        ({k: v for k, v in TICKET.items() if k != "sender_id"}, "invalid_ticket"),
        ({**TICKET, "transcript": [{"author": "hacker", "text": "x"}]}, "invalid_ticket"),
        ({**TICKET, "surprise": True}, "invalid_ticket"),
        (["not", "an", "object"], "malformed_json"),
    ],
)
async def test_invalid_tickets_are_refused(desk_app, auth, body, code):
    _, response = await desk_app.asgi_client.post("/api/tickets", json=body, headers=headers(auth))
    assert response.status in (400, 422)
    assert response.json["error"]["code"] == code
    _, listed = await desk_app.asgi_client.get("/api/tickets", headers=auth)
    assert listed.json["tickets"] == []


async def test_malformed_json_is_a_400(desk_app, auth):
    _, response = await desk_app.asgi_client.post(
        "/api/tickets", content=b"{not json", headers={**headers(auth), "Content-Type": "application/json"}
    )
    assert response.status == 400
    assert response.json["error"]["code"] == "malformed_json"


async def test_missing_idempotency_key_is_a_400(desk_app, auth):
    _, response = await desk_app.asgi_client.post("/api/tickets", json=TICKET, headers=auth)
    assert response.status == 400
    assert response.json["error"]["code"] == "missing_idempotency_key"


@pytest.mark.parametrize("key", [b"\xed\xa0\x80-not-utf8", b"\xff\xfe", b"tab\there"])
def test_an_idempotency_key_that_is_not_printable_text_is_a_400(console_desk, key):
    """A real server hands such header bytes on undecodable (a 500 at the database before)."""
    connection = http.client.HTTPConnection(console_desk["url"].split("//", 1)[1], timeout=30)
    body = json.dumps(TICKET).encode()
    connection.putrequest("POST", "/api/tickets")
    for name, value in (("Authorization", f"Bearer {console_desk['token']}".encode()), ("Idempotency-Key", key),
                        ("Content-Type", b"application/json"), ("Content-Length", str(len(body)).encode())):
        connection.putheader(name, value)
    connection.endheaders(body)
    response = connection.getresponse()
    assert response.status == 400
    assert json.loads(response.read())["error"]["code"] == "invalid_idempotency_key"


@pytest.mark.parametrize("authorization", [None, "Bearer wrong-token", "Basic dGVzdA==", "Bearer "])
async def test_wrong_or_missing_token_is_a_401(desk_app, authorization):
    sent = {"Idempotency-Key": "k"} if authorization is None else {"Authorization": authorization, "Idempotency-Key": "k"}
    _, created = await desk_app.asgi_client.post("/api/tickets", json=TICKET, headers=sent)
    _, listed = await desk_app.asgi_client.get("/api/tickets", headers=sent)
    assert (created.status, listed.status) == (401, 401)
    assert created.json["error"]["code"] == "unauthorized"


async def test_unknown_ticket_is_a_404(desk_app, auth):
    _, response = await desk_app.asgi_client.get("/api/tickets/T-20991231-9999", headers=auth)
    assert response.status == 404
    assert response.json["error"]["code"] == "ticket_not_found"


async def test_bad_filter_is_a_400(desk_app, auth):
    _, response = await desk_app.asgi_client.get("/api/tickets?status=lost", headers=auth)
    assert response.status == 400


async def test_health_needs_no_token(desk_app):
    _, response = await desk_app.asgi_client.get("/health")
    assert response.status == 200 and response.json == {"status": "ok"}


async def test_concurrent_retries_create_one_ticket(desk_app, auth):
    import asyncio

    results = await asyncio.gather(
        *(desk_app.asgi_client.post("/api/tickets", json=TICKET, headers=headers(auth, "race")) for _ in range(3))
    )
    responses = [response for _, response in results]
    assert sorted(r.status for r in responses) == [200, 200, 201]
    assert len({r.json["number"] for r in responses}) == 1
    _, listed = await desk_app.asgi_client.get("/api/tickets", headers=auth)
    assert len(listed.json["tickets"]) == 1
