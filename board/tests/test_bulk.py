"""Bulk actions from the board: assign, or close as not checkable, duplicate or out of scope, many claims at
once. Each claim goes through its workflow function and writes its own event; a refusal (role, state, a stale
version) is reported for its claim without losing the others; the form's one-time key makes a second post
show the first one's results instead of acting twice."""

import pytest
from django.test import Client

from board.forms import MAX_SELECTED
from claims import workflow
from claims.models import Claim, ClaimEvent
from claims.tests.factories import EditorFactory, UserFactory, in_review_claim, new_claim, researching_claim
from idempotency.models import SubmissionKey

pytestmark = pytest.mark.django_db

BULK = "/desk/board/bulk/"
Kind = ClaimEvent.Kind


def ticked(*claims):
    return [f"{claim.pk}:{claim.version}" for claim in claims]


def post(client, claims, action, key="k" * 32, **fields):
    data = {"claim": claims, "action": action, "submission_key": key, "next": "/desk/board/?sort=oldest", **fields}
    return client.post(BULK, data, follow=True)


def outcomes(response):
    assert response.status_code == 200, response.content.decode()[:3000]
    return [(result["id"], result["ok"], result["message"]) for result in response.context["results"]]


def test_assigns_many_each_with_its_own_event(editor_client, editor, other_editor):
    fresh, researching = new_claim(actor=editor, text="Fresh"), researching_claim(actor=editor, text="Underway")
    response = post(editor_client, ticked(fresh, researching), "assign", assignee=other_editor.pk)
    assert outcomes(response) == [(fresh.pk, True, "Assigned to Otto Other."),
                                  (researching.pk, True, "Assigned to Otto Other.")]
    fresh.refresh_from_db(), researching.refresh_from_db()
    assert fresh.assignee == researching.assignee == other_editor
    assert fresh.status == Claim.Status.RESEARCHING  # as on the claim page: assigning a new claim starts it
    # assigning a new claim starts its research, and the history says so
    for claim, kind in ((fresh, Kind.RESEARCH_STARTED), (researching, Kind.ASSIGNED)):
        event = claim.events.latest("id")
        assert (event.kind, event.actor) == (kind, editor)
    page = response.content.decode()
    assert "2 of 2 claims done" in page and 'href="/desk/board/?sort=oldest"' in page


def test_closes_many_as_out_of_scope(reviewer_client, reviewer, editor):
    claims = [new_claim(actor=editor, text=f"Claim {n}") for n in range(3)]
    response = post(reviewer_client, ticked(*claims), "out_of_scope", note="Not our beat")
    assert all(ok for _, ok, _ in outcomes(response))
    for claim in claims:
        claim.refresh_from_db()
        assert (claim.status, claim.close_reason) == (Claim.Status.CLOSED, "out_of_scope")
        event = claim.events.latest("id")
        assert (event.kind, event.actor, event.note) == (Kind.CLOSED, reviewer, "Not our beat")


def test_duplicates_of_one_chosen_claim_the_original_itself_refused(reviewer_client, editor):
    original, copy = new_claim(actor=editor, text="Original"), new_claim(actor=editor, text="Copy")
    response = post(reviewer_client, ticked(copy, original), "duplicate", duplicate_of=original.pk)
    assert outcomes(response) == [(copy.pk, True, "Closed: duplicate of another claim."),
                                  (original.pk, False, "A claim cannot duplicate itself.")]
    copy.refresh_from_db()
    assert copy.duplicate_of == original
    assert Claim.objects.get(pk=original.pk).status == Claim.Status.NEW


def test_an_unknown_original_refuses_each_claim(reviewer_client, editor):
    claim = new_claim(actor=editor)
    response = post(reviewer_client, ticked(claim), "duplicate", duplicate_of=999999)
    assert outcomes(response) == [(claim.pk, False, "There is no claim number 999999 to be a duplicate of.")]


def test_an_editor_closes_the_tips_and_is_refused_the_rest(editor_client, editor):
    tip = workflow.create_claim(actor=None, text="A reader's tip", is_reader_tip=True)
    captured = new_claim(actor=editor, text="Captured by the desk")
    response = post(editor_client, ticked(captured, tip), "not_checkable")
    assert outcomes(response) == [
        (captured.pk, False, "Only a reviewer can close this claim. Editors may close a new reader tip."),
        (tip.pk, True, "Closed: not checkable (opinion or prediction)."),
    ]
    assert "1 of 2 claims done; 1 refused" in response.content.decode()
    assert Claim.objects.get(pk=captured.pk).status == Claim.Status.NEW
    assert not Claim.objects.get(pk=captured.pk).events.filter(kind=Kind.CLOSED).exists()


def test_a_stale_or_wrong_state_claim_is_refused_alone(reviewer_client, editor):
    stale, ok, reviewing = new_claim(actor=editor, text="Stale"), new_claim(actor=editor, text="Fine"), \
        in_review_claim(actor=editor, text="In review")
    seen = ticked(stale, ok, reviewing)
    workflow.edit_claim(claim=stale, actor=editor, version=stale.version, quote="Changed meanwhile")
    response = post(reviewer_client, seen, "out_of_scope")
    [(_, stale_ok, stale_message), (_, ok_ok, _), (_, review_ok, review_message)] = outcomes(response)
    assert not stale_ok and stale_message.startswith("Someone else changed this claim")
    assert ok_ok and not review_ok and "the claim is in review" in review_message
    assert Claim.objects.get(pk=ok.pk).status == Claim.Status.CLOSED
    assert Claim.objects.get(pk=stale.pk).status == Claim.Status.NEW


