"""The seed loader: the documented format, relative times, and a clear refusal of anything else."""

from __future__ import annotations

import subprocess
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from orders.model import APPROVED, DELIVERED, STATUSES
from orders.seed import DEFAULT_FILE, SeedError, load_orders
from processes import BIN, ROOT

NOW = datetime(2026, 11, 22, 19, 0, tzinfo=timezone.utc)

GOOD = """
orders:
  - number: ORD-261122-0001
    customer: {id: cust-9, name: 테스트, phone: 010-0000-1111}
    store: {name: 테스트분식, phone: 02-000-0000}
    items: [{name: 떡볶이, quantity: 2, price: 7000}]
    status: 배달완료
    ordered_at: -50m
    estimated_arrival: -10m
    delivered_at: 2026-11-22T18:55:00+09:00
    address: 서울시 어딘가
    payments:
      - {method: 카드, amount: 17000, approved_at: -50m, state: approved}
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "orders.yml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_documented_format_loads_with_relative_and_absolute_times(tmp_path):
    (order,) = load_orders(write(tmp_path, GOOD), now=NOW)
    assert order.number == "ORD-261122-0001" and order.status == DELIVERED
    assert order.ordered_at == NOW - timedelta(minutes=50)
    assert order.estimated_arrival == NOW - timedelta(minutes=10)
    assert order.delivered_at == datetime(2026, 11, 22, 9, 55, tzinfo=timezone.utc)
    assert [(i.name, i.quantity, i.price) for i in order.items] == [("떡볶이", 2, 7000)]
    assert [(p.amount, p.state) for p in order.payments] == [(17000, APPROVED)]


def test_the_shipped_demo_orders_load():
    orders = load_orders(DEFAULT_FILE)
    assert len(orders) == len({o.number for o in orders}) >= 11
    assert {o.status for o in orders} <= set(STATUSES)


@pytest.mark.parametrize(
    "change, names",
    [
        (("number: ORD-261122-0001", "number: 12345"), "orders[0]: number"),
        (("status: 배달완료", "status: 도착"), "order ORD-261122-0001: status must be one of"),
        (("ordered_at: -50m", "ordered_at: yesterday"), "order ORD-261122-0001: 'yesterday'"),
        (("amount: 17000", "amount: 만원"), "order ORD-261122-0001 payments[0]: amount"),
        (("amount: 17000", "amount: -5"), "payments[0]: amount"),
        (("state: approved", "state: paid"), "payments[0]: state must be one of"),
        (("price: 7000", "price: 칠천"), "order ORD-261122-0001 items[0]: price"),
        (("{name: 떡볶이, quantity: 2, price: 7000}", "떡볶이"), "items[0]: 'name' is required"),
        (("items: [{name: 떡볶이, quantity: 2, price: 7000}]", "items: 떡볶이"), "'items' must be a list"),
        (("customer: {id: cust-9, name: 테스트, phone: 010-0000-1111}", "customer: 테스트"), "customer: 'id'"),
        (("store: {name: 테스트분식, phone: 02-000-0000}", "store: 분식"), "store: 'name' is required"),
        (("    address: 서울시 어딘가\n", ""), "'address' is required"),
    ],
)
def test_a_malformed_order_is_refused_naming_the_order_and_field(tmp_path, change, names):
    old, new = change
    assert old in GOOD
    with pytest.raises(SeedError) as refused:
        load_orders(write(tmp_path, GOOD.replace(old, new)), now=NOW)
    assert names in str(refused.value)


@pytest.mark.parametrize("text", ["orders: nope", "- a list\n", "orders:\n  - just text\n", "key: [unclosed\n", ""])
def test_a_file_of_another_shape_is_refused(tmp_path, text):
    with pytest.raises(SeedError):
        load_orders(write(tmp_path, text), now=NOW)


def test_the_command_says_what_is_wrong_and_exits_non_zero(tmp_path):
    path = write(tmp_path, GOOD.replace("amount: 17000", "amount: lots"))
    url = f"sqlite+aiosqlite:///{tmp_path / 'orders.db'}"
    done = subprocess.run([str(BIN / "python"), "-m", "orders.seed", str(path), "--database-url", url],
                          cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "payments[0]: amount must be a whole number" in done.stderr and "Traceback" not in done.stderr
