"""Editorial control: air windows, weekdays, stations, review window, hand-set readings, revisions, kind.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("stories") as batch:
        batch.add_column(sa.Column("kind", sa.String(30), nullable=False, server_default="news"))
        batch.add_column(sa.Column("air_from", sa.Date, nullable=True))
        batch.add_column(sa.Column("air_until", sa.Date, nullable=True))
        batch.add_column(sa.Column("air_weekdays", sa.JSON, nullable=True))
        batch.add_column(sa.Column("stations", sa.JSON, nullable=True))
        batch.add_column(sa.Column("review_until", sa.DateTime, nullable=True))
        batch.add_column(sa.Column("spoken_override", sa.Text, nullable=True))
        batch.add_column(sa.Column("revision", sa.Integer, nullable=False, server_default="1"))
        batch.create_index("ix_stories_kind", ["kind"])
    op.create_table(
        "story_revisions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("story_id", sa.Integer, sa.ForeignKey("stories.id"), nullable=False, index=True),
        sa.Column("revision", sa.Integer, nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("body_html", sa.Text, nullable=False),
        sa.Column("body_text", sa.Text, nullable=False),
        sa.Column("spoken_text", sa.Text, nullable=False),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.Column("actor", sa.String(100), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.UniqueConstraint("story_id", "revision", name="uq_story_revision"),
    )


def downgrade() -> None:
    op.drop_table("story_revisions")
    with op.batch_alter_table("stories") as batch:
        batch.drop_index("ix_stories_kind")
        for column in ("revision", "spoken_override", "review_until", "stations", "air_weekdays", "air_until",
                       "air_from", "kind"):
            batch.drop_column(column)
