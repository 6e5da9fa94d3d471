"""Background tasks of link health and archived copies. Each takes ids and is idempotent."""

import datetime
import logging

from django.conf import settings
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django_tasks import task

from background.queue import every, retry_later
from factcheck.fetch import FetchError, fetch

from . import archiving, checking, services
from .models import Capture

logger = logging.getLogger(__name__)

# Fetch failures worth another try later; the others (a 404, a private address, a page too big) are answers.
PASSING = {"timeout", "connection", "tls"}


@task()
def check_link(link_id, requested_at=None, attempt=1):
    when = parse_datetime(requested_at) if requested_at else None
    try:
        return checking.check_link(link_id, requested_at=when)
    except Exception as error:  # the database or storage, not the link: try again later
        if retry_later(check_link, link_id, requested_at=requested_at, attempt=attempt, error=error):
            return None
        raise


@task()
def capture_page(capture_id, attempt=1):
    """Capture the page of a pending Capture. Does nothing if it is captured already."""
    capture = Capture.objects.select_related("link").filter(pk=capture_id).first()
    if capture is None or capture.state == Capture.State.CAPTURED:
        return None
    Capture.objects.filter(pk=capture_id).update(attempts=attempt)
    try:
        fetched = fetch(capture.link.url)
    except FetchError as error:
        if error.code in PASSING and retry_later(capture_page, capture_id, attempt=attempt, error=error):
            return None
        return _fail(capture, str(error))
    if fetched.status >= 400:
        return _fail(capture, f"The page answered {fetched.status}.")
    archiving.store_capture(capture, fetched)
    capture.attempts = attempt
    capture.save()
    return capture.state


def _fail(capture, message):
    Capture.objects.filter(pk=capture.pk).exclude(state=Capture.State.CAPTURED).update(
        state=Capture.State.FAILED, error=message[:500]
    )
    return Capture.State.FAILED


@task()
def sync_claim_links(claim_id):
    return services.sync_claim_links(claim_id)


@task()
def enqueue_due_checks():
    return services.enqueue_due_checks()


@task()
def discover_links():
    return services.discover_links()


@task()
def retry_stuck_captures():
    """Pending captures whose task was lost (a worker killed mid-way) are enqueued again after an hour."""
    stale = timezone.now() - datetime.timedelta(hours=1)
    ids = list(Capture.objects.filter(state=Capture.State.PENDING, requested_at__lt=stale)
               .values_list("pk", flat=True)[:500])
    for capture_id in ids:
        capture_page.enqueue(capture_id, attempt=settings.TASK_MAX_ATTEMPTS)
    return len(ids)


every(300, enqueue_due_checks)
every(3600, discover_links)
every(3600, retry_stuck_captures)
