"""The year-end report: each story's contributing unit, and its movements and communes as countable rows.

Revision ID: 0004_report
Revises: 0003
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_report"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("stories") as batch:
        batch.add_column(sa.Column("unit", sa.String(100), nullable=False, server_default=""))
        batch.create_index("ix_stories_unit", ["unit"])
    tags = op.create_table(
        "story_tags",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("story_id", sa.Integer, sa.ForeignKey("stories.id"), nullable=False, index=True),
        sa.Column("facet", sa.String(20), nullable=False),
        sa.Column("value", sa.String(100), nullable=False),
        sa.UniqueConstraint("story_id", "facet", "value", name="uq_story_tag"),
    )
    op.create_index("ix_story_tags_facet_value", "story_tags", ["facet", "value"])
    # Stories kept before this revision get their rows once, from their lists.
    stories = sa.table("stories", sa.column("id", sa.Integer), sa.column("movements", sa.JSON),
                       sa.column("communes", sa.JSON))
    rows = []
    for story_id, movements, communes in op.get_bind().execute(
            sa.select(stories.c.id, stories.c.movements, stories.c.communes)):
        for facet, values in (("movement", movements), ("commune", communes)):
            for value in dict.fromkeys(values or ()):
                rows.append({"story_id": story_id, "facet": facet, "value": str(value)[:100]})
    if rows:
        op.bulk_insert(tags, rows)


def downgrade() -> None:
    op.drop_index("ix_story_tags_facet_value", table_name="story_tags")
    op.drop_table("story_tags")
    with op.batch_alter_table("stories") as batch:
        batch.drop_index("ix_stories_unit")
        batch.drop_column("unit")
