"""Desk settings, read from environment variables (secrets only from there)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Optional

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class ConfigError(RuntimeError):
    """Raised when a required setting is missing or malformed."""


def default_database_url(data_dir: Path) -> str:
    """The embedded default: a SQLite file under the data directory."""
    return f"sqlite+aiosqlite:///{data_dir / 'desk.db'}"


@dataclass(frozen=True)
class DeskSettings:
    """Everything the desk needs to start.

    Attributes:
        database_url: async SQLAlchemy URL (``sqlite+aiosqlite://`` or
            ``postgresql+asyncpg://``).
        service_token: bearer token the action server and Rasa present.
        host: interface to listen on.
        port: port to listen on.
    """

    database_url: str
    service_token: str
    host: str = "127.0.0.1"
    port: int = 5080

    @classmethod
    def from_env(cls, env: Optional[Mapping[str, str]] = None) -> "DeskSettings":
        """Build settings from ``env`` (default: the process environment).

        Raises:
            ConfigError: when the service token is missing or the port is not a number.
        """
        env = os.environ if env is None else env
        data_dir = Path(env.get("DATA_DIR", PROJECT_ROOT / "var"))
        token = env.get("DESK_SERVICE_TOKEN", "").strip()
        if len(token) < 16:
            raise ConfigError(
                "DESK_SERVICE_TOKEN must be set to a secret of at least 16 characters "
                "(make run generates one in var/run.env)."
            )
        port_text = env.get("DESK_PORT", "5080")
        if not port_text.isdigit():
            raise ConfigError(f"DESK_PORT must be a port number, got {port_text!r}")
        return cls(
            database_url=env.get("DATABASE_URL") or default_database_url(data_dir),
            service_token=token,
            host=env.get("DESK_HOST", "127.0.0.1"),
            port=int(port_text),
        )
