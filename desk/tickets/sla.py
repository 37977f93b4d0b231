"""How long each priority may wait for a first answer."""

from __future__ import annotations

from datetime import datetime, timedelta

from contract.vocabulary import PRIORITIES

SLA_BY_PRIORITY = {
    "urgent": timedelta(minutes=15),
    "high": timedelta(hours=1),
    "normal": timedelta(hours=4),
    "low": timedelta(hours=24),
}
if tuple(SLA_BY_PRIORITY) != PRIORITIES:
    raise RuntimeError(f"desk/tickets/sla.py: SLAs for {tuple(SLA_BY_PRIORITY)}, the contract's priorities are {PRIORITIES}")


def sla_due(priority: str, created_at: datetime) -> datetime:
    """When a ticket of ``priority`` opened at ``created_at`` must be answered."""
    return created_at + SLA_BY_PRIORITY[priority]
