"""Customers who leave the chat: the address they leave at handoff gets a copy of the
conversation (a written record) and every later reply, through a real SMTP server
(aiosmtpd on 127.0.0.1) and the desk's outbox."""

from __future__ import annotations

from dataclasses import replace
from types import SimpleNamespace

import pytest

from deskkit import create_ticket, sign_in
from desk.app import create_app
from desk.db import create_engine, create_sessionmaker
from desk.deliveries.retry import RetryPolicy
from desk.notify.mail_settings import MailConfigError, MailSettings
from desk.notify.notifier import Notifiers, send_once
from local_servers import smtp_server
from processes import free_port


@pytest.fixture
def smtp():
    with smtp_server() as (port, mailbox):
        yield SimpleNamespace(mailbox=mailbox, port=port)


def mail_settings(port: int) -> MailSettings:
    return MailSettings(host="127.0.0.1", port=port, sender="support@desk.example", starttls=False, timeout=5)


def by_mail(port: int):
    """The notifier's senders with e-mail through the SMTP server on ``port``."""
    return Notifiers(mail=mail_settings(port)).senders(None)


@pytest.fixture
def mail_app(settings, tmp_path, smtp):
    return create_app(replace(settings, mail=mail_settings(smtp.port)), name=f"mail_{tmp_path.name}")


@pytest.fixture
async def outbox_view(settings):
    """What the notifier sees of the app: the database and the retry policy."""
    engine = create_engine(settings.database_url)
    yield SimpleNamespace(ctx=SimpleNamespace(sessions=create_sessionmaker(engine),
                                              retry_policy=RetryPolicy(base=0.01, cap=0.01)))
    await engine.dispose()


async def _leave(app, auth, number, address):
    _, response = await app.asgi_client.post(f"/api/tickets/{number}/email", json={"email": address}, headers=auth)
    return response


async def test_a_customer_who_leaves_gets_the_copy_and_every_reply_by_email(mail_app, auth, agent, smtp, outbox_view):
    app = mail_app
    ticket = await create_ticket(app, auth)
    assert ticket["email_updates"] is True, "the bot may offer e-mail: the desk can send it"
    number = ticket["number"]
    saved = await _leave(app, auth, number, "kim.minji@example.com")
    assert saved.status == 200, saved.text
    assert saved.json == {"ticket_number": number, "email": "k***@example.com", "copy_queued": True}

    # the app's own notifier may send it first (it runs while a request is served): either way, once
    mail = by_mail(smtp.port)
    await send_once(outbox_view, mail)
    [copy] = smtp.mailbox.messages
    assert copy["To"] == "kim.minji@example.com" and number in copy["Subject"]
    body = copy.get_content()
    assert f"접수번호는 {number}" in body
    assert "고객님: 음식이 식어서 왔어요" in body and "상담봇: 불편을 드려 죄송합니다" in body, "the written record"

    agent_headers = await sign_in(app)
    _, replied = await app.asgi_client.post(
        f"/api/tickets/{number}/reply", json={"text": "새 음식을 보내 드릴게요"}, headers=agent_headers
    )
    assert replied.status == 201, replied.text
    _, resolved = await app.asgi_client.post(f"/api/tickets/{number}/resolve", headers=agent_headers)
    assert resolved.status == 200, resolved.text
    await send_once(outbox_view, mail)
    assert await send_once(outbox_view, mail) == 0, "nothing left"
    bodies = smtp.mailbox.bodies()
    assert len(bodies) == 3, "each e-mail once"
    assert "새 음식을 보내 드릴게요" in bodies[1] and "해결 완료" in bodies[2]

    _, seen = await app.asgi_client.get(f"/api/tickets/{number}", headers=agent_headers)
    assert seen.json["notify_email"] == "k***@example.com", "agents see the address masked"


async def test_email_that_cannot_be_sent_now_is_sent_when_the_server_is_back(settings, tmp_path, auth, smtp, outbox_view):
    down = mail_settings(free_port())  # nothing listens there
    app = create_app(replace(settings, mail=down), name=f"down_{tmp_path.name}")
    number = (await create_ticket(app, auth))["number"]
    assert (await _leave(app, auth, number, "lee@example.com")).status == 200
    assert await send_once(outbox_view, by_mail(down.port)) == 0
    assert smtp.mailbox.messages == []
    import asyncio

    await asyncio.sleep(0.05)  # its back-off is over
    assert await send_once(outbox_view, by_mail(smtp.port)) == 1
    assert len(smtp.mailbox.messages) == 1


async def test_without_an_smtp_server_the_desk_says_so(desk_app, auth):
    ticket = await create_ticket(desk_app, auth)
    assert ticket["email_updates"] is False
    response = await _leave(desk_app, auth, ticket["number"], "kim@example.com")
    assert response.status == 503 and response.json["error"]["code"] == "email_off"


@pytest.mark.parametrize("address", ["kim", "kim@", "@example.com", "kim@example", "a b@example.com",
                                     "kim@example.com\r\nBcc: x@evil.example", "x" * 250 + "@example.com", 7, None])
async def test_what_is_no_address_is_refused(mail_app, auth, address):
    number = (await create_ticket(mail_app, auth))["number"]
    response = await _leave(mail_app, auth, number, address)
    assert response.status in (400, 422) and response.json["error"]["code"] == "invalid_email"


async def test_one_address_and_one_copy_per_ticket(mail_app, auth):
    number = (await create_ticket(mail_app, auth))["number"]
    assert (await _leave(mail_app, auth, number, "kim@example.com")).status == 200
    again = await _leave(mail_app, auth, number, "victim@example.com")
    assert again.status == 409 and again.json["error"]["code"] == "email_already_set"


async def test_only_the_bot_leaves_an_address_and_only_on_an_open_ticket(mail_app, auth, agent):
    number = (await create_ticket(mail_app, auth))["number"]
    agent_headers = await sign_in(mail_app)
    assert (await _leave(mail_app, agent_headers, number, "kim@example.com")).status == 401
    assert (await _leave(mail_app, {}, number, "kim@example.com")).status == 401
    missing = await _leave(mail_app, auth, "T-NOPE", "kim@example.com")
    assert missing.status == 404
    await mail_app.asgi_client.post(f"/api/tickets/{number}/resolve", headers=agent_headers)
    closed = await _leave(mail_app, auth, number, "kim@example.com")
    assert closed.status == 409 and closed.json["error"]["code"] == "ticket_not_open"


@pytest.mark.parametrize("env, problem", [
    ({"DESK_SMTP_HOST": "smtp.example.com"}, "DESK_SMTP_FROM"),
    ({"DESK_SMTP_HOST": "smtp.example.com", "DESK_SMTP_FROM": "a@b.c", "DESK_SMTP_PORT": "x"}, "PORT"),
    ({"DESK_SMTP_HOST": "smtp.example.com", "DESK_SMTP_FROM": "a@b.c", "DESK_SMTP_USER": "u"}, "PASSWORD"),
])
def test_mail_settings_are_checked(env, problem):
    with pytest.raises(MailConfigError, match=problem):
        MailSettings.from_env(env)


def test_mail_is_off_without_a_host_and_starttls_is_on_for_remote_servers():
    assert MailSettings.from_env({}) is None
    remote = MailSettings.from_env({"DESK_SMTP_HOST": "smtp.example.com", "DESK_SMTP_FROM": "cs@example.com"})
    assert remote.starttls and remote.port == 587
    local = MailSettings.from_env({"DESK_SMTP_HOST": "127.0.0.1", "DESK_SMTP_FROM": "cs@example.com"})
    assert not local.starttls
