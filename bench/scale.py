"""Synthesis for a synthetic province: one process against a Dask LocalCluster of two worker processes.

    .venv/bin/python bench/scale.py                                   # 200 stations, 500 stories
    .venv/bin/python bench/scale.py --stations 16 --stories 20 --growth   # a short run

A province is the demo district's settings with `--stations` stations (the demo's 16, then synthetic communes)
and `--stories` approved stories in the store, one in ten district-wide, the rest each for one commune, every
text different. The store is prepared once (normalised, approved); each way then runs in a fresh process on
its own copy with a cold speech cache, voicing offline (espeak-ng):

  serial    the bare library, one step after another (pipeline.synthesise with the Serial fan-out)
  threads   the bare library's default (a thread per core; espeak and ffmpeg run as child processes)
  cluster   the bare library with its voicing and assembly steps on a LocalCluster of two worker processes
            (DaskFanout); the LocalCluster's start is counted

Printed per way: wall time, CPU of the process and all its children (espeak servers and the forks that voiced,
Dask workers), and the ratios (goal: cluster ≥ 1.7x faster than one process); then where the CPU went, by
process (the run's own, each worker, the espeak servers of each), the cluster's start, and each stage's wall time
with the run's own process's CPU in it (voicing on the workers is not in that). The cluster's bulletins are compared byte for byte with
the serial ones. `--growth` also times the serial way with twice the stations and with twice the stories.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DAY = date(2024, 6, 11)
WORDS = ("xã huyện bà con nông dân hội phụ nữ đoàn thanh niên hợp tác xã chè búp đường giao thông nông thôn mới "
         "trường tiểu học trạm y tế khám bệnh người cao tuổi câu lạc bộ văn nghệ hát then đàn tính công an "
         "tuyên truyền phòng chống ma túy học sinh lớp gà đồi an toàn sinh học cây xanh mái nhà gia đình chính "
         "sách mùa mưa doanh nghiệp tỉnh thôn vùng cao ruộng lúa ngô sắn rừng trồng keo bò lợn dê ao cá nước "
         "sạch điện lưới cầu cống kênh mương chợ phiên nhà văn hóa sân bóng thư viện bưu điện ngân hàng chính "
         "sách vốn vay thoát nghèo việc làm đào tạo nghề may mặc mộc rèn dệt thổ cẩm du lịch cộng đồng homestay "
         "lễ hội mùa xuân tết độc lập quốc khánh bầu cử đại biểu hội nghị tổng kết biểu dương khen thưởng").split()


def _rewrite_stations(content: Path, stations: int) -> list[str]:
    """stations.toml with `stations` stations: the demo's 16 (lexicon.toml names some), then synthetic ones."""
    path = content / "stations.toml"
    text = path.read_text(encoding="utf-8")
    header, rest = text.split("\n[[station]]", 1)
    station_part, commune_part = ("[[station]]" + rest).split("\n[[commune]]", 1)
    blocks = ["[[station]]" + b for b in station_part.split("[[station]]")[1:]]
    kept = blocks
    extra_stations, extra_communes = [], []
    for n in range(len(kept), stations):
        cid = f"thu-nghiem-{n:03d}"
        extra_stations.append(f'[[station]]\nid = "{cid}"\nkind = "commune"\ncommune = "{cid}"\n'
                              f'name = "Đài Truyền thanh xã Thử Nghiệm {n}"\n')
        extra_communes.append(f'[[commune]]\nid = "{cid}"\nname = "Thử Nghiệm {n}"\nkind = "xã"\n')
    path.write_text("\n".join([header, *kept, *extra_stations, "[[commune]]" + commune_part, *extra_communes]),
                    encoding="utf-8")
    return [line.split('"')[1] for block in kept + extra_stations for line in block.splitlines()
            if line.startswith("commune = ")]


def prepare(work: Path, stations: int, stories: int) -> Path:
    """A project folder with the province's settings and its normalised, approved stories."""
    from flows import pipeline, runtime
    from flows.models import DISTRICT, SubmittedStory

    content = work / "base" / "content"
    shutil.copytree(ROOT / "content", content)
    communes = _rewrite_stations(content, stations)
    runtime.forget()
    newsroom, store = runtime.open_newsroom(str(content))
    source = newsroom.source("phong-vhtt")  # trusted: approved by normalise
    rng = random.Random(stories * 1000 + stations)
    for n in range(stories):
        audience = (DISTRICT,) if n % 10 == 0 or not communes else (communes[n % len(communes)],)
        body = " ".join(rng.choice(WORDS) for _ in range(30))
        store.add_submission(SubmittedStory(
            "phong-vhtt", f"tinh-{n}", f"Tin số {n} {rng.choice(WORDS)} {rng.choice(WORDS)}",
            f"<p>{body.capitalize()}. Tin số {n} của xã.</p>",
            published_at=datetime.combine(DAY - timedelta(days=1), datetime.min.time()) + timedelta(hours=8),
            audience=audience), source)
    pipeline.normalise(newsroom, store)
    runtime.forget()
    return content


