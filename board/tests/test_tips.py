"""Reader tips on the desk: editors triage them (close a new tip as not checkable, a duplicate or out of scope;
closing anything else stays with reviewers), see the sender's address and reply by e-mail. The reply is in the
claim's history and nowhere public."""

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend

from claims import workflow
from claims.models import Claim, ClaimEvent
from claims.tests.factories import (
    ClaimantFactory,
    UserFactory,
    new_claim,
    published_claim,
    rating,
    token_client,
)

pytestmark = pytest.mark.django_db

Reason = Claim.CloseReason
TIP = "The mayor says the bridge cost three times its budget"


def reader_tip(email="reader@example.org", text=TIP):
    return workflow.create_claim(actor=None, text=text, is_reader_tip=True, tipster_email=email, note="Reader tip.")


# ---------------------------------------------------------------------------------------------------------
# The role rule, in the workflow.


@pytest.mark.parametrize("reason", [Reason.NOT_CHECKABLE, Reason.OUT_OF_SCOPE])
def test_an_editor_closes_a_new_reader_tip(editor, reason):
    tip = reader_tip()
    closed = workflow.close(claim=tip, actor=editor, version=tip.version, reason=reason, note="An opinion.")
    assert closed.status == Claim.Status.CLOSED and closed.close_reason == reason
    event = closed.events.latest("id")
    assert (event.kind, event.actor, event.note, event.public) == (ClaimEvent.Kind.CLOSED, editor, "An opinion.", False)


def test_an_editor_closes_a_new_reader_tip_as_a_duplicate(editor):
    original = new_claim(actor=editor)
    tip = reader_tip()
    closed = workflow.close(claim=tip, actor=editor, version=tip.version, reason=Reason.DUPLICATE,
                            duplicate_of=original)
    assert closed.duplicate_of == original


@pytest.mark.parametrize("make", [
    pytest.param(lambda editor: new_claim(actor=editor), id="a claim the desk captured"),
    pytest.param(lambda editor: workflow.start_research(claim=(tip := reader_tip()), actor=editor,
                                                        version=tip.version), id="a tip in research"),
])
def test_an_editor_may_not_close_anything_else(editor, make):
    claim = make(editor)
    events = ClaimEvent.objects.count()
    with pytest.raises(workflow.WorkflowError) as refused:
        workflow.close(claim=claim, actor=editor, version=claim.version, reason=Reason.OUT_OF_SCOPE)
    assert refused.value.code == "permission_denied"
    assert refused.value.message == "Only a reviewer can close this claim. Editors may close a new reader tip."
    claim.refresh_from_db()
    assert claim.status != Claim.Status.CLOSED and ClaimEvent.objects.count() == events


def test_an_editor_may_not_close_a_tip_as_checked_elsewhere(editor):
    tip = reader_tip()
    with pytest.raises(workflow.WorkflowError, match="not checkable, duplicate or out of scope"):
        workflow.close(claim=tip, actor=editor, version=tip.version, reason=Reason.CHECKED_ELSEWHERE)


def test_reviewers_close_as_before(reviewer, editor):
    claim = workflow.start_research(claim=(c := new_claim(actor=editor)), actor=editor, version=c.version)
    closed = workflow.close(claim=claim, actor=reviewer, version=claim.version, reason=Reason.NOT_CHECKABLE)
    assert closed.status == Claim.Status.CLOSED


def test_a_stale_tip_is_refused_before_the_role_is_weighed(editor):
    tip = reader_tip()
    with pytest.raises(workflow.StaleVersion):
        workflow.close(claim=tip, actor=editor, version=tip.version - 1 or 99, reason=Reason.OUT_OF_SCOPE)


def test_someone_who_is_not_an_editor_closes_nothing(db):
    tip = reader_tip()
    with pytest.raises(workflow.WorkflowError) as refused:
        workflow.close(claim=tip, actor=UserFactory(), version=tip.version, reason=Reason.OUT_OF_SCOPE)
    assert refused.value.code == "permission_denied"


# ---------------------------------------------------------------------------------------------------------
# The rule on the desk and in the API.


