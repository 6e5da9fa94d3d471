"""The verdict panel and the claim's course: propose (with a preview), approve, send back, reopen, close and
assign. Every refusal is a readable message on the form, never a 500, and nothing is written."""

import pytest
from django.urls import reverse

from claims import workflow
from claims.models import Claim, ClaimEvent, Rating, Verdict

from .factories import UserFactory, in_review_claim, new_claim, published_claim, rating, researching_claim

pytestmark = pytest.mark.django_db


def propose(claim, **fields):
    return {"rating": rating("false").pk, "summary": "The figure is wrong.", "analysis": "", "action": "propose",
            "version": claim.version, **fields}


def test_the_rating_list_shows_each_definition(editor_client, editor):
    claim = researching_claim(actor=editor)
    html = editor_client.get(claim.get_desk_url()).content.decode()
    for item in Rating.objects.all():
        assert f"{item.label} — {item.definition}" in html


def test_proposing_a_verdict(editor_client, editor):
    claim = researching_claim(actor=editor)
    response = editor_client.post(reverse("desk:verdict_propose", args=[claim.pk]),
                                  propose(claim, analysis="**Why** it is wrong."), follow=True)
    assert "Verdict proposed: it now awaits a reviewer." in response.content.decode()
    claim.refresh_from_db()
    assert claim.status == Claim.Status.IN_REVIEW
    verdict = claim.verdicts.get()
    assert (verdict.rating_label, verdict.summary, verdict.proposed_by) == ("False", "The figure is wrong.", editor)


def test_a_verdict_needs_evidence(editor_client, editor):
    claim = researching_claim(actor=editor, evidence=0)
    response = editor_client.post(reverse("desk:verdict_propose", args=[claim.pk]), propose(claim))
    assert "Add at least one evidence item before proposing a verdict." in response.content.decode()
    assert not Verdict.objects.exists()


@pytest.mark.parametrize(("fields", "message"), [
    ({"rating": ""}, "Choose a rating."),
    ({"summary": "  "}, "A summary is required."),
    ({"rating": "999999"}, "Select a valid choice."),
])
def test_a_verdict_needs_a_rating_and_a_summary(editor_client, editor, fields, message):
    claim = researching_claim(actor=editor)
    response = editor_client.post(reverse("desk:verdict_propose", args=[claim.pk]), propose(claim, **fields))
    assert message in response.content.decode()
    assert not Verdict.objects.exists()
    assert Claim.objects.get().status == Claim.Status.RESEARCHING


def test_preview_renders_the_analysis_safely_and_saves_nothing(editor_client, editor):
    claim = researching_claim(actor=editor)
    analysis = "**Bold** and [a link](https://example.org) <script>alert(1)</script> [bad](javascript:alert(1))"
    response = editor_client.post(reverse("desk:verdict_propose", args=[claim.pk]),
                                  propose(claim, analysis=analysis, action="preview"))
    html = response.content.decode()
    assert "Preview of the analysis" in html
    assert "<strong>Bold</strong>" in html
    assert 'href="https://example.org"' in html
    assert "<script>alert(1)</script>" not in html
    assert 'href="javascript:' not in html
    # The text is still in the form, to carry on writing.
    assert "**Bold**" in html
    assert not Verdict.objects.exists()


def test_the_proposer_is_not_offered_approval_and_is_told_why(client, reviewer):
    claim = in_review_claim(actor=reviewer)
    client.force_login(reviewer)
    response = client.get(claim.get_desk_url())
    html = response.content.decode()
    assert "You proposed this verdict, so you cannot approve it: another reviewer must." in html
    assert reverse("desk:approve", args=[claim.pk]) not in html
    # And a forged approval is refused by the workflow, as a message.
    refused = client.post(reverse("desk:approve", args=[claim.pk]), {"version": claim.version, "note": ""})
    assert refused.status_code == 200
    assert "You proposed this verdict, so someone else must approve it." in refused.content.decode()
    assert Claim.objects.get().status == Claim.Status.IN_REVIEW


