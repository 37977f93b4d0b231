"""Messenger against the real stack: signed webhooks in, Send API calls out to the Graph API stand-in.

Rasa runs with ``credentials.yml`` and the secrets of ``MESSENGER_ENV``; its Send API
calls go to the session's ``graph_api`` stand-in, which records them.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import random
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any, Callable, Dict, List

import pytest

from conversation import TICKET_NUMBER, Agent
from desk.privacy import shown
from processes import DEMO_AGENT, ROOT, http_json, turn_finished, wait_http

pytestmark = pytest.mark.e2e

FIXTURES = Path(__file__).parent / "fixtures"
WEBHOOK = "/webhooks/facebook/webhook"


@pytest.fixture(scope="module")
def messenger_env(request) -> Dict[str, str]:
    """``MESSENGER_ENV`` of tests/conftest.py, the secrets the session's Rasa runs with.

    Not imported by name: every conftest.py outside a package is module ``conftest``,
    and which one that is depends on what pytest collected last.
    """
    conftest = request.config.pluginmanager.get_plugin(str(ROOT / "tests" / "conftest.py"))
    return conftest.MESSENGER_ENV


def new_sender() -> str:
    """A fresh page-scoped id (16 digits), so each test has its own conversation."""
    return str(random.randrange(7 * 10**15, 8 * 10**15))


def text_message(sender: str, text: str) -> Dict[str, Any]:
    """The text fixture as Messenger would send it for ``sender`` saying ``text``, with a new mid."""
    body = json.loads((FIXTURES / "messenger_text.json").read_text(encoding="utf-8"))
    event = body["entry"][0]["messaging"][0]
    event["sender"]["id"] = sender
    event["timestamp"] = int(time.time() * 1000)
    event["message"] = {"mid": f"m_e2e_{sender}_{random.getrandbits(48):x}", "text": text}
    return body


def deliver(stack: Dict[str, str], body: Dict[str, Any], secret: str) -> int:
    """POST ``body`` to Rasa's Messenger webhook signed with ``secret``; returns the status."""
    raw = json.dumps(body, ensure_ascii=False).encode()
    key = secret.encode()
    request = urllib.request.Request(f"{stack['rasa_url']}{WEBHOOK}", data=raw, method="POST")
    request.add_header("Content-Type", "application/json")
    request.add_header("X-Hub-Signature-256", "sha256=" + hmac.new(key, raw, hashlib.sha256).hexdigest())
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def sent_to(graph_api, sender: str) -> List[Dict[str, Any]]:
    """The Send API bodies the stand-in received for ``sender``."""
    return [
        r["body"]
        for r in list(graph_api.requests)
        if r["path"].endswith("/me/messages") and isinstance(r["body"], dict)
        and r["body"].get("recipient", {}).get("id") == sender
    ]


def texts_to(graph_api, sender: str) -> List[str]:
    return [b["message"].get("text", "") for b in sent_to(graph_api, sender)]


