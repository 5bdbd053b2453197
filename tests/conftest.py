"""Shared fixtures: a private copy of the demo content per test, one Prefect harness and one PostgreSQL
server per session."""

from __future__ import annotations

import glob
import hashlib
import os
import shutil
import socket
import subprocess
import tempfile
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"


@pytest.fixture()
def content_dir(tmp_path: Path) -> Iterator[Path]:
    """A copy of content/ in a temporary project folder; the store, audio and portal land beside it."""
    from flows import runtime

    target = tmp_path / "project" / "content"
    shutil.copytree(CONTENT, target, ignore=shutil.ignore_patterns(".gitkeep"))
    runtime.forget()
    yield target
    runtime.forget()


@dataclass(frozen=True)
class ContentEdit:
    """Where an edit of a content file landed: its first and last line, and the line of the block it is in."""

    first: int
    last: int
    block: int

    def expect(self, words: str) -> str:
        return words.format(first=self.first, last=self.last, block=self.block)


@pytest.fixture()
def edit_content(content_dir: Path) -> Callable[..., ContentEdit]:
    """Break a file of the test's content copy on purpose: replace `old` by `new` (the first one after `after`,
    e.g. 'id = "phong-vhtt"' to edit that source's block), and say on which lines the edit landed, so tests
    follow the demo content when it grows."""
    def edit(name: str, old: str, new: str, after: str = "") -> ContentEdit:
        path = content_dir / name
        text = path.read_text(encoding="utf-8")
        start = text.index(after) if after else 0
        at = text.index(old, start)  # a ValueError here: the demo content changed and the edit no longer applies
        text = text[:at] + new + text[at + len(old):]
        path.write_text(text, encoding="utf-8")
        lead = len(new) - len(new.lstrip("\n"))
        first = text.count("\n", 0, at + lead) + 1
        last = text.count("\n", 0, at + len(new.rstrip("\n"))) + 1
        block = text.rfind("\n[[", 0, at + lead)
        return ContentEdit(first, last, text.count("\n", 0, block + 1) + 1 if block >= 0 else 1)
    return edit


@pytest.fixture(scope="session")
def prefect_harness() -> Iterator[None]:
    """Prefect's test server, started once (about 8 s) for every test that runs a flow."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


DEMO_DAY = date(2023, 12, 1)  # the night `make run` builds: the demo stories are from 2023


@pytest.fixture(scope="session")
def demo_night(tmp_path_factory: pytest.TempPathFactory, prefect_harness: None) -> Iterator[dict]:
    """The demo content's night built once for the whole test session, then run again (nothing to do).

    Tests that read bulletins, the portal or the store's history share it instead of building their own.
    """
    from flows import runtime
    from flows.nightly import nightly

    content = tmp_path_factory.mktemp("demo-night") / "project" / "content"
    shutil.copytree(CONTENT, content, ignore=shutil.ignore_patterns(".gitkeep"))
    runtime.forget()
    first = nightly(str(content), day=DEMO_DAY)
    newsroom = runtime.newsroom(str(content))
    outputs = (newsroom.settings.audio.output, newsroom.settings.portal.output)
    hashes = tree_hashes(*outputs)
    counts = runtime.store(str(content)).counts()
    second = nightly(str(content), day=DEMO_DAY)
    yield {"content": str(content), "first": first, "second": second, "hashes": hashes, "counts": counts,
           "outputs": outputs, "day": DEMO_DAY, "hash_outputs": lambda: tree_hashes(*outputs)}
    runtime.forget()


def tree_hashes(*roots: Path) -> dict[str, str]:
    return {str(p): hashlib.sha256(p.read_bytes()).hexdigest()
            for root in roots for p in sorted(root.rglob("*")) if p.is_file()}


def _cp1258(text: str) -> bytes:
    """Encode as Windows-1258 does: letters with a hat or horn precomposed, tone marks combining."""
    out = b""
    for ch in text:
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            base, *marks = unicodedata.normalize("NFD", ch)
            # Circumflex, breve and horn stay on the letter (NFD may put a dot below before them: ậ, ặ).
            keep = [m for m in marks if m in "\u0302\u0306\u031b"]
            marks = [m for m in marks if m not in keep]
            if keep:
                base = unicodedata.normalize("NFC", base + "".join(keep))
            out += (base + "".join(marks)).encode("cp1258")
    return out


@pytest.fixture()
def encode_cp1258() -> Callable[[str], bytes]:
    return _cp1258


# --- A real PostgreSQL server for the tests, started in a temporary folder for this test session. ---------
# CI installs Debian's postgresql package (.ci/run) and sets BANTIN_CI; elsewhere, without
# its binaries, the PostgreSQL tests are skipped with a message saying so.

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
def postgres_server() -> Iterator["PostgresServer"]:
    pg_bin = _pg_bin()
    if pg_bin is None:
        message = "PostgreSQL is not installed (apt-get install postgresql; .ci/run does it)"
        if os.environ.get("BANTIN_CI"):
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
        yield PostgresServer(pg_bin, sock, port)
    finally:
        subprocess.run(_as_postgres([str(pg_bin / "pg_ctl"), "-D", str(data), "-m", "fast", "stop"]),
                       capture_output=True)
        shutil.rmtree(base, ignore_errors=True)


class PostgresServer:
    """A running test server; each caller gets a database of its own."""

    def __init__(self, pg_bin: Path, sock: Path, port: int) -> None:
        self.pg_bin, self.sock, self.port = pg_bin, sock, port
        self._made = 0

    def new_database(self) -> str:
        self._made += 1
        name = f"bantin_{self._made}"
        subprocess.run(_as_postgres([str(self.pg_bin / "createdb"), "-h", str(self.sock), "-p", str(self.port),
                                     "-U", "postgres", name]), check=True, capture_output=True)
        return f"postgresql+psycopg://postgres@/{name}?host={self.sock}&port={self.port}"


@pytest.fixture()
def postgres_url(postgres_server: PostgresServer) -> str:
    """A fresh, empty database on the session's PostgreSQL server."""
    return postgres_server.new_database()
