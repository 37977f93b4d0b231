"""The desk's defences: requests from other sites, password resets, pushes to exactly one conversation,
chat tokens for this service only, photos only from public https hosts."""

from __future__ import annotations

import dataclasses

import pytest

from deskkit import AGENT_EMAIL, create_ticket, sign_in
from desk.agents.service import save_agent
from desk.app import create_app
from desk.attachments.fetch import FetchError, PublicAddressResolver, check_url
from desk.config import DeskSettings
from desk.db import create_engine, create_sessionmaker
from desk.deliveries.pusher import trigger_body, trigger_url
from desk.models import Delivery
from contract.agent_proof import check_proof, proof_key
from support.customer_tokens import TokenPolicy, issue

CHAT_SECRET = "hardening-chat-secret-0123456789"


# --- requests from other sites -----------------------------------------------------------------


@pytest.mark.parametrize("origin, allowed", [
    (None, True), ("http://127.0.0.1", True), ("https://evil.example", False), ("null", False),
    ("http://127.0.0.1.evil.example", False),
])
async def test_a_cookie_request_that_changes_something_must_come_from_the_desks_pages(
    desk_app, auth, session_headers, origin, allowed
):
    ticket = await create_ticket(desk_app, auth, "origin-1")
    headers = {**session_headers, "Host": "127.0.0.1"}
    if origin is not None:
        headers["Origin"] = origin
    _, response = await desk_app.asgi_client.post(f"/api/tickets/{ticket['number']}/reply",
                                                  json={"text": "확인해 볼게요."}, headers=headers)
    if allowed:
        assert response.status == 201, response.text
    else:
        assert (response.status, response.json["error"]["code"]) == (403, "cross_origin")


async def test_a_cross_site_request_without_origin_is_refused_by_its_fetch_metadata(desk_app, auth, session_headers):
    ticket = await create_ticket(desk_app, auth, "origin-2")
    _, response = await desk_app.asgi_client.post(f"/api/tickets/{ticket['number']}/resolve",
                                                  headers={**session_headers, "Sec-Fetch-Site": "cross-site"})
    assert response.status == 403


async def test_reading_and_the_service_token_are_not_affected(desk_app, auth, session_headers):
    ticket = await create_ticket(desk_app, auth, "origin-3")
    _, read = await desk_app.asgi_client.get("/api/tickets", headers={**session_headers, "Origin": "https://evil.example"})
    assert read.status == 200
    _, service = await desk_app.asgi_client.post(f"/api/tickets/{ticket['number']}/messages",
                                                 json={"author": "customer", "text": "네"},
                                                 headers={**auth, "Origin": "https://evil.example",
                                                          "Idempotency-Key": "origin-3-message"})
    assert service.status in (200, 201)


async def test_allowed_origins_can_be_configured(settings, auth, agent, tmp_path):
    app = create_app(dataclasses.replace(settings, allowed_origins=("https://desk.example.com",)), name="origins_cfg")
    headers = {**await sign_in(app), "Origin": "https://desk.example.com", "Host": "127.0.0.1:5080"}
    ticket = await create_ticket(app, auth, "origin-4")
    _, response = await app.asgi_client.post(f"/api/tickets/{ticket['number']}/resolve", headers=headers)
    assert response.status == 200


def test_allowed_origins_are_read_from_the_environment():
    settings = DeskSettings.from_env({"DESK_SERVICE_TOKEN": "x" * 20, "DESK_ALLOWED_ORIGINS": "https://A.example/, "})
    assert settings.allowed_origins == ("https://a.example",)


# --- a password reset --------------------------------------------------------------------------


async def test_a_password_reset_ends_every_session_of_the_agent(desk_app, settings, session_headers):
    _, before = await desk_app.asgi_client.get("/api/auth/me", headers=session_headers)
    assert before.status == 200
    engine = create_engine(settings.database_url)
    try:
        async with create_sessionmaker(engine)() as session:
            await save_agent(session, AGENT_EMAIL, "상담원", "a-brand-new-password-123", update=True)
    finally:
        await engine.dispose()
    _, after = await desk_app.asgi_client.get("/api/auth/me", headers=session_headers)
    assert after.status == 401
    await sign_in(desk_app, password="a-brand-new-password-123")


async def test_saving_the_same_password_again_keeps_the_sessions(desk_app, settings, session_headers):
    from deskkit import AGENT_PASSWORD

    engine = create_engine(settings.database_url)
    try:
        async with create_sessionmaker(engine)() as session:
            await save_agent(session, AGENT_EMAIL, "상담원", AGENT_PASSWORD, update=True)
    finally:
        await engine.dispose()
    _, after = await desk_app.asgi_client.get("/api/auth/me", headers=session_headers)
    assert after.status == 200, "a restart that re-saves the demo agent signs nobody out"


