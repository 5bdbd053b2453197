"""A process that voices keeps freed memory for reuse, also under Dask's MALLOC_TRIM_THRESHOLD_ (memory.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Allocate and free an array of a few seconds of audio (4 MB) 50 times; print the page faults that took.
_PROBE = """
import resource, sys
import numpy as np
if sys.argv[1] == "keep":
    from flows.audio.memory import keep_freed_memory
    assert keep_freed_memory()
np.ones(1_000_000, dtype=np.float32).sum()
before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
for _ in range(50):
    np.ones(1_000_000, dtype=np.float32).sum()
print(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
"""


def _faults(mode: str) -> int:
    env = {**os.environ, "MALLOC_TRIM_THRESHOLD_": "65536"}  # what Dask's nanny gives every worker
    out = subprocess.run([sys.executable, "-c", _PROBE, mode], cwd=ROOT, env=env, capture_output=True, text=True,
                         check=True)
    return int(out.stdout.strip())


def test_freed_audio_arrays_are_reused_instead_of_mapped_afresh() -> None:
    fresh, kept = _faults("as-started"), _faults("keep")
    # 4 MB is ~1,000 pages: mapped afresh each time, 50 arrays fault ~50,000 times; reused, almost never.
    assert fresh > 25_000, fresh
    assert kept < 2_500, kept
