"""The workflow over HTTP: the whole journey of a claim through the API, and every way a write is refused."""

import json

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from claims.models import Claim, ClaimEvent, Evidence
from claims.tests.factories import (
    ClaimantFactory,
    TopicFactory,
    in_review_claim,
    new_claim,
    published_claim,
    researching_claim,
    token_client,
)

pytestmark = pytest.mark.django_db

API = "/api/v1"


def post(client, path, data=None, *, version=None):
    headers = {"If-Match": f'"{version}"'} if version is not None else {}
    return client.post(f"{API}{path}", data or {}, format="json", headers=headers)


def test_a_claim_goes_from_capture_to_correction(editor, reviewer, other_reviewer, api_client):
    erin, rita, remy = token_client(editor), token_client(reviewer), token_client(other_reviewer)
    topic = TopicFactory()
    claimant = ClaimantFactory(name="Sergey Lavrov")

    created = post(erin, "/claims/", {"text": "About €210bn of Russian assets are frozen", "claimant": claimant.pk,
                                      "quote": "some €210bn", "topics": [topic.pk]})
    assert created.status_code == 201, created.json()
    claim_id = created.json()["id"]
    assert created.headers["ETag"] == '"1"'
    assert created.headers["Location"] == f"{API}/claims/{claim_id}/"
    assert created.json()["status"] == "new"
    assert created.json()["topics"] == [{"id": topic.pk, "slug": topic.slug, "name": topic.name}]
    assert api_client.get(f"{API}/claims/{claim_id}/").status_code == 404  # not public yet

    started = post(erin, f"/claims/{claim_id}/start/", version=1)
    assert started.status_code == 200, started.json()
    assert started.json()["status"] == "researching"
    assert started.json()["assignee"]["username"] == "erin"

    evidence = post(erin, f"/claims/{claim_id}/evidence/", {
        "title": "Euroclear half-year results", "url": "https://www.euroclear.com/results", "stance": "refutes",
    }, version=2)
    assert evidence.status_code == 201, evidence.json()
    assert evidence.headers["ETag"] == '"3"'

    proposed = post(rita, f"/claims/{claim_id}/verdicts/", {
        "rating": "false", "summary": "Euroclear holds about €185bn.", "analysis": "See **the results**.",
    }, version=3)
    assert proposed.status_code == 201, proposed.json()
    assert proposed.json()["analysis_html"] == "<p>See <strong>the results</strong>.</p>"
    assert proposed.json()["is_published"] is False

    own = post(rita, f"/claims/{claim_id}/approve/", version=4)
    assert own.status_code == 409
    assert own.json()["code"] == "own_verdict"
    assert "someone else" in own.json()["detail"]

    published = post(remy, f"/claims/{claim_id}/approve/", {"note": "Checked the figures."}, version=4)
    assert published.status_code == 200, published.json()
    assert published.json()["status"] == "published"
    assert published.headers["ETag"] == '"5"'
    public = api_client.get(f"{API}/claims/{claim_id}/")
    assert public.status_code == 200
    assert public.json()["published_verdict"]["rating"] == "false"
    assert public.json()["status"] is None  # the workflow stage is the desk's business

    reopened = post(remy, f"/claims/{claim_id}/reopen/", {"reason": "Euroclear revised its figures."}, version=5)
    assert reopened.status_code == 200, reopened.json()
    assert reopened.json()["status"] == "researching"
    still_public = api_client.get(f"{API}/claims/{claim_id}/").json()
    assert still_public["published_verdict"]["rating"] == "false"

    post(erin, f"/claims/{claim_id}/evidence/", {"title": "Revised results", "url": "https://euroclear.example/q3"},
         version=6)
    correction = post(erin, f"/claims/{claim_id}/verdicts/", {"rating": "mostly-false", "summary": "Close enough."},
                      version=7)
    assert correction.status_code == 201, correction.json()

    missing_note = post(rita, f"/claims/{claim_id}/approve/", version=8)
    assert missing_note.status_code == 400
    assert missing_note.json()["code"] == "invalid"
    assert "correction_note" in missing_note.json()["errors"]

    corrected = post(rita, f"/claims/{claim_id}/approve/", {"correction_note": "Euroclear revised the total."},
                     version=8)
    assert corrected.status_code == 200, corrected.json()
    assert corrected.json()["status"] == "published"
    assert corrected.json()["published_verdict"]["rating"] == "mostly-false"

    history = api_client.get(f"{API}/claims/{claim_id}/history/").json()["results"]
    assert [e["kind"] for e in history] == ["published", "corrected"]
    assert history[1]["note"] == "Euroclear revised the total."  # the public correction notice
    assert all(e["actor_name"] is None and e["changes"] is None for e in history)
    everything = erin.get(f"{API}/claims/{claim_id}/history/").json()["results"]
    assert [e["kind"] for e in everything] == [
        "created", "research_started", "evidence_added", "verdict_proposed", "published", "reopened", "evidence_added",
        "verdict_proposed", "corrected",
    ]
    verdicts = api_client.get(f"{API}/claims/{claim_id}/verdicts/").json()["results"]
    assert [(v["rating"], v["is_published"]) for v in verdicts] == [("mostly-false", True), ("false", False)]
    review = api_client.get(f"{API}/claimreview/").json()["results"][0]
    assert review["reviewRating"]["alternateName"] == "Mostly false"
    assert "dateModified" in review


