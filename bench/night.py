"""The whole demo night three ways, side by side, from the same library functions (issue 11's bar):

  cold     `bantin run --date D` on a fresh copy: the embedded default (a temporary Prefect server of its own)
  bare     pipeline.nightly in one plain Python process on another fresh copy (no Prefect at all)
  rerun    `bantin run` again on the first copy: nothing to do
  up-rerun the same rerun while `bantin up` runs: a triggered deployment on a warm server and runner

Each is the wall time of the whole command, start-up included (that is what an editor waits for), and prints
the ratios cold/bare (goal ≤ 2) and what each rerun costs. The speech cache is cold in `cold` and `bare`.

    .venv/bin/python bench/night.py
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
DAY = "2023-12-01"
BARE = ("import sys; from datetime import date; from flows import pipeline, runtime; "
        "r = pipeline.nightly(*runtime.open_newsroom(sys.argv[1]), day=date.fromisoformat(sys.argv[2])); "
        "sys.exit(0 if r.ok else 1)")


def env() -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "BANTIN_"))}
    return {**clean, "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}


def fresh(base: Path, name: str) -> Path:
    target = base / name / "content"
    shutil.copytree(ROOT / "content", target)
    return target


def timed(argv: list[str]) -> float:
    t0 = time.perf_counter()
    subprocess.run(argv, cwd=ROOT, env=env(), check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return time.perf_counter() - t0


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="bantin-night-") as tmp:
        base = Path(tmp)
        flow_copy, bare_copy = fresh(base, "flow"), fresh(base, "bare")
        cold = timed([str(BIN / "bantin"), "run", "--content", str(flow_copy), "--date", DAY])
        bare = timed([sys.executable, "-c", BARE, str(bare_copy), DAY])
        rerun = timed([str(BIN / "bantin"), "run", "--content", str(flow_copy), "--date", DAY])
        bare_rerun = timed([sys.executable, "-c", BARE, str(bare_copy), DAY])
        up = subprocess.Popen([str(BIN / "bantin"), "up", "--content", str(flow_copy), "--api-port", "4391",
                               "--no-web"], cwd=ROOT, env=env(), stdout=subprocess.PIPE, text=True)
        assert up.stdout is not None
        for line in up.stdout:
            if "bantin đang chạy" in line:
                break
        try:
            first = timed([str(BIN / "bantin"), "run", "--content", str(flow_copy), "--date", DAY])
            up_rerun = timed([str(BIN / "bantin"), "run", "--content", str(flow_copy), "--date", DAY])
        finally:
            up.send_signal(signal.SIGTERM)
            up.wait(120)

    print(f"the demo night ({DAY}, 16 stations, offline voice); wall time of the whole command")
    print(f"{'cold (bantin run, temporary server)':<44}{cold:>8.1f} s")
    print(f"{'bare library, one process':<44}{bare:>8.1f} s   cold/bare {cold / bare:.2f}x")
    print(f"{'rerun (bantin run, temporary server)':<44}{rerun:>8.1f} s   bare rerun {bare_rerun:.1f} s")
    print(f"{'rerun triggered on bantin up (1st, 2nd)':<44}{first:>8.1f} s {up_rerun:>6.1f} s")


if __name__ == "__main__":
    main()
