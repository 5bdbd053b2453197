"""Flow: the nightly run — gather, normalise, synthesise the next bulletins, publish the portal.

Synthesis comes before publishing so that article pages can link each story's own MP3 in the same
run; a second run over the same content then changes nothing.
"""

from __future__ import annotations

from datetime import date

from flows.orchestration import flow

from flows import pipeline, runtime
from flows.gather import gather
from flows.normalise import normalise
from flows.publish import publish
from flows.synthesise import synthesise


@flow(name="nightly")
def nightly(content: str | None = None, day: date | None = None) -> pipeline.NightlyReport:
    sources = gather(content)
    normalised = normalise(content)
    released = pipeline.release_due(*runtime.open_newsroom(content))  # the cut-off: review windows that ended
    synthesised = synthesise(content, day=day)
    published = publish(content)
    return pipeline.night_report(sources, normalised, synthesised, published, released)
