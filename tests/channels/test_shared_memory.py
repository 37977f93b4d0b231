"""The channels' short-lived state: the same behaviour in memory and in a real Redis."""

from __future__ import annotations

import asyncio
import uuid

import pytest
import redis.asyncio as redis

from channels.shared_memory import LocalMap, RedisMap, shared_map

REDIS_URL = "redis://127.0.0.1:6379/15"


@pytest.fixture(params=["local", "redis"])
async def memory(request):
    if request.param == "local":
        yield LocalMap(ttl=2)
        return
    client = redis.from_url(REDIS_URL)
    yield RedisMap(client, f"test-{uuid.uuid4().hex}", ttl=2)
    await client.close()


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
    await asyncio.sleep(2.3)
    assert await memory.get("k") is None
    assert await memory.add("once", 1), "an expired key counts as new"


async def test_two_servers_sharing_redis_see_one_add_only(monkeypatch):
    monkeypatch.setenv("CHANNEL_REDIS_URL", REDIS_URL)
    namespace = f"test-{uuid.uuid4().hex}"
    one, two = shared_map(namespace, 60), shared_map(namespace, 60)
    assert isinstance(one, RedisMap)
    results = await asyncio.gather(*[m.add("mid", 1) for m in (one, two, one, two)])
    assert sorted(results) == [False, False, False, True]


def test_without_redis_url_the_map_is_local(monkeypatch):
    monkeypatch.delenv("CHANNEL_REDIS_URL", raising=False)
    assert isinstance(shared_map("x", 60), LocalMap)
