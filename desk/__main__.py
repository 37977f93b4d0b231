"""Command line of the desk.

``python -m desk migrate``, ``python -m desk serve`` and
``python -m desk create-agent EMAIL NAME`` (password from DESK_AGENT_PASSWORD
or a prompt). ``migrate`` and ``serve`` also create the demo agent when
DESK_DEMO_AGENT_EMAIL and DESK_DEMO_AGENT_PASSWORD are set.
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import logging
import os
import sys
from typing import Optional, Sequence

from desk.config import ConfigError, DemoAgent, DeskSettings
from support import log_masking

logger = logging.getLogger("desk")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m desk")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("migrate", help="bring the database schema up to date")
    commands.add_parser("serve", help="migrate, then run the desk")
    create = commands.add_parser("create-agent", help="create an agent who can sign in to the console")
    create.add_argument("email")
    create.add_argument("name")
    create.add_argument("--update", action="store_true", help="reset name and password if the agent exists")
    return parser


def _password_from_prompt() -> Optional[str]:
    if not sys.stdin.isatty():
        return None
    first = getpass.getpass("Password: ")
    if first != getpass.getpass("Password again: "):
        print("desk: the passwords differ", file=sys.stderr)
        return None
    return first


def _create_agent(settings: DeskSettings, args: argparse.Namespace) -> int:
    from desk.agents.accounts import save_agent_account
    from desk.agents.service import AgentError

    password = os.environ.get("DESK_AGENT_PASSWORD") or _password_from_prompt()
    if not password:
        print("desk: set DESK_AGENT_PASSWORD or run in a terminal to be asked", file=sys.stderr)
        return 2
    try:
        agent_id, created = asyncio.run(
            save_agent_account(settings.database_url, args.email, args.name, password, args.update)
        )
    except AgentError as exc:
        print(f"desk: {exc}", file=sys.stderr)
        return 1
    print(f"agent {agent_id} {'created' if created else 'updated'}")
    return 0


def _ensure_demo_agent(settings: DeskSettings) -> None:
    demo = DemoAgent.from_env()
    if demo is None:
        return
    from desk.agents.accounts import save_agent_account

    agent_id, created = asyncio.run(
        save_agent_account(settings.database_url, demo.email, demo.name, demo.password, update=True)
    )
    logger.info("demo agent %s %s", agent_id, "created" if created else "ready")


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Run a desk command; returns the process exit code."""
    args = _parser().parse_args(argv)
    level = os.environ.get("DESK_LOG_LEVEL", "INFO").strip().upper() or "INFO"
    if level not in LOG_LEVELS:
        print(f"desk: DESK_LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}, got {level!r}", file=sys.stderr)
        return 2
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
    log_masking.install()  # personal data never reaches a log line (support/pii.py)
    try:
        settings = DeskSettings.from_env()
    except ConfigError as exc:
        print(f"desk: {exc}", file=sys.stderr)
        return 2
    from desk.migrate import upgrade

    upgrade(settings.database_url)
    if args.command == "create-agent":
        return _create_agent(settings, args)
    try:
        _ensure_demo_agent(settings)
    except ValueError as exc:
        print(f"desk: demo agent: {exc}", file=sys.stderr)
        return 2
    if args.command == "serve":
        from desk.app import create_app

        create_app(settings).run(host=settings.host, port=settings.port, access_log=False, workers=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
