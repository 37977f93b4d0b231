"""Each sender's events handled in the background, one after another, in arrival order.

A webhook that must answer at once (Messenger expects 200 within seconds and
redelivers, then unsubscribes, a slow webhook) puts each event here and returns;
one worker per sender takes that sender's events in order, so a customer's
messages never overtake each other, while different customers are served side by
side. The queue lives in this process: :meth:`SenderQueues.drain` (called when the
server stops) finishes what is queued.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from typing import Awaitable, Callable, Deque, Dict, Generic, TypeVar

logger = logging.getLogger(__name__)

Item = TypeVar("Item")


async def wait_for_workers(workers: "Dict[str, asyncio.Task[None]]", timeout: float) -> None:
    """Wait until ``workers`` (a map the workers remove themselves from) is empty, at most ``timeout`` seconds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while workers:
        left = deadline - loop.time()
        if left <= 0:
            logger.error("sender queue: %d senders still being handled after %.0f s", len(workers), timeout)
            return
        await asyncio.wait(list(workers.values()), timeout=left)


class QueueFull(RuntimeError):
    """More events wait than the queue holds; the webhook should answer so the platform retries."""


class SenderQueues(Generic[Item]):
    """Per-sender ordered queues with one worker each.

    Args:
        handle: what to do with one event; an exception is logged and the next event goes on.
        max_pending: how many events may wait in all (a bound on memory).
        max_per_sender: how many may wait for one sender, so one sender cannot fill the queue.
    """

    def __init__(
        self, handle: Callable[[Item], Awaitable[None]], max_pending: int = 10_000, max_per_sender: int = 100
    ) -> None:
        if max_pending <= 0 or max_per_sender <= 0:
            raise ValueError("max_pending and max_per_sender must be positive")
        self._handle = handle
        self._max_pending = max_pending
        self._max_per_sender = max_per_sender
        self._queues: Dict[str, Deque[Item]] = {}
        self._workers: Dict[str, "asyncio.Task[None]"] = {}
        self._pending = 0

    @property
    def pending(self) -> int:
        """Events queued or being handled."""
        return self._pending

    async def put(self, sender: str, item: Item) -> None:
        """Queue ``item`` behind the sender's earlier events and make sure a worker takes it.

        Raises:
            QueueFull: ``max_pending`` events are already waiting.
        """
        if self._pending >= self._max_pending:
            raise QueueFull(f"{self._pending} events are waiting")
        if len(self._queues.get(sender, ())) >= self._max_per_sender:
            # one flooding sender is told to wait; the other customers are not
            raise QueueFull(f"{self._max_per_sender} events of one sender are waiting")
        self._queues.setdefault(sender, deque()).append(item)
        self._pending += 1
        if sender not in self._workers:
            self._workers[sender] = asyncio.ensure_future(self._work(sender))

    async def _work(self, sender: str) -> None:
        queue = self._queues[sender]
        try:
            while queue:
                item = queue.popleft()
                try:
                    await self._handle(item)
                except Exception:  # noqa: BLE001 - one failing event must not stop the sender's next ones
                    logger.exception("sender queue: an event failed; the next one goes on")
                finally:
                    self._pending -= 1
        finally:
            # no await between the empty check and here: a put() cannot slip in unseen
            self._workers.pop(sender, None)
            if not queue:
                self._queues.pop(sender, None)

    async def drain(self, timeout: float = 30.0) -> None:
        """Wait until every queued event is handled (at most ``timeout`` seconds)."""
        await wait_for_workers(self._workers, timeout)

    async def stop(self) -> None:
        """Nothing to stop: the workers end when their queues are empty."""
