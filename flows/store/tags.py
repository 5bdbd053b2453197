"""Each story's movements and communes as rows of story_tags (beside gathering's village and unit tags), so the
report counts them with GROUP BY.

The story keeps its lists (JSON columns) for everything else; this listener rewrites a story's movement and
commune rows in the same transaction whenever a flush adds a story or changes either list, so the two can never
disagree.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, insert, inspect
from sqlalchemy.orm import Session

from flows.store.gathering import StoryTagRow
from flows.store.schema import StoryRow

MIRRORED = {"movement": "movements", "commune": "communes"}
"""Tag kind -> the story's list it mirrors."""


def tag_rows(story_id: int, movements: Any, communes: Any) -> list[dict[str, Any]]:
    """The movement and commune rows of one story (pure)."""
    rows = []
    for kind, values in (("movement", movements), ("commune", communes)):
        for value in dict.fromkeys(values or ()):
            rows.append({"story_id": story_id, "kind": kind, "value": str(value)[:300], "label": ""})
    return rows


def sync_story_tags(session: Session, _context: object) -> None:
    """after_flush: rewrite the rows of every story added or whose movements or communes changed."""
    changed: list[StoryRow] = [o for o in session.new if isinstance(o, StoryRow)]
    for obj in session.dirty:
        if isinstance(obj, StoryRow):
            state = inspect(obj)
            if any(state.attrs[attr].history.has_changes() for attr in MIRRORED.values()):
                changed.append(obj)
    if not changed:
        return
    connection = session.connection()
    ids = [row.id for row in changed]
    connection.execute(delete(StoryTagRow).where(StoryTagRow.story_id.in_(ids),
                                                 StoryTagRow.kind.in_(list(MIRRORED))))
    rows = [tag for row in changed for tag in tag_rows(row.id, row.movements, row.communes)]
    if rows:
        connection.execute(insert(StoryTagRow), rows)
