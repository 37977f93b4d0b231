"""Retried calls in the production profile never make a second ticket or a second reply."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import urllib.request
import uuid

from processes import ACTION_SERVER_TOKEN, REST_SERVICE_TOKEN, http_json, turn_finished
from prodkit import new_sender, say, texts, tickets_of


def messenger_event(sender: str, mid: str, text: str) -> bytes:
    """A Messenger webhook body with one text message."""
    body = {"object": "page", "entry": [{"id": "page-1", "time": int(time.time() * 1000), "messaging": [{
        "sender": {"id": sender}, "recipient": {"id": "page-1"}, "timestamp": int(time.time() * 1000),
        "message": {"mid": mid, "text": text},
    }]}]}
    return json.dumps(body, ensure_ascii=False).encode()


def post_signed(url: str, raw: bytes, secret: str) -> int:
    signature = "sha256=" + hmac.new(secret.encode(), raw, hashlib.sha256).hexdigest()
    request = urllib.request.Request(url, data=raw, method="POST", headers={
        "Content-Type": "application/json", "X-Hub-Signature-256": signature})
    with urllib.request.urlopen(request, timeout=60) as response:
        return response.status



def test_a_messenger_redelivery_reaching_the_other_rasa_server_is_answered_once(prod, graph_api):
    sender = f"psid-{uuid.uuid4().hex[:10]}"
    raw = messenger_event(sender, f"m_{uuid.uuid4().hex}", "안녕하세요")
    secret = prod.env["FB_APP_SECRET"]
    for name in ("rasa1", "rasa2"):  # the first delivery and Meta's redelivery, each to another server
        assert post_signed(f"http://127.0.0.1:{prod.port(name)}/webhooks/facebook/webhook", raw, secret) == 200
    # a later message of the same customer: once its turn is stored, whatever the two deliveries
    # started has run too (one conversation's turns run in order, behind Rasa's lock in Redis)
    later = messenger_event(sender, f"m_{uuid.uuid4().hex}", "배달이 너무 늦어요")
    assert post_signed(f"http://127.0.0.1:{prod.port('rasa1')}/webhooks/facebook/webhook", later, secret) == 200
    deadline = time.monotonic() + 60
    while [e["text"] for e in prod.tracker(f"messenger:{sender}")["events"] if e["event"] == "user"][-1:] != [
        "배달이 너무 늦어요"
    ] or not turn_finished(prod.api_url, prod.env["RASA_TOKEN"], f"messenger:{sender}"):
        assert time.monotonic() < deadline, "the later message was answered"
        time.sleep(0.2)
    sent = [r for r in graph_api.requests if (r["body"] or {}).get("recipient", {}).get("id") == sender]
    assert sent, "the customer got an answer"
    tracker = prod.tracker(f"messenger:{sender}")
    user_turns = [e["text"] for e in tracker["events"] if e["event"] == "user"]
    assert user_turns == ["안녕하세요", "배달이 너무 늦어요"], "the redelivered message was handled once"
    first_reply = [r for r in sent if "text" in (r["body"].get("message") or {})]
    assert len({r["body"]["message"]["text"] for r in first_reply}) == len(first_reply), "no reply sent twice"


def test_a_retried_ticket_action_returns_the_same_ticket(prod):
    sender = new_sender("retry")
    for text in ("배달완료라고 뜨는데 음식을 못 받았어요", "ORD-261122-0103"):
        assert say(prod.url, sender, text)[0] == 200
    status, messages, _ = say(prod.url, sender, "5432")
    assert status == 200 and "T-" in texts(messages)
    [ticket] = tickets_of(prod, sender)

    # replay the ticket action exactly as Rasa called it (the tracker as it was then)
    token = prod.env["RASA_TOKEN"]
    conversation = f"rest:{sender}"
    events = prod.tracker(conversation)["events"]
    index = next(i for i, e in enumerate(events) if e["event"] == "bot" and ticket["number"] in (e.get("text") or ""))
    action = next(e for e in reversed(events[:index]) if e["event"] == "action")
    until = action["timestamp"] - 1e-6
    then = prod.tracker(conversation, f"&until={until}")
    domain_request = urllib.request.Request(f"{prod.api_url}/domain?token={token}",
                                            headers={"Accept": "application/json"})
    with urllib.request.urlopen(domain_request, timeout=30) as response:
        domain = json.loads(response.read())
    call = {"next_action": action["name"], "sender_id": conversation, "tracker": then, "domain": domain,
            "version": "3.6.21"}
    for name in ("actions1", "actions2"):
        status, result = http_json("POST", f"http://127.0.0.1:{prod.port(name)}/webhook", call,
                                   headers={"X-Action-Token": ACTION_SERVER_TOKEN})
        assert status == 200, result
        said = json.dumps(result["responses"], ensure_ascii=False)
        assert ticket["number"] in said, f"the retry answers with the first call's ticket: {said}"
    assert len(tickets_of(prod, sender)) == 1, "the retry found the ticket of the first call"


def test_a_rest_retry_with_its_message_id_reaching_the_other_rasa_server_is_answered_once(prod):
    sender = new_sender("rest-retry")
    body = json.dumps({"sender": sender, "message": "배달이 너무 늦어요", "message_id": "app-msg-1"}).encode()
    answers = []
    for name in ("rasa1", "rasa2"):  # the app's first try, then its retry after a timeout, each to another server
        request = urllib.request.Request(f"http://127.0.0.1:{prod.port(name)}/webhooks/rest/webhook", data=body,
                                         method="POST", headers={"Content-Type": "application/json",
                                                                 "Authorization": f"Bearer {REST_SERVICE_TOKEN}"})
        with urllib.request.urlopen(request, timeout=90) as response:
            assert response.status == 200
            answers.append(json.loads(response.read()))
    assert answers[0] and answers[1] == answers[0], "the retry gets the first answer again"
    turns = [e for e in prod.tracker(f"rest:{sender}")["events"] if e["event"] == "user"]
    assert len(turns) == 1 and turns[0]["message_id"] == "app-msg-1", "one turn, under the app's id"
