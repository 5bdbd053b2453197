"""Contributing units' submission keys (kept as SHA-256) and the photos, clips and recordings sent with stories.

Revision ID: 0009_submissions
Revises: 0008_alerts
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0009_submissions"
down_revision = "0008_alerts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "submission_keys",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("source_id", sa.String(100), nullable=False),
        sa.Column("digest", sa.String(64), nullable=False, unique=True),
        sa.Column("tail", sa.String(8), nullable=False),
        sa.Column("issued_at", sa.DateTime, nullable=False),
        sa.Column("issued_by", sa.String(100), nullable=False),
        sa.Column("revoked_at", sa.DateTime, nullable=True),
        sa.Column("revoked_by", sa.String(100), nullable=False),
    )
    op.create_index("ix_submission_keys_source_id", "submission_keys", ["source_id"])
    op.create_table(
        "story_attachments",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("story_id", sa.Integer, sa.ForeignKey("stories.id"), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("path", sa.Text, nullable=False),
        sa.Column("media_type", sa.String(100), nullable=False),
        sa.Column("caption", sa.Text, nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
    )
    op.create_index("ix_story_attachments_story_id", "story_attachments", ["story_id"])


def downgrade() -> None:
    op.drop_index("ix_story_attachments_story_id", "story_attachments")
    op.drop_table("story_attachments")
    op.drop_index("ix_submission_keys_source_id", "submission_keys")
    op.drop_table("submission_keys")
