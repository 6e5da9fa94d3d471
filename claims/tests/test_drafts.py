"""What the public sees is what reviewers approved. An editor's change to a published claim (its wording,
claimant, source, topics, evidence and appearances) is a draft: it reaches no public page, feed, sitemap,
ClaimReview or anonymous API response until a reviewer who made none of the changes approves it, through
every path (desk, API, workflow as commands call it). Planted markers prove it, as test_public_leaks does."""

import json
import re

import pytest
from django.urls import reverse

from claims import workflow
from claims.forms import ClaimEditForm, EvidenceForm
from claims.models import Appearance, Claim, ClaimEvent, Evidence
from claims.tests.factories import (
    ClaimantFactory,
    SourceFactory,
    TopicFactory,
    rating,
    token_client,
)

pytestmark = pytest.mark.django_db

MARKERS = {
    "text": "DRAFTTEXTMARKER",
    "quote": "DRAFTQUOTEMARKER",
    "claimant": "DRAFTCLAIMANTMARKER",
    "topic": "DRAFTTOPICMARKER",
    "source": "DRAFTSOURCEMARKER",
    "evidence url": "draft-evidence-marker.example",
    "evidence title": "DRAFTEVIDENCETITLEMARKER",
    "withheld url": "withheld-marker.example",
    "new evidence": "DRAFTNEWEVIDENCEMARKER",
    "appearance": "draft-appearance-marker.example",
}
PATHS = ["desk", "api", "workflow"]


@pytest.fixture
def public_claim(editor, reviewer):
    claimant = ClaimantFactory(name="Public Claimant", slug="public-claimant")
    topic = TopicFactory(name="Public topic", slug="public-topic")
    source = SourceFactory(title="Public source", url="https://public-source.example/a")
    # One ordinary and one withheld evidence item.
    claim = workflow.create_claim(actor=editor, text="Assets total 300 billion euros", claimant=claimant,
                                  topics=[topic], source=source, quote="The assets total 300 billion.")
    claim = workflow.start_research(claim=claim, actor=editor, version=claim.version)
    workflow.add_evidence(claim=claim, actor=editor, version=claim.version, title="Euroclear results",
                          url="https://evidence.example/euroclear", stance=Evidence.Stance.REFUTES)
    claim.refresh_from_db()
    workflow.add_evidence(claim=claim, actor=editor, version=claim.version, title="Insider account",
                          url=f"https://{MARKERS['withheld url']}/x", withheld=True,
                          withheld_reason="Protects the source")
    claim.refresh_from_db()
    workflow.propose_verdict(claim=claim, actor=editor, version=claim.version, rating=rating("false"),
                             summary="Euroclear holds about 185 billion euros.")
    claim.refresh_from_db()
    return workflow.approve(claim=claim, actor=reviewer, version=claim.version)


