"""Cancelling or changing an order, and the FAQ questions that must not start a form (real stack)."""

from __future__ import annotations

import pytest

from conversation import TICKET_NUMBER, Conversation

pytestmark = pytest.mark.e2e


def test_cancelling_an_order_being_cooked_is_an_urgent_ticket_carrying_the_cancellation(stack):
    chat = Conversation(stack)
    assert "주문번호" in chat.say("짜장면 시킨 거 취소하고 싶은데요")
    assert "휴대폰" in chat.say("ORD-261122-0104")
    reply = chat.say("5432")
    assert "'조리중' 상태예요" in reply and "가게의 동의" in reply
    ticket = chat.ticket(reply)
    assert (ticket["category"], ticket["priority"]) == ("other", "high")
    assert ticket["requested_change"] == "주문 취소" and ticket["order_number"] == "ORD-261122-0104"
    assert "조리 중인 주문의 취소" in ticket["handoff_reason"]


def test_an_order_not_yet_cooked_can_be_cancelled_in_the_app_without_a_ticket(stack):
    chat = Conversation(stack)
    chat.say("주문 넣은 거 취소할 수 있어요?")
    chat.say("ORD-261122-0105")
    reply = chat.say("0147")
    assert "'접수' 상태예요" in reply and "[앱에서 직접 취소할게요]" in reply and "[취소 접수해 주세요]" in reply
    answer = chat.say("/deny")
    assert "주문 취소" in answer and not TICKET_NUMBER.search(answer), "the steps in the app, no ticket"


def test_a_change_becomes_a_ticket_with_the_change_written_on_it(stack):
    chat = Conversation(stack)
    chat.say("주문한 거 요청사항 바꾸고 싶어요")
    chat.say("ORD-261122-0105")
    assert "바꾸고 싶으신지" in chat.say("0147")
    reply = chat.say("벨 누르지 말고 문 앞에 두고 가 주세요")
    ticket = chat.ticket(reply)
    assert ticket["requested_change"] == "주문 변경: 벨 누르지 말고 문 앞에 두고 가 주세요"
    assert ticket["priority"] == "normal" and ticket["order_number"] == "ORD-261122-0105"


def test_a_change_said_in_the_request_itself_is_sent_with_one_tap(stack):
    chat = Conversation(stack)
    chat.say("탕수육 소 말고 중으로 바꿀 수 있을까요?")
    chat.say("ORD-261122-0104")
    asked = chat.say("5432")
    assert "바꾸고 싶으신지" in asked and "[처음 말씀하신 대로요]" in asked
    ticket = chat.ticket(chat.say("/affirm"))
    assert "탕수육 소 말고 중으로" in ticket["requested_change"] and ticket["order_number"] == "ORD-261122-0104"


def test_a_delivered_order_cannot_be_cancelled_and_the_bot_says_what_is_possible(stack):
    chat = Conversation(stack)
    chat.say("주문 취소 부탁해요")
    chat.say("ORD-261122-0103")
    reply = chat.say("5432")
    assert "취소할 수는 없어요" in reply and "[음식에 문제가 있어요]" in reply and "[상담원 연결]" in reply
    assert not TICKET_NUMBER.search(reply)


@pytest.mark.parametrize("question, answer_says", [
    ("배달비가 왜 이렇게 비싸요", "배달팁"),
    ("쿠폰 코드는 어디에 넣어요?", "쿠폰함"),
    ("현금영수증 발급은 어디서 받아요", "현금영수증"),
])
def test_fee_coupon_and_receipt_questions_are_answered_and_start_no_form(stack, question, answer_says):
    reply = Conversation(stack).say(question)
    assert answer_says in reply and "주문번호" not in reply
