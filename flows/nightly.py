"""Flow: the nightly run — gather, normalise, wait for reviews until the cut-off, synthesise the next
bulletins, publish the portal.

Synthesis comes before publishing so that article pages can link each story's own MP3 in the same
run; a second run over the same content then changes nothing. A bulletin that could not be made, or a
run that failed or crashed, is told to the newsroom (flows/pipeline/watch.py).

Each stage is a task of this flow (the stage flow's own function; flows/orchestration.py `stage`), not a subflow:
the UI shows them with their states all the same, and a rerun with nothing to do is not four subflows' worth of
API calls and heartbeat joins longer. With a [cluster], synthesis stays a subflow: its Dask task runner is a flow's.
"""

from __future__ import annotations

from datetime import date, datetime

from flows.orchestration import flow, stage

from flows import pipeline, runtime
from flows.gather import gather
from flows.normalise import normalise
from flows.pipeline import deadline, watch as watching
from flows.pipeline.bulletins import next_broadcast_day
from flows.publish import publish
from flows.synthesise import synthesise
from flows.watch import tell_failed_night

# The stages as tasks of the nightly flow (their own flows stay deployments of their own).
GATHER, NORMALISE, SYNTHESISE, PUBLISH = stage(gather), stage(normalise), stage(synthesise), stage(publish)


@flow(name="nightly", on_failure=[tell_failed_night], on_crashed=[tell_failed_night])
def nightly(content: str | None = None, day: date | None = None,
            cutoff: datetime | None = None) -> pipeline.NightlyReport:
    """`day`: the broadcast day (default: tomorrow); `cutoff`: stop waiting for reviews then (local time;
    default: [nightly] approval_cutoff on the evening before `day`)."""
    newsroom, store = runtime.open_newsroom(content)
    sources = GATHER(content)
    normalised = NORMALISE(content)
    day = day or next_broadcast_day(newsroom.settings.district.timezone)
    waited = deadline.await_reviews(newsroom, store, day, cutoff=cutoff)  # the cut-off: review windows that ended
    synthesised = (synthesise if newsroom.settings.cluster.configured else SYNTHESISE)(content, day=day)
    published = PUBLISH(content)
    watching.tell(newsroom, store, watching.night_failures(newsroom, synthesised))
    return pipeline.night_report(sources, normalised, synthesised, published, waited.released)
