"""Tables of the desk: tickets and their thread, agents, photos, deliveries and ratings."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Optional

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import declarative_base, relationship

from contract.vocabulary import (
    MAX_CHANNEL, MAX_CUSTOMER_ID, MAX_EMAIL, MAX_HANDOFF_REASON, MAX_IDEMPOTENCY_KEY, MAX_ORDER_NUMBER, MAX_REQUESTED_CHANGE,
    MAX_RESOLUTION, MAX_SENDER_ID, MAX_TICKET_NUMBER,
)
from sqlalchemy.types import TypeDecorator

Base = declarative_base()


def utcnow() -> datetime:
    """The current time, timezone-aware in UTC."""
    return datetime.now(timezone.utc)


class UtcDateTime(TypeDecorator):
    """A timestamp stored in UTC and always read back timezone-aware.

    SQLite keeps no offset, so values are converted to UTC before they are
    stored; naive values are taken to be UTC already.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: Optional[datetime], dialect) -> Optional[datetime]:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        value = value.astimezone(timezone.utc)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Optional[datetime], dialect) -> Optional[datetime]:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


class Ticket(Base):
    """A customer's request that a person has to handle."""

    __tablename__ = "tickets"

    id = Column(Integer, primary_key=True)
    number = Column(String(MAX_TICKET_NUMBER), nullable=False, unique=True)
    idempotency_key = Column(String(MAX_IDEMPOTENCY_KEY), nullable=True, unique=True)
    category = Column(String(20), nullable=False, index=True)
    priority = Column(String(10), nullable=False, index=True)
    status = Column(String(20), nullable=False, default="new", index=True)
    channel = Column(String(MAX_CHANNEL), nullable=False)
    sender_id = Column(String(MAX_SENDER_ID), nullable=False, index=True)
    customer_id = Column(String(MAX_CUSTOMER_ID), nullable=True)
    order_number = Column(String(MAX_ORDER_NUMBER), nullable=True, index=True)
    problem_time = Column(UtcDateTime, nullable=True)
    requested_resolution = Column(String(MAX_RESOLUTION), nullable=True)
    requested_change = Column(String(MAX_REQUESTED_CHANGE), nullable=True)
    handoff_reason = Column(String(MAX_HANDOFF_REASON), nullable=True)
    # where the customer asked for a copy of the conversation and the agents' replies (desk/notify/)
    notify_email = Column(String(MAX_EMAIL), nullable=True)
    payment_details = Column(JSON, nullable=True)
    summary = Column(Text, nullable=False, default="")
    sla_due_at = Column(UtcDateTime, nullable=False)
    assigned_agent_id = Column(
        ForeignKey("agents.id", ondelete="SET NULL", name="fk_tickets_assigned_agent"),
        nullable=True,
        index=True,
    )
    resolved_at = Column(UtcDateTime, nullable=True)
    closed_at = Column(UtcDateTime, nullable=True)
    created_at = Column(UtcDateTime, nullable=False, default=utcnow)
    updated_at = Column(UtcDateTime, nullable=False, default=utcnow, onupdate=utcnow)

    messages = relationship(
        "TicketMessage",
        back_populates="ticket",
        order_by="TicketMessage.id",
        cascade="all, delete-orphan",
    )
    assigned_agent = relationship("Agent")
    attachments = relationship("Attachment", back_populates="ticket", order_by="Attachment.created_at")
    rating = relationship("Rating", back_populates="ticket", uselist=False)


class TicketMessage(Base):
    """One line of a ticket's thread: said by the customer, the bot, an agent or the system."""

    __tablename__ = "ticket_messages"
    __table_args__ = (
        UniqueConstraint("ticket_id", "idempotency_key", name="uq_ticket_messages_idempotency"),
    )

    id = Column(Integer, primary_key=True)
    ticket_id = Column(ForeignKey("tickets.id", ondelete="CASCADE"), nullable=False, index=True)
    author = Column(String(10), nullable=False)
    text = Column(Text, nullable=False)
    sent_at = Column(UtcDateTime, nullable=False, default=utcnow)
    agent_id = Column(
        ForeignKey("agents.id", ondelete="SET NULL", name="fk_ticket_messages_agent"), nullable=True
    )
    idempotency_key = Column(String(MAX_IDEMPOTENCY_KEY), nullable=True)

    ticket = relationship("Ticket", back_populates="messages")
    agent = relationship("Agent")


class TicketCounter(Base):
    """The last ticket sequence number issued on a day (Asia/Seoul)."""

    __tablename__ = "ticket_counters"

    day = Column(String(8), primary_key=True)
    last_seq = Column(Integer, nullable=False)


