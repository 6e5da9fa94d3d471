import threading

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connections

from .run_scheduler import Scheduler, load_periodic_tasks


class Command(BaseCommand):
    help = (
        "Run a task worker for the configured backend (TASKS_BACKEND): django-tasks-db's db_worker, or an RQ "
        "worker on Redis. --scheduler also runs the schedule in this process (one per deployment)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scheduler", action="store_true", help="Also enqueue the periodic tasks.")
        parser.add_argument("--batch", action="store_true", help="Run what is queued, then exit.")
        parser.add_argument("--max-tasks", type=int, default=None)

    def handle(self, *, scheduler, batch, max_tasks, **options):
        if scheduler:
            self.start_scheduler()
        self.tune_connection()
        backend = settings.TASKS_BACKEND
        if backend == "database":
            arguments = {"interval": 0.5, "startup_delay": False, "reload": False, "batch": batch}
            if max_tasks:
                arguments["max_tasks"] = max_tasks
            call_command("db_worker", verbosity=options["verbosity"], **arguments)
        elif backend == "rq":
            arguments = {"job_class": "django_tasks_rq.Job", "burst": batch, "with_scheduler": not batch}
            if max_tasks:
                arguments["max_jobs"] = max_tasks
            call_command("rqworker", "default", verbosity=options["verbosity"], **arguments)
        else:
            self.stderr.write(f"TASKS_BACKEND={backend} runs tasks in the request; there is no worker to run.")

    def tune_connection(self):
        """A worker commits three times a task (claim it, its own writes, its result), and waiting for each
        commit to reach the disk was most of a link check's time. SQLite: db_worker closes "old" connections
        around every task, which with CONN_MAX_AGE 0 is every time, and closing the last connection checkpoints
        the WAL to disk (~15 ms); the worker keeps its connection. PostgreSQL: one persistent connection (a
        one-thread worker needs no pool, and taking a pooled connection around each task cost round trips), whose
        commits do not wait for the WAL flush (synchronous_commit off: a crash may lose the last few ms of task
        bookkeeping, never corrupt it, and every task is idempotent, so one re-run does no harm)."""
        database = connections["default"]
        database.close()
        if database.vendor == "postgresql":
            options = database.settings_dict.setdefault("OPTIONS", {})
            options.pop("pool", None)
            options["options"] = (options.get("options", "") + " -c synchronous_commit=off").strip()
        database.settings_dict["CONN_MAX_AGE"] = None

    def start_scheduler(self):
        schedule = Scheduler(load_periodic_tasks())

        def loop():
            import time

            while True:
                for path in schedule.tick():
                    self.stdout.write(f"enqueued {path}")
                time.sleep(10)

        threading.Thread(target=loop, name="scheduler", daemon=True).start()
