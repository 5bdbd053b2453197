"""ORM rows to the typed records the rest of bantin sees. The rows never leave the store package."""

from __future__ import annotations

from flows.models import Priority, ProofWarning, Story, StoryEvent, StoryState
from flows.store.schema import StoryRow


def warnings_of(raw: list[dict]) -> tuple[ProofWarning, ...]:
    return tuple(ProofWarning(w.get("code", ""), w.get("message", ""), w.get("excerpt", "")) for w in raw or [])


def warnings_json(warnings: list[ProofWarning] | tuple[ProofWarning, ...]) -> list[dict]:
    return [{"code": w.code, "message": w.message, "excerpt": w.excerpt} for w in warnings]


def to_story(row: StoryRow, with_events: bool = False) -> Story:
    events = tuple(StoryEvent(e.at, StoryState(e.state), e.actor, e.message) for e in row.events) if with_events else ()
    return Story(
        id=row.id, source_id=row.source_id, external_id=row.external_id, title=row.title,
        state=StoryState(row.state), submitted_at=row.submitted_at, raw_body=row.raw_body,
        content_type=row.content_type, link=row.link, author=row.author, published_at=row.published_at,
        audience=tuple(row.audience or ()), movements=tuple(row.movements or ()), communes=tuple(row.communes or ()),
        priority=Priority(row.priority), slug=row.slug, body_html=row.body_html, body_text=row.body_text,
        spoken_text=row.spoken_text, fingerprint=row.fingerprint, duplicate_of=row.duplicate_of,
        warnings=warnings_of(row.warnings), failure=row.failure, audio_path=row.audio_path,
        portal_published_at=row.portal_published_at, kind=row.kind or "news", air_from=row.air_from,
        air_until=row.air_until, air_weekdays=tuple(row.air_weekdays or ()), stations=tuple(row.stations or ()),
        review_until=row.review_until, spoken_override=row.spoken_override, revision=row.revision or 1,
        unit=row.unit or "", events=events,
    )
