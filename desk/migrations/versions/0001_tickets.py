"""Tickets, their message thread and the per-day ticket counter.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""
import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "tickets",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("number", sa.String(20), nullable=False, unique=True),
        sa.Column("idempotency_key", sa.String(200), nullable=True, unique=True),
        sa.Column("category", sa.String(20), nullable=False, index=True),
        sa.Column("priority", sa.String(10), nullable=False, index=True),
        sa.Column("status", sa.String(20), nullable=False, index=True),
        sa.Column("channel", sa.String(40), nullable=False),
        sa.Column("sender_id", sa.String(200), nullable=False, index=True),
        sa.Column("customer_id", sa.String(100), nullable=True),
        sa.Column("order_number", sa.String(30), nullable=True, index=True),
        sa.Column("problem_time", sa.DateTime(timezone=True), nullable=True),
        sa.Column("requested_resolution", sa.String(40), nullable=True),
        sa.Column("payment_details", sa.JSON(), nullable=True),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("sla_due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "ticket_messages",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "ticket_id",
            sa.Integer(),
            sa.ForeignKey("tickets.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("author", sa.String(10), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "ticket_counters",
        sa.Column("day", sa.String(8), primary_key=True),
        sa.Column("last_seq", sa.Integer(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("ticket_counters")
    op.drop_table("ticket_messages")
    op.drop_table("tickets")
