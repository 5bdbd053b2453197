"""Keep freed memory for reuse in a process that voices, instead of mapping every audio array afresh.

Voicing allocates and frees arrays of several MB per step (decode, resample, limiter, encode, decode again). glibc
maps each block over its mmap threshold on its own and unmaps it when freed, so the next array of that size is
page-faulted in again. Two ways make that the common case:

- Dask's nanny starts every worker with MALLOC_TRIM_THRESHOLD_=65536 (distributed.nanny.pre-spawn-environ), and
  setting that variable switches off glibc's dynamic mmap threshold (mallopt(3)): every block over 128 KiB is
  mapped. bench/scale.py measured a worker spending ~1.6x the CPU of one process on the same segments, most of it
  system time.
- Even in one process, the dynamic threshold starts at 128 KiB and only rises as blocks are freed: ~190,000 page
  faults and a tenth of the CPU for 15 segments, against ~5,000 with the thresholds raised here.

So the first voicing in a process raises both thresholds to what glibc's own dynamic rule ends at (32 MiB, and
twice that for trimming). A voicing process holds at most a few arrays of a clip's size, so keeping freed blocks
costs little memory. Only the voicing code calls this (voice.py), not the web app.
"""

from __future__ import annotations

import ctypes
import functools

_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3
MMAP_THRESHOLD = 32 * 1024 * 1024  # glibc's ceiling for its dynamic threshold on 64-bit systems
TRIM_THRESHOLD = 2 * MMAP_THRESHOLD  # what glibc's dynamic rule sets beside it


@functools.cache
def keep_freed_memory() -> bool:
    """Once per process: raise glibc's mmap and trim thresholds. True when they were set (glibc), else False."""
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):  # not glibc (musl, macOS): their allocators have no such switch
        return False
    mallopt.argtypes, mallopt.restype = [ctypes.c_int, ctypes.c_int], ctypes.c_int
    return bool(mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD)) and bool(mallopt(_M_TRIM_THRESHOLD, TRIM_THRESHOLD))
