"""Measure link checks through real worker processes against a loopback server, and WARC captures of 1 MB.

    OUTBOUND_ALLOW_LOOPBACK=1 manage.py benchmark_linkcheck --links 10000 --workers 2

Runs on the configured database (its links are removed afterwards). Reports URLs checked per second and each
worker's resident memory as the run goes (flat memory: the last sample close to the one after warm-up).
"""

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from factcheck.tests.webserver import web_server
from linkcheck import archiving, tasks
from linkcheck.models import Link

ROOT = Path(__file__).resolve().parents[3]


def rss_kib(pid):
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


class Command(BaseCommand):
    help = "Benchmark link checks (worker processes vs a loopback server) and 1 MB WARC captures."

    def add_arguments(self, parser):
        parser.add_argument("--links", type=int, default=10_000)
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument("--captures", type=int, default=20, help="1 MB pages to capture into WARC")
        parser.add_argument("--json", help="also write the figures to this file")

    def handle(self, *, links, workers, captures, json: str | None = None, **options):
        if not settings.OUTBOUND_ALLOW_LOOPBACK:
            raise CommandError("Set OUTBOUND_ALLOW_LOOPBACK=1: the benchmark checks links on a loopback server.")
        if settings.TASKS_BACKEND != "database":
            raise CommandError("The benchmark measures the database backend (TASKS_BACKEND=database).")
        figures = {"database": settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1], "links": links,
                   "workers": workers}
        with web_server() as server:
            figures.update(self.link_checks(server, links, workers))
            figures.update(self.warc_captures(server, captures))
        self.stdout.write(json_dumps(figures))
        if json:
            Path(json).write_text(json_dumps(figures) + "\n")

    def link_checks(self, server, count, workers):
        prefix = server.url("/ok?bench=")
        Link.objects.filter(url__startswith=prefix).delete()
        DBTaskResult.objects.all().delete()
        self.stdout.write(f"creating {count} links and their check tasks …")
        Link.objects.bulk_create([Link(url=f"{prefix}{n}") for n in range(count)], batch_size=1000)
        ids = list(Link.objects.filter(url__startswith=prefix).values_list("pk", flat=True))
        with transaction.atomic():
            for n, link_id in enumerate(ids, 1):
                tasks.check_link.enqueue(link_id)
                if n % 2000 == 0:
                    self.stdout.write(f"  enqueued {n}")
        env = {**os.environ, "OUTBOUND_ALLOW_LOOPBACK": "1"}
        started = time.monotonic()
        procs = [subprocess.Popen([sys.executable, "manage.py", "run_worker", "--verbosity", "0"], cwd=ROOT, env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for _ in range(workers)]
        samples = []
        try:
            while True:
                time.sleep(1)
                done = Link.objects.filter(url__startswith=prefix, last_checked_at__isnull=False).count()
                samples.append({"t": round(time.monotonic() - started, 1), "checked": done,
                                "rss_kib": [rss_kib(p.pid) for p in procs]})
                self.stdout.write(f"  {done}/{count} checked, worker RSS {samples[-1]['rss_kib']} KiB")
                if done >= count or any(p.poll() is not None for p in procs):
                    break
        finally:
            for p in procs:
                p.terminate()
            for p in procs:
                p.wait(timeout=30)
        elapsed = time.monotonic() - started
        ok = Link.objects.filter(url__startswith=prefix, health=Link.Health.OK).count()
        Link.objects.filter(url__startswith=prefix).delete()
        DBTaskResult.objects.all().delete()
        warm = next((s for s in samples if s["checked"] >= count * 0.1), samples[0])
        return {
            "checked": samples[-1]["checked"], "ok": ok, "seconds": round(elapsed, 1),
            "urls_per_second": round(samples[-1]["checked"] / elapsed, 1),
            "rss_kib_after_10pct": warm["rss_kib"], "rss_kib_at_end": samples[-1]["rss_kib"],
            "server_requests": len(server.hits),
        }

    def warc_captures(self, server, count):
        from factcheck.fetch import fetch

        fetched = fetch(server.url("/sized?bytes=1000000"))
        times = []
        for _ in range(count):
            started = time.perf_counter()
            archiving.warc_bytes(fetched)
            archiving.extract_text(fetched)
            times.append(time.perf_counter() - started)
        end_to_end = []
        for _ in range(min(count, 5)):
            started = time.perf_counter()
            page = fetch(server.url("/sized?bytes=1000000"))
            archiving.warc_bytes(page)
            archiving.extract_text(page)
            end_to_end.append(time.perf_counter() - started)
        return {"warc_1mb_seconds_median": round(statistics.median(times), 3),
                "warc_1mb_seconds_max": round(max(times), 3),
                "fetch_and_warc_1mb_seconds_max": round(max(end_to_end), 3)}


def json_dumps(value):
    return json.dumps(value, indent=2)
