"""A real worker process takes tasks end to end: evidence added through the workflow in one process is checked
and archived by `manage.py run_worker` in another, on SQLite, on PostgreSQL (when DATABASE_URL names one) and
on RQ against the local Redis (database REDIS_TEST_DB, 4 by default)."""

import contextlib
import os
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest

from factcheck.tests.webserver import web_server

ROOT = Path(__file__).resolve().parents[2]
REDIS_TEST_URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/4")

ADD_EVIDENCE = """
from claims import workflow
from claims.tests.factories import EditorFactory, new_claim
editor = EditorFactory(username="worker-test")
claim = new_claim(actor=editor)
workflow.add_evidence(claim=claim, actor=editor, version=claim.version, title="Statement", url={url!r})
"""


def manage(env, *args, timeout=120):
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True,
                          text=True, timeout=timeout)


@contextlib.contextmanager
def scratch_database(kind, tmp_path):
    """A fresh, empty database of its own: a SQLite file, or a new database on the PostgreSQL server under test."""
    if kind == "sqlite":
        path = tmp_path / "worker.sqlite3"
        yield f"sqlite:///{path}", lambda sql: sqlite3.connect(path).execute(sql).fetchall()
        return
    base = os.environ.get("DATABASE_URL", "")
    if not base.startswith("postgres"):
        pytest.skip("PostgreSQL run only: set DATABASE_URL to a postgres:// URL")
    name = f"worker_test_{uuid.uuid4().hex[:8]}"
    parts = urlsplit(base)
    admin = psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True)
    admin.execute(f'CREATE DATABASE "{name}"')
    url = urlunsplit(parts._replace(path=f"/{name}"))

    def query(sql):
        with psycopg.connect(url) as conn:
            return conn.execute(sql).fetchall()

    try:
        yield url, query
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def wait_for(query, sql, expected, *, seconds=60):
    deadline, rows = time.monotonic() + seconds, None
    while time.monotonic() < deadline:
        rows = query(sql)
        if rows == expected:
            return rows
        time.sleep(0.3)
    return rows


@pytest.mark.parametrize(("database", "backend"), [("sqlite", "database"), ("postgres", "database"), ("sqlite", "rq")])
def test_a_worker_process_checks_and_archives_new_evidence(tmp_path, database, backend):
    with scratch_database(database, tmp_path) as (url, query), web_server() as server:
        env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "worker-test", "TASKS_BACKEND": backend,
               "OUTBOUND_ALLOW_LOOPBACK": "1", "MEDIA_ROOT": str(tmp_path / "media"), "DEBUG": "0"}
        if backend == "rq":
            import redis

            connection = redis.Redis.from_url(REDIS_TEST_URL)
            connection.flushdb()
            env["REDIS_URL"] = REDIS_TEST_URL
        else:
            env.pop("REDIS_URL", None)
        manage(env, "migrate", "--noinput")
        manage(env, "shell", "-c", ADD_EVIDENCE.format(url=server.url("/ok")))
        assert server.hits == []  # the request that added the evidence did not fetch it
        worker = subprocess.Popen([sys.executable, "manage.py", "run_worker"], cwd=ROOT, env=env,
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        try:
            assert wait_for(query, "SELECT health, status FROM linkcheck_link", [("ok", 200)]) == [("ok", 200)]
            assert wait_for(query, "SELECT state FROM linkcheck_capture", [("captured",)]) == [("captured",)]
            warc = query("SELECT warc FROM linkcheck_capture")[0][0]
            assert (tmp_path / "media" / warc).stat().st_size > 0
            assert [path for path, _headers in server.hits] == ["/ok", "/ok"]  # one check, one capture
        finally:
            worker.terminate()
            output = worker.communicate(timeout=30)[0]
        assert worker.returncode in (0, 1, -15), output
        if backend == "rq":
            connection.flushdb()
