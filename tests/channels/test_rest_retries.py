"""A REST client retrying with the same ``message_id`` gets the first answer again, never a second turn.

The checked REST channel runs for real on a Sanic app; ``on_new_message`` stands in
for Rasa and counts the turns. The shared case runs two channel instances (two Rasa
servers) against a real Redis.
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from typing import Any, Dict, List, Optional

import pytest
from sanic import Sanic

from channels.rest import CheckedRestInput
from channels.rest_replay import ReplayMemory
from channels.shared_memory import LocalMap
from support import customer_texts as say

Sanic.test_mode = True


class CountingRasa:
    """``on_new_message``: answers each turn with its number; can hold a turn behind a gate or fail once."""

    def __init__(self) -> None:
        self.received: List[Any] = []
        self.gate: Optional[asyncio.Event] = None
        self.fail_next: Optional[BaseException] = None

    async def __call__(self, message) -> None:
        self.received.append(message)
        turn = len(self.received)
        if self.gate is not None:
            await self.gate.wait()
        if self.fail_next is not None:
            failure, self.fail_next = self.fail_next, None
            raise failure
        await message.output_channel.send_response(message.sender_id, {"text": f"답변 {turn}"})


def mount(fake: CountingRasa, channel: Optional[CheckedRestInput] = None) -> Sanic:
    channel = channel or CheckedRestInput()
    app = Sanic(f"rest_retries_{uuid.uuid4().hex[:8]}")
    app.blueprint(channel.blueprint(fake), url_prefix="/webhooks/rest")
    return app


async def post(app: Sanic, body: Dict[str, Any], query: str = ""):
    _, response = await app.asgi_client.post(
        f"/webhooks/rest/webhook{query}", content=json.dumps(body, ensure_ascii=False).encode(),
        headers={"Content-Type": "application/json"},
    )
    return response


def texts(response) -> List[str]:
    return [message["text"] for message in response.json]


@pytest.fixture
def fake() -> CountingRasa:
    return CountingRasa()


@pytest.fixture
def app(fake) -> Sanic:
    return mount(fake)


async def test_a_retry_gets_the_first_answer_and_makes_no_second_turn(app, fake):
    body = {"sender": "c-1", "message": "배달이 너무 늦어요", "message_id": "m-1"}
    first = await post(app, body)
    again = await post(app, body)
    assert first.status == again.status == 200
    assert texts(first) == texts(again) == ["답변 1"]
    assert len(fake.received) == 1
    assert fake.received[0].message_id == "m-1", "Rasa records the client's id"


async def test_new_ids_and_other_senders_are_new_messages(app, fake):
    await post(app, {"sender": "c-2", "message": "안녕하세요", "message_id": "m-1"})
    assert texts(await post(app, {"sender": "c-2", "message": "안녕하세요", "message_id": "m-2"})) == ["답변 2"]
    assert texts(await post(app, {"sender": "c-3", "message": "안녕하세요", "message_id": "m-1"})) == ["답변 3"]
    assert texts(await post(app, {"sender": "c-2", "message": "안녕하세요"})) == ["답변 4"], "no id: always a turn"
    assert len(fake.received) == 4


async def until(condition) -> None:
    """Return once ``condition()`` holds (callers bound the wait with ``asyncio.wait_for``)."""
    while not condition():
        await asyncio.sleep(0.01)


class WatchedAnswers(LocalMap):
    """The replay's answer map, counting the looks for an answer (a waiting retry looks again and again)."""

    def __init__(self) -> None:
        super().__init__(ttl=600)
        self.looks = 0

    async def get(self, key: str):
        self.looks += 1
        return await super().get(key)


async def test_a_retry_during_the_first_request_waits_for_its_answer(fake):
    answers = WatchedAnswers()
    channel = CheckedRestInput()
    channel._replay = ReplayMemory(answers, LocalMap(ttl=120))
    app = mount(fake, channel)
    fake.gate = asyncio.Event()
    body = {"sender": "c-4", "message": "결제가 두 번 됐어요", "message_id": "m-1"}
    first = asyncio.ensure_future(post(app, body))
    await asyncio.wait_for(until(lambda: fake.received), 10)
    looks_of_the_first = answers.looks
    retry = asyncio.ensure_future(post(app, body))
    # the retry found the id taken and looked for the answer twice more
    await asyncio.wait_for(until(lambda: answers.looks >= looks_of_the_first + 3), 10)
    assert len(fake.received) == 1 and not retry.done(), "the retry waits, it is not handled"
    fake.gate.set()
    answers = await asyncio.wait_for(asyncio.gather(first, retry), 10)
    assert [texts(a) for a in answers] == [["답변 1"], ["답변 1"]]
    assert len(fake.received) == 1


