"""Flow: voice each unique piece of speech once, then build every station's bulletins from the clips.

One task per unique speech, per recorded jingle and per station bulletin (see flows/pipeline/bulletins.py).
With a [cluster] in the settings, the voicing, jingle and bulletin tasks run on Dask workers through prefect-dask
(a LocalCluster of this machine's processes, or a scheduler serving several machines); what each bulletin carried
is recorded where the store is. Voicing is deterministic, so the bulletins are the same bytes either way.
"""

from __future__ import annotations

from datetime import date

from flows.orchestration import PrefectFanout, ThreadPoolTaskRunner, cluster_task_runner, flow

from flows import pipeline, runtime
from flows.pipeline.cluster import LOCAL_STEPS
from flows.pipeline.fanout import default_workers


@flow(name="synthesise", task_runner=ThreadPoolTaskRunner(max_workers=default_workers()))  # type: ignore[arg-type]
def synthesise(content: str | None = None, day: date | None = None,
               stations: list[str] | None = None) -> pipeline.SynthesiseReport:
    """Build the bulletins of `day` (default: tomorrow) for every station, or the named ones."""
    newsroom, store = runtime.open_newsroom(content)
    runner = cluster_task_runner(newsroom.settings.cluster)
    if runner is not None:
        return synthesise_on_cluster.with_options(task_runner=runner)(content, day=day, stations=stations)
    return pipeline.synthesise(newsroom, store, day=day, stations=stations,
                               fanout=PrefectFanout(workers=default_workers()))


@flow(name="synthesise-cluster")
def synthesise_on_cluster(content: str | None = None, day: date | None = None,
                          stations: list[str] | None = None) -> pipeline.SynthesiseReport:
    """synthesise's work with its task runner on a Dask cluster (set by synthesise from the settings)."""
    return pipeline.synthesise(*runtime.open_newsroom(content), day=day, stations=stations,
                               fanout=PrefectFanout(here=LOCAL_STEPS))
