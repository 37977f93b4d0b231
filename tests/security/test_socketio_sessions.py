"""Attacks on the in-app chat's socket.io channel, against the running Rasa, action server and desk.

Found before: a client without a token named ``app:cust-001`` in ``session_request`` and
was put into that customer's room, read her orders and would receive her agent replies.
"""

from __future__ import annotations

import asyncio
import uuid
from datetime import datetime, timedelta, timezone

import pytest

from agent_session import Agent
from processes import CHAT_JWT_SECRET, DEMO_AGENT, tickets_of_sender, tracker_events
from socket_chat import ChatSocket, Refused
from support.customer_tokens import TokenPolicy, issue

pytestmark = pytest.mark.e2e
VICTIM = "app:cust-001"


def token_for(customer: str, **policy) -> str:
    return issue(TokenPolicy(CHAT_JWT_SECRET, **policy), customer)


def user_texts(stack, conversation: str) -> list:
    return [e.get("text") for e in tracker_events(stack["rasa_url"], stack["rasa_token"], conversation)
            if e.get("event") == "user"]


def test_a_socket_without_a_token_cannot_join_a_customers_conversation(stack):
    marker = f"배달이 안 와요 {uuid.uuid4().hex[:6]}"

    async def attack():
        async with ChatSocket(stack["rasa_url"]) as attacker:
            await attacker.emit("session_request", {"session_id": VICTIM})
            error = await attacker.next("session_error")
            confirmed = await attacker.next("session_confirm")
            await attacker.say(marker, session_id=VICTIM)
            refused = await attacker.next("session_error")
            await attacker.say("배달이 안 와요")  # into its own conversation: no data without proof
            await attacker.next("bot_uttered", containing="주문번호")
            await attacker.say("ORD-261122-0106")
            asked = await attacker.next("bot_uttered", containing="뒤 4자리")
            return error, confirmed, refused, asked, attacker.said()

    error, confirmed, refused, asked, said = asyncio.run(attack())
    assert error["error"] == "session_mismatch" and error["message"]
    assert confirmed["session_id"].startswith("web:") and confirmed["session_id"] != VICTIM
    assert refused["error"] == "session_mismatch"
    assert "바삭 돈까스" not in said + asked["text"], "not a word about her order"
    assert marker not in user_texts(stack, VICTIM), "nothing reached her conversation"
    assert all(marker not in (t.get("summary") or "") for t in tickets_of_sender(stack["desk_url"], stack["token"], VICTIM))


def test_a_signed_in_customer_is_bound_to_her_own_conversation_and_sees_her_orders(stack):
    """The positive control: 박준호 (cust-002) signed in sees his own order without phone digits."""
    async def chat():
        async with ChatSocket(stack["rasa_url"], token=token_for("cust-002")) as customer:
            session = await customer.session(session_id=VICTIM)  # naming another conversation is refused
            await customer.next("session_error")
            await customer.say("음식이 다 식어서 왔어요")
            await customer.next("bot_uttered", containing="주문번호")
            await customer.say("ORD-261121-0111")
            found = await customer.next("bot_uttered", containing="족발 명가")
            return session, found

    session, found = asyncio.run(chat())
    assert session["session_id"] == "app:cust-002" and "resume_token" not in session
    assert "족발 명가" in found["text"]


@pytest.mark.parametrize("make_auth, code", [
    (lambda: {"token": issue(TokenPolicy("not-the-secret-0123456789abcdef"), "cust-001")}, "invalid_signature"),
    (lambda: {"token": token_for("cust-001", audience="kfood-rider-app")}, "wrong_audience"),
    (lambda: {"token": token_for("cust-001", issuer="somebody-else")}, "wrong_issuer"),
    (lambda: {"token": issue(TokenPolicy(CHAT_JWT_SECRET), "cust-001", hours=1,
                             now=datetime.now(timezone.utc) - timedelta(hours=2))}, "expired_token"),
    (lambda: {"token": "garbage"}, "malformed_token"),
    (lambda: {"token": ""}, "missing_token"),
    (lambda: {"token": "x" * 10000}, "malformed_token"),
    (lambda: "a string, not an object", "invalid_auth"),
])
def test_a_bad_token_refuses_the_connection_with_its_reason(stack, make_auth, code):
    async def connect():
        async with ChatSocket(stack["rasa_url"], auth=make_auth()):
            pass

    with pytest.raises(Refused) as refused:
        asyncio.run(connect())
    assert refused.value.code == code


