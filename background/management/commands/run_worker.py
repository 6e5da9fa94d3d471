import threading

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

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

    def start_scheduler(self):
        schedule = Scheduler(load_periodic_tasks())

        def loop():
            import time

            while True:
                for path in schedule.tick():
                    self.stdout.write(f"enqueued {path}")
                time.sleep(10)

        threading.Thread(target=loop, name="scheduler", daemon=True).start()
