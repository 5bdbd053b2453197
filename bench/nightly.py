"""The demo night side by side (issue 11's bar): the embedded default, the bare library, and the reruns.

  cold      `bantin run --date D` on a fresh copy with a cold speech cache: the embedded default (a temporary
            Prefect server of its own)
  bare      pipeline.nightly in one plain Python process on another fresh copy (no Prefect at all): the same work
  rerun     `bantin run` again on the first copy: nothing to do
  bare rerun  the bare library again on its copy
  up-rerun  the same rerun while `bantin up` runs: a triggered deployment on a warm server and runner (the first
            trigger after start-up, then the median of --up-repeats more), with where its wall time goes (the CLI's
            start, the runner's pick-up, the run's process start, each stage, the rest of the flow run, the CLI's
            end: from the server's own timestamps) and the CPU of `bantin up`'s server and runner (with the run's
            process) beside the CLI's

Each figure is the wall time of the whole command, start-up included (what an editor waits for), with the CPU time
of the command's whole process tree and how many ffmpeg processes it started (counted by a shim named in
BANTIN_FFMPEG). Ratios: cold/bare (goal ≤ 2) and each rerun against the cold night. The 1- and 5-minute load
averages are printed before and after, since other work on the machine moves every figure.

With --stages it also times each stage (gather, normalise, synthesise, publish) alone, each in its own process:
the Prefect flow against the same stage's bare library code, with peak memory.

    .venv/bin/python bench/nightly.py [--stages] [--up-repeats N] [--up-only]

--up-only skips the cold night under Prefect: the bare library builds the night once, then the reruns on `bantin up`.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
DAY = "2023-12-01"  # the demo night (README: "Which night the demo builds")
STAGES = ["gather", "normalise", "synthesise", "publish"]
BARE = ("import sys; from datetime import date; from flows import pipeline, runtime; "
        "r = pipeline.nightly(*runtime.open_newsroom(sys.argv[1]), day=date.fromisoformat(sys.argv[2])); "
        "sys.exit(0 if r.ok else 1)")

STAGE_CODE = r"""
import json, resource, sys, time
from datetime import date
stage, mode, content, day = sys.argv[1:5]
day = date.fromisoformat(day)
t0 = time.perf_counter()
if mode == "flow":
    import flows.gather, flows.normalise, flows.publish, flows.synthesise
    run = {"gather": lambda: flows.gather.gather(content), "normalise": lambda: flows.normalise.normalise(content),
           "synthesise": lambda: flows.synthesise.synthesise(content, day=day),
           "publish": lambda: flows.publish.publish(content)}[stage]
else:
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


@dataclass
class Timed:
    wall: float
    cpu: float  # user + system of the command and every child it waited for
    ffmpeg: int  # ffmpeg processes it started


class FfmpegCounter:
    """A shim in BANTIN_FFMPEG that logs one line per ffmpeg process, then runs the real one."""

    def __init__(self, folder: Path) -> None:
        from flows.audio.ffmpeg import ffmpeg_exe

        self.log = folder / "ffmpeg-calls.log"
        self.shim = folder / "ffmpeg"
        self.shim.write_text(f'#!/bin/sh\necho x >> "{self.log}"\nexec "{ffmpeg_exe()}" "$@"\n')
        self.shim.chmod(0o755)

    def count(self) -> int:
        try:
            return len(self.log.read_text().splitlines())
        except FileNotFoundError:
            return 0