def test_the_desk_offers_an_editor_the_close_form_on_a_new_tip_only(editor_client, editor):
    tip, captured = reader_tip(), new_claim(actor=editor)
    page = editor_client.get(f"/desk/claims/{tip.pk}/").content.decode()
    assert "Close the tip" in page and f'action="/desk/claims/{tip.pk}/close/"' in page
    assert 'value="checked_elsewhere"' not in page and 'value="out_of_scope"' in page
    assert "/close/" not in editor_client.get(f"/desk/claims/{captured.pk}/").content.decode()


def test_an_editor_closes_a_tip_on_the_desk(editor_client):
    tip = reader_tip()
    response = editor_client.post(f"/desk/claims/{tip.pk}/close/",
                                  {"version": tip.version, "reason": "out_of_scope", "note": ""})
    assert response.status_code == 302
    tip.refresh_from_db()
    assert tip.status == Claim.Status.CLOSED


def test_the_desk_refuses_an_editor_closing_a_captured_claim(editor_client, editor):
    claim = new_claim(actor=editor)
    response = editor_client.post(f"/desk/claims/{claim.pk}/close/",
                                  {"version": claim.version, "reason": "out_of_scope", "note": ""})
    assert response.status_code == 403
    assert "Only reviewers can approve, send back, reopen or close claims" in response.content.decode()
    claim.refresh_from_db()
    assert claim.status == Claim.Status.NEW


def test_the_api_lets_an_editor_close_a_tip_and_refuses_the_rest(editor):
    client = token_client(editor)
    tip, captured = reader_tip(), new_claim(actor=editor)
    body = {"reason": "not_checkable", "version": tip.version}
    assert client.post(f"/api/v1/claims/{tip.pk}/close/", body, format="json").status_code == 200
    refused = client.post(f"/api/v1/claims/{captured.pk}/close/", {**body, "version": captured.version},
                          format="json")
    assert refused.status_code == 403
    assert Claim.objects.get(pk=captured.pk).status == Claim.Status.NEW


# ---------------------------------------------------------------------------------------------------------
# The tipster's address and the reply.


def reply_url(claim):
    return f"/desk/claims/{claim.pk}/reply/"


def test_editors_see_the_tipsters_address_and_a_way_to_reply(editor_client):
    tip = reader_tip()
    page = editor_client.get(tip.get_desk_url()).content.decode()
    assert "reader@example.org" in page and reply_url(tip) in page


def test_a_tip_without_an_address_says_so_and_has_no_reply(editor_client):
    tip = reader_tip(email="")
    page = editor_client.get(tip.get_desk_url()).content.decode()
    assert "left no address" in page and reply_url(tip) not in page
    assert editor_client.get(reply_url(tip)).status_code == 404


def test_a_reply_is_mailed_and_recorded_in_the_history(editor_client, editor):
    tip = reader_tip()
    response = editor_client.post(reply_url(tip), {"version": tip.version,
                                                   "message": "Thank you: we are checking it."})
    assert response.status_code == 302 and response["Location"] == f"{tip.get_desk_url()}#history"
    [sent] = mail.outbox
    assert sent.to == ["reader@example.org"] and sent.subject == "About your tip to The Fact-Check Desk"
    assert sent.body.startswith("Thank you: we are checking it.") and "Erin Editor" in sent.body and TIP in sent.body
    event = tip.events.latest("id")
    assert (event.kind, event.actor, event.note, event.public) == (
        ClaimEvent.Kind.REPLIED, editor, "Thank you: we are checking it.", False)
    assert event.changes == {"to": [None, "reader@example.org"]}
    history = editor_client.get(tip.get_desk_url()).content.decode()
    assert "Replied to the tipster" in history and "Thank you: we are checking it." in history


def test_the_reply_page_lists_earlier_replies(editor_client, editor):
    tip = reader_tip()
    workflow.reply_to_tipster(claim=tip, actor=editor, version=tip.version, message="First answer")
    page = editor_client.get(reply_url(tip)).content.decode()
    assert "Replies so far" in page and "First answer" in page and "reader@example.org" in page


@pytest.mark.parametrize("message, error", [
    ("", "A message is required."),
    ("\u200b \u200f", "A message is required."),
    ("x" * 5001, "at most 5000 characters"),
])
def test_an_empty_or_oversized_reply_is_refused_and_nothing_is_sent(editor_client, message, error):
    tip = reader_tip()
    response = editor_client.post(reply_url(tip), {"version": tip.version, "message": message})
    assert response.status_code == 400 and error in response.content.decode()
    assert mail.outbox == [] and not tip.events.filter(kind=ClaimEvent.Kind.REPLIED).exists()