def draft_everything(path, claim, editor, reviewer, client):
    """Through ``path``, change every public part of ``claim``: the claim's fields (on the published claim),
    then, after a reopening, its evidence (a URL, a stance, a withheld item revealed, a new item) and an
    appearance."""
    claimant = ClaimantFactory(name=MARKERS["claimant"], slug="draftclaimantmarker")
    topic = TopicFactory(name=MARKERS["topic"], slug="drafttopicmarker")
    source = SourceFactory(title=MARKERS["source"], url="https://draftsourcemarker.example/")
    fields = {"text": f"Assets total {MARKERS['text']}", "quote": MARKERS["quote"], "claimant": claimant,
              "source": source, "topics": [topic]}
    ordinary, withheld = claim.evidence.order_by("pk")
    evidence_changes = [
        (ordinary, {"url": f"https://{MARKERS['evidence url']}/", "title": MARKERS["evidence title"],
                    "stance": "supports"}),
        (withheld, {"withheld": False, "withheld_reason": ""}),
    ]
    if path == "workflow":
        claim = workflow.edit_claim(claim=claim, actor=editor, version=claim.version, **fields)
        claim = workflow.reopen(claim=claim, actor=reviewer, version=claim.version, reason="Check the links")
        for item, changes in evidence_changes:
            workflow.change_evidence(evidence=item, actor=editor, version=claim.version, **changes)
            claim.refresh_from_db()
        workflow.add_evidence(claim=claim, actor=editor, version=claim.version, title=MARKERS["new evidence"])
        claim.refresh_from_db()
        workflow.add_appearance(claim=claim, actor=editor, version=claim.version,
                                url=f"https://{MARKERS['appearance']}/post")
    elif path == "desk":
        client.force_login(editor)
        data = {**ClaimEditForm.initial_for(claim), "text": fields["text"], "quote": fields["quote"],
                "claimant": claimant.pk, "source": source.pk, "topics": [topic.pk]}
        data = {name: value for name, value in data.items() if value is not None}
        assert client.post(claim.get_desk_url(), data).status_code == 302
        claim.refresh_from_db()
        claim = workflow.reopen(claim=claim, actor=reviewer, version=claim.version, reason="Check the links")
        for item, changes in evidence_changes:
            data = {**EvidenceForm.initial_for(item, claim.version), **changes}
            data = {name: value for name, value in data.items() if value not in (None, False)}
            response = client.post(reverse("desk:evidence_edit", args=[claim.pk, item.pk]), data)
            assert response.status_code == 302, response.content.decode()[:2000]
            claim.refresh_from_db()
        response = client.post(reverse("desk:evidence_add", args=[claim.pk]),
                               {"version": claim.version, "title": MARKERS["new evidence"], "stance": "context"})
        assert response.status_code == 302
        claim.refresh_from_db()
        response = client.post(reverse("desk:appearance_add", args=[claim.pk]),
                               {"version": claim.version, "url": f"https://{MARKERS['appearance']}/post"})
        assert response.status_code == 302
    else:
        api = token_client(editor)
        body = {"text": fields["text"], "quote": fields["quote"], "claimant": claimant.pk, "source": source.pk,
                "topics": [topic.pk], "version": claim.version}
        response = api.patch(f"/api/v1/claims/{claim.pk}/", body, format="json")
        assert response.status_code == 200, response.json()
        # The editor's answer shows what readers see, and the draft beside it.
        assert response.json()["text"] == "Assets total 300 billion euros"
        assert response.json()["pending_changes"]["text"] == fields["text"]
        claim.refresh_from_db()
        claim = workflow.reopen(claim=claim, actor=reviewer, version=claim.version, reason="Check the links")
        for item, changes in evidence_changes:
            response = api.patch(f"/api/v1/evidence/{item.pk}/", {**changes, "version": claim.version},
                                 format="json")
            assert response.status_code == 200, response.json()
            claim.refresh_from_db()
        response = api.post(f"/api/v1/claims/{claim.pk}/evidence/",
                            {"title": MARKERS["new evidence"], "version": claim.version}, format="json")
        assert response.status_code == 201, response.json()
        claim.refresh_from_db()
        workflow.add_appearance(claim=claim, actor=editor, version=claim.version,
                                url=f"https://{MARKERS['appearance']}/post")
    claim.refresh_from_db()
    return claim


def public_surfaces(claim):
    return [
        "/", "/claims/", "/claims/?q=assets", claim.get_absolute_url(),
        "/claimants/public-claimant/", "/topics/public-topic/", f"/sources/{claim.source_id}/", "/corrections/",
        "/feeds/latest/", "/sitemap.xml", "/api/v1/claims/", f"/api/v1/claims/{claim.pk}/",
        f"/api/v1/claims/{claim.pk}/evidence/", f"/api/v1/claims/{claim.pk}/history/", "/api/v1/claimreview/",
    ]


def leaked(client, claim):
    found = {}
    for url in public_surfaces(claim):
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode().lower()
        names = [name for name, marker in MARKERS.items() if marker.lower() in body]
        if names:
            found[url] = names
    return found


