"""Load orders from a YAML file: ``python -m orders.seed FILE``.

The file format (README, "Demo orders"):

.. code-block:: yaml

    orders:
      - number: ORD-261122-0001          # canonical order number
        customer: {id: cust-001, name: 김민지, phone: 010-1234-5678}
        store: {name: 행복치킨 강남점, phone: 02-555-1234}
        items: [{name: 후라이드치킨, quantity: 1, price: 20000}]
        status: 배달중                    # 접수 | 조리중 | 배달중 | 배달완료 | 취소
        ordered_at: -50m                  # ISO 8601, or relative to load time: -50m, -2h, +10m, -1d
        estimated_arrival: -10m           # optional
        delivered_at: null                # optional
        address: 서울시 강남구 테헤란로 123
        payments:
          - {method: 카드, amount: 23000, approved_at: -50m, state: approved}  # approved | cancelled | refunded
"""

from __future__ import annotations

import argparse
import asyncio
import re
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Dict, List, Optional

import yaml

from orders.model import PAYMENT_STATES, STATUSES, Order, OrderItem, Payment
from orders.sql import SqlOrderRepository, default_orders_url
from support.order_numbers import is_canonical

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_FILE = ROOT / "seeds" / "demo_orders.yml"
_RELATIVE = re.compile(r"^([+-])(\d+)([mhd])$")
_UNITS = {"m": "minutes", "h": "hours", "d": "days"}


class SeedError(ValueError):
    """The seed file is not in the documented format."""


def parse_when(value: Any, now: datetime, where: str) -> Optional[datetime]:
    """An ISO 8601 timestamp or a relative time such as ``-50m``."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=timezone.utc)
    text = str(value).strip()
    relative = _RELATIVE.match(text)
    if relative:
        sign, amount, unit = relative.groups()
        delta = timedelta(**{_UNITS[unit]: int(amount)})
        return now + delta if sign == "+" else now - delta
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError as exc:
        raise SeedError(f"{where}: {text!r} is neither ISO 8601 nor a relative time like -50m") from exc
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def _require(mapping: Dict[str, Any], key: str, where: str) -> Any:
    if not isinstance(mapping, dict) or mapping.get(key) in (None, ""):
        raise SeedError(f"{where}: '{key}' is required")
    return mapping[key]


def _whole_number(value: Any, what: str, where: str) -> int:
    """``value`` as a non-negative integer (``20000``, ``"20000"``), else a SeedError naming the place."""
    if isinstance(value, bool) or not isinstance(value, (int, str)) or not str(value).strip().isdigit():
        raise SeedError(f"{where}: {what} must be a whole number of won or pieces, not {value!r}")
    return int(value)


def _item(raw: Any, where: str) -> OrderItem:
    name = _require(raw, "name", where)
    return OrderItem(
        name=str(name),
        quantity=_whole_number(raw.get("quantity", 1), "quantity", where),
        price=_whole_number(raw.get("price", 0), "price", where),
    )


def _list(raw: Dict[str, Any], key: str, where: str) -> List[Any]:
    value = raw.get(key) or []
    if not isinstance(value, list):
        raise SeedError(f"{where}: '{key}' must be a list")
    return value


def parse_order(raw: Dict[str, Any], now: datetime, index: int) -> Order:
    """One order from its YAML mapping, validated."""
    where = f"orders[{index}]"
    if not isinstance(raw, dict):
        raise SeedError(f"{where}: each order must be a mapping")
    number = str(_require(raw, "number", where))
    if not is_canonical(number):
        raise SeedError(f"{where}: number {number!r} is not in the form ORD-YYMMDD-NNNN")
    where = f"order {number}"
    status = _require(raw, "status", where)
    if status not in STATUSES:
        raise SeedError(f"{where}: status must be one of {', '.join(STATUSES)}")
    customer = _require(raw, "customer", where)
    store = _require(raw, "store", where)
    payments = []
    for i, p in enumerate(_list(raw, "payments", where)):
        at = f"{where} payments[{i}]"
        state = _require(p, "state", at)
        if state not in PAYMENT_STATES:
            raise SeedError(f"{at}: state must be one of {', '.join(PAYMENT_STATES)}")
        payments.append(
            Payment(
                method=str(_require(p, "method", at)),
                amount=_whole_number(_require(p, "amount", at), "amount", at),
                approved_at=parse_when(_require(p, "approved_at", at), now, at),
                state=state,
                settled_at=parse_when(p.get("settled_at"), now, at),
            )
        )
    return Order(
        number=number,
        customer_id=str(_require(customer, "id", f"{where} customer")),
        customer_name=str(_require(customer, "name", f"{where} customer")),
        customer_phone=str(_require(customer, "phone", f"{where} customer")),
        store_name=str(_require(store, "name", f"{where} store")),
        store_phone=str(store.get("phone", "")),
        status=status,
        ordered_at=parse_when(_require(raw, "ordered_at", where), now, where),
        estimated_arrival=parse_when(raw.get("estimated_arrival"), now, where),
        delivered_at=parse_when(raw.get("delivered_at"), now, where),
        address=str(_require(raw, "address", where)),
        items=tuple(_item(item, f"{where} items[{i}]") for i, item in enumerate(_list(raw, "items", where))),
        payments=tuple(payments),
    )


def load_orders(path: Path, now: Optional[datetime] = None) -> List[Order]:
    """Every order of a seed file, validated; relative times resolved against ``now``."""
    now = now or datetime.now(timezone.utc)
    try:
        document = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise SeedError(f"cannot read {path}: {exc}") from exc
    if not isinstance(document, dict) or not isinstance(document.get("orders"), list):
        raise SeedError(f"{path}: the top level must be a mapping with a list 'orders'")
    return [parse_order(raw, now, i) for i, raw in enumerate(document["orders"])]


async def seed(path: Path, database_url: str) -> int:
    """Load ``path`` into the database; returns the number of orders."""
    orders = load_orders(path)
    repository = SqlOrderRepository(database_url)
    try:
        await repository.create_schema()
        await repository.replace(orders)
    finally:
        await repository.close()
    return len(orders)


def main(argv=None) -> int:
    """Command line: ``python -m orders.seed [FILE] [--database-url URL]``."""
    parser = argparse.ArgumentParser(prog="python -m orders.seed", description="Load demo orders from YAML.")
    parser.add_argument("file", nargs="?", default=str(DEFAULT_FILE))
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args(argv)
    url = args.database_url or default_orders_url()
    if url.startswith("sqlite"):
        Path(url.split("///", 1)[1]).parent.mkdir(parents=True, exist_ok=True)
    try:
        count = asyncio.run(seed(Path(args.file), url))
    except SeedError as exc:
        print(f"seed: {exc}", file=sys.stderr)
        return 2
    print(f"loaded {count} orders from {args.file}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
