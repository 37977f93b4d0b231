"""Fixtures for action tests: the demo orders and the failed-check store in real SQLite files."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from actions.ownership_checks import OwnershipChecks
from orders.seed import DEFAULT_FILE, seed
from orders.sql import SqlOrderRepository
from trackers import IDENTITY_SECRET


@pytest.fixture
async def orders(tmp_path: Path):
    """A repository holding the shipped demo orders (times relative to now)."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'orders.db'}"
    await seed(DEFAULT_FILE, url)
    repository = SqlOrderRepository(url)
    yield repository
    await repository.close()


@pytest.fixture
async def checks(tmp_path: Path):
    """The store of failed ownership checks, in its own SQLite file."""
    store = OwnershipChecks(tmp_path / "checks.db")
    yield store
    await store.close()


@pytest.fixture(autouse=True)
def identity_secret(monkeypatch):
    """The secret channels sign message identities with (``CHAT_JWT_SECRET``), as in a running stack."""
    monkeypatch.setenv("CHAT_JWT_SECRET", IDENTITY_SECRET)
