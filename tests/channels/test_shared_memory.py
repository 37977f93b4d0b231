"""The channels' short-lived state: the same behaviour in memory and in a real Redis."""

from __future__ import annotations

import asyncio
import uuid

import pytest
import redis.asyncio as redis

from channels.shared_memory import LocalMap, RedisMap, shared_map

class Clock:
    """A clock the test moves (the in-process map's time)."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(params=["local", "redis"])
async def memory(request):
    if request.param == "local":
        clock = Clock()
        local = LocalMap(ttl=2, clock=clock)
        local.clock = clock  # type: ignore[attr-defined]
        yield local
        return
    client = redis.from_url(request.getfixturevalue("redis_url"))
    yield RedisMap(client, f"test-{uuid.uuid4().hex}", ttl=2)
    await client.close()


async def past_the_ttl(memory, key: str) -> None:
    """Move past the map's time to live: the test clock, or Redis' own (waiting until it dropped ``key``)."""
    if isinstance(memory, LocalMap):
        memory.clock.now += 2.01  # type: ignore[attr-defined]
        return
    deadline = asyncio.get_running_loop().time() + 10
    while await memory.get(key) is not None:
        assert asyncio.get_running_loop().time() < deadline, "Redis kept the key past its time to live"
        await asyncio.sleep(0.05)


async def test_values_round_trip_and_pop_removes_them(memory):
    assert await memory.get("k") is None
    await memory.set("k", {"예": "/affirm", "n": [1, 2]})
    assert await memory.get("k") == {"예": "/affirm", "n": [1, 2]}
    assert await memory.pop("k") == {"예": "/affirm", "n": [1, 2]}
    assert await memory.get("k") is None and await memory.pop("k") is None


async def test_add_is_once_only(memory):
    assert await memory.add("mid.1", 1)
    assert not await memory.add("mid.1", 1), "a second add of one key is a duplicate"
    assert await memory.add("mid.2", 1)


async def test_lists_append_in_order_and_pop_empties(memory):
    await memory.append("s", [{"text": "하나"}])
    await memory.append("s", [{"text": "둘"}, {"text": "셋"}])
    assert [m["text"] for m in await memory.pop_list("s")] == ["하나", "둘", "셋"]
    assert await memory.pop_list("s") == []


async def test_entries_expire_after_the_ttl(memory):
    await memory.set("k", 1)
    await memory.add("once", 1)
    assert await memory.get("k") == 1 and not await memory.add("once", 1)
    await past_the_ttl(memory, "k")
    assert await memory.get("k") is None
    assert await memory.add("once", 1), "an expired key counts as new"


async def test_two_servers_sharing_redis_see_one_add_only(monkeypatch, redis_url):
    monkeypatch.setenv("CHANNEL_REDIS_URL", redis_url)
    namespace = f"test-{uuid.uuid4().hex}"
    one, two = shared_map(namespace, 60), shared_map(namespace, 60)
    assert isinstance(one, RedisMap)
    results = await asyncio.gather(*[m.add("mid", 1) for m in (one, two, one, two)])
    assert sorted(results) == [False, False, False, True]


def test_without_redis_url_the_map_is_local(monkeypatch):
    monkeypatch.delenv("CHANNEL_REDIS_URL", raising=False)
    assert isinstance(shared_map("x", 60), LocalMap)
