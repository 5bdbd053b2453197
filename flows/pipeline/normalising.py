"""Normalise: turn submitted stories into ready ones (clean, tagged, deduplicated, with a spoken form)."""

from __future__ import annotations

from dataclasses import dataclass, field

from flows.content import Newsroom
from flows.editing.clean import clean_html, clean_title, html_to_text, repair_encoding
from flows.editing.identity import fingerprint, slugify
from flows.editing.tagging import tag_communes, tag_movements
from flows.errors import UserError
from flows.models import DISTRICT, ProofWarning, Story, StoryState
from flows.store import Normalised, Store
from flows.text import Lexicon, proofread, spoken_form


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

    def to_store(self, slug: str) -> Normalised:
        return Normalised(title=self.title, slug=slug, body_html=self.body_html, body_text=self.body_text,
                          spoken_text=self.spoken_text, fingerprint=self.fingerprint, movements=self.movements,
                          communes=self.communes, audience=self.audience, warnings=self.warnings)


@dataclass
class NormaliseReport:
    ready: list[int] = field(default_factory=list)
    approved: list[int] = field(default_factory=list)
    duplicates: dict[int, int] = field(default_factory=dict)  # story id -> the story it repeats
    failed: dict[int, str] = field(default_factory=dict)
    by_source: dict[int, str] = field(default_factory=dict)  # story id -> its source, for the summary
    titles: dict[int, str] = field(default_factory=dict)  # failed story id -> its title


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
    full = f"{title}\n{body_text}"
    mentioned = tag_communes(full, newsroom.communes)
    addressed = [a for a in audience if a != DISTRICT]
    return ReadyStory(
        title=title,
        body_html=body_html,
        body_text=body_text,
        spoken_text=spoken_form(f"{title}.\n{body_text}", lexicon=lexicon),
        fingerprint=fingerprint(title, body_text),
        movements=tag_movements(full, newsroom.movements, row.movements),
        communes=list(dict.fromkeys([*addressed, *mentioned])),
        audience=audience,
        warnings=warnings,
    )


def normalise(newsroom: Newsroom, store: Store) -> NormaliseReport:
    """Normalise every submitted story, oldest first, so the first copy of a duplicate wins."""
    lexicon = newsroom.lexicon()
    report = NormaliseReport()
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
        source = newsroom.find_source(row.source_id)
        trusted = source is not None and source.trusted  # a source no longer configured waits for an editor
        store.save_normalised(row.id, ready.to_store(_unique_slug(store, ready.title, row.id)),
                              duplicate_of=original.id if original else None, approve=trusted)
        if original is not None:
            report.duplicates[row.id] = original.id
            continue
        report.ready.append(row.id)
        if trusted:
            report.approved.append(row.id)
    return report


def _unique_slug(store: Store, title: str, story_id: int) -> str:
    slug = slugify(title)
    return slug if not store.slug_taken(slug, story_id) else f"{slug}-{story_id}"
