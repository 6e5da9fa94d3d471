"""Who may open each desk page and use each desk action: anonymous visitors are sent to log in, logged-in
users who are not editors get a 403, editors get a 403 on reviewer actions, and unknown ids get 404."""

import pytest
from django.test import Client
from django.urls import reverse

from claims.models import Claim, ClaimEvent

from .factories import ClaimantFactory, SourceFactory, UserFactory, researching_claim

pytestmark = pytest.mark.django_db

UNKNOWN = 999_999


@pytest.fixture
def world(editor):
    claim = researching_claim(actor=editor)
    return {"claim": claim, "evidence": claim.evidence.get(), "source": SourceFactory(),
            "claimant": ClaimantFactory()}


@pytest.fixture
def outsider_client(db):
    client = Client()
    client.force_login(UserFactory(username="olga"))
    return client


def pages(w):
    """Every desk page a GET may open."""
    claim, evidence = w["claim"], w["evidence"]
    return [
        reverse("desk:dashboard"),
        reverse("desk:claim_new"),
        reverse("desk:claim", args=[claim.pk]),
        reverse("desk:evidence_edit", args=[claim.pk, evidence.pk]),
        reverse("desk:sources"),
        reverse("desk:source_new"),
        reverse("desk:source", args=[w["source"].pk]),
        reverse("desk:source_annotated", args=[w["source"].pk]),
        reverse("desk:claimants"),
        reverse("desk:claimant_new"),
        reverse("desk:claimant", args=[w["claimant"].pk]),
        reverse("desk:profile"),
    ]


def actions(w):
    """Every desk action, as a POST."""
    claim, evidence = w["claim"], w["evidence"]
    on_claim = ["claim", "evidence_add", "verdict_propose", "approve", "send_back", "reopen", "close", "assign"]
    return [
        *(reverse(f"desk:{name}", args=[claim.pk]) for name in on_claim),
        reverse("desk:evidence_edit", args=[claim.pk, evidence.pk]),
        reverse("desk:evidence_remove", args=[claim.pk, evidence.pk]),
        reverse("desk:source_new"),
        reverse("desk:source", args=[w["source"].pk]),
        reverse("desk:claimant_new"),
        reverse("desk:claimant", args=[w["claimant"].pk]),
        reverse("desk:token_create"),
        reverse("desk:token_revoke"),
        reverse("desk:claim_new"),
    ]


def test_anonymous_visitors_are_sent_to_log_in(anonymous, world):
    for url in pages(world) + actions(world):
        response = anonymous.post(url) if url in actions(world) else anonymous.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(f"{reverse('login')}?next="), url


def test_users_who_are_not_editors_are_refused_every_page_and_action(outsider_client, world):
    version = world["claim"].version
    for url in pages(world):
        response = outsider_client.get(url)
        assert response.status_code == 403, url
        assert b"Ask an administrator to add you to the Editors group" in response.content
    for url in actions(world):
        assert outsider_client.post(url, {"version": version, "title": "x"}).status_code == 403, url
    assert Claim.objects.get().version == version


def test_editors_open_every_desk_page(editor_client, world):
    for url in pages(world):
        assert editor_client.get(url).status_code == 200, url


@pytest.mark.parametrize("action", ["approve", "send_back", "reopen", "close"])
def test_editors_are_refused_reviewer_actions_with_a_reason(editor_client, world, action):
    claim = world["claim"]
    response = editor_client.post(reverse(f"desk:{action}", args=[claim.pk]),
                                  {"version": claim.version, "note": "n", "reason": "out_of_scope"})
    assert response.status_code == 403
    assert b"Only reviewers can approve, send back, reopen or close claims" in response.content
    assert ClaimEvent.objects.filter(claim=claim).count() == claim.version


def test_reviewers_open_every_desk_page(reviewer_client, world):
    for url in pages(world):
        assert reviewer_client.get(url).status_code == 200, url


def test_unknown_ids_answer_404(reviewer_client, world):
    claim, evidence = world["claim"], world["evidence"]
    other = researching_claim(actor=claim.assignee)
    for url in [
        reverse("desk:claim", args=[UNKNOWN]),
        reverse("desk:evidence_edit", args=[UNKNOWN, evidence.pk]),
        reverse("desk:evidence_edit", args=[claim.pk, UNKNOWN]),
        # Evidence exists, but on another claim: the address does not match, so it is not found.
        reverse("desk:evidence_edit", args=[other.pk, evidence.pk]),
        reverse("desk:source", args=[UNKNOWN]),
        reverse("desk:source_annotated", args=[UNKNOWN]),
        reverse("desk:claimant", args=[UNKNOWN]),
    ]:
        assert reviewer_client.get(url).status_code == 404, url
    on_claim = ["claim", "evidence_add", "verdict_propose", "approve", "send_back", "reopen", "close", "assign"]
    for name in on_claim:
        url = reverse(f"desk:{name}", args=[UNKNOWN])
        assert reviewer_client.post(url, {"version": 1}).status_code == 404, url
    url = reverse("desk:evidence_remove", args=[claim.pk, UNKNOWN])
    assert reviewer_client.post(url, {"version": claim.version}).status_code == 404


def test_actions_refuse_get(editor_client, world):
    claim = world["claim"]
    for name in ["evidence_add", "verdict_propose", "assign"]:
        assert editor_client.get(reverse(f"desk:{name}", args=[claim.pk])).status_code == 405
    assert editor_client.get(reverse("desk:token_create")).status_code == 405


def test_actions_need_the_csrf_token(editor, world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    claim = world["claim"]
    response = client.post(reverse("desk:evidence_add", args=[claim.pk]), {"version": claim.version, "title": "x"})
    assert response.status_code == 403
    assert claim.evidence.count() == 1


def test_a_form_posted_after_the_session_ended_logs_in_back_to_its_page(anonymous, world):
    claim = world["claim"]
    action = reverse("desk:verdict_propose", args=[claim.pk])
    response = anonymous.post(action, {"summary": "x"}, headers={"Referer": f"http://testserver{claim.get_desk_url()}"})
    assert response.status_code == 302
    # Back to the claim page (the form's text waits in the browser), not to an address that answers only POST.
    assert response["Location"] == f"{reverse('login')}?next={claim.get_desk_url()}"


def test_a_foreign_referer_is_not_followed_after_logging_in(anonymous, world):
    action = reverse("desk:verdict_propose", args=[world["claim"].pk])
    response = anonymous.post(action, headers={"Referer": "https://evil.example/desk/claims/1/"})
    assert response["Location"] == f"{reverse('login')}?next={action}"
