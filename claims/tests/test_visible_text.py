"""A required reason, note, summary or text must have visible characters: after removing whitespace and
Unicode format characters (category Cf: zero-width spaces and joiners, bidi marks, the BOM) something must
remain. The workflow refuses with code ``required`` on the field, so the desk and the API both refuse."""

import pytest

from claims import workflow
from claims.models import Claim, ClaimEvent
from claims.workflow import WorkflowError, has_visible_text

from .factories import (
    ClaimantFactory,
    in_review_claim,
    new_claim,
    published_claim,
    rating,
    researching_claim,
    token_client,
)
from .test_workflow import refused

pytestmark = pytest.mark.django_db

INVISIBLE = {
    "zero-width space": "\u200b",
    "word joiner": "\u2060",
    "byte-order mark": "\ufeff",
    "left-to-right mark": "\u200e",
    "only spaces": "   ",
    "mixed": " \u200b\u200c\u200d\u2060\ufeff\u200e\u200f\u202a\u202c\u2066\u2069\t\n\u00a0\u3000 ",
}
invisible = pytest.mark.parametrize("blank", INVISIBLE.values(), ids=INVISIBLE.keys())


@pytest.mark.parametrize("text", ["a", "\u200bx", "\u200fהנכסים", "٢١٠", "\u200e.\u200e"])
def test_text_with_a_visible_character_counts(text):
    assert has_visible_text(text)


@invisible
def test_invisible_text_does_not_count(blank):
    assert not has_visible_text(blank)


# The workflow: every operation that needs text.


@invisible
def test_reopen_refuses_an_invisible_reason(editor, reviewer, other_reviewer, blank):
    claim = published_claim(actor=editor, approver=reviewer)
    with refused("required", field="reason"):
        workflow.reopen(claim=claim, actor=other_reviewer, version=claim.version, reason=blank)


@invisible
def test_send_back_refuses_an_invisible_note(editor, reviewer, blank):
    claim = in_review_claim(actor=editor)
    with refused("required", field="note"):
        workflow.send_back(claim=claim, actor=reviewer, version=claim.version, note=blank)


@invisible
def test_propose_refuses_an_invisible_summary(editor, blank):
    claim = researching_claim(actor=editor)
    with refused("required", field="summary"):
        workflow.propose_verdict(claim=claim, actor=editor, version=claim.version, rating=rating(), summary=blank)


@invisible
def test_capture_and_edit_refuse_an_invisible_claim_text(editor, blank):
    with refused("required", field="text"):
        workflow.create_claim(actor=editor, text=blank, claimant=ClaimantFactory())
    with refused("required", field="text"):
        workflow.create_claim(actor=None, text=blank, is_reader_tip=True)
    claim = new_claim(actor=editor)
    with refused("required", field="text"):
        workflow.edit_claim(claim=claim, actor=editor, version=claim.version, text=blank)


@invisible
def test_evidence_refuses_an_invisible_title_and_withheld_reason(editor, blank):
    claim = researching_claim(actor=editor, evidence=0)
    with refused("required", field="title"):
        workflow.add_evidence(claim=claim, actor=editor, version=claim.version, title=blank)
    with refused("required", field="withheld_reason"):
        workflow.add_evidence(claim=claim, actor=editor, version=claim.version, title="Interview",
                              withheld=True, withheld_reason=blank)


@invisible
def test_a_correction_refuses_an_invisible_note(editor, reviewer, other_reviewer, blank):
    claim = published_claim(actor=editor, approver=reviewer)
    claim = workflow.reopen(claim=claim, actor=reviewer, version=claim.version, reason="Revised figures")
    workflow.propose_verdict(claim=claim, actor=editor, version=claim.version, rating=rating("true"),
                             summary="Revised.", correction_note=blank)
    claim.refresh_from_db()
    with refused("correction_note_required", field="correction_note"):
        workflow.approve(claim=claim, actor=other_reviewer, version=claim.version, correction_note=blank)


# The desk and the API map the same refusal.


@pytest.mark.parametrize("blank", ["\u200b", "\u2060", "\ufeff", "\u200e", "   "])
def test_the_desk_refuses_an_invisible_reason_and_note(reviewer_client, editor, reviewer, other_reviewer, blank):
    claim = in_review_claim(actor=editor)
    response = reviewer_client.post(f"/desk/claims/{claim.pk}/send-back/", {"note": blank, "version": claim.version})
    assert response.status_code == 200
    assert "A note for the proposer is required." in response.content.decode()
    assert Claim.objects.get().status == Claim.Status.IN_REVIEW

    published = published_claim(actor=editor, approver=other_reviewer)
    response = reviewer_client.post(f"/desk/claims/{published.pk}/reopen/",
                                    {"reason": blank, "version": published.version})
    assert "A reason is required." in response.content.decode()
    assert not ClaimEvent.objects.filter(kind=ClaimEvent.Kind.REOPENED).exists()


@pytest.mark.parametrize("blank", ["\u200b", "\u2060", "\ufeff", "\u200e", "   "])
def test_the_api_refuses_an_invisible_reason_note_summary_and_text(editor, reviewer, other_reviewer, blank):
    review = token_client(reviewer)  # 400 names the field; the workflow's code is pinned above
    claim = in_review_claim(actor=editor)
    response = review.post(f"/api/v1/claims/{claim.pk}/send-back/", {"note": blank, "version": claim.version},
                           format="json")
    assert response.status_code == 400
    # The serializer refuses spaces itself ("may not be blank"); the workflow refuses what it cannot see.
    assert list(response.json()["errors"]) == ["note"]

    published = published_claim(actor=editor, approver=other_reviewer)
    response = review.post(f"/api/v1/claims/{published.pk}/reopen/", {"reason": blank, "version": published.version},
                           format="json")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["reason"]

    edit = token_client(editor)
    researching = researching_claim(actor=editor)
    response = edit.post(f"/api/v1/claims/{researching.pk}/verdicts/",
                         {"rating": "false", "summary": blank, "version": researching.version}, format="json")
    assert response.status_code == 400
    assert "summary" in response.json()["errors"]

    response = edit.post("/api/v1/claims/", {"text": blank, "claimant": ClaimantFactory().pk}, format="json")
    assert response.status_code == 400
    assert "text" in response.json()["errors"]
    assert Claim.objects.count() == 3
    assert not ClaimEvent.objects.filter(kind__in=[ClaimEvent.Kind.SENT_BACK, ClaimEvent.Kind.REOPENED]).exists()


def test_the_refusal_is_the_workflows_one_error():
    with pytest.raises(WorkflowError) as info:
        workflow._required_text("\u200b\u2060", field="note", what="A note")
    assert (info.value.code, info.value.field, info.value.message) == ("required", "note", "A note is required.")
