"""Remember which Messenger message ids were already handled, for a while.

Messenger redelivers a webhook event when it did not get a quick 200, so the same
``message.mid`` can arrive twice. :class:`SeenMessages` is a bounded in-memory
cache with a time to live: enough for one Rasa process. Several Rasa processes
behind a load balancer need a shared store (Redis ``SET key 1 NX EX ttl``) so a
redelivery that reaches another process is still recognised (issue 7).
"""

from __future__ import annotations

import time
from collections import OrderedDict
from typing import Callable

DEFAULT_TTL_SECONDS = 24 * 60 * 60
DEFAULT_MAX_ENTRIES = 50_000


class SeenMessages:
    """A set of keys that forgets them after ``ttl`` seconds or when it is full.

    When more than ``max_entries`` keys are remembered the oldest are forgotten
    first, so under very heavy traffic the redelivery window gets shorter, never
    the memory larger. Not thread-safe; meant for one asyncio event loop
    (:meth:`add` does not await, so it is atomic there).
    """

    def __init__(
        self,
        ttl: float = DEFAULT_TTL_SECONDS,
        max_entries: int = DEFAULT_MAX_ENTRIES,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if ttl <= 0 or max_entries <= 0:
            raise ValueError("ttl and max_entries must be positive")
        self.ttl = ttl
        self.max_entries = max_entries
        self._clock = clock
        self._expiry: "OrderedDict[str, float]" = OrderedDict()

    def __len__(self) -> int:
        return len(self._expiry)

    def __contains__(self, key: object) -> bool:
        if not isinstance(key, str):
            return False
        self._forget_expired()
        return key in self._expiry

    def add(self, key: str) -> bool:
        """Remember ``key``; returns False when it was already remembered (a duplicate)."""
        self._forget_expired()
        if key in self._expiry:
            return False
        self._expiry[key] = self._clock() + self.ttl
        while len(self._expiry) > self.max_entries:
            self._expiry.popitem(last=False)
        return True

    def _forget_expired(self) -> None:
        # keys are inserted in expiry order (constant ttl), so the oldest come first
        now = self._clock()
        while self._expiry:
            key, expires = next(iter(self._expiry.items()))
            if expires > now:
                break
            del self._expiry[key]
