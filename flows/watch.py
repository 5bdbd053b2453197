"""Flow: is every station's next bulletin there in time? Tell the newsroom once about each one that is not.

Also the hook the nightly flow calls when it fails or crashes, so a run that died says so.
"""

from __future__ import annotations

from typing import Any

from flows.orchestration import flow

from flows import runtime
from flows.pipeline import watch as watching


@flow(name="watch")
def watch(content: str | None = None) -> watching.WatchReport:
    return watching.watch(*runtime.open_newsroom(content))


def tell_failed_night(flow: Any, flow_run: Any, state: Any) -> None:
    """Prefect hook (on_failure, on_crashed) of the nightly flow: the newsroom hears that the night failed."""
    from datetime import date

    content = flow_run.parameters.get("content")
    day = flow_run.parameters.get("day")
    day = date.fromisoformat(day) if isinstance(day, str) else day
    newsroom, store = runtime.open_newsroom(content)
    reason = f"{state.name}: {state.message or 'không rõ'} (lượt chạy {flow_run.name})"
    watching.tell(newsroom, store, [watching.failed_run(newsroom, day, reason)])
