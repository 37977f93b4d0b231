"""The desk's API on PostgreSQL (the session's own server, through the async driver asyncpg)."""

from __future__ import annotations

import asyncio

import pytest

from deskkit import TICKET, create_ticket, image_bytes, make_agent, sign_in, upload
from desk.app import create_app
from desk.config import DeskSettings
from desk.migrate import upgrade
from support import customer_texts as say

TOKEN = "test-token-0123456789abcdef"

@pytest.fixture
def pg_settings(tmp_path, postgres_url):
    upgrade(postgres_url)
    yield DeskSettings(database_url=postgres_url, service_token=TOKEN, storage_dir=tmp_path / "uploads")


@pytest.fixture
def pg_app(pg_settings, tmp_path):
    return create_app(pg_settings, name=f"desk_pg_{tmp_path.name}")


@pytest.fixture
def pg_auth():
    return {"Authorization": f"Bearer {TOKEN}"}


async def test_concurrent_creates_get_distinct_numbers(pg_app, pg_auth):
    await pg_app.asgi_client.get("/health")
    results = await asyncio.gather(*(create_ticket(pg_app, pg_auth, f"k{i}") for i in range(5)))
    numbers = sorted(ticket["number"] for ticket in results)
    assert [n[-4:] for n in numbers] == ["0001", "0002", "0003", "0004", "0005"]
    replay = await create_ticket(pg_app, pg_auth, "k0")
    assert replay["number"] in numbers


async def test_full_ticket_life_on_postgres(pg_app, pg_settings, pg_auth):
    await make_agent(pg_settings.database_url)
    session = await sign_in(pg_app)
    photo = (await upload(pg_app, pg_auth, image_bytes())).json
    ticket = await create_ticket(pg_app, pg_auth, body={**TICKET, "attachments": [photo["id"]],
                                                        "problem_time": "2026-11-22T19:30:00+09:00"})
    number = ticket["number"]
    assert ticket["problem_time"] == "2026-11-22T10:30:00+00:00"
    _, replied = await pg_app.asgi_client.post(f"/api/tickets/{number}/reply", json={"text": "확인했습니다"}, headers=session)
    assert replied.status == 201 and replied.json["ticket"]["status"] == "waiting_customer"
    _, message = await pg_app.asgi_client.post(
        f"/api/tickets/{number}/messages", json={"author": "customer", "text": "감사합니다"},
        headers={**pg_auth, "Idempotency-Key": "m1"},
    )
    assert message.status == 201 and message.json["ticket"]["status"] == "assigned"
    _, found = await pg_app.asgi_client.get("/api/tickets?text=감사", headers=pg_auth)
    assert [t["number"] for t in found.json["tickets"]] == [number]
    _, resolved = await pg_app.asgi_client.post(f"/api/tickets/{number}/resolve", headers=session)
    assert resolved.json["status"] == "resolved"
    _, rated = await pg_app.asgi_client.post("/api/ratings", json={"ticket_number": number, "rating": 5}, headers=pg_auth)
    assert rated.status == 201
    _, pending = await pg_app.asgi_client.get("/api/deliveries/pending", headers=pg_auth)
    assert [(d["kind"], d["text"]) for d in pending.json["deliveries"]] == [
        ("reply", "확인했습니다"),
        ("resolved", say.TICKET_RESOLVED),
    ]
