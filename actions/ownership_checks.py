"""Failed ownership checks, counted where every action server sees them, and never more than allowed.

A customer proves an order is theirs with the last four digits of the phone
number it was placed with. Counting wrong answers in one conversation alone
would let anyone start a new conversation for three fresh guesses, so the checks
are also counted in the action server's database (:mod:`actions.action_database`:
a SQLite file by default, PostgreSQL shared by all action servers in production),
per order and per client (:func:`actions.identity.client_of`), in windows of the
policy's length (an hour).

Each order and each client has ``failures_per_order`` / ``failures_per_client``
*slots* per window. A check first takes one slot of each (:meth:`OwnershipChecks.reserve`):
taking a slot is one insert under a primary key, so however many checks run at
once — in one process or in many — no more than the slots are ever taken. Digits
are compared only with both slots held; right digits give the slots back
(:meth:`OwnershipChecks.release`), wrong ones keep them. With no slot left the
order or the client is locked out until the window ends
(:meth:`OwnershipChecks.lockout`), and the first conversation that meets a
lock-out claims it (:meth:`OwnershipChecks.claim`), so a lock-out opens at most
one ticket however many conversations run into it.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import List, Optional, Tuple, Union

from sqlalchemy import Column, Float, Integer, MetaData, String, Table, and_, delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from actions.action_database import ActionDatabase
from actions.business_rules import BusinessRules

logger = logging.getLogger(__name__)

metadata = MetaData()
slots = Table(
    "ownership_check_slots",
    metadata,
    Column("kind", String(10), primary_key=True),  # "order" or "client"
    Column("subject", String(64), primary_key=True),  # the order number, or a digest of the client
    Column("window", Integer, primary_key=True),
    Column("slot", Integer, primary_key=True),
    Column("taken_at", Float, nullable=False, index=True),
)
lockouts = Table(
    "ownership_check_lockouts",
    metadata,
    Column("lock_key", String(120), primary_key=True),
    Column("conversation", String(200), nullable=False),
    Column("claimed_at", Float, nullable=False),
)

Slot = Tuple[str, str, int, int]


def client_digest(client: str) -> str:
    """A client key as stored: a hash, so no address is kept in the clear."""
    return hashlib.sha256(client.encode("utf-8")).hexdigest()[:32]


@dataclass(frozen=True)
class Reservation:
    """The slots one check holds: kept when the digits were wrong, given back when they were right."""

    held: List[Slot]


class OwnershipChecks:
    """Failed ownership checks per order and per client (see the module docstring)."""

    def __init__(self, database: Union[ActionDatabase, str, Path], rules: BusinessRules) -> None:
        """Count in ``database`` (the action server's, or a URL or SQLite file of its own) with ``rules``' limits."""
        self.database = database if isinstance(database, ActionDatabase) else ActionDatabase(database)
        self.rules = rules

    async def _connect(self) -> AsyncEngine:
        return await self.database.engine(metadata)

    async def close(self) -> None:
        """Release the database connections."""
        await self.database.close()

    def _window(self, now: datetime) -> int:
        return int(now.timestamp() // self.rules.verification_window.total_seconds())

    def _subjects(self, order_number: str, client: str) -> List[Tuple[str, str, int]]:
        return [("order", order_number[:64], self.rules.failures_per_order),
                ("client", client_digest(client), self.rules.failures_per_client)]

    async def lockout(self, order_number: str, client: str, now: datetime) -> Optional[str]:
        """The lock-out holding for this order or client: its key, or None when digits may be checked."""
        engine = await self._connect()
        window = self._window(now)
        async with engine.connect() as connection:
            for kind, subject, limit in self._subjects(order_number, client):
                taken = await connection.scalar(
                    select(func.count()).select_from(slots).where(
                        and_(slots.c.kind == kind, slots.c.subject == subject, slots.c.window == window)
                    )
                )
                if taken >= limit:
                    return f"{kind}:{subject}:{window}"
        return None

    async def reserve(self, order_number: str, client: str, now: datetime) -> Union[Reservation, str]:
        """One slot of the order and one of the client, or the key of the lock-out when none is left."""
        engine = await self._connect()
        window = self._window(now)
        held: List[Slot] = []
        for kind, subject, limit in self._subjects(order_number, client):
            taken = await self._take(engine, kind, subject, window, limit, now)
            if taken is None:
                await self._give_back(engine, held)
                return f"{kind}:{subject}:{window}"
            held.append(taken)
        await self._forget_old(engine, now)
        return Reservation(held)

    async def release(self, reservation: Reservation) -> None:
        """The digits were right: the slots do not count as failures."""
        await self._give_back(await self._connect(), reservation.held)

    async def _take(
        self, engine: AsyncEngine, kind: str, subject: str, window: int, limit: int, now: datetime
    ) -> Optional[Slot]:
        """Insert the first free slot (the primary key makes each slot one check's); None when all are taken."""
        async with engine.connect() as connection:
            taken = await connection.scalar(
                select(func.count()).select_from(slots).where(
                    and_(slots.c.kind == kind, slots.c.subject == subject, slots.c.window == window)
                )
            )
        start = min(taken, limit)
        for number in [*range(start, limit), *range(0, start)]:  # from the count on, then any given back
            try:
                async with engine.begin() as connection:
                    await connection.execute(slots.insert().values(
                        kind=kind, subject=subject, window=window, slot=number, taken_at=now.timestamp()
                    ))
                return (kind, subject, window, number)
            except IntegrityError:
                continue
        return None

    @staticmethod
    async def _give_back(engine: AsyncEngine, held: List[Slot]) -> None:
        if not held:
            return
        async with engine.begin() as connection:
            for kind, subject, window, number in held:
                await connection.execute(delete(slots).where(and_(
                    slots.c.kind == kind, slots.c.subject == subject, slots.c.window == window, slots.c.slot == number
                )))

    @staticmethod
    async def _forget_old(engine: AsyncEngine, now: datetime) -> None:
        """Slots older than a day and claims older than a week are of no use any more."""
        async with engine.begin() as connection:
            await connection.execute(delete(slots).where(slots.c.taken_at < (now - timedelta(days=1)).timestamp()))
            await connection.execute(
                delete(lockouts).where(lockouts.c.claimed_at < (now - timedelta(days=7)).timestamp())
            )

    async def claim(self, lock_key: str, conversation: str, now: datetime) -> bool:
        """True for the first conversation that meets this lock-out (it opens the ticket), False after."""
        engine = await self._connect()
        try:
            async with engine.begin() as connection:
                await connection.execute(
                    lockouts.insert().values(lock_key=lock_key[:120], conversation=conversation,
                                             claimed_at=now.timestamp())
                )
        except IntegrityError:
            return False
        return True
