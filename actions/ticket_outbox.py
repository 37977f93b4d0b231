"""Tickets waiting for the desk: nothing is lost when the desk is down.

When the desk cannot be reached at handoff time, the ticket (with its
idempotency key) is kept in a small SQLite file next to the action server and
sent again until the desk takes it; the key makes sure it is created exactly
once. The desk then tells the customer the ticket number (``notify_customer``),
on push channels at once, on request/response channels with their next message.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Dict, List, Optional

import aiosqlite

from actions.desk_client import DeskClient, DeskRejected, DeskUnavailable

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = """
CREATE TABLE IF NOT EXISTS pending_tickets (
    idempotency_key TEXT PRIMARY KEY,
    sender_id TEXT NOT NULL,
    payload TEXT NOT NULL,
    queued_at TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    ticket_number TEXT
)
"""


def default_path() -> Path:
    """``TICKET_OUTBOX_DB``, or ``ticket-outbox.db`` in the data directory."""
    if os.environ.get("TICKET_OUTBOX_DB"):
        return Path(os.environ["TICKET_OUTBOX_DB"])
    data_dir = Path(os.environ.get("DATA_DIR", ROOT / "var"))
    return (data_dir if data_dir.is_absolute() else ROOT / data_dir) / "ticket-outbox.db"


class TicketOutbox:
    """A durable queue of tickets the desk has not accepted yet."""

    def __init__(self, path: Optional[Path] = None) -> None:
        self.path = Path(path or default_path())
        self._lock = asyncio.Lock()

    async def _connect(self) -> aiosqlite.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        connection = await aiosqlite.connect(self.path)
        await connection.execute(SCHEMA)
        return connection

    async def keep(self, payload: Dict[str, Any], idempotency_key: str) -> None:
        """Store a ticket for later (once per key)."""
        connection = await self._connect()
        try:
            await connection.execute(
                "INSERT OR IGNORE INTO pending_tickets (idempotency_key, sender_id, payload, queued_at) "
                "VALUES (?, ?, ?, ?)",
                (idempotency_key, payload["sender_id"], json.dumps({**payload, "notify_customer": True}),
                 datetime.now(timezone.utc).isoformat()),
            )
            await connection.commit()
        finally:
            await connection.close()
        logger.warning("ticket for conversation %s kept in the outbox (desk down)", payload["sender_id"])

    async def pending(self, sender_id: Optional[str] = None) -> List[Dict[str, Any]]:
        """Tickets not yet created, oldest first."""
        connection = await self._connect()
        try:
            query = "SELECT idempotency_key, payload FROM pending_tickets WHERE ticket_number IS NULL"
            args: tuple = ()
            if sender_id is not None:
                query += " AND sender_id = ?"
                args = (sender_id,)
            rows = await (await connection.execute(query + " ORDER BY queued_at", args)).fetchall()
        finally:
            await connection.close()
        return [{"key": key, "payload": json.loads(payload)} for key, payload in rows]

    async def append_line(self, sender_id: str, text: str, sent_at: Optional[str]) -> None:
        """Add a customer message to the transcript of the sender's queued tickets."""
        connection = await self._connect()
        try:
            rows = await (await connection.execute(
                "SELECT idempotency_key, payload FROM pending_tickets WHERE sender_id = ? AND ticket_number IS NULL",
                (sender_id,),
            )).fetchall()
            for key, raw in rows:
                payload = json.loads(raw)
                payload.setdefault("transcript", []).append({"author": "customer", "text": text, "sent_at": sent_at})
                await connection.execute(
                    "UPDATE pending_tickets SET payload = ? WHERE idempotency_key = ?", (json.dumps(payload), key)
                )
            await connection.commit()
        finally:
            await connection.close()

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
                await self._mark(row["key"], number=ticket["number"])
                logger.info("queued ticket of conversation %s created as %s", row["payload"]["sender_id"], ticket["number"])
                created.append(ticket["number"])
        return created

    async def _mark(self, key: str, number: str) -> None:
        connection = await self._connect()
        try:
            await connection.execute(
                "UPDATE pending_tickets SET ticket_number = ?, attempts = attempts + 1 WHERE idempotency_key = ?",
                (number, key),
            )
            await connection.commit()
        finally:
            await connection.close()

    async def _count_attempt(self, key: str) -> None:
        connection = await self._connect()
        try:
            await connection.execute(
                "UPDATE pending_tickets SET attempts = attempts + 1 WHERE idempotency_key = ?", (key,)
            )
            await connection.commit()
        finally:
            await connection.close()


_outbox: Optional[TicketOutbox] = None


def ticket_outbox() -> TicketOutbox:
    """The process-wide outbox."""
    global _outbox
    if _outbox is None:
        _outbox = TicketOutbox()
    return _outbox


async def keep_flushing(client_factory, interval: float = 5.0) -> None:
    """Retry queued tickets every ``interval`` seconds until cancelled."""
    while True:
        try:
            await ticket_outbox().flush(client_factory())
        except asyncio.CancelledError:
            raise
        except Exception:  # keep retrying through any hiccup
            logger.exception("ticket outbox round failed")
        await asyncio.sleep(interval)