def copy_of(base: Path, work: Path, name: str) -> Path:
    target = work / name / "content"
    shutil.copytree(base.parent, target.parent, ignore=shutil.ignore_patterns("tts_cache", "audio_out", "portal_out"))
    return target


def cpu_seconds() -> float:
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def process_cpu() -> dict[str, float]:
    """CPU so far of this process and every live process under it, by kind: the run's process, each Dask
    worker, the espeak servers (with the forks that voiced, which they reaped) and the rest. A live process's
    CPU is not in RUSAGE_CHILDREN until it is reaped (an espeak server lives as long as its process), so the
    tree is read here, while everything still runs."""
    import psutil

    me = psutil.Process()
    t = me.cpu_times()
    out: dict[str, float] = {"run": t.user + t.system, "reaped": t.children_user + t.children_system}
    workers: dict[int, str] = {}
    for proc in sorted(me.children(recursive=True), key=lambda p: p.pid):
        try:
            times, cmd, parent = proc.cpu_times(), " ".join(proc.cmdline()), proc.ppid()
        except psutil.Error:
            continue
        spent = times.user + times.system + times.children_user + times.children_system
        if "espeak_server" in cmd:
            kind = f"espeak of {workers.get(parent, 'run')}"
        elif "spawn_main" in cmd or "forkserver" in cmd:
            kind = workers[proc.pid] = f"worker {len(workers) + 1}"
        else:
            kind = "other"
        out[kind] = out.get(kind, 0.0) + spent
    return out


class TimedFanout:
    """The way's fan-out, timing each stage it runs (wall, and the run's own process's CPU in it)."""

    def __init__(self, inner) -> None:  # type: ignore[no-untyped-def]
        self.inner, self.steps = inner, {}

    def map(self, step, fn, items, label=str):  # type: ignore[no-untyped-def]
        w0, c0 = time.perf_counter(), time.process_time()
        try:
            return self.inner.map(step, fn, items, label)
        finally:
            wall, cpu, n = self.steps.get(step, (0.0, 0.0, 0))
            self.steps[step] = (wall + time.perf_counter() - w0, cpu + time.process_time() - c0, n + len(items))


def way(name: str, content: Path) -> dict:
    """Run in a fresh process: synthesise the province's day one way."""
    from flows import pipeline, runtime
    from flows.pipeline.fanout import Serial, Threads

    newsroom, store = runtime.open_newsroom(str(content))
    t0, c0 = time.perf_counter(), cpu_seconds()
    extra: dict = {}
    if name == "cluster":
        from distributed import Client, LocalCluster

        from flows.pipeline.cluster import DaskFanout

        with LocalCluster(n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None) as cluster, \
                Client(cluster) as client:
            client.wait_for_workers(2)
            extra["start"] = (time.perf_counter() - t0, process_cpu())
            fanout = TimedFanout(DaskFanout(client))
            s0 = time.perf_counter()
            report = pipeline.synthesise(newsroom, store, day=DAY, fanout=fanout)
            extra["synthesise"] = time.perf_counter() - s0
            extra["end"] = process_cpu()
    else:
        fanout = TimedFanout(Serial() if name == "serial" else Threads())
        report = pipeline.synthesise(newsroom, store, day=DAY, fanout=fanout)
        extra["synthesise"] = time.perf_counter() - t0
        extra["end"] = process_cpu()
    wall = time.perf_counter() - t0
    # The CPU of the whole tree at the synthesis's end (what the run's process reaped plus all that still lives
    # under it), less this process's own before the clock started, plus its own since (the cluster's close).
    after = process_cpu()["run"] - extra["end"]["run"]
    cpu = sum(extra["end"].values()) - c0 + after
    return {"wall": wall, "cpu": cpu, "ok": report.ok,
            "bulletins": len(report.bulletins), "voiced": report.voiced, "steps": fanout.steps, **extra}


