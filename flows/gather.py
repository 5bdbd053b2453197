"""Flow: gather stories from every source into the store (one task per source)."""

from __future__ import annotations

from flows.orchestration import TRANSIENT_RETRY_DELAYS, flow, retry_transient, task

from flows import runtime
from flows.ingest import Gathered, TransientGatherError
from flows.pipeline.gathering import SourceReport, fetch_source, keep, transient_failure


@task(retries=len(TRANSIENT_RETRY_DELAYS), retry_delay_seconds=TRANSIENT_RETRY_DELAYS,
      retry_condition_fn=retry_transient, task_run_name="fetch-{source_id}")
def fetch(content: str | None, source_id: str) -> Gathered:
    newsroom = runtime.newsroom(content)
    return fetch_source(newsroom, newsroom.source(source_id), runtime.store(content).source_validators(source_id))


@task(task_run_name="keep-{gathered.source.id}")
def keep_gathered(content: str | None, gathered: Gathered) -> SourceReport:
    return keep(runtime.store(content), gathered)


@flow(name="gather", log_prints=False)
def gather(content: str | None = None, sources: list[str] | None = None) -> list[SourceReport]:
    """Read every source (or the named ones); a failing source is reported and the others go on."""
    newsroom = runtime.newsroom(content)
    chosen = [s for s in newsroom.sources if sources is None or s.id in sources]
    futures = [(source, fetch.submit(content, source.id)) for source in chosen]
    reports = []
    for source, future in futures:
        try:
            gathered = future.result()
        except TransientGatherError as exc:
            gathered = transient_failure(source, f"{exc.message} Sẽ thử lại ở lần chạy sau.")
        except Exception as exc:  # a bug or a surprise in one source must not stop the others
            gathered = transient_failure(source, f"Lỗi không mong đợi khi đọc nguồn ({exc.__class__.__name__}: {exc}).")
        reports.append(keep_gathered(content, gathered))
    return reports
