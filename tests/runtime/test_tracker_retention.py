"""Old conversations leave the tracker store whole; live ones stay whole (real SQLite and PostgreSQL)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Iterator, List

import pytest
from rasa.core.tracker_store import TrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from runtime.tracker_retention import main, prune
from runtime.tracker_store import ResilientSQLTrackerStore

DAY = 86400.0
NOW = time.time()


def conversation(sender: str, *days_ago: float) -> DialogueStateTracker:
    """A tracker with one customer message, bot answer and listen per ``days_ago``."""
    events: List = []
    for ago in days_ago:
        at = NOW - ago * DAY
        events += [
            UserUttered("배달이 너무 늦어요 010-1234-5678", timestamp=at),
            BotUttered("주문번호를 알려 주세요.", timestamp=at + 1),
            ActionExecuted("action_listen", timestamp=at + 2),
        ]
    return DialogueStateTracker.from_events(sender, events)


async def fill(store: ResilientSQLTrackerStore) -> None:
    await store.save(conversation("old", 45, 40))
    await store.save(conversation("recent", 2))
    await store.save(conversation("long-running", 90, 1))  # started long ago, still going on


async def events_of(store: ResilientSQLTrackerStore, sender: str) -> int:
    tracker = await store.retrieve_full_tracker(sender)
    return 0 if tracker is None else len([e for e in tracker.events if isinstance(e, UserUttered)])


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request, tmp_path: Path) -> Iterator[ResilientSQLTrackerStore]:
    if request.param == "sqlite":
        yield ResilientSQLTrackerStore(Domain.empty(), dialect="sqlite", db=str(tmp_path / "tracker.db"))
        return
    postgres = request.getfixturevalue("postgres")
    name = postgres.create_database("tracker_retention")
    store = ResilientSQLTrackerStore(
        Domain.empty(), dialect="postgresql", host="127.0.0.1", port=postgres.port, username="postgres", db=name
    )
    yield store
    store.engine.dispose()
    postgres.drop_database(name)


async def test_only_conversations_idle_past_the_period_are_deleted_whole(store):
    await fill(store)
    result = prune(store.engine, 30 * DAY, now=NOW)
    assert (result.conversations, result.events) == (1, 6)
    assert await events_of(store, "old") == 0
    assert await events_of(store, "recent") == 1
    assert await events_of(store, "long-running") == 2, "a live conversation keeps even its oldest events"


async def test_a_dry_run_counts_and_deletes_nothing(store):
    await fill(store)
    result = prune(store.engine, 30 * DAY, dry_run=True, now=NOW)
    assert (result.conversations, result.events) == (1, 6)
    assert await events_of(store, "old") == 2
    assert prune(store.engine, 100 * DAY, dry_run=True, now=NOW).conversations == 0


@pytest.mark.parametrize("seconds", [3600, 0, -DAY, float("nan"), float("inf")])
def test_a_period_that_is_not_a_number_of_days_is_refused(tmp_path, seconds):
    store = ResilientSQLTrackerStore(Domain.empty(), dialect="sqlite", db=str(tmp_path / "tracker.db"))
    with pytest.raises(ValueError):
        prune(store.engine, seconds)


async def test_the_command_prunes_the_store_of_an_endpoints_file(tmp_path, monkeypatch, capsys):
    db = tmp_path / "tracker.db"
    endpoints = tmp_path / "endpoints.yml"
    endpoints.write_text(
        "tracker_store:\n  type: runtime.tracker_store.ResilientSQLTrackerStore\n  dialect: sqlite\n  db: ${TEST_TRACKER_DB}\n"
    )
    monkeypatch.setenv("TEST_TRACKER_DB", str(db))
    store = TrackerStore.create(EndpointConfig.from_dict({
        "type": "runtime.tracker_store.ResilientSQLTrackerStore", "dialect": "sqlite", "db": str(db),
    }), Domain.empty())
    await fill(store)

    assert main(["--days", "30", "--endpoints", str(endpoints), "--dry-run"]) == 0
    assert "would delete 1 conversations (6 events)" in capsys.readouterr().out
    assert await events_of(store, "old") == 2

    assert main(["--days", "30", "--endpoints", str(endpoints)]) == 0
    assert "deleted 1 conversations (6 events)" in capsys.readouterr().out
    assert await events_of(store, "old") == 0 and await events_of(store, "recent") == 1


def test_the_command_explains_a_store_it_cannot_open_and_creates_none(tmp_path, monkeypatch, capsys):
    assert main(["--endpoints", str(tmp_path / "missing.yml")]) == 2
    error = capsys.readouterr().err
    assert "cannot open the tracker store" in error and "does not exist" in error, "not endpoints.yml instead"

    endpoints = tmp_path / "endpoints.yml"
    endpoints.write_text("tracker_store:\n  type: sql\n  dialect: sqlite\n  db: ${TEST_TRACKER_DB}\n")
    monkeypatch.setenv("TEST_TRACKER_DB", str(tmp_path / "typo.db"))
    assert main(["--endpoints", str(endpoints), "--dry-run"]) == 2
    assert "no tracker database" in capsys.readouterr().err
    assert not (tmp_path / "typo.db").exists(), "a mistyped path is not created"

    (tmp_path / "other.db").write_bytes(b"")  # a database, but not Rasa's
    monkeypatch.setenv("TEST_TRACKER_DB", str(tmp_path / "other.db"))
    assert main(["--endpoints", str(endpoints)]) == 2
    assert "has no events table" in capsys.readouterr().err

    endpoints.write_text("tracker_store:\n  type: redis\n  url: localhost\n")
    assert main(["--endpoints", str(endpoints)]) == 2
    assert "no SQL tracker store" in capsys.readouterr().err


@pytest.mark.parametrize("days", ["0", "0.5", "nan", "-3", "lots"])
def test_the_command_refuses_a_period_that_is_not_a_number_of_days(days):
    with pytest.raises(SystemExit) as refused:
        main(["--days", days])
    assert refused.value.code == 2


async def test_the_command_reads_the_production_style_settings(store, tmp_path, monkeypatch, capsys):
    url = store.engine.url
    endpoints = tmp_path / "endpoints.yml"
    if url.get_backend_name() == "sqlite":
        endpoints.write_text(f"tracker_store:\n  type: sql\n  dialect: sqlite\n  db: {url.database}\n")
    else:  # as deploy/endpoints.prod.yml: host in url, the password's variable in password_env
        monkeypatch.setenv("TEST_PG_PASSWORD", "")
        endpoints.write_text(
            "tracker_store:\n  type: runtime.tracker_store.ResilientSQLTrackerStore\n  dialect: postgresql\n"
            f"  url: {url.host}\n  port: {url.port}\n  username: {url.username}\n  password_env: TEST_PG_PASSWORD\n"
            f"  db: {url.database}\n  login_db: postgres\n"
        )
    await fill(store)
    assert main(["--days", "30", "--endpoints", str(endpoints)]) == 0
    assert "deleted 1 conversations (6 events)" in capsys.readouterr().out
    assert await events_of(store, "old") == 0 and await events_of(store, "long-running") == 2