def test_editors_see_that_only_reviewers_approve(editor_client, other_editor):
    claim = in_review_claim(actor=other_editor)
    html = editor_client.get(claim.get_desk_url()).content.decode()
    assert "Only reviewers can approve or send back a verdict." in html
    assert reverse("desk:approve", args=[claim.pk]) not in html


def test_a_reviewer_approves_and_publishes_after_confirming(reviewer_client, editor, reviewer):
    claim = in_review_claim(actor=editor)
    page = reviewer_client.get(claim.get_desk_url()).content.decode()
    assert "Approve and publish…" in page
    assert reverse("desk:claim_preview", args=[claim.pk]) in page
    # The first post asks for confirmation, keeps the note typed, and publishes nothing.
    asked = reviewer_client.post(reverse("desk:approve", args=[claim.pk]),
                                 {"version": claim.version, "note": "Checked the sums."})
    html = asked.content.decode()
    assert asked.status_code == 200 and "Publish this fact-check?" in html
    assert 'name="confirmed" value="1"' in html and "Checked the sums." in html
    assert f'name="version" value="{claim.version}"' in html
    assert reverse("desk:claim_preview", args=[claim.pk]) in html
    assert Claim.objects.get().status == Claim.Status.IN_REVIEW
    assert not claim.events.filter(kind=ClaimEvent.Kind.PUBLISHED).exists()
    response = reviewer_client.post(reverse("desk:approve", args=[claim.pk]),
                                    {"version": claim.version, "note": "Checked the sums.", "confirmed": "1"},
                                    follow=True)
    assert "Approved and published." in response.content.decode()
    claim.refresh_from_db()
    assert claim.status == Claim.Status.PUBLISHED and claim.published_verdict is not None
    assert claim.events.get(kind=ClaimEvent.Kind.PUBLISHED).actor == reviewer


def test_with_two_approvals_required_the_first_does_not_publish(reviewer_client, editor, reviewer, settings):
    settings.REQUIRED_APPROVALS = 2
    claim = in_review_claim(actor=editor)
    response = reviewer_client.post(reverse("desk:approve", args=[claim.pk]), {"version": claim.version},
                                    follow=True)
    html = response.content.decode()
    assert "Approved. It publishes once enough reviewers have approved it." in html
    assert "You have approved this verdict." in html
    assert "1 of 2 approvals" in html
    assert Claim.objects.get().status == Claim.Status.IN_REVIEW


def test_approving_from_a_stale_page_shows_the_conflict(reviewer_client, editor, other_reviewer):
    claim = in_review_claim(actor=editor)
    workflow.assign(claim=claim, actor=other_reviewer, version=claim.version, assignee=other_reviewer)
    response = reviewer_client.post(reverse("desk:approve", args=[claim.pk]), {"version": claim.version})
    assert "Someone else changed this claim" in response.content.decode()
    assert Claim.objects.get().status == Claim.Status.IN_REVIEW


def test_sending_back_needs_a_note(reviewer_client, editor):
    claim = in_review_claim(actor=editor)
    url = reverse("desk:send_back", args=[claim.pk])
    empty = reviewer_client.post(url, {"version": claim.version, "note": "   "})
    assert "A note for the proposer is required." in empty.content.decode()
    assert Claim.objects.get().status == Claim.Status.IN_REVIEW

    response = reviewer_client.post(url, {"version": claim.version, "note": "Source the 210bn."}, follow=True)
    assert "Sent back to research, with your note." in response.content.decode()
    assert "Source the 210bn." in response.content.decode()
    assert Claim.objects.get().status == Claim.Status.RESEARCHING


def test_reopening_needs_a_reason_and_a_correction_then_needs_a_note(reviewer_client, editor, other_reviewer):
    claim = published_claim(actor=editor, approver=other_reviewer)
    url = reverse("desk:reopen", args=[claim.pk])
    empty = reviewer_client.post(url, {"version": claim.version, "reason": ""})
    assert "A reason is required." in empty.content.decode()
    assert Claim.objects.get().status == Claim.Status.PUBLISHED

    response = reviewer_client.post(url, {"version": claim.version, "reason": "Eurostat revised it."}, follow=True)
    html = response.content.decode()
    assert "Claim reopened." in html
    # The new proposal must say what changed: the form asks for a correction note.
    assert 'name="correction_note"' in html
    assert "The published verdict stays public until a new one is approved" in html
    assert Claim.objects.get().status == Claim.Status.RESEARCHING


