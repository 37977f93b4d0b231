"""Tickets carry the order change the customer asked for and why the bot handed over.

``requested_change``: a cancellation or a change of the order (address, menu,
request note), which an agent carries out; ``handoff_reason``: why the bot
handed over, in the agent's words (an escalation is flagged here).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-07
"""
import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("tickets") as batch:
        batch.add_column(sa.Column("requested_change", sa.String(300), nullable=True))
        batch.add_column(sa.Column("handoff_reason", sa.String(120), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("tickets") as batch:
        batch.drop_column("handoff_reason")
        batch.drop_column("requested_change")
