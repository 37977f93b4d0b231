"""Guessing an order's phone digits, against the running stack, as a stranger would.

Found before: the 3-attempt limit was a slot of one conversation, so a new sender id got
three fresh guesses, and "order not found" versus "tell me your phone digits" told which
order numbers exist. Customers' addresses are named with X-Forwarded-For, as HAProxy
names them (the stack trusts 127.0.0.1 as its proxy).
"""

from __future__ import annotations

import random
import uuid

import pytest

from processes import http_json, tickets_of_sender

pytestmark = pytest.mark.e2e
LOCKED = "확인을 잠시 멈췄어요"


class Stranger:
    """A REST client at one address; each conversation is a new sender id."""

    def __init__(self, stack, address: str) -> None:
        self.stack, self.address = stack, address

    def conversation(self) -> "Talk":
        return Talk(self, f"guess-{uuid.uuid4().hex[:10]}")


class Talk:
    def __init__(self, stranger: Stranger, sender: str) -> None:
        self.stranger, self.sender = stranger, sender

    def say(self, text: str) -> str:
        status, answers = http_json("POST", f"{self.stranger.stack['rasa_url']}/webhooks/rest/webhook",
                                    {"sender": self.sender, "message": text},
                                    headers={"X-Forwarded-For": self.stranger.address})
        assert status == 200, answers
        return "\n".join(a.get("text", "") for a in answers)

    def order(self, number: str) -> str:
        self.say("배달이 너무 늦어요")
        return self.say(number)

    def tickets(self) -> list:
        return tickets_of_sender(self.stranger.stack["desk_url"], self.stranger.stack["token"], f"rest:{self.sender}")


def address() -> str:
    return f"198.51.100.{random.randrange(1, 255)}" if random.random() < 0.5 else f"203.0.113.{random.randrange(1, 255)}"


def test_unknown_orders_and_wrong_digits_get_the_same_answers(stack):
    stranger = Stranger(stack, address())
    unknown, known = stranger.conversation(), stranger.conversation()
    assert "뒤 4자리" in unknown.order("ORD-261122-7777") and "뒤 4자리" in known.order("ORD-261122-0104")
    assert unknown.say("1234") == known.say("0000")


def test_new_conversations_from_one_address_do_not_get_fresh_guesses(stack):
    stranger = Stranger(stack, "203.0.113.45")
    talks = []
    for index, attempts in enumerate((3, 3, 3, 1)):  # 10 failures, 3 per conversation, on 4 unknown orders
        talk = stranger.conversation()
        talks.append(talk)
        assert "뒤 4자리" in talk.order(f"ORD-261122-{8000 + index}")
        for _ in range(attempts):
            answer = talk.say("1234")
    assert LOCKED in answer and "접수번호" in answer, "the lock-out hands the conversation to a person"
    later = stranger.conversation()
    assert LOCKED in later.order("ORD-261122-0104"), "a new conversation from the same address is locked out too"
    assert "뒤 4자리" in Stranger(stack, "198.51.100.45").conversation().order("ORD-261122-0104"), "others are not"
    tickets = [ticket for talk in talks + [later] for ticket in talk.tickets()]
    assert len(tickets) == 1 and tickets[0]["priority"] == "high", "one lock-out, one ticket"


def test_one_order_is_locked_for_every_address_after_too_many_failures(stack):
    first, second = Stranger(stack, "198.51.100.71").conversation(), Stranger(stack, "198.51.100.72").conversation()
    first.order("ORD-261122-0110")
    for _ in range(3):
        first.say("1111")
    second.order("ORD-261122-0110")
    second.say("2222")
    locking = second.say("3333")  # the order's fifth failure
    assert LOCKED in locking
    owner = Stranger(stack, "198.51.100.73").conversation()
    answer = owner.order("ORD-261122-0110")
    assert LOCKED in answer and "샐러드 가든" not in answer, "the right digits are not even asked for now"
    assert len(first.tickets() + second.tickets() + owner.tickets()) == 1


def test_a_proven_order_is_no_key_to_another(stack):
    """Found by the attack review: prove your own order, then name another customer's."""
    talk = Stranger(stack, "198.51.100.61").conversation()
    talk.order("ORD-261122-0105")
    assert "청년 떡볶이" in talk.say("0147"), "her own order, proven"
    answer = talk.say("ORD-261122-0102")
    answer += talk.say("배달이 너무 늦어요")
    answer += talk.say("결제가 이상해요")
    assert "엄마손 김밥" not in answer and "뒤 4자리" in answer, answer
    assert all("ORD-261122-0102" != ticket.get("order_number") for ticket in talk.tickets())


def test_guesses_sent_at_once_are_checked_no_more_often_than_the_limit(stack):
    """Found by the attack review: 29 wrong guesses and the right one at the same moment all got checked."""
    from concurrent.futures import ThreadPoolExecutor

    number = "ORD-261122-6543"  # an order nobody has: every guess fails, so what is counted shows
    talks = [Stranger(stack, f"192.0.2.{index + 10}").conversation() for index in range(12)]
    for talk in talks:
        assert "뒤 4자리" in talk.order(number)
    with ThreadPoolExecutor(len(talks)) as pool:
        answers = list(pool.map(lambda talk: talk.say("1234"), talks))
    checked = [answer for answer in answers if "맞지 않아요" in answer or LOCKED in answer and "접수번호" in answer]
    assert len(checked) <= 5, answers
    assert sum(LOCKED in answer for answer in answers) >= len(talks) - 5