def env(counter: FfmpegCounter) -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "BANTIN_"))}
    return {**clean, "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "BANTIN_FFMPEG": str(counter.shim)}


def fresh(base: Path, name: str) -> Path:
    target = base / name / "content"
    shutil.copytree(ROOT / "content", target)
    return target


def children_cpu() -> float:
    use = resource.getrusage(resource.RUSAGE_CHILDREN)
    return use.ru_utime + use.ru_stime


def timed(argv: list[str], counter: FfmpegCounter) -> Timed:
    before_calls, before_cpu = counter.count(), children_cpu()
    t0 = time.perf_counter()
    subprocess.run(argv, cwd=ROOT, env=env(counter), check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return Timed(time.perf_counter() - t0, children_cpu() - before_cpu, counter.count() - before_calls)


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"{one:.1f} / {five:.1f}"


def whole_night(base: Path, counter: FfmpegCounter, repeats: int = 4, up_only: bool = False) -> None:
    flow_copy, bare_copy = fresh(base, "flow"), fresh(base, "bare")
    bantin = str(BIN / "bantin")
    run_flow = [bantin, "run", "--content", str(flow_copy), "--date", DAY]
    print(f"the demo night ({DAY}, 16 stations, offline voice, cold speech cache); whole command, start-up included")
    print(f"load average (1 / 5 min) at the start: {load()}")
    print(f"{'':<44}{'wall':>9}{'CPU':>9}{'ffmpeg':>8}{'vs cold':>9}{'vs bare':>9}", flush=True)
    rows: list[Timed] = []

    def row(name: str, t: Timed) -> None:  # printed as it comes: a long run on a busy machine still tells something
        rows.append(t)
        cold, bare = rows[0].wall, (rows[1].wall if len(rows) > 1 else float("nan"))
        print(f"{name:<44}{t.wall:>8.1f}s{t.cpu:>8.1f}s{t.ffmpeg:>8}{t.wall / cold:>8.2f}x{t.wall / bare:>8.2f}x",
              flush=True)

    if up_only:  # the night built by the bare library on the copy `bantin up` serves; its rerun for comparison
        row("cold: bare library (builds the night)", timed([sys.executable, "-c", BARE, str(flow_copy), DAY], counter))
        row("bare rerun", timed([sys.executable, "-c", BARE, str(flow_copy), DAY], counter))
    else:
        row("cold: bantin run (temporary Prefect server)", timed(run_flow, counter))
        row("bare library, one process", timed([sys.executable, "-c", BARE, str(bare_copy), DAY], counter))
        row("rerun: bantin run (temporary server)", timed(run_flow, counter))
        row("bare rerun", timed([sys.executable, "-c", BARE, str(bare_copy), DAY], counter))
    up = subprocess.Popen([bantin, "up", "--content", str(flow_copy), "--api-port", "4391", "--no-web"], cwd=ROOT,
                          env=env(counter), stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        assert up.stdout is not None
        for line in up.stdout:
            if "bantin đang chạy" in line:
                break
        time.sleep(5)  # the runner's forkserver imports bantin and Prefect once, just after start-up
        parts = UpParts(flow_copy.parent / "data", "http://127.0.0.1:4391/api")
        # The runner's work happens in `bantin up`'s processes, not the CLI's: their CPU is in the breakdown below.
        traced = [parts.trace(lambda: timed(run_flow, counter)) for _ in range(1 + repeats)]
        row("up-rerun: triggered on bantin up (1st)", traced[0][0])
        later = sorted(traced[1:], key=lambda t: t[0].wall)
        middle = later[len(later) // 2]
        row(f"up-rerun: triggered on bantin up (median of {len(later)})", middle[0])
        print(f"  each: {', '.join(f'{t.wall:.1f}' for t, _ in traced)} s wall; "
              f"CLI CPU {', '.join(f'{t.cpu:.1f}' for t, _ in traced)} s")
        print_breakdown([b for _, b in later], middle[1])
    finally:
        up.send_signal(signal.SIGTERM)
        up.wait(120)
    print(f"load average at the end: {load()}")
    print(("" if up_only else f"cold/bare {rows[0].wall / rows[1].wall:.2f}x (goal ≤ 2); ")
          + f"up-rerun {middle[0].wall:.1f} s (goal < 5 s)")


def _when(stamp: str | None) -> float:
    from datetime import datetime

    return datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp() if stamp else float("nan")


def _group_cpu(pgid: int) -> float:
    """CPU seconds of every process in a process group, with the children they reaped (a flow run's process)."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid:  # pgrp; utime, stime, cutime, cstime follow at 11..14
            total += sum(int(f) for f in fields[11:15])
    return total / os.sysconf("SC_CLK_TCK")


STEPS = ("CLI start → run created", "runner pick-up (→ Pending)", "process start (→ Running)", "gather", "normalise",
         "synthesise", "publish", "rest of the flow run", "CLI: result → exit")


class UpParts:
    """The running `bantin up`'s server and runner, asked where a triggered run spent its time."""

    def __init__(self, data: Path, api: str) -> None:
        self.api = api
        self.groups = json.loads((data / "bantin-up.json").read_text())["groups"]

    def _post(self, path: str, body: dict) -> list[dict]:
        import urllib.request

        request = urllib.request.Request(self.api + path, data=json.dumps(body).encode(), method="POST",
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=30) as reply:
            return json.loads(reply.read())

    def trace(self, command) -> tuple[Timed, dict[str, float]]:  # type: ignore[no-untyped-def]
        cpu = {name: _group_cpu(pgid) for name, pgid in self.groups.items()}
        launched = time.time()
        result = command()
        ended = time.time()
        time.sleep(2)  # the run's process finishes sending its events and exits
        spent = {f"CPU {name}": _group_cpu(pgid) - cpu[name] for name, pgid in self.groups.items()}
        [run] = self._post("/flow_runs/filter", {  # the last one to end (the schedule's next nights wait too)
            "deployments": {"name": {"any_": ["nightly"]}}, "sort": "END_TIME_DESC", "limit": 1,
            "flow_runs": {"state": {"type": {"any_": ["COMPLETED", "FAILED", "CRASHED", "CANCELLED"]}}}})
        states: dict[str, float] = {}
        for state in sorted(self._states(run["id"]), key=lambda s: s["timestamp"]):
            states.setdefault(state["type"], _when(state["timestamp"]))  # the first Pending, Running, ...
        stages = {}
        for task in self._post("/task_runs/filter", {"flow_runs": {"id": {"any_": [run["id"]]}}}):
            stage = task["name"].rsplit("-", 1)[0]
            if stage in ("gather", "normalise", "synthesise", "publish") and task["start_time"]:
                stages[stage] = _when(task["end_time"]) - _when(task["start_time"])
        created, pending, running, done = (_when(run["created"]), states.get("PENDING"), states.get("RUNNING"),
                                           states.get("COMPLETED"))
        steps = dict(zip(STEPS, [created - launched, pending - created, running - pending,
                                 *(stages.get(s, float("nan")) for s in ("gather", "normalise", "synthesise", "publish")),
                                 done - running - sum(stages.values()), ended - done]))
        return result, {**steps, **spent}

    def _states(self, run_id: str) -> list[dict]:
        import urllib.request

        with urllib.request.urlopen(f"{self.api}/flow_run_states/?flow_run_id={run_id}", timeout=30) as reply:
            return json.loads(reply.read())


def print_breakdown(runs: list[dict[str, float]], middle: dict[str, float]) -> None:
    print(f"  where the up-rerun's wall time goes (the median run; min–max over {len(runs)}), and the CPU of each "
          "part (the server's includes its idle polling):")
    for key in middle:
        values = [r[key] for r in runs]
        print(f"    {key:<32}{middle[key]:>6.2f} s   ({min(values):.2f}–{max(values):.2f})")


def run_stage(stage: str, mode: str, content: Path, counter: FfmpegCounter) -> dict[str, float]:
    t0 = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", STAGE_CODE, stage, mode, str(content), DAY], cwd=ROOT,
                         env={**env(counter), "PREFECT_LOGGING_LEVEL": "ERROR"}, capture_output=True, text=True,
                         check=True)
    data = json.loads(next(ln for ln in out.stdout.splitlines() if ln.startswith("BENCH "))[6:])
    data["wall"] = time.perf_counter() - t0
    return data


def by_stage(base: Path, counter: FfmpegCounter) -> None:
    flow_copy, bare_copy = fresh(base, "stage-flow"), fresh(base, "stage-bare")
    rows = [(stage, run_stage(stage, "flow", flow_copy, counter), run_stage(stage, "bare", bare_copy, counter))
            for stage in STAGES]
    print(f"\neach stage alone, in its own process (load {load()}); wall = whole process, work = inside it")
    print(f"{'stage':<11}{'flow wall':>10}{'flow work':>10}{'bare wall':>10}{'bare work':>10}{'flow/bare':>10}"
          f"{'flow MB':>9}{'child MB':>10}{'bare MB':>9}")
    for stage, flow, bare in rows:
        print(f"{stage:<11}{flow['wall']:>9.2f}s{flow['inner_wall']:>9.2f}s{bare['wall']:>9.2f}s"
              f"{bare['inner_wall']:>9.2f}s{flow['wall'] / max(bare['wall'], 1e-6):>9.2f}x"
              f"{flow['rss_kb'] / 1024:>9.0f}{flow['child_rss_kb'] / 1024:>10.0f}{bare['rss_kb'] / 1024:>9.0f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stages", action="store_true", help="also time each stage alone, flow against bare")
    parser.add_argument("--up-repeats", type=int, default=4, help="triggered reruns after the first (default 4)")
    parser.add_argument("--up-only", action="store_true",
                        help="only the reruns on `bantin up` (the night built once by the bare library)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bantin-nightly-") as tmp:
        base = Path(tmp)
        counter = FfmpegCounter(base)
        whole_night(base, counter, args.up_repeats, args.up_only)
        if args.stages:
            by_stage(base, counter)


if __name__ == "__main__":
    main()
