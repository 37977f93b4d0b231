"""Tables of the desk: tickets, their message thread, and per-day numbering."""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import JSON, Column, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import declarative_base, relationship

Base = declarative_base()


def utcnow() -> datetime:
    """The current time, timezone-aware in UTC."""
    return datetime.now(timezone.utc)


class Ticket(Base):
    """A customer's request that a person has to handle."""

    __tablename__ = "tickets"

    id = Column(Integer, primary_key=True)
    number = Column(String(20), nullable=False, unique=True)
    idempotency_key = Column(String(200), nullable=True, unique=True)
    category = Column(String(20), nullable=False, index=True)
    priority = Column(String(10), nullable=False, index=True)
    status = Column(String(20), nullable=False, default="new", index=True)
    channel = Column(String(40), nullable=False)
    sender_id = Column(String(200), nullable=False, index=True)
    customer_id = Column(String(100), nullable=True)
    order_number = Column(String(30), nullable=True, index=True)
    problem_time = Column(DateTime(timezone=True), nullable=True)
    requested_resolution = Column(String(40), nullable=True)
    payment_details = Column(JSON, nullable=True)
    summary = Column(Text, nullable=False, default="")
    sla_due_at = Column(DateTime(timezone=True), nullable=False)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    updated_at = Column(DateTime(timezone=True), nullable=False, default=utcnow, onupdate=utcnow)

    messages = relationship(
        "TicketMessage",
        back_populates="ticket",
        order_by="TicketMessage.id",
        cascade="all, delete-orphan",
    )


class TicketMessage(Base):
    """One line of a ticket's thread: said by the customer, the bot, an agent or the system."""

    __tablename__ = "ticket_messages"

    id = Column(Integer, primary_key=True)
    ticket_id = Column(ForeignKey("tickets.id", ondelete="CASCADE"), nullable=False, index=True)
    author = Column(String(10), nullable=False)
    text = Column(Text, nullable=False)
    sent_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)

    ticket = relationship("Ticket", back_populates="messages")


class TicketCounter(Base):
    """The last ticket sequence number issued on a day (Asia/Seoul)."""

    __tablename__ = "ticket_counters"

    day = Column(String(8), primary_key=True)
    last_seq = Column(Integer, nullable=False)
