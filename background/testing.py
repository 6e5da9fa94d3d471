"""Helpers for tests that run the task queue for real."""

from django.test import TestCase
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult


def run_queued_tasks(*, rounds=10):
    """Run everything queued on the database backend in this process, as ``db_worker --batch`` does, including
    tasks that those tasks enqueue; returns how many ran. Inside a test's transaction, what the tasks enqueue
    "after commit" is enqueued as each round ends."""
    ran = 0
    for _ in range(rounds):
        ready = DBTaskResult.objects.ready().count()
        if not ready:
            break
        worker = Worker(queue_names=["default"], interval=0, batch=True, backend_name="default",
                        startup_delay=False, max_tasks=None, worker_id="test-worker", excluded_queue_names=[])
        with TestCase.captureOnCommitCallbacks(execute=True):
            worker.run()
        ran += ready
    return ran
