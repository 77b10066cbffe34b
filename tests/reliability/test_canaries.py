"""No secret in any output: a canary password in the database URL and a canary API token,
through the failing paths of the CLI and the API; the canary must appear in no stdout, stderr,
log line or database row."""

from __future__ import annotations

import logging
import uuid

import pytest

from tests.support.workspace import Workspace

PASSWORD = f"CANARY-PW-{uuid.uuid4().hex[:8]}"
TOKEN = f"CANARY-TOKEN-{uuid.uuid4().hex[:8]}"


def with_password(url: str) -> str:
    """The test database's URL with the canary as password (trust auth ignores it)."""
    scheme, rest = url.split("://", 1)
    user, host = rest.split("@", 1)
    return f"{scheme}://{user}:{PASSWORD}@{host}"


def _rows(url: str) -> str:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return "\n".join(str(row) for table in ("crawl_runs", "leases", "sources")
                             for row in conn.execute(text(f"SELECT * FROM {table}")))
    finally:
        engine.dispose()


def test_no_canary_in_any_cli_output_log_or_run_record(tmp_path, postgres_url) -> None:
    from parkwatch.samplesite import SiteServer

    url = with_password(postgres_url)
    workspace = Workspace(tmp_path, url)
    gone = SiteServer().start()
    dead_site = gone.url
    gone.stop()
    workspace.point(dead_site)
    outputs = []
    env = {"PARKWATCH_API_TOKEN": TOKEN}
    for command in (["db", "upgrade"], ["sources", "list"],
                    ["crawl", "-s", "LOG_LEVEL=DEBUG", "-s", "RETRY_TIMES=0",
                     "-s", "DOWNLOAD_TIMEOUT=3"],
                    ["status"], ["status", "--json"], ["runs", "--json"],
                    ["articles", "show", "999"], ["crawl", "--source", "nope"]):
        proc = workspace.run(*command, timeout=120, **env)
        outputs.append((command, proc.stdout + proc.stderr))
    bad_port = url.replace(":5432/", ":54x2/")
    for command in (["articles", "list"], ["crawl"], ["status"]):
        proc = Workspace(tmp_path, bad_port).run(*command, **env)
        outputs.append((command, proc.stdout + proc.stderr))
    unreachable = url.replace(":5432/", ":1/")
    proc = Workspace(tmp_path, unreachable).run("crawl", "-s", "LOG_LEVEL=DEBUG", **env)
    outputs.append((["crawl", "unreachable"], proc.stdout + proc.stderr))
    for command, text in outputs:
        assert PASSWORD not in text, (command, text[-2000:])
        assert TOKEN not in text, (command, text[-2000:])
    assert "run 1 of e-my399: failed" in outputs[2][1]  # the crawl failed, as planned
    rows = _rows(postgres_url)
    assert "failed" in rows and PASSWORD not in rows and TOKEN not in rows


def test_no_canary_in_api_errors_or_logs(tmp_path, postgres_url, caplog) -> None:
    from fastapi.testclient import TestClient

    from foundation.settings import Settings
    from parkwatch.api import create_app
    from tests.reliability.test_storage_failures import _admin

    url = with_password(postgres_url)
    app = create_app(Settings(database_url=url, home=tmp_path, api_token=TOKEN))
    client = TestClient(app, raise_server_exceptions=False)
    name = postgres_url.rsplit("/", 1)[1]
    caplog.set_level(logging.DEBUG)
    answers = [client.get("/articles"),  # no token
               client.get("/articles", headers={"Authorization": "Bearer wrong"})]
    try:
        _admin(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
        _admin(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'")
        answers += [client.get(path, headers={"Authorization": f"Bearer {TOKEN}"})
                    for path in ("/articles", "/health", "/articles/1", "/search?q=zone")]
    finally:
        _admin(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
    assert [a.status_code for a in answers[:2]] == [401, 401]
    assert all(a.status_code == 503 for a in answers[2:]), [a.text for a in answers]
    for answer in answers:
        assert PASSWORD not in answer.text and TOKEN not in answer.text
        assert PASSWORD not in str(answer.headers) and TOKEN not in str(answer.headers)
    assert PASSWORD not in caplog.text and TOKEN not in caplog.text


@pytest.mark.parametrize("level", ["DEBUG", "INFO"])
def test_log_records_are_masked_at_any_level(level, caplog) -> None:
    from crawler.run import guard_log_records

    before = logging.getLogRecordFactory()
    try:
        guard_log_records(one_line=True, secrets=(TOKEN,))
        caplog.set_level(level)
        log = logging.getLogger("parkwatch.test")
        log.log(getattr(logging, level), "connecting to %s with %s",
                f"postgresql://u:{PASSWORD}@h/db", TOKEN)
        try:
            raise RuntimeError(f"boom postgresql://u:{PASSWORD}@h/db")
        except RuntimeError:
            log.exception("failed")
    finally:
        logging.setLogRecordFactory(before)
    assert "connecting to postgresql://u:***@h/db with ***" in caplog.text
    assert PASSWORD not in caplog.text and TOKEN not in caplog.text
