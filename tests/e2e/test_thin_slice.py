"""The thin slice through all three processes over Rasa's REST webhook."""

from __future__ import annotations

import re
import uuid

import pytest

from processes import http_json

pytestmark = pytest.mark.e2e

TICKET_NUMBER = re.compile(r"T-\d{8}-\d{4}")


def say(stack, sender: str, text: str) -> list:
    status, body = http_json(
        "POST", f"{stack['rasa_url']}/webhooks/rest/webhook", {"sender": sender, "message": text}
    )
    assert status == 200, body
    return body


def texts(messages: list) -> str:
    return "\n".join(m.get("text", "") for m in messages)


def test_late_delivery_becomes_a_ticket_in_the_desk(stack):
    sender = f"e2e-{uuid.uuid4().hex[:8]}"

    first = say(stack, sender, "배달이 너무 늦어요")
    assert "죄송" in texts(first)
    assert "주문번호" in texts(first), "the bot must ask for the order number"

    second = say(stack, sender, "주문번호는 ORD-261122-0042 이에요")
    found = TICKET_NUMBER.search(texts(second))
    assert found, f"no ticket number in {texts(second)!r}"

    status, ticket = http_json(
        "GET",
        f"{stack['desk_url']}/api/tickets/{found.group(0)}",
        headers={"Authorization": f"Bearer {stack['token']}"},
    )
    assert status == 200, ticket
    assert ticket["category"] == "delay"
    assert ticket["order_number"] == "ORD-261122-0042"
    assert ticket["channel"] == "rest"
    assert ticket["sender_id"] == sender
    customer_lines = [line["text"] for line in ticket["transcript"] if line["author"] == "customer"]
    assert customer_lines == ["배달이 너무 늦어요", "주문번호는 ORD-261122-0042 이에요"]
    assert any(line["author"] == "bot" for line in ticket["transcript"])


def test_malformed_order_number_is_asked_again_then_accepted(stack):
    sender = f"e2e-{uuid.uuid4().hex[:8]}"
    say(stack, sender, "음식이 아직도 안 왔어요")

    retry = say(stack, sender, "12345요")
    assert "형식" in texts(retry), texts(retry)
    assert not TICKET_NUMBER.search(texts(retry))

    done = say(stack, sender, "ord2611220042")
    assert TICKET_NUMBER.search(texts(done)), texts(done)
