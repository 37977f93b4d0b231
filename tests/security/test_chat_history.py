"""``GET /api/chat/history``: a customer reads her own conversation and nobody else's, against the running stack."""

from __future__ import annotations

import asyncio
import time
import uuid

import pytest

from processes import CHAT_JWT_SECRET, http_json, turn_finished
from socket_chat import ChatSocket
from support.customer_tokens import TokenPolicy, issue

pytestmark = pytest.mark.e2e


def history(stack, token: str):
    return http_json("GET", f"{stack['desk_url']}/api/chat/history", headers={"Authorization": f"Bearer {token}"})


def test_each_customer_reads_only_her_own_history(stack):
    first_id, second_id = f"sec-a-{uuid.uuid4().hex[:6]}", f"sec-b-{uuid.uuid4().hex[:6]}"
    first, second = issue(CHAT_JWT_SECRET, first_id), issue(CHAT_JWT_SECRET, second_id)

    async def chat(token: str, text: str):
        async with ChatSocket(stack["rasa_url"], token=token) as client:
            await client.session()
            await client.say(text)
            await client.next("bot_uttered")

    asyncio.run(chat(first, f"첫 번째 고객의 말 {first_id}"))
    asyncio.run(chat(second, f"두 번째 고객의 말 {second_id}"))
    for customer in (first_id, second_id):  # Rasa stores a turn after its answers went out
        deadline = time.monotonic() + 30
        while not turn_finished(stack["rasa_url"], stack["rasa_token"], f"app:{customer}"):
            assert time.monotonic() < deadline, "the turn was stored"
            time.sleep(0.2)
    status, mine = history(stack, first)
    assert status == 200
    lines = " ".join(line["text"] for line in mine["messages"])
    assert first_id in lines and second_id not in lines
    status, theirs = history(stack, second)
    assert second_id in " ".join(line["text"] for line in theirs["messages"]) and first_id not in str(theirs)


@pytest.mark.parametrize("token", [
    "", "garbage",
    issue("not-the-secret-0123456789abcdef", "cust-001"),
    issue(TokenPolicy(CHAT_JWT_SECRET, audience="kfood-rider-app"), "cust-001"),
])
def test_without_a_valid_token_there_is_no_history(stack, token):
    status, body = history(stack, token)
    assert status == 401 and "messages" not in body
