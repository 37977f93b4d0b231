"""The reply outbox the delivery worker reads: pending rows, delivered, failed."""

from __future__ import annotations

import pytest

from deskkit import create_ticket


@pytest.fixture
async def delivery_id(desk_app, auth, session_headers):
    number = (await create_ticket(desk_app, auth))["number"]
    _, replied = await desk_app.asgi_client.post(
        f"/api/tickets/{number}/reply", json={"text": "곧 연락드릴게요"}, headers=session_headers
    )
    return replied.json["delivery_id"]


async def pending(app, auth, query=""):
    _, response = await app.asgi_client.get(f"/api/deliveries/pending{query}", headers=auth)
    return response


async def test_delivered_rows_leave_the_pending_list(desk_app, auth, delivery_id):
    assert [d["id"] for d in (await pending(desk_app, auth)).json["deliveries"]] == [delivery_id]
    _, done = await desk_app.asgi_client.post(f"/api/deliveries/{delivery_id}/delivered", headers=auth)
    assert done.status == 200
    assert done.json["delivered_at"] is not None and done.json["attempts"] == 1
    _, again = await desk_app.asgi_client.post(f"/api/deliveries/{delivery_id}/delivered", headers=auth)
    assert again.status == 200 and again.json["delivered_at"] == done.json["delivered_at"]
    assert again.json["attempts"] == 1
    assert (await pending(desk_app, auth)).json["deliveries"] == []


async def test_failed_attempts_are_counted_and_stay_pending(desk_app, auth, delivery_id):
    for expected in (1, 2):
        _, failed = await desk_app.asgi_client.post(f"/api/deliveries/{delivery_id}/failed", headers=auth)
        assert failed.status == 200 and failed.json["attempts"] == expected
    [row] = (await pending(desk_app, auth)).json["deliveries"]
    assert row["attempts"] == 2 and row["delivered_at"] is None


async def test_pending_is_oldest_first_and_limited(desk_app, auth, session_headers):
    number = (await create_ticket(desk_app, auth))["number"]
    for text in ("하나", "둘", "셋"):
        await desk_app.asgi_client.post(f"/api/tickets/{number}/reply", json={"text": text}, headers=session_headers)
    assert [d["text"] for d in (await pending(desk_app, auth)).json["deliveries"]] == ["하나", "둘", "셋"]
    assert [d["text"] for d in (await pending(desk_app, auth, "?limit=2")).json["deliveries"]] == ["하나", "둘"]


@pytest.mark.parametrize("query", ["?limit=0", "?limit=abc", "?limit=501", "?limit=-1", "?limit=%C2%B2", "?limit=%D9%A3"])
async def test_bad_limits_are_a_400(desk_app, auth, query):
    response = await pending(desk_app, auth, query)
    assert response.status == 400 and response.json["error"]["code"] == "invalid_argument"


@pytest.mark.parametrize("action", ["delivered", "failed"])
async def test_unknown_delivery_is_a_404(desk_app, auth, action):
    _, response = await desk_app.asgi_client.post(f"/api/deliveries/424242/{action}", headers=auth)
    assert response.status == 404 and response.json["error"]["code"] == "delivery_not_found"


@pytest.mark.parametrize("delivery_id", [str(2**31), str(2**63), str(2**64 + 1), "9" * 40, "0", "-1", str(-(2**63) - 1)])
@pytest.mark.parametrize("action", ["delivered", "failed"])
async def test_ids_no_database_integer_holds_are_a_404(desk_app, auth, action, delivery_id):
    """Not a database overflow (500): no row can have such an id."""
    _, response = await desk_app.asgi_client.post(f"/api/deliveries/{delivery_id}/{action}", headers=auth)
    assert response.status == 404 and response.json["error"]["code"] == "delivery_not_found"


async def test_non_numeric_id_is_a_404(desk_app, auth):
    _, response = await desk_app.asgi_client.post("/api/deliveries/abc/delivered", headers=auth)
    assert response.status == 404


async def test_outbox_needs_the_service_token(desk_app, session_headers, delivery_id):
    assert (await pending(desk_app, session_headers)).status == 401
    _, response = await desk_app.asgi_client.post(f"/api/deliveries/{delivery_id}/delivered", headers=session_headers)
    assert response.status == 401


# --- what agents see of their replies, and sending a failed one again ------------------------


@pytest.fixture
def short_lived_app(settings, tmp_path):
    """The desk with replies given up as soon as one push fails (their age is already over)."""
    from dataclasses import replace

    from desk.app import create_app
    from desk.deliveries.retry import RetryPolicy

    return create_app(replace(settings, delivery_retry=RetryPolicy(max_age=0.001)), name=f"short_{tmp_path.name}")


async def _states(app, headers, number):
    _, response = await app.asgi_client.get(f"/api/deliveries?ticket={number}", headers=headers)
    return response


async def test_agents_see_where_each_reply_stands_and_send_a_failed_one_again(short_lived_app, auth, agent):
    from deskkit import sign_in

    app = short_lived_app
    agent_headers = await sign_in(app)
    number = (await create_ticket(app, auth))["number"]
    ids = []
    for text in ("전달될 답장", "실패할 답장", "아직 보내는 중"):
        _, replied = await app.asgi_client.post(f"/api/tickets/{number}/reply", json={"text": text}, headers=agent_headers)
        ids.append(replied.json["delivery_id"])
    await app.asgi_client.post(f"/api/deliveries/{ids[0]}/delivered", headers=auth)
    await app.asgi_client.post(f"/api/deliveries/{ids[1]}/failed", headers=auth)  # too old: given up

    listed = (await _states(app, agent_headers, number)).json["deliveries"]
    assert [(d["text"], d["state"]) for d in listed] == [
        ("전달될 답장", "delivered"), ("실패할 답장", "failed"), ("아직 보내는 중", "waiting"),
    ]
    assert listed[1]["given_up_at"] is not None and listed[1]["attempts"] == 1

    # only a failed reply can be sent again
    for delivery_id in (ids[0], ids[2]):
        _, refused = await app.asgi_client.post(f"/api/deliveries/{delivery_id}/retry", headers=agent_headers)
        assert refused.status == 409 and refused.json["error"]["code"] == "not_failed"
    _, again = await app.asgi_client.post(f"/api/deliveries/{ids[1]}/retry", headers=agent_headers)
    assert again.status == 200 and again.json["state"] == "waiting" and again.json["given_up_at"] is None
    assert ids[1] in [d["id"] for d in (await pending(app, auth)).json["deliveries"]], "the pusher takes it again"


async def test_the_agent_view_of_deliveries_checks_who_asks_and_what(desk_app, auth, session_headers, delivery_id):
    assert (await _states(desk_app, {}, "T-1")).status == 401
    assert (await _states(desk_app, auth, "T-1")).status == 401, "the service token is not an agent"
    _, response = await desk_app.asgi_client.get("/api/deliveries", headers=session_headers)
    assert response.status == 400 and response.json["error"]["code"] == "invalid_filter"
    missing = await _states(desk_app, session_headers, "NO-SUCH-TICKET")
    assert missing.status == 404 and missing.json["error"]["code"] == "ticket_not_found"
    _, response = await desk_app.asgi_client.post(f"/api/deliveries/{delivery_id}/retry", headers=auth)
    assert response.status == 401, "only an agent retries"
    _, response = await desk_app.asgi_client.post("/api/deliveries/424242/retry", headers=session_headers)
    assert response.status == 404
