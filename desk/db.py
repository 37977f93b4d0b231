"""Database engine and sessions for the desk."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, create_async_engine
from sqlalchemy.orm import sessionmaker

_SYNC_DRIVERS = {
    "sqlite+aiosqlite": "sqlite",
    "postgresql+asyncpg": "postgresql+psycopg2",
}


def ensure_sqlite_dir(database_url: str) -> None:
    """Create the folder of a SQLite database file if it does not exist yet."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)


def sync_url(database_url: str) -> str:
    """The synchronous twin of an async URL, for Alembic migrations."""
    url = make_url(database_url)
    driver = _SYNC_DRIVERS.get(url.drivername, url.drivername)
    return str(url.set(drivername=driver))


def create_engine(database_url: str) -> AsyncEngine:
    """An async engine with settings that survive database restarts."""
    ensure_sqlite_dir(database_url)
    url = make_url(database_url)
    options = {"pool_pre_ping": True}
    if url.get_backend_name() != "sqlite":
        options.update(pool_recycle=1800, pool_size=5, max_overflow=10)
    engine = create_async_engine(database_url, **options)
    if url.get_backend_name() == "sqlite":
        event.listen(engine.sync_engine, "connect", _enforce_sqlite_foreign_keys)
    return engine


def _enforce_sqlite_foreign_keys(dbapi_connection, _record) -> None:
    """SQLite checks foreign keys (and cascades) only when asked, per connection."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def create_sessionmaker(engine: AsyncEngine) -> sessionmaker:
    """Sessions that keep loaded objects usable after commit."""
    return sessionmaker(engine, class_=AsyncSession, expire_on_commit=False)
