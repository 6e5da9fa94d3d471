"""The queue's helpers: enqueue after commit, retry with backoff, the schedule."""

import pytest
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from background.management.commands.run_scheduler import Scheduler, load_periodic_tasks
from background.queue import Periodic, enqueue_on_commit, retry_delay

pytestmark = pytest.mark.django_db


@task()
def noop(n=0):
    return n


def test_enqueue_on_commit_waits_for_the_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        enqueue_on_commit(noop, 1)
        assert DBTaskResult.objects.count() == 0
    for callback in callbacks:
        callback()
    assert DBTaskResult.objects.get().args_kwargs == {"args": [1], "kwargs": {}}


def test_a_rolled_back_transaction_enqueues_nothing(django_capture_on_commit_callbacks):
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        enqueue_on_commit(noop, 1)
        raise RuntimeError
    assert DBTaskResult.objects.count() == 0


def test_retry_delay_doubles_and_is_capped(settings):
    settings.TASK_RETRY_BASE_SECONDS = 60
    assert [retry_delay(n) for n in (1, 2, 3, 4)] == [60, 120, 240, 480]
    assert retry_delay(30) == 86_400


def test_scheduler_enqueues_each_task_when_its_interval_has_passed():
    now = [1000.0]
    scheduler = Scheduler([Periodic(task=noop, seconds=300)], clock=lambda: now[0])
    assert scheduler.tick() == [noop.module_path]
    now[0] += 299
    assert scheduler.tick() == []
    now[0] += 1
    assert scheduler.tick() == [noop.module_path]
    assert DBTaskResult.objects.count() == 2


def test_the_schedule_holds_the_weekly_link_check_sweep():
    paths = {entry.task.module_path: entry.seconds for entry in load_periodic_tasks()}
    assert paths["linkcheck.tasks.enqueue_due_checks"] == 300