@pytest.mark.parametrize("path", PATHS)
def test_no_change_to_a_published_claim_is_public_until_a_reviewer_approves_it(
    path, public_claim, editor, reviewer, other_reviewer, client, anonymous
):
    claim = draft_everything(path, public_claim, editor, reviewer, client)
    client.logout()
    assert leaked(anonymous, claim) == {}
    assert list(anonymous.get("/claims/", {"q": MARKERS["text"]}).context["page"].object_list) == []
    assert anonymous.get("/api/v1/claims/", {"q": MARKERS["text"]}).json()["results"] == []
    # The draft is all there for the desk, though.
    assert set(claim.draft_fields) == {"text", "quote", "claimant", "source", "topics"}
    assert claim.evidence.working().count() == 3 and Appearance.objects.filter(claim=claim).count() == 1
    # An editor cannot approve it; a reviewer who made none of the changes can.
    with pytest.raises(workflow.WorkflowError) as refusal:
        workflow.approve_update(claim=claim, actor=editor, version=claim.version, note="Links updated.")
    assert refusal.value.code == "permission_denied"

    claim = workflow.approve_update(claim=claim, actor=other_reviewer, version=claim.version,
                                    note="Links and wording updated.")

    page = anonymous.get(claim.get_absolute_url()).content.decode()
    for name in ("text", "quote", "claimant", "topic", "source", "evidence title", "new evidence", "appearance",
                 "withheld url"):
        assert MARKERS[name].lower() in page.lower(), name
    assert "Links and wording updated." in page
    review = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)[1])
    assert review["claimReviewed"] == f"Assets total {MARKERS['text']}"
    assert "dateModified" in review
    history = anonymous.get(f"/api/v1/claims/{claim.pk}/history/").json()["results"]
    assert history[-1]["kind"] == "updated" and history[-1]["note"] == "Links and wording updated."
    assert "Updated:" in anonymous.get("/feeds/latest/").content.decode()
    assert claim.draft is None and not workflow.has_pending_changes(claim)


def test_a_withheld_url_stays_withheld_until_the_reveal_is_approved(public_claim, editor, reviewer,
                                                                    other_reviewer, anonymous):
    claim = workflow.reopen(claim=public_claim, actor=reviewer, version=public_claim.version, reason="Source agreed")
    withheld = claim.evidence.get(withheld=True)
    workflow.change_evidence(evidence=withheld, actor=editor, version=claim.version, withheld=False,
                             withheld_reason="")
    claim.refresh_from_db()
    api_items = anonymous.get(f"/api/v1/claims/{claim.pk}/evidence/").json()["results"]
    shown = next(item for item in api_items if item["id"] == withheld.pk)
    assert shown["withheld"] is True and shown["url"] is None
    assert MARKERS["withheld url"] not in anonymous.get(claim.get_absolute_url()).content.decode()

    workflow.approve_update(claim=claim, actor=other_reviewer, version=claim.version, note="The source agreed.")
    api_items = anonymous.get(f"/api/v1/claims/{claim.pk}/evidence/").json()["results"]
    assert next(item for item in api_items if item["id"] == withheld.pk)["url"].startswith("https://withheld")


def test_a_removal_stays_public_until_approved(public_claim, editor, reviewer, other_reviewer, anonymous):
    claim = workflow.reopen(claim=public_claim, actor=reviewer, version=public_claim.version, reason="Dead link")
    item = claim.evidence.get(title="Euroclear results")
    claim = workflow.remove_evidence(evidence=item, actor=editor, version=claim.version)
    assert "Euroclear results" in anonymous.get(claim.get_absolute_url()).content.decode()
    assert not claim.evidence.working().filter(pk=item.pk).exists()  # gone for the desk
    with pytest.raises(workflow.WorkflowError) as refusal:
        workflow.change_evidence(evidence=item, actor=editor, version=claim.version, title="Back again")
    assert refusal.value.code == "not_found"
    workflow.approve_update(claim=claim, actor=other_reviewer, version=claim.version, note="A dead link removed.")
    assert "Euroclear results" not in anonymous.get(claim.get_absolute_url()).content.decode()
    assert not Evidence.objects.filter(pk=item.pk).exists()


