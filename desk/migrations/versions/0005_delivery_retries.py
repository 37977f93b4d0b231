"""Deliveries are retried with back-off and given up when too old.

``next_attempt_at``: not before this time is a failed delivery tried again (null:
at once); ``given_up_at``: the delivery is too old to try again, and agents see it
as not delivered.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-08
"""
import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("deliveries") as batch:
        batch.add_column(sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("given_up_at", sa.DateTime(timezone=True), nullable=True))
    # the pusher before this revision stopped trying a row after 20 failures: those stay given up,
    # never pushed weeks late
    op.execute("UPDATE deliveries SET given_up_at = created_at WHERE delivered_at IS NULL AND attempts >= 20")


def downgrade() -> None:
    with op.batch_alter_table("deliveries") as batch:
        batch.drop_column("given_up_at")
        batch.drop_column("next_attempt_at")
