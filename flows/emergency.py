"""Flow: an emergency bulletin, voiced and assembled at once for the chosen stations."""

from __future__ import annotations

from flows.orchestration import PrefectFanout, ThreadPoolTaskRunner, flow

from flows import pipeline, runtime
from flows.pipeline.fanout import default_workers


@flow(name="emergency", task_runner=ThreadPoolTaskRunner(max_workers=default_workers()))  # type: ignore[arg-type]
def emergency(title: str, text: str, stations: list[str] | None = None, content: str | None = None,
              actor: str = "biên tập viên") -> pipeline.SynthesiseReport:
    """Voice one urgent item and build bulletins for the chosen stations (default: all) now."""
    return pipeline.emergency(*runtime.open_newsroom(content), title, text, stations, actor=actor,
                              fanout=PrefectFanout())
