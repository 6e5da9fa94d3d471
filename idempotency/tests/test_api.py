"""The API's create endpoints honour an Idempotency-Key header: a retried key gets the first answer (status
and body) and makes nothing more; the same key with another request gets 422; keys are per user and expire."""

import datetime

import pytest
from django.utils import timezone

from claims.models import Claim, Claimant, Evidence, Source, Topic, Verdict
from claims.tests.factories import ClaimantFactory, researching_claim, token_client
from idempotency.models import SubmissionKey

pytestmark = pytest.mark.django_db

API = "/api/v1"


def send(client, path, body, key, **headers):
    return client.post(f"{API}{path}", body, format="json", HTTP_IDEMPOTENCY_KEY=key, **headers)


def test_a_retried_capture_makes_one_claim_and_gets_the_same_answer(api_client_with_token):
    body = {"text": "Frozen assets total 210 billion euros", "claimant": ClaimantFactory().pk}
    first = send(api_client_with_token, "/claims/", body, "3f1c2b9a-capture")
    again = send(api_client_with_token, "/claims/", body, "3f1c2b9a-capture")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert (again["Location"], again["ETag"]) == (first["Location"], first["ETag"])
    assert again["Idempotent-Replayed"] == "true" and "Idempotent-Replayed" not in first
    assert Claim.objects.count() == 1


def test_a_key_reused_for_another_request_is_422(api_client_with_token):
    claimant = ClaimantFactory().pk
    send(api_client_with_token, "/claims/", {"text": "First wording", "claimant": claimant}, "k1")
    other = send(api_client_with_token, "/claims/", {"text": "Second wording", "claimant": claimant}, "k1")
    assert other.status_code == 422
    assert other.json()["code"] == "idempotency_key_reused"
    elsewhere = send(api_client_with_token, "/topics/", {"slug": "x", "name": "X"}, "k1")
    assert elsewhere.status_code == 422
    assert Claim.objects.count() == 1 and not Topic.objects.exists()


def test_without_the_header_every_post_creates(api_client_with_token):
    body = {"text": "Frozen assets total 210 billion euros", "claimant": ClaimantFactory().pk}
    for _ in range(2):
        assert api_client_with_token.post(f"{API}/claims/", body, format="json").status_code == 201
    assert Claim.objects.count() == 2


def test_keys_belong_to_their_user(editor, other_editor):
    body = {"text": "Frozen assets total 210 billion euros", "claimant": ClaimantFactory().pk}
    assert send(token_client(editor), "/claims/", body, "shared").status_code == 201
    assert send(token_client(other_editor), "/claims/", body, "shared").status_code == 201
    assert Claim.objects.count() == 2


def test_a_refused_request_keeps_no_key(api_client_with_token):
    refused = send(api_client_with_token, "/claims/", {}, "k2")
    assert refused.status_code == 400
    assert not SubmissionKey.objects.exists()
    fixed = send(api_client_with_token, "/claims/", {"text": "Now complete", "claimant": ClaimantFactory().pk}, "k2")
    assert fixed.status_code == 201


def test_a_key_expires_after_a_day(api_client_with_token):
    body = {"text": "Frozen assets total 210 billion euros", "claimant": ClaimantFactory().pk}
    send(api_client_with_token, "/claims/", body, "old")
    SubmissionKey.objects.update(created_at=timezone.now() - datetime.timedelta(hours=25))
    assert send(api_client_with_token, "/claims/", body, "old").status_code == 201
    assert Claim.objects.count() == 2
    assert SubmissionKey.objects.count() == 1  # the expired one was cleared


def test_evidence_and_verdict_retries_are_replayed(editor, api_client_with_token):
    claim = researching_claim(actor=editor, evidence=0)
    evidence = {"title": "Euroclear results", "url": "https://euroclear.example/r"}
    first = send(api_client_with_token, f"/claims/{claim.pk}/evidence/", evidence, "e1", HTTP_IF_MATCH='"2"')
    again = send(api_client_with_token, f"/claims/{claim.pk}/evidence/", evidence, "e1", HTTP_IF_MATCH='"2"')
    assert first.status_code == again.status_code == 201 and again.json() == first.json()
    assert Evidence.objects.count() == 1

    verdict = {"rating": "false", "summary": "Euroclear holds less.", "version": 3}
    first = send(api_client_with_token, f"/claims/{claim.pk}/verdicts/", verdict, "v1")
    again = send(api_client_with_token, f"/claims/{claim.pk}/verdicts/", verdict, "v1")
    assert first.status_code == again.status_code == 201 and again.json() == first.json()
    assert Verdict.objects.count() == 1


@pytest.mark.parametrize("path, body, model", [
    ("/claimants/", {"name": "Sergey Lavrov"}, Claimant),
    ("/sources/", {"title": "Moscow briefing", "url": "https://news.example/b"}, Source),
    ("/topics/", {"slug": "sanctions", "name": "Sanctions"}, Topic),
])
def test_reference_creates_are_replayed(api_client_with_token, path, body, model):
    first = send(api_client_with_token, path, body, "r1")
    again = send(api_client_with_token, path, body, "r1")
    assert first.status_code == again.status_code == 201 and again.json() == first.json()
    assert model.objects.count() == 1


@pytest.mark.parametrize("key", ["", " ", "x" * 256])
def test_a_malformed_key_is_400(api_client_with_token, key):
    response = send(api_client_with_token, "/topics/", {"slug": "s", "name": "S"}, key)
    assert response.status_code == 400
    assert "Idempotency-Key" in response.json()["errors"]


def test_the_schema_documents_the_header_and_the_422(client):
    schema = client.get("/api/schema/?format=json").json()
    for path in ("/api/v1/claims/", "/api/v1/claims/{claim_id}/evidence/", "/api/v1/claims/{claim_id}/verdicts/",
                 "/api/v1/claimants/", "/api/v1/sources/", "/api/v1/topics/"):
        post = schema["paths"][path]["post"]
        assert any(p["name"] == "Idempotency-Key" and p["in"] == "header" for p in post["parameters"]), path
        assert "422" in post["responses"], path
    assert "Idempotency-Key" in schema["info"]["description"]
