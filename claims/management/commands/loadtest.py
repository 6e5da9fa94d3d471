"""The full load run: 60 s, 16 clients against gunicorn and PostgreSQL, on loopback only.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/factcheck python manage.py loadtest

It builds a throwaway database of its own (``<name>_loadtest``; never the configured one), seeds users with
API tokens and claims through the workflow, starts ``gunicorn factcheck.wsgi`` on a free loopback port
against that database, and runs 8 readers, 6 editors and 2 reviewers (claims/loadtest.py says what each
does). Then it prints the report: requests, latency, the 409/412 conflicts, and the checks that prove no
update was lost. It exits non-zero when a check fails. The database is dropped unless ``--keep-db``.
"""

import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from claims import loadtest


class Command(BaseCommand):
    help = "Run the app under gunicorn with concurrent readers, editors and reviewers; prove no update is lost."

    def add_arguments(self, parser):
        parser.add_argument("--duration", type=float, default=60.0, help="seconds of traffic (default 60)")
        parser.add_argument("--readers", type=int, default=8)
        parser.add_argument("--editors", type=int, default=6)
        parser.add_argument("--reviewers", type=int, default=2)
        parser.add_argument("--claims", type=int, default=12, help="claims the editors and reviewers share")
        parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
        parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker (default 4)")
        parser.add_argument("--seed", type=int, default=0, help="random seed of the clients")
        parser.add_argument("--keep-db", action="store_true", help="keep the load-test database afterwards")

    def handle(self, *args, duration, readers, editors, reviewers, claims, workers, threads, seed, keep_db,
               **options):
        if connection.vendor != "postgresql":
            raise CommandError("The load test needs PostgreSQL: set DATABASE_URL=postgres://…")
        if not 1 <= duration <= 600:
            raise CommandError("--duration must be between 1 and 600 seconds.")
        if min(editors, reviewers) < 1 or readers < 0 or claims < 2:
            raise CommandError("Give at least one editor, one reviewer and two claims.")
        original = connection.settings_dict["NAME"]
        connection.settings_dict.setdefault("TEST", {})["NAME"] = f"{original}_loadtest"
        # A pool opened on the configured database would carry on connecting there; start afresh.
        connection.close_pool()
        connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        try:
            report = self.run(duration=duration, readers=readers, editors=editors, reviewers=reviewers,
                              claims=claims, workers=workers, threads=threads, seed=seed)
        finally:
            if not keep_db:
                connection.creation.destroy_test_db(original, verbosity=0)
        for line in report.lines():
            self.stdout.write(line)
        if not report.ok:
            raise CommandError("The load test failed a check (FAIL above).")

    def run(self, *, duration, readers, editors, reviewers, claims, workers, threads, seed):
        self.stdout.write(f"Seeding {connection.settings_dict['NAME']} …")
        plan = loadtest.seed(editors=editors, reviewers=reviewers, work_claims=claims)
        before = loadtest.snapshot(plan)
        url = loadtest.database_url(connection.settings_dict)
        connection.close()
        with tempfile.TemporaryDirectory(prefix="factcheck-loadtest-") as folder:
            log_path = Path(folder) / "gunicorn.log"
            with loadtest.serve(database_url=url, log_path=log_path, workers=workers, threads=threads) as server:
                loadtest.warm_up(server.url, plan)
                self.stdout.write(f"Running {readers + editors + reviewers} clients against {server.url} "
                                  f"for {duration:g} s …")
                traffic = loadtest.Traffic(server.url, plan, readers=readers, editors=editors,
                                           reviewers=reviewers, seed=seed)
                outcomes = traffic.run(duration)
            tracebacks = server.log().count("Traceback")
        checks = loadtest.verify(plan, before, outcomes)
        checks.append(loadtest.Check("no traceback in the server log", tracebacks == 0,
                                     f"{tracebacks} tracebacks"))
        description = (f"Load test: {readers} readers, {editors} editors, {reviewers} reviewers for {duration:g} s "
                       f"against gunicorn ({workers} workers × {threads} threads) and PostgreSQL, "
                       f"{claims} shared claims")
        return loadtest.Report(outcomes=outcomes, checks=checks, duration=traffic.duration, description=description)
