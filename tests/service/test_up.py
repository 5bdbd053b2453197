"""`bantin up` as a newsroom runs it: a real Prefect server on loopback ports with its database in the data
folder, deployments served from code, the CLI triggering them by name; a second `bantin up` refused; a part
that dies restarted; schedules still there after a restart. One service for the whole module."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from datetime import date
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from tests.service.helpers import BIN, ROOT, bantin, copy_project, env_for, free_port

DAY = "2023-12-01"
STARTUP = 900.0  # a fresh Prefect database on a busy 2-core machine took minutes; this is a hang guard only


class Service:
    def __init__(self, content: Path) -> None:
        self.content = content
        self.data = content.parent / "data"
        self.api_port, self.web_port = free_port(), free_port()
        self.process: subprocess.Popen[str] | None = None

    @property
    def api(self) -> str:
        return f"http://127.0.0.1:{self.api_port}/api"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [str(BIN / "bantin"), "up", "--content", str(self.content), "--api-port", str(self.api_port),
             "--web-port", str(self.web_port)], cwd=ROOT, env=env_for(**self.environment()), stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, text=True)
        lines = []
        deadline = time.monotonic() + STARTUP
        assert self.process.stdout is not None
        while time.monotonic() < deadline:
            line = self.process.stdout.readline()
            if not line and self.process.poll() is not None:
                pytest.fail("bantin up ended before it was ready:\n" + "".join(lines) + self.logs())
            lines.append(line)
            if "bantin đang chạy" in line:
                return
        pytest.fail("bantin up was not ready:\n" + "".join(lines) + self.logs())

    def __enter__(self) -> Service:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        """A module's service left running (its test failed before `bantin down`) is stopped, never orphaned."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(120)

    def environment(self) -> dict[str, str]:
        """What `bantin up` is started with beyond a clean environment (test_up_postgres.py: Prefect's database)."""
        return {}

    def state(self) -> dict:
        return json.loads((self.data / "bantin-up.json").read_text())

    def logs(self) -> str:
        return "".join(f"\n--- {p.name}\n" + p.read_text(errors="replace")[-3000:]
                       for p in sorted((self.data / "logs").glob("*.log")))

    def stop(self) -> None:
        result = bantin("down", "--content", str(self.content), timeout=300)
        assert result.returncode == 0, result.stdout + result.stderr
        if self.process is not None:
            self.process.wait(60)
            assert self.process.returncode == 0, self.logs()


