"""Before approving, the desk sees the public page exactly as the approval will publish it (the real fact-check
template, from the claim published inside a transaction that is rolled back), and an approval that publishes
is confirmed first. Nothing of a preview or of an unconfirmed approval is kept."""

import logging

import pytest
from django.test import Client
from django.urls import reverse

from claims import workflow
from claims.models import Claim, ClaimEvent, Evidence
from claims.views.public import fact_check_context

from .factories import UserFactory, in_review_claim, published_claim, rating, researching_claim

pytestmark = pytest.mark.django_db


def preview_url(claim, **query):
    url = reverse("desk:claim_preview", args=[claim.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def state(claim):
    """Everything a preview must leave as it was."""
    claim = Claim.objects.get(pk=claim.pk)
    return (claim.status, claim.version, claim.published_verdict_id, claim.published_at, claim.draft,
            list(ClaimEvent.objects.filter(claim=claim).values_list("id", flat=True)),
            list(Evidence.objects.filter(claim=claim).values_list("id", "approved", "removed")))


def test_the_preview_is_the_public_page_as_it_will_be_published(editor_client, other_editor, editor):
    claim = in_review_claim(actor=other_editor, rating_slug="mostly-false")
    before = state(claim)
    response = editor_client.get(preview_url(claim))
    html = response.content.decode()
    assert response.status_code == 200
    assert response.templates[1].name == "public/claim_detail.html"  # the real page, under a banner
    for text in ["Preview: not published.", "Frozen assets total 210 billion euros", "Mostly false",
                 "The figure is wrong.", "<strong>Why</strong> it is wrong.", "Evidence 0",
                 "Otto Other",  # researched and written by
                 "Erin Editor",  # approved by the one looking, as if they approved it now
                 "Published, rated Mostly false", '"@type": "ClaimReview"']:
        assert text in html, text
    assert state(claim) == before
    assert editor_client.get(claim.get_absolute_url()).status_code == 404  # still not public


def test_the_preview_is_never_cached_publicly_nor_indexed(editor_client, other_editor):
    claim = in_review_claim(actor=other_editor)
    response = editor_client.get(preview_url(claim))
    assert '<meta name="robots" content="noindex, nofollow">' in response.content.decode()
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert {"private", "no-store"} <= {part.strip() for part in response["Cache-Control"].split(",")}


def test_the_preview_of_a_draft_shows_the_changes_readers_do_not_see_yet(editor_client, editor, reviewer):
    claim = Claim.objects.get(pk=published_claim(actor=editor, approver=reviewer).pk)
    workflow.edit_claim(claim=claim, actor=editor, version=claim.version, text="Frozen assets total €185bn")
    claim.refresh_from_db()
    workflow.add_appearance(claim=claim, actor=editor, version=claim.version, url="https://social.example/p/1",
                            outlet="Ministry channel")
    before = state(claim)
    html = editor_client.get(preview_url(claim, note="Added+the+Euroclear+report.")).content.decode()
    assert "Frozen assets total €185bn" in html and "Ministry channel" in html
    assert "Added the Euroclear report." in html  # the note for readers, as it will be on the page
    assert "once the changes are approved" in html
    assert state(claim) == before
    public = Client().get(claim.get_absolute_url()).content.decode()
    assert "€185bn" not in public and "Ministry channel" not in public


def test_the_preview_of_a_correction_shows_the_correction_notice(editor_client, editor, reviewer):
    claim = Claim.objects.get(pk=published_claim(actor=editor, approver=reviewer).pk)
    workflow.reopen(claim=claim, actor=reviewer, version=claim.version, reason="New figures.")
    claim.refresh_from_db()
    workflow.propose_verdict(claim=claim, actor=editor, version=claim.version, rating=rating("mostly-false"),
                             summary="Closer than we said.")
    html = editor_client.get(preview_url(claim)).content.decode()
    assert "we changed our rating" in html and "Mostly false" in html
    assert workflow.PREVIEW_NOTE in html  # no correction note yet: where it goes is shown
    html = editor_client.get(preview_url(claim, note="Euroclear+revised+it.")).content.decode()
    assert "Euroclear revised it." in html and workflow.PREVIEW_NOTE not in html


def test_the_preview_note_is_escaped(editor_client, editor, reviewer):
    claim = Claim.objects.get(pk=published_claim(actor=editor, approver=reviewer).pk)
    workflow.edit_claim(claim=claim, actor=editor, version=claim.version, text="Changed")
    html = editor_client.get(preview_url(claim, note="%3Cscript%3Ealert(1)%3C/script%3E")).content.decode()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_a_preview_queues_nothing_and_logs_nothing(editor_client, other_editor, caplog,
                                                   django_capture_on_commit_callbacks):
    claim = in_review_claim(actor=other_editor)
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="claims.workflow"), \
            django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert editor_client.get(preview_url(claim)).status_code == 200
    assert callbacks == []  # no cache bump, link check or notification for what never happened
    assert not [r for r in caplog.records if r.name == "claims.workflow"]


@pytest.mark.parametrize("n", [1, 10])
def test_preview_queries_do_not_grow_with_evidence(editor_client, other_editor, n, django_assert_num_queries):
    claim = in_review_claim(actor=other_editor, evidence=n)
    Claim.objects.public().related_to(claim)  # PostgreSQL reads its word statistics once, then keeps them cached
    # session, user, permissions (2); the claim (1). The rehearsal: its savepoint, the claim locked, the pending
    # verdict, the evidence read and its approved copies written in one UPDATE, the appearances read (none to
    # write), the claim saved, its event. The public page: the claim and its five prefetches, the link health,
    # other publishers' reviews, the related fact-checks (3 without topics). Then the savepoint rolled back and
    # released (2).
    with django_assert_num_queries(26):
        response = editor_client.get(preview_url(claim))
    assert response.content.decode().count('class="evidence__item"') == n


def test_the_preview_needs_an_editor_and_something_to_approve(other_editor, editor_client, editor):
    claim = in_review_claim(actor=other_editor)
    client = Client()
    assert client.get(preview_url(claim)).status_code == 302  # anonymous: log in
    client.force_login(UserFactory(username="olga"))
    assert client.get(preview_url(claim)).status_code == 403
    assert editor_client.get(reverse("desk:claim_preview", args=[999_999])).status_code == 404
    nothing_pending = researching_claim(actor=editor)
    assert editor_client.get(preview_url(nothing_pending)).status_code == 404
    assert editor_client.post(preview_url(claim)).status_code == 405


# ---------------------------------------------------------------------------------------------------------
# Confirming "Approve and publish".


def test_confirming_a_correction_asks_for_its_note_on_the_confirm_page(reviewer_client, editor, other_reviewer):
    claim = Claim.objects.get(pk=published_claim(actor=editor, approver=other_reviewer).pk)
    workflow.reopen(claim=claim, actor=other_reviewer, version=claim.version, reason="New figures.")
    claim.refresh_from_db()
    workflow.propose_verdict(claim=claim, actor=editor, version=claim.version, rating=rating("mostly-false"),
                             summary="Closer than we said.")
    claim.refresh_from_db()
    url = reverse("desk:approve", args=[claim.pk])
    # Without a correction note the approval would be refused: said at once, not after a confirmation.
    refused = reviewer_client.post(url, {"version": claim.version, "correction_note": ""})
    assert "write a correction note" in refused.content.decode()
    asked = reviewer_client.post(url, {"version": claim.version, "correction_note": "Euroclear revised it."})
    html = asked.content.decode()
    assert "Publish this correction?" in html and "Euroclear revised it." in html
    assert preview_url(claim, note="Euroclear+revised+it.") in html.replace("&amp;", "&")
    assert Claim.objects.get(pk=claim.pk).published_verdict.rating_label == "False"
    done = reviewer_client.post(url, {"version": claim.version, "correction_note": "Euroclear revised it.",
                                      "confirmed": "1"}, follow=True)
    assert "Approved and published." in done.content.decode()
    assert Claim.objects.get(pk=claim.pk).published_verdict.rating_label == "Mostly false"


def test_an_unconfirmed_approval_writes_and_logs_nothing(reviewer_client, editor, caplog):
    claim = in_review_claim(actor=editor)
    before = state(claim)
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="claims.workflow"):
        reviewer_client.post(reverse("desk:approve", args=[claim.pk]), {"version": claim.version})
    assert state(claim) == before
    assert not [r for r in caplog.records if r.name == "claims.workflow"]


def test_a_confirmation_made_stale_meanwhile_shows_the_conflict(reviewer_client, editor, other_reviewer):
    claim = in_review_claim(actor=editor)
    url = reverse("desk:approve", args=[claim.pk])
    reviewer_client.post(url, {"version": claim.version})  # the confirm page, at this version
    workflow.assign(claim=claim, actor=other_reviewer, version=claim.version, assignee=other_reviewer)
    response = reviewer_client.post(url, {"version": claim.version, "confirmed": "1"})
    assert "Someone else changed this claim" in response.content.decode()
    assert Claim.objects.get().status == Claim.Status.IN_REVIEW


def test_the_fact_check_context_is_shared_with_the_public_page(editor, reviewer, client):
    claim = published_claim(actor=editor, approver=reviewer)
    response = client.get(claim.get_absolute_url())
    expected = fact_check_context(Claim.objects.public_detail().get(pk=claim.pk))
    assert all(key in response.context for key in expected)
