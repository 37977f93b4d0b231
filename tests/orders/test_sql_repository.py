"""The SQL order repository on a real SQLite file and a real (private) PostgreSQL."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest

from orders.model import CANCELLED, Order, OrderItem, Payment
from orders.sql import SqlOrderRepository

NOW = datetime(2026, 11, 22, 10, 0, tzinfo=timezone.utc)


def order(number: str, customer: str, minutes_ago: int, **changes) -> Order:
    value = Order(
        number=number,
        customer_id=customer,
        customer_name="김고객",
        customer_phone="010-1234-5678",
        store_name="행복치킨",
        store_phone="02-555-0101",
        status="배달중",
        ordered_at=NOW - timedelta(minutes=minutes_ago),
        estimated_arrival=NOW + timedelta(minutes=10),
        delivered_at=None,
        address="서울시 강남구 테헤란로 1",
        items=(OrderItem("후라이드치킨", 1, 20000),),
        payments=(Payment("카드", 23000, NOW - timedelta(minutes=minutes_ago), "approved", None),),
    )
    return replace(value, **changes)


@pytest.fixture(params=["sqlite", "postgresql"])
async def repository(request, tmp_path):
    url = (f"sqlite+aiosqlite:///{tmp_path / 'orders.db'}" if request.param == "sqlite"
           else request.getfixturevalue("postgres_url"))
    repo = SqlOrderRepository(url)
    await repo.create_schema()
    yield repo
    await repo.close()


async def test_an_order_comes_back_as_it_was_stored(repository):
    stored = order("ORD-261122-0001", "cust-1", 30)
    await repository.replace([stored])
    assert await repository.get("ORD-261122-0001") == stored
    assert await repository.get("ORD-261122-0999") is None


async def test_recent_orders_are_the_customers_own_newest_first(repository):
    await repository.replace([
        order("ORD-261122-0001", "cust-1", 300),
        order("ORD-261122-0002", "cust-1", 30),
        order("ORD-261122-0003", "cust-2", 10),
        order("ORD-261122-0004", "cust-1", 120),
        order("ORD-261122-0005", "cust-1", 600),
    ])
    recent = await repository.recent_for_customer("cust-1")
    assert [o.number for o in recent] == ["ORD-261122-0002", "ORD-261122-0004", "ORD-261122-0001"]
    assert await repository.recent_for_customer("cust-404") == []


async def test_replacing_an_order_keeps_one_copy_with_the_new_values(repository):
    await repository.replace([order("ORD-261122-0001", "cust-1", 30)])
    changed = order("ORD-261122-0001", "cust-1", 30, status=CANCELLED, payments=(
        Payment("카드", 23000, NOW, "approved", None), Payment("카드", 23000, NOW, "cancelled", NOW),
    ))
    await repository.replace([changed])
    assert await repository.get("ORD-261122-0001") == changed
    assert [o.number for o in await repository.recent_for_customer("cust-1", limit=10)] == ["ORD-261122-0001"]
