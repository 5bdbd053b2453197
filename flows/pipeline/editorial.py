"""Editorial control: the decisions an editor takes on stories, each checked and recorded with who and why."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from flows.content import Newsroom
from flows.errors import BantinError, UserError
from flows.models import DISTRICT, Story
from flows.store import Action, Store


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
