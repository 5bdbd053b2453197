"""Normalise: turn submitted stories into ready ones (clean, tagged, deduplicated, with a spoken form)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from flows.content import Newsroom
from flows.editing import duplicates
from flows.editing.clean import clean_html, clean_title, html_to_text, repair_encoding
from flows.editing.identity import fingerprint, slugify
from flows.editing.tagging import place_and_unit_tags, tag_communes, tag_movements
from flows.errors import UserError
from flows.models import DISTRICT, ProofWarning, Story, StoryState
from flows.pipeline.attribution import story_kind, story_unit
from flows.store import Action, Normalised, Store, air_window
from flows.store.locks import holding
from flows.text import Lexicon, make_spoken_form, proofread


@dataclass(frozen=True)
class ReadyStory:
    """What the desk made of one submitted story (pure result, not yet stored)."""

    title: str
    body_html: str
    body_text: str
    spoken_text: str
    fingerprint: str
    movements: list[str]
    communes: list[str]
    audience: list[str]
    warnings: list[ProofWarning]

    def to_store(self, slug: str, air: tuple[date, date] | None = None, kind: str = "news",
                 stations: list[str] | None = None) -> Normalised:
        return Normalised(title=self.title, slug=slug, body_html=self.body_html, body_text=self.body_text,
                          spoken_text=self.spoken_text, fingerprint=self.fingerprint, movements=self.movements,
                          communes=self.communes, audience=self.audience, warnings=self.warnings,
                          air_from=air[0] if air else None, air_until=air[1] if air else None, kind=kind,
                          stations=list(stations or []))


@dataclass
class NormaliseReport:
    ready: list[int] = field(default_factory=list)
    approved: list[int] = field(default_factory=list)  # approved at once (sources trusted with no review window)
    in_review: list[int] = field(default_factory=list)  # trusted, on air by themselves when the window ends
    duplicates: dict[int, int] = field(default_factory=dict)  # story id -> the story it repeats
    failed: dict[int, str] = field(default_factory=dict)
    by_source: dict[int, str] = field(default_factory=dict)  # story id -> its source, for the summary
    titles: dict[int, str] = field(default_factory=dict)  # failed story id -> its title
    waiting: list[int] = field(default_factory=list)  # from sources that are not trusted: an editor decides


DEFAULT_AIR_DAYS = 3  # a story of a source no longer configured


class EmptyStory(UserError):
    """Nothing is left of the story after cleaning."""


def prepare(row: Story, newsroom: Newsroom, lexicon: Lexicon) -> ReadyStory:
    """The pure part of normalising one story."""
    raw, legacy = repair_encoding(row.raw_body)
    body_html = clean_html(raw)
    body_text = html_to_text(body_html)
    title = clean_title(row.title)
    if not body_text.strip():
        raise EmptyStory("Bài không còn nội dung sau khi làm sạch HTML (có thể chỉ có ảnh hoặc mã lệnh).")
    warnings = [ProofWarning(w.code, w.message, w.excerpt) for w in proofread(f"{title}\n{body_text}", lexicon)]
    if legacy:
        warnings.insert(0, ProofWarning("legacy-encoding", f"Bài gửi bằng bảng mã cũ {legacy.upper()}, đã chuyển "
                                                           "sang Unicode; hãy đọc lại dấu thanh."))
    known_communes = {c.id for c in newsroom.communes}
    audience = [a for a in row.audience if a == DISTRICT or a in known_communes]
    dropped = [a for a in row.audience if a not in audience]
    if dropped:
        warnings.append(ProofWarning("unknown-audience", f"Nơi nhận không có trong danh sách xã: {', '.join(dropped)}.",
                                     ", ".join(dropped)))
    if not audience:
        source = newsroom.find_source(row.source_id)
        audience = list(source.audience) if source else [DISTRICT]
    # A fallback of the spoken form is never silent: it becomes a warning the editor sees on the story.
    spoken = make_spoken_form(f"{title}.\n{body_text}", lexicon=lexicon)
    warnings += [ProofWarning(w.code, w.message, w.excerpt) for w in spoken.warnings]
    full = f"{title}\n{body_text}"
    mentioned = tag_communes(full, newsroom.communes, newsroom.gazetteer)
    addressed = [a for a in audience if a != DISTRICT]
    return ReadyStory(
        title=title,
        body_html=body_html,
        body_text=body_text,
        spoken_text=spoken.text,
        fingerprint=fingerprint(title, body_text),
        movements=tag_movements(full, newsroom.movements, row.movements),
        communes=list(dict.fromkeys([*addressed, *mentioned])),
        audience=audience,
        warnings=warnings,
    )


@holding("normalise")  # two desks at once would normalise a story twice
def normalise(newsroom: Newsroom, store: Store) -> NormaliseReport:
    """Normalise every submitted story, oldest first, so the first copy of a duplicate wins."""
    lexicon = newsroom.lexicon()
    report = NormaliseReport()
    now = local_now(newsroom)
    for row in store.stories(StoryState.SUBMITTED):
        report.by_source[row.id] = row.source_id
        try:
            ready = prepare(row, newsroom, lexicon)
        except EmptyStory as exc:
            store.mark_failed(row.id, exc.message)
            report.failed[row.id], report.titles[row.id] = exc.message, row.title
            continue
        except Exception as exc:  # one story the desk cannot read must not hold up the others
            reason = f"Lỗi khi chuẩn hóa bài ({exc.__class__.__name__}: {exc}); bài vẫn được giữ để biên tập viên xem."
            store.mark_failed(row.id, reason)
            report.failed[row.id], report.titles[row.id] = reason, row.title
            continue
        original = store.find_by_fingerprint(ready.fingerprint, excluding=row.id)
        # --- duplicates (ingest): an exact copy, else a near one (the same story rewritten by another unit) ---
        match = (duplicates.Match(original.id, "exact", 1.0) if original is not None
                 else duplicates.find_near_duplicate(store, row.id, ready.title, ready.body_text))
        # -----------------------------------------------------------------------------------------------------
        source = newsroom.find_source(row.source_id)
        trusted = source is not None and source.trusted  # a source no longer configured waits for an editor
        at_once = trusted and source is not None and source.review_hours <= 0
        review_until = now + timedelta(hours=source.review_hours) if trusted and not at_once and source else None
        air = air_window(row.dated.date(), source.air_days if source else DEFAULT_AIR_DAYS)
        # What the year-end report counts it under: its kind and its contributing unit.
        kind, kind_note = story_kind(row.kind, ready.title, ready.body_text)
        unit, unit_note = story_unit(row.unit, row.author, source, newsroom.units)
        notes = [n for n in (kind_note, unit_note) if n is not None]
        ready = replace(ready, warnings=[*ready.warnings, *notes]) if notes else ready
        stored = replace(ready.to_store(_unique_slug(store, ready.title, row.id), air, kind=kind), unit=unit)
        store.save_normalised(row.id, stored,
                              duplicate_of=match.original_id if match else None, approve=at_once,
                              review_until=review_until)
        duplicates.remember(store, row.id, row.source_id, ready.title, ready.body_text, match)  # ingest
        store.save_tags(row.id, place_and_unit_tags(  # ingest: villages named, and the unit that sent it
            f"{ready.title}\n{ready.body_text}", newsroom.communes, newsroom.gazetteer, row.source_id,
            (source.contributor or source.name) if source else row.source_id))
        if match is not None:
            report.duplicates[row.id] = match.original_id
            continue
        report.ready.append(row.id)
        (report.approved if at_once else report.in_review if review_until else report.waiting).append(row.id)
    return report


@holding("normalise")
def release_due(newsroom: Newsroom, store: Store, now: datetime | None = None) -> list[int]:
    """Approve the trusted sources' stories whose review window ended with no editor's decision.

    The nightly run calls this at its cut-off; what it returns went on air without a human look.
    """
    now = now or local_now(newsroom)
    released = store.due_for_release(now)
    for story_id in released:
        store.change_state(story_id, Action.AUTO_APPROVE, "bantin",
                           "Nguồn tin cậy, hết thời gian chờ biên tập viên xem: tự động duyệt")
    return released


def local_now(newsroom: Newsroom) -> datetime:
    """Wall-clock time in the district, without a zone (the store keeps local naive times)."""
    return datetime.now(ZoneInfo(newsroom.settings.district.timezone)).replace(tzinfo=None, microsecond=0)


def _unique_slug(store: Store, title: str, story_id: int) -> str:
    slug = slugify(title)
    return slug if not store.slug_taken(slug, story_id) else f"{slug}-{story_id}"
