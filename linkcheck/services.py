"""Writes of the linkcheck app: finding the links the register cites, and asking for checks and copies.
Each one enqueues its task after commit (background.queue.enqueue_on_commit)."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from background.queue import enqueue_on_commit
from claims.models import Appearance, Claim, Claimant, Evidence, Source

from .models import Capture, Link, claim_urls


def links_for(urls):
    """The Link rows for ``urls``, creating the missing ones; returns (links by url, newly created ids)."""
    urls = {url for url in urls if url}
    existing = {link.url: link for link in Link.objects.filter(url__in=urls)}
    created = []
    for url in sorted(urls - existing.keys()):
        try:
            with transaction.atomic():
                existing[url] = Link.objects.create(url=url)
            created.append(existing[url].pk)
        except IntegrityError:  # another worker added it a moment ago
            existing[url] = Link.objects.get(url=url)
    return existing, created


def sync_claim_links(claim_id):
    """Make sure every URL ``claim_id`` cites has a Link (checked at once when new) and every evidence URL an
    archived copy (captured at once when missing). Idempotent: a second run finds nothing to do."""
    from . import tasks

    claim = Claim.objects.select_related("source", "claimant").filter(pk=claim_id).first()
    if claim is None:
        return 0
    links, created = links_for(claim_urls(claim))
    now = timezone.now()
    for link_id in created:
        enqueue_on_commit(tasks.check_link, link_id, requested_at=now.isoformat())
    for evidence in Evidence.objects.filter(claim=claim).exclude(url=""):
        link = links[evidence.url]
        if not Capture.objects.filter(link=link).exclude(state=Capture.State.FAILED).exists():
            request_capture(evidence=evidence, link=link)
    return len(created)


def discover_links():
    """Links for every cited URL that has none yet (a claimant's same_as edited on its own page, a source's URL,
    rows imported in bulk): a sweep through anti-joins on the unique URL index."""
    from . import tasks

    known = Link.objects.values("url")
    urls = set()
    for model, field in ((Evidence, "url"), (Appearance, "url"), (Source, "url"), (Claimant, "same_as")):
        urls |= set(model.objects.exclude(**{field: ""}).exclude(**{f"{field}__in": known})
                    .values_list(field, flat=True).distinct()[:5000])
    _links, created = links_for(urls)
    now = timezone.now().isoformat()
    for link_id in created:
        enqueue_on_commit(tasks.check_link, link_id, requested_at=now)
    return len(created)


def request_check(*, link):
    """Check ``link`` again soon (an editor asked, or the schedule says it is due)."""
    from . import tasks

    now = timezone.now()
    Link.objects.filter(pk=link.pk).update(queued_at=now)
    enqueue_on_commit(tasks.check_link, link.pk, requested_at=now.isoformat())


def request_capture(*, evidence, link=None, actor=None):
    """A new archived copy of ``evidence``'s page; returns the pending Capture."""
    from . import tasks

    if link is None:
        link = links_for([evidence.url])[0][evidence.url]
    capture = Capture.objects.create(link=link, evidence=evidence, requested_by=actor)
    enqueue_on_commit(tasks.capture_page, capture.pk)
    return capture


def enqueue_due_checks(*, limit=2000):
    """Enqueue a check of every link due (weekly for working links, daily for failing ones), ``limit`` at a time;
    marks them queued so that the next sweep does not enqueue them twice."""
    from . import tasks

    now = timezone.now()
    ids = list(Link.objects.due(now).order_by("next_check_at").values_list("pk", flat=True)[:limit])
    Link.objects.filter(pk__in=ids).update(queued_at=now)
    for link_id in ids:
        enqueue_on_commit(tasks.check_link, link_id, requested_at=now.isoformat())
    return len(ids)
