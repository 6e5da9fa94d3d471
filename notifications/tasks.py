"""Notification tasks: read new events, send emails. Idempotent; emails retried with backoff."""

import datetime

from django.utils import timezone
from django_tasks import task

from background.queue import every, retry_later

from . import notifying
from .models import Notification


@task()
def process_events():
    return notifying.process_events()


@task()
def send_email(notification_id, attempt=1):
    try:
        return notifying.send_email(notification_id)
    except Exception as error:
        if retry_later(send_email, notification_id, attempt=attempt, error=error):
            return None
        Notification.objects.filter(pk=notification_id, email=Notification.Email.PENDING).update(
            email=Notification.Email.FAILED
        )
        raise


@task()
def send_pending_emails():
    """Emails whose task was lost (a worker stopped before it ran): pending for more than ten minutes."""
    stale = timezone.now() - datetime.timedelta(minutes=10)
    ids = list(Notification.objects.filter(email=Notification.Email.PENDING, created_at__lt=stale)
               .values_list("pk", flat=True)[:500])
    for notification_id in ids:
        send_email.enqueue(notification_id)
    return len(ids)


every(60, process_events)
every(600, send_pending_emails)
