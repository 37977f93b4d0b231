"""Settings from the environment and the ``python -m desk`` commands."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from deskkit import AGENT_PASSWORD
from desk.__main__ import main
from desk.agents.passwords import verify_password
from desk.config import ConfigError, DemoAgent, DeskSettings

TOKEN = "0123456789abcdef0123"


def test_defaults_live_under_data_dir(tmp_path):
    settings = DeskSettings.from_env({"DESK_SERVICE_TOKEN": TOKEN, "DATA_DIR": str(tmp_path)})
    assert settings.database_url == f"sqlite+aiosqlite:///{tmp_path / 'desk.db'}"
    assert settings.storage_dir == tmp_path / "uploads"
    assert settings.fetch_allowed_hosts == ("127.0.0.1", "localhost")
    assert settings.session_hours == 8 and settings.cookie_secure is False


def test_settings_from_env(tmp_path):
    settings = DeskSettings.from_env({
        "DESK_SERVICE_TOKEN": TOKEN,
        "DATABASE_URL": "sqlite:///x.db",
        "DESK_STORAGE_DIR": str(tmp_path / "photos"),
        "DESK_FETCH_ALLOWED_HOSTS": " Images.Example.com, cdn.example.com ,",
        "DESK_SESSION_HOURS": "1.5",
        "DESK_COOKIE_SECURE": "true",
    })
    assert settings.database_url == "sqlite+aiosqlite:///x.db"
    assert settings.storage_dir == tmp_path / "photos"
    assert settings.fetch_allowed_hosts == ("images.example.com", "cdn.example.com")
    assert settings.session_hours == 1.5 and settings.cookie_secure is True


@pytest.mark.parametrize(
    "env",
    [
        {},
        {"DESK_SERVICE_TOKEN": "short"},
        {"DESK_SERVICE_TOKEN": TOKEN, "DESK_PORT": "http"},
        {"DESK_SERVICE_TOKEN": TOKEN, "DESK_SESSION_HOURS": "0"},
        {"DESK_SERVICE_TOKEN": TOKEN, "DESK_SESSION_HOURS": "eight"},
        {"DESK_SERVICE_TOKEN": TOKEN, "DATABASE_URL": "desk.db"},
    ],
)
def test_bad_settings_are_refused(env):
    with pytest.raises(ConfigError):
        DeskSettings.from_env(env)


def test_postgres_url_uses_asyncpg():
    env = {"DESK_SERVICE_TOKEN": TOKEN, "DATABASE_URL": "postgresql://postgres@127.0.0.1/test"}
    if importlib.util.find_spec("asyncpg") is None:
        with pytest.raises(ConfigError, match="asyncpg"):
            DeskSettings.from_env(env)
    else:
        assert DeskSettings.from_env(env).database_url.startswith("postgresql+asyncpg://")


def test_demo_agent_needs_email_and_password():
    assert DemoAgent.from_env({"DESK_DEMO_AGENT_EMAIL": "demo@example.com"}) is None
    demo = DemoAgent.from_env({"DESK_DEMO_AGENT_EMAIL": "demo@example.com", "DESK_DEMO_AGENT_PASSWORD": "demo-pass"})
    assert demo.email == "demo@example.com" and demo.name == "데모 상담원"


@pytest.fixture
def env(monkeypatch, tmp_path) -> Path:
    database = tmp_path / "desk.db"
    monkeypatch.setenv("DESK_SERVICE_TOKEN", TOKEN)
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{database}")
    for name in ("DESK_AGENT_PASSWORD", "DESK_DEMO_AGENT_EMAIL", "DESK_DEMO_AGENT_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    return database


def _password_hash(database: Path, email: str):
    import sqlite3

    with sqlite3.connect(database) as connection:
        row = connection.execute("SELECT password_hash, name FROM agents WHERE email = ?", (email,)).fetchone()
    return row


def test_create_agent(env, monkeypatch, capsys):
    monkeypatch.setenv("DESK_AGENT_PASSWORD", AGENT_PASSWORD)
    assert main(["create-agent", "Kim@Example.com", "김상담"]) == 0
    assert "created" in capsys.readouterr().out
    stored, name = _password_hash(env, "kim@example.com")
    assert name == "김상담" and verify_password(AGENT_PASSWORD, stored)
    assert AGENT_PASSWORD not in stored
    assert main(["create-agent", "kim@example.com", "김상담"]) == 1
    monkeypatch.setenv("DESK_AGENT_PASSWORD", "another-password")
    assert main(["create-agent", "kim@example.com", "김상담", "--update"]) == 0
    assert verify_password("another-password", _password_hash(env, "kim@example.com")[0])


@pytest.mark.parametrize("args, password", [(["create-agent", "bad-email", "X"], AGENT_PASSWORD),
                                            (["create-agent", "a@example.com", "X"], "short")])
def test_create_agent_refuses_bad_input(env, monkeypatch, args, password):
    monkeypatch.setenv("DESK_AGENT_PASSWORD", password)
    assert main(args) == 1


def test_create_agent_without_a_password_and_no_terminal(env, monkeypatch):
    monkeypatch.setattr("sys.stdin.isatty", lambda: False, raising=False)
    assert main(["create-agent", "a@example.com", "X"]) == 2


def test_migrate_ensures_the_demo_agent(env, monkeypatch):
    monkeypatch.setenv("DESK_DEMO_AGENT_EMAIL", "demo@example.com")
    monkeypatch.setenv("DESK_DEMO_AGENT_PASSWORD", "demo-password")
    assert main(["migrate"]) == 0
    assert main(["migrate"]) == 0
    assert verify_password("demo-password", _password_hash(env, "demo@example.com")[0])