def test_a_reviewer_who_made_a_change_cannot_approve_it(public_claim, reviewer, other_reviewer):
    claim = workflow.edit_claim(claim=public_claim, actor=reviewer, version=public_claim.version,
                                text="Assets total 310 billion euros")
    with pytest.raises(workflow.WorkflowError) as refusal:
        workflow.approve_update(claim=claim, actor=reviewer, version=claim.version, note="Typo.")
    assert refusal.value.code == "own_change"
    assert Claim.objects.get(pk=claim.pk).text == "Assets total 300 billion euros"
    workflow.approve_update(claim=claim, actor=other_reviewer, version=claim.version, note="Typo.")
    assert Claim.objects.get(pk=claim.pk).text == "Assets total 310 billion euros"


def test_two_approvals_when_two_are_required(settings, public_claim, editor, reviewer, other_reviewer):
    settings.REQUIRED_APPROVALS = 2
    claim = workflow.edit_claim(claim=public_claim, actor=editor, version=public_claim.version,
                                text="Assets total 310 billion euros")
    claim = workflow.approve_update(claim=claim, actor=reviewer, version=claim.version, note="Typo.")
    assert claim.text == "Assets total 300 billion euros" and claim.draft_approvals == [reviewer.pk]
    assert claim.events.latest("id").kind == ClaimEvent.Kind.APPROVED
    with pytest.raises(workflow.WorkflowError) as refusal:
        workflow.approve_update(claim=claim, actor=reviewer, version=claim.version, note="Typo.")
    assert refusal.value.code == "already_approved"
    claim = workflow.approve_update(claim=claim, actor=other_reviewer, version=claim.version, note="Typo fixed.")
    assert claim.text == "Assets total 310 billion euros"
    assert claim.events.latest("id").kind == ClaimEvent.Kind.UPDATED


def test_a_new_change_voids_earlier_approvals(settings, public_claim, editor, reviewer, other_reviewer):
    settings.REQUIRED_APPROVALS = 2
    claim = workflow.edit_claim(claim=public_claim, actor=editor, version=public_claim.version, text="Version A")
    claim = workflow.approve_update(claim=claim, actor=reviewer, version=claim.version, note="A.")
    claim = workflow.edit_claim(claim=claim, actor=editor, version=claim.version, text="Version B")
    assert claim.draft_approvals == []
    claim = workflow.approve_update(claim=claim, actor=other_reviewer, version=claim.version, note="B.")
    assert claim.text == "Assets total 300 billion euros"  # one approval of what is there now, not two


@pytest.mark.parametrize("note", ["", "   ", "\u200b", "\u2060\ufeff"])
def test_an_update_needs_a_note_for_readers(public_claim, editor, reviewer, note):
    claim = workflow.edit_claim(claim=public_claim, actor=editor, version=public_claim.version, text="New wording")
    with pytest.raises(workflow.WorkflowError) as refusal:
        workflow.approve_update(claim=claim, actor=reviewer, version=claim.version, note=note)
    assert refusal.value.code == "required" and refusal.value.field == "note"


def test_nothing_to_approve_and_not_before_publication(public_claim, editor, reviewer):
    with pytest.raises(workflow.WorkflowError) as refusal:
        workflow.approve_update(claim=public_claim, actor=reviewer, version=public_claim.version, note="x")
    assert refusal.value.code == "no_change"
    fresh = workflow.create_claim(actor=editor, text="Not public", claimant=ClaimantFactory())
    with pytest.raises(workflow.WorkflowError) as refusal:
        workflow.approve_update(claim=fresh, actor=reviewer, version=fresh.version, note="x")
    assert refusal.value.code == "invalid_transition"


