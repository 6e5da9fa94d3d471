"""Evidence on the claim page: add, edit and remove, http(s) addresses only, withheld links with a reason."""

import pytest
from django.urls import reverse

from claims import workflow
from claims.models import ClaimEvent, Evidence

from .factories import in_review_claim, rating, researching_claim

pytestmark = pytest.mark.django_db


def evidence(claim, **fields):
    return {"title": "Euroclear half-year results", "url": "https://www.euroclear.com/results", "publisher": "",
            "note": "", "stance": "refutes", "archived_url": "", "withheld_reason": "", "version": claim.version,
            **fields}


@pytest.fixture
def claim(editor):
    return researching_claim(actor=editor, evidence=0)


def test_adding_evidence(editor_client, claim, editor):
    response = editor_client.post(reverse("desk:evidence_add", args=[claim.pk]), evidence(claim, note="p. 12"))
    assert response.status_code == 302 and response["Location"].endswith("#evidence")
    item = Evidence.objects.get()
    assert (item.title, item.stance, item.note, item.added_by) == ("Euroclear half-year results", "refutes", "p. 12",
                                                                    editor)
    assert claim.events.filter(kind=ClaimEvent.Kind.EVIDENCE_ADDED).count() == 1
    page = editor_client.get(claim.get_desk_url()).content.decode()
    assert "Evidence “Euroclear half-year results” added." in page


@pytest.mark.parametrize("field", ["url", "archived_url"])
@pytest.mark.parametrize("bad", ["javascript:alert(document.cookie)", "data:text/html;base64,PHNjcmlwdD4=",
                                 " javascript:alert(1)", "vbscript:msgbox(1)"])
def test_evidence_addresses_must_be_http(editor_client, claim, field, bad):
    response = editor_client.post(reverse("desk:evidence_add", args=[claim.pk]), evidence(claim, **{field: bad}))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Enter a web address starting with http:// or https://." in html
    assert "Nothing was saved" in html
    assert not Evidence.objects.exists()
    assert claim.events.count() == claim.version
    # The editor's other input is kept.
    assert 'value="Euroclear half-year results"' in html


def test_withheld_evidence_needs_a_reason(editor_client, claim):
    response = editor_client.post(reverse("desk:evidence_add", args=[claim.pk]),
                                  evidence(claim, withheld="on", withheld_reason="   "))
    assert "Say why the source is withheld." in response.content.decode()
    assert not Evidence.objects.exists()

    editor_client.post(reverse("desk:evidence_add", args=[claim.pk]),
                       evidence(claim, withheld="on", withheld_reason="The source would be identified"))
    assert Evidence.objects.get().withheld_reason == "The source would be identified"


def test_evidence_needs_a_title(editor_client, claim):
    response = editor_client.post(reverse("desk:evidence_add", args=[claim.pk]), evidence(claim, title=""))
    assert "A title is required." in response.content.decode()
    assert not Evidence.objects.exists()


def test_an_oversized_title_is_refused(editor_client, claim):
    response = editor_client.post(reverse("desk:evidence_add", args=[claim.pk]), evidence(claim, title="t" * 301))
    assert response.context["evidence_form"].errors["title"]
    assert not Evidence.objects.exists()


def test_two_editors_adding_evidence_from_the_same_page_both_succeed(editor_client, claim, other_editor, client):
    # Both read the claim page at the same version; the second addition is no conflict with the first.
    read = evidence(claim)
    first = editor_client.post(reverse("desk:evidence_add", args=[claim.pk]), {**read, "title": "First"})
    client.force_login(other_editor)
    second = client.post(reverse("desk:evidence_add", args=[claim.pk]), {**read, "title": "Second"})
    assert first.status_code == second.status_code == 302
    assert list(Evidence.objects.values_list("title", flat=True)) == ["First", "Second"]
    added = claim.events.filter(kind=ClaimEvent.Kind.EVIDENCE_ADDED).order_by("id")
    assert [event.changes["evidence"][1]["title"] for event in added] == ["First", "Second"]
    claim.refresh_from_db()
    assert claim.version == read["version"] + 2  # each addition still moves the claim on