def test_an_editor_edits_a_claim_with_if_match(editor, api_client_with_token):
    claim = researching_claim(actor=editor)
    response = api_client_with_token.patch(f"{API}/claims/{claim.pk}/", {"text": "أصول مجمدة بقيمة ٢١٠ مليار"},
                                           format="json", headers={"If-Match": f'W/"{claim.version}"'})
    assert response.status_code == 200, response.json()
    assert response.json()["text"] == "أصول مجمدة بقيمة ٢١٠ مليار"  # right-to-left text survives
    assert response.headers["ETag"] == f'"{claim.version + 1}"'
    event = ClaimEvent.objects.filter(claim=claim).latest("at", "id")
    assert event.kind == "edited"
    assert event.changes["text"][1] == "أصول مجمدة بقيمة ٢١٠ مليار"


def test_a_patch_may_carry_its_version_in_the_body(editor, api_client_with_token):
    claim = researching_claim(actor=editor)
    response = api_client_with_token.patch(f"{API}/claims/{claim.pk}/", {"quote": "new", "version": claim.version},
                                           format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["quote"] == "new"


def test_a_stale_if_match_gets_412_and_writes_nothing(editor, api_client_with_token):
    claim = researching_claim(actor=editor)
    events = ClaimEvent.objects.count()
    response = api_client_with_token.patch(f"{API}/claims/{claim.pk}/", {"text": "Changed"}, format="json",
                                           headers={"If-Match": f'"{claim.version - 1}"'})
    assert response.status_code == 412
    assert response.json() == {"code": "stale_version", "detail": response.json()["detail"],
                               "current_version": claim.version}
    assert response.headers["ETag"] == f'"{claim.version}"'
    claim.refresh_from_db()
    assert claim.text != "Changed"
    assert ClaimEvent.objects.count() == events


@pytest.mark.parametrize("path, body", [
    ("/start/", {}),
    ("/evidence/", {"title": "A report", "url": "https://example.org/report"}),
    ("/close/", {"reason": "out_of_scope"}),
])
def test_a_stale_version_in_the_body_gets_412(editor, reviewer, path, body):
    claim = new_claim(actor=editor) if path == "/start/" else researching_claim(actor=editor)
    response = post(token_client(reviewer), f"/claims/{claim.pk}{path}", {**body, "version": claim.version + 5})
    assert response.status_code == 412
    assert response.json()["current_version"] == claim.version


def test_a_write_without_a_version_gets_428(editor, api_client_with_token):
    claim = researching_claim(actor=editor)
    response = api_client_with_token.patch(f"{API}/claims/{claim.pk}/", {"text": "Changed"}, format="json")
    assert response.status_code == 428
    assert response.json()["code"] == "precondition_required"
    assert "If-Match" in response.json()["detail"]


def test_if_match_star_means_whatever_is_current(editor, api_client_with_token):
    claim = researching_claim(actor=editor)
    response = api_client_with_token.patch(f"{API}/claims/{claim.pk}/", {"text": "Any version"}, format="json",
                                           headers={"If-Match": "*"})
    assert response.status_code == 200


def test_a_garbled_if_match_is_stale_not_an_error(editor, api_client_with_token):
    claim = researching_claim(actor=editor)
    response = api_client_with_token.patch(f"{API}/claims/{claim.pk}/", {"text": "x"}, format="json",
                                           headers={"If-Match": "not-an-etag"})
    assert response.status_code == 412


def test_the_claim_etag_is_its_version(editor, api_client_with_token):
    claim = researching_claim(actor=editor)
    response = api_client_with_token.get(f"{API}/claims/{claim.pk}/")
    assert response.headers["ETag"] == f'"{claim.version}"'
    assert response.json()["version"] == claim.version


def test_an_editor_cannot_approve(editor, other_editor, reviewer):
    claim = in_review_claim(actor=editor)
    response = post(token_client(other_editor), f"/claims/{claim.pk}/approve/", version=claim.version)
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


def test_send_back_needs_a_note(editor, reviewer):
    claim = in_review_claim(actor=editor)
    response = post(token_client(reviewer), f"/claims/{claim.pk}/send-back/", {"note": ""}, version=claim.version)
    assert response.status_code == 400
    assert "note" in response.json()["errors"]
    sent = post(token_client(reviewer), f"/claims/{claim.pk}/send-back/", {"note": "Find the primary source."},
                version=claim.version)
    assert sent.status_code == 200
    assert sent.json()["status"] == "researching"


def test_close_as_duplicate_names_the_original(editor, reviewer):
    original = researching_claim(actor=editor)
    claim = researching_claim(actor=editor)
    rita = token_client(reviewer)
    refused = post(rita, f"/claims/{claim.pk}/close/", {"reason": "duplicate"}, version=claim.version)
    assert refused.status_code == 400
    assert "duplicate_of" in refused.json()["errors"]
    closed = post(rita, f"/claims/{claim.pk}/close/", {"reason": "duplicate", "duplicate_of": original.pk},
                  version=claim.version)
    assert closed.status_code == 200, closed.json()
    assert (closed.json()["status"], closed.json()["duplicate_of"]) == ("closed", original.pk)


def test_a_refused_transition_is_409_with_a_code(editor, reviewer):
    claim = published_claim(actor=editor, approver=reviewer)
    response = post(token_client(reviewer), f"/claims/{claim.pk}/close/", {"reason": "out_of_scope"},
                    version=claim.version)
    assert response.status_code == 409
    assert response.json()["code"] == "invalid_transition"


def test_evidence_changes_and_removal(editor, api_client_with_token):
    claim = researching_claim(actor=editor)
    evidence = claim.evidence.get()
    changed = api_client_with_token.patch(f"{API}/evidence/{evidence.pk}/", {"withheld": True,
                                          "withheld_reason": "Protects a ministry source."}, format="json",
                                          headers={"If-Match": f'"{claim.version}"'})
    assert changed.status_code == 200, changed.json()
    assert changed.json()["withheld"] is True
    assert changed.headers["ETag"] == f'"{claim.version + 1}"'
    gone = api_client_with_token.delete(f"{API}/evidence/{evidence.pk}/", headers={"If-Match": changed["ETag"]})
    assert gone.status_code == 204
    assert gone.headers["ETag"] == f'"{claim.version + 2}"'
    assert not Evidence.objects.filter(pk=evidence.pk).exists()


def test_evidence_removal_may_carry_its_version_in_the_query(editor, api_client_with_token):
    claim = researching_claim(actor=editor)
    evidence = claim.evidence.get()
    stale = api_client_with_token.delete(f"{API}/evidence/{evidence.pk}/?version={claim.version - 1}")
    assert stale.status_code == 412
    assert Evidence.objects.filter(pk=evidence.pk).exists()
    assert api_client_with_token.delete(f"{API}/evidence/{evidence.pk}/?version={claim.version}").status_code == 204


# ---------------------------------------------------------------------------------------------------------
# Bad input.


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,<script>alert(1)</script>",
                                 "ftp://example.org/file", "//example.org/x"])