def test_a_stale_reply_keeps_the_message_and_sends_nothing(editor_client, editor):
    tip = reader_tip()
    workflow.start_research(claim=tip, actor=editor, version=tip.version)
    response = editor_client.post(reply_url(tip), {"version": tip.version, "message": "Still checking, thanks"})
    assert response.status_code == 409
    page = response.content.decode()
    assert "Someone else changed this claim" in page and "Still checking, thanks" in page
    assert mail.outbox == []


def test_replies_are_limited_per_hour(editor_client, editor, settings):
    settings.TIPSTER_REPLIES_PER_HOUR = 2
    tip = reader_tip()
    for n in range(2):
        tip.refresh_from_db()
        workflow.reply_to_tipster(claim=tip, actor=editor, version=tip.version, message=f"Reply {n}")
    tip.refresh_from_db()
    response = editor_client.post(reply_url(tip), {"version": tip.version, "message": "A third"})
    assert response.status_code == 429
    assert "2 replies in the last hour" in response.content.decode()
    assert len(mail.outbox) == 2


class RefusingBackend(BaseEmailBackend):
    def send_messages(self, messages):
        raise ConnectionRefusedError("no mail server")


def test_a_mail_server_failure_records_nothing(editor_client, settings):
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    tip = reader_tip()
    response = editor_client.post(reply_url(tip), {"version": tip.version, "message": "Hello"})
    assert response.status_code == 503 and "could not be sent" in response.content.decode()
    tip.refresh_from_db()
    assert tip.version == 1 and not tip.events.filter(kind=ClaimEvent.Kind.REPLIED).exists()


def test_only_reader_tips_with_an_address_can_be_replied_to(editor_client, editor):
    assert editor_client.get(reply_url(new_claim(actor=editor))).status_code == 404
    assert editor_client.get("/desk/claims/999999/reply/").status_code == 404
    with pytest.raises(workflow.WorkflowError, match="Only a reader tip"):
        claim = new_claim(actor=editor)
        workflow.reply_to_tipster(claim=claim, actor=editor, version=claim.version, message="Hi")


def test_the_reply_page_is_for_editors(client, db):
    tip = reader_tip()
    assert client.get(reply_url(tip))["Location"].startswith("/accounts/login/")
    client.force_login(UserFactory())
    assert client.post(reply_url(tip), {"version": tip.version, "message": "Hi"}).status_code == 403
    assert mail.outbox == []


def test_a_reply_is_escaped_in_the_history(editor_client, editor):
    tip = reader_tip()
    workflow.reply_to_tipster(claim=tip, actor=editor, version=tip.version, message="<script>alert(1)</script>")
    page = editor_client.get(tip.get_desk_url()).content.decode()
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_neither_the_address_nor_the_reply_reaches_readers(client, editor, reviewer):
    tip = reader_tip()
    tip = workflow.edit_claim(claim=tip, actor=editor, version=tip.version, claimant=ClaimantFactory())
    workflow.reply_to_tipster(claim=tip, actor=editor, version=tip.version, message="We are on it, secretword")
    tip.refresh_from_db()
    claim = published_claim_from(tip, editor, reviewer)
    page = client.get(claim.get_absolute_url())
    assert page.status_code == 200
    history = client.get(f"/api/v1/claims/{claim.pk}/history/").content.decode()
    detail = client.get(f"/api/v1/claims/{claim.pk}/").content.decode()
    for body in (page.content.decode(), history, detail):
        assert "secretword" not in body and "reader@example.org" not in body and "Replied" not in body


def published_claim_from(claim, editor, reviewer):
    claim = workflow.start_research(claim=claim, actor=editor, version=claim.version)
    workflow.add_evidence(claim=claim, actor=editor, version=claim.version, title="Audit",
                          url="https://evidence.example/audit")
    claim.refresh_from_db()
    workflow.propose_verdict(claim=claim, actor=editor, version=claim.version, rating=rating("false"),
                             summary="It cost what was budgeted.")
    claim.refresh_from_db()
    return workflow.approve(claim=claim, actor=reviewer, version=claim.version)


def test_published_claim_factory_still_works(editor, reviewer):
    assert published_claim(actor=editor, approver=reviewer).is_public