class Agent(Base):
    """A person who works on tickets in the console."""

    __tablename__ = "agents"

    id = Column(Integer, primary_key=True)
    email = Column(String(254), nullable=False, unique=True)
    name = Column(String(100), nullable=False)
    password_hash = Column(String(200), nullable=False)
    is_active = Column(Boolean, nullable=False, default=True)
    created_at = Column(UtcDateTime, nullable=False, default=utcnow)


class AgentSession(Base):
    """A signed-in browser; only the SHA-256 of the cookie's token is stored."""

    __tablename__ = "agent_sessions"

    token_hash = Column(String(64), primary_key=True)
    agent_id = Column(ForeignKey("agents.id", ondelete="CASCADE"), nullable=False, index=True)
    created_at = Column(UtcDateTime, nullable=False, default=utcnow)
    expires_at = Column(UtcDateTime, nullable=False, index=True)

    agent = relationship("Agent")


class Attachment(Base):
    """A customer's photo, re-encoded and stored under a random id, with a thumbnail."""

    __tablename__ = "attachments"

    id = Column(String(64), primary_key=True)
    ticket_id = Column(ForeignKey("tickets.id", ondelete="SET NULL"), nullable=True, index=True)
    content_type = Column(String(30), nullable=False)
    width = Column(Integer, nullable=False)
    height = Column(Integer, nullable=False)
    size_bytes = Column(Integer, nullable=False)
    thumbnail_content_type = Column(String(30), nullable=False)
    source = Column(String(10), nullable=False)
    created_at = Column(UtcDateTime, nullable=False, default=utcnow)

    ticket = relationship("Ticket", back_populates="attachments")


class Delivery(Base):
    """Outbox row: an agent's reply waiting to be delivered to the customer through Rasa."""

    __tablename__ = "deliveries"

    id = Column(Integer, primary_key=True)
    ticket_id = Column(ForeignKey("tickets.id", ondelete="CASCADE"), nullable=False, index=True)
    sender_id = Column(String(MAX_SENDER_ID), nullable=False)
    channel = Column(String(40), nullable=False)
    kind = Column(String(10), nullable=False, default="reply", server_default="reply")
    text = Column(Text, nullable=False)
    created_at = Column(UtcDateTime, nullable=False, default=utcnow)
    delivered_at = Column(UtcDateTime, nullable=True, index=True)
    attempts = Column(Integer, nullable=False, default=0)
    # a failed push is tried again not before this time (desk/deliveries/retry.py); null: now
    next_attempt_at = Column(UtcDateTime, nullable=True)
    # too old to try again: agents see it as not delivered
    given_up_at = Column(UtcDateTime, nullable=True)

    ticket = relationship("Ticket")


class Notification(Base):
    """Outbox row: a message to a customer outside the chat, sent by the notifier (desk/notify/).

    ``channel`` ``email`` (a copy of the conversation, an agent's reply, to ``address``) or
    ``kakao`` (a KakaoTalk event that tells the user ``address`` a reply is waiting).
    """

    __tablename__ = "notifications"

    id = Column(Integer, primary_key=True)
    ticket_id = Column(ForeignKey("tickets.id", ondelete="CASCADE"), nullable=False, index=True)
    channel = Column(String(10), nullable=False)
    address = Column(String(MAX_EMAIL), nullable=False)
    subject = Column(String(200), nullable=False, default="")
    body = Column(Text, nullable=False)
    created_at = Column(UtcDateTime, nullable=False, default=utcnow)
    sent_at = Column(UtcDateTime, nullable=True, index=True)
    attempts = Column(Integer, nullable=False, default=0)
    next_attempt_at = Column(UtcDateTime, nullable=True)
    given_up_at = Column(UtcDateTime, nullable=True)

    ticket = relationship("Ticket")


class Rating(Base):
    """A customer's satisfaction (1–5) with a ticket, or with the bot's own answer (no ticket)."""

    __tablename__ = "ratings"
    __table_args__ = (CheckConstraint("rating BETWEEN 1 AND 5", name="ck_ratings_range"),)

    id = Column(Integer, primary_key=True)
    ticket_id = Column(ForeignKey("tickets.id", ondelete="CASCADE"), nullable=True, unique=True)
    sender_id = Column(String(MAX_SENDER_ID), nullable=True, index=True)
    rating = Column(Integer, nullable=False)
    comment = Column(Text, nullable=True)
    created_at = Column(UtcDateTime, nullable=False, default=utcnow)

    ticket = relationship("Ticket", back_populates="rating")