def test_evidence_refuses_urls_that_are_not_web_addresses(editor, api_client_with_token, url):
    claim = researching_claim(actor=editor)
    response = post(api_client_with_token, f"/claims/{claim.pk}/evidence/", {"title": "Bad", "url": url},
                    version=claim.version)
    assert response.status_code == 400
    assert "url" in response.json()["errors"]
    assert claim.evidence.count() == 1


def test_a_claimant_refuses_a_javascript_same_as(api_client_with_token):
    response = post(api_client_with_token, "/claimants/", {"name": "X", "same_as": "javascript:alert(1)"})
    assert response.status_code == 400
    assert "same_as" in response.json()["errors"]


def test_oversized_claim_text_is_refused(api_client_with_token):
    response = post(api_client_with_token, "/claims/", {"text": "x" * 201, "claimant": ClaimantFactory().pk})
    assert response.status_code == 400
    assert "text" in response.json()["errors"]
    assert not Claim.objects.exists()


def test_malformed_json_gets_a_clear_400(api_client_with_token):
    response = api_client_with_token.post(f"{API}/claims/", data='{"text": "x",', content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"
    assert "JSON parse error" in response.json()["detail"]


@pytest.mark.parametrize("body", ["[1, 2]", '"text"', "null", '{"text": NaN, "claimant": 1}'])
def test_json_that_is_not_an_object_gets_a_400(api_client_with_token, body):
    response = api_client_with_token.post(f"{API}/claims/", data=body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] in {"invalid", "parse_error"}


def test_invalid_utf8_gets_a_400(api_client_with_token):
    response = api_client_with_token.post(f"{API}/claims/", data=b'{"text": "\xff\xfe"}',
                                          content_type="application/json")
    assert response.status_code == 400


def test_an_oversized_body_gets_a_json_413(api_client_with_token, settings):
    body = json.dumps({"text": "x", "quote": "q" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)})
    response = api_client_with_token.post(f"{API}/claims/", data=body, content_type="application/json")
    assert response.status_code == 413
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == "payload_too_large"
    assert not Claim.objects.exists()


