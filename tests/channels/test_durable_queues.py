"""Webhook events kept in a real Redis until handled: in order per sender, once, by one server
at a time, and picked up by another server when the one handling them dies."""

from __future__ import annotations

import asyncio
import uuid
from collections import defaultdict
from typing import Dict, List

import pytest
import redis.asyncio as redis

from channels.durable_queues import RedisSenderQueues


class Handler:
    """Records who handled which event, and checks that one sender is never handled twice at once."""

    def __init__(self, name: str, log: Dict[str, List[str]], busy: set, delay: float = 0.005) -> None:
        self.name = name
        self.log = log
        self.busy = busy
        self.delay = delay
        self.overlaps = 0

    async def __call__(self, item) -> None:
        sender = item["sender"]
        if sender in self.busy:
            self.overlaps += 1
        self.busy.add(sender)
        await asyncio.sleep(self.delay)
        self.log[sender].append(item["n"])
        self.busy.discard(sender)


@pytest.fixture
async def client(redis_url):
    connection = redis.from_url(redis_url)
    yield connection
    await connection.close()


async def _until(condition, timeout: float = 10.0) -> None:
    for _ in range(int(timeout / 0.02)):  # bounded
        if condition():
            return
        await asyncio.sleep(0.02)
    raise AssertionError("timed out")


async def test_two_servers_handle_each_event_once_and_each_senders_in_order(client):
    namespace = f"t{uuid.uuid4().hex[:6]}"
    log: Dict[str, List[int]] = defaultdict(list)
    busy: set = set()
    one, two = Handler("one", log, busy), Handler("two", log, busy)
    server_one = RedisSenderQueues(client, namespace, one, poll=0.05)
    server_two = RedisSenderQueues(client, namespace, two, poll=0.05)
    for n in range(12):  # the load balancer alternates; two customers write at once
        for sender in ("alice", "bob"):
            await (server_one if n % 2 else server_two).put(sender, {"sender": sender, "n": n})
    await _until(lambda: len(log["alice"]) == 12 and len(log["bob"]) == 12)
    assert log["alice"] == list(range(12)) and log["bob"] == list(range(12)), "in order, each once"
    assert one.overlaps == two.overlaps == 0, "one sender's events never run side by side"
    assert await server_one.pending() == 0
    for server in (server_one, server_two):
        await server.drain(5)
        await server.stop()


async def test_events_a_dead_server_left_are_handled_by_another(client):
    namespace = f"t{uuid.uuid4().hex[:6]}"
    log: Dict[str, List[int]] = defaultdict(list)
    stuck = asyncio.Event()

    async def dies(item) -> None:
        stuck.set()
        await asyncio.sleep(3600)  # the process dies here, before the event is done

    dead = RedisSenderQueues(client, namespace, dies, lease=0.3, poll=0.05)
    await dead.put("carol", {"sender": "carol", "n": 1})
    await dead.put("carol", {"sender": "carol", "n": 2})
    await asyncio.wait_for(stuck.wait(), 5)
    for task in list(dead._workers.values()):  # the crash: nothing of it runs on
        task.cancel()
    await dead.stop()

    alive = RedisSenderQueues(client, namespace, Handler("alive", log, set()), lease=0.3, poll=0.05)
    alive.start()
    await _until(lambda: log["carol"] == [1, 2])
    assert await alive.pending() == 0, "nothing lost, nothing left"
    await alive.drain(5)
    await alive.stop()


async def test_a_failing_event_does_not_stop_the_next(client):
    namespace = f"t{uuid.uuid4().hex[:6]}"
    seen: List[int] = []

    async def handle(item) -> None:
        seen.append(item["n"])
        if item["n"] == 1:
            raise RuntimeError("the model is gone")

    queues = RedisSenderQueues(client, namespace, handle, poll=0.05)
    for n in (1, 2):
        await queues.put("dave", {"n": n})
    await _until(lambda: seen == [1, 2])
    await queues.drain(5)
    assert await queues.pending() == 0
    await queues.stop()
