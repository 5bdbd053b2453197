"""Write the fetch log in the background, a batch at a time.

Two hundred players asking for ranges would otherwise cost a database commit per response on the request's
path. A writer thread takes what the responses left in a queue every `interval` seconds (or sooner when many
wait) and stores it in one transaction; stopping the app writes what is left.
"""

from __future__ import annotations

import logging
import threading
from collections import deque

from flows.store.fetches import Fetch, FetchLog

log = logging.getLogger("bantin.web")
MAX_WAITING = 100_000  # if the store is gone for long, keep at most this many rows in memory


class FetchRecorder:
    def __init__(self, fetch_log: FetchLog, interval: float = 0.5, batch: int = 500) -> None:
        self.fetch_log, self.interval, self.batch = fetch_log, interval, batch
        self._waiting: deque[Fetch] = deque(maxlen=MAX_WAITING)
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._lock = threading.Lock()  # one flush at a time
        self._thread: threading.Thread | None = None

    def add(self, fetch: Fetch) -> None:
        self._waiting.append(fetch)
        if len(self._waiting) >= self.batch:
            self._wake.set()

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="bantin-fetch-log", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None
        self.flush()

    def flush(self) -> int:
        """Store everything waiting now; returns how many rows were written."""
        with self._lock:
            rows: list[Fetch] = []
            while self._waiting:
                rows.append(self._waiting.popleft())
            if not rows:
                return 0
            try:
                self.fetch_log.record(rows)
            except Exception:  # the store is busy or gone: keep the rows for the next try
                log.exception("Không ghi được nhật ký tải (%d dòng), sẽ thử lại", len(rows))
                self._waiting.extendleft(reversed(rows))
                return 0
            return len(rows)

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.wait(self.interval)
            self._wake.clear()
            self.flush()
