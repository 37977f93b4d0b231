"""Deliveries carry a kind; ratings of the bot's own answers stand without a ticket.

Deliveries: ``reply`` (an agent's answer) or ``resolved`` (the ticket was resolved).
Ratings: ``ticket_id`` becomes optional and ``sender_id`` names the conversation.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""
import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("deliveries") as batch:
        batch.add_column(sa.Column("kind", sa.String(10), nullable=False, server_default="reply"))
    with op.batch_alter_table("ratings") as batch:
        batch.alter_column("ticket_id", existing_type=sa.Integer(), nullable=True)
        batch.add_column(sa.Column("sender_id", sa.String(200), nullable=True))
        batch.create_index("ix_ratings_sender_id", ["sender_id"])


def downgrade() -> None:
    with op.batch_alter_table("ratings") as batch:
        batch.drop_index("ix_ratings_sender_id")
        batch.drop_column("sender_id")
    op.execute("DELETE FROM ratings WHERE ticket_id IS NULL")
    with op.batch_alter_table("ratings") as batch:
        batch.alter_column("ticket_id", existing_type=sa.Integer(), nullable=False)
    with op.batch_alter_table("deliveries") as batch:
        batch.drop_column("kind")
