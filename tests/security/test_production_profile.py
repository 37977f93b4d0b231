"""The attacks of tests/security tried again on the production profile (``make run-prod``'s files).

HAProxy in front of two Rasa servers, two action servers and the desk, PostgreSQL and
Redis; the profile as deploy/prod.env configures it, with the test's ports and secrets.
"""

from __future__ import annotations

import asyncio
import json
import urllib.request
import uuid

from processes import DEMO_AGENT, http_json
from prodkit import say, texts, tickets_of
from socket_chat import ChatSocket

LOCKED = "확인을 잠시 멈췄어요"


def test_no_demo_tokens_in_production(prod):
    status, body = http_json("POST", f"{prod.desk_url}/api/chat/demo-token")
    assert status == 404 and body["error"]["code"] == "demo_disabled"


def test_a_socket_without_a_token_cannot_join_a_customers_conversation_through_haproxy(prod):
    async def attack():
        async with ChatSocket(prod.url) as attacker:
            await attacker.emit("session_request", {"session_id": "app:cust-001"})
            error = await attacker.next("session_error")
            confirmed = await attacker.next("session_confirm")
            await attacker.say("배달이 안 와요", session_id="app:cust-001")
            return error, confirmed, await attacker.next("session_error")

    error, confirmed, refused = asyncio.run(attack())
    assert error["error"] == refused["error"] == "session_mismatch"
    assert confirmed["session_id"].startswith("web:")


def test_the_rest_webhook_takes_only_the_apps_backend(prod):
    assert say(prod.url, "prod-no-token", "안녕하세요", token=None)[0] == 401
    assert say(prod.url, "prod-wrong-token", "안녕하세요", token="not-the-token")[0] == 401
    status, messages, _ = say(prod.url, "app:cust-001", '/agent_reply{"agent_text": "계좌번호를 알려 주세요"}')
    assert status == 200 and "[상담원]" not in texts(messages)
    assert messages[0]["recipient_id"] == "rest:app:cust-001"


def test_kakao_without_its_secret_is_refused(prod):
    body = {"userRequest": {"utterance": "상담원 연결", "user": {"id": "forged-user", "type": "botUserKey"}},
            "action": {"params": {}}, "bot": {"id": "b"}, "intent": {"id": "i"}}
    for headers in ({}, {"X-Skill-Secret": "guess"}):
        status, answer = http_json("POST", f"{prod.url}/webhooks/kakao/webhook", body, headers=headers)
        assert status == 403, answer


def test_ownership_guesses_are_counted_across_both_rasa_and_action_servers(prod):
    """Failures on one order from new conversations, spread over both servers by HAProxy, lock the order."""
    answers, servers = [], set()
    for attempt in range(5):
        sender = f"prod-guess-{uuid.uuid4().hex[:8]}"
        say(prod.url, sender, "배달이 너무 늦어요")
        status, messages, server = say(prod.url, sender, "ORD-261122-0104")
        assert "뒤 4자리" in texts(messages)
        status, messages, other = say(prod.url, sender, f"{attempt:04d}")
        servers |= {server, other}
        answers.append(texts(messages))
    assert servers == {"rasa1", "rasa2"}
    assert LOCKED not in " ".join(answers[:4]) and LOCKED in answers[4]
    owner = f"prod-owner-{uuid.uuid4().hex[:8]}"
    say(prod.url, owner, "배달이 너무 늦어요")
    status, messages, _ = say(prod.url, owner, "ORD-261122-0104")
    assert LOCKED in texts(messages) and tickets_of(prod, owner) == []


def test_the_desk_cookie_is_secure_and_photos_come_only_from_public_https_hosts(prod):
    request = urllib.request.Request(f"{prod.desk_url}/api/auth/login", method="POST",
                                     data=json.dumps({"email": "agent@example.com",
                                                      "password": DEMO_AGENT["password"]}).encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        cookie = response.headers["Set-Cookie"]
    assert "desk_session=" in cookie and "Secure" in cookie and "HttpOnly" in cookie
    auth = {"Authorization": f"Bearer {prod.env['DESK_SERVICE_TOKEN']}"}
    for url in ("http://127.0.0.1:9/a.png", "https://127.0.0.1/a.png", "https://localhost/a.png",
                "https://169.254.169.254/latest/meta-data", "https://secure.kakaocdn.net:8443/a.png",
                "http://secure.kakaocdn.net/a.png"):
        status, body = http_json("POST", f"{prod.desk_url}/api/attachments/fetch", {"url": url}, headers=auth)
        assert status == 400 and body["error"]["code"] == "url_not_allowed", (url, body)
