"""The models' structural rules, enforced by the database, and the QuerySet verbs every page reads through."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.urls import reverse

from claims import workflow
from claims.models import Claim, Evidence, Rating, Source

from .factories import (
    ClaimantFactory,
    EditorFactory,
    SourceFactory,
    UserFactory,
    in_review_claim,
    new_claim,
    published_claim,
    rating,
    researching_claim,
)

Status = Claim.Status


def fresh(claim):
    return Claim.objects.get(pk=claim.pk)


# ---------------------------------------------------------------------------------------------------------
# Constraints.


def test_the_default_rating_scale_is_seeded(db):
    scale = list(Rating.objects.values_list("slug", "value"))
    assert scale == [("true", 5), ("mostly-true", 4), ("half-true", 3), ("mostly-false", 2), ("false", 1),
                     ("misleading", None), ("unsupported", None)]


@pytest.mark.parametrize("value", [0, 6, 100])
def test_rating_value_outside_one_to_five_is_refused_by_the_database(db, value):
    with pytest.raises(IntegrityError), transaction.atomic():
        Rating.objects.create(slug=f"odd-{value}", label="Odd", value=value, definition="Off the scale.")
    assert not Rating.objects.filter(slug=f"odd-{value}").exists()


@pytest.mark.parametrize("value", [1, 5, None])
def test_rating_values_on_the_scale_or_none_are_accepted(db, value):
    Rating.objects.create(slug=f"fine-{value}", label="Fine", value=value, definition="On the scale.")


def test_existing_rating_cannot_be_updated_off_the_scale(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        Rating.objects.filter(slug="true").update(value=7)


def test_withheld_evidence_without_a_reason_is_refused_by_the_database(editor):
    claim = researching_claim(actor=editor, evidence=0)
    with pytest.raises(IntegrityError), transaction.atomic():
        Evidence.objects.create(claim=claim, title="Leak", url="https://leak.example", withheld=True,
                                withheld_reason="")
    evidence = Evidence.objects.create(claim=claim, title="Leak", url="https://leak.example", withheld=True,
                                       withheld_reason="Protects the source.")
    with pytest.raises(IntegrityError), transaction.atomic():
        Evidence.objects.filter(pk=evidence.pk).update(withheld_reason="")


def test_a_rating_in_use_cannot_be_deleted(editor):
    in_review_claim(actor=editor, rating_slug="mostly-false")
    with pytest.raises(ProtectedError):
        rating("mostly-false").delete()
    assert Rating.objects.filter(slug="mostly-false").exists()


def test_an_unused_rating_can_be_deleted(db):
    rating("misleading").delete()
    assert not Rating.objects.filter(slug="misleading").exists()


def test_source_url_is_unique_when_given(db):
    Source.objects.create(title="First", url="https://news.example/a")
    with pytest.raises(IntegrityError), transaction.atomic():
        Source.objects.create(title="Second", url="https://news.example/a")
    assert Source.objects.filter(url="https://news.example/a").count() == 1


def test_many_sources_may_have_no_url(db):
    for n in range(3):
        Source.objects.create(title=f"Interview {n}", url="")
    assert Source.objects.filter(url="").count() == 3


def test_a_published_claim_must_have_its_verdict(editor, reviewer):
    claim = published_claim(actor=editor, approver=reviewer)
    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.filter(pk=claim.pk).update(published_verdict=None)


def test_quote_offsets_must_be_ordered_and_paired(editor):
    claim = new_claim(actor=editor)
    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.filter(pk=claim.pk).update(quote_start=10, quote_end=5)
    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.filter(pk=claim.pk).update(quote_start=10, quote_end=None)


def test_a_claim_cannot_duplicate_itself_nor_be_a_duplicate_of_nothing(editor):
    claim = new_claim(actor=editor)
    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.filter(pk=claim.pk).update(duplicate_of=claim)
    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.filter(pk=claim.pk).update(close_reason=Claim.CloseReason.DUPLICATE, duplicate_of=None)


@pytest.mark.parametrize("slug", ["vladimir-putin", "الشريف-x", "fb-user-राहुल", "a_b-2"])
def test_a_claimants_address_is_the_one_reverse_gives(db, slug):
    """Claimant.get_absolute_url formats a path reversed once: a Unicode slug is encoded as reverse() does."""
    claimant = ClaimantFactory(slug=slug)
    assert claimant.get_absolute_url() == reverse("public:claimant", args=[slug])


def test_source_locate_finds_the_quote(db):
    source = SourceFactory(text="Alpha. «Beta» — gamma. Delta.")
    assert source.locate("«Beta» — gamma.") == (7, 22)
    assert source.locate("Epsilon.") == (None, None)
    assert source.locate("") == (None, None)
    assert SourceFactory(text="").locate("Alpha.") == (None, None)


# ---------------------------------------------------------------------------------------------------------
# QuerySet verbs.


@pytest.fixture
def register(editor, reviewer, other_reviewer):
    """One claim at each stage, plus a published claim that was reopened and one that was closed."""
    published = published_claim(actor=editor, approver=reviewer)
    reopened = fresh(published_claim(actor=editor, approver=reviewer))
    workflow.reopen(claim=reopened, actor=reviewer, version=reopened.version, reason="New figures.")
    closed = new_claim(actor=editor)
    workflow.close(claim=closed, actor=reviewer, version=closed.version, reason=Claim.CloseReason.OUT_OF_SCOPE)
    return {
        "new": new_claim(actor=editor),
        "researching": researching_claim(actor=editor),
        "in_review": in_review_claim(actor=editor),
        "published": published,
        "reopened": reopened,
        "closed": closed,
    }


def test_public_holds_only_claims_with_a_published_verdict(register):
    public = set(Claim.objects.public().values_list("pk", flat=True))
    # A reopened claim keeps its published verdict until a correction replaces it.
    assert public == {register["published"].pk, register["reopened"].pk}
    assert all(c.published_verdict is not None for c in Claim.objects.public())


def test_public_with_two_required_approvals_excludes_a_half_approved_verdict(editor, reviewer, settings):
    settings.REQUIRED_APPROVALS = 2
    claim = fresh(in_review_claim(actor=editor))
    workflow.approve(claim=claim, actor=reviewer, version=claim.version)
    assert not Claim.objects.public().exists()


def test_for_desk_shows_every_claim_to_editors_and_reviewers(register, editor, reviewer):
    everything = {c.pk for c in register.values()}
    assert set(Claim.objects.for_desk(editor).values_list("pk", flat=True)) == everything
    assert set(Claim.objects.for_desk(reviewer).values_list("pk", flat=True)) == everything


@pytest.mark.parametrize("who", ["outsider", "anonymous"])
def test_for_desk_is_empty_for_a_user_without_editor_permission(register, who):
    user = UserFactory(username="olga") if who == "outsider" else AnonymousUser()
    assert not Claim.objects.for_desk(user).exists()


def test_awaiting_review_by_excludes_the_reviewers_own_proposals(reviewer, other_reviewer, editor):
    by_editor = in_review_claim(actor=editor)
    by_reviewer = in_review_claim(actor=reviewer)
    researching_claim(actor=editor)
    assert set(Claim.objects.awaiting_review_by(reviewer)) == {by_editor}
    assert set(Claim.objects.awaiting_review_by(other_reviewer)) == {by_editor, by_reviewer}


def test_awaiting_review_by_follows_the_latest_proposal(reviewer, other_reviewer):
    # Sent back and proposed again by someone else: the reviewer's earlier proposal no longer hides it.
    claim = fresh(in_review_claim(actor=reviewer))
    workflow.send_back(claim=claim, actor=other_reviewer, version=claim.version, note="Redo it.")
    claim = fresh(claim)
    workflow.propose_verdict(claim=claim, actor=other_reviewer, version=claim.version, rating=rating(),
                             summary="Redone.")
    assert set(Claim.objects.awaiting_review_by(reviewer)) == {claim}
    assert not Claim.objects.awaiting_review_by(other_reviewer).exists()


def test_awaiting_review_by_excludes_a_verdict_the_reviewer_already_approved(editor, reviewer, other_reviewer,
                                                                               settings):
    settings.REQUIRED_APPROVALS = 2
    claim = fresh(in_review_claim(actor=editor))
    workflow.approve(claim=claim, actor=reviewer, version=claim.version)
    assert not Claim.objects.awaiting_review_by(reviewer).exists()
    assert set(Claim.objects.awaiting_review_by(other_reviewer)) == {claim}


def test_awaiting_review_by_keeps_a_proposal_whose_author_left(reviewer):
    leaver = EditorFactory(username="leaver")
    claim = in_review_claim(actor=leaver)
    leaver.delete()
    assert set(Claim.objects.awaiting_review_by(reviewer)) == {claim}


def test_due_for_recheck(editor, reviewer):
    today = datetime.date(2026, 3, 1)
    due = published_claim(actor=editor, approver=reviewer, recheck_on=today)
    overdue = published_claim(actor=editor, approver=reviewer, recheck_on=today - datetime.timedelta(days=30))
    published_claim(actor=editor, approver=reviewer, recheck_on=today + datetime.timedelta(days=1))
    published_claim(actor=editor, approver=reviewer)
    researching_claim(actor=editor, recheck_on=today)  # not published: nothing to re-check yet
    assert set(Claim.objects.due_for_recheck(today)) == {due, overdue}


def test_assigned_to_lists_open_claims_only(editor, other_editor, reviewer):
    mine = researching_claim(actor=editor)
    researching_claim(actor=other_editor)
    published_claim(actor=editor, approver=reviewer)  # assigned to erin, but done
    assert set(Claim.objects.assigned_to(editor)) == {mine}


def test_queue_and_public_verbs_are_one_query_each(register, reviewer, other_reviewer, django_assert_num_queries):
    with django_assert_num_queries(1):
        # SELECT claims JOIN claimant, source, published verdict, rating
        rows = [(c.claimant.name, c.source, c.published_verdict.rating.label) for c in Claim.objects.public()]
    assert len(rows) == 2
    with django_assert_num_queries(1):
        # SELECT claims JOIN claimant, source, assignee, published verdict
        rows = [(c.claimant.name, c.source, c.assignee, c.published_verdict) for c in Claim.objects.for_desk(reviewer)]
    assert len(rows) == 6
    with django_assert_num_queries(1):
        # SELECT in-review claims with the pending verdict (subquery) and two EXISTS on proposer and approvals
        rows = list(Claim.objects.awaiting_review_by(other_reviewer))
    assert len(rows) == 1