def test_an_unknown_claim_is_reported_and_the_others_done(reviewer_client, editor):
    claim = new_claim(actor=editor)
    response = post(reviewer_client, ["999999:1", *ticked(claim)], "out_of_scope")
    assert outcomes(response) == [(999999, False, "There is no claim number 999999."),
                                  (claim.pk, True, "Closed: out of scope.")]


def test_assigning_to_someone_who_is_not_an_editor_is_refused_by_the_form(editor_client, editor):
    claim = new_claim(actor=editor)
    outsider = UserFactory()
    response = editor_client.post(BULK, {"claim": ticked(claim), "action": "assign", "assignee": outsider.pk,
                                         "submission_key": "a" * 32})
    assert response.status_code == 400 and "Select a valid choice" in response.content.decode()


def test_posting_the_form_again_shows_the_first_results_and_acts_once(editor_client, editor, other_editor):
    claims = [new_claim(actor=editor, text=f"Claim {n}") for n in range(2)]
    selected = ticked(*claims)
    first = post(editor_client, selected, "assign", assignee=other_editor.pk)
    events = ClaimEvent.objects.count()
    again = post(editor_client, selected, "assign", assignee=other_editor.pk)
    assert again.redirect_chain == first.redirect_chain == [(f"/desk/board/bulk/{'k' * 32}/", 302)]
    assert "saved already, so nothing was saved twice" in again.content.decode()
    assert outcomes(again) == outcomes(first)
    assert ClaimEvent.objects.count() == events


def test_the_results_are_their_senders_own(editor_client, editor, client):
    claim = new_claim(actor=editor)
    post(editor_client, ticked(claim), "assign", assignee=editor.pk)
    client.force_login(EditorFactory(username="someone"))
    assert client.get(f"/desk/board/bulk/{'k' * 32}/").status_code == 404
    assert editor_client.get("/desk/board/bulk/unknown-key/").status_code == 404


@pytest.mark.parametrize("claims, action, extra, error", [
    ([], "assign", {}, "Select at least one claim."),
    (["1:1"], "", {}, "Choose what to do with the selected claims."),
    (["1:1"], "assign", {}, "Choose whom to assign the claims to."),
    (["1:1"], "duplicate", {}, "Say which claim these duplicate."),
    (["1:1"], "checked_elsewhere", {}, "Select a valid choice."),
    (["javascript:alert(1)"], "out_of_scope", {}, "A selected claim could not be read."),
    (["1:99999999999999999999"], "out_of_scope", {}, "A selected claim could not be read."),
    (["1:1"], "out_of_scope", {"note": "x" * 5001}, "at most 5000 characters"),
    ([f"{n}:1" for n in range(1, MAX_SELECTED + 2)], "out_of_scope", {}, f"Select at most {MAX_SELECTED} claims"),
])
def test_bad_input_is_a_400_that_says_why_and_does_nothing(reviewer_client, editor, claims, action, extra, error):
    new_claim(actor=editor)
    events = ClaimEvent.objects.count()
    response = reviewer_client.post(BULK, {"claim": claims, "action": action, "submission_key": "b" * 32, **extra})
    assert response.status_code == 400
    assert error in response.content.decode()
    assert ClaimEvent.objects.count() == events and not SubmissionKey.objects.exists()


def test_a_foreign_next_address_is_not_followed(reviewer_client, editor):
    claim = new_claim(actor=editor)
    response = post(reviewer_client, ticked(claim), "out_of_scope", next="https://evil.example/desk/board/")
    page = response.content.decode()
    assert "evil.example" not in page and 'href="/desk/board/"' in page


def test_a_post_without_a_key_still_acts_and_shows_the_results(reviewer_client, editor):
    claim = new_claim(actor=editor)
    response = reviewer_client.post(BULK, {"claim": ticked(claim), "action": "out_of_scope",
                                           "submission_key": "../../x"})
    assert outcomes(response) == [(claim.pk, True, "Closed: out of scope.")]


def test_csrf_is_enforced(editor):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    claim = new_claim(actor=editor)
    response = client.post(BULK, {"claim": ticked(claim), "action": "assign", "assignee": editor.pk})
    assert response.status_code == 403
    assert Claim.objects.get(pk=claim.pk).status == Claim.Status.NEW


def test_only_editors_act_in_bulk(client, editor):
    claim = new_claim(actor=editor)
    assert client.post(BULK, {"claim": ticked(claim), "action": "out_of_scope"})["Location"].startswith(
        "/accounts/login/")
    client.force_login(UserFactory())
    assert client.post(BULK, {"claim": ticked(claim), "action": "out_of_scope"}).status_code == 403
    assert client.get(BULK).status_code == 403
    assert Claim.objects.get(pk=claim.pk).status == Claim.Status.NEW


def test_get_is_not_allowed(editor_client):
    assert editor_client.get(BULK).status_code == 405
