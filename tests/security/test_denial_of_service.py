"""One customer must not be able to stall the bot for everyone, against the running stack."""

from __future__ import annotations

import pytest

from conversation import Conversation
from processes import http_json

pytestmark = pytest.mark.e2e


def test_a_run_of_region_words_does_not_stall_the_ticket(stack):
    """Found by the attack review: "서울시 " x 21 took the masking of personal data seconds, doubling per word,
    so the ticket action timed out and the action server and the desk stood still."""
    chat = Conversation(stack)
    chat.say("서울시 " * 40)
    answer = chat.say("상담원 연결해 주세요")
    assert "접수번호" in answer, answer
    lines = chat.customer_lines(chat.ticket(answer))
    assert lines[0].startswith("서울시 서울시"), "region words are no personal data: kept as written"


def test_huge_rest_bodies_are_refused_before_anything_is_stored(stack):
    body = {"sender": "dos-metadata", "message": "배달이 너무 늦어요", "metadata": {"x": "a" * 200_000}}
    status, answer = http_json("POST", f"{stack['rasa_url']}/webhooks/rest/webhook", body)
    assert (status, answer["error"]) == (413, "too_large")
    status, answer = http_json("GET", f"{stack['rasa_url']}/conversations/rest:dos-metadata/tracker?token={stack['rasa_token']}")
    assert status == 200 and not [e for e in answer["events"] if e.get("event") == "user"]
