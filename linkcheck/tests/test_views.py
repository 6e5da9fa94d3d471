"""Link health on the claim pages, archived copies for readers and the desk, the broken-links queue."""

import pytest
from django_tasks_db.models import DBTaskResult

from claims import workflow
from claims.tests.factories import in_review_claim, published_claim, rating, researching_claim
from linkcheck.models import Capture, Link

from .conftest import make_capture

pytestmark = pytest.mark.django_db

EVIDENCE_URL = "https://evidence.example/0"  # the factories' first evidence item


def test_public_page_says_a_broken_link_is_broken_and_points_to_the_copy(anonymous, editor, reviewer, media):
    claim = published_claim(actor=editor, approver=reviewer)
    capture = make_capture(EVIDENCE_URL, health="broken", failures=3)
    page = anonymous.get(claim.get_absolute_url()).content.decode()
    assert "Link broken" in page
    assert f'href="/archive/{capture.pk}/"' in page


def test_public_page_links_a_working_links_copy_quietly(anonymous, editor, reviewer, media):
    claim = published_claim(actor=editor, approver=reviewer)
    capture = make_capture(EVIDENCE_URL)
    page = anonymous.get(claim.get_absolute_url()).content.decode()
    assert "Link broken" not in page
    assert f'href="/archive/{capture.pk}/"' in page


