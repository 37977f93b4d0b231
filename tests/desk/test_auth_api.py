"""Sign-in, sessions, the agent list, password hashing and who may call what."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import update

from deskkit import AGENT_EMAIL, AGENT_NAME, AGENT_PASSWORD, sign_in
from desk.agents.passwords import hash_password, verify_password
from desk.db import create_engine
from desk.models import AgentSession, utcnow


async def test_login_sets_a_strict_http_only_cookie(desk_app, agent):
    _, response = await desk_app.asgi_client.post(
        "/api/auth/login", json={"email": AGENT_EMAIL.upper(), "password": AGENT_PASSWORD}
    )
    assert response.status == 200
    assert response.json["agent"] == {"id": agent, "email": AGENT_EMAIL, "name": AGENT_NAME}
    cookie = response.headers["set-cookie"]
    assert cookie.startswith("desk_session=")
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/" in cookie
    assert "Max-Age=28800" in cookie


async def test_me_and_logout(desk_app, session_headers):
    _, me = await desk_app.asgi_client.get("/api/auth/me", headers=session_headers)
    assert me.status == 200 and me.json["agent"]["email"] == AGENT_EMAIL
    _, out = await desk_app.asgi_client.post("/api/auth/logout", headers=session_headers)
    assert out.status == 200 and "Max-Age=0" in out.headers["set-cookie"]
    _, again = await desk_app.asgi_client.get("/api/auth/me", headers=session_headers)
    assert again.status == 401 and again.json["error"]["code"] == "unauthorized"


async def test_logout_without_a_session_is_harmless(desk_app):
    _, response = await desk_app.asgi_client.post("/api/auth/logout")
    assert response.status == 200


@pytest.mark.parametrize(
    "body",
    [
        {"email": AGENT_EMAIL, "password": "wrong-password"},
        {"email": "nobody@example.com", "password": AGENT_PASSWORD},
    ],
)
async def test_wrong_credentials_are_a_401(desk_app, agent, body):
    _, response = await desk_app.asgi_client.post("/api/auth/login", json=body)
    assert response.status == 401
    assert response.json["error"]["code"] == "invalid_credentials"
    assert "set-cookie" not in response.headers


@pytest.mark.parametrize(
    "body, status, code",
    [
        ({"email": AGENT_EMAIL}, 422, "invalid_login"),
        ({"email": AGENT_EMAIL, "password": 123}, 422, "invalid_login"),
        ({"email": AGENT_EMAIL, "password": "x", "admin": True}, 422, "invalid_login"),
        ([AGENT_EMAIL], 400, "malformed_json"),
    ],
)
async def test_malformed_login_is_refused(desk_app, body, status, code):
    _, response = await desk_app.asgi_client.post("/api/auth/login", json=body)
    assert (response.status, response.json["error"]["code"]) == (status, code)


async def test_login_with_broken_json_is_a_400(desk_app):
    _, response = await desk_app.asgi_client.post(
        "/api/auth/login", content=b"{email", headers={"Content-Type": "application/json"}
    )
    assert response.status == 400 and response.json["error"]["code"] == "malformed_json"


async def test_expired_session_is_refused(desk_app, settings, session_headers):
    engine = create_engine(settings.database_url)
    async with engine.begin() as connection:
        await connection.execute(update(AgentSession).values(expires_at=utcnow() - timedelta(minutes=1)))
    await engine.dispose()
    _, response = await desk_app.asgi_client.get("/api/auth/me", headers=session_headers)
    assert response.status == 401


@pytest.mark.parametrize("cookie", ["desk_session=forged-token", "desk_session=", "other=1"])
async def test_forged_session_is_refused(desk_app, agent, cookie):
    _, response = await desk_app.asgi_client.get("/api/tickets", headers={"Cookie": cookie})
    assert response.status == 401 and response.json["error"]["code"] == "unauthorized"


async def test_service_token_is_not_an_agent(desk_app, auth):
    _, response = await desk_app.asgi_client.get("/api/auth/me", headers=auth)
    assert response.status == 401


async def test_agent_list(desk_app, session_headers, auth):
    _, listed = await desk_app.asgi_client.get("/api/agents", headers=session_headers)
    assert listed.status == 200 and [a["name"] for a in listed.json["agents"]] == [AGENT_NAME]
    _, refused = await desk_app.asgi_client.get("/api/agents", headers=auth)
    assert refused.status == 401


async def test_agent_session_reads_tickets_but_cannot_create(desk_app, session_headers):
    _, listed = await desk_app.asgi_client.get("/api/tickets", headers=session_headers)
    assert listed.status == 200
    _, created = await desk_app.asgi_client.post(
        "/api/tickets", json={}, headers={**session_headers, "Idempotency-Key": "k"}
    )
    assert created.status == 401


def test_password_hashes_are_salted_scrypt():
    first, second = hash_password("secret-password"), hash_password("secret-password")
    assert first != second
    assert first.startswith("scrypt$16384$8$1$")
    assert verify_password("secret-password", first)
    assert not verify_password("Secret-password", first)
    assert not verify_password("secret-password", "md5$abc")
    assert not verify_password("secret-password", "garbage")


async def test_second_sign_in_gives_a_second_session(desk_app, agent):
    first = await sign_in(desk_app)
    second = await sign_in(desk_app)
    assert first != second
    for headers in (first, second):
        _, response = await desk_app.asgi_client.get("/api/auth/me", headers=headers)
        assert response.status == 200