def test_adding_evidence_after_a_verdict_was_proposed_meanwhile_is_refused(editor_client, editor):
    claim = researching_claim(actor=editor)
    read = evidence(claim)
    workflow.propose_verdict(claim=claim, actor=editor, version=claim.version, rating=rating(), summary="Wrong.")
    response = editor_client.post(reverse("desk:evidence_add", args=[claim.pk]), {**read, "title": "Late"})
    assert "Cannot add evidence: the claim is in review" in response.content.decode()
    assert not Evidence.objects.filter(title="Late").exists()


def test_evidence_is_frozen_while_in_review(editor_client, editor):
    claim = in_review_claim(actor=editor)
    page = editor_client.get(claim.get_desk_url())
    assert page.context["evidence_form"] is None
    assert "Evidence is frozen while the verdict is in review." in page.content.decode()
    response = editor_client.post(reverse("desk:evidence_add", args=[claim.pk]), evidence(claim))
    assert "Cannot add evidence: the claim is in review" in response.content.decode()
    assert claim.evidence.count() == 1


def test_editing_evidence(editor_client, editor):
    claim = researching_claim(actor=editor)
    item = claim.evidence.get()
    url = reverse("desk:evidence_edit", args=[claim.pk, item.pk])
    page = editor_client.get(url)
    assert 'value="Evidence 0"' in page.content.decode()
    response = editor_client.post(url, evidence(claim, title="Evidence 0", url=item.url, stance="supports"))
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.stance == "supports"
    event = claim.events.get(kind=ClaimEvent.Kind.EVIDENCE_CHANGED)
    assert event.changes["stance"] == ["refutes", "supports"]


def test_editing_evidence_refuses_a_javascript_url(editor_client, editor):
    claim = researching_claim(actor=editor)
    item = claim.evidence.get()
    url = reverse("desk:evidence_edit", args=[claim.pk, item.pk])
    response = editor_client.post(url, evidence(claim, url="javascript:alert(1)"))
    assert "Enter a web address starting with http:// or https://." in response.content.decode()
    item.refresh_from_db()
    assert item.url == "https://evidence.example/0"


def test_editing_evidence_from_a_stale_page_shows_the_conflict(editor_client, editor):
    claim = researching_claim(actor=editor)
    item = claim.evidence.get()
    url = reverse("desk:evidence_edit", args=[claim.pk, item.pk])
    stale = evidence(claim, title="Mine")
    editor_client.post(url, evidence(claim, title="Theirs", url=item.url))
    response = editor_client.post(url, stale)
    html = response.content.decode()
    assert "Someone else changed this claim" in html and 'value="Mine"' in html
    assert "<ins>Theirs</ins>" in html
    item.refresh_from_db()
    assert item.title == "Theirs"


def test_removing_evidence(editor_client, editor):
    claim = researching_claim(actor=editor)
    item = claim.evidence.get()
    response = editor_client.post(reverse("desk:evidence_remove", args=[claim.pk, item.pk]),
                                  {"version": claim.version}, follow=True)
    assert "Evidence “Evidence 0” removed." in response.content.decode()
    assert not Evidence.objects.exists()
    assert claim.events.filter(kind=ClaimEvent.Kind.EVIDENCE_REMOVED).count() == 1


def test_removing_evidence_from_a_stale_page_removes_nothing(editor_client, editor):
    claim = researching_claim(actor=editor)
    item = claim.evidence.get()
    response = editor_client.post(reverse("desk:evidence_remove", args=[claim.pk, item.pk]),
                                  {"version": claim.version - 1}, follow=True)
    assert "Nothing was removed. Someone else changed this claim" in response.content.decode()
    assert Evidence.objects.exists()
