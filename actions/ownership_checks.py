"""Failed ownership checks, counted where every action server sees them.

A customer proves an order is theirs with the last four digits of the phone
number it was placed with. Counting wrong answers in one conversation alone
would let anyone start a new conversation for three fresh guesses, so every
failure is also kept in the action server's database (the ticket outbox's: a
SQLite file by default, PostgreSQL shared by all action servers in the production
profile), per order and per client (:func:`actions.identity.client_of`). Past
``failures_per_order`` or ``failures_per_client`` failures within the policy's
window, no more digits are checked for that order, or from that client, until the
window has passed (:meth:`OwnershipChecks.lockout`). The first conversation that
meets a lock-out claims it (:meth:`OwnershipChecks.claim`), so a lock-out opens at
most one ticket however many conversations run into it.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from datetime import datetime, timedelta
from pathlib import Path
from typing import Optional, Union

from sqlalchemy import Column, Float, Integer, MetaData, String, Table, and_, delete, func, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from actions.policy import Policy, policy
from actions.ticket_outbox import default_url

logger = logging.getLogger(__name__)

metadata = MetaData()
failures = Table(
    "ownership_check_failures",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("order_number", String(40), nullable=False, index=True),
    Column("client", String(64), nullable=False, index=True),
    Column("failed_at", Float, nullable=False, index=True),
)
lockouts = Table(
    "ownership_check_lockouts",
    metadata,
    Column("lock_key", String(120), primary_key=True),
    Column("conversation", String(200), nullable=False),
    Column("claimed_at", Float, nullable=False),
)


def client_digest(client: str) -> str:
    """A client key as stored: a hash, so no address is kept in the clear."""
    return hashlib.sha256(client.encode("utf-8")).hexdigest()[:32]


class OwnershipChecks:
    """Failed ownership checks per order and per client (see the module docstring)."""

    def __init__(self, location: Union[str, Path, None] = None, rules: Optional[Policy] = None) -> None:
        text = str(location) if location is not None else default_url()
        self.url = text if "://" in text else f"sqlite+aiosqlite:///{text}"
        self._rules = rules
        self._engine: Optional[AsyncEngine] = None
        self._ready = asyncio.Lock()

    @property
    def rules(self) -> Policy:
        """The limits in use."""
        return self._rules or policy()

    async def _connect(self) -> AsyncEngine:
        async with self._ready:
            if self._engine is None:
                url = make_url(self.url)
                if url.get_backend_name() == "sqlite" and url.database:
                    Path(url.database).parent.mkdir(parents=True, exist_ok=True)
                engine = create_async_engine(self.url, pool_pre_ping=True)
                async with engine.begin() as connection:
                    await connection.run_sync(metadata.create_all)
                self._engine = engine
        return self._engine

    async def close(self) -> None:
        """Release the database connections."""
        if self._engine is not None:
            await self._engine.dispose()
            self._engine = None

    def _window_start(self, now: datetime) -> float:
        return (now - self.rules.verification_window).timestamp()

    async def lockout(self, order_number: str, client: str, now: datetime) -> Optional[str]:
        """The lock-out holding for this order or client: its key, or None when digits may be checked."""
        engine = await self._connect()
        since = self._window_start(now)
        digest = client_digest(client)
        async with engine.connect() as connection:
            per_order = await connection.scalar(
                select(func.count()).select_from(failures).where(
                    and_(failures.c.order_number == order_number, failures.c.failed_at > since)
                )
            )
            per_client = await connection.scalar(
                select(func.count()).select_from(failures).where(
                    and_(failures.c.client == digest, failures.c.failed_at > since)
                )
            )
        window = int(now.timestamp() // self.rules.verification_window.total_seconds())
        if per_order >= self.rules.failures_per_order:
            return f"order:{order_number}:{window}"
        if per_client >= self.rules.failures_per_client:
            return f"client:{digest}:{window}"
        return None

    async def record_failure(self, order_number: str, client: str, now: datetime) -> None:
        """Count one wrong answer for this order from this client; forget failures older than a day."""
        engine = await self._connect()
        async with engine.begin() as connection:
            await connection.execute(
                failures.insert().values(order_number=order_number, client=client_digest(client),
                                         failed_at=now.timestamp())
            )
            await connection.execute(delete(failures).where(failures.c.failed_at < (now - timedelta(days=1)).timestamp()))
        logger.info("ownership check failed for an order (counted across conversations)")

    async def claim(self, lock_key: str, conversation: str, now: datetime) -> bool:
        """True for the first conversation that meets this lock-out (it opens the ticket), False after."""
        engine = await self._connect()
        try:
            async with engine.begin() as connection:
                await connection.execute(
                    lockouts.insert().values(lock_key=lock_key[:120], conversation=conversation,
                                             claimed_at=now.timestamp())
                )
                await connection.execute(
                    delete(lockouts).where(lockouts.c.claimed_at < (now - timedelta(days=7)).timestamp())
                )
        except IntegrityError:
            return False
        return True


_checks: Optional[OwnershipChecks] = None


def ownership_checks() -> OwnershipChecks:
    """The process-wide store, opened on first use."""
    global _checks
    if _checks is None:
        _checks = OwnershipChecks()
    return _checks


async def close_ownership_checks() -> None:
    """Close the process-wide store, if it was opened."""
    global _checks
    if _checks is not None:
        await _checks.close()
        _checks = None
