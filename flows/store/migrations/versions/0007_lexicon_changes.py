"""The editors' desk: the record of lexicon changes made from the app (who, when, which station, what).

Revision ID: desk1
Revises: 0006_report
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "desk1"
down_revision = "0006_report"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "lexicon_changes",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.Column("actor", sa.String(100), nullable=False),
        sa.Column("station_id", sa.String(100), nullable=True),
        sa.Column("table", sa.String(30), nullable=False),
        sa.Column("written", sa.Text, nullable=False),
        sa.Column("spoken", sa.Text, nullable=False),
        sa.Column("previous", sa.Text, nullable=True),
    )


def downgrade() -> None:
    op.drop_table("lexicon_changes")
