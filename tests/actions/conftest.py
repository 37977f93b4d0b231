"""Fixtures for action tests: the demo orders in a real SQLite file."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from orders.seed import DEFAULT_FILE, seed
from orders.sql import SqlOrderRepository


@pytest.fixture
async def orders(tmp_path: Path):
    """A repository holding the shipped demo orders (times relative to now)."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'orders.db'}"
    await seed(DEFAULT_FILE, url)
    repository = SqlOrderRepository(url)
    yield repository
    await repository.close()
