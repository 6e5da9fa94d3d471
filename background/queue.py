"""How the apps hand work to the task queue (Django's Tasks API through django-tasks).

- ``enqueue_on_commit``: a task is enqueued only once the transaction that asked for it has committed, so a
  worker never reads a row that is not there yet, and a rolled-back request leaves no task behind.
- ``retry_later``: a task that failed for a passing reason (the network, a full disk, a mail server) asks to
  run again after 1, 2, 4 … × ``TASK_RETRY_BASE_SECONDS``, up to ``TASK_MAX_ATTEMPTS`` attempts in all.
- ``every``: periodic tasks, which ``manage.py run_scheduler`` (or ``run_worker --scheduler``) enqueues.

Tasks take ids, never model instances, and are written to be idempotent: running one twice does no harm.
"""

import dataclasses
import datetime
import logging

from django.conf import settings
from django.db import InterfaceError, OperationalError, transaction
from django.utils import timezone

logger = logging.getLogger(__name__)


def enqueue_on_commit(task, *args, **kwargs):
    """Enqueue ``task(*args, **kwargs)`` after the current transaction commits (at once outside one)."""

    def enqueue():
        try:
            task.enqueue(*args, **kwargs)
        except (OperationalError, InterfaceError) as exc:
            # The database went away between the commit and the enqueue (an outage): one line, not a traceback.
            logger.error("could not enqueue %s: database unavailable: %s", task.name, str(exc).strip())

    transaction.on_commit(enqueue, robust=True)


def retry_delay(attempt):
    """Seconds before attempt ``attempt + 1``: 1, 2, 4, 8 … × TASK_RETRY_BASE_SECONDS, at most a day."""
    return min(settings.TASK_RETRY_BASE_SECONDS * 2 ** (attempt - 1), 86_400)


def retry_later(task, *args, attempt, error, **kwargs):
    """Enqueue the next attempt of ``task`` after a backoff and return True; False once attempts run out
    (the caller then records the failure for good)."""
    if attempt >= settings.TASK_MAX_ATTEMPTS:
        logger.warning("%s failed for good after %d attempts: %s", task.name, attempt, error)
        return False
    delay = retry_delay(attempt)
    logger.info("%s attempt %d failed (%s); retrying in %d s", task.name, attempt, error, delay)
    if task.get_backend().supports_defer and delay:
        task = task.using(run_after=timezone.now() + datetime.timedelta(seconds=delay))
    enqueue_on_commit(task, *args, attempt=attempt + 1, **kwargs)
    return True


@dataclasses.dataclass
class Periodic:
    task: object
    seconds: int


PERIODIC = []


def every(seconds, task):
    """Register ``task`` (taking no arguments) to be enqueued every ``seconds`` by the scheduler."""
    if not any(p.task.module_path == task.module_path for p in PERIODIC):
        PERIODIC.append(Periodic(task=task, seconds=seconds))
    return task
