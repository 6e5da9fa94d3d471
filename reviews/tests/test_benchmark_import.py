import json
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connection


@pytest.mark.slow
def test_the_import_benchmark_runs_at_a_tiny_size(tmp_path):
    env = {**os.environ, "SECRET_KEY": "benchmark-test", "DEBUG": "0", "LOG_LEVEL": "WARNING"}
    if connection.vendor != "postgresql":
        env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, str(settings.BASE_DIR / "manage.py"), "benchmark_import", "--records", "20", "40",
         "--files"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    rows = json.loads((tmp_path / "benchmark-import.json").read_text())["rows"]
    assert [row["records"] for row in rows] == [20, 40]
    assert all(row["peak_mb"] > 0 and row["records_per_second"] > 0 for row in rows)
    assert "20 imported" in rows[0]["summary"]
