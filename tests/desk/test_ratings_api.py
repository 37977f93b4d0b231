"""Satisfaction ratings: by ticket number or by sender, shown on the ticket."""

from __future__ import annotations

import pytest

from deskkit import TICKET, create_ticket


async def rate(app, auth, body):
    _, response = await app.asgi_client.post("/api/ratings", json=body, headers=auth)
    return response


async def test_rating_by_number_is_shown_on_the_ticket(desk_app, auth):
    number = (await create_ticket(desk_app, auth))["number"]
    response = await rate(desk_app, auth, {"ticket_number": number, "rating": 4, "comment": "빨리 해결됐어요"})
    assert response.status == 201
    assert response.json["ticket_number"] == number and response.json["rating"] == 4
    _, ticket = await desk_app.asgi_client.get(f"/api/tickets/{number}", headers=auth)
    assert ticket.json["rating"]["rating"] == 4
    assert ticket.json["rating"]["comment"] == "빨리 해결됐어요"


async def test_rating_by_sender_alone_rates_the_bot_answer_without_touching_tickets(desk_app, auth):
    number = (await create_ticket(desk_app, auth, "first"))["number"]
    response = await rate(desk_app, auth, {"sender_id": TICKET["sender_id"], "rating": 5})
    assert response.status == 201 and response.json["ticket_number"] is None
    assert response.json["rating"] == 5 and response.json["comment"] is None
    _, ticket = await desk_app.asgi_client.get(f"/api/tickets/{number}", headers=auth)
    assert ticket.json["rating"] is None


async def test_a_second_rating_replaces_the_first(desk_app, auth):
    number = (await create_ticket(desk_app, auth))["number"]
    assert (await rate(desk_app, auth, {"ticket_number": number, "rating": 2})).status == 201
    again = await rate(desk_app, auth, {"ticket_number": number, "rating": 3})
    assert again.status == 200 and again.json["rating"] == 3
    _, ticket = await desk_app.asgi_client.get(f"/api/tickets/{number}", headers=auth)
    assert ticket.json["rating"]["rating"] == 3


@pytest.mark.parametrize(
    "body",
    [
        {"rating": 5},
        {"ticket_number": "T-1", "rating": 0},
        {"ticket_number": "T-1", "rating": 6},
        {"ticket_number": "T-1", "rating": "5"},
        {"ticket_number": "T-1", "rating": 4.5},
        {"ticket_number": "T-1", "rating": True},
        {"ticket_number": "T-1"},
        {"ticket_number": "T-1", "rating": 3, "comment": "x" * 2001},
        {"ticket_number": "T-1", "rating": 3, "stars": 3},
    ],
)
async def test_bad_ratings_are_a_422(desk_app, auth, body):
    response = await rate(desk_app, auth, body)
    assert response.status == 422 and response.json["error"]["code"] == "invalid_rating"


async def test_rating_an_unknown_ticket_is_a_404(desk_app, auth):
    response = await rate(desk_app, auth, {"ticket_number": "T-20991231-9999", "rating": 3})
    assert response.status == 404 and response.json["error"]["code"] == "ticket_not_found"


async def test_number_and_sender_must_agree(desk_app, auth):
    number = (await create_ticket(desk_app, auth))["number"]
    response = await rate(desk_app, auth, {"ticket_number": number, "sender_id": "someone-else", "rating": 1})
    assert response.status == 422


async def test_ratings_need_the_service_token(desk_app, session_headers):
    assert (await rate(desk_app, session_headers, {"sender_id": "x", "rating": 3})).status == 401
    _, broken = await desk_app.asgi_client.post("/api/ratings", content=b"[", headers={"Content-Type": "application/json"})
    assert broken.status == 401
