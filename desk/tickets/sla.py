"""How long each priority may wait for a first answer."""

from __future__ import annotations

from datetime import datetime, timedelta

SLA_BY_PRIORITY = {
    "urgent": timedelta(minutes=15),
    "high": timedelta(hours=1),
    "normal": timedelta(hours=4),
    "low": timedelta(hours=24),
}


def sla_due(priority: str, created_at: datetime) -> datetime:
    """When a ticket of ``priority`` opened at ``created_at`` must be answered."""
    return created_at + SLA_BY_PRIORITY[priority]
