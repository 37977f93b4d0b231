"""The production profile under faults, each tried by stopping or killing the real process.

Every customer message gets an answer, nothing is lost and nothing doubled.
The tests share one production stack and leave it whole behind them.
"""

from __future__ import annotations

import threading
import time
from typing import Dict, List

from processes import wait_until_sent
from prodkit import new_sender, say, texts, ticket_detail, tickets_of

TICKET = "T-"
UNAVAILABLE = "일시적인 문제로 요청을 처리하지 못했어요"


def answered(prod, sender: str, text: str) -> str:
    """Send one message through HAProxy; it must be answered (200, at least one message)."""
    status, messages, _ = say(prod.url, sender, text)
    assert status == 200, f"{text!r} got HTTP {status}"
    assert messages, f"no answer to {text!r}"
    return texts(messages)


def test_consecutive_messages_on_different_rasa_servers_keep_order_and_state(prod):
    sender = new_sender("scale")
    turns = ["배달완료라고 뜨는데 음식을 못 받았어요", "ORD-261122-0103", "5432"]
    servers, replies = [], []
    for text in turns:
        status, messages, server = say(prod.url, sender, text)
        assert status == 200 and messages
        servers.append(server)
        replies.append(texts(messages))
    assert set(servers) == {"rasa1", "rasa2"}, f"round robin should use both servers: {servers}"
    assert "주문번호" in replies[0] and "뒤 4자리" in replies[1], replies
    [ticket] = tickets_of(prod, sender)
    assert ticket["order_number"] == "ORD-261122-0103" and ticket["priority"] == "urgent"
    lines = [line["text"] for line in ticket_detail(prod, ticket["number"])["transcript"] if line["author"] == "customer"]
    assert lines == turns, "the ticket holds every message once, in the order it was sent"


def test_a_killed_rasa_server_loses_no_conversation_and_resumes_after_restart(prod):
    sender = new_sender("rasa-kill")
    answered(prod, sender, "배달완료라고 뜨는데 음식을 못 받았어요")
    prod.kill("rasa1")
    try:
        # every message now reaches rasa2 (HAProxy retries refused connections), which reads the same tracker
        asked = answered(prod, sender, "ORD-261122-0103")
        assert "뒤 4자리" in asked, "the conversation continues where it was"
        for _ in range(3):
            assert say(prod.url, new_sender("probe"), "안녕하세요")[0] == 200
    finally:
        prod.start("rasa1")
        prod.wait_ready("rasa1")
    # rasa1 restarted: it serves the conversation from the tracker store (PostgreSQL)
    deadline = time.monotonic() + 30
    served = set()
    reply = ""
    while time.monotonic() < deadline and "rasa1" not in served:
        status, messages, server = say(prod.url, new_sender("probe"), "안녕하세요")
        assert status == 200
        served.add(server)
    assert "rasa1" in served, "HAProxy sends traffic to the restarted server again"
    status, messages, server = say(prod.url, sender, "5432")
    reply = texts(messages)
    assert status == 200 and TICKET in reply, reply
    assert len(tickets_of(prod, sender)) == 1


def test_killed_action_servers_fail_over_then_apologise_then_continue(prod):
    sender = new_sender("actions-kill")
    answered(prod, sender, "주문한 지 한참 됐는데 안 와요")
    prod.kill("actions1")
    try:
        asked = answered(prod, sender, "ORD-261122-0105")
        assert "뒤 4자리" in asked, "one action server down: the other one serves, nothing visible"
        prod.kill("actions2")
        try:
            reply = answered(prod, sender, "0147")
            assert UNAVAILABLE in reply, f"no action server: a clear Korean message, not silence: {reply!r}"
            assert reply.count(UNAVAILABLE) == 1, "said once per message"
        finally:
            prod.start("actions2")
    finally:
        prod.start("actions1")
    prod.wait_ready("actions1")
    prod.wait_ready("actions2")
    prod.wait_ready("actions_lb", timeout=60)  # HAProxy's own health checks count them up again
    reply = answered(prod, sender, "0147")
    assert "라이더가 배정되지 않았어요" in reply, f"the conversation continues where it was: {reply!r}"


def test_desk_down_at_handoff_keeps_the_ticket_and_creates_it_exactly_once(prod):
    sender = new_sender("desk-down")
    answered(prod, sender, "배달완료라고 뜨는데 음식을 못 받았어요")
    answered(prod, sender, "ORD-261122-0103")
    prod.stop("desk")
    try:
        reply = answered(prod, sender, "5432")
        assert "접수" in reply, f"the customer is told the request was received: {reply!r}"
        later = answered(prod, sender, "언제 연락 와요?")
        assert later
    finally:
        prod.start("desk")
        prod.wait_ready("desk")
    # both action servers flush the shared outbox every few seconds; the idempotency key keeps it one ticket,
    # and once the outbox row holds its number no server sends it again
    outbox = prod.env["TICKET_OUTBOX_URL"].replace("+asyncpg", "")
    [number] = wait_until_sent(outbox, f"rest:{sender}")
    found = tickets_of(prod, sender)
    assert [ticket["number"] for ticket in found] == [number], "created exactly once"
    lines = [l["text"] for l in ticket_detail(prod, found[0]["number"])["transcript"] if l["author"] == "customer"]
    assert "언제 연락 와요?" in lines, "what the customer wrote meanwhile joined the ticket"


def test_postgresql_restart_during_traffic_is_ridden_out(prod):
    senders = [new_sender(f"pg-{i}") for i in range(4)]
    results: Dict[str, List[int]] = {s: [] for s in senders}
    stop = threading.Event()

    def chat(sender: str) -> None:
        turns = ["안녕하세요", "배달이 늦어요", "ORD-261122-0105"]
        index = 0
        while not stop.is_set() and index < 30:
            status, messages, _ = say(prod.url, sender, turns[index % len(turns)], timeout=120)
            results[sender].append(status if messages else -status)
            index += 1
            time.sleep(0.3)

    def answered_turns() -> int:
        return min(len(statuses) for statuses in results.values())

    def wait_for_turns(count: int) -> None:
        deadline = time.monotonic() + 120
        while answered_turns() < count:
            assert time.monotonic() < deadline, f"the customers got no answers: {results}"
            time.sleep(0.1)

    threads = [threading.Thread(target=chat, args=(s,)) for s in senders]
    for thread in threads:
        thread.start()
    wait_for_turns(1)  # every customer is mid-conversation
    prod.pg.stop(immediate=True)  # like a crash: connections cut, recovery on start
    time.sleep(3)  # the outage lasts 3 seconds while the customers go on writing
    prod.pg.start()
    wait_for_turns(answered_turns() + 2)  # every customer got two more answers from the recovered database
    stop.set()
    for thread in threads:
        thread.join(180)
    for sender, statuses in results.items():
        assert statuses, sender
        assert all(status == 200 for status in statuses), f"{sender}: {statuses}"
    # afterwards, with no manual step, a new conversation reaches a ticket
    sender = new_sender("pg-after")
    answered(prod, sender, "배달완료라고 뜨는데 음식을 못 받았어요")
    answered(prod, sender, "ORD-261122-0103")
    assert TICKET in answered(prod, sender, "5432")
    assert len(tickets_of(prod, sender)) == 1
