"""The action server's own database: tickets waiting for the desk and failed ownership checks.

A SQLite file next to the action server by default (``TICKET_OUTBOX_DB``, or
``ticket-outbox.db`` in the data directory); PostgreSQL shared by every action
server in production (``TICKET_OUTBOX_URL``). One engine per database, opened on
first use, with the tables of every store that uses it.
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
from typing import Optional, Union

from sqlalchemy import MetaData
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

ROOT = Path(__file__).resolve().parent.parent


def default_url() -> str:
    """``TICKET_OUTBOX_URL`` (shared by every action server in production), else a SQLite file.

    The file is ``TICKET_OUTBOX_DB``, or ``ticket-outbox.db`` in the data directory.
    """
    if os.environ.get("TICKET_OUTBOX_URL"):
        return os.environ["TICKET_OUTBOX_URL"]
    if os.environ.get("TICKET_OUTBOX_DB"):
        return f"sqlite+aiosqlite:///{Path(os.environ['TICKET_OUTBOX_DB'])}"
    data_dir = Path(os.environ.get("DATA_DIR", ROOT / "var"))
    return f"sqlite+aiosqlite:///{(data_dir if data_dir.is_absolute() else ROOT / data_dir) / 'ticket-outbox.db'}"


def as_url(location: Union[str, Path, None]) -> str:
    """A database URL for a URL, a plain SQLite file path, or None (the default)."""
    if location is None:
        return default_url()
    text = str(location)
    return text if "://" in text else f"sqlite+aiosqlite:///{text}"


class ActionDatabase:
    """One database and its engine; each store's tables are created on its first use."""

    def __init__(self, location: Union[str, Path, None] = None) -> None:
        self.url = as_url(location)
        self._engine: Optional[AsyncEngine] = None
        self._created: set = set()
        self._ready = asyncio.Lock()

    async def engine(self, tables: MetaData) -> AsyncEngine:
        """The engine, with ``tables`` created if they are not yet."""
        async with self._ready:
            if self._engine is None:
                url = make_url(self.url)
                if url.get_backend_name() == "sqlite" and url.database:
                    Path(url.database).parent.mkdir(parents=True, exist_ok=True)
                self._engine = create_async_engine(self.url, pool_pre_ping=True)
            if id(tables) not in self._created:
                async with self._engine.begin() as connection:
                    await connection.run_sync(tables.create_all)
                self._created.add(id(tables))
        return self._engine

    async def close(self) -> None:
        """Release the database connections."""
        if self._engine is not None:
            await self._engine.dispose()
            self._engine = None
            self._created.clear()


_database: Optional[ActionDatabase] = None


def action_database() -> ActionDatabase:
    """The process-wide database (the outbox and the ownership checks share its connections)."""
    global _database
    if _database is None:
        _database = ActionDatabase()
    return _database


async def close_action_database() -> None:
    """Close the process-wide database, if it was opened."""
    global _database
    if _database is not None:
        await _database.close()
        _database = None