@pytest.fixture(scope="module")
def service(demo_night: dict, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    # The demo night's store and speech cache, without its bulletins: the triggered run must write them.
    with Service(copy_project(demo_night, tmp_path_factory.mktemp("service"))) as running:
        yield running


def test_the_prefect_database_is_in_the_data_folder(service: Service) -> None:
    assert (service.data / "prefect" / "prefect.db").is_file()
    assert requests.get(f"{service.api}/health", timeout=10).json() is True
    state = service.state()
    assert state["api_url"] == service.api and set(state["groups"]) >= {"server", "deployments"}


def test_a_second_up_says_one_is_running(service: Service) -> None:
    second = bantin("up", "--content", str(service.content), "--api-port", str(free_port()), timeout=120)
    assert second.returncode == 1
    assert "bantin đã đang chạy" in second.stderr and str(service.state()["pid"]) in second.stderr


def test_the_cli_triggers_the_nightly_deployment_by_name_with_its_parameters(service: Service) -> None:
    from flows import pipeline, runtime

    result = bantin("run", "--content", str(service.content), "--date", DAY)
    assert result.returncode == 0, result.stdout + result.stderr + service.logs()
    assert "Gửi lượt chạy 'nightly/nightly'" in result.stdout
    assert "Máy chủ Prefect tạm thời" not in result.stdout  # no temporary server of its own
    runs = requests.post(f"{service.api}/flow_runs/filter", timeout=30, json={
        "deployments": {"name": {"any_": ["nightly"]}}, "flow_runs": {"state": {"type": {"any_": ["COMPLETED"]}}}}).json()
    assert [r["parameters"]["day"] for r in runs] == [DAY]
    assert runs[0]["parameters"]["content"] == str(service.content)
    # Its bulletins: every station's, written by that run, each whole and as its manifest says.
    runtime.forget()
    newsroom = runtime.newsroom(str(service.content))
    written = sorted(newsroom.settings.audio.output.glob(f"*/{DAY}/*.mp3"))
    assert len(written) == 2 * len(newsroom.stations)
    check = pipeline.check(newsroom, date.fromisoformat(DAY))
    assert check.ok and len(check.checks) == len(written)
    runtime.forget()
    # The stages are tasks of that run, each completed, with their own tasks (one per source read, one per
    # station's bulletins) under them in Prefect's UI.
    tasks = requests.post(f"{service.api}/task_runs/filter", timeout=30, json={
        "flow_runs": {"id": {"any_": [runs[0]["id"]]}}}).json()
    states = {t["name"].rsplit("-", 1)[0]: t["state"]["type"] for t in tasks}
    assert {k: states.get(k) for k in ("gather", "normalise", "synthesise", "publish")} == dict.fromkeys(
        ("gather", "normalise", "synthesise", "publish"), "COMPLETED"), states
    assert sum(1 for t in tasks if t["name"].startswith("bulletins-")) == len(newsroom.stations)


# A command that triggers a deployment, as the CLI and the desk do, in a process of its own: whether it needed
# Prefect, and what it got back (a result, or the run's own error).
TRIGGER = r"""
import json, sys
from pathlib import Path
from flows.errors import BantinError
from flows.service import ServicePaths, running
from flows.trigger import trigger
paths = ServicePaths(Path(sys.argv[1]))
try:
    got = trigger(running(paths.data), paths, sys.argv[2], json.loads(sys.argv[3]))
    out = {"result": type(got).__name__}
except BantinError as exc:
    out = {"error": type(exc).__name__, "message": exc.message}
out["prefect_imported"] = "prefect" in sys.modules
print(json.dumps(out, ensure_ascii=False))
"""


def _trigger(service: Service, deployment: str, parameters: dict) -> dict:
    done = subprocess.run([str(BIN / "python"), "-c", TRIGGER, str(service.data), deployment, json.dumps(parameters)],
                          cwd=ROOT, env=env_for(), capture_output=True, text=True, timeout=STARTUP)
    assert done.returncode == 0, done.stdout + done.stderr + service.logs()
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_a_triggered_run_needs_no_prefect_in_the_command_and_brings_back_the_runs_own_error(service: Service) -> None:
    published = _trigger(service, "publish/publish", {})
    assert published == {"result": "PublishReport", "prefect_imported": False}
    # A run that fails on the server with bantin's own error: the command gets that error, in Vietnamese.
    failed = _trigger(service, "synthesise/synthesise", {"day": DAY, "stations": ["khong-co-dai-nay"]})
    assert failed["error"] == "NotFoundError" and "khong-co-dai-nay" in failed["message"], failed
    runs = requests.post(f"{service.api}/flow_runs/filter", timeout=30, json={
        "deployments": {"name": {"any_": ["synthesise"]}}}).json()
    assert [r["state"]["type"] for r in runs] == ["FAILED"]
    missing = _trigger(service, "khong-co/khong-co", {})
    assert missing["error"] == "NotFoundError" and not missing["prefect_imported"], missing


def test_the_runners_flow_runs_start_from_a_process_that_imported_bantin_once(service: Service) -> None:
    """Flow runs are forked from the runner's forkserver, which imported the served flow modules at start-up."""
    group = service.state()["groups"]["deployments"]
    members = [int(p.parent.name) for p in Path("/proc").glob("[0-9]*/stat")
               if _pgrp(p) == group]
    forks = {pid: _cmdline(pid) for pid in members if "forkserver" in _cmdline(pid)}
    # A flow run is a fork of the forkserver, with its command line, and an earlier test's run may still be
    # ending: the forkserver is the one whose parent is not a forkserver.
    [warm] = [cmd for pid, cmd in forks.items() if _ppid(pid) not in forks]
    assert "flows.nightly" in warm and "prefect.flow_engine" in warm, warm


def _ppid(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return -1


def _pgrp(stat: Path) -> int:
    try:
        return int(stat.read_text().rsplit(")", 1)[1].split()[2])
    except (OSError, IndexError, ValueError):
        return -1


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def test_the_desk_starts_its_runs_as_deployments_on_the_server(service: Service) -> None:
    """With `bantin up` running, a run an editor starts at /bien-tap/chay is a run of the deployment on
    Prefect's server (seen in its API and UI), followed by the desk to its end."""
    import re

    from flows import runtime
    from flows.store.accounts import Accounts

    Accounts(runtime.store(str(service.content))).add("bien-tap-up", "mat-khau-bien-tap-up", "editor")
    runtime.forget()
    web = f"http://127.0.0.1:{service.web_port}"
    with requests.Session() as editor:
        def token(path: str) -> str:
            return re.search(r'name="csrf_token" value="([^"]+)"', editor.get(web + path, timeout=60).text).group(1)

        def start(**form: object) -> tuple[dict, str]:
            started = editor.post(web + "/bien-tap/chay", timeout=60, allow_redirects=False,
                                  data={**form, "csrf_token": token("/bien-tap/chay")})
            assert started.status_code == 303, started.text
            run_file = service.data / "desk-runs" / (started.headers["location"].rsplit("/", 1)[1] + ".json")
            deadline = time.monotonic() + STARTUP
            while json.loads(run_file.read_text())["state"] in ("waiting", "running"):
                assert time.monotonic() < deadline, run_file.read_text() + service.logs()
                time.sleep(0.5)
            return json.loads(run_file.read_text()), editor.get(web + started.headers["location"], timeout=60).text

        login = editor.post(web + "/dang-nhap", timeout=60, allow_redirects=False, data={
            "ten": "bien-tap-up", "mat_khau": "mat-khau-bien-tap-up", "csrf_token": token("/dang-nhap"), "tiep": "/"})
        assert login.status_code == 303, login.text
        assert f"http://127.0.0.1:{service.api_port}" in editor.get(web + "/bien-tap/chay", timeout=60).text
        published, page = start(viec="publish")
        emergency, _ = start(viec="emergency", tieu_de="Cảnh báo lũ quét ở Sảng Mộc", dai=["sang-moc"],
                             noi_dung="Mưa lớn trên thượng nguồn, bà con không qua ngầm tràn khi nước lên.")

    def on_the_server(run: dict) -> tuple[dict, dict]:
        assert run["state"] == "done", run
        flow_run_id = run["prefect_url"].rsplit("/", 1)[1]
        assert run["prefect_url"] == f"http://127.0.0.1:{service.api_port}/runs/flow-run/{flow_run_id}"
        flow_run = requests.get(f"{service.api}/flow_runs/{flow_run_id}", timeout=30).json()
        deployment = requests.get(f"{service.api}/deployments/{flow_run['deployment_id']}", timeout=30).json()
        assert flow_run["state"]["type"] == "COMPLETED"
        return flow_run, deployment

    flow_run, deployment = on_the_server(published)
    assert deployment["name"] == "publish" and flow_run["parameters"] == {"content": str(service.content)}
    assert published["prefect_url"] in page
    assert published["lines"][0].startswith("Cổng thông tin:"), published["lines"]  # as the CLI prints it
    flow_run, deployment = on_the_server(emergency)
    assert deployment["name"] == "emergency"
    assert flow_run["parameters"] == {"content": str(service.content), "actor": "bien-tap-up", "stations": ["sang-moc"],
                                      "title": "Cảnh báo lũ quét ở Sảng Mộc",
                                      "text": "Mưa lớn trên thượng nguồn, bà con không qua ngầm tràn khi nước lên."}
    written = list((service.data.parent / "audio_out").glob("*/*/khan-cap-*.mp3"))
    assert {p.parts[-3] for p in written} == {"sang-moc"}, written


def test_a_part_that_dies_is_started_again(service: Service) -> None:
    before = service.state()["groups"]["deployments"]
    os.killpg(before, signal.SIGKILL)
    deadline = time.monotonic() + STARTUP
    while time.monotonic() < deadline:
        after = service.state()["groups"].get("deployments")
        marker = service.data / "prefect" / "served"
        if after and after != before and marker.read_text().strip() == str(after):
            break
        time.sleep(0.5)
    else:
        pytest.fail("the runner was not started again" + service.logs())


def test_schedules_survive_a_restart(service: Service) -> None:
    service.stop()
    assert not (service.data / "bantin-up.json").exists()
    service.start()
    deployment = requests.get(f"{service.api}/deployments/name/nightly/nightly", timeout=30).json()
    assert deployment["paused"] is False
    [schedule] = deployment["schedules"]
    assert schedule["active"] is True
    assert schedule["schedule"]["cron"] == "30 22 * * *"
    assert schedule["schedule"]["timezone"] == "Asia/Ho_Chi_Minh"
    day = json.dumps(deployment["parameter_openapi_schema"]["properties"]["day"])
    assert '"format": "date"' in day  # typed: the UI offers a date picker
    # Re-registering the deployments replaces their upcoming runs; Prefect's scheduler makes them again on its
    # next pass (about a minute).
    deadline, upcoming = time.monotonic() + STARTUP, []
    while not upcoming and time.monotonic() < deadline:
        upcoming = requests.post(f"{service.api}/flow_runs/filter", timeout=30, json={
            "deployments": {"id": {"any_": [deployment["id"]]}},
            "flow_runs": {"state": {"type": {"any_": ["SCHEDULED"]}}}}).json()
        time.sleep(2)
    assert upcoming, "the scheduler keeps making the next nights' runs"
    times = {r["expected_start_time"][11:16] for r in upcoming}
    assert times == {"15:30"}, times  # 22:30 in Hà Nội is 15:30 UTC
    gather = requests.get(f"{service.api}/deployments/name/gather/gather", timeout=30).json()
    assert gather["schedules"][0]["schedule"]["cron"] == "*/30 7-17 * * 1-6"
