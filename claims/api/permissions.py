"""Who may see and do what through the API.

- Anonymous clients, and signed-in users with no desk role, read public data only. Everything else
  answers 404, exactly as if it did not exist, so the API never confirms that a hidden claim is there.
- A write needs credentials first (401). Then the object is looked up among what the caller may see
  (404), and only then is the role checked (403), so a refusal never reveals a hidden object.
- Editors (``claims.change_claim``) read everything and make every desk change; reviewer actions need
  ``claims.review_claim``. The workflow checks the role again: the API adds no rules of its own.
"""

from django.db.models import Exists, OuterRef
from rest_framework import exceptions

from claims.models import Claim, Claimant, ClaimEvent, Evidence, Source, Topic, Verdict
from claims.workflow import EDITOR_PERMISSION

Kind = ClaimEvent.Kind


def is_editor(user):
    return bool(user and user.is_authenticated and user.has_perm(EDITOR_PERMISSION))


def require(user, permission):
    if not user.has_perm(permission):
        role = "a reviewer" if permission.endswith("review_claim") else "an editor"
        raise exceptions.PermissionDenied(f"Only {role} can do this.")


# ---------------------------------------------------------------------------------------------------------
# What each caller may read. Editors see the whole register; everybody else sees what a public page shows.


def visible_claims(user):
    """Claims for the API's claim, evidence, verdict and history endpoints, with what a claim row shows
    (but its topics: only the claim endpoints themselves prefetch them)."""
    if is_editor(user):
        return Claim.objects.for_desk(user).select_related("published_verdict__rating")
    return Claim.objects.public()


def visible_evidence(user, claim=None):
    """Evidence items: for editors, as the desk works on them; for the public, those a reviewer approved on a
    public claim, as the fact-check page shows them (EvidenceSerializer shows their approved copy)."""
    evidence = Evidence.objects.select_related("added_by")
    evidence = evidence.filter(claim=claim) if claim is not None else evidence.select_related("claim")
    if is_editor(user):
        return evidence.working()
    return evidence.approved().filter(claim__published_verdict__isnull=False)


def visible_verdicts(user, claim):
    """A claim's verdicts: all of them for editors; for the public, those that were ever published (the
    current one and those a correction replaced)."""
    verdicts = Verdict.objects.filter(claim=claim).select_related("rating", "claim")
    if is_editor(user):
        return verdicts
    published = ClaimEvent.objects.filter(verdict=OuterRef("pk"), public=True, kind__in=[Kind.PUBLISHED,
                                                                                          Kind.CORRECTED])
    return verdicts.filter(Exists(published))


def visible_events(user, claim):
    events = ClaimEvent.objects.filter(claim=claim)
    return events if is_editor(user) else events.filter(public=True)


def visible_claimants(user):
    return Claimant.objects.all() if is_editor(user) else Claim.objects.public().claimants()


def visible_sources(user):
    return Source.objects.all() if is_editor(user) else Claim.objects.public().sources()


def visible_topics(user):
    return Topic.objects.all() if is_editor(user) else Claim.objects.public().topics()