@pytest.mark.parametrize("data, code", [
    ("just a string", "invalid_message"),
    ({"message": 5}, "invalid_message"),
    ({"message": "안녕", "metadata": "{not json"}, "invalid_metadata"),
    ({"message": "안녕", "metadata": ["a"]}, "invalid_metadata"),
    ({"message": "안녕", "session_id": "web:" + "0" * 32}, "session_mismatch"),
    ({"message": "안녕", "session_id": "app:" + "x" * 100_000}, "session_mismatch"),
    ({"message": "안녕", "metadata": "{" * 70_000}, "invalid_metadata"),
    ({"message": "가" * 2001}, "message_too_long"),
])
def test_malformed_events_get_an_error_event_not_silence(stack, data, code):
    async def send():
        async with ChatSocket(stack["rasa_url"]) as client:
            await client.session()
            await client.emit("user_uttered", data)
            return await client.next("session_error", timeout=20)

    assert asyncio.run(send())["error"] == code


def test_a_token_of_another_customer_sent_with_a_message_is_refused(stack):
    async def send():
        async with ChatSocket(stack["rasa_url"], token=token_for(f"sec-{uuid.uuid4().hex[:6]}")) as client:
            await client.session()
            await client.say("ORD-261122-0106", metadata={"customer_token": token_for("cust-001")})
            return await client.next("session_error", timeout=20)

    assert asyncio.run(send())["error"] == "customer_mismatch"


def test_an_anonymous_conversation_resumes_only_with_its_resume_token(stack):
    async def resume():
        async with ChatSocket(stack["rasa_url"]) as first:
            session = await first.session()
            await first.say("배달이 너무 늦어요")
            await first.next("bot_uttered", containing="주문번호")
        async with ChatSocket(stack["rasa_url"]) as stranger:
            await stranger.emit("session_request", {"session_id": session["session_id"], "resume_token": "0" * 64})
            refused = await stranger.next("session_error")
            other = await stranger.next("session_confirm")
        async with ChatSocket(stack["rasa_url"]) as back:
            again = await back.session(session_id=session["session_id"], resume_token=session["resume_token"])
        return session, refused, other, again

    session, refused, other, again = asyncio.run(resume())
    assert refused["error"] == "session_mismatch" and other["session_id"] != session["session_id"]
    assert again["session_id"] == session["session_id"]


def test_an_agent_reply_reaches_exactly_the_conversation_of_its_ticket(stack):
    """Two anonymous customers hand over; each agent reply reaches only its own customer's socket."""
    agent = Agent(stack, **DEMO_AGENT)

    async def handoff(client: ChatSocket) -> str:
        await client.session()
        await client.say("상담원 연결해 주세요")
        answer = await client.next("bot_uttered", containing="접수번호")
        return answer["text"].split("접수번호 ")[1].split(")")[0]

    async def chats():
        async with ChatSocket(stack["rasa_url"]) as first, ChatSocket(stack["rasa_url"]) as second:
            first_ticket, second_ticket = await handoff(first), await handoff(second)
            loop = asyncio.get_running_loop()
            await loop.run_in_executor(None, agent.reply, first_ticket, "첫 번째 고객님께 드리는 답변이에요")
            await loop.run_in_executor(None, agent.reply, second_ticket, "두 번째 고객님께 드리는 답변이에요")
            got_first = await first.next("bot_uttered", containing="[상담원]")
            got_second = await second.next("bot_uttered", containing="[상담원]")
            # the second push went out after the first: had the first reached the second socket, it would be there
            return got_first["text"], got_second["text"], first.said(), second.said()

    got_first, got_second, rest_first, rest_second = asyncio.run(chats())
    assert got_first == "[상담원] 첫 번째 고객님께 드리는 답변이에요"
    assert got_second == "[상담원] 두 번째 고객님께 드리는 답변이에요"
    assert "두 번째" not in rest_first and "첫 번째" not in rest_second