def test_a_correction_publishes_the_draft_with_it(public_claim, editor, reviewer, other_reviewer, anonymous):
    claim = workflow.reopen(claim=public_claim, actor=reviewer, version=public_claim.version, reason="New data")
    claim = workflow.edit_claim(claim=claim, actor=editor, version=claim.version, text="Assets total 320 billion")
    workflow.propose_verdict(claim=claim, actor=editor, version=claim.version, rating=rating("half-true"),
                             summary="Partly.", correction_note="New data came out.")
    claim.refresh_from_db()
    assert anonymous.get(claim.get_absolute_url()).context["claim"].text == "Assets total 300 billion euros"
    claim = workflow.approve(claim=claim, actor=other_reviewer, version=claim.version)
    assert claim.text == "Assets total 320 billion" and claim.draft is None
    event = claim.events.latest("id")
    assert event.kind == ClaimEvent.Kind.CORRECTED and event.changes["text"][1] == "Assets total 320 billion"


def test_the_re_check_date_is_the_desks_own_and_changes_at_once(public_claim, editor):
    import datetime

    claim = workflow.edit_claim(claim=public_claim, actor=editor, version=public_claim.version,
                                recheck_on=datetime.date(2027, 1, 1))
    assert Claim.objects.get(pk=claim.pk).recheck_on == datetime.date(2027, 1, 1) and claim.draft is None


def test_discarding_a_draft_restores_the_public_version(public_claim, editor, reviewer):
    claim = workflow.reopen(claim=public_claim, actor=reviewer, version=public_claim.version, reason="Check")
    claim = workflow.edit_claim(claim=claim, actor=editor, version=claim.version, text="Wrong turn")
    item = claim.evidence.get(title="Euroclear results")
    workflow.change_evidence(evidence=item, actor=editor, version=claim.version, title="Changed")
    claim.refresh_from_db()
    workflow.add_evidence(claim=claim, actor=editor, version=claim.version, title="Added")
    claim.refresh_from_db()
    claim = workflow.discard_draft(claim=claim, actor=editor, version=claim.version)
    assert claim.draft is None and not workflow.has_pending_changes(claim)
    assert sorted(claim.evidence.values_list("title", flat=True)) == ["Euroclear results", "Insider account"]


def test_the_desk_shows_the_draft_beside_the_public_version(public_claim, editor, reviewer, client):
    claim = workflow.edit_claim(claim=public_claim, actor=editor, version=public_claim.version,
                                text="The desk's new wording")
    client.force_login(reviewer)
    page = client.get(claim.get_desk_url())
    body = page.content.decode()
    assert "Changes readers do not see yet" in body
    assert "Assets total 300 billion euros" in body and "The desk&#x27;s new wording" in body
    # The edit form starts from the draft, so saving it unchanged changes nothing.
    assert page.context["edit_form"].initial["text"] == "The desk's new wording"
    url = reverse("desk:approve_update", args=[claim.pk])
    # An approval that makes the changes public is confirmed first: the confirm page changes nothing.
    confirm = client.post(url, {"version": claim.version, "note": "Reworded."})
    body = confirm.content.decode()
    assert confirm.status_code == 200 and "Publish these changes?" in body
    assert "Assets total 300 billion euros" in body and "The desk&#x27;s new wording" in body and "Reworded." in body
    assert f"/desk/claims/{claim.pk}/preview/?note=Reworded." in body
    assert Claim.objects.get(pk=claim.pk).text == "Assets total 300 billion euros"
    response = client.post(url, {"version": claim.version, "note": "Reworded.", "confirmed": "1"})
    assert response.status_code == 302
    assert Claim.objects.get(pk=claim.pk).text == "The desk's new wording"


