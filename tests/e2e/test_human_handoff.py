"""A person takes over: agent replies reach the customer, resolving brings back the bot."""

from __future__ import annotations

import asyncio

import pytest
import socketio

from conversation import TICKET_NUMBER, Agent, Conversation
from processes import DEMO_AGENT, http_json

pytestmark = pytest.mark.e2e


def test_rest_customer_gets_agent_reply_with_next_message_then_survey(stack):
    chat = Conversation(stack)
    chat.say("음식이 이상해요")
    number = chat.ticket(chat.say("상담원 연결해 주세요"))["number"]
    agent = Agent(stack, **DEMO_AGENT)

    waiting = chat.say("언제 답변 와요?")
    assert "상담원에게 전달했어요" in waiting, "while the ticket is open the bot does not answer itself"

    agent.reply(number, "안녕하세요, 상담원 김하늘입니다. 가게에 확인해 볼게요.")
    got = chat.say("네 기다릴게요")
    assert "[상담원] 안녕하세요, 상담원 김하늘입니다" in got

    ticket = chat.ticket(number)
    lines = [(line["author"], line["text"]) for line in ticket["transcript"]]
    assert ("customer", "언제 답변 와요?") in lines and ("customer", "네 기다릴게요") in lines
    assert ("agent", "안녕하세요, 상담원 김하늘입니다. 가게에 확인해 볼게요.") in lines

    agent.resolve(number)
    after = chat.say("해결됐나요?")
    assert "해결 완료" in after and "⭐ 5" in after, "resolving hands back to the bot, which asks the survey"
    chat.say("4")
    assert "감사" in chat.say("빨리 처리해 주셨어요")
    assert chat.ticket(number)["rating"]["rating"] == 4


async def _socket_chat(stack, agent: Agent):
    """An anonymous socket.io customer (no token): the server gives the conversation."""
    received: asyncio.Queue = asyncio.Queue()
    client = socketio.AsyncClient(reconnection=False)
    client.on("bot_uttered", lambda data: received.put_nowait(data.get("text", "")))
    await client.connect(stack["rasa_url"], socketio_path="/socket.io", transports=["polling"])
    try:
        await client.emit("session_request", {})
        await client.emit("user_uttered", {"message": "상담원 연결해 주세요"})
        number = None
        for _ in range(10):
            text = await asyncio.wait_for(received.get(), 60)
            found = TICKET_NUMBER.search(text)
            if found:
                number = found.group(0)
                break
        assert number, "the ticket number reaches the socket.io client"
        await asyncio.get_running_loop().run_in_executor(None, agent.reply, number, "소켓으로 가는 답변이에요")
        while True:
            text = await asyncio.wait_for(received.get(), 20)
            if "[상담원]" in text:
                return number, text
    finally:
        await client.disconnect()


def test_socketio_customer_gets_agent_reply_pushed_at_once(stack):
    agent = Agent(stack, **DEMO_AGENT)
    number, text = asyncio.run(_socket_chat(stack, agent))
    assert text == "[상담원] 소켓으로 가는 답변이에요"
    status, ticket = http_json(
        "GET", f"{stack['desk_url']}/api/tickets/{number}", headers={"Authorization": f"Bearer {stack['token']}"}
    )
    assert ticket["channel"] == "socketio" and ticket["sender_id"].startswith("web:")
