"""Flow: voice each unique piece of speech once, then build every station's bulletins from the clips.

One task per unique speech, per recorded jingle and per station bulletin (see flows/pipeline/bulletins.py).
"""

from __future__ import annotations

from datetime import date

from flows.orchestration import PrefectFanout, ThreadPoolTaskRunner, flow

from flows import pipeline, runtime
from flows.pipeline.fanout import default_workers


@flow(name="synthesise", task_runner=ThreadPoolTaskRunner(max_workers=default_workers()))  # type: ignore[arg-type]
def synthesise(content: str | None = None, day: date | None = None,
               stations: list[str] | None = None) -> pipeline.SynthesiseReport:
    """Build the bulletins of `day` (default: tomorrow) for every station, or the named ones."""
    return pipeline.synthesise(*runtime.open_newsroom(content), day=day, stations=stations, fanout=PrefectFanout())
