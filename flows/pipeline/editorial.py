"""Editorial control: the decisions an editor takes on stories, each checked and recorded with who and why."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date

from flows.content import Newsroom
from flows.editing.paragraphs import paragraphs_html
from flows.errors import BantinError, UserError
from flows.models import DISTRICT, Priority, Story, StoryState
from flows.store import Action, Store, StoryFilter


@dataclass(frozen=True)
class ActionResult:
    """What one story's action came to: done, or the reason it was refused."""

    story_id: int
    ok: bool
    message: str


def _each(story_ids: Iterable[int], act) -> list[ActionResult]:  # type: ignore[no-untyped-def]
    """Apply an action to many stories: each one gets its own result; one refusal stops nothing."""
    results = []
    for story_id in dict.fromkeys(story_ids):
        try:
            results.append(ActionResult(story_id, True, act(story_id)))
        except BantinError as exc:
            results.append(ActionResult(story_id, False, exc.describe()))
    return results


def approve(store: Store, story_ids: Sequence[int], actor: str) -> list[ActionResult]:
    def one(story_id: int) -> str:
        store.change_state(story_id, Action.APPROVE, actor, "Biên tập viên duyệt")
        return f"Đã duyệt bài số {story_id}."
    return _each(story_ids, one)


def reject(store: Store, story_ids: Sequence[int], actor: str, reason: str) -> list[ActionResult]:
    if not reason.strip():
        raise UserError("Cần ghi lý do không đăng bài.", hint="Thêm --reason \"...\".")

    def one(story_id: int) -> str:
        store.change_state(story_id, Action.REJECT, actor, reason.strip())
        return f"Đã gác lại bài số {story_id}."
    return _each(story_ids, one)


def set_audience(newsroom: Newsroom, store: Store, story_id: int, audience: Sequence[str], actor: str) -> Story:
    """Change who hears a story: the whole district, or the named communes."""
    known = {DISTRICT} | {c.id for c in newsroom.communes}
    unknown = [a for a in audience if a not in known]
    if unknown or not audience:
        raise UserError(f"Không có xã: {', '.join(unknown)}." if unknown else "Cần nêu nơi nhận.",
                        hint="Dùng 'district' (toàn huyện) hoặc mã xã; xem bằng lệnh 'bantin stations'.")
    chosen = [DISTRICT] if DISTRICT in audience else list(dict.fromkeys(audience))
    store.set_audience(story_id, chosen, actor)
    return store.story(story_id)


def retract(store: Store, story_ids: Sequence[int], actor: str, reason: str) -> list[ActionResult]:
    """Take back stories already approved, published or aired: off the portal at the next publish and out of
    every bulletin not yet built."""
    if not reason.strip():
        raise UserError("Cần ghi lý do rút bài.", hint="Thêm --reason \"...\".")

    def one(story_id: int) -> str:
        store.change_state(story_id, Action.RETRACT, actor, reason.strip())
        return f"Đã rút bài số {story_id}: gỡ khỏi cổng thông tin ở lần đăng tới và không phát nữa."
    return _each(story_ids, one)


def restore(store: Store, story_ids: Sequence[int], actor: str, reason: str = "") -> list[ActionResult]:
    """Bring back a rejected or retracted story; it waits for an editor's approval again."""
    def one(story_id: int) -> str:
        state = store.change_state(story_id, Action.RESTORE, actor, reason.strip() or "Khôi phục bài")
        return f"Đã khôi phục bài số {story_id} ({state.label_vi}); bài cần được duyệt lại."
    return _each(story_ids, one)


def find_stories(store: Store, wanted: StoryFilter) -> list[Story]:
    return store.find_stories(wanted)


def waiting_for_review(store: Store) -> list[Story]:
    """What an editor must look at: waiting for approval (or for their review window), failed, flagged."""
    waiting = store.find_stories(StoryFilter(states=(StoryState.NORMALISED, StoryState.FAILED)))
    flagged = store.find_stories(StoryFilter(states=(StoryState.APPROVED,), flagged=True))
    return sorted([*waiting, *flagged], key=lambda s: (s.dated, s.id), reverse=True)


def edit_story(newsroom: Newsroom, store: Store, story_id: int, actor: str, *, title: str | None = None,
               text: str | None = None, reason: str = "") -> Story:
    """A new revision of the title and/or text; the old one is kept, the spoken form made again."""
    from flows.pipeline.normalising import EmptyStory, prepare

    story = store.story(story_id)
    if title is None and text is None:
        raise UserError("Cần nêu tiêu đề mới hoặc nội dung mới.", hint="Dùng --title và/hoặc --text (hoặc --file).")
    new_title = (title if title is not None else story.title).strip()
    if not new_title:
        raise UserError("Tiêu đề không được để trống.")
    body = story.body_html or ""
    if text is not None:
        body = paragraphs_html(text)
    try:
        ready = prepare(replace(story, title=new_title, raw_body=body, content_type="text/html"), newsroom,
                        newsroom.lexicon())
    except EmptyStory as exc:
        raise UserError(exc.message) from None
    store.revise(story_id, ready.to_store(story.slug or str(story_id)), actor, reason)
    return store.story(story_id)


def set_reading(store: Store, story_id: int, reading: str | None, actor: str) -> Story:
    """Set by hand how a story is read on air (every station, every later synthesis) until its text changes."""
    if reading is not None:
        reading = " ".join(reading.split())
        if not reading:
            raise UserError("Cách đọc không được để trống.", hint="Dùng --clear để bỏ cách đọc sửa tay.")
    store.set_spoken_override(story_id, reading, actor)
    return store.story(story_id)


def set_air_window(store: Store, story_id: int, first: date, last: date, actor: str,
                   weekdays: Sequence[int] = ()) -> Story:
    if last < first:
        raise UserError(f"Ngày kết thúc {last:%d/%m/%Y} trước ngày bắt đầu {first:%d/%m/%Y}.")
    if any(d not in range(7) for d in weekdays):
        raise UserError("Thứ trong tuần phải từ 2 (thứ Hai) đến 8 (Chủ nhật).")
    store.set_air_window(story_id, first, last, sorted(set(weekdays)), actor)
    return store.story(story_id)


def set_priority(store: Store, story_id: int, priority: Priority, actor: str) -> Story:
    store.set_priority(story_id, int(priority), actor, priority.label_vi)
    return store.story(story_id)
