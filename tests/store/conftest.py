"""A real PostgreSQL server for the store tests, started in a temporary folder for this test session.

`make test` in CI installs Debian's postgresql package first (.ci/run); without its binaries the
PostgreSQL half of the store tests is skipped with a message saying so.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest


def _pg_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_postgres(args: list[str]) -> list[str]:
    # initdb refuses to run as root; CI runs as root, so the server runs as the postgres user.
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    pg_bin = _pg_bin()
    if pg_bin is None:
        message = "PostgreSQL is not installed (apt-get install postgresql; .ci/run does it)"
        if os.environ.get("BANTIN_REQUIRE_POSTGRES"):
            pytest.fail(message)
        pytest.skip(message)
    # Not under pytest's tmp folder: that one is private to root, and the server runs as postgres.
    base = Path(tempfile.mkdtemp(prefix="bantin-pg-"))
    data, sock = base / "data", base / "sock"
    sock.mkdir()
    if os.geteuid() == 0:
        shutil.chown(base, "postgres")
        shutil.chown(sock, "postgres")
    port = _free_port()
    subprocess.run(_as_postgres([str(pg_bin / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres",
                                 "-E", "UTF8", "--no-locale"]), check=True, capture_output=True)
    subprocess.run(_as_postgres([str(pg_bin / "pg_ctl"), "-D", str(data), "-w", "-l", str(base / "log"),
                                 "-o", f"-p {port} -k {sock} -c listen_addresses=''", "start"]),
                   check=True, capture_output=True)
    try:
        subprocess.run(_as_postgres([str(pg_bin / "createdb"), "-h", str(sock), "-p", str(port), "-U", "postgres",
                                     "bantin"]), check=True, capture_output=True)
        yield f"postgresql+psycopg://postgres@/bantin?host={sock}&port={port}"
    finally:
        subprocess.run(_as_postgres([str(pg_bin / "pg_ctl"), "-D", str(data), "-m", "fast", "stop"]),
                       capture_output=True)
        shutil.rmtree(base, ignore_errors=True)
