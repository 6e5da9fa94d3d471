"""Deleting never deletes history. A user who leaves takes their account, not their work: their events,
verdicts, evidence and assignments stay, with their name. A claimant, source or claim that has history cannot
be deleted at all, and the admin says so in words rather than with a 500."""

import pytest
from django.contrib.auth import get_user_model
from django.db import IntegrityError, connection, transaction
from django.db.models import ProtectedError
from django.urls import reverse

from claims import workflow
from claims.models import Claim, Claimant, ClaimEvent, Evidence, Source, Verdict

from .factories import (
    ClaimantFactory,
    EditorFactory,
    SourceFactory,
    UserFactory,
    new_claim,
    published_claim,
    rating,
)

User = get_user_model()


@pytest.fixture
def superuser_client(client):
    client.force_login(UserFactory(username="sue", first_name="Sue", last_name="Super", is_superuser=True,
                                   is_staff=True))
    return client


@pytest.fixture
def leaver(db):
    return EditorFactory(username="lee", first_name="Lee", last_name="Leaver")


@pytest.fixture
def leavers_work(leaver, reviewer):
    """A published claim researched by ``leaver``, and a second claim still assigned to them with a verdict they
    proposed and evidence they added."""
    published = published_claim(actor=leaver, approver=reviewer)
    pending = new_claim(actor=reviewer, text="Wages rose by 5% — كما قال")
    pending = workflow.start_research(claim=pending, actor=leaver, version=pending.version)
    workflow.add_evidence(claim=pending, actor=leaver, version=pending.version, title="Payroll data",
                          url="https://stats.example/wages", withheld=True, withheld_reason="Leaked")
    pending.refresh_from_db()
    workflow.propose_verdict(claim=pending, actor=leaver, version=pending.version, rating=rating("half-true"),
                             summary="Half of it.")
    return published, Claim.objects.get(pk=pending.pk)


def assert_history_kept(leaver_pk, published, pending, events_before):
    assert not User.objects.filter(pk=leaver_pk).exists()
    assert ClaimEvent.objects.count() == events_before
    theirs = ClaimEvent.objects.filter(actor_name="Lee Leaver")
    assert theirs.count() == 7  # created, assigned, evidence added, proposed; on the second claim not created
    assert not theirs.exclude(actor=None).exists()
    verdicts = Verdict.objects.filter(proposed_by_name="Lee Leaver")
    assert verdicts.count() == 2 and not verdicts.exclude(proposed_by=None).exists()
    evidence = Evidence.objects.filter(claim__in=[published, pending])
    assert evidence.count() == 2 and not evidence.exclude(added_by=None).exists()
    assert Evidence.objects.get(claim=pending).withheld_reason == "Leaked"
    pending.refresh_from_db()
    assert (pending.assignee, pending.status) == (None, Claim.Status.IN_REVIEW)
    published.refresh_from_db()
    assert published.published_verdict.proposed_by_name == "Lee Leaver"


def test_deleting_a_user_keeps_their_events_verdicts_evidence_and_claims(leaver, leavers_work):
    published, pending = leavers_work
    events_before = ClaimEvent.objects.count()
    leaver_pk = leaver.pk
    leaver.delete()
    assert_history_kept(leaver_pk, published, pending, events_before)


def test_deleting_a_user_in_the_admin_keeps_their_history(leaver, leavers_work, superuser_client):
    published, pending = leavers_work
    events_before = ClaimEvent.objects.count()
    url = reverse("admin:auth_user_delete", args=[leaver.pk])
    page = superuser_client.get(url)
    assert page.status_code == 200 and b"Are you sure" in page.content
    response = superuser_client.post(url, {"post": "yes"})
    assert response.status_code == 302
    assert_history_kept(leaver.pk, published, pending, events_before)


def test_a_proposal_by_a_deleted_user_can_still_be_reviewed(leaver, leavers_work, reviewer):
    _, pending = leavers_work
    leaver.delete()
    approved = workflow.approve(claim=pending, actor=reviewer, version=pending.version)
    assert approved.status == Claim.Status.PUBLISHED


def test_a_claimant_with_claims_cannot_be_deleted(editor):
    claim = new_claim(actor=editor)
    with pytest.raises(ProtectedError), transaction.atomic():
        claim.claimant.delete()
    assert Claimant.objects.filter(pk=claim.claimant_id).exists()


def test_a_claimant_without_claims_can_be_deleted(db):
    claimant = ClaimantFactory()
    claimant.delete()
    assert not Claimant.objects.filter(pk=claimant.pk).exists()


def test_the_admin_explains_why_a_claimant_with_claims_cannot_be_deleted(editor, superuser_client):
    claim = new_claim(actor=editor, claimant=ClaimantFactory(name="وزير الخارجية"))
    url = reverse("admin:claims_claimant_delete", args=[claim.claimant_id])

    page = superuser_client.get(url)
    assert page.status_code == 200
    assert b"<h1>Cannot delete claimant</h1>" in page.content
    assert b'<ul id="deleted-objects">' in page.content  # what stands in the way: its claims
    assert b'name="post"' not in page.content  # no confirmation button

    refused = superuser_client.post(url, {"post": "yes"})
    assert refused.status_code == 200 and b"Cannot delete claimant" in refused.content
    assert Claimant.objects.filter(pk=claim.claimant_id).exists()


def test_the_admin_bulk_delete_also_refuses_a_claimant_with_claims(editor, superuser_client):
    claim = new_claim(actor=editor)
    response = superuser_client.post(reverse("admin:claims_claimant_changelist"), {
        "action": "delete_selected", "_selected_action": [claim.claimant_id], "index": "0", "post": "yes",
    })
    assert response.status_code == 200
    assert b"Cannot delete claimant" in response.content
    assert Claimant.objects.filter(pk=claim.claimant_id).exists()


def test_the_admin_explains_why_a_source_with_claims_cannot_be_deleted(editor, superuser_client):
    claim = new_claim(actor=editor, source=SourceFactory(title="The original article"))
    page = superuser_client.get(reverse("admin:claims_source_delete", args=[claim.source_id]))
    assert page.status_code == 200 and b"Cannot delete source" in page.content
    superuser_client.post(reverse("admin:claims_source_delete", args=[claim.source_id]), {"post": "yes"})
    assert Source.objects.filter(pk=claim.source_id).exists()


def test_the_admin_explains_why_a_rating_in_use_cannot_be_deleted(editor, reviewer, superuser_client):
    claim = published_claim(actor=editor, approver=reviewer)
    url = reverse("admin:claims_rating_delete", args=[claim.published_verdict.rating_id])
    page = superuser_client.get(url)
    assert page.status_code == 200 and b"Cannot delete rating" in page.content


def test_a_claim_with_history_cannot_be_deleted(editor, reviewer):
    claim = published_claim(actor=editor, approver=reviewer)
    events = ClaimEvent.objects.filter(claim=claim).count()
    with pytest.raises(ProtectedError), transaction.atomic():
        claim.delete()
    assert Claim.objects.filter(pk=claim.pk).exists()
    assert ClaimEvent.objects.filter(claim=claim).count() == events


def test_a_claim_with_history_cannot_be_deleted_even_in_sql(editor):
    claim = new_claim(actor=editor)
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM claims_claim WHERE id = %s", [claim.pk])
        connection.check_constraints()  # foreign keys are checked at commit; check them now
    assert Claim.objects.filter(pk=claim.pk).exists()
