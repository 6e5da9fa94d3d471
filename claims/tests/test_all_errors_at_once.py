"""Desk forms and API writes report every error in one answer: the field checks first (all of them), then the
workflow's rules. An empty capture form used to report only the missing text, and the next submit only the
missing claimant; proposing a verdict likewise."""

import pytest

from claims.models import Claim, Evidence, Rating, Verdict
from claims.tests.factories import ClaimantFactory, new_claim, researching_claim

pytestmark = pytest.mark.django_db


def field_errors(response, form):
    """{field name: [messages]} of ``form`` (a context name) on a desk page."""
    bound = response.context[form]
    return {name: list(messages) for name, messages in bound.errors.items()}


# The desk.


def test_an_empty_capture_form_reports_the_text_and_the_claimant_together(editor_client):
    response = editor_client.post("/desk/claims/new/", {"language": "en"})
    assert response.status_code == 200
    assert field_errors(response, "form") == {"text": ["The claim text is required."],
                                              "claimant": ["Choose who made the claim."]}
    html = response.content.decode()
    assert "The claim text is required." in html and "Choose who made the claim." in html
    assert not Claim.objects.exists()


def test_an_invisible_text_and_a_bad_address_are_reported_with_the_missing_claimant(editor_client):
    response = editor_client.post("/desk/claims/new/", {"text": "\u200b\u2060", "language": "xx_1",
                                                        "new_source_url": "javascript:alert(1)"})
    errors = field_errors(response, "form")
    assert set(errors) == {"text", "claimant", "language", "new_source_url"}
    assert errors["text"] == ["The claim text is required."]


def test_a_new_claimants_name_is_enough(editor_client):
    response = editor_client.post("/desk/claims/new/", {"text": "Frozen assets total 210 billion euros",
                                                        "new_claimant_name": "Sergey Lavrov", "language": "en"})
    assert response.status_code == 302
    assert Claim.objects.get().claimant.name == "Sergey Lavrov"


def test_an_empty_evidence_form_reports_every_field_at_fault(editor_client, editor):
    claim = researching_claim(actor=editor, evidence=0)
    response = editor_client.post(f"/desk/claims/{claim.pk}/evidence/",
                                  {"version": claim.version, "url": "javascript:alert(1)", "withheld": "on",
                                   "withheld_reason": "\u200b", "stance": "context"})
    errors = field_errors(response, "evidence_form")
    assert errors == {"title": ["A title is required."], "url": ["Enter a web address starting with http:// or "
                                                                 "https://."],
                      "withheld_reason": ["Say why the source is withheld."]}
    assert not Evidence.objects.exists()


def test_an_empty_verdict_form_reports_the_rating_and_the_summary_together(editor_client, editor):
    claim = researching_claim(actor=editor)
    response = editor_client.post(f"/desk/claims/{claim.pk}/verdict/", {"version": claim.version,
                                                                         "action": "propose"})
    assert field_errors(response, "verdict_form") == {"rating": ["Choose a rating."],
                                                      "summary": ["A summary is required."]}
    assert not Verdict.objects.exists()


def test_the_workflows_rules_come_after_the_fields(editor_client, editor):
    claim = researching_claim(actor=editor, evidence=0)
    response = editor_client.post(f"/desk/claims/{claim.pk}/verdict/", {
        "version": claim.version, "action": "propose", "rating": Rating.objects.get(slug="false").pk,
        "summary": "Euroclear holds less."})
    assert "Add at least one evidence item before proposing a verdict." in response.content.decode()


def test_the_preview_button_skips_the_browsers_required_check(editor_client, editor):
    claim = researching_claim(actor=editor)
    html = editor_client.get(claim.get_desk_url()).content.decode()
    assert 'value="preview" class="button--secondary" formnovalidate' in html


def test_review_forms_report_their_missing_fields(reviewer_client, editor, reviewer):
    claim = new_claim(actor=editor)
    response = reviewer_client.post(f"/desk/claims/{claim.pk}/close/", {"version": claim.version,
                                                                        "reason": "duplicate"})
    assert field_errors(response, "close_form") == {"duplicate_of": ["Say which claim this duplicates."]}
    response = reviewer_client.post(f"/desk/claims/{claim.pk}/close/", {"version": claim.version})
    assert list(field_errors(response, "close_form")) == ["reason"]


# The API.


def test_the_api_lists_the_text_and_claimant_errors_together(api_client_with_token):
    response = api_client_with_token.post("/api/v1/claims/", {}, format="json")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"text", "claimant"}

    response = api_client_with_token.post("/api/v1/claims/", {"text": "\u200b", "claimant": None,
                                                               "language": "not a tag"}, format="json")
    errors = response.json()["errors"]
    assert set(errors) == {"text", "claimant", "language"}
    assert errors["claimant"] == ["Choose who made the claim."]
    assert not Claim.objects.exists()


def test_the_api_lists_every_evidence_error_together(editor, api_client_with_token):
    claim = researching_claim(actor=editor, evidence=0)
    response = api_client_with_token.post(f"/api/v1/claims/{claim.pk}/evidence/", {
        "version": claim.version, "title": "\u200b", "url": "javascript:alert(1)", "withheld": True},
        format="json")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"title", "url", "withheld_reason"}


def test_withholding_an_item_by_patch_needs_its_reason(editor, api_client_with_token):
    claim = researching_claim(actor=editor)
    evidence = claim.evidence.get()
    response = api_client_with_token.patch(f"/api/v1/evidence/{evidence.pk}/", {"version": claim.version,
                                                                               "withheld": True}, format="json")
    # Well formed, but the item as stored has no reason: 422, the only fault, named.
    assert response.status_code == 422
    assert response.json()["code"] == "withheld_without_reason"
    assert response.json()["errors"] == {"withheld_reason": ["Say why the source is withheld."]}
    ok = api_client_with_token.patch(f"/api/v1/evidence/{evidence.pk}/", {
        "version": claim.version, "withheld": True, "withheld_reason": "Protects the source"}, format="json")
    assert ok.status_code == 200, ok.json()


def test_the_api_lists_the_rating_and_summary_errors_together(editor, api_client_with_token):
    claim = researching_claim(actor=editor)
    response = api_client_with_token.post(f"/api/v1/claims/{claim.pk}/verdicts/", {"version": claim.version},
                                          format="json")
    assert set(response.json()["errors"]) == {"rating", "summary"}
    response = api_client_with_token.post(f"/api/v1/claims/{claim.pk}/verdicts/", {
        "version": claim.version, "rating": "no-such-rating", "summary": "\u200e"}, format="json")
    assert set(response.json()["errors"]) == {"rating", "summary"}


def test_an_unattributed_claim_cannot_be_patched_to_no_claimant(editor, api_client_with_token):
    claim = new_claim(actor=editor, claimant=ClaimantFactory())
    response = api_client_with_token.patch(f"/api/v1/claims/{claim.pk}/", {"claimant": None, "text": ""},
                                           format="json", HTTP_IF_MATCH=f'"{claim.version}"')
    assert set(response.json()["errors"]) == {"claimant", "text"}
