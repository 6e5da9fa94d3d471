import time

from django.core.management.base import BaseCommand
from django.utils.module_loading import autodiscover_modules

from background.queue import PERIODIC


def load_periodic_tasks():
    # Each app registers its periodic tasks in its tasks.py (background.queue.every).
    autodiscover_modules("tasks")
    return PERIODIC


class Scheduler:
    """Enqueues each periodic task when its interval has passed. Run ONE per deployment; the tasks it
    enqueues are sweeps that find their own work, so a second scheduler or a restart only costs a sweep."""

    def __init__(self, periodic, *, clock=time.monotonic):
        self.periodic = periodic
        self.clock = clock
        self.last = {}

    def tick(self):
        now, enqueued = self.clock(), []
        for entry in self.periodic:
            last = self.last.get(entry.task.module_path)
            if last is None or now - last >= entry.seconds:
                entry.task.enqueue()
                self.last[entry.task.module_path] = now
                enqueued.append(entry.task.module_path)
        return enqueued


class Command(BaseCommand):
    help = "Enqueue the periodic tasks (link checks, notification sweeps) on their schedule. Run one per deployment."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Enqueue every periodic task once, then exit.")
        parser.add_argument("--tick", type=float, default=10, help="Seconds between looks at the schedule.")

    def handle(self, *, once, tick, **options):
        periodic = load_periodic_tasks()
        for entry in periodic:
            self.stdout.write(f"every {entry.seconds} s: {entry.task.module_path}")
        scheduler = Scheduler(periodic)
        while True:
            for path in scheduler.tick():
                self.stdout.write(f"enqueued {path}")
            if once:
                return
            time.sleep(tick)
