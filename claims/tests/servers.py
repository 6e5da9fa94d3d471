"""Real servers for the load and fault tests: gunicorn (claims.loadtest.serve) and a throwaway PostgreSQL
cluster of the test's own, made with ``initdb`` in a temporary folder and listening on its own loopback port.
"""

import contextlib
import dataclasses
import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import psycopg

from claims.loadtest import free_port, serve

__all__ = ["Cluster", "postgres_bindir", "postgres_cluster", "serve"]


def postgres_bindir():
    """The newest PostgreSQL server binaries installed (Debian keeps them out of PATH), or None."""
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[4]))
    if candidates:
        return Path(candidates[-1]).parent
    found = shutil.which("initdb")
    return Path(found).parent if found else None


@dataclasses.dataclass
class Cluster:
    bindir: Path
    root: Path
    port: int
    as_user: list

    @property
    def data(self):
        return self.root / "data"

    @property
    def url(self):
        return f"postgres://postgres@127.0.0.1:{self.port}/factcheck"

    def pg_ctl(self, *args, timeout=60):
        command = [*self.as_user, str(self.bindir / "pg_ctl"), "-D", str(self.data), *args]
        return subprocess.run(command, check=True, capture_output=True, text=True, timeout=timeout)

    def start(self):
        # Loopback only, its socket in our folder; fsync off because nothing here must survive a power cut
        # (a stopped postmaster's committed data is in the OS cache and WAL, and recovery replays it).
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=60"
        self.pg_ctl("start", "-w", "-t", "30", "-l", str(self.root / "postgres.log"), "-o", options)

    def stop(self, mode="fast"):
        self.pg_ctl("stop", "-m", mode, "-w", "-t", "30")

    def is_running(self):
        command = [*self.as_user, str(self.bindir / "pg_ctl"), "-D", str(self.data), "status"]
        return subprocess.run(command, capture_output=True).returncode == 0

    def connect(self, dbname="factcheck"):
        return psycopg.connect(host="127.0.0.1", port=self.port, user="postgres", dbname=dbname, autocommit=True,
                               connect_timeout=5)

    def log(self):
        path = self.root / "postgres.log"
        return path.read_text(errors="replace") if path.exists() else ""


@contextlib.contextmanager
def postgres_cluster(bindir):
    """A fresh cluster with an empty ``factcheck`` database, trust auth on 127.0.0.1; removed on exit.
    As root, the server runs as the ``postgres`` user (initdb refuses root)."""
    root = Path(tempfile.mkdtemp(prefix="factcheck-pg-"))
    as_user = []
    if os.geteuid() == 0:
        account = pwd.getpwnam("postgres")
        os.chown(root, account.pw_uid, account.pw_gid)
        as_user = ["runuser", "-u", "postgres", "--"]
    cluster = Cluster(bindir=bindir, root=root, port=free_port(), as_user=as_user)
    try:
        subprocess.run([*as_user, str(bindir / "initdb"), "-D", str(cluster.data), "-U", "postgres", "-A", "trust",
                        "-E", "UTF8", "--locale=C", "--no-sync"], check=True, capture_output=True, timeout=120)
        cluster.start()
        with cluster.connect("postgres") as conn:
            conn.execute("CREATE DATABASE factcheck")
        yield cluster
    finally:
        if cluster.is_running():
            cluster.stop("immediate")
        shutil.rmtree(root, ignore_errors=True)


def wait_for(predicate, timeout, interval=0.05):
    """Poll ``predicate`` until it is true; return the seconds it took, or None at the timeout."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if predicate():
            return time.monotonic() - started
        time.sleep(interval)
    return None
