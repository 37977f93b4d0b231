"""A desk app on a fresh, migrated SQLite file for each test, and helpers to sign in."""

from __future__ import annotations

import shutil

import pytest
from sanic import Sanic

from desk.app import create_app
from desk.config import DeskSettings
from desk.migrate import upgrade

Sanic.test_mode = True
TOKEN = "test-token-0123456789abcdef"


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory):
    """A SQLite file migrated once per session; each test gets a copy."""
    path = tmp_path_factory.mktemp("template") / "desk.db"
    upgrade(f"sqlite+aiosqlite:///{path}")
    return path


@pytest.fixture
def settings(tmp_path, migrated_template) -> DeskSettings:
    shutil.copyfile(migrated_template, tmp_path / "desk.db")
    url = f"sqlite+aiosqlite:///{tmp_path / 'desk.db'}"
    return DeskSettings(database_url=url, service_token=TOKEN, storage_dir=tmp_path / "uploads")


@pytest.fixture
def desk_app(settings, tmp_path):
    return create_app(settings, name=f"desk_{tmp_path.name}")


@pytest.fixture
def auth():
    return {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture
async def agent(settings) -> int:
    """The id of an agent (see deskkit.AGENT_EMAIL / AGENT_PASSWORD)."""
    from deskkit import make_agent

    return await make_agent(settings.database_url)


@pytest.fixture
async def session_headers(desk_app, agent):
    """Headers with a signed-in agent's session cookie."""
    from deskkit import sign_in

    return await sign_in(desk_app)


DEMO_EMAIL = "demo-agent@example.com"
DEMO_PASSWORD = "demo-password-1234"


@pytest.fixture(scope="module")
def console_desk(processes, tmp_path_factory):
    """A real ``python -m desk serve`` on a free port, with a demo agent and its own files."""
    from processes import start_desk

    desk = start_desk(processes, tmp_path_factory.mktemp("console-desk"), TOKEN,
                      {"email": DEMO_EMAIL, "password": DEMO_PASSWORD})
    yield {"url": desk["url"], "token": TOKEN, "email": DEMO_EMAIL, "password": DEMO_PASSWORD}
    processes.stop(desk["name"])


@pytest.fixture(scope="module")
def impatient_desk(processes, tmp_path_factory):
    """A desk that gives a reply up at its first failed push (its age is already over)."""
    from processes import start_desk

    desk = start_desk(processes, tmp_path_factory.mktemp("impatient-desk"), TOKEN,
                      {"email": DEMO_EMAIL, "password": DEMO_PASSWORD}, {"DESK_DELIVERY_MAX_AGE_SECONDS": "0.001"})
    yield {"url": desk["url"], "token": TOKEN, "email": DEMO_EMAIL, "password": DEMO_PASSWORD}
    processes.stop(desk["name"])