def run_way(name: str, content: Path) -> dict:
    proc = subprocess.run([sys.executable, __file__, "--way", name, "--content", str(content)], cwd=ROOT,
                          capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(proc.stderr[-3000:])
    return json.loads(proc.stdout.strip().splitlines()[-1])


def tree(root: Path) -> dict[str, bytes]:
    """The bulletins (MP3, manifest, transcript) by path; not the store mark or the writers' lock files."""
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and not any(part.startswith(".") for part in p.relative_to(root).parts)}


def differences(a: dict[str, bytes], b: dict[str, bytes]) -> str:
    names = sorted(n for n in a.keys() | b.keys() if a.get(n) != b.get(n))
    return "yes" if not names else f"NO ({len(names)} files differ: {', '.join(names[:4])})"


def line(label: str, r: dict, base: dict | None = None) -> str:
    ratio = f"   {base['wall'] / r['wall']:.2f}x faster than serial" if base else ""
    return (f"{label:<10}{r['wall']:>9.1f} s{r['cpu']:>9.1f} s CPU  {r['bulletins']:>5} bulletins"
            f"{r['voiced']:>6} voiced{ratio}")


def breakdown(r: dict) -> str:
    """Where a way's CPU went (per process) and its stages' wall time (with the run's own process's CPU)."""
    def kinds(cpu: dict[str, float]) -> str:
        return ", ".join(f"{k} {v:.1f}" for k, v in cpu.items() if v >= 0.05)

    lines = [f"    CPU by process (s): {kinds(r['end'])}"]
    if "start" in r:
        lines.append(f"    cluster start: {r['start'][0]:.1f} s wall, CPU by process (s): {kinds(r['start'][1])}")
    stages = ", ".join(f"{step} {wall:.1f} s ({cpu:.1f} s CPU here, {n} steps)"
                       for step, (wall, cpu, n) in r["steps"].items())
    accounted = sum(wall for wall, _, _ in r["steps"].values())
    lines.append(f"    stages (wall): {stages}; outside them {r['synthesise'] - accounted:.1f} s "
                 f"(plan, cache look-ups, recording the bulletins in the store, story audio)")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stations", type=int, default=200)
    parser.add_argument("--stories", type=int, default=500)
    parser.add_argument("--growth", action="store_true", help="also time twice the stations, twice the stories")
    parser.add_argument("--no-threads", action="store_true",
                        help="leave out the threads way (at full size each way takes long on a shared machine)")
    parser.add_argument("--way", help=argparse.SUPPRESS)
    parser.add_argument("--content", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.stations < 16:
        parser.error("--stations: at least the demo district's 16")
    if args.way:
        print(json.dumps(way(args.way, args.content)))
        return

    load = os.getloadavg()[0]
    started = time.time()
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as tmp:
        work = Path(tmp)
        t0 = time.perf_counter()
        base = prepare(work / "p", args.stations, args.stories)
        print(f"province: {args.stations} stations, {args.stories} stories, day {DAY} "
              f"(prepared in {time.perf_counter() - t0:.0f} s); load average {load:.1f} on {os.cpu_count()} cores")
        results = {}
        for name in ("serial", "cluster") if args.no_threads else ("serial", "threads", "cluster"):
            content = copy_of(base, work, name)
            results[name] = run_way(name, content)
            print(line(name, results[name], results.get("serial")), flush=True)
            print(breakdown(results[name]), flush=True)
        same = differences(tree(work / "cluster" / "audio_out"), tree(work / "serial" / "audio_out"))
        versus = (f"cluster vs threads: {results['threads']['wall'] / results['cluster']['wall']:.2f}x; "
                  if "threads" in results else "")
        print(f"{versus}CPU cluster/serial {results['cluster']['cpu'] / results['serial']['cpu']:.2f}; "
              f"bulletins byte for byte equal to serial: {same}")
        if args.growth:
            for label, stations, stories in (("2x stations", args.stations * 2, args.stories),
                                             ("2x stories", args.stations, args.stories * 2)):
                grown = prepare(work / label.replace(" ", "-"), stations, stories)
                r = run_way("serial", grown)
                print(f"{label:<12} ({stations} stations, {stories} stories): {r['wall']:.1f} s, {r['cpu']:.1f} s CPU"
                      f" = {r['cpu'] / results['serial']['cpu']:.2f}x the CPU; {r['voiced']} voiced, "
                      f"{r['bulletins']} bulletins")
        print(f"load average at the end {os.getloadavg()[0]:.1f} (1 min), {os.getloadavg()[1]:.1f} (5 min), "
              f"{os.getloadavg()[2]:.1f} (15 min); {time.time() - started:.0f} s in all")


if __name__ == "__main__":
    main()
