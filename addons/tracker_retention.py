"""Delete old conversations from Rasa's SQL tracker store (personal data is not kept forever).

The tracker store keeps every event of every conversation, customer text unmasked
(Rasa needs it; docs/personal-data.md). This removes whole conversations whose
newest event is older than the retention period, never part of one, so a
conversation still going on is untouched however long ago it started. Tickets at
the desk keep their own (masked) copy of what the agent needs.

    python -m addons.tracker_retention --days 30                  # endpoints.yml
    python -m addons.tracker_retention --days 30 --dry-run        # count only
    python -m addons.tracker_retention --days 30 --endpoints deploy/endpoints.prod.yml

The store is built from the endpoints file exactly as Rasa builds it (environment
variables filled in), so it works on SQLite and PostgreSQL alike. ``make
prune-conversations`` runs it for the default profile (``DAYS``, default 30).
Run it nightly (cron, a systemd timer); it is safe while Rasa runs.
"""

from __future__ import annotations

import argparse
import logging
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


def prune(engine: sa.engine.Engine, older_than_seconds: float, dry_run: bool = False,
          now: Optional[float] = None) -> PruneResult:
    """Delete every conversation whose newest event is older than ``older_than_seconds``.

    Raises:
        ValueError: a retention period under one day (it would delete live conversations).
    """
    if older_than_seconds < MIN_DAYS * 86400:
        raise ValueError(f"the retention period must be at least {MIN_DAYS} day")
    cutoff = (time.time() if now is None else now) - older_than_seconds
    events = _events_table()
    idle = (
        sa.select(events.c.sender_id)
        .group_by(events.c.sender_id)
        .having(sa.func.max(events.c.timestamp) < cutoff)
    )
    with engine.connect() as connection:
        senders: List[str] = [row[0] for row in connection.execute(idle)]
    if dry_run or not senders:
        with engine.connect() as connection:
            count = connection.execute(
                sa.select(sa.func.count()).select_from(events).where(events.c.sender_id.in_(idle))
            ).scalar_one()
        return PruneResult(conversations=len(senders), events=int(count))
    conversations = deleted = 0
    for start in range(0, len(senders), BATCH):
        batch = senders[start : start + BATCH]
        with engine.begin() as connection:
            # the newest event is checked again: a customer who wrote meanwhile keeps the conversation
            still_idle = [row[0] for row in connection.execute(idle.where(events.c.sender_id.in_(batch)))]
            if still_idle:
                result = connection.execute(sa.delete(events).where(events.c.sender_id.in_(still_idle)))
                deleted += result.rowcount or 0
                conversations += len(still_idle)
    logger.info("tracker retention: %d conversations (%d events) deleted", conversations, deleted)
    return PruneResult(conversations=conversations, events=deleted)


def _engine_from_endpoints(path: str) -> sa.engine.Engine:
    """The SQL engine of the tracker store configured in ``path``, as Rasa builds it."""
    from rasa.core.tracker_store import SQLTrackerStore, TrackerStore
    from rasa.core.utils import read_endpoints_from_path
    from rasa.shared.core.domain import Domain

    if not Path(path).is_file():  # Rasa would quietly read endpoints.yml instead
        raise ValueError(f"{path} does not exist")
    endpoints = read_endpoints_from_path(path)
    if endpoints.tracker_store is None:
        raise ValueError(f"{path} configures no tracker store")
    store = TrackerStore.create(endpoints.tracker_store, Domain.empty())
    if not isinstance(store, SQLTrackerStore):
        raise ValueError(f"{path}: the tracker store is {type(store).__name__}, not an SQL store")
    return store.engine


def main(argv: Optional[List[str]] = None) -> int:
    """Command line: prune the tracker store of an endpoints file; exit 2 on bad arguments."""
    parser = argparse.ArgumentParser(prog="python -m addons.tracker_retention", description=__doc__.split("\n")[0])
    parser.add_argument("--days", type=float, default=30.0, help="keep conversations active within this many days")
    parser.add_argument("--endpoints", default="endpoints.yml", help="Rasa's endpoints file (default: endpoints.yml)")
    parser.add_argument("--dry-run", action="store_true", help="count what would be deleted, delete nothing")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    if args.days < MIN_DAYS:
        parser.error(f"--days must be at least {MIN_DAYS}")
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