def test_read_only_and_unknown_fields_are_refused_not_ignored(editor, api_client_with_token):
    claim = researching_claim(actor=editor)
    response = api_client_with_token.patch(f"{API}/claims/{claim.pk}/", {"status": "published", "colour": "red"},
                                           format="json", headers={"If-Match": f'"{claim.version}"'})
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"status", "colour"}
    claim.refresh_from_db()
    assert claim.status == "researching"


def test_unknown_ids_in_a_body_are_422_field_errors(api_client_with_token):
    # Well formed, but naming nothing: 422 does_not_exist, each field named.
    response = post(api_client_with_token, "/claims/", {"text": "x", "claimant": 999999, "topics": [999999]})
    assert response.status_code == 422
    assert response.json()["code"] == "does_not_exist"
    assert set(response.json()["errors"]) == {"claimant", "topics"}
    assert not Claim.objects.exists()


def test_an_unknown_id_beside_a_malformed_field_is_400(api_client_with_token):
    response = post(api_client_with_token, "/claims/", {"text": "", "claimant": 999999})
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"text", "claimant"}


def test_an_unknown_rating_is_a_field_error(editor, api_client_with_token):
    claim = researching_claim(actor=editor)
    response = post(api_client_with_token, f"/claims/{claim.pk}/verdicts/", {"rating": "pants-on-fire",
                                                                            "summary": "No."}, version=claim.version)
    assert response.status_code == 422
    assert "rating" in response.json()["errors"]


def test_a_verdict_without_evidence_is_409(editor, api_client_with_token):
    claim = researching_claim(actor=editor, evidence=0)
    response = post(api_client_with_token, f"/claims/{claim.pk}/verdicts/", {"rating": "false", "summary": "No."},
                    version=claim.version)
    assert response.status_code == 409
    assert response.json()["code"] == "evidence_required"


# ---------------------------------------------------------------------------------------------------------
# Authentication.


def test_session_writes_need_the_csrf_token(editor):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(editor)
    body = {"text": "A claim", "claimant": ClaimantFactory().pk}
    refused = client.post(f"{API}/claims/", body, format="json")
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]
    client.get("/accounts/login/")  # sets the csrftoken cookie
    token = client.cookies["csrftoken"].value
    accepted = client.post(f"{API}/claims/", body, format="json", headers={"X-CSRFToken": token})
    assert accepted.status_code == 201


def test_a_bad_token_is_401(api_client):
    api_client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    response = api_client.get(f"{API}/claims/")
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"


def test_drf_create_token_makes_a_working_token(editor):
    from django.core.management import call_command

    call_command("drf_create_token", "erin", verbosity=0)
    token = Token.objects.get(user=editor)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert client.get(f"{API}/claims/?status=new").status_code == 200


