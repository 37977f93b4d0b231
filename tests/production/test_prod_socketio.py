"""Agent replies reach a socket.io customer whichever Rasa server the desk's push lands on."""

from __future__ import annotations

import asyncio
import re
import uuid

import socketio

from agent_session import Agent
from processes import DEMO_AGENT
from support.customer_tokens import issue

TICKET_NUMBER = re.compile(r"T-\d{8}-\d{4}")


async def _chat(prod, replies: list) -> list:
    """A signed-in customer (a token the app would issue) talks over socket.io through HAProxy."""
    received: asyncio.Queue = asyncio.Queue()
    client = socketio.AsyncClient(reconnection=False)
    client.on("bot_uttered", lambda data: received.put_nowait(data.get("text", "")))
    token = issue(prod.env["CHAT_JWT_SECRET"], f"prod-{uuid.uuid4().hex[:8]}")
    await client.connect(prod.url, socketio_path="/socket.io", transports=["polling"], auth={"token": token})
    try:
        await client.emit("session_request", {})
        await client.emit("user_uttered", {"message": "상담원 연결해 주세요"})
        number = None
        for _ in range(10):
            found = TICKET_NUMBER.search(await asyncio.wait_for(received.get(), 60))
            if found:
                number = found.group(0)
                break
        assert number, "the ticket number reaches the socket.io client"
        agent = Agent({"desk_url": prod.desk_url}, **DEMO_AGENT)
        got = []
        for text in replies:
            # the desk pushes through HAProxy's private frontend (round robin): one of the pushes lands on
            # the Rasa server that does not hold this socket
            await asyncio.get_running_loop().run_in_executor(None, agent.reply, number, text)
            while True:
                said = await asyncio.wait_for(received.get(), 30)
                if said.startswith("[상담원]"):
                    got.append(said)
                    break
        return got
    finally:
        await client.disconnect()


def test_agent_replies_reach_the_socket_through_either_rasa_server(prod):
    replies = ["첫 번째 답변이에요", "두 번째 답변이에요", "세 번째 답변이에요"]
    got = asyncio.run(_chat(prod, replies))
    assert got == [f"[상담원] {text}" for text in replies]
