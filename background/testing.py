"""Helpers for tests that run the task queue for real."""

from unittest import mock

from django.test import TestCase
from django_tasks_db.management.commands import db_worker
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
        # The worker closes "old" connections between tasks; inside a test's transaction that would close the
        # test's own connection (PostgreSQL: autocommit differs from the settings' inside atomic()).
        with TestCase.captureOnCommitCallbacks(execute=True), mock.patch.object(db_worker, "close_old_connections"):
            worker.run()
        ran += ready
    return ran