def test_a_workflow_action_with_a_stale_if_match_writes_nothing(editor, reviewer):
    claim = in_review_claim(actor=editor)
    events = ClaimEvent.objects.filter(claim=claim).count()
    response = post(token_client(reviewer), f"/claims/{claim.pk}/approve/", version=claim.version - 1)
    assert response.status_code == 412
    assert response.json()["code"] == "stale_version"
    claim.refresh_from_db()
    assert claim.status == "in_review"
    assert ClaimEvent.objects.filter(claim=claim).count() == events


# ---------------------------------------------------------------------------------------------------------
# Typed clients chain their calls from the bodies alone: the claim's new version is in the body too.


def test_adding_evidence_answers_the_claims_new_version_in_the_body(api_client_with_token, editor):
    claim = researching_claim(actor=editor, evidence=0)
    response = api_client_with_token.post(f"{API}/claims/{claim.pk}/evidence/",
                                          {"title": "Euroclear results", "version": claim.version}, format="json")
    assert response.status_code == 201
    assert response.json()["claim_version"] == claim.version + 1
    assert response["ETag"] == f'"{claim.version + 1}"'
    changed = api_client_with_token.patch(f"{API}/evidence/{response.json()['id']}/",
                                          {"note": "Page 4", "version": response.json()["claim_version"]},
                                          format="json")
    assert changed.status_code == 200
    assert changed.json()["claim_version"] == claim.version + 2


def test_proposing_a_verdict_answers_the_claims_new_version_in_the_body(api_client_with_token, editor,
                                                                        reviewer_api_client):
    claim = researching_claim(actor=editor)
    response = api_client_with_token.post(f"{API}/claims/{claim.pk}/verdicts/",
                                          {"rating": "false", "summary": "Wrong.", "version": claim.version},
                                          format="json")
    assert response.status_code == 201
    assert response.json()["claim_version"] == claim.version + 1
    approved = reviewer_api_client.post(f"{API}/claims/{claim.pk}/approve/",
                                        {"version": response.json()["claim_version"]}, format="json")
    assert approved.status_code == 200
    assert approved.json()["status"] == "published"


def test_a_version_on_a_new_claim_is_refused(api_client_with_token):
    claimant = ClaimantFactory()
    response = api_client_with_token.post(f"{API}/claims/", {"text": "A claim", "claimant": claimant.pk,
                                                             "version": 7}, format="json")
    assert response.status_code == 400
    assert "version" in response.json()["errors"]


# ---------------------------------------------------------------------------------------------------------
# Two editors adding evidence at once both succeed; editing the same item still conflicts.


def test_two_editors_adding_evidence_without_a_version_both_get_201(editor, other_editor):
    claim = researching_claim(actor=editor, evidence=0)
    first = post(token_client(editor), f"/claims/{claim.pk}/evidence/", {"title": "Euroclear results"})
    second = post(token_client(other_editor), f"/claims/{claim.pk}/evidence/", {"title": "ECB statement"})
    assert (first.status_code, second.status_code) == (201, 201), (first.json(), second.json())
    assert second["ETag"] == f'"{claim.version + 2}"'
    assert sorted(claim.evidence.values_list("title", flat=True)) == ["ECB statement", "Euroclear results"]


def test_adding_evidence_with_a_stale_if_match_is_still_412(editor, other_editor):
    # An If-Match is the client's own precondition: it is honoured, even where none is needed.
    claim = researching_claim(actor=editor, evidence=0)
    read = claim.version
    post(token_client(other_editor), f"/claims/{claim.pk}/evidence/", {"title": "ECB statement"})
    response = post(token_client(editor), f"/claims/{claim.pk}/evidence/", {"title": "Mine"}, version=read)
    assert response.status_code == 412
    assert list(claim.evidence.values_list("title", flat=True)) == ["ECB statement"]


def test_editing_the_same_evidence_item_from_the_same_version_is_412_for_the_second(editor, other_editor):
    claim = researching_claim(actor=editor)
    item, read = claim.evidence.get(), claim.version
    first = token_client(editor).patch(f"{API}/evidence/{item.pk}/", {"title": "Erin's title"}, format="json",
                                       headers={"If-Match": f'"{read}"'})
    second = token_client(other_editor).patch(f"{API}/evidence/{item.pk}/", {"title": "Otto's title"},
                                              format="json", headers={"If-Match": f'"{read}"'})
    assert (first.status_code, second.status_code) == (200, 412)
    item.refresh_from_db()
    assert item.title == "Erin's title"