@pytest.mark.parametrize(("fields", "message"), [
    ({"reason": ""}, "Choose why the claim is closed"),
    ({"reason": "duplicate"}, "Say which claim this duplicates."),
    ({"reason": "duplicate", "duplicate_of": "999999"}, "There is no claim number 999999."),
    ({"reason": "nonsense"}, "Select a valid choice."),
])
def test_closing_needs_a_reason(reviewer_client, editor, fields, message):
    claim = new_claim(actor=editor)
    response = reviewer_client.post(reverse("desk:close", args=[claim.pk]),
                                    {"version": claim.version, "note": "", "duplicate_of": "", **fields})
    assert message in response.content.decode()
    assert Claim.objects.get().status == Claim.Status.NEW


def test_closing_as_a_duplicate_and_reopening(reviewer_client, editor):
    original = new_claim(actor=editor, text="The original")
    claim = new_claim(actor=editor, text="The copy")
    response = reviewer_client.post(reverse("desk:close", args=[claim.pk]),
                                    {"version": claim.version, "reason": "duplicate", "duplicate_of": original.pk,
                                     "note": ""}, follow=True)
    html = response.content.decode()
    assert "Claim closed." in html and f"claim no. {original.pk}" in html
    claim.refresh_from_db()
    assert (claim.status, claim.duplicate_of) == (Claim.Status.CLOSED, original)

    reviewer_client.post(reverse("desk:reopen", args=[claim.pk]), {"version": claim.version, "reason": "Not a copy"})
    claim.refresh_from_db()
    assert (claim.status, claim.duplicate_of) == (Claim.Status.NEW, None)


def test_assigning_a_new_claim_starts_research(editor_client, editor, other_editor):
    claim = new_claim(actor=editor)
    response = editor_client.post(reverse("desk:assign", args=[claim.pk]),
                                  {"version": claim.version, "assignee": other_editor.pk}, follow=True)
    assert "Assigned to Otto Other. Research has started." in response.content.decode()
    claim.refresh_from_db()
    assert (claim.status, claim.assignee) == (Claim.Status.RESEARCHING, other_editor)

    editor_client.post(reverse("desk:assign", args=[claim.pk]), {"version": claim.version, "assignee": editor.pk})
    claim.refresh_from_db()
    assert (claim.status, claim.assignee) == (Claim.Status.RESEARCHING, editor)


def test_only_editors_can_be_assigned(editor_client, editor):
    outsider = UserFactory(username="olga")
    claim = researching_claim(actor=editor)
    choices = editor_client.get(claim.get_desk_url()).context["assign_form"].fields["assignee"].queryset
    assert editor in choices and outsider not in choices
    response = editor_client.post(reverse("desk:assign", args=[claim.pk]),
                                  {"version": claim.version, "assignee": outsider.pk})
    assert "Select a valid choice." in response.content.decode()
    assert Claim.objects.get().assignee == editor


def test_assigning_to_the_same_person_is_a_readable_refusal(editor_client, editor):
    claim = researching_claim(actor=editor)
    response = editor_client.post(reverse("desk:assign", args=[claim.pk]),
                                  {"version": claim.version, "assignee": editor.pk})
    assert "The claim is already assigned to them." in response.content.decode()
    assert Claim.objects.get().version == claim.version


def test_a_stored_analysis_is_rendered_safely(reviewer_client, editor):
    claim = researching_claim(actor=editor)
    workflow.propose_verdict(claim=claim, actor=editor, version=claim.version, rating=rating("false"),
                             summary="<b>Wrong</b>", analysis="Fine *text* <script>alert(1)</script> "
                             "[x](javascript:alert(1)) <img src=x onerror=alert(1)>")
    html = reviewer_client.get(claim.get_desk_url()).content.decode()
    assert "<em>text</em>" in html
    assert "<script>alert(1)</script>" not in html and "<img src=x" not in html
    assert 'href="javascript:' not in html
    assert "&lt;b&gt;Wrong&lt;/b&gt;" in html
