"""Command line of the desk: ``python -m desk migrate`` and ``python -m desk serve``."""

from __future__ import annotations

import argparse
import logging
import sys

from desk.config import ConfigError, DeskSettings


def main(argv=None) -> int:
    """Run a desk command; returns the process exit code."""
    parser = argparse.ArgumentParser(prog="python -m desk")
    parser.add_argument("command", choices=["migrate", "serve"])
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    try:
        settings = DeskSettings.from_env()
    except ConfigError as exc:
        print(f"desk: {exc}", file=sys.stderr)
        return 2
    from desk.migrate import upgrade

    upgrade(settings.database_url)
    if args.command == "serve":
        from desk.app import create_app

        create_app(settings).run(
            host=settings.host, port=settings.port, access_log=False, workers=1
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
