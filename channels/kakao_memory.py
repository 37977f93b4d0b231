"""Short-lived, bounded in-memory state of the Kakao channel (one Rasa process).

Used for what the channel must remember between two requests of one customer:
the quick replies offered in the last answer, answers that came too late for
their request, and the callback URLs already taken.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from typing import Callable, Generic, Optional, Tuple, TypeVar

V = TypeVar("V")


class TtlMap(Generic[V]):
    """A mapping whose entries expire after ``ttl`` seconds; the oldest go first when full."""

    def __init__(self, ttl: float, max_entries: int = 10_000, clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl = ttl
        self.max_entries = max_entries
        self._clock = clock
        self._items: "OrderedDict[str, Tuple[float, V]]" = OrderedDict()

    def set(self, key: str, value: V) -> None:
        """Store ``value`` under ``key``, replacing what was there."""
        self._items.pop(key, None)
        self._items[key] = (self._clock() + self.ttl, value)
        self._evict()

    def get(self, key: str) -> Optional[V]:
        """The live value under ``key``, or ``None``."""
        item = self._items.get(key)
        if item is None:
            return None
        if item[0] <= self._clock():
            del self._items[key]
            return None
        return item[1]

    def pop(self, key: str) -> Optional[V]:
        """Remove and return the live value under ``key``, or ``None``."""
        value = self.get(key)
        self._items.pop(key, None)
        return value

    def __contains__(self, key: str) -> bool:
        return self.get(key) is not None

    def __len__(self) -> int:
        return len(self._items)

    def _evict(self) -> None:
        now = self._clock()
        while self._items:
            key, (expires, _) = next(iter(self._items.items()))
            if expires <= now or len(self._items) > self.max_entries:
                del self._items[key]
            else:
                break
