"""Checking a link: fetch it safely and record what was found. A link is broken only after
``LINKCHECK_BROKEN_AFTER`` failed checks in a row: one timeout is the network's bad minute, not link rot."""

import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.dispatch import Signal
from django.utils import timezone

from factcheck.fetch import FetchError, fetch

from .models import Link

logger = logging.getLogger(__name__)

# Sent after commit when a link turns broken (notifications listen): sender=Link, link=<Link>.
link_broken = Signal()


def check_link(link_id, *, requested_at=None):
    """Check one link unless it was checked since ``requested_at`` (so a duplicate task does nothing).
    Returns the link's health after the check, or None when skipped."""
    link = Link.objects.filter(pk=link_id).first()
    if link is None:
        return None
    if requested_at and link.last_checked_at and link.last_checked_at >= requested_at:
        return None
    try:
        outcome = fetch(link.url)
    except FetchError as error:
        outcome = error
    return record_check(link, outcome)


def _observed(outcome):
    if isinstance(outcome, FetchError):
        # A page too big to read answered all the same: the link works.
        failed = outcome.code != "too_large"
        return failed, {
            "status": outcome.status, "final_url": (outcome.final_url or "")[:2000], "content_type": "",
            "size": None, "sha256": "", "elapsed_ms": None, "error_code": outcome.code, "error": str(outcome)[:500],
        }
    failed = outcome.status >= 400
    return failed, {
        "status": outcome.status, "final_url": outcome.final_url[:2000], "content_type": outcome.content_type[:200],
        "size": len(outcome.body), "sha256": outcome.sha256, "elapsed_ms": int(outcome.elapsed * 1000),
        "error_code": "", "error": "",
    }


def record_check(link, outcome, *, now=None):
    now = now or timezone.now()
    failed, fields = _observed(outcome)
    if failed:
        failures = link.consecutive_failures + 1
        health = Link.Health.BROKEN if failures >= settings.LINKCHECK_BROKEN_AFTER else Link.Health.FAILING
        fields.update(consecutive_failures=F("consecutive_failures") + 1, health=health,
                      next_check_at=now + datetime.timedelta(hours=settings.LINKCHECK_FAILING_HOURS))
    else:
        health = Link.Health.OK
        fields.update(consecutive_failures=0, health=health, last_ok_at=now,
                      next_check_at=now + datetime.timedelta(days=settings.LINKCHECK_INTERVAL_DAYS))
    # One statement, conditional on the check we read: of two workers checking the same link at once, one
    # records (and only its worker can see the link turn broken).
    updated = Link.objects.filter(pk=link.pk, last_checked_at=link.last_checked_at).update(
        last_checked_at=now, queued_at=None, **fields
    )
    if updated and health == Link.Health.BROKEN and link.health != Link.Health.BROKEN:
        link.refresh_from_db()
        transaction.on_commit(lambda: link_broken.send(sender=Link, link=link), robust=True)
    return health if updated else None
