"""The messages to customers outside the chat, waiting to be sent, on the database:
queued, sent, failed (back-off), given up."""

from __future__ import annotations

from datetime import datetime
from typing import List, Optional, Sequence

from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from desk.deliveries.retry import RetryPolicy
from desk.models import Notification, Ticket, utcnow
from support import conversation_ids

EMAIL = "email"
KAKAO = "kakao"


def enqueue_email(session: AsyncSession, ticket: Ticket, subject: str, body: str) -> Optional[Notification]:
    """Add (not commit) an e-mail to the ticket's customer; None when she left no address."""
    if not ticket.notify_email:
        return None
    return _add(session, ticket, EMAIL, ticket.notify_email, subject, body)


def enqueue_kakao(session: AsyncSession, ticket: Ticket, text: str) -> Optional[Notification]:
    """Add (not commit) a KakaoTalk event to the ticket's customer; None when the ticket is not a
    KakaoTalk conversation whose user id is known (a hashed id cannot be written to)."""
    if ticket.channel != KAKAO:
        return None
    user = conversation_ids.local_id(ticket.sender_id, conversation_ids.KAKAO)
    if not user or user.startswith("sha256-"):
        return None
    return _add(session, ticket, KAKAO, user, "", text)


def _add(session: AsyncSession, ticket: Ticket, channel: str, address: str, subject: str, body: str) -> Notification:
    notification = Notification(
        ticket_id=ticket.id, channel=channel, address=address, subject=subject, body=body, created_at=utcnow(),
        attempts=0,
    )
    session.add(notification)
    return notification


async def due(
    session: AsyncSession, limit: int, channels: Sequence[str], now: Optional[datetime] = None
) -> List[Notification]:
    """Unsent messages of ``channels`` whose next try is due, oldest first; given-up ones never come back."""
    now = now or utcnow()
    query = (
        select(Notification)
        .where(
            Notification.sent_at.is_(None),
            Notification.given_up_at.is_(None),
            Notification.channel.in_(list(channels)),
            or_(Notification.next_attempt_at.is_(None), Notification.next_attempt_at <= now),
        )
        .order_by(Notification.id)
        .limit(limit)
    )
    return list((await session.scalars(query)).all())


async def mark_sent(session: AsyncSession, notification_id: int) -> None:
    """Record that the channel took the message."""
    await session.execute(
        update(Notification)
        .where(Notification.id == notification_id, Notification.sent_at.is_(None))
        .values(sent_at=utcnow(), attempts=Notification.attempts + 1)
        .execution_options(synchronize_session=False)
    )
    await session.commit()


async def mark_failed(
    session: AsyncSession, notification: Notification, policy: RetryPolicy, give_up: bool = False
) -> bool:
    """Count a failed try: the next waits (``policy``); too old, or refused for good, it is given up.

    Returns whether it was given up.
    """
    values = policy.after_failure(notification.attempts + 1, notification.created_at, utcnow(), give_up)
    await session.execute(
        update(Notification)
        .where(Notification.id == notification.id, Notification.sent_at.is_(None))
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    await session.commit()
    return "given_up_at" in values
