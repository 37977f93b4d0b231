"""OrderRepository on any SQLAlchemy database (async)."""

from __future__ import annotations

import os
from datetime import datetime, timezone
from pathlib import Path
from typing import List, Optional

from sqlalchemy import select
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, create_async_engine
from sqlalchemy.orm import sessionmaker

from orders.model import Order, OrderItem, Payment
from orders.tables import Base, OrderRow, PaymentRow


ROOT = Path(__file__).resolve().parent.parent


def default_orders_url(env=os.environ) -> str:
    """``ORDERS_DATABASE_URL``, or a SQLite file under the data directory."""
    data_dir = Path(env.get("DATA_DIR", ROOT / "var"))
    if not data_dir.is_absolute():
        data_dir = ROOT / data_dir
    return env.get("ORDERS_DATABASE_URL") or f"sqlite+aiosqlite:///{data_dir / 'orders.db'}"


def as_utc(value: Optional[datetime]) -> Optional[datetime]:
    """Aware UTC datetimes in and out (SQLite forgets the zone)."""
    if value is None:
        return None
    if value.tzinfo is None:
        return value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc)


def to_order(row: OrderRow) -> Order:
    """The immutable domain value of a row."""
    return Order(
        number=row.number,
        customer_id=row.customer_id,
        customer_name=row.customer_name,
        customer_phone=row.customer_phone,
        store_name=row.store_name,
        store_phone=row.store_phone or "",
        status=row.status,
        ordered_at=as_utc(row.ordered_at),
        estimated_arrival=as_utc(row.estimated_arrival),
        delivered_at=as_utc(row.delivered_at),
        address=row.address,
        items=tuple(OrderItem(**item) for item in row.items or []),
        payments=tuple(
            Payment(
                method=p.method,
                amount=p.amount,
                approved_at=as_utc(p.approved_at),
                state=p.state,
                settled_at=as_utc(p.settled_at),
            )
            for p in row.payments
        ),
    )


def to_row(order: Order) -> OrderRow:
    """A row for a domain value."""
    return OrderRow(
        number=order.number,
        customer_id=order.customer_id,
        customer_name=order.customer_name,
        customer_phone=order.customer_phone,
        store_name=order.store_name,
        store_phone=order.store_phone,
        status=order.status,
        ordered_at=as_utc(order.ordered_at),
        estimated_arrival=as_utc(order.estimated_arrival),
        delivered_at=as_utc(order.delivered_at),
        address=order.address,
        items=[{"name": i.name, "quantity": i.quantity, "price": i.price} for i in order.items],
        payments=[
            PaymentRow(
                method=p.method,
                amount=p.amount,
                approved_at=as_utc(p.approved_at),
                state=p.state,
                settled_at=as_utc(p.settled_at),
            )
            for p in order.payments
        ],
    )


class SqlOrderRepository:
    """Orders in a SQL database; one pooled engine per repository."""

    def __init__(self, database_url: str) -> None:
        url = make_url(database_url)
        options = {"pool_pre_ping": True}
        if url.get_backend_name() != "sqlite":
            options.update(pool_recycle=1800, pool_size=5, max_overflow=10)
        self.engine: AsyncEngine = create_async_engine(database_url, **options)
        self._sessions = sessionmaker(self.engine, class_=AsyncSession, expire_on_commit=False)

    async def create_schema(self) -> None:
        """Create the tables if they do not exist (a stand-in for the platform's own)."""
        async with self.engine.begin() as connection:
            await connection.run_sync(Base.metadata.create_all)

    async def get(self, number: str) -> Optional[Order]:
        """The order with this canonical number, or None."""
        async with self._sessions() as session:
            row = await session.get(OrderRow, number)
            return to_order(row) if row is not None else None

    async def recent_for_customer(self, customer_id: str, limit: int = 3) -> List[Order]:
        """The customer's latest orders, newest first."""
        async with self._sessions() as session:
            rows = await session.scalars(
                select(OrderRow)
                .where(OrderRow.customer_id == customer_id)
                .order_by(OrderRow.ordered_at.desc())
                .limit(limit)
            )
            return [to_order(row) for row in rows]

    async def replace(self, orders: List[Order]) -> None:
        """Insert the orders, replacing any with the same numbers (used by the seed)."""
        async with self._sessions() as session:
            async with session.begin():
                for order in orders:
                    existing = await session.get(OrderRow, order.number)
                    if existing is not None:
                        await session.delete(existing)
                await session.flush()
                session.add_all(to_row(order) for order in orders)

    async def close(self) -> None:
        """Dispose of the engine's connections."""
        await self.engine.dispose()
