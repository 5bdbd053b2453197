"""Gathering state per source (conditional GET, last success, last new story), story credits, MinHash bands,
village and unit tags.

Revision ID: gathering1
Revises: 0004
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "gathering1"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "source_state",
        sa.Column("source_id", sa.String(100), primary_key=True),
        sa.Column("etag", sa.Text, nullable=False),
        sa.Column("last_modified", sa.Text, nullable=False),
        sa.Column("first_checked_at", sa.DateTime, nullable=False),
        sa.Column("last_checked_at", sa.DateTime, nullable=False),
        sa.Column("last_success_at", sa.DateTime, nullable=True),
        sa.Column("last_new_at", sa.DateTime, nullable=True),
        sa.Column("failures_in_row", sa.Integer, nullable=False),
    )
    op.create_table(
        "story_credits",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("story_id", sa.Integer, sa.ForeignKey("stories.id"), nullable=False),
        sa.Column("copy_id", sa.Integer, sa.ForeignKey("stories.id"), nullable=False),
        sa.Column("source_id", sa.String(100), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("similarity", sa.Float, nullable=False),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("copy_id", name="uq_story_credit_copy"),
    )
    op.create_index("ix_story_credits_story_id", "story_credits", ["story_id"])
    op.create_table(
        "story_bands",
        sa.Column("story_id", sa.Integer, sa.ForeignKey("stories.id"), primary_key=True),
        sa.Column("band", sa.Integer, primary_key=True),
        sa.Column("bucket", sa.String(16), nullable=False),
    )
    op.create_index("ix_story_bands_bucket", "story_bands", ["band", "bucket"])
    op.create_table(
        "story_tags",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("story_id", sa.Integer, sa.ForeignKey("stories.id"), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("value", sa.String(300), nullable=False),
        sa.Column("label", sa.Text, nullable=False),
        sa.UniqueConstraint("story_id", "kind", "value", name="uq_story_tag"),
    )
    op.create_index("ix_story_tags_story_id", "story_tags", ["story_id"])
    op.create_index("ix_story_tags_value", "story_tags", ["kind", "value"])


def downgrade() -> None:
    op.drop_table("story_tags")
    op.drop_table("story_bands")
    op.drop_table("story_credits")
    op.drop_table("source_state")
