"""Faults in the default profile, each tried by killing or stopping the real process.

The action server killed mid-conversation, the desk down at handoff, Rasa
restarted: the customer is always answered, nothing is lost or doubled, and the
conversation continues where it was. Each test leaves the stack running.
"""

from __future__ import annotations

import time

import pytest

from conversation import TICKET_NUMBER, Conversation
from processes import tickets_of_sender, wait_http, wait_until_sent

pytestmark = pytest.mark.e2e

UNAVAILABLE = "일시적인 문제로 요청을 처리하지 못했어요"


def tickets_of(stack, sender: str) -> list:
    return tickets_of_sender(stack["desk_url"], stack["token"], sender)


def test_action_server_killed_mid_conversation_then_back(stack, processes):
    chat = Conversation(stack)
    chat.say("주문한 지 한참 됐는데 안 와요")
    processes.kill("actions")
    try:
        reply = chat.say("ORD-261122-0105")
        assert UNAVAILABLE in reply, f"a clear Korean message, not silence: {reply!r}"
        assert reply.count(UNAVAILABLE) == 1
    finally:
        processes.restart("actions")
        wait_http(f"{stack['action_url']}/health", 120, processes.children["actions"])
    asked = chat.say("ORD-261122-0105")
    assert "뒤 4자리" in asked, f"the conversation continues where it was: {asked!r}"
    offer = chat.say("0147")
    assert "라이더가 배정되지 않았어요" in offer


def test_action_server_that_hangs_is_cut_off_with_a_polite_message(stack, processes):
    import os
    import signal

    chat = Conversation(stack)
    chat.say("배달이 너무 늦어요")
    process = processes.children["actions"]
    os.killpg(process.pid, signal.SIGSTOP)  # alive but answering nothing
    try:
        started = time.monotonic()
        reply = chat.say("ORD-261122-0102")
        waited = time.monotonic() - started
    finally:
        os.killpg(process.pid, signal.SIGCONT)
    assert UNAVAILABLE in reply
    assert waited < 60, f"cut off by ACTION_CALL_TIMEOUT, not Rasa's 5 minutes: {waited:.0f}s"
    assert "뒤 4자리" in chat.say("ORD-261122-0102"), "continues once the action server answers again"


def test_desk_down_at_handoff_then_ticket_created_exactly_once(stack, processes):
    chat = Conversation(stack)
    chat.say("배달완료라고 뜨는데 음식을 못 받았어요")
    chat.say("ORD-261122-0103")
    processes.stop("desk")
    try:
        reply = chat.say("5432")
        assert "접수" in reply and not TICKET_NUMBER.search(reply), reply
        assert chat.say("아직이에요?")
    finally:
        processes.restart("desk")
        wait_http(f"{stack['desk_url']}/health", 60, processes.children["desk"])
    [number] = wait_until_sent(stack["outbox_url"], chat.conversation_id)
    found = tickets_of(stack, chat.conversation_id)
    assert [ticket["number"] for ticket in found] == [number], "created exactly once"
    ticket = chat.ticket(found[0]["number"])
    assert "아직이에요?" in chat.customer_lines(ticket)
    told = chat.say("접수번호 나왔어요?")
    assert found[0]["number"] in told, f"the number follows on the next message: {told!r}"


def test_rasa_restart_resumes_from_the_tracker_store(stack, processes):
    chat = Conversation(stack)
    chat.say("배달완료라고 뜨는데 음식을 못 받았어요")
    assert "뒤 4자리" in chat.say("ORD-261122-0103")
    processes.restart("rasa")
    wait_http(f"{stack['rasa_url']}/", 300, processes.children["rasa"])
    reply = chat.say("5432")
    assert TICKET_NUMBER.search(reply), f"the restarted server knew where the conversation was: {reply!r}"
    assert len(tickets_of(stack, chat.conversation_id)) == 1
