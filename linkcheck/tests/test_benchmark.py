"""The link-check benchmark runs end to end: two worker processes check every link of a loopback server, with
memory that does not grow, and a 1 MB page goes into a WARC well within a second. (The throughput target is
measured on a quiet machine, README; here only that it runs and what must hold on any machine.)"""

import json
import os
import subprocess
import sys

import pytest

from background.tests.test_worker import ROOT, manage, scratch_database


@pytest.mark.slow
@pytest.mark.parametrize("database", ["sqlite", "postgres"])
def test_benchmark_linkcheck(tmp_path, database):
    with scratch_database(database, tmp_path) as (url, _query):
        env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "bench-test", "TASKS_BACKEND": "database",
               "OUTBOUND_ALLOW_LOOPBACK": "1", "MEDIA_ROOT": str(tmp_path / "media"), "DEBUG": "0"}
        env.pop("REDIS_URL", None)
        manage(env, "migrate", "--noinput")
        report = tmp_path / "report.json"
        subprocess.run([sys.executable, "manage.py", "benchmark_linkcheck", "--links", "600", "--workers", "2",
                        "--captures", "5", "--json", str(report)], cwd=ROOT, env=env, check=True,
                       capture_output=True, timeout=600)
        figures = json.loads(report.read_text())
    assert figures["checked"] == figures["ok"] == 600
    assert figures["server_requests"] == 600  # each link fetched once: no task ran twice
    for before, after in zip(figures["rss_kib_after_10pct"], figures["rss_kib_at_end"], strict=True):
        assert after - before < 4096, figures  # KiB: flat, not growing with the checks
    assert figures["warc_1mb_seconds_max"] < 1.0
