"""Rasa's SQL tracker store, made to ride out a database restart (and fast on SQLite).

Rasa's ``SQLTrackerStore`` keeps pooled connections without checking them, so
after PostgreSQL restarts the first message on every stale connection fails
with a 500. This store (``type: runtime.tracker_store.ResilientSQLTrackerStore``
in ``endpoints.prod.yml``) takes the same settings and

- reads the password from the variable named by ``password_env``;
- checks each pooled connection before use (``pool_pre_ping``) and recycles
  connections after ``TRACKER_POOL_RECYCLE`` seconds (default 1800);
- retries a read or a write that failed because the database was unreachable,
  for up to ``TRACKER_RETRY_SECONDS`` (default 20) with short async pauses, so
  a message that arrives while the database restarts is answered once it is back.

On SQLite (the default profile) it keeps its connection open (SQLAlchemy 1.4
opened a new one for every query) and switches the file to write-ahead logging
with ``synchronous=NORMAL``: Rasa commits every message, and the default
journal made each commit wait for several fsyncs (14 % of Rasa's time under
load, profiled).

A write is one transaction that stores only the events the database does not
have yet, so retrying it never stores an event twice.
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from typing import Any, Awaitable, Callable, Optional, Text, TypeVar

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore, create_engine_kwargs
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy.exc import DBAPIError, OperationalError

logger = logging.getLogger(__name__)

T = TypeVar("T")


def _seconds(name: str, default: float) -> float:
    """A positive number of seconds from the environment, else ``default``."""
    try:
        value = float(os.environ.get(name, "") or default)
    except ValueError:
        logger.warning("%s is not a number; using %s", name, default)
        return default
    return value if value > 0 else default


def is_connection_error(error: Exception) -> bool:
    """Whether ``error`` means the database could not be reached (worth a retry)."""
    if isinstance(error, OperationalError):
        return True
    return isinstance(error, DBAPIError) and bool(error.connection_invalidated)


def _sqlite_write_ahead_log(dbapi_connection: Any, _record: Any) -> None:
    """SQLite in WAL mode, synced at checkpoints: a commit costs no fsync, a crash of the
    process loses nothing (only a power loss can lose the last commits)."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


class ResilientSQLTrackerStore(SQLTrackerStore):
    """``SQLTrackerStore`` with connection checks and bounded retries."""

    def __init__(self, *args: Any, password_env: Optional[Text] = None, **kwargs: Any) -> None:
        """Same settings as Rasa's SQL tracker store (``endpoints.yml``).

        ``password_env`` names the environment variable holding the password
        (Rasa refuses a ``${VAR}`` that is empty, as it is with trust auth).
        """
        if password_env:
            kwargs["password"] = os.environ.get(password_env) or None
        super().__init__(*args, **kwargs)
        url = self.engine.url
        self.engine.dispose()
        if url.get_backend_name() == "sqlite":
            # one kept connection (SQLAlchemy 1.4 opened and closed a file connection per query);
            # Rasa calls the store from its event loop thread only
            self.engine = sa.create_engine(url, poolclass=sa.pool.QueuePool, pool_size=1, max_overflow=4)
            sa.event.listen(self.engine, "connect", _sqlite_write_ahead_log)
        else:
            self.engine = sa.create_engine(
                url,
                pool_pre_ping=True,
                pool_recycle=int(_seconds("TRACKER_POOL_RECYCLE", 1800)),
                **create_engine_kwargs(url),
            )
        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)
        self.retry_seconds = _seconds("TRACKER_RETRY_SECONDS", 20)

    async def _with_retry(self, what: str, sender_id: Text, call: Callable[[], Awaitable[T]]) -> T:
        """Run ``call``; while the database is unreachable, retry until the deadline."""
        deadline = time.monotonic() + self.retry_seconds
        pause = 0.2
        while True:
            try:
                return await call()
            except Exception as error:  # noqa: BLE001 - only connection errors are retried
                if not is_connection_error(error) or time.monotonic() + pause > deadline:
                    raise
                logger.warning("tracker %s of conversation %s failed (%s); retrying", what, sender_id,
                               type(error).__name__)
                await asyncio.sleep(pause)
                pause = min(pause * 2, 2.0)

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Store the tracker's new events, retrying through a database restart."""
        await self._with_retry("save", tracker.sender_id, lambda: super(ResilientSQLTrackerStore, self).save(tracker))

    async def _retrieve(self, sender_id: Text, fetch_events_from_all_sessions: bool) -> Optional[DialogueStateTracker]:
        """Load a tracker, retrying through a database restart."""
        parent = super()._retrieve
        return await self._with_retry("read", sender_id, lambda: parent(sender_id, fetch_events_from_all_sessions))