@pytest.mark.parametrize("failure", [RuntimeError("the model is gone"), asyncio.CancelledError()],
                         ids=["failed", "cut-off"])
async def test_a_retry_of_a_request_that_failed_in_the_bot_is_handled(app, fake, failure):
    fake.fail_next = failure
    body = {"sender": "c-5", "message": "음식이 식었어요", "message_id": "m-1"}
    failed = await post(app, body)
    assert texts(failed) == [say.TRY_AGAIN_LATER]
    retried = await post(app, body)
    assert texts(retried) == ["답변 2"], "the failure was not remembered as the answer"
    assert texts(await post(app, body)) == ["답변 2"]
    assert len(fake.received) == 2


def local_memory(running_ttl: float = 120, wait_seconds: float = 30) -> ReplayMemory:
    return ReplayMemory(LocalMap(600), LocalMap(running_ttl), wait_seconds=wait_seconds)


async def test_a_first_request_still_running_after_the_wait_is_a_409():
    fake, channel = CountingRasa(), CheckedRestInput()
    channel._replay = local_memory(wait_seconds=0.3)
    app = mount(fake, channel)
    fake.gate = asyncio.Event()
    body = {"sender": "c-6", "message": "환불해 주세요", "message_id": "m-1"}
    first = asyncio.ensure_future(post(app, body))
    while not fake.received:
        await asyncio.sleep(0.01)
    busy = await post(app, body)
    assert busy.status == 409 and busy.json == {"error": "in_progress", "message": say.SAME_MESSAGE_IN_PROGRESS}
    fake.gate.set()
    assert texts(await asyncio.wait_for(first, 10)) == ["답변 1"]
    assert texts(await post(app, body)) == ["답변 1"]
    assert len(fake.received) == 1


async def test_an_id_whose_server_died_mid_turn_is_free_again_when_its_entry_expires():
    fake, channel = CountingRasa(), CheckedRestInput()
    channel._replay = local_memory(running_ttl=0.3)
    app = mount(fake, channel)
    key = ReplayMemory.key("c-7", "m-1")
    assert await channel.replay.running.add(key, time.time()), "a server took the id, then died"
    response = await asyncio.wait_for(post(app, {"sender": "c-7", "message": "주문 취소할게요", "message_id": "m-1"}), 10)
    assert texts(response) == ["답변 1"] and len(fake.received) == 1


async def test_an_answer_stored_between_the_two_looks_is_replayed_not_handled_again():
    class FinishesDuringAdd(LocalMap):
        """The first request stores its answer and frees the id just as the retry takes it."""

        async def add(self, key: str, value: Any) -> bool:
            await answers.set(key, [{"text": "답변 1"}])
            return await super().add(key, value)

    answers = LocalMap(600)
    memory = ReplayMemory(answers, FinishesDuringAdd(120))
    assert await memory.begin("c\nm") == [{"text": "답변 1"}]
    assert await memory.running.get("c\nm") is None, "the id is not left held"


async def test_without_its_memory_a_message_with_an_id_is_still_answered(monkeypatch):
    monkeypatch.setenv("CHANNEL_REDIS_URL", "redis://127.0.0.1:9/0")  # nothing listens there
    fake = CountingRasa()
    app = mount(fake)
    body = {"sender": "c-10", "message": "배달이 너무 늦어요", "message_id": "m-1"}
    assert texts(await post(app, body)) == ["답변 1"]
    assert (await post(app, body)).status == 200, "answered, if not de-duplicated, while Redis is away"


@pytest.mark.parametrize("message_id", ["", "   ", "x" * 101, "a\nb", 7, True, ["m"], {"id": 1}])
async def test_malformed_message_ids_are_a_400(app, fake, message_id):
    response = await post(app, {"sender": "c-8", "message": "안녕하세요", "message_id": message_id})
    assert response.status == 400 and response.json["error"] == "invalid_message_id"
    assert fake.received == []


async def test_message_id_cannot_be_combined_with_streaming(app, fake):
    response = await post(app, {"sender": "c-9", "message": "안녕하세요", "message_id": "m-1"}, "?stream=true")
    assert response.status == 400 and response.json["error"] == "message_id_with_stream"
    assert fake.received == []


async def test_two_rasa_servers_sharing_redis_answer_a_retry_once(monkeypatch, redis_url):
    monkeypatch.setenv("CHANNEL_REDIS_URL", redis_url)
    fake_one, fake_two = CountingRasa(), CountingRasa()
    one, two = mount(fake_one), mount(fake_two)
    body = {"sender": f"c-{uuid.uuid4().hex}", "message": "배달이 너무 늦어요", "message_id": "m-1"}
    first = await post(one, body)
    again = await post(two, body)  # the load balancer sent the retry to the other server
    assert texts(first) == texts(again) == ["답변 1"]
    assert len(fake_one.received) == 1 and fake_two.received == []
