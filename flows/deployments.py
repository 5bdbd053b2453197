"""Flow module: every deployment bantin serves, from code, with schedules in the district's time zone.

`bantin up` runs this as one of its parts (`python -m flows.deployments --content DIR`); each deployment
has typed parameters an editor can fill in Prefect's UI, and `bantin run` and the other flow commands
trigger them by name while it runs. Schedules live in Prefect's database and stay active when the
runner stops (pause_on_shutdown=False), so they survive restarts.
"""

from __future__ import annotations

import argparse
import asyncio
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flows.orchestration import flow  # noqa: F401 - sets Prefect's quiet defaults before it is imported

from prefect import Flow  # noqa: E402
from prefect.deployments.runner import EntrypointType  # noqa: E402
from prefect.runner import Runner  # noqa: E402
from prefect.schedules import Cron  # noqa: E402

from flows import runtime  # noqa: E402
from flows.settings import Settings  # noqa: E402
from flows.warm import warm_up  # noqa: E402


@dataclass(frozen=True)
class Served:
    """One deployment: its flow, name (flow/deployment in Prefect), schedule and what it is for."""

    flow: Flow[..., Any]
    name: str
    description: str
    cron: str = ""
    parameters: dict[str, Any] = field(default_factory=dict)


def served(settings: Settings) -> list[Served]:
    from flows.emergency import emergency
    from flows.gather import gather
    from flows.nightly import nightly
    from flows.normalise import normalise
    from flows.publish import publish
    from flows.synthesise import synthesise
    from flows.watch import watch

    service = settings.service
    table = [
        Served(nightly, "nightly", "Quy trình đêm: thu thập, chuẩn hóa, chờ duyệt đến giờ chốt, làm bản tin, đăng tin.",
               service.nightly_cron),
        Served(gather, "gather", "Thu thập tin từ các nguồn (trong giờ làm việc).", service.gather_cron),
        Served(normalise, "normalise", "Chuẩn hóa các bài mới gửi."),
        Served(synthesise, "synthesise", "Làm bản tin cho từng đài (mặc định: ngày mai)."),
        Served(publish, "publish", "Đăng các bài đã duyệt lên cổng thông tin."),
        Served(emergency, "emergency", "Tin khẩn cấp: làm bản tin ngay cho các đài được chọn."),
        Served(watch, "watch", "Kiểm tra các đài đã có bản tin kịp giờ chưa; báo cho tòa soạn nếu chưa.",
               service.watch_cron),
    ]
    table += _optional(settings)
    return table


def _optional(settings: Settings) -> list[Served]:
    """Flows that exist only in some bantin versions (retention, the report): served when present."""
    found: list[Served] = []
    for module, name, description, cron in (
            ("flows.retention", "retention", "Dọn bản tin cũ theo thời hạn lưu giữ.", settings.service.retention_cron),
            ("flows.report", "report", "Báo cáo của tòa soạn.", "")):
        try:
            imported = __import__(module, fromlist=[name])
        except ImportError:
            continue
        candidate = getattr(imported, name, None)
        if isinstance(candidate, Flow):
            found.append(Served(candidate, name, description, cron))
    return found


def serve(content: str) -> None:
    settings = runtime.newsroom(content).settings
    tz = settings.district.timezone
    runner = Runner(name=f"bantin-{settings.district.id}", pause_on_shutdown=False,
                    query_seconds=settings.service.poll_seconds)
    table = served(settings)
    for item in table:
        accepts = item.flow.parameters.properties
        parameters = {"content": content} if "content" in accepts else {}
        # The runner keeps each flow in memory and starts its runs in a process forked from one that imported
        # bantin and Prefect once (flows/warm.py); the entrypoint (a module path: the package is installed) is
        # what Prefect's UI shows and what a fresh process imports when bantin changed on disk. Results are kept
        # (PREFECT_RESULTS_PERSIST_BY_DEFAULT, data/prefect/results; flows/service/parts.py) so `bantin run` can
        # print the report of a run it triggered.
        runner.add_flow(item.flow, item.name, description=item.description,
                        schedules=[Cron(item.cron, timezone=tz)] if item.cron else None,
                        parameters={**parameters, **item.parameters}, entrypoint_type=EntrypointType.MODULE_PATH)
    warm_up(sorted({item.flow.fn.__module__ for item in table}))
    # Tell `bantin up` the deployments are registered: triggers by name work from now on.
    marker = Path(os.environ.get("PREFECT_HOME", settings.data_dir / "prefect")) / "served"
    marker.write_text(str(os.getpid()))
    try:
        asyncio.run(runner.start())
    except KeyboardInterrupt:
        pass


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Serve bantin's deployments (started by `bantin up`).")
    parser.add_argument("--content", default=os.environ.get("BANTIN_CONTENT", "content"))
    args = parser.parse_args(argv)
    serve(str(Path(args.content).resolve()))


if __name__ == "__main__":
    main()
