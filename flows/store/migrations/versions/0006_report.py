"""The year-end report: each story's contributing unit as a column, and its movements and communes as rows of
story_tags (kind "movement" and "commune", beside gathering's "village" and "unit"), so the report is counted by
the database.

Revision ID: 0006_report
Revises: gathering1
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0006_report"
down_revision = "gathering1"
branch_labels = None
depends_on = None

tags = sa.table("story_tags", sa.column("story_id", sa.Integer), sa.column("kind", sa.String),
                sa.column("value", sa.String), sa.column("label", sa.Text))


def upgrade() -> None:
    with op.batch_alter_table("stories") as batch:
        batch.add_column(sa.Column("unit", sa.String(100), nullable=False, server_default=""))
        batch.create_index("ix_stories_unit", ["unit"])
    # Stories kept before this revision get their rows once, from their lists.
    stories = sa.table("stories", sa.column("id", sa.Integer), sa.column("movements", sa.JSON),
                       sa.column("communes", sa.JSON))
    rows = []
    for story_id, movements, communes in op.get_bind().execute(
            sa.select(stories.c.id, stories.c.movements, stories.c.communes)):
        for kind, values in (("movement", movements), ("commune", communes)):
            for value in dict.fromkeys(values or ()):
                rows.append({"story_id": story_id, "kind": kind, "value": str(value)[:300], "label": ""})
    if rows:
        op.bulk_insert(tags, rows)


def downgrade() -> None:
    op.execute(tags.delete().where(tags.c.kind.in_(["movement", "commune"])))
    with op.batch_alter_table("stories") as batch:
        batch.drop_index("ix_stories_unit")
        batch.drop_column("unit")
