"""The claim page: everything about one claim, editing its fields with a version check, and its history."""

import pytest

from claims import workflow
from claims.models import Claim, ClaimEvent

from .factories import (
    ClaimantFactory,
    EditorFactory,
    SourceFactory,
    TopicFactory,
    in_review_claim,
    new_claim,
    researching_claim,
)

pytestmark = pytest.mark.django_db


def edit(claim, **fields):
    data = {"text": claim.text, "quote": claim.quote, "claimant": claim.claimant_id or "",
            "source": claim.source_id or "", "claim_date": "", "language": claim.language, "recheck_on": "",
            "version": claim.version}
    data.update(fields)
    return data


def test_the_claim_page_shows_the_claim_its_evidence_and_its_history(editor_client, editor):
    source = SourceFactory(title="Lavrov’s last tango")
    claim = researching_claim(actor=editor, text="Frozen assets total €210bn", quote="about €210bn",
                              source=source, claimant=ClaimantFactory(name="Sergey Lavrov"))
    response = editor_client.get(claim.get_desk_url())
    html = response.content.decode()
    assert response.status_code == 200
    for text in ["Frozen assets total €210bn", "about €210bn", "Sergey Lavrov", "Lavrov’s last tango",
                 "Evidence 0", "https://evidence.example/0", "Researching",
                 # History: kind, actor and the field-by-field diff of the assignment.
                 "Created", "Research started", "Evidence added", "Erin Editor", "Assignee"]:
        assert text in html, text
    assert "<strong>Assigned</strong>" not in html
    assert f'name="version" value="{claim.version}"' in html


def test_the_claim_text_is_escaped(editor_client, editor):
    claim = new_claim(actor=editor, text="<script>alert('x')</script>", quote="<img src=x onerror=alert(1)>")
    html = editor_client.get(claim.get_desk_url()).content.decode()
    assert "<script>alert('x')</script>" not in html and "<img src=x" not in html
    assert "&lt;script&gt;" in html


def test_editing_saves_the_fields_and_records_each_change(editor_client, editor):
    claim = new_claim(actor=editor, text="Old wording")
    topic = TopicFactory(name="Frozen assets")
    response = editor_client.post(claim.get_desk_url(), edit(claim, text="New wording", topics=[topic.pk],
                                                             claim_date="2025-10-22"))
    assert response.status_code == 302
    assert response["Location"] == f"{claim.get_desk_url()}#edit"
    claim.refresh_from_db()
    assert (claim.text, claim.version, str(claim.claim_date)) == ("New wording", 2, "2025-10-22")
    event = claim.events.get(kind=ClaimEvent.Kind.EDITED)
    assert event.changes["text"] == ["Old wording", "New wording"]
    page = editor_client.get(response["Location"]).content.decode()
    assert "Claim saved." in page
    assert "<del>Old wording</del>" in page and "<ins>New wording</ins>" in page
    assert "<ins>Frozen assets</ins>" in page


def test_saving_with_nothing_changed_writes_nothing(editor_client, editor):
    claim = new_claim(actor=editor)
    response = editor_client.post(claim.get_desk_url(), edit(claim), follow=True)
    assert "Nothing to save: no field changed." in response.content.decode()
    assert Claim.objects.get().version == 1


def test_a_stale_save_shows_the_conflict_and_keeps_both_texts(client, editor, other_editor):
    """Two editors open the same version; the first save wins, the second sees the conflict with its own
    text still in the form and what the first changed, and nothing of the second is written."""
    claim = new_claim(actor=editor, text="Original wording")
    seen = edit(claim)
    client.force_login(editor)
    assert client.post(claim.get_desk_url(), {**seen, "text": "First editor’s wording"}).status_code == 302

    client.force_login(other_editor)
    response = client.post(claim.get_desk_url(), {**seen, "text": "Second editor’s wording"})

    assert response.status_code == 200
    html = response.content.decode()
    assert "Someone else changed this claim while you were working on it." in html
    assert 'value="Second editor’s wording"' in html
    # What changed meanwhile: the first editor's edit, field by field.
    conflict = response.context["conflict"]
    assert [e.kind for e in conflict["events"]] == [ClaimEvent.Kind.EDITED]
    assert "<del>Original wording</del>" in html and "<ins>First editor’s wording</ins>" in html
    claim.refresh_from_db()
    assert claim.text == "First editor’s wording" and claim.version == 2
    # The form now carries the current version: saving again is a deliberate overwrite.
    assert response.context["edit_form"].data["version"] == 2
    again = client.post(claim.get_desk_url(), {**seen, "version": 2, "text": "Second editor’s wording"})
    assert again.status_code == 302
    assert Claim.objects.get().text == "Second editor’s wording"


def test_a_tampered_version_is_a_form_error(editor_client, editor):
    claim = new_claim(actor=editor)
    response = editor_client.post(claim.get_desk_url(), edit(claim, text="Changed", version="abc"))
    assert "This form is out of date" in response.content.decode()
    assert Claim.objects.get().version == 1


def test_oversized_text_is_refused_and_nothing_saved(editor_client, editor):
    claim = new_claim(actor=editor, text="Short")
    response = editor_client.post(claim.get_desk_url(), edit(claim, text="y" * 500))
    assert "The claim text is 500 characters; the limit is 200." in response.content.decode()
    assert Claim.objects.get().text == "Short"