def test_reader_gets_the_copy_as_text_never_as_html(anonymous, editor, reviewer, media):
    published_claim(actor=editor, approver=reviewer)
    capture = make_capture(EVIDENCE_URL, body=b"<p>Words</p><script>evil()</script><img src=x onerror=alert(1)>")
    response = anonymous.get(f"/archive/{capture.pk}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Words" in page and "evil()" not in page and "onerror" not in page
    assert capture.sha256 in page
    download = anonymous.get(f"/archive/{capture.pk}/warc/")
    assert download.status_code == 200
    assert download["Content-Type"] == "application/warc"
    assert download["Content-Disposition"].startswith("attachment;")
    assert "sandbox" in download["Content-Security-Policy"]
    assert b"".join(download.streaming_content)[:2] == b"\x1f\x8b"  # gzip


def test_withheld_evidence_copy_is_for_the_desk_only(anonymous, api_client, reviewer_client, editor, reviewer,
                                                     media):
    claim = researching_claim(actor=editor, evidence=0)
    evidence = workflow.add_evidence(claim=claim, actor=editor, version=claim.version, title="Whistleblower memo",
                                     url="https://secret.example/memo", withheld=True, withheld_reason="Source")
    claim.refresh_from_db()
    workflow.add_evidence(claim=claim, actor=editor, version=claim.version, title="Public", url=EVIDENCE_URL)
    claim.refresh_from_db()
    workflow.propose_verdict(claim=claim, actor=editor, version=claim.version, rating=rating(), summary="Wrong.")
    claim.refresh_from_db()
    workflow.approve(claim=claim, actor=reviewer, version=claim.version)
    secret = make_capture("https://secret.example/memo", evidence=evidence, health="broken", failures=3,
                          body=b"<p>The memo says X.</p>")
    page = anonymous.get(claim.get_absolute_url()).content.decode()
    assert "secret.example" not in page and f"/archive/{secret.pk}/" not in page and "memo says" not in page
    assert anonymous.get(f"/archive/{secret.pk}/").status_code == 404
    assert anonymous.get(f"/archive/{secret.pk}/warc/").status_code == 404
    assert api_client.get(f"/api/v1/evidence/{evidence.pk}/link/").status_code == 404
    assert b"memo says" not in api_client.get(f"/api/v1/claims/{claim.pk}/evidence/").content
    assert reviewer_client.get(f"/archive/{secret.pk}/").status_code == 200


def test_copy_of_an_unpublished_claim_is_hidden_from_readers(anonymous, reviewer_client, editor, media):
    researching_claim(actor=editor)
    capture = make_capture(EVIDENCE_URL)
    assert anonymous.get(f"/archive/{capture.pk}/").status_code == 404
    assert reviewer_client.get(f"/archive/{capture.pk}/").status_code == 200


def test_unknown_copy_is_404(anonymous):
    assert anonymous.get("/archive/999999/").status_code == 404


def test_public_claim_page_adds_one_query_for_link_health(anonymous, editor, reviewer, media,
                                                          django_assert_num_queries):
    claim = published_claim(actor=editor, approver=reviewer, evidence=3)
    for n in range(3):
        make_capture(f"https://evidence.example/{n}", health="broken", failures=3)
    # claim, topics, appearances, evidence, public events, sign-offs, others' reviews (the reviews app), the
    # links with their newest copies, and related fact-checks (words, similar claims, the claimant's; no topics)
    anonymous.get(claim.get_absolute_url())  # PostgreSQL's word statistics (related fact-checks), then cached
    with django_assert_num_queries(11):
        page = anonymous.get(claim.get_absolute_url()).content.decode()
    assert page.count("Link broken") == 3


def test_desk_claim_page_shows_each_links_health(editor_client, editor, media):
    claim = researching_claim(actor=editor, evidence=2)
    make_capture(EVIDENCE_URL, health="broken", failures=4)
    Link.objects.create(url="https://evidence.example/1", health="ok", status=200)
    page = editor_client.get(claim.get_desk_url()).content.decode()
    assert "Link broken" in page and "4 failures in a row" not in page  # the broken message for the desk too
    assert "Working" in page
    assert "Check link again" in page and "Capture a copy now" in page


def test_broken_links_queue_with_counts(editor_client, editor, django_assert_num_queries):
    claim = in_review_claim(actor=editor, evidence=2)
    Link.objects.create(url=EVIDENCE_URL, health="broken", consecutive_failures=3, status=404)
    Link.objects.create(url="https://evidence.example/1", health="ok", status=200)
    Link.objects.create(url="https://elsewhere.example/", health="failing", consecutive_failures=1)
    # session, user, permissions (2), counts by health, count and page of links, the evidence citing them
    with django_assert_num_queries(8):
        response = editor_client.get("/desk/links/")
    page = response.content.decode()
    assert response.status_code == 200
    assert EVIDENCE_URL in page and "elsewhere.example" not in page
    assert response.context["counts"] == {"unchecked": 0, "ok": 1, "failing": 1, "broken": 1}
    assert f"Claim {claim.pk}" in page
    assert "elsewhere.example" in editor_client.get("/desk/links/?health=failing").content.decode()
    assert editor_client.get("/desk/links/?health=nonsense").status_code == 200


def test_broken_links_queue_access(anonymous, client, db):
    from django.contrib.auth.models import User

    assert anonymous.get("/desk/links/").status_code == 302
    client.force_login(User.objects.create_user("reader"))
    assert client.get("/desk/links/").status_code == 403


def test_check_again_enqueues_after_commit(editor_client, editor, django_capture_on_commit_callbacks):
    claim = researching_claim(actor=editor)
    evidence = claim.evidence.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(f"/desk/evidence/{evidence.pk}/check/")
    assert response.status_code == 302 and response["Location"].endswith("#evidence")
    assert DBTaskResult.objects.filter(task_path="linkcheck.tasks.check_link").count() >= 1


def test_capture_now_makes_a_pending_copy(editor_client, editor, django_capture_on_commit_callbacks):
    claim = researching_claim(actor=editor)
    evidence = claim.evidence.get()
    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post(f"/desk/evidence/{evidence.pk}/capture/")
    assert Capture.objects.filter(evidence=evidence, state="pending").exists()


def test_check_again_refuses_an_outside_redirect(editor_client, editor):
    link = Link.objects.create(url=EVIDENCE_URL)
    response = editor_client.post(f"/desk/links/{link.pk}/check/", {"next": "https://evil.example/"})
    assert response["Location"] == "/desk/links/"


def test_desk_actions_refuse_readers_and_get(client, editor, db):
    from django.contrib.auth.models import User

    claim = researching_claim(actor=editor)
    evidence = claim.evidence.get()
    client.force_login(User.objects.create_user("reader"))
    assert client.post(f"/desk/evidence/{evidence.pk}/check/").status_code == 403
    client.force_login(editor)
    assert client.get(f"/desk/evidence/{evidence.pk}/check/").status_code == 405
    assert client.post("/desk/evidence/999999/capture/").status_code == 404


def test_api_evidence_link_for_readers(api_client, editor, reviewer, media):
    claim = published_claim(actor=editor, approver=reviewer)
    evidence = claim.evidence.get()
    capture = make_capture(EVIDENCE_URL, evidence=evidence, health="broken", failures=3)
    Capture.objects.create(link=capture.link, evidence=evidence)  # pending: the desk's business
    data = api_client.get(f"/api/v1/evidence/{evidence.pk}/link/").json()
    assert data["health"] == "broken" and data["consecutive_failures"] == 3
    assert [c["id"] for c in data["captures"]] == [capture.pk]
    assert data["captures"][0]["text_url"].endswith(f"/archive/{capture.pk}/")
    assert data["captures"][0]["sha256"] == capture.sha256


def test_api_evidence_link_unchecked_and_hidden(api_client, api_client_with_token, editor):
    claim = researching_claim(actor=editor)
    evidence = claim.evidence.get()
    assert api_client.get(f"/api/v1/evidence/{evidence.pk}/link/").status_code == 404  # not published
    data = api_client_with_token.get(f"/api/v1/evidence/{evidence.pk}/link/").json()
    assert data["health"] == "unchecked" and data["captures"] == []
    assert api_client.get("/api/v1/evidence/999999/link/").status_code == 404


def test_api_request_check_and_capture(api_client, api_client_with_token, editor, reviewer,
                                       django_capture_on_commit_callbacks):
    claim = published_claim(actor=editor, approver=reviewer)
    evidence = claim.evidence.get()
    assert api_client.post(f"/api/v1/evidence/{evidence.pk}/check/").status_code in (401, 403)
    with django_capture_on_commit_callbacks(execute=True):
        assert api_client_with_token.post(f"/api/v1/evidence/{evidence.pk}/check/").status_code == 202
        response = api_client_with_token.post(f"/api/v1/evidence/{evidence.pk}/capture/")
    assert response.status_code == 202 and response.json()["state"] == "pending"
    assert DBTaskResult.objects.filter(task_path="linkcheck.tasks.capture_page").exists()


def test_public_page_says_a_broken_source_link_is_broken(anonymous, editor, reviewer):
    from claims.tests.factories import SourceFactory

    source = SourceFactory()
    claim = published_claim(actor=editor, approver=reviewer, source=source)
    Link.objects.create(url=source.url, health="broken", consecutive_failures=3, status=410)
    page = anonymous.get(claim.get_absolute_url()).content.decode()
    assert page.count("Link broken") == 1 and "(410)" in page


@pytest.mark.parametrize(("persona", "target", "expected"), [
    ("anonymous", "public", {"link": 200, "check": 401, "capture": 401}),
    ("anonymous", "hidden", {"link": 404, "check": 401, "capture": 401}),
    ("outsider", "public", {"link": 200, "check": 403, "capture": 403}),
    ("outsider", "hidden", {"link": 404, "check": 404, "capture": 404}),
    ("editor", "public", {"link": 200, "check": 202, "capture": 202}),
    ("editor", "hidden", {"link": 200, "check": 202, "capture": 202}),
])
def test_api_evidence_link_access(editor, reviewer, persona, target, expected):
    from rest_framework.test import APIClient

    from claims.tests.factories import UserFactory, token_client

    evidence = {"public": published_claim(actor=editor, approver=reviewer),
                "hidden": researching_claim(actor=editor, text="Another claim")}[target].evidence.get()
    client = {"anonymous": APIClient(), "outsider": token_client(UserFactory(username="olive")),
              "editor": token_client(editor)}[persona]
    assert client.get(f"/api/v1/evidence/{evidence.pk}/link/").status_code == expected["link"]
    assert client.post(f"/api/v1/evidence/{evidence.pk}/check/").status_code == expected["check"]
    assert client.post(f"/api/v1/evidence/{evidence.pk}/capture/").status_code == expected["capture"]


def test_deploy_check_warns_when_loopback_fetching_is_on(settings):
    from linkcheck.apps import loopback_fetching

    settings.OUTBOUND_ALLOW_LOOPBACK = False
    assert loopback_fetching(None) == []
    settings.OUTBOUND_ALLOW_LOOPBACK = True
    assert [w.id for w in loopback_fetching(None)] == ["linkcheck.W001"]
