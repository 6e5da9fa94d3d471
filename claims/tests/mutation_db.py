"""A pytest plugin for mutation testing only (pyproject.toml's [tool.mutmut] loads it with ``-p``): the SQLite
test database lives in a file that later runs reuse (``--reuse-db``). mutmut runs pytest once per mutant, and
migrating a fresh in-memory database each time cost more than the tests. Each of mutmut's parallel workers
takes a file of its own, the first one no running worker holds."""

import fcntl
import itertools
from pathlib import Path

from django.conf import settings

_held = None  # the lock file stays open (locked) until the worker exits


def pytest_configure(config):
    global _held
    database = settings.DATABASES["default"]
    if not database["ENGINE"].endswith("sqlite3"):
        return
    for slot in itertools.count():
        lock = open(Path.cwd() / f"mutation-test-db-{slot}.lock", "w")  # noqa: SIM115 - held for the process
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            lock.close()
            continue
        _held = lock
        database.setdefault("TEST", {})["NAME"] = str(Path.cwd() / f"mutation-test-db-{slot}.sqlite3")
        return
