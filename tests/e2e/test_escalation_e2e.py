"""An angry customer, one who demands a manager or repeats a problem, reaches a person at once (real stack)."""

from __future__ import annotations

import pytest

from conversation import TICKET_NUMBER, Conversation

pytestmark = pytest.mark.e2e


def test_an_angry_first_message_is_handed_over_with_one_calm_sentence(stack):
    chat = Conversation(stack)
    reply = chat.say("아 진짜 짜증나네 몇번째야 책임자 바꿔")
    assert "상담원에게 넘겨" in reply and "[" not in reply.split("\n")[0], "a calm sentence, not a menu"
    ticket = chat.ticket(reply)
    assert ticket["priority"] == "high" and "책임자" in ticket["summary"]


def test_swearing_inside_the_form_leaves_it_for_a_person(stack):
    chat = Conversation(stack)
    assert "주문번호" in chat.say("배달이 한 시간째 안 와요")
    reply = chat.say("ㅅㅂ 주문번호 그런 거 모르고 빨리 가져오라고")
    ticket = chat.ticket(reply)
    assert (ticket["category"], ticket["priority"]) == ("delay", "high")
    assert "욕설" in ticket["summary"]
    relayed = chat.say("언제 연락 와요")
    assert not TICKET_NUMBER.search(relayed), "the next message goes to the person, not to a new ticket"



def test_the_same_problem_typed_three_times_reaches_a_person(stack):
    chat = Conversation(stack)
    assert "주문번호" in chat.say("배달이 한 시간째 안 와요")
    chat.say("아직도 안 와요")
    reply = chat.say("배달 언제 오냐고요")
    ticket = chat.ticket(reply)
    assert ticket["category"] == "delay" and "세 번" in ticket["handoff_reason"]
    assert "[" not in reply.split("\n")[0], "one calm sentence, not a menu"
