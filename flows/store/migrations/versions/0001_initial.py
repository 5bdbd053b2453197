"""Initial story store: stories with their history, broadcasts and gathering runs.

Revision ID: 0001
Revises:
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "stories",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("source_id", sa.String(100), nullable=False),
        sa.Column("external_id", sa.String(500), nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("raw_body", sa.Text, nullable=False),
        sa.Column("content_type", sa.String(50), nullable=False),
        sa.Column("link", sa.Text, nullable=False),
        sa.Column("author", sa.Text, nullable=False),
        sa.Column("published_at", sa.DateTime, nullable=True),
        sa.Column("submitted_at", sa.DateTime, nullable=False),
        sa.Column("audience", sa.JSON, nullable=False),
        sa.Column("movements", sa.JSON, nullable=False),
        sa.Column("communes", sa.JSON, nullable=False),
        sa.Column("priority", sa.Integer, nullable=False),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("slug", sa.String(200), nullable=True, unique=True),
        sa.Column("body_html", sa.Text, nullable=True),
        sa.Column("body_text", sa.Text, nullable=True),
        sa.Column("spoken_text", sa.Text, nullable=True),
        sa.Column("fingerprint", sa.String(64), nullable=True),
        sa.Column("duplicate_of", sa.Integer, sa.ForeignKey("stories.id"), nullable=True),
        sa.Column("warnings", sa.JSON, nullable=False),
        sa.Column("failure", sa.Text, nullable=True),
        sa.Column("audio_path", sa.Text, nullable=True),
        sa.Column("portal_published_at", sa.DateTime, nullable=True),
        sa.UniqueConstraint("source_id", "external_id", name="uq_story_source_item"),
    )
    op.create_index("ix_stories_state", "stories", ["state"])
    op.create_index("ix_stories_fingerprint", "stories", ["fingerprint"])
    op.create_table(
        "story_events",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("story_id", sa.Integer, sa.ForeignKey("stories.id"), nullable=False),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.Column("message", sa.Text, nullable=False),
        sa.Column("actor", sa.String(100), nullable=False),
    )
    op.create_index("ix_story_events_story_id", "story_events", ["story_id"])
    op.create_table(
        "broadcasts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("story_id", sa.Integer, sa.ForeignKey("stories.id"), nullable=False),
        sa.Column("station_id", sa.String(100), nullable=False),
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("slot_id", sa.String(50), nullable=False),
        sa.Column("bulletin_path", sa.Text, nullable=False),
        sa.Column("engine", sa.String(50), nullable=False),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("story_id", "station_id", "day", "slot_id", name="uq_broadcast"),
    )
    op.create_index("ix_broadcasts_story_id", "broadcasts", ["story_id"])
    op.create_table(
        "source_runs",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("source_id", sa.String(100), nullable=False),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.Column("gathered", sa.Integer, nullable=False),
        sa.Column("new", sa.Integer, nullable=False),
        sa.Column("known", sa.Integer, nullable=False),
        sa.Column("failed", sa.Integer, nullable=False),
        sa.Column("error", sa.Text, nullable=True),
    )
    op.create_index("ix_source_runs_source_id", "source_runs", ["source_id"])


def downgrade() -> None:
    op.drop_table("source_runs")
    op.drop_table("broadcasts")
    op.drop_table("story_events")
    op.drop_table("stories")
