"""Wall time and peak memory of the nightly run on the demo content, split by stage.

Each stage runs in its own process (so peak memory is that stage's own, ffmpeg children included),
three ways in the same run:
  flow   the Prefect flow on a fresh copy of the content (cold: everything to do)
  bare   the same stage's plain pipeline code with no Prefect, on another fresh copy
  rerun  the Prefect flow again on the first copy (nothing left to do)
and prints the ratios flow/bare (the cost of orchestration) and rerun/flow (what idempotence saves).
Memory: "flow MB" and "bare MB" are each process's own peak RSS; "child MB" is the largest child process
(ffmpeg, and with Prefect its temporary API server).

    .venv/bin/python bench/nightly.py
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STAGES = ["gather", "normalise", "synthesise", "publish"]
DAY = "2026-11-25"

STAGE_CODE = r"""
import json, resource, sys, time
from datetime import date
stage, mode, content, day = sys.argv[1:5]
day = date.fromisoformat(day)
t0 = time.perf_counter()
if mode == "flow":
    # The Prefect flows: each is one line over the library below, with its steps as tasks.
    import flows.gather, flows.normalise, flows.publish, flows.synthesise
    run = {"gather": lambda: flows.gather.gather(content), "normalise": lambda: flows.normalise.normalise(content),
           "synthesise": lambda: flows.synthesise.synthesise(content, day=day),
           "publish": lambda: flows.publish.publish(content)}[stage]
else:
    # The bare library: the same functions, steps on a thread pool, no Prefect.
    from flows import pipeline, runtime
    newsroom, store = runtime.open_newsroom(content)
    run = {"gather": lambda: pipeline.gather(newsroom, store), "normalise": lambda: pipeline.normalise(newsroom, store),
           "synthesise": lambda: pipeline.synthesise(newsroom, store, day=day),
           "publish": lambda: pipeline.publish(newsroom, store)}[stage]
run()
wall = time.perf_counter() - t0
own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print("BENCH " + json.dumps({"inner_wall": wall, "rss_kb": own, "child_rss_kb": kids}))
"""


def fresh_copy(base: Path, name: str) -> Path:
    target = base / name / "content"
    shutil.copytree(ROOT / "content", target)
    return target


def run_stage(stage: str, mode: str, content: Path) -> dict[str, float]:
    env = dict(os.environ, PREFECT_SERVER_ANALYTICS_ENABLED="false", PREFECT_LOGGING_LEVEL="ERROR")
    t0 = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", STAGE_CODE, stage, mode, str(content), DAY], cwd=ROOT, env=env,
                         capture_output=True, text=True, check=True)
    wall = time.perf_counter() - t0
    line = next(l for l in out.stdout.splitlines() if l.startswith("BENCH "))
    data = json.loads(line[6:])
    data["wall"] = wall
    return data


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="bantin-bench-") as tmp:
        base = Path(tmp)
        flow_copy, bare_copy = fresh_copy(base, "flow"), fresh_copy(base, "bare")
        rows = []
        for stage in STAGES:
            flow = run_stage(stage, "flow", flow_copy)
            bare = run_stage(stage, "bare", bare_copy)
            rows.append((stage, flow, bare))
        reruns = {stage: run_stage(stage, "flow", flow_copy) for stage in STAGES}

    print(f"nightly on the demo content (day {DAY}); wall = whole process incl. start-up, work = inside it")
    head = f"{'stage':<11}{'flow wall':>10}{'flow work':>10}{'bare wall':>10}{'bare work':>10}{'flow/bare':>10}" \
           f"{'rerun':>8}{'rerun/flow':>11}{'flow MB':>9}{'child MB':>10}{'bare MB':>9}"
    print(head)
    total = {"flow": 0.0, "bare": 0.0, "rerun": 0.0}
    for stage, flow, bare in rows:
        rerun = reruns[stage]
        total["flow"] += flow["wall"]
        total["bare"] += bare["wall"]
        total["rerun"] += rerun["wall"]
        print(f"{stage:<11}{flow['wall']:>9.2f}s{flow['inner_wall']:>9.2f}s{bare['wall']:>9.2f}s"
              f"{bare['inner_wall']:>9.2f}s{flow['inner_wall'] / max(bare['inner_wall'], 1e-6):>9.2f}x"
              f"{rerun['wall']:>7.2f}s{rerun['inner_wall'] / max(flow['inner_wall'], 1e-6):>10.2f}x"
              f"{flow['rss_kb'] / 1024:>9.0f}{flow['child_rss_kb'] / 1024:>10.0f}{bare['rss_kb'] / 1024:>9.0f}")
    print(f"{'total':<11}{total['flow']:>9.2f}s{'':>10}{total['bare']:>9.2f}s{'':>10}"
          f"{total['flow'] / total['bare']:>9.2f}x{total['rerun']:>7.2f}s{total['rerun'] / total['flow']:>10.2f}x")


if __name__ == "__main__":
    main()
