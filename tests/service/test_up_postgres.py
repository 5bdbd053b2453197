"""`bantin up` for a province: Prefect's own database on PostgreSQL (asyncpg), not SQLite in the data folder.
A real PostgreSQL server (the session's, tests/conftest.py) holds Prefect's tables; the CLI triggers the nightly
deployment on it and the run completes with every station's bulletins (issue 11, point 6)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import psycopg
import pytest
import requests

from tests.conftest import PostgresServer
from tests.service.helpers import bantin, copy_project
from tests.service.test_up import DAY, Service


class PostgresService(Service):
    def __init__(self, content, database_url: str) -> None:  # type: ignore[no-untyped-def]
        super().__init__(content)
        self.database_url = database_url

    def environment(self) -> dict[str, str]:
        return {"PREFECT_API_DATABASE_CONNECTION_URL": self.database_url}


@pytest.fixture(scope="module")
def on_postgres(demo_night: dict, postgres_server: PostgresServer,
                tmp_path_factory: pytest.TempPathFactory) -> Iterator[PostgresService]:
    # The store's form of the URL (postgresql+psycopg://, socket in ?host=): bantin gives Prefect asyncpg's.
    url = postgres_server.new_database()
    with PostgresService(copy_project(demo_night, tmp_path_factory.mktemp("province")), url) as running:
        yield running


def test_prefect_keeps_its_runs_in_postgresql_and_a_triggered_night_completes(on_postgres: PostgresService) -> None:
    from flows import pipeline, runtime

    service = on_postgres
    assert not (service.data / "prefect" / "prefect.db").exists()  # no SQLite database beside it
    result = bantin("run", "--content", str(service.content), "--date", DAY)
    assert result.returncode == 0, result.stdout + result.stderr + service.logs()
    assert "Gửi lượt chạy 'nightly/nightly'" in result.stdout
    runs = requests.post(f"{service.api}/flow_runs/filter", timeout=30, json={
        "deployments": {"name": {"any_": ["nightly"]}}, "flow_runs": {"state": {"type": {"any_": ["COMPLETED"]}}}}).json()
    assert [r["parameters"]["day"] for r in runs] == [DAY]

    # The run is a row in PostgreSQL, in Prefect's own tables (beside the schedule's coming nights).
    with psycopg.connect(service.database_url.replace("postgresql+psycopg://", "postgresql://")) as db:
        completed = [day for (day,) in db.execute(
            "select f.parameters->>'day' from flow_run f join deployment d on d.id = f.deployment_id "
            "where d.name = 'nightly' and f.state_type = 'COMPLETED'").fetchall()]
    assert completed.count(DAY) == 1, completed

    runtime.forget()
    newsroom = runtime.newsroom(str(service.content))
    written = sorted(newsroom.settings.audio.output.glob(f"*/{DAY}/*.mp3"))
    assert len(written) == 2 * len(newsroom.stations)
    check = pipeline.check(newsroom, date.fromisoformat(DAY))
    assert check.ok and len(check.checks) == len(written)
    runtime.forget()
