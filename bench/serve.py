"""Downloads under load: `bantin serve` against nginx serving the same audio_out, in the same run.

    .venv/bin/python bench/serve.py                     # 50, 100 and 200 clients, 20 s each
    .venv/bin/python bench/serve.py --clients 200 --seconds 10 --workers 2

Every client is a podcast app or player on its own keep-alive connection: it picks a bulletin and fetches it in
256 KiB Range requests from start to end, then the next one, until time is up. bantin is asked at the
station-key address playout software uses (key check, Range, ETag, fetch log); nginx (Debian's, started here
with sendfile, as in a real deployment) serves the files straight from disk. Printed per server and client
count: requests, throughput, p50 and p99 latency per request, errors (wrong status, length or bytes), and the
server's resident memory before and at its peak (all its processes). Needs `apt-get install nginx-light` and
`pip install -e '.[bench]'` (aiohttp, psutil).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PIECE = 256 * 1024
STATIONS = ("vo-nhai", "binh-long", "la-hien", "than-sa")
PARAGRAPHS = [
    "Thực hiện phong trào thi đua yêu nước, các xã, thị trấn trên địa bàn huyện đã đăng ký giao ước thi đua, "
    "lựa chọn mô hình, cách làm hay để nhân rộng trong nhân dân.",
    "Hội Nông dân huyện biểu dương các hộ sản xuất, kinh doanh giỏi, giúp nhau thoát nghèo và làm giàu chính đáng "
    "trên quê hương.",
    "Đoàn thanh niên ra quân hỗ trợ người dân cài đặt ứng dụng định danh điện tử và dịch vụ công trực tuyến.",
    "Các xã tiếp tục xây dựng nông thôn mới nâng cao, làm đường giao thông nông thôn và giữ gìn vệ sinh môi trường.",
]


def build_audio_out(project: Path, minutes: float) -> list[tuple[str, str, str, int]]:
    """Real bulletins of about `minutes` each (espeak-ng voice, as the nightly run makes them) for 4 stations x 2 slots."""
    from flows.audio import SynthesisCache, build_bulletin, closing_text, opening_text, voice_text
    from flows.content import Newsroom
    from flows.models import BulletinItem, BulletinRequest, Priority

    content = project / "content"
    shutil.copytree(ROOT / "content", content, ignore=shutil.ignore_patterns(".gitkeep"))
    newsroom = Newsroom.load(content)
    cache = SynthesisCache(project / "data" / "tts_cache")
    day = date.today()
    files = []
    clips = {}
    for sid in STATIONS:
        station = newsroom.station(sid)
        profile = station.audio
        for n, text in enumerate(PARAGRAPHS):
            if (repr(profile), n) not in clips:
                clips[(repr(profile), n)] = voice_text(text, profile, cache)
        per = sum(c.duration_seconds + profile.pause_seconds for (p, _), c in clips.items() if p == repr(profile)) / 4
        count = max(1, int(minutes * 60 / per))
        items = tuple(BulletinItem(i, f"Tin {i}", PARAGRAPHS[i % 4], Priority.NORMAL, datetime(2026, 1, 1), True)
                      for i in range(count))
        voiced = {i.story_id: clips[(repr(profile), i.story_id % 4)] for i in items}
        for slot in station.slots:
            request = BulletinRequest(station, slot, day, items)
            result = build_bulletin(request, voiced, voice_text(opening_text(request), profile, cache),
                                    voice_text(closing_text(request), profile, cache), newsroom.settings.audio.output)
            files.append((sid, day.isoformat(), slot.id, result.path.stat().st_size))
    return files


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(url: str, proc: subprocess.Popen, what: str) -> None:
    import urllib.request

    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"{what} stopped: {proc.stdout.read() if proc.stdout else ''}")
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except Exception:
            time.sleep(0.2)
    raise SystemExit(f"{what} did not answer at {url}")


def start_nginx(root: Path, work: Path) -> tuple[subprocess.Popen, int]:
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not os.path.exists(nginx):
        raise SystemExit("nginx is not installed: apt-get install nginx-light")
    port = free_port()
    conf = work / "nginx.conf"
    user = "user root;" if os.geteuid() == 0 else ""
    conf.write_text(f"""{user}
