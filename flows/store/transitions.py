"""The one table of story state changes. Every change of a story's state goes through `next_state`.

Pure: no database. The store looks up the action here, refuses what the table does not allow with a
Vietnamese message, and writes the new state with a line of history.
"""

from __future__ import annotations

import enum

from flows.errors import ConflictError
from flows.models import StoryState

S = StoryState


class Action(str, enum.Enum):
    """What can happen to a story, by whom: the pipeline (normalise, publish, broadcast) or an editor."""

    NORMALISE = "normalise"
    DUPLICATE = "duplicate"
    FAIL = "fail"
    AUTO_APPROVE = "auto_approve"
    APPROVE = "approve"
    REJECT = "reject"
    RETRACT = "retract"
    RESTORE = "restore"
    PUBLISH = "publish"
    BROADCAST = "broadcast"

    @property
    def label_vi(self) -> str:
        return {
            "normalise": "chuẩn hóa", "duplicate": "đánh dấu trùng", "fail": "đánh dấu lỗi",
            "auto_approve": "tự động duyệt", "approve": "duyệt", "reject": "từ chối", "retract": "rút bài",
            "restore": "khôi phục", "publish": "đăng", "broadcast": "phát",
        }[self.value]


# action -> {state it may start from: state it leads to}
TABLE: dict[Action, dict[StoryState, StoryState]] = {
    Action.NORMALISE: {S.SUBMITTED: S.NORMALISED},
    Action.DUPLICATE: {S.SUBMITTED: S.REJECTED},
    Action.FAIL: {S.SUBMITTED: S.FAILED, S.NORMALISED: S.FAILED, S.FAILED: S.FAILED},
    Action.AUTO_APPROVE: {S.NORMALISED: S.APPROVED},
    Action.APPROVE: {S.NORMALISED: S.APPROVED},
    Action.REJECT: {S.SUBMITTED: S.REJECTED, S.NORMALISED: S.REJECTED, S.APPROVED: S.REJECTED,
                    S.FAILED: S.REJECTED},
    # Once a story has reached the portal or the air, taking it back is a retraction, with its own trace.
    Action.RETRACT: {S.APPROVED: S.RETRACTED, S.PUBLISHED: S.RETRACTED, S.BROADCAST: S.RETRACTED},
    # A restored story waits for an editor again; one never normalised goes back to be normalised.
    Action.RESTORE: {S.REJECTED: S.NORMALISED, S.RETRACTED: S.NORMALISED},
    # Publishing and broadcasting keep the furthest step reached: approved < published < broadcast.
    Action.PUBLISH: {S.APPROVED: S.PUBLISHED, S.PUBLISHED: S.PUBLISHED, S.BROADCAST: S.BROADCAST},
    Action.BROADCAST: {S.APPROVED: S.BROADCAST, S.PUBLISHED: S.BROADCAST, S.BROADCAST: S.BROADCAST},
}

# The step a history line names, where it differs from the state the story ends in (a broadcast story
# that reaches the portal stays "broadcast", but the history says it was published).
HISTORY_STEP: dict[Action, StoryState] = {Action.PUBLISH: S.PUBLISHED, Action.BROADCAST: S.BROADCAST}

ON_AIR_OR_WEB = frozenset({S.APPROVED, S.PUBLISHED, S.BROADCAST})
"""States in which a story may be published and broadcast."""


def allowed(action: Action, state: StoryState) -> bool:
    return state in TABLE[action]


def next_state(action: Action, state: StoryState, story_id: int | None = None, *, normalised: bool = True) -> StoryState:
    """The state `action` leads to from `state`, or a ConflictError an editor can read."""
    to = TABLE[action].get(state)
    if to is None:
        who = f"Bài số {story_id}" if story_id is not None else "Bài"
        starts = ", ".join(f"'{s.label_vi}'" for s in TABLE[action])
        raise ConflictError(
            f"{who} đang ở trạng thái '{state.label_vi}', không thể {action.label_vi}.",
            hint=f"Chỉ {action.label_vi} được bài ở trạng thái {starts}.")
    if action is Action.RESTORE and not normalised:
        return S.SUBMITTED
    return to