# --- pushes to exactly one conversation ----------------------------------------------------------


@pytest.mark.parametrize("sender, path", [
    ("app:cust-001", "/conversations/app:cust-001/trigger_intent"),
    ("x/../app:cust-001", "/conversations/x%2F..%2Fapp:cust-001/trigger_intent"),
    ("a#b", "/conversations/a%23b/trigger_intent"),
])
def test_a_push_goes_to_exactly_the_tickets_conversation(sender, path):
    assert trigger_url("http://rasa", sender) == "http://rasa" + path


def test_a_push_carries_the_desks_proof():
    key = proof_key({"DESK_SERVICE_TOKEN": "push-test-token"})
    row = Delivery(id=12, sender_id="app:cust-001", channel="socketio", text="환불해 드릴게요.", kind="reply")
    body = trigger_body(row, key)
    assert body["name"] == "agent_reply" and body["entities"]["agent_text"] == "환불해 드릴게요."
    assert check_proof(key, body["entities"]["agent_proof"], "app:cust-001", "reply", "환불해 드릴게요.")
    assert not check_proof(key, body["entities"]["agent_proof"], "app:cust-002", "reply", "환불해 드릴게요.")
    resolved = trigger_body(Delivery(id=13, sender_id="app:cust-001", channel="socketio", text="끝", kind="resolved"), key)
    assert resolved["name"] == "ticket_resolved"


@pytest.mark.parametrize("sender", ["x/../app:cust-001", "a#b", "a b", "한글", "a?b=1"])
async def test_the_desk_takes_no_ticket_for_a_conversation_id_a_path_cannot_carry(desk_app, auth, sender):
    from deskkit import TICKET

    _, response = await desk_app.asgi_client.post("/api/tickets", json={**TICKET, "sender_id": sender},
                                                  headers={**auth, "Idempotency-Key": f"bad-{sender.encode().hex()}"})
    assert response.status in (400, 422), response.text


# --- chat tokens for this service only ----------------------------------------------------------


async def test_chat_history_and_uploads_need_a_token_for_this_service(desk_app):
    settings = dataclasses.replace(desk_app.ctx.settings, chat_jwt_secret=CHAT_SECRET)
    app = create_app(settings, name=f"{desk_app.name}_aud")
    other_audience = issue(TokenPolicy(CHAT_SECRET, audience="kfood-rider-app"), "cust-001")
    other_issuer = issue(TokenPolicy(CHAT_SECRET, issuer="someone"), "cust-001")
    ours = issue(TokenPolicy(CHAT_SECRET), "cust-001")
    for token in (other_audience, other_issuer, ""):
        _, response = await app.asgi_client.get("/api/chat/history", headers={"Authorization": f"Bearer {token}"})
        assert response.status == 401
    _, response = await app.asgi_client.get("/api/chat/history", headers={"Authorization": f"Bearer {ours}"})
    assert response.status == 200


# --- photos only from public https hosts ---------------------------------------------------------


HOSTS = ("secure.kakaocdn.net", "*.fbcdn.net")


@pytest.mark.parametrize("url", [
    "http://secure.kakaocdn.net/a.jpg",             # not https
    "https://secure.kakaocdn.net:8443/a.jpg",       # not 443
    "https://127.0.0.1/a.jpg", "https://[::1]/a.jpg", "https://10.0.0.5/a.jpg",  # IP literals
    "https://evil.example/a.jpg",                   # not listed
    "https://fbcdn.net.evil.example/a.jpg",
])
def test_public_only_fetching_refuses_anything_but_https_443_to_listed_names(url):
    with pytest.raises(FetchError):
        check_url(url, HOSTS, public_only=True)


@pytest.mark.parametrize("url", ["https://secure.kakaocdn.net/dna/a.jpg", "https://scontent-icn1-1.xx.fbcdn.net/v/a.jpg"])
def test_public_only_fetching_takes_the_platforms_image_hosts(url):
    assert check_url(url, HOSTS, public_only=True)


async def test_a_listed_name_that_resolves_to_a_private_address_is_refused():
    resolver = PublicAddressResolver()
    try:
        with pytest.raises(OSError):
            await resolver.resolve("localhost", 443)
    finally:
        await resolver.close()


def test_the_production_profile_fetches_only_from_public_hosts():
    from prodkit import read_env_file
    from processes import ROOT

    env = read_env_file(ROOT / "deploy" / "prod.env")
    settings = DeskSettings.from_env({**env, "DESK_SERVICE_TOKEN": "x" * 20})
    assert settings.fetch_public_only and settings.cookie_secure and not settings.chat_demo_tokens
    assert "127.0.0.1" not in settings.fetch_allowed_hosts and "localhost" not in settings.fetch_allowed_hosts
