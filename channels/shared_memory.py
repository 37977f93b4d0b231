"""Short-lived state the channels keep between requests, in one process or shared over Redis.

KakaoTalk remembers the quick replies it offered, late answers and callback
URLs; Messenger remembers the message ids it handled (redelivery). With one
Rasa process an in-memory map is enough. With several Rasa servers behind a
load balancer the next request may reach another server, so the state must be
shared: set ``CHANNEL_REDIS_URL`` (e.g. ``redis://127.0.0.1:6379/2``) and every
map lives in Redis under ``supportbot:<namespace>:``, with the same time to live.

Values are JSON. ``add`` is atomic in both (``SET NX`` in Redis), so a
redelivered message is recognised even when two servers get it at once.
"""

from __future__ import annotations

import json
import logging
import os
import time
from typing import Any, Callable, Dict, List, Optional, Protocol

from cachetools import TTLCache

logger = logging.getLogger(__name__)

KEY_PREFIX = "supportbot"


class SharedMap(Protocol):
    """A map of JSON values whose entries expire after the map's time to live."""

    async def get(self, key: str) -> Optional[Any]:
        """The live value under ``key``, or ``None``."""

    async def set(self, key: str, value: Any) -> None:
        """Store ``value`` under ``key``."""

    async def add(self, key: str, value: Any) -> bool:
        """Store ``value`` only if ``key`` is absent; False when it was there (a duplicate)."""

    async def pop(self, key: str) -> Optional[Any]:
        """Remove and return the value under ``key``."""

    async def append(self, key: str, items: List[Any]) -> None:
        """Add ``items`` to the list under ``key``."""

    async def pop_list(self, key: str) -> List[Any]:
        """Remove and return the list under ``key`` (empty if none)."""


class LocalMap:
    """A :class:`SharedMap` in this process only: cachetools' TTL cache (bounded; when full, the least
    recently used entry goes first)."""

    def __init__(self, ttl: float, max_entries: int = 10_000, clock: Callable[[], float] = time.monotonic) -> None:
        self._items: TTLCache = TTLCache(maxsize=max_entries, ttl=ttl, timer=clock)

    async def get(self, key: str) -> Optional[Any]:
        return self._items.get(key)

    async def set(self, key: str, value: Any) -> None:
        self._items[key] = value

    async def add(self, key: str, value: Any) -> bool:
        if key in self._items:
            return False
        self._items[key] = value
        return True

    async def pop(self, key: str) -> Optional[Any]:
        return self._items.pop(key, None)

    async def append(self, key: str, items: List[Any]) -> None:
        self._items[key] = (self._items.get(key) or []) + list(items)

    async def pop_list(self, key: str) -> List[Any]:
        return self._items.pop(key, None) or []

    def __len__(self) -> int:
        return len(self._items)


class RedisMap:
    """A :class:`SharedMap` in Redis, shared by every Rasa server."""

    def __init__(self, client: Any, namespace: str, ttl: float) -> None:
        self._client = client
        self._prefix = f"{KEY_PREFIX}:{namespace}:"
        self._ttl = max(1, int(ttl))

    def _key(self, key: str) -> str:
        return self._prefix + key

    async def get(self, key: str) -> Optional[Any]:
        raw = await self._client.get(self._key(key))
        return None if raw is None else json.loads(raw)

    async def set(self, key: str, value: Any) -> None:
        await self._client.set(self._key(key), json.dumps(value, ensure_ascii=False), ex=self._ttl)

    async def add(self, key: str, value: Any) -> bool:
        done = await self._client.set(self._key(key), json.dumps(value, ensure_ascii=False), ex=self._ttl, nx=True)
        return bool(done)

    async def pop(self, key: str) -> Optional[Any]:
        raw = await self._client.getdel(self._key(key))
        return None if raw is None else json.loads(raw)

    async def append(self, key: str, items: List[Any]) -> None:
        if not items:
            return
        name = self._key(key) + ":list"
        async with self._client.pipeline(transaction=True) as pipe:
            pipe.rpush(name, *[json.dumps(item, ensure_ascii=False) for item in items])
            pipe.expire(name, self._ttl)
            await pipe.execute()

    async def pop_list(self, key: str) -> List[Any]:
        name = self._key(key) + ":list"
        async with self._client.pipeline(transaction=True) as pipe:
            pipe.lrange(name, 0, -1)
            pipe.delete(name)
            raw, _ = await pipe.execute()
        return [json.loads(item) for item in raw]


def redis_url(env: Optional[Dict[str, str]] = None) -> Optional[str]:
    """``CHANNEL_REDIS_URL``, if set."""
    value = (env if env is not None else os.environ).get("CHANNEL_REDIS_URL", "").strip()
    return value or None


def redis_client() -> Optional[Any]:
    """A ``redis.asyncio`` client of ``CHANNEL_REDIS_URL``, or None when it is not set.

    Each caller gets its own client: it connects lazily, in the event loop that first uses it.
    """
    url = redis_url()
    if url is None:
        return None
    import redis.asyncio as redis

    return redis.from_url(url, socket_timeout=5, socket_connect_timeout=5, health_check_interval=30)


def shared_map(namespace: str, ttl: float, max_entries: int = 10_000) -> SharedMap:
    """A map for ``namespace``: in Redis when ``CHANNEL_REDIS_URL`` is set, else in this process."""
    client = redis_client()
    if client is None:
        return LocalMap(ttl, max_entries)
    logger.info("channel memory %s shared in Redis", namespace)
    return RedisMap(client, namespace, ttl)
