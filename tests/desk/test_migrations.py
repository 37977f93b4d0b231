"""Alembic migrations go up and down on SQLite and on PostgreSQL (the session's own server)."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import command

from desk.db import sync_url
from desk.migrate import alembic_config, upgrade
from desk.models import Base

TABLES = {
    "tickets", "ticket_messages", "ticket_counters", "agents", "agent_sessions",
    "attachments", "deliveries", "ratings", "notifications", "alembic_version",
}


def _tables(url: str) -> set:
    engine = sa.create_engine(sync_url(url))
    try:
        return set(sa.inspect(engine).get_table_names())
    finally:
        engine.dispose()


def _columns(url: str, table: str) -> set:
    engine = sa.create_engine(sync_url(url))
    try:
        return {column["name"] for column in sa.inspect(engine).get_columns(table)}
    finally:
        engine.dispose()


def _round_trip(url: str) -> None:
    upgrade(url)
    assert _tables(url) == TABLES
    for table in Base.metadata.sorted_tables:
        assert _columns(url, table.name) == {c.name for c in table.columns}, table.name
    command.downgrade(alembic_config(url), "0001")
    assert _tables(url) == {"tickets", "ticket_messages", "ticket_counters", "alembic_version"}
    assert "assigned_agent_id" not in _columns(url, "tickets")
    command.downgrade(alembic_config(url), "base")
    upgrade(url)
    assert _tables(url) == TABLES


def test_sqlite_migrations_round_trip(tmp_path):
    _round_trip(f"sqlite+aiosqlite:///{tmp_path / 'desk.db'}")


def test_postgres_migrations_round_trip(postgres_url):
    # Migrations run with the synchronous psycopg2 driver, so no async driver is needed here.
    _round_trip(postgres_url)
