"""Tickets waiting for the desk: nothing is lost when the desk is down.

When the desk cannot be reached at handoff time, the ticket (with its
idempotency key) is kept in the action server's database
(:mod:`actions.action_database`: a SQLite file next to the action server by
default, PostgreSQL shared by all action servers in production) and
sent again until the desk takes it; the key makes sure it is created exactly
once, even when two action servers send the same queued ticket. The desk then tells the customer the ticket number (``notify_customer``),
on push channels at once, on request/response channels with their next message.
"""

from __future__ import annotations

import asyncio
import json
import logging
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Dict, List, Optional, Union

from sqlalchemy import Column, Integer, MetaData, String, Table, Text, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncEngine

from actions.action_database import ActionDatabase
from actions.desk_client import DeskClient, DeskRejected, DeskUnavailable
from contract.vocabulary import MAX_IDEMPOTENCY_KEY, MAX_LINES

logger = logging.getLogger(__name__)

metadata = MetaData()
pending_tickets = Table(
    "pending_tickets",
    metadata,
    Column("idempotency_key", String(MAX_IDEMPOTENCY_KEY), primary_key=True),
    Column("sender_id", String(300), nullable=False, index=True),
    Column("payload", Text, nullable=False),
    Column("queued_at", String(40), nullable=False),
    Column("attempts", Integer, nullable=False, default=0),
    Column("ticket_number", String(40)),
)


class TicketOutbox:
    """A durable queue of tickets the desk has not accepted yet (SQLite or PostgreSQL)."""

    def __init__(self, database: Union[ActionDatabase, str, Path]) -> None:
        """The outbox in ``database`` (the action server's, or a URL or SQLite file of its own)."""
        self.database = database if isinstance(database, ActionDatabase) else ActionDatabase(database)
        self._lock = asyncio.Lock()

    @property
    def url(self) -> str:
        """The database's URL."""
        return self.database.url

    async def _connect(self) -> AsyncEngine:
        """The engine, with the table created on first use."""
        return await self.database.engine(metadata)

    async def close(self) -> None:
        """Release the database connections."""
        await self.database.close()

    async def keep(self, payload: Dict[str, Any], idempotency_key: str) -> None:
        """Store a ticket for later (once per key)."""
        engine = await self._connect()
        row = dict(
            idempotency_key=idempotency_key,
            sender_id=payload["sender_id"],
            payload=json.dumps({**payload, "notify_customer": True}),
            queued_at=datetime.now(timezone.utc).isoformat(),
            attempts=0,
        )
        insert = pg_insert if engine.dialect.name == "postgresql" else sqlite_insert
        async with engine.begin() as connection:
            await connection.execute(insert(pending_tickets).values(**row).on_conflict_do_nothing())
        logger.warning("ticket for conversation %s kept in the outbox (desk down)", payload["sender_id"])

    async def pending(self, sender_id: Optional[str] = None) -> List[Dict[str, Any]]:
        """Tickets not yet created, oldest first."""
        engine = await self._connect()
        query = select(pending_tickets.c.idempotency_key, pending_tickets.c.payload).where(
            pending_tickets.c.ticket_number.is_(None)
        )
        if sender_id is not None:
            query = query.where(pending_tickets.c.sender_id == sender_id)
        async with engine.connect() as connection:
            rows = (await connection.execute(query.order_by(pending_tickets.c.queued_at))).all()
        return [{"key": key, "payload": json.loads(payload)} for key, payload in rows]

    async def append_line(self, sender_id: str, text: str, sent_at: Optional[str]) -> None:
        """Add a customer message to the transcript of the sender's queued tickets."""
        engine = await self._connect()
        async with engine.begin() as connection:
            rows = (await connection.execute(
                select(pending_tickets.c.idempotency_key, pending_tickets.c.payload)
                .where(pending_tickets.c.sender_id == sender_id, pending_tickets.c.ticket_number.is_(None))
                .with_for_update()
            )).all()
            for key, raw in rows:
                payload = json.loads(raw)
                lines = payload.setdefault("transcript", [])
                lines.append({"author": "customer", "text": text, "sent_at": sent_at})
                del lines[:-MAX_LINES]  # the desk takes the latest MAX_LINES lines
                await connection.execute(
                    update(pending_tickets).where(pending_tickets.c.idempotency_key == key)
                    .values(payload=json.dumps(payload))
                )

    async def flush(self, client: DeskClient, sender_id: Optional[str] = None) -> List[str]:
        """Send what is waiting; returns the numbers of the tickets the desk created now."""
        created = []
        async with self._lock:
            for row in await self.pending(sender_id):
                try:
                    ticket = await client.create_ticket(row["payload"], row["key"])
                except DeskRejected as exc:
                    logger.error("queued ticket %s refused by the desk: %s", row["key"], exc)
                    await self._mark(row["key"], number="refused")
                    continue
                except DeskUnavailable:
                    await self._count_attempt(row["key"])
                    break
                await self._mark(row["key"], number=ticket.number)
                logger.info("queued ticket of conversation %s created as %s", row["payload"]["sender_id"], ticket.number)
                created.append(ticket.number)
        return created

    async def _mark(self, key: str, number: str) -> None:
        engine = await self._connect()
        async with engine.begin() as connection:
            await connection.execute(
                update(pending_tickets).where(pending_tickets.c.idempotency_key == key)
                .values(ticket_number=number, attempts=pending_tickets.c.attempts + 1)
            )

    async def _count_attempt(self, key: str) -> None:
        engine = await self._connect()
        async with engine.begin() as connection:
            await connection.execute(
                update(pending_tickets).where(pending_tickets.c.idempotency_key == key)
                .values(attempts=pending_tickets.c.attempts + 1)
            )


async def keep_flushing(outbox: TicketOutbox, desk: DeskClient, interval: float = 5.0) -> None:
    """Retry queued tickets every ``interval`` seconds until cancelled."""
    while True:
        try:
            await outbox.flush(desk)
        except asyncio.CancelledError:
            raise
        except Exception:  # keep retrying through any hiccup
            logger.exception("ticket outbox round failed")
        await asyncio.sleep(interval)
