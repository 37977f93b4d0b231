"""The thin slice through all three processes over Rasa's REST webhook."""

from __future__ import annotations

import pytest

from conversation import TICKET_NUMBER, Conversation

pytestmark = pytest.mark.e2e


def test_late_delivery_becomes_a_ticket_in_the_desk(stack):
    chat = Conversation(stack)

    first = chat.say("배달이 너무 늦어요")
    assert "죄송" in first
    assert "주문번호" in first, "the bot must ask for the order number"

    asked_phone = chat.say("주문번호는 ORD-261122-0102 이에요")
    assert "뒤 4자리" in asked_phone
    assert "엄마손" not in asked_phone, "no order detail before the customer is verified"

    status = chat.say("5678")
    assert "늦어지고" in status and "엄마손 김밥" in status
    assert "[계속 기다리기]" in status and "[환불 요청]" in status

    done = chat.say("환불해 주세요")
    ticket = chat.ticket(done)
    assert ticket["category"] == "delay"
    assert ticket["priority"] == "high"
    assert ticket["order_number"] == "ORD-261122-0102"
    assert ticket["requested_resolution"] == "환불 요청"
    assert ticket["channel"] == "rest"
    assert ticket["sender_id"] == chat.conversation_id
    assert chat.customer_lines(ticket) == ["배달이 너무 늦어요", "주문번호는 ORD-261122-0102 이에요", "5678", "환불해 주세요"]
    assert any(line["author"] == "bot" for line in ticket["transcript"])


def test_malformed_order_number_is_asked_again_then_accepted(stack):
    chat = Conversation(stack)
    chat.say("음식이 아직도 안 왔어요")

    retry = chat.say("12345요")
    assert "형식" in retry
    assert not TICKET_NUMBER.search(retry)

    accepted = chat.say("ord2611220102")
    assert "뒤 4자리" in accepted
