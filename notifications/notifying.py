"""Turning what happened into notifications, and sending their emails.

``process_events`` reads the ClaimEvent rows it has not processed yet (an event whose transaction committed late
is simply found on a later run) and makes a notification for each person concerned; the unique (recipient, key)
makes a second reading of the same event a no-op. Emails go out from ``send_email`` tasks, each claimed before it
is sent, so a notification is emailed at most once.
"""

import datetime
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from background.queue import enqueue_on_commit
from claims.models import Claim, ClaimEvent, Evidence
from claims.workflow import REVIEWER_PERMISSION

from .models import EventCursor, Kind, Notification, Preference, ProcessedEvent

logger = logging.getLogger(__name__)
EventKind = ClaimEvent.Kind
WINDOW = datetime.timedelta(days=1)  # an event that commits later than this after it happened notifies no one
NOTIFYING = {EventKind.ASSIGNED, EventKind.RESEARCH_STARTED, EventKind.SENT_BACK, EventKind.VERDICT_PROPOSED,
             EventKind.APPROVED, EventKind.PUBLISHED, EventKind.CORRECTED}


def wants_email(user, kind):
    return bool(user.email) and not Preference.objects.filter(user=user, kind=kind, email=False).exists()


def notify(*, recipient, kind, key, title, body="", claim=None, url=""):
    """One notification for ``recipient`` about ``key``, unless they have it already. Returns it when new."""
    if recipient is None or not recipient.is_active:
        return None
    email = Notification.Email.PENDING if wants_email(recipient, kind) else Notification.Email.SKIPPED
    notification, created = Notification.objects.get_or_create(
        recipient=recipient, key=key,
        defaults={"kind": kind, "title": title[:300], "body": body, "claim": claim, "url": url[:500], "email": email},
    )
    if not created:
        return None
    if email == Notification.Email.PENDING:
        from .tasks import send_email

        enqueue_on_commit(send_email, notification.pk)
    return notification


def reviewers():
    permission = REVIEWER_PERMISSION.split(".", 1)[1]
    return get_user_model().objects.filter(
        Q(groups__permissions__codename=permission) | Q(user_permissions__codename=permission), is_active=True
    ).distinct()


def assignee_of(event):
    """Who ``event`` assigned the claim to: the diff records the new assignee by username (str(user)), which
    outlives a later reassignment; the claim's assignee only when the diff lacks it."""
    change = (event.changes or {}).get("assignee")
    if isinstance(change, list) and len(change) == 2:
        if change[1] is None:
            return None
        return get_user_model().objects.filter(username=change[1]).first()
    return event.claim.assignee


def recipients(event):
    """[(user, kind)] for ``event``, leaving out whoever did it."""
    claim, verdict = event.claim, event.verdict
    proposer = verdict.proposed_by if verdict else None
    found = []
    if event.kind in (EventKind.ASSIGNED, EventKind.RESEARCH_STARTED):
        found = [(assignee_of(event), Kind.ASSIGNED)]
    elif event.kind == EventKind.SENT_BACK:
        found = [(proposer, Kind.SENT_BACK)]
    elif event.kind == EventKind.VERDICT_PROPOSED:
        found = [(user, Kind.AWAITING_REVIEW) for user in reviewers()]
    elif event.kind == EventKind.APPROVED:
        found = [(proposer, Kind.APPROVED)]
    elif event.kind in (EventKind.PUBLISHED, EventKind.CORRECTED):
        found = [(proposer, Kind.PUBLISHED), (claim.assignee, Kind.PUBLISHED)]
    seen, result = set(), []
    for user, kind in found:
        if user is not None and user.pk != event.actor_id and user.pk not in seen:
            seen.add(user.pk)
            result.append((user, kind))
    return result


TITLES = {
    Kind.ASSIGNED: "Claim {claim.pk} is assigned to you",
    Kind.SENT_BACK: "Your verdict on claim {claim.pk} was sent back",
    Kind.AWAITING_REVIEW: "Claim {claim.pk} awaits your review",
    Kind.APPROVED: "Your verdict on claim {claim.pk} was approved",
    Kind.PUBLISHED: "Claim {claim.pk} is published",
}


def notify_event(event):
    made = 0
    for user, kind in recipients(event):
        body = f"“{event.claim.text}”\n\n{event.actor_name}: {event.get_kind_display().lower()}."
        if event.note:
            body += f"\n\n{event.note}"
        made += bool(notify(recipient=user, kind=kind, key=f"event:{event.pk}", claim=event.claim,
                            title=TITLES[kind].format(claim=event.claim), body=body,
                            url=event.claim.get_desk_url()))
    return made


def process_events(*, now=None, batch=1000):
    """Notifications for the events not processed yet (from the last day, and not from before notifications
    were first processed). Idempotent; returns how many were made, and enqueues itself again while more wait."""
    now = now or timezone.now()
    with transaction.atomic():
        EventCursor.objects.get_or_create(pk=1, defaults={"since": now - datetime.timedelta(minutes=10)})
        cursor = EventCursor.objects.select_for_update().get(pk=1)  # one sweep at a time
        events = list(
            ClaimEvent.objects.filter(at__gte=max(cursor.since, now - WINDOW), kind__in=NOTIFYING)
            .exclude(pk__in=ProcessedEvent.objects.values("event_id"))
            .select_related("claim__assignee", "verdict__proposed_by").order_by("id")[:batch]
        )
        made = sum(notify_event(event) for event in events)
        ProcessedEvent.objects.bulk_create([ProcessedEvent(event=event) for event in events], ignore_conflicts=True)
        if len(events) == batch:
            from .tasks import process_events as task

            enqueue_on_commit(task)
    return made


def notify_link_broken(link):
    """Whoever added evidence citing ``link`` on a claim still being worked on or published."""
    evidence = (Evidence.objects.filter(url=link.url).exclude(claim__status=Claim.Status.CLOSED)
                .select_related("claim", "added_by"))
    made = 0
    episode = f"{link.last_ok_at:%Y%m%d%H%M%S}" if link.last_ok_at else "never"
    for item in evidence:
        made += bool(notify(
            recipient=item.added_by, kind=Kind.LINK_BROKEN, key=f"link:{link.pk}:{episode}:{item.claim_id}",
            claim=item.claim, title=f"A link on claim {item.claim_id} is broken",
            body=f"“{item.title}”: {link.url} has failed {link.consecutive_failures} checks in a row "
                 f"({link.outcome}).", url=item.claim.get_desk_url() + "#evidence",
        ))
    return made


def send_email(notification_id):
    """Email one notification, once: it is claimed (pending → sending) before the mail goes out. Returns True
    when sent, None when there was nothing to send, and raises when the mail server failed (status back to
    pending, for the task's retry)."""
    if not Notification.objects.filter(pk=notification_id, email=Notification.Email.PENDING).update(
        email=Notification.Email.SENDING
    ):
        return None
    notification = Notification.objects.select_related("recipient").get(pk=notification_id)
    link = f"{settings.SITE_URL}{notification.url}" if notification.url.startswith("/") else notification.url
    try:
        send_mail(
            subject=f"[{settings.ORGANIZATION_NAME}] {notification.title}",
            message=f"{notification.body}\n\n{link}\n\nChoose which notifications you get by email: "
                    f"{settings.SITE_URL}/desk/inbox/preferences/",
            from_email=None, recipient_list=[notification.recipient.email],
        )
    except Exception:
        Notification.objects.filter(pk=notification_id).update(email=Notification.Email.PENDING)
        raise
    Notification.objects.filter(pk=notification_id).update(email=Notification.Email.SENT, emailed_at=timezone.now())
    return True