def test_an_inline_claimant_on_edit_is_not_kept_when_the_save_is_refused(editor_client, editor):
    claim = new_claim(actor=editor)
    workflow.edit_claim(claim=claim, actor=editor, version=1, text="Moved on")
    response = editor_client.post(claim.get_desk_url(), edit(claim, claimant="", new_claimant_name="Someone new"))
    assert "Someone else changed this claim" in response.content.decode()
    assert not claim.claimant.__class__.objects.filter(name="Someone new").exists()


def test_a_reader_tip_can_be_edited_and_stay_unattributed(editor_client):
    tip = workflow.create_claim(actor=None, text="A reader’s tip", is_reader_tip=True)
    response = editor_client.post(tip.get_desk_url(), edit(tip, text="The desk’s wording"))
    assert response.status_code == 302
    tip.refresh_from_db()
    assert (tip.text, tip.claimant) == ("The desk’s wording", None)


def test_a_closed_claim_offers_no_edit_form_and_refuses_a_save(editor_client, editor, reviewer):
    claim = new_claim(actor=editor)
    workflow.close(claim=claim, actor=reviewer, version=1, reason=Claim.CloseReason.OUT_OF_SCOPE)
    claim.refresh_from_db()
    page = editor_client.get(claim.get_desk_url())
    assert page.context["edit_form"] is None
    response = editor_client.post(claim.get_desk_url(), edit(claim, text="Changed"))
    assert "A closed claim cannot be edited; reopen it first." in response.content.decode()
    assert Claim.objects.get().text != "Changed"


def grow(claim, editor, n):
    """Give ``claim`` ``n`` evidence items and so ``n`` more events; it stays in research."""
    for i in range(1, n):
        workflow.add_evidence(claim=claim, actor=editor, version=claim.version, title=f"More {i}",
                              url=f"https://more.example/{i}")
        claim.refresh_from_db()
    return claim


@pytest.mark.parametrize("n", [1, 10])
def test_claim_page_queries_do_not_grow_with_evidence_and_events(reviewer_client, editor, n,
                                                                 django_assert_num_queries):
    for i in range(n):  # other claims do not matter either
        new_claim(actor=editor, text=f"Other claim {i}")
    claim = grow(researching_claim(actor=editor, topics=[TopicFactory()]), editor, n)
    assert claim.evidence.count() == n
    # session, user, the user's and their groups' permissions (2); the claim with its claimant, source,
    # assignee, duplicate and published verdict; its topics, evidence, appearances, verdicts and events (5); the
    # choices of the edit form (claimants, sources, topics), the rating list and the assignee list (5); the health
    # of the evidence links (linkcheck, 1); the names of the assignees the history records (1).
    with django_assert_num_queries(17):
        response = reviewer_client.get(claim.get_desk_url())
    assert len(response.context["evidence"]) == n
    assert len(response.context["events"]) == n + 2


@pytest.mark.parametrize("n", [1, 10])
def test_claim_page_in_review_queries_do_not_grow(reviewer_client, editor, n, django_assert_num_queries):
    claim = in_review_claim(actor=editor, evidence=n)
    # session, user, permissions (2), the claim and its five prefetches (6), the edit form's choices
    # (claimants, sources, topics) and the assignee list (4), the evidence links' health (linkcheck, 1), the names
    # of the assignees in the history (1). No rating list: nothing to propose.
    with django_assert_num_queries(16):
        response = reviewer_client.get(claim.get_desk_url())
    assert len(response.context["evidence"]) == n
    assert response.context["approve_form"] is not None


# ---------------------------------------------------------------------------------------------------------
# The history says what happened, and names people the same way everywhere.


def test_the_history_names_the_rating_a_verdict_proposed(editor_client, editor):
    claim = in_review_claim(actor=editor, rating_slug="mostly-false")
    html = editor_client.get(claim.get_desk_url()).content.decode()
    assert "<strong>Verdict proposed: Mostly false</strong>" in html


def test_the_history_shows_an_assignee_by_name_not_username(editor_client, editor, other_editor):
    claim = researching_claim(actor=editor)
    workflow.assign(claim=claim, actor=editor, version=claim.version, assignee=other_editor)
    html = editor_client.get(claim.get_desk_url()).content.decode()
    # The diff records usernames ("erin", "otto"); the page shows the names used everywhere else.
    assert "<del>Erin Editor</del>" in html and "<ins>Otto Other</ins>" in html
    assert "<ins>otto</ins>" not in html and "<ins>erin</ins>" not in html


def test_a_user_without_a_full_name_is_shown_by_username_everywhere(editor_client, editor, api_client_with_token):
    nameless = EditorFactory(username="nameless", first_name="", last_name="")
    claim = researching_claim(actor=nameless)
    workflow.assign(claim=claim, actor=nameless, version=claim.version, assignee=editor)
    html = editor_client.get(claim.get_desk_url()).content.decode()
    assert "by nameless," in html and "Added by nameless" in html and "<del>nameless</del>" in html
    evidence = api_client_with_token.get(f"/api/v1/claims/{claim.pk}/evidence/").json()["results"]
    assert evidence[0]["added_by_name"] == "nameless"
