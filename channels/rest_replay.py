"""Safe client retries on the REST channel: one turn per ``sender`` + ``message_id``, its answer replayed.

Two short-lived maps (:mod:`channels.shared_memory`, in this process or in
Redis for every Rasa server):

* ``running``: the ids whose turn is being handled now. Taking an id is one atomic
  ``add`` (``SET NX``); the entry expires by itself after ``RUNNING_TTL_SECONDS``, so
  an id whose server died mid-turn is free again then, with no second look needed.
* ``answers``: the bot's messages of each finished turn, for ``ANSWER_TTL_SECONDS``.

A finished turn stores its answer *before* it frees its id, so a retry that takes
the id looks for an answer once more and replays it rather than handling the
message twice. A turn that failed or was cut off stores nothing: its retry is handled.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any, Dict, List, Optional

from channels.shared_memory import SharedMap, shared_map

ANSWER_TTL_SECONDS = 600.0  # how long an answer is replayed
RUNNING_TTL_SECONDS = 120.0  # longer than any turn (HAProxy gives up after 75 s)
WAIT_SECONDS = 30.0  # how long a retry waits for the first request's answer
MAX_ENTRIES = 20_000  # per process, without Redis (the oldest are forgotten first)


class StillRunning(Exception):
    """The first request with this id is still being handled after the wait."""


class ReplayMemory:
    """The ids being handled and the answers of those handled (see the module docstring)."""

    def __init__(self, answers: SharedMap, running: SharedMap, wait_seconds: float = WAIT_SECONDS) -> None:
        self.answers = answers
        self.running = running
        self.wait_seconds = wait_seconds

    @classmethod
    def shared(cls) -> "ReplayMemory":
        """The memory of this process, or of every Rasa server when ``CHANNEL_REDIS_URL`` is set."""
        return cls(
            shared_map("rest:answers", ANSWER_TTL_SECONDS, MAX_ENTRIES),
            shared_map("rest:running", RUNNING_TTL_SECONDS, MAX_ENTRIES),
        )

    @staticmethod
    def key(sender: str, message_id: str) -> str:
        """The key of one message (a sender is printable text: no line break in it)."""
        return f"{sender}\n{message_id}"

    async def begin(self, key: str) -> Optional[List[Dict[str, Any]]]:
        """The earlier answer to send again, or ``None`` once this request holds the id (handle it).

        Raises:
            StillRunning: another request has held the id for longer than the wait.
        """
        deadline = time.monotonic() + self.wait_seconds
        while True:
            answer = await self.answers.get(key)
            if isinstance(answer, list):
                return answer
            if await self.running.add(key, time.time()):
                answer = await self.answers.get(key)  # finished between the two looks
                if isinstance(answer, list):
                    await self.running.pop(key)
                    return answer
                return None
            if time.monotonic() >= deadline:
                raise StillRunning(key)
            await asyncio.sleep(0.1)

    async def finish(self, key: str, messages: List[Dict[str, Any]]) -> None:
        """Keep the answer of the turn, then free the id."""
        await self.answers.set(key, messages)
        await self.running.pop(key)

    async def abandon(self, key: str) -> None:
        """Free the id without an answer (the turn failed): a retry is handled."""
        await self.running.pop(key)
