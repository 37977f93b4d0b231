"""Fixtures for action tests: the action server's services on real SQLite files, the demo orders seeded."""

from __future__ import annotations

from pathlib import Path

import pytest

from action_services import started_services
from actions import services as running_services


@pytest.fixture
async def services(tmp_path: Path):
    """The running services of a test (the desk unreachable)."""
    started = await started_services(tmp_path)
    yield started
    await running_services.stop()


@pytest.fixture
async def services_with_desk(tmp_path: Path, desk_server):
    """The running services of a test, with the session's real desk."""
    started = await started_services(tmp_path, desk_server["url"], desk_server["token"])
    yield started
    await running_services.stop()


@pytest.fixture
def orders(services):
    """The order repository holding the shipped demo orders (times relative to now)."""
    return services.orders


@pytest.fixture
def checks(services):
    """The store of ownership checks."""
    return services.checks
