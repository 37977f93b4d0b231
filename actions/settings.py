"""Everything the action server is configured with, read from the environment in one place."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Optional

from orders.sql import default_orders_url
from contract.agent_proof import proof_key
from support.channel_identity import signing_key

ROOT = Path(__file__).resolve().parent.parent


class SettingsError(ValueError):
    """A setting is malformed; the action server does not start."""


def _action_database_url(env: Mapping[str, str]) -> str:
    """``TICKET_OUTBOX_URL`` (PostgreSQL, shared by every action server in production), else a SQLite file:
    ``TICKET_OUTBOX_DB``, or ``ticket-outbox.db`` in the data directory."""
    if env.get("TICKET_OUTBOX_URL"):
        return env["TICKET_OUTBOX_URL"]
    if env.get("TICKET_OUTBOX_DB"):
        return f"sqlite+aiosqlite:///{Path(env['TICKET_OUTBOX_DB'])}"
    data_dir = Path(env.get("DATA_DIR", ROOT / "var"))
    return f"sqlite+aiosqlite:///{(data_dir if data_dir.is_absolute() else ROOT / data_dir) / 'ticket-outbox.db'}"


def _number(env: Mapping[str, str], name: str, default: str) -> float:
    text = env.get(name, default).strip() or default
    try:
        value = float(text)
    except ValueError as error:
        raise SettingsError(f"{name} must be a number, got {text!r}") from error
    if value <= 0:
        raise SettingsError(f"{name} must be positive, got {text!r}")
    return value


@dataclass(frozen=True)
class ActionSettings:
    """The action server's settings.

    Attributes:
        desk_url: base URL of the desk (``DESK_URL``).
        desk_token: the desk's service token (``DESK_SERVICE_TOKEN``, secret).
        desk_timeout: seconds one desk call may take (``DESK_TIMEOUT``).
        orders_url: the order system's database (``ORDERS_DATABASE_URL``).
        database_url: the action server's own database: the ticket outbox and the ownership
            checks (``TICKET_OUTBOX_URL`` / ``TICKET_OUTBOX_DB``).
        business_rules_file: thresholds, priorities, hours (``BUSINESS_RULES_FILE``).
        identity_key: verifies the identity channels sign into messages (from ``CHAT_JWT_SECRET``).
        agent_proof_key: verifies the desk's proof of agent replies (from ``DESK_SERVICE_TOKEN``).
        action_token: what Rasa must send in ``X-Action-Token`` (``ACTION_SERVER_TOKEN``); None: not checked.
        host, port: where the server listens (``ACTION_HOST``, ``ACTION_PORT``).
        log_level: ``LOG_LEVEL``.
    """

    desk_url: str = "http://127.0.0.1:5080"
    desk_token: str = ""
    desk_timeout: float = 5.0
    orders_url: str = f"sqlite+aiosqlite:///{ROOT / 'var' / 'orders.db'}"
    database_url: str = f"sqlite+aiosqlite:///{ROOT / 'var' / 'ticket-outbox.db'}"
    business_rules_file: Path = ROOT / "business_rules.yml"
    identity_key: Optional[bytes] = None
    agent_proof_key: Optional[bytes] = None
    action_token: Optional[str] = None
    host: str = "127.0.0.1"
    port: int = 5055
    log_level: str = "INFO"

    @classmethod
    def from_env(cls, env: Optional[Mapping[str, str]] = None) -> "ActionSettings":
        """The settings of ``env`` (default: the process environment).

        Raises:
            SettingsError: a malformed number or port.
        """
        env = os.environ if env is None else env
        port_text = env.get("ACTION_PORT", "5055")
        if not port_text.isdigit():
            raise SettingsError(f"ACTION_PORT must be a port number, got {port_text!r}")
        return cls(
            desk_url=env.get("DESK_URL", cls.desk_url).rstrip("/"),
            desk_token=env.get("DESK_SERVICE_TOKEN", ""),
            desk_timeout=_number(env, "DESK_TIMEOUT", "5"),
            orders_url=default_orders_url(env),
            database_url=_action_database_url(env),
            business_rules_file=Path(env.get("BUSINESS_RULES_FILE") or ROOT / "business_rules.yml"),
            identity_key=signing_key(env),
            agent_proof_key=proof_key(env),
            action_token=env.get("ACTION_SERVER_TOKEN") or None,
            host=env.get("ACTION_HOST", "127.0.0.1"),
            port=int(port_text),
            log_level=env.get("LOG_LEVEL", "INFO"),
        )
