"""Public ticket numbers: ``T-YYYYMMDD-NNNN``, counted per day in Asia/Seoul."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from desk.models import TicketCounter
from support.korean_time import SEOUL


def _upsert_statement(dialect_name: str, day: str):
    insert = postgresql.insert if dialect_name == "postgresql" else sqlite.insert
    statement = insert(TicketCounter).values(day=day, last_seq=1)
    return statement.on_conflict_do_update(
        index_elements=[TicketCounter.day],
        set_={"last_seq": TicketCounter.last_seq + 1},
    )


async def next_ticket_number(session: AsyncSession, now: datetime) -> str:
    """Reserve the next number of ``now``'s day inside the session's transaction.

    The counter row is incremented with ``INSERT … ON CONFLICT DO UPDATE``, which
    locks it until the transaction ends, and then read back in the same
    transaction, so concurrent requests never receive the same number.
    """
    day = now.astimezone(SEOUL).strftime("%Y%m%d")
    await session.execute(_upsert_statement(session.bind.dialect.name, day))
    seq = await session.scalar(select(TicketCounter.last_seq).where(TicketCounter.day == day))
    return f"T-{day}-{seq:04d}"
