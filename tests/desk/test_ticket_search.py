"""Listing tickets: filters, text search, ordering by priority then SLA, and timestamps."""

from __future__ import annotations

from datetime import datetime

import pytest

from deskkit import TICKET, create_ticket


async def listed(app, headers, query=""):
    _, response = await app.asgi_client.get(f"/api/tickets{query}", headers=headers)
    assert response.status == 200, response.text
    return [t["number"] for t in response.json["tickets"]]


@pytest.fixture
async def tickets(desk_app, auth):
    specs = [
        ("low-other", {"category": "other", "priority": "low", "channel": "kakao", "summary": "영수증 문의"}),
        ("urgent-delay", {"category": "delay", "priority": "urgent", "order_number": "ORD-261122-0100"}),
        ("high-pay", {"category": "payment", "priority": "high", "payment_details": {"method": "card", "amount": 18000}}),
        ("normal-quality", {"category": "quality", "priority": "normal",
                            "transcript": [{"author": "customer", "text": "국물이 100% 쏟아졌어요"}]}),
    ]
    numbers = {}
    for key, changes in specs:
        numbers[key] = (await create_ticket(desk_app, auth, key, {**TICKET, "summary": "", **changes}))["number"]
    return numbers


async def test_priority_first_then_sla(desk_app, auth, tickets):
    assert await listed(desk_app, auth) == [
        tickets["urgent-delay"], tickets["high-pay"], tickets["normal-quality"], tickets["low-other"],
    ]


async def test_same_priority_orders_by_sla_due(desk_app, auth):
    first = (await create_ticket(desk_app, auth, "a"))["number"]
    second = (await create_ticket(desk_app, auth, "b"))["number"]
    assert await listed(desk_app, auth) == [first, second]


@pytest.mark.parametrize(
    "query, expected",
    [
        ("?priority=urgent,high", ["urgent-delay", "high-pay"]),
        ("?category=payment", ["high-pay"]),
        ("?channel=kakao", ["low-other"]),
        ("?status=new&category=other,quality", ["normal-quality", "low-other"]),
        ("?status=resolved", []),
        ("?text=영수증", ["low-other"]),
        ("?text=0100", ["urgent-delay"]),
        ("?text=%25", ["normal-quality"]),
        ("?text=_", []),
        ("?text=%EA%B5%AD%EB%AC%BC", ["normal-quality"]),
        ("?limit=1", ["urgent-delay"]),
    ],
)
async def test_filters(desk_app, auth, tickets, query, expected):
    assert await listed(desk_app, auth, query) == [tickets[key] for key in expected]


async def test_assigned_filters(desk_app, auth, session_headers, tickets):
    await desk_app.asgi_client.post(f"/api/tickets/{tickets['high-pay']}/claim", headers=session_headers)
    assert await listed(desk_app, session_headers, "?assigned=me") == [tickets["high-pay"]]
    assert tickets["high-pay"] not in await listed(desk_app, session_headers, "?assigned=none")


@pytest.mark.parametrize(
    "query",
    ["?status=lost", "?priority=asap", "?status=new,gone", "?channel=rest&assigned=you", "?assigned=me", "?limit=0", "?limit=x",
     "?text=" + "x" * 201],
)
async def test_bad_filters_are_a_400(desk_app, auth, query):
    _, response = await desk_app.asgi_client.get(f"/api/tickets{query}", headers=auth)
    assert response.status == 400
    assert response.json["error"]["code"] in ("invalid_filter", "invalid_argument")


async def test_times_are_utc_and_problem_time_keeps_its_instant(desk_app, auth):
    body = {**TICKET, "problem_time": "2026-11-22T19:30:00+09:00"}
    ticket = await create_ticket(desk_app, auth, body=body)
    _, read = await desk_app.asgi_client.get(f"/api/tickets/{ticket['number']}", headers=auth)
    assert read.json["problem_time"] == "2026-11-22T10:30:00+00:00"
    for name in ("created_at", "updated_at", "sla_due_at"):
        assert datetime.fromisoformat(read.json[name]).utcoffset().total_seconds() == 0


async def test_payment_details_and_fields_round_trip(desk_app, auth):
    body = {**TICKET, "category": "payment", "payment_details": {"method": "card", "amount": 18000},
            "requested_resolution": "refund", "customer_id": "C-1"}
    ticket = await create_ticket(desk_app, auth, body=body)
    assert ticket["payment_details"] == {"method": "card", "amount": 18000}
    assert ticket["requested_resolution"] == "refund" and ticket["customer_id"] == "C-1"
    assert ticket["attachments"] == [] and ticket["rating"] is None and ticket["assigned_agent"] is None


async def test_sender_id_lists_the_tickets_of_one_conversation(desk_app, auth):
    mine = (await create_ticket(desk_app, auth, "k-mine", {**TICKET, "sender_id": "conversation-a"}))["number"]
    await create_ticket(desk_app, auth, "k-other", {**TICKET, "sender_id": "conversation-b"})
    assert await listed(desk_app, auth, "?sender_id=conversation-a") == [mine]
    assert await listed(desk_app, auth, "?sender_id=conversation") == [], "exact match, not a search"
    _, response = await desk_app.asgi_client.get("/api/tickets?sender_id=" + "x" * 301, headers=auth)
    assert response.status == 400 and response.json["error"]["code"] == "invalid_filter"
