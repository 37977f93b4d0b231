"""Ownership checks counted across conversations and processes, on SQLite and on PostgreSQL."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest

from actions.ownership_checks import OwnershipChecks, Reservation
from actions.business_rules import load_business_rules as business_rules

RULES = replace(business_rules(), failures_per_order=3, failures_per_client=5, verification_window=timedelta(minutes=60))
NOW = datetime(2026, 11, 22, 12, 0, tzinfo=timezone.utc)


@pytest.fixture(params=["sqlite", "postgresql"])
async def store(request, tmp_path):
    if request.param == "sqlite":
        checks = OwnershipChecks(tmp_path / "checks.db", RULES)
        yield checks
        await checks.close()
        return
    checks = OwnershipChecks(request.getfixturevalue("postgres_url"), RULES)
    try:
        yield checks
    finally:
        await checks.close()


async def fail(store, order: str, client: str, now=NOW):
    """One check with wrong digits: its slots are kept."""
    reservation = await store.reserve(order, client, now)
    assert isinstance(reservation, Reservation), reservation
    return reservation


async def test_failures_per_order_lock_the_order_for_everyone(store):
    for client in ("ip:1", "ip:2"):
        await fail(store, "ORD-261122-0101", client)
    assert await store.lockout("ORD-261122-0101", "ip:3", NOW) is None
    await fail(store, "ORD-261122-0101", "ip:3")
    lock = await store.lockout("ORD-261122-0101", "ip:4", NOW)
    assert lock and lock.startswith("order:ORD-261122-0101")
    assert await store.reserve("ORD-261122-0101", "ip:4", NOW) == lock, "no fourth check, from anyone"
    assert await store.lockout("ORD-261122-0102", "ip:4", NOW) is None, "other orders are not locked"


async def test_failures_per_client_lock_the_client_for_every_order(store):
    for index in range(5):
        await fail(store, f"ORD-261122-{index:04d}", "ip:203.0.113.9")
    assert (await store.lockout("ORD-261122-0999", "ip:203.0.113.9", NOW)).startswith("client:")
    assert isinstance(await store.reserve("ORD-261122-0999", "ip:203.0.113.9", NOW), str)
    assert await store.lockout("ORD-261122-0999", "ip:198.51.100.1", NOW) is None


async def test_right_digits_give_their_check_back(store):
    for _ in range(5):
        await store.release(await fail(store, "ORD-261122-0101", "ip:1"))
    assert await store.lockout("ORD-261122-0101", "ip:1", NOW) is None


async def test_checks_run_at_once_never_exceed_the_limit(store):
    """Found by the attack review: 29 wrong guesses and the right one sent at the same moment."""
    results = await asyncio.gather(*[store.reserve("ORD-261122-0103", f"ip:{i}", NOW) for i in range(30)])
    assert sum(isinstance(result, Reservation) for result in results) == RULES.failures_per_order
    results = await asyncio.gather(*[store.reserve(f"ORD-261122-{i:04d}", "ip:racer", NOW) for i in range(30)])
    assert sum(isinstance(result, Reservation) for result in results) == RULES.failures_per_client


async def test_a_check_refused_for_its_client_takes_no_slot_of_the_order(store):
    for index in range(5):
        await fail(store, f"ORD-261122-{index:04d}", "ip:7")
    assert isinstance(await store.reserve("ORD-261122-0500", "ip:7", NOW), str)
    for client in ("ip:1", "ip:2", "ip:3"):
        await fail(store, "ORD-261122-0500", client)  # all three of the order's checks are still free


async def test_the_lock_ends_when_its_window_has_passed(store):
    for client in ("ip:1", "ip:2", "ip:3"):
        await fail(store, "ORD-261122-0101", client)
    assert await store.lockout("ORD-261122-0101", "ip:9", NOW + timedelta(minutes=59))
    assert await store.lockout("ORD-261122-0101", "ip:9", NOW + timedelta(minutes=61)) is None


async def test_a_lock_out_is_claimed_once_however_many_conversations_race_for_it(store):
    claims = await asyncio.gather(*[store.claim("order:ORD-261122-0101:7", f"rest:c{i}", NOW) for i in range(8)])
    assert claims.count(True) == 1


async def test_client_addresses_are_not_stored_in_the_clear(store):
    await fail(store, "ORD-261122-0101", "ip:203.0.113.9")
    engine = await store._connect()
    async with engine.connect() as connection:
        rows = (await connection.exec_driver_sql("SELECT subject FROM ownership_check_slots")).fetchall()
    assert rows and all("203.0.113.9" not in row[0] for row in rows)
