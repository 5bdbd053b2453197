"""Alerts sent to the newsroom (a failed or late nightly run), remembered so each problem is told once.

Revision ID: 0008_alerts
Revises: desk1
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0008_alerts"
down_revision = "desk1"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "alerts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("key", sa.String(300), nullable=False),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("station_id", sa.String(100), nullable=False, server_default=""),
        sa.Column("day", sa.Date, nullable=True),
        sa.Column("message", sa.Text, nullable=False),
        sa.Column("claimed_at", sa.DateTime, nullable=False),
        sa.Column("sent_at", sa.DateTime, nullable=True),
        sa.Column("channels", sa.Text, nullable=False, server_default=""),
        sa.UniqueConstraint("key", name="uq_alert_key"),
    )


def downgrade() -> None:
    op.drop_table("alerts")