def test_an_update_that_needs_more_approvals_is_not_confirmed_twice(public_claim, editor, reviewer, client,
                                                                     settings):
    settings.REQUIRED_APPROVALS = 2
    claim = workflow.edit_claim(claim=public_claim, actor=editor, version=public_claim.version, text="New words")
    client.force_login(reviewer)
    response = client.post(reverse("desk:approve_update", args=[claim.pk]), {"version": claim.version,
                                                                             "note": "Reworded."})
    assert response.status_code == 302  # approved at once: it publishes nothing yet
    claim = Claim.objects.get(pk=claim.pk)
    assert claim.text == "Assets total 300 billion euros" and claim.draft_approvals


def test_the_desk_refuses_the_author_and_shows_why(public_claim, reviewer, client):
    claim = workflow.edit_claim(claim=public_claim, actor=reviewer, version=public_claim.version, text="Mine")
    client.force_login(reviewer)
    assert client.get(claim.get_desk_url()).context["update_form"] is None
    response = client.post(reverse("desk:approve_update", args=[claim.pk]), {"version": claim.version, "note": "x"})
    assert response.status_code == 200 and "someone else must approve" in response.content.decode()
    assert Claim.objects.get(pk=claim.pk).text == "Assets total 300 billion euros"


def test_the_api_approves_and_refuses_updates(public_claim, editor, reviewer, other_reviewer):
    claim = workflow.edit_claim(claim=public_claim, actor=reviewer, version=public_claim.version, text="API words")
    own = token_client(reviewer).post(f"/api/v1/claims/{claim.pk}/approve-update/",
                                      {"version": claim.version, "note": "x"}, format="json")
    assert own.status_code == 409 and own.json()["code"] == "own_change"
    by_editor = token_client(editor).post(f"/api/v1/claims/{claim.pk}/approve-update/",
                                          {"version": claim.version, "note": "x"}, format="json")
    assert by_editor.status_code == 403
    done = token_client(other_reviewer).post(f"/api/v1/claims/{claim.pk}/approve-update/",
                                             {"version": claim.version, "note": "Reworded."}, format="json")
    assert done.status_code == 200 and done.json()["text"] == "API words"
    assert done.json()["pending_changes"] == {}


def test_a_draft_appearance_is_not_public_and_the_admin_cannot_add_one(public_claim, editor, reviewer,
                                                                        other_reviewer, anonymous):
    claim = workflow.add_appearance(claim=public_claim, actor=editor, version=public_claim.version,
                                    url="https://elsewhere.example/post", outlet="Elsewhere")
    assert "Elsewhere" not in anonymous.get(public_claim.get_absolute_url()).content.decode()
    public_claim.refresh_from_db()
    workflow.approve_update(claim=public_claim, actor=other_reviewer, version=public_claim.version,
                            note="Where else it appeared.")
    assert "Elsewhere" in anonymous.get(public_claim.get_absolute_url()).content.decode()
    assert claim.approved is None  # the instance the operation returned; the row is approved now
    assert Appearance.objects.get(pk=claim.pk).approved["outlet"] == "Elsewhere"


def test_the_desk_removes_an_appearance_as_a_draft(public_claim, editor, reviewer, other_reviewer, client,
                                                   anonymous):
    claim = public_claim
    appearance = workflow.add_appearance(claim=claim, actor=editor, version=claim.version,
                                         url="https://elsewhere.example/post", outlet="Elsewhere")
    claim.refresh_from_db()
    claim = workflow.approve_update(claim=claim, actor=other_reviewer, version=claim.version, note="Spread.")
    client.force_login(editor)
    stale = client.post(reverse("desk:appearance_remove", args=[claim.pk, appearance.pk]),
                        {"version": claim.version - 1}, follow=True)
    assert "Nothing was removed" in stale.content.decode()
    response = client.post(reverse("desk:appearance_remove", args=[claim.pk, appearance.pk]),
                           {"version": claim.version})
    assert response.status_code == 302 and response["Location"].endswith("#appearances")
    assert Appearance.objects.get(pk=appearance.pk).removed  # still public until a reviewer approves
    assert "Elsewhere" in anonymous.get(claim.get_absolute_url()).content.decode()
    assert client.get(claim.get_desk_url()).context["appearances"] == []
