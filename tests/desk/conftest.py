"""A desk app on a fresh, migrated SQLite file for each test."""

from __future__ import annotations

import pytest
from sanic import Sanic

from desk.app import create_app
from desk.config import DeskSettings
from desk.migrate import upgrade

Sanic.test_mode = True
TOKEN = "test-token-0123456789abcdef"


@pytest.fixture
def desk_app(tmp_path):
    url = f"sqlite+aiosqlite:///{tmp_path / 'desk.db'}"
    upgrade(url)
    return create_app(DeskSettings(database_url=url, service_token=TOKEN), name=f"desk_{tmp_path.name}")


@pytest.fixture
def auth():
    return {"Authorization": f"Bearer {TOKEN}"}
