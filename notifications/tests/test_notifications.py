"""Notifications: each kind reaches the right people once, after commit, by email as they choose."""

import pytest
from django.core import mail
from django_tasks_db.models import DBTaskResult

from background.testing import run_queued_tasks
from claims import workflow
from claims.tests.factories import in_review_claim, new_claim, rating, researching_claim
from notifications import notifying
from notifications.models import Kind, Notification, Preference

pytestmark = pytest.mark.django_db


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a block as if it committed, then let the worker run what it enqueued."""
    import contextlib

    @contextlib.contextmanager
    def block():
        with django_capture_on_commit_callbacks(execute=True):
            yield
        run_queued_tasks()

    return block


def kinds_of(user):
    return list(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


def test_assignment_notifies_the_assignee_once_after_commit(editor, other_editor, django_capture_on_commit_callbacks,
                                                            committed):
    claim = new_claim(actor=editor)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        workflow.start_research(claim=claim, actor=editor, version=claim.version, assignee=other_editor)
    assert Notification.objects.count() == 0 and DBTaskResult.objects.count() == 0  # nothing before commit
    with committed():
        for callback in callbacks:
            callback()
    assert kinds_of(other_editor) == [Kind.ASSIGNED]
    assert kinds_of(editor) == []  # not told of their own doing
    assert [m.to for m in mail.outbox] == [[other_editor.email]]
    assert f"Claim {claim.pk} is assigned to you" in mail.outbox[0].subject
    assert claim.get_desk_url() in mail.outbox[0].body
    with committed():  # the sweep again, and the email task again: nothing new
        assert notifying.process_events() == 0
        from notifications.tasks import send_email

        send_email.enqueue(Notification.objects.get().pk)
    assert Notification.objects.count() == 1 and len(mail.outbox) == 1


def test_proposal_notifies_reviewers_but_not_the_proposer(editor, reviewer, other_reviewer, committed):
    with committed():
        in_review_claim(actor=editor)
    assert kinds_of(reviewer) == [Kind.AWAITING_REVIEW]
    assert kinds_of(other_reviewer) == [Kind.AWAITING_REVIEW]
    assert Kind.AWAITING_REVIEW not in kinds_of(editor)


def test_send_back_notifies_the_proposer(editor, reviewer, committed):
    claim = in_review_claim(actor=editor)
    with committed():
        workflow.send_back(claim=claim, actor=reviewer, version=claim.version, note="Find a second source.")
    assert Kind.SENT_BACK in kinds_of(editor)
    sent_back = Notification.objects.get(recipient=editor, kind=Kind.SENT_BACK)
    assert "Find a second source." in sent_back.body


def test_approval_and_publication_notify_the_proposer_and_assignee(editor, other_editor, reviewer, other_reviewer,
                                                                   settings, committed):
    settings.REQUIRED_APPROVALS = 2
    claim = researching_claim(actor=editor)
    claim = workflow.assign(claim=claim, actor=editor, version=claim.version, assignee=other_editor)
    workflow.propose_verdict(claim=claim, actor=editor, version=claim.version, rating=rating(), summary="Wrong.")
    claim.refresh_from_db()
    with committed():
        claim = workflow.approve(claim=claim, actor=reviewer, version=claim.version)
        claim = workflow.approve(claim=claim, actor=other_reviewer, version=claim.version)
    assert sorted(kinds_of(editor)) == [Kind.APPROVED, Kind.PUBLISHED]
    assert Kind.PUBLISHED in kinds_of(other_editor)


def test_preferences_turn_email_off_but_keep_the_inbox(editor, other_editor, committed):
    Preference.objects.create(user=other_editor, kind=Kind.ASSIGNED, email=False)
    claim = new_claim(actor=editor)
    with committed():
        workflow.start_research(claim=claim, actor=editor, version=claim.version, assignee=other_editor)
    notification = Notification.objects.get(recipient=other_editor)
    assert notification.email == Notification.Email.SKIPPED
    assert mail.outbox == []


def test_broken_link_notifies_who_added_the_evidence_once(editor, settings, committed, tmp_path):
    from factcheck.tests.webserver import web_server
    from linkcheck import checking
    from linkcheck.models import Link

    settings.OUTBOUND_ALLOW_LOOPBACK = True
    settings.LINKCHECK_BROKEN_AFTER = 2
    with web_server() as server:
        claim = researching_claim(actor=editor, evidence=0)
        workflow.add_evidence(claim=claim, actor=editor, version=claim.version, title="Gone", url=server.url("/410"))
        link = Link.objects.create(url=server.url("/410"))
        with committed():
            for _ in range(4):
                checking.check_link(link.pk)
    assert kinds_of(editor) == [Kind.LINK_BROKEN]
    assert len([m for m in mail.outbox if "broken" in m.subject]) == 1


def test_a_failed_email_is_retried_with_backoff_then_sent_once(editor, other_editor, settings, monkeypatch,
                                                               django_capture_on_commit_callbacks):
    from notifications.tasks import send_email

    settings.TASK_RETRY_BASE_SECONDS = 0
    claim = new_claim(actor=editor)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.start_research(claim=claim, actor=editor, version=claim.version, assignee=other_editor)
    calls = []

    def flaky(**kwargs):
        calls.append(kwargs)
        if len(calls) == 1:
            raise OSError("mail server down")
        mail.outbox.append(kwargs)

    monkeypatch.setattr(notifying, "send_mail", flaky)
    with django_capture_on_commit_callbacks(execute=True):
        notifying.process_events()
    run_queued_tasks()
    notification = Notification.objects.get()
    assert len(calls) == 2 and notification.email == Notification.Email.SENT
    assert DBTaskResult.objects.filter(task_path=send_email.module_path).count() == 2


def test_inbox_page_and_marking_read(editor_client, editor, other_editor, django_assert_num_queries):
    for n in range(3):
        notifying.notify(recipient=editor, kind=Kind.ASSIGNED, key=f"test:{n}", title=f"Claim {n} for you",
                         url="/desk/")
    notifying.notify(recipient=other_editor, kind=Kind.ASSIGNED, key="test:x", title="Not yours")
    # session, user, count and page of notifications, unread count
    with django_assert_num_queries(5):
        page = editor_client.get("/desk/inbox/").content.decode()
    assert "Claim 2 for you" in page and "Not yours" not in page and "3 unread" in page
    mine = Notification.objects.filter(recipient=editor).first()
    theirs = Notification.objects.get(recipient=other_editor)
    assert editor_client.post(f"/desk/inbox/{theirs.pk}/read/").status_code == 404
    assert editor_client.post(f"/desk/inbox/{mine.pk}/read/")["Location"] == "/desk/"
    mine.refresh_from_db()
    assert mine.read_at is not None
    editor_client.post("/desk/inbox/read-all/")
    assert not Notification.objects.filter(recipient=editor, read_at__isnull=True).exists()


def test_preferences_page(editor_client, editor, anonymous):
    editor_client.post("/desk/inbox/preferences/", {"email": [Kind.PUBLISHED]})
    assert set(Preference.objects.filter(user=editor, email=True).values_list("kind", flat=True)) == {Kind.PUBLISHED}
    page = editor_client.get("/desk/inbox/preferences/").content.decode()
    assert 'value="published" checked' in page and 'value="assigned" checked' not in page


def test_inbox_needs_a_login(client):
    assert client.get("/desk/inbox/").status_code == 302


def test_api_inbox(api_client, api_client_with_token, editor, other_editor):
    notifying.notify(recipient=editor, kind=Kind.ASSIGNED, key="a", title="Mine")
    theirs = notifying.notify(recipient=other_editor, kind=Kind.ASSIGNED, key="b", title="Theirs")
    assert api_client.get("/api/v1/notifications/").status_code == 401
    data = api_client_with_token.get("/api/v1/notifications/?unread=1").json()
    assert [n["title"] for n in data] == ["Mine"]
    assert api_client_with_token.post(f"/api/v1/notifications/{theirs.pk}/read/").status_code == 404
    response = api_client_with_token.post(f"/api/v1/notifications/{data[0]['id']}/read/")
    assert response.status_code == 200 and response.json()["read_at"]
    assert api_client_with_token.get("/api/v1/notifications/?unread=1").json() == []


def test_an_event_that_commits_late_is_still_processed(editor, other_editor, django_capture_on_commit_callbacks):
    import datetime

    from django.utils import timezone

    from claims.models import ClaimEvent

    claim = new_claim(actor=editor)
    claim = workflow.start_research(claim=claim, actor=editor, version=claim.version, assignee=other_editor)
    assert notifying.process_events() == 1
    # An assignment whose transaction ran long: it happened before the last sweep but shows up only now.
    ClaimEvent.objects.create(claim=claim, actor=editor, actor_name="Erin", kind=ClaimEvent.Kind.ASSIGNED,
                              at=timezone.now() - datetime.timedelta(minutes=5))
    assert notifying.process_events() == 1
    assert notifying.process_events() == 0
    assert Notification.objects.filter(recipient=other_editor).count() == 2


def test_a_long_backlog_is_processed_in_batches(editor, other_editor, django_capture_on_commit_callbacks):
    claim = new_claim(actor=editor)
    for assignee in (other_editor, editor, other_editor):
        claim = workflow.assign(claim=claim, actor=editor if assignee != editor else other_editor,
                                version=claim.version, assignee=assignee)
    with django_capture_on_commit_callbacks(execute=True):
        notifying.process_events(batch=2)
    assert DBTaskResult.objects.filter(task_path="notifications.tasks.process_events").count() == 1  # more to do
    run_queued_tasks()
    assert Notification.objects.count() == 3


def test_events_from_before_notifications_began_notify_nobody(editor, other_editor):
    import datetime

    from django.utils import timezone

    claim = new_claim(actor=editor)
    workflow.start_research(claim=claim, actor=editor, version=claim.version, assignee=other_editor)
    assert notifying.process_events(now=timezone.now() + datetime.timedelta(hours=1)) == 0
