"""Delete old conversations from Rasa's SQL tracker store (personal data is not kept forever).

The tracker store keeps every event of every conversation, customer text unmasked
(Rasa needs it; docs/personal-data.md). This removes whole conversations whose
newest event is older than the retention period, never part of one, so a
conversation still going on is untouched however long ago it started. Tickets at
the desk keep their own (masked) copy of what the agent needs.

    python -m runtime.tracker_retention --days 30                  # endpoints.yml
    python -m runtime.tracker_retention --days 30 --dry-run        # count only
    python -m runtime.tracker_retention --days 30 --endpoints deploy/endpoints.prod.yml

The tracker database is read from the endpoints file (environment variables
filled in, as Rasa does), SQLite or PostgreSQL; the tool never creates a database
or a table, and says so when there is none. ``make prune-conversations`` runs it
(``DAYS``, default 30; ``DRY_RUN=1``; ``PROFILE=prod``). Run it nightly (cron, a
systemd timer) while Rasa runs: each deletion checks the newest event again in
the same statement, so a customer who writes meanwhile keeps the conversation.
Only a message whose turn is under way at that very moment (Rasa stores a turn
when it ends) brings its session back into the store.
"""

from __future__ import annotations

import argparse
import logging
import math
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import List, Optional

import sqlalchemy as sa

logger = logging.getLogger(__name__)

MIN_DAYS = 1
BATCH = 500  # conversations deleted per transaction


@dataclass(frozen=True)
class PruneResult:
    """What a run removed (or, in a dry run, would remove)."""

    conversations: int
    events: int


def _events_table() -> sa.Table:
    from rasa.core.tracker_store import SQLTrackerStore

    return SQLTrackerStore.SQLEvent.__table__


def _check_period(older_than_seconds: float) -> None:
    if not math.isfinite(older_than_seconds) or older_than_seconds < MIN_DAYS * 86400:
        raise ValueError(f"the retention period must be a number of days, at least {MIN_DAYS}")


def prune(engine: sa.engine.Engine, older_than_seconds: float, dry_run: bool = False,
          now: Optional[float] = None) -> PruneResult:
    """Delete every conversation whose newest event is older than ``older_than_seconds``.

    Raises:
        ValueError: a retention period that is not a number or under one day (it would
            delete live conversations).
    """
    _check_period(older_than_seconds)
    cutoff = (time.time() if now is None else now) - older_than_seconds
    events = _events_table()

    def idle(among: Optional[List[str]] = None) -> sa.sql.Select:
        query = sa.select(events.c.sender_id)
        if among is not None:
            query = query.where(events.c.sender_id.in_(among))
        return query.group_by(events.c.sender_id).having(sa.func.max(events.c.timestamp) < cutoff)

    with engine.connect() as connection:
        senders: List[str] = [row[0] for row in connection.execute(idle())]
    if not senders:
        return PruneResult(conversations=0, events=0)
    if dry_run:
        with engine.connect() as connection:
            count = connection.execute(
                sa.select(sa.func.count()).select_from(events).where(events.c.sender_id.in_(idle()))
            ).scalar_one()
        return PruneResult(conversations=len(senders), events=int(count))
    conversations = deleted = 0
    for start in range(0, len(senders), BATCH):
        batch = senders[start : start + BATCH]
        with engine.begin() as connection:
            # one statement that checks the newest event again: a customer who wrote meanwhile
            # keeps the whole conversation
            result = connection.execute(sa.delete(events).where(events.c.sender_id.in_(idle(batch))))
            deleted += result.rowcount or 0
            kept = connection.execute(
                sa.select(sa.func.count(sa.distinct(events.c.sender_id))).where(events.c.sender_id.in_(batch))
            ).scalar_one()
            conversations += len(batch) - int(kept)
    logger.info("tracker retention: %d conversations (%d events) deleted", conversations, deleted)
    return PruneResult(conversations=conversations, events=deleted)


SQL_STORE_TYPES = ("sql", "runtime.tracker_store.ResilientSQLTrackerStore")


def _engine_from_endpoints(path: str) -> sa.engine.Engine:
    """An engine on the tracker database configured in ``path``; never creates a database or a table.

    Raises:
        ValueError: no such file, no SQL tracker store in it, or its database has no conversations table.
    """
    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.core.utils import read_endpoints_from_path

    if not Path(path).is_file():  # Rasa would quietly read endpoints.yml instead
        raise ValueError(f"{path} does not exist")
    config = read_endpoints_from_path(path).tracker_store
    if config is None or (config.type or "").lower() not in (t.lower() for t in SQL_STORE_TYPES):
        raise ValueError(f"{path} configures no SQL tracker store")
    settings = dict(config.kwargs)
    dialect = settings.get("dialect", "sqlite")
    db = str(settings.get("db", "rasa.db"))
    password = settings.get("password")
    if settings.get("password_env"):
        password = os.environ.get(settings["password_env"]) or None
    if dialect == "sqlite" and not Path(db).is_file():
        raise ValueError(f"no tracker database at {db}")
    url = SQLTrackerStore.get_db_url(
        dialect, config.url, settings.get("port"), db, settings.get("username"), password,
        query=settings.get("query"),
    )
    connect_args = {"connect_timeout": 10} if dialect.startswith("postgresql") else {}
    engine = sa.create_engine(url, connect_args=connect_args)
    try:
        has_events = sa.inspect(engine).has_table(_events_table().name)
    except Exception:
        engine.dispose()
        raise
    if not has_events:
        engine.dispose()
        raise ValueError(f"the tracker database {db} has no {_events_table().name} table")
    return engine


def main(argv: Optional[List[str]] = None) -> int:
    """Command line: prune the tracker store of an endpoints file; exit 2 on bad arguments."""
    parser = argparse.ArgumentParser(prog="python -m runtime.tracker_retention", description=__doc__.split("\n")[0])
    parser.add_argument("--days", type=float, default=30.0, help="keep conversations active within this many days")
    parser.add_argument("--endpoints", default="endpoints.yml", help="Rasa's endpoints file (default: endpoints.yml)")
    parser.add_argument("--dry-run", action="store_true", help="count what would be deleted, delete nothing")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    if not math.isfinite(args.days) or args.days < MIN_DAYS:
        parser.error(f"--days must be a number of days, at least {MIN_DAYS}")
    try:
        engine = _engine_from_endpoints(args.endpoints)
    except Exception as error:  # noqa: BLE001 - a clear message, not a traceback
        print(f"tracker_retention: cannot open the tracker store of {args.endpoints}: {error}", file=sys.stderr)
        return 2
    try:
        result = prune(engine, args.days * 86400, dry_run=args.dry_run)
    finally:
        engine.dispose()
    verb = "would delete" if args.dry_run else "deleted"
    print(f"tracker_retention: {verb} {result.conversations} conversations ({result.events} events) "
          f"idle for more than {args.days:g} days")
    return 0


if __name__ == "__main__":
    sys.exit(main())
