"""SQLAlchemy tables of the demo order system."""

from __future__ import annotations

from sqlalchemy import JSON, Column, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import declarative_base, relationship

Base = declarative_base()


class OrderRow(Base):
    """An order."""

    __tablename__ = "orders"

    number = Column(String(30), primary_key=True)
    customer_id = Column(String(100), nullable=False, index=True)
    customer_name = Column(String(100), nullable=False)
    customer_phone = Column(String(30), nullable=False)
    store_name = Column(String(200), nullable=False)
    store_phone = Column(String(30), nullable=False, default="")
    status = Column(String(10), nullable=False)
    ordered_at = Column(DateTime(timezone=True), nullable=False)
    estimated_arrival = Column(DateTime(timezone=True), nullable=True)
    delivered_at = Column(DateTime(timezone=True), nullable=True)
    address = Column(String(500), nullable=False)
    items = Column(JSON, nullable=False, default=list)

    payments = relationship(
        "PaymentRow", order_by="PaymentRow.id", cascade="all, delete-orphan", lazy="selectin"
    )


class PaymentRow(Base):
    """A payment record of an order."""

    __tablename__ = "order_payments"

    id = Column(Integer, primary_key=True)
    order_number = Column(ForeignKey("orders.number", ondelete="CASCADE"), nullable=False, index=True)
    method = Column(String(40), nullable=False)
    amount = Column(Integer, nullable=False)
    approved_at = Column(DateTime(timezone=True), nullable=False)
    state = Column(String(10), nullable=False)
    settled_at = Column(DateTime(timezone=True), nullable=True)
