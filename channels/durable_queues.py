"""Each sender's webhook events kept in Redis until they are handled, in order, by whichever
Rasa server holds the sender's lease: a crash never drops an event Meta will not resend.

The production profile runs two Rasa servers behind HAProxy with ``CHANNEL_REDIS_URL``
set. The webhook appends an event to the sender's list (``RPUSH``) and marks the
sender as waiting (``SADD``), then answers 200. Every server looks for waiting senders
(at once for the events it took itself, every ``poll`` seconds for the others), takes
a sender's lease (``SET NX PX``) and handles her events one by one from the head of
her list, removing each only after it was handled. A server that dies mid-event leaves
the event at the head; its lease expires and another server (or the same one,
restarted) handles it: an event is handled at least once, and one sender's events
never run side by side or out of order.
"""

from __future__ import annotations

import asyncio
import json
import logging
import uuid
from typing import Any, Awaitable, Callable, Dict, Optional

from channels.sender_queues import QueueFull, wait_for_workers

logger = logging.getLogger(__name__)

KEY_PREFIX = "supportbot:queue"
# removes the head only if it is still the event that was handled (never another server's)
_ACK = """
if redis.call('LINDEX', KEYS[1], 0) == ARGV[1] then
  redis.call('LPOP', KEYS[1])
  return 1
end
return 0
"""
# the sender stops waiting only when her list is empty, and the lease goes only if it is ours
_RELEASE = """
if redis.call('LLEN', KEYS[1]) == 0 then
  redis.call('SREM', KEYS[2], ARGV[2])
end
if redis.call('GET', KEYS[3]) == ARGV[1] then
  redis.call('DEL', KEYS[3])
end
return redis.call('LLEN', KEYS[1])
"""


class RedisSenderQueues:
    """Per-sender ordered queues in Redis, shared by every Rasa server.

    Args:
        client: a ``redis.asyncio`` client.
        namespace: keys live under ``supportbot:queue:<namespace>:``.
        handle: what to do with one event (a JSON-compatible value); an exception is logged
            and the event is dropped (it would fail again), the next one goes on.
        lease: seconds a server holds a sender (renewed before each event).
        poll: seconds between looks for senders other servers left waiting.
        max_pending: events one sender may have waiting.
    """

    def __init__(
        self,
        client: Any,
        namespace: str,
        handle: Callable[[Any], Awaitable[None]],
        lease: float = 120.0,
        poll: float = 1.0,
        max_pending: int = 1_000,
    ) -> None:
        self._client = client
        self._prefix = f"{KEY_PREFIX}:{namespace}:"
        self._handle = handle
        self._lease_ms = int(lease * 1000)
        self._poll = poll
        self._max_pending = max_pending
        self._owner = uuid.uuid4().hex
        self._workers: Dict[str, "asyncio.Task[None]"] = {}
        self._wake = asyncio.Event()
        self._watcher: Optional["asyncio.Task[None]"] = None
        self._stopped = False
        self._ack = client.register_script(_ACK)
        self._release = client.register_script(_RELEASE)

    def _list(self, sender: str) -> str:
        return f"{self._prefix}events:{sender}"

    def _lease(self, sender: str) -> str:
        return f"{self._prefix}lease:{sender}"

    @property
    def _waiting(self) -> str:
        return f"{self._prefix}waiting"

    async def put(self, sender: str, item: Any) -> None:
        """Keep ``item`` behind the sender's earlier events, in Redis, and have it handled.

        Raises:
            QueueFull: the sender already has ``max_pending`` events waiting.
        """
        async with self._client.pipeline(transaction=True) as pipe:
            pipe.rpush(self._list(sender), json.dumps(item, ensure_ascii=False))
            pipe.sadd(self._waiting, sender)
            length, _ = await pipe.execute()
        if length > self._max_pending:
            await self._client.rpop(self._list(sender))
            raise QueueFull(f"{length - 1} events of one sender are waiting")
        self.start()
        await self._take(sender)

    def start(self) -> None:
        """Start looking for waiting senders (also those a crashed server left) in this event loop."""
        self._stopped = False
        if self._watcher is None or self._watcher.done():
            self._watcher = asyncio.ensure_future(self._watch())

    async def _watch(self) -> None:
        while not self._stopped:
            try:
                for raw in await self._client.smembers(self._waiting):
                    await self._take(raw.decode() if isinstance(raw, bytes) else raw)
            except asyncio.CancelledError:
                raise
            except Exception:  # noqa: BLE001 - Redis away for a moment: look again later
                logger.exception("sender queue: looking for waiting senders failed")
            try:
                await asyncio.wait_for(self._wake.wait(), self._poll)
            except asyncio.TimeoutError:
                pass
            self._wake.clear()

    async def _take(self, sender: str) -> None:
        """Handle the sender's events here if no server holds her lease."""
        if sender in self._workers:
            return
        if not await self._client.set(self._lease(sender), self._owner, nx=True, px=self._lease_ms):
            return
        task = asyncio.ensure_future(self._work(sender))
        self._workers[sender] = task
        task.add_done_callback(lambda _task, who=sender: self._workers.pop(who, None))

    async def _work(self, sender: str) -> None:
        keys = [self._list(sender), self._waiting, self._lease(sender)]
        while True:
            await self._client.pexpire(self._lease(sender), self._lease_ms)
            raw = await self._client.lindex(self._list(sender), 0)
            if raw is None:
                if await self._release(keys=keys, args=[self._owner, sender]) == 0:
                    return
                # an event came in between: take the lease again and go on
                if not await self._client.set(self._lease(sender), self._owner, nx=True, px=self._lease_ms):
                    return
                continue
            try:
                await self._handle(json.loads(raw))
            except Exception:  # noqa: BLE001 - one failing event must not stop the sender's next ones
                logger.exception("sender queue: an event failed; the next one goes on")
            await self._ack(keys=[self._list(sender)], args=[raw])

    async def pending(self) -> int:
        """Events waiting in Redis, of every sender."""
        total = 0
        for raw in await self._client.smembers(self._waiting):
            total += await self._client.llen(self._list(raw.decode() if isinstance(raw, bytes) else raw))
        return total

    async def drain(self, timeout: float = 30.0) -> None:
        """Wait until this server's workers are done (at most ``timeout`` seconds)."""
        await wait_for_workers(self._workers, timeout)

    async def stop(self) -> None:
        """Stop looking for senders (workers already running finish their event).

        The watcher is told to stop and cancelled, and waited for at most two seconds: a Redis
        client can swallow a cancellation while it reads, and the loop then ends on its next turn.
        """
        self._stopped = True
        self._wake.set()
        if self._watcher is not None and not self._watcher.done():
            self._watcher.cancel()
            await asyncio.wait({self._watcher}, timeout=2)

