"""Keep the parts of the service running: start them in order, restart one that dies, stop them all.

A part that exits is started again after a pause that doubles with each quick failure (1 s up to a
minute) and falls back to 1 s once it has stayed up for a minute, so a part that cannot start does not
spin the machine and a part that died once comes back at once. A part that needs another (the runner
needs Prefect's server) is restarted with it.
"""

from __future__ import annotations

import logging
import subprocess
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from flows.service import processes
from flows.service.state import healthy

log = logging.getLogger("bantin.service")

FIRST_PAUSE, LONGEST_PAUSE, STEADY_AFTER = 1.0, 60.0, 60.0


@dataclass
class Part:
    name: str
    argv: list[str]
    env: Mapping[str, str]
    ready_url: str = ""  # answers 2xx once the part is ready
    ready_file: Path | None = None  # or: the part writes this file (its pid inside) once it is ready
    needs: str = ""  # the part this one talks to: started after it is ready, restarted with it
    cwd: Path | None = None
    # Bookkeeping
    process: subprocess.Popen[bytes] | None = None
    started_at: float = 0.0
    pause: float = FIRST_PAUSE
    restart_at: float | None = None
    restarts: int = 0


@dataclass
class Supervisor:
    parts: list[Part]
    logs: Path
    on_change: Callable[[dict[str, int]], None] = lambda groups: None
    ready_timeout: float = 300.0
    stopping: threading.Event = field(default_factory=threading.Event)

    def part(self, name: str) -> Part:
        return next(p for p in self.parts if p.name == name)

    def groups(self) -> dict[str, int]:
        return {p.name: p.process.pid for p in self.parts if p.process is not None and p.process.poll() is None}

    # -- starting --------------------------------------------------------------------------------------
    def _start(self, part: Part) -> None:
        if part.needs:
            needed = self.part(part.needs)
            if needed.process is None or needed.process.poll() is not None or not self._ready(needed):
                part.restart_at = time.monotonic() + FIRST_PAUSE  # try again once what it needs is back
                return
        log.info("starting %s", part.name)
        part.process = processes.spawn(part.argv, part.env, self.logs / f"{part.name}.log", part.cwd)
        part.started_at = time.monotonic()
        part.restart_at = None
        self.on_change(self.groups())

    def _ready(self, part: Part) -> bool:
        if part.process is None or part.process.poll() is not None:
            return False
        if part.ready_url:
            return healthy(part.ready_url)
        if part.ready_file is not None:
            try:
                return part.ready_file.read_text().strip() == str(part.process.pid)
            except OSError:
                return False
        return True

    def wait_ready(self, part: Part) -> bool:
        deadline = time.monotonic() + self.ready_timeout
        while time.monotonic() < deadline and not self.stopping.is_set():
            if part.process is None or part.process.poll() is not None:
                return False
            if self._ready(part):
                return True
            time.sleep(0.3)
        return False

    def start(self) -> list[str]:
        """Start every part in order, each once the one before is ready; returns the parts that failed."""
        failed = []
        for part in self.parts:
            self._start(part)
            if part.process is None or not self.wait_ready(part):
                failed.append(part.name)
        return failed

    # -- watching --------------------------------------------------------------------------------------
    def check(self) -> None:
        """One pass of the watch: note parts that died, restart those whose pause is over."""
        now = time.monotonic()
        for part in self.parts:
            if part.process is not None and part.process.poll() is not None and part.restart_at is None:
                code = part.process.returncode
                up_for = now - part.started_at
                part.pause = FIRST_PAUSE if up_for >= STEADY_AFTER else min(LONGEST_PAUSE, part.pause * 2)
                part.restart_at = now + (FIRST_PAUSE if up_for >= STEADY_AFTER else part.pause)
                log.warning("%s exited (code %s) after %.0f s; restarting in %.0f s", part.name, code, up_for,
                            part.restart_at - now)
                processes.stop(part.process, timeout=5)  # what it started goes with it
                for dependant in self.parts:  # e.g. the runner, whose server went away
                    if dependant.needs == part.name and dependant.process is not None \
                            and dependant.process.poll() is None:
                        log.warning("restarting %s with %s", dependant.name, part.name)
                        processes.stop(dependant.process)
                        dependant.restart_at = part.restart_at + FIRST_PAUSE
                self.on_change(self.groups())
        for part in self.parts:
            if part.restart_at is not None and now >= part.restart_at and not self.stopping.is_set():
                part.restarts += 1
                self._start(part)

    def watch(self, every: float = 0.5) -> None:
        while not self.stopping.wait(every):
            self.check()

    def stop(self) -> None:
        """Stop every part, the last started first."""
        self.stopping.set()
        for part in reversed(self.parts):
            if part.process is not None and part.process.poll() is None:
                log.info("stopping %s", part.name)
                processes.stop(part.process)
        self.on_change({})
