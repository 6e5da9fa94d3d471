"""The desk's create forms carry a one-time key: posting one again (Back, a double click) shows what the
first post made and makes nothing more. test_browser_back.py does it with a real browser's Back button."""

import re

import pytest

from claims.models import Claim, Claimant, Evidence, Rating, Source, Verdict
from claims.tests.factories import ClaimantFactory, new_claim, researching_claim
from idempotency.models import SubmissionKey

pytestmark = pytest.mark.django_db


def key_in(html):
    return re.search(r'type="text" name="submission_key" value="([0-9a-f]{32})"', html).group(1)


def test_each_capture_form_shown_gets_its_own_key(editor_client):
    first = key_in(editor_client.get("/desk/claims/new/").content.decode())
    second = key_in(editor_client.get("/desk/claims/new/").content.decode())
    assert first != second


def test_posting_the_capture_form_twice_makes_one_claim(editor_client):
    key = key_in(editor_client.get("/desk/claims/new/").content.decode())
    data = {"text": "Frozen assets total 210 billion euros", "claimant": ClaimantFactory().pk, "language": "en",
            "submission_key": key}
    first = editor_client.post("/desk/claims/new/", data)
    claim = Claim.objects.get()
    assert first["Location"] == claim.get_desk_url()
    again = editor_client.post("/desk/claims/new/", data, follow=True)
    assert again.redirect_chain == [(claim.get_desk_url(), 302)]
    assert "saved already, so nothing was saved twice" in again.content.decode()
    assert Claim.objects.count() == 1


def test_the_key_survives_the_similar_claims_step(editor_client, editor):
    new_claim(actor=editor, text="Frozen assets total 210 billion euros")
    data = {"text": "Frozen assets total 210 billion euros", "claimant": ClaimantFactory().pk, "language": "en",
            "submission_key": "a" * 32}
    asked = editor_client.post("/desk/claims/new/", data).content.decode()
    assert "These look similar" in asked and key_in(asked) == "a" * 32
    assert not SubmissionKey.objects.exists()  # nothing was made yet, so the key is still free
    confirmed = {**data, "confirm_new": "on"}
    editor_client.post("/desk/claims/new/", confirmed)
    editor_client.post("/desk/claims/new/", confirmed)
    editor_client.post("/desk/claims/new/", data)
    assert Claim.objects.count() == 2


def test_a_refused_capture_keeps_the_key_free(editor_client):
    data = {"text": "\u200b", "claimant": ClaimantFactory().pk, "language": "en", "submission_key": "b" * 32}
    assert editor_client.post("/desk/claims/new/", data).status_code == 200
    data["text"] = "Frozen assets total 210 billion euros"
    assert editor_client.post("/desk/claims/new/", data).status_code == 302
    assert Claim.objects.count() == 1


def test_a_form_without_a_key_still_saves(editor_client):
    data = {"text": "Frozen assets total 210 billion euros", "claimant": ClaimantFactory().pk, "language": "en",
            "confirm_new": "on"}
    editor_client.post("/desk/claims/new/", data)
    editor_client.post("/desk/claims/new/", data)
    assert Claim.objects.count() == 2


def test_another_editor_with_the_same_key_gets_their_own_claim(client, editor, other_editor):
    data = {"text": "Frozen assets total 210 billion euros", "claimant": ClaimantFactory().pk, "language": "en",
            "submission_key": "c" * 32, "confirm_new": "on"}
    for user in (editor, other_editor):
        client.force_login(user)
        client.post("/desk/claims/new/", data)
    assert Claim.objects.count() == 2


def test_posting_evidence_and_a_verdict_twice_adds_one_each(editor_client, editor):
    claim = researching_claim(actor=editor, evidence=0)
    evidence = {"title": "Euroclear results", "stance": "refutes", "version": claim.version,
                "submission_key": "d" * 32}
    editor_client.post(f"/desk/claims/{claim.pk}/evidence/", evidence)
    again = editor_client.post(f"/desk/claims/{claim.pk}/evidence/", evidence)
    assert again["Location"] == f"{claim.get_desk_url()}#evidence"
    assert Evidence.objects.count() == 1

    verdict = {"rating": Rating.objects.get(slug="false").pk, "summary": "Euroclear holds less.",
               "version": claim.version + 1, "action": "propose", "submission_key": "e" * 32}
    editor_client.post(f"/desk/claims/{claim.pk}/verdict/", verdict)
    again = editor_client.post(f"/desk/claims/{claim.pk}/verdict/", verdict)
    assert again["Location"] == f"{claim.get_desk_url()}#verdict"
    assert Verdict.objects.count() == 1


@pytest.mark.parametrize("path, data, model", [
    ("/desk/sources/new/", {"title": "Moscow briefing", "url": "https://news.example/b", "language": "en"}, Source),
    ("/desk/claimants/new/", {"name": "Sergey Lavrov", "kind": "person"}, Claimant),
])
def test_posting_a_new_source_or_claimant_twice_makes_one(editor_client, path, data, model):
    key = key_in(editor_client.get(path).content.decode())
    first = editor_client.post(path, {**data, "submission_key": key})
    again = editor_client.post(path, {**data, "submission_key": key})
    assert first.status_code == 302 and again["Location"] == first["Location"]
    assert model.objects.count() == 1
