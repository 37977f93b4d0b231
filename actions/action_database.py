"""The action server's own database: tickets waiting for the desk and the ownership checks.

A SQLite file next to the action server by default; PostgreSQL shared by every
action server in production (``database_url`` of :class:`actions.settings.ActionSettings`).
One engine per database, opened on first use, with the tables of every store that
uses it; the action server closes it when it stops.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Optional, Union

from sqlalchemy import MetaData
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine


def as_url(location: Union[str, Path]) -> str:
    """A database URL for a URL or a plain SQLite file path."""
    text = str(location)
    return text if "://" in text else f"sqlite+aiosqlite:///{text}"


class ActionDatabase:
    """One database and its engine; each store's tables are created on its first use."""

    def __init__(self, location: Union[str, Path]) -> None:
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