def wait_for(condition: Callable[[], Any], timeout: float = 10.0) -> Any:
    """Poll until ``condition()`` is truthy (Messenger answers asynchronously); returns its value."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(0.2)


def user_turns(stack: Dict[str, str], sender: str) -> List[Dict[str, Any]]:
    """The customer's messages in Rasa's tracker for ``sender`` (the conversation ``messenger:<sender>``)."""
    status, tracker = http_json(
        "GET", f"{stack['rasa_url']}/conversations/messenger:{sender}/tracker?token={stack['rasa_token']}"
    )
    assert status == 200, tracker
    return [event for event in tracker.get("events", []) if event.get("event") == "user"]


MARKER = "안녕하세요"


def settle(stack: Dict[str, str], sender: str, secret: str) -> List[str]:
    """Send a later, ordinary message and wait until its turn is stored; returns the customer's turns then.

    Rasa runs one conversation's turns in the order they arrive, so whatever an earlier
    delivery started (a redelivery handled twice, a forged message let in) has run by then.
    """
    assert deliver(stack, text_message(sender, MARKER), secret) == 200
    done = wait_for(lambda: [t["text"] for t in user_turns(stack, sender)][-1:] == [MARKER]
                    and turn_finished(stack["rasa_url"], stack["rasa_token"], f"messenger:{sender}"), 30)
    assert done, "the later message's turn finished"
    return [turn["text"] for turn in user_turns(stack, sender)]



def test_verification_challenge_against_the_running_server(stack, messenger_env):
    query = f"hub.mode=subscribe&hub.verify_token={messenger_env['FB_VERIFY_TOKEN']}&hub.challenge=987654321"
    with urllib.request.urlopen(f"{stack['rasa_url']}{WEBHOOK}?{query}", timeout=10) as response:
        assert response.read() == b"987654321"
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{stack['rasa_url']}{WEBHOOK}?hub.mode=subscribe&hub.verify_token=x&hub.challenge=1")
    assert refused.value.code == 403


def test_a_wrong_signature_changes_nothing(stack, graph_api, messenger_env):
    sender = new_sender()
    assert deliver(stack, text_message(sender, "배달이 너무 늦어요"), secret="not-the-app-secret") == 403
    assert settle(stack, sender, messenger_env["FB_APP_SECRET"]) == [MARKER], "the forged message made no turn"
    assert "주문번호" not in " ".join(texts_to(graph_api, sender)), "and no answer to it was sent"


def test_a_customer_message_gets_the_bots_answers_through_the_send_api(stack, graph_api, messenger_env):
    sender = new_sender()
    assert deliver(stack, text_message(sender, "배달이 너무 늦어요"), messenger_env["FB_APP_SECRET"]) == 200
    assert wait_for(lambda: turn_finished(stack["rasa_url"], stack["rasa_token"], f"messenger:{sender}"), 30), "the turn finished"
    bodies = sent_to(graph_api, sender)
    assert bodies, "the bot answered through the Send API"
    assert all(b["messaging_type"] == "RESPONSE" for b in bodies)
    assert all(b["message"].get("text") for b in bodies)
    assert "주문번호" in " ".join(texts_to(graph_api, sender)), "a late delivery: the bot asks for the order"
    (turn,) = user_turns(stack, sender)
    assert turn["text"] == "배달이 너무 늦어요" and turn["input_channel"] == "facebook"


def test_a_redelivered_message_makes_one_bot_turn(stack, graph_api, messenger_env):
    sender = new_sender()
    body = text_message(sender, "배달이 너무 늦어요")
    assert deliver(stack, body, messenger_env["FB_APP_SECRET"]) == 200
    assert wait_for(lambda: turn_finished(stack["rasa_url"], stack["rasa_token"], f"messenger:{sender}"), 30), "the first turn finished"
    assert sent_to(graph_api, sender)
    first = texts_to(graph_api, sender)
    assert deliver(stack, body, messenger_env["FB_APP_SECRET"]) == 200, "Meta expects 200 for a redelivery too"
    assert settle(stack, sender, messenger_env["FB_APP_SECRET"]) == ["배달이 너무 늦어요", MARKER], "no second bot turn"
    later = texts_to(graph_api, sender)[len(first):]
    assert later, "the later message was answered"
    assert first[0] not in later, "the redelivery was not answered again: its opening apology is sent once"


def test_a_handoff_makes_a_facebook_ticket_and_the_agent_reply_is_pushed(stack, graph_api, messenger_env):
    sender = new_sender()
    assert deliver(stack, text_message(sender, "상담원 연결해 주세요"), messenger_env["FB_APP_SECRET"]) == 200
    found = wait_for(lambda: TICKET_NUMBER.search(" ".join(texts_to(graph_api, sender))), 20)
    assert found, f"the ticket number reaches the customer: {texts_to(graph_api, sender)}"
    number = found.group(0)

    auth = {"Authorization": f"Bearer {stack['token']}"}
    status, ticket = http_json("GET", f"{stack['desk_url']}/api/tickets/{number}", headers=auth)
    # a page-scoped id is 16 digits: one that could be a card number is masked like one where agents see it
    assert status == 200 and ticket["channel"] == "facebook" and ticket["sender_id"] == shown(f"messenger:{sender}")
    status, listed = http_json("GET", f"{stack['desk_url']}/api/tickets?channel=facebook", headers=auth)
    assert status == 200 and number in [t["number"] for t in listed["tickets"]]

    Agent(stack, **DEMO_AGENT).reply(number, "메신저로 가는 답변이에요")
    pushed = wait_for(
        lambda: [b for b in sent_to(graph_api, sender) if b["message"].get("text") == "[상담원] 메신저로 가는 답변이에요"],
        20,
    )
    assert pushed, f"the agent reply reaches Messenger: {texts_to(graph_api, sender)}"
    assert pushed[0]["messaging_type"] == "UPDATE", "sent by Rasa on its own, within 24 h: an update"


def _handoff(stack, graph_api, secret) -> "tuple[str, str]":
    """A Messenger customer handed to a person; returns (sender, ticket number)."""
    sender = new_sender()
    assert deliver(stack, text_message(sender, "상담원 연결해 주세요"), secret) == 200
    found = wait_for(lambda: TICKET_NUMBER.search(" ".join(texts_to(graph_api, sender))), 20)
    assert found, f"the ticket number reaches the customer: {texts_to(graph_api, sender)}"
    return sender, found.group(0)


def _accepted(graph_api, sender: str, text: str) -> List[Dict[str, Any]]:
    return [r for r in list(graph_api.requests) if isinstance(r["body"], dict)
            and r["body"].get("recipient", {}).get("id") == sender
            and r["body"].get("message", {}).get("text") == text and r["status"] == 200]


def test_an_agent_reply_the_send_api_fails_for_a_while_arrives_once_later(stack, graph_api, messenger_env):
    sender, number = _handoff(stack, graph_api, messenger_env["FB_APP_SECRET"])
    # the Send API is down for the first push (all its tries), then up again
    graph_api.scripted[sender] = [(503, {"error": {"code": 2, "type": "OAuthException"}})] * 3
    agent = Agent(stack, **DEMO_AGENT)
    agent.reply(number, "잠시만 기다려 주세요")
    text = "[상담원] 잠시만 기다려 주세요"
    assert wait_for(lambda: _accepted(graph_api, sender, text), 30), "it arrives once the Send API is back"
    time.sleep(2.5)  # a wrong second push would have happened by now
    assert len(_accepted(graph_api, sender, text)) == 1, "once"
    status, states = agent._call("GET", f"/api/deliveries?ticket={number}")
    assert status == 200
    [reply] = [d for d in states["deliveries"] if d["kind"] == "reply"]
    assert reply["state"] == "delivered" and reply["attempts"] >= 2, "the failed push was counted, not taken for sent"


def test_an_agent_reply_meta_refuses_is_shown_as_failed_not_delivered(stack, graph_api, messenger_env):
    sender, number = _handoff(stack, graph_api, messenger_env["FB_APP_SECRET"])
    # the customer blocked the page: Meta refuses for good
    graph_api.scripted[sender] = [(400, {"error": {"code": 551, "error_subcode": 1545041, "type": "OAuthException",
                                                   "message": "This person isn't available right now."}})]
    agent = Agent(stack, **DEMO_AGENT)
    agent.reply(number, "환불 도와드릴게요")

    def failed():
        status, states = agent._call("GET", f"/api/deliveries?ticket={number}")
        return status == 200 and [d for d in states["deliveries"] if d["state"] == "failed"]

    [reply] = wait_for(failed, 30) or [None]
    assert reply and reply["text"] == "환불 도와드릴게요" and reply["attempts"] == 1, "given up at once, not retried"
    assert _accepted(graph_api, sender, "[상담원] 환불 도와드릴게요") == []


def test_agent_replies_written_while_rasa_is_down_arrive_once_and_in_order_after(stack, graph_api, messenger_env,
                                                                                 processes):
    """Rasa stopped while an agent answers a Messenger customer: nothing is lost, nothing doubled,
    and the console never shows a reply as delivered before it was."""
    sender, number = _handoff(stack, graph_api, messenger_env["FB_APP_SECRET"])
    agent = Agent(stack, **DEMO_AGENT)
    texts = ["[상담원] 먼저 확인한 내용이에요", "[상담원] 이어서 안내드려요"]
    processes.stop("rasa")
    try:
        agent.reply(number, "먼저 확인한 내용이에요")
        agent.reply(number, "이어서 안내드려요")
        time.sleep(4)  # the desk tries, and Rasa is not there
        status, states = agent._call("GET", f"/api/deliveries?ticket={number}")
        replies = [d for d in states["deliveries"] if d["kind"] == "reply"]
        assert status == 200 and [d["state"] for d in replies] == ["waiting", "waiting"], "waiting, not lost"
        assert replies[0]["attempts"] >= 1 and replies[1]["attempts"] == 0, "the second waits behind the first"
    finally:
        processes.restart("rasa")
        wait_http(f"{stack['rasa_url']}/", 300, processes.children["rasa"])
    assert wait_for(lambda: all(_accepted(graph_api, sender, text) for text in texts), 150), (
        f"both replies arrive once Rasa is back: {texts_to(graph_api, sender)}"
    )
    time.sleep(3)  # a wrong second push would have happened by now
    arrived = [r["body"]["message"]["text"] for r in list(graph_api.requests) if isinstance(r["body"], dict)
               and r["body"].get("recipient", {}).get("id") == sender and r["status"] == 200
               and r["body"].get("message", {}).get("text") in texts]
    assert arrived == texts, "each once, in the order the agent wrote them"
    status, states = agent._call("GET", f"/api/deliveries?ticket={number}")
    assert [d["state"] for d in states["deliveries"] if d["kind"] == "reply"] == ["delivered", "delivered"]