worker_processes auto;
daemon off;
pid {work}/nginx.pid;
error_log {work}/nginx-error.log warn;
events {{ worker_connections 4096; }}
http {{
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 100000;
  types {{ audio/mpeg mp3; }}
  client_body_temp_path {work}/body; proxy_temp_path {work}/proxy; fastcgi_temp_path {work}/fcgi;
  uwsgi_temp_path {work}/uwsgi; scgi_temp_path {work}/scgi;
  server {{ listen 127.0.0.1:{port}; root {root}; }}
}}
""", encoding="utf-8")
    proc = subprocess.Popen([nginx, "-c", str(conf), "-p", str(work)], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    return proc, port


def start_bantin(content: Path, workers: int) -> tuple[subprocess.Popen, int]:
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-c", "from flows.cli import main; main()", "serve", "--content",
                             str(content), "--port", str(port), "--workers", str(workers)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env={**os.environ, "BANTIN_CONTENT": str(content)})
    return proc, port


class Usage:
    """Resident memory of a server's processes (sampled every 50 ms) and the CPU time they spend.

    CPU seconds per request do not depend on how busy the rest of the machine is, where latency does.
    """

    def __init__(self, pid: int) -> None:
        import psutil

        self.root = psutil.Process(pid)
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def now(self) -> int:
        import psutil

        total = 0
        for p in [self.root, *self.root.children(recursive=True)]:
            try:
                total += p.memory_info().rss
            except psutil.Error:
                pass
        return total

    def cpu(self) -> float:
        import psutil

        total = 0.0
        for p in [self.root, *self.root.children(recursive=True)]:
            try:
                t = p.cpu_times()
                total += t.user + t.system
            except psutil.Error:
                pass
        return total

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self.now())
            time.sleep(0.05)

    def __enter__(self) -> "Usage":
        self.peak = self.now()
        self.cpu_start = self.cpu()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.cpu_seconds = self.cpu() - self.cpu_start


async def client(session, urls: list[tuple[str, bytes]], until: float, latencies: list[float],
                 errors: list[str], sent: list[int], rng: random.Random) -> None:
    while time.monotonic() < until:
        url, data = rng.choice(urls)
        start = 0
        while start < len(data) and time.monotonic() < until:
            end = min(start + PIECE, len(data)) - 1
            t0 = time.perf_counter()
            try:
                async with session.get(url, headers={"Range": f"bytes={start}-{end}"}) as r:
                    body = await r.read()
                    status = r.status
            except Exception as exc:  # a refused or dropped connection is an error, not a crash of the bench
                errors.append(type(exc).__name__)
                await asyncio.sleep(0.05)
                continue
            latencies.append(time.perf_counter() - t0)
            if status != 206 or body != data[start:end + 1]:
                errors.append(f"{status} {len(body)}")
            sent[0] += len(body)
            start = end + 1


async def load(urls: list[tuple[str, bytes]], clients: int, seconds: float) -> dict:
    import aiohttp

    latencies: list[float] = []
    errors: list[str] = []
    sent = [0]
    until = time.monotonic() + seconds
    sessions = [aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=1, force_close=False),
                                      timeout=aiohttp.ClientTimeout(total=120)) for _ in range(clients)]
    t0 = time.monotonic()
    try:
        await asyncio.gather(*(client(s, urls, until, latencies, errors, sent, random.Random(n))
                               for n, s in enumerate(sessions)))
    finally:
        for s in sessions:
            await s.close()
    took = time.monotonic() - t0
    latencies.sort()

    def q(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000 if latencies else float("nan")

    return {"requests": len(latencies), "mb_s": sent[0] / took / 1e6, "p50": q(0.50), "p99": q(0.99),
            "errors": len(errors), "error_kinds": sorted(set(errors))[:3]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, nargs="*", default=[50, 100, 200])
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--minutes", type=float, default=10.0, help="length of each test bulletin")
    parser.add_argument("--workers", type=int, default=1, help="bantin serve worker processes")
    args = parser.parse_args()

    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    work = Path(tempfile.mkdtemp(prefix="bantin-bench-serve-"))
    try:
        project = work / "project"
        print(f"Building {len(STATIONS) * 2} bulletins of about {args.minutes:g} minutes …", flush=True)
        files = build_audio_out(project, args.minutes)
        content, audio_out = project / "content", project / "audio_out"
        from flows import runtime
        from flows.store.stationkeys import StationKeys

        keys = StationKeys(runtime.store(str(content)))
        secret = {sid: keys.issue(sid, "bench").secret for sid in STATIONS}
        runtime.forget()
        data = {(s, d, slot): (audio_out / s / d / f"{slot}.mp3").read_bytes() for s, d, slot, _ in files}
        sizes = sorted(len(b) for b in data.values())
        print(f"{len(files)} files, {sizes[0] / 1e6:.1f}–{sizes[-1] / 1e6:.1f} MB; pieces of {PIECE // 1024} KiB; "
              f"{args.seconds:g} s per run; bantin with {args.workers} worker(s)\n", flush=True)

        nginx, nport = start_nginx(audio_out, work)
        bantin, bport = start_bantin(content, args.workers)
        try:
            wait_for(f"http://127.0.0.1:{nport}/{files[0][0]}/{files[0][1]}/{files[0][2]}.mp3", nginx, "nginx")
            wait_for(f"http://127.0.0.1:{bport}/dang-nhap", bantin, "bantin serve")
            servers = {
                "nginx": (nginx.pid, [(f"http://127.0.0.1:{nport}/{s}/{d}/{slot}.mp3", b)
                                      for (s, d, slot), b in data.items()]),
                "bantin": (bantin.pid, [(f"http://127.0.0.1:{bport}/k/{s}/{secret[s]}/{d}/{slot}.mp3", b)
                                        for (s, d, slot), b in data.items()]),
            }
            header = f"{'server':<8}{'clients':>8}{'requests':>10}{'MB/s':>8}{'p50 ms':>9}{'p99 ms':>9}" \
                     f"{'errors':>8}{'CPU ms/req':>12}{'RSS MB before':>15}{'peak':>7}"
            print(header)
            results: dict[tuple[str, int], dict] = {}
            for n in args.clients:
                for name, (pid, urls) in servers.items():
                    with Usage(pid) as use:
                        before = use.peak
                        r = asyncio.run(load(urls, n, args.seconds))
                    r.update(before=before / 1e6, peak=use.peak / 1e6,
                             cpu_ms=use.cpu_seconds * 1000 / max(1, r["requests"]))
                    results[(name, n)] = r
                    kinds = f"  {r['error_kinds']}" if r["errors"] else ""
                    print(f"{name:<8}{n:>8}{r['requests']:>10}{r['mb_s']:>8.0f}{r['p50']:>9.1f}{r['p99']:>9.1f}"
                          f"{r['errors']:>8}{r['cpu_ms']:>12.2f}{r['before']:>15.0f}{r['peak']:>7.0f}{kinds}",
                          flush=True)
            print()
            for n in args.clients:
                b, x = results[("bantin", n)], results[("nginx", n)]
                print(f"{n} clients: bantin/nginx p99 {b['p99'] / x['p99']:.2f}x, p50 {b['p50'] / x['p50']:.2f}x, "
                      f"throughput {b['mb_s'] / x['mb_s']:.2f}x, server CPU per request {b['cpu_ms'] / x['cpu_ms']:.1f}x; "
                      f"bantin errors {b['errors']}, memory {b['before']:.0f} -> {b['peak']:.0f} MB")
            growth = [results[("bantin", n)]["peak"] for n in args.clients]
            print(f"bantin peak memory by clients {args.clients}: {', '.join(f'{m:.0f}' for m in growth)} MB")
            print(f"machine load while measuring (1-min average, {os.cpu_count()} cores): {os.getloadavg()[0]:.1f}")
        finally:
            for proc in (bantin, nginx):
                proc.terminate()
                try:
                    proc.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    proc.kill()
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
