"""Link checks and archived copies, through the real task queue (database backend, run in this process)."""

import hashlib

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from warcio.archiveiterator import ArchiveIterator

from background.testing import run_queued_tasks
from claims import workflow
from claims.tests.factories import new_claim
from linkcheck import checking, services
from linkcheck.models import Capture, Link

pytestmark = pytest.mark.django_db


def add_evidence(claim, editor, url, **extra):
    claim.refresh_from_db()
    return workflow.add_evidence(claim=claim, actor=editor, version=claim.version, title="A page", url=url, **extra)


def test_adding_evidence_enqueues_after_commit_and_the_worker_checks_and_captures(
    editor, server, django_capture_on_commit_callbacks
):
    claim = new_claim(actor=editor)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        add_evidence(claim, editor, server.url("/ok"))
    assert DBTaskResult.objects.count() == 0  # nothing before commit
    assert server.hits == []  # the request did not wait for the page
    for callback in callbacks:
        callback()
    run_queued_tasks()
    link = Link.objects.get(url=server.url("/ok"))
    assert link.health == Link.Health.OK and link.status == 200 and link.content_type == "text/html"
    assert link.size > 0 and len(link.sha256) == 64 and link.next_check_at > timezone.now()
    capture = Capture.objects.get(link=link)
    assert capture.state == Capture.State.CAPTURED
    assert capture.sha256 == link.sha256
    text = capture.text.read().decode()
    assert "Exports rose by 4% in 2024." in text and "alert(" not in text and "Árvíztűrő" in text
    with capture.warc.open() as f:
        records = [(r.rec_type, r.rec_headers.get_header("WARC-Target-URI"), r.content_stream().read())
                   for r in ArchiveIterator(f)]
    assert records[0][0] == "warcinfo"
    assert records[1][0] == "response" and records[1][1] == server.url("/ok")
    assert b"Exports rose" in records[1][2]
    assert hashlib.sha256(records[1][2]).hexdigest() == capture.sha256


@pytest.mark.parametrize(("path", "status", "error_code", "health"), [
    ("/ok", 200, "", "ok"),
    ("/chain/3", 200, "", "ok"),
    ("/404", 404, "", "failing"),
    ("/410", 410, "", "failing"),
    ("/500", 500, "", "failing"),
    ("/loop", None, "too_many_redirects", "failing"),
    ("/binary", 200, "", "ok"),
    ("/cookies", 200, "", "ok"),
])
def test_health_recorded_for_each_kind_of_answer(server, path, status, error_code, health):
    link = Link.objects.create(url=server.url(path))
    assert checking.check_link(link.pk) == health
    link.refresh_from_db()
    assert (link.status, link.error_code, link.health) == (status, error_code, health)


def test_slow_page_is_a_timeout(server, settings):
    settings.OUTBOUND_TIMEOUT = 1
    link = Link.objects.create(url=server.url("/slow?seconds=3"))
    checking.check_link(link.pk)
    link.refresh_from_db()
    assert link.error_code == "timeout" and link.health == Link.Health.FAILING


def test_huge_page_works_as_a_link_but_is_not_archived(server, settings, editor,
                                                       django_capture_on_commit_callbacks):
    settings.OUTBOUND_MAX_BYTES = 100_000
    with django_capture_on_commit_callbacks(execute=True):
        add_evidence(new_claim(actor=editor), editor, server.url("/huge?bytes=5000000"))
    run_queued_tasks()
    link = Link.objects.get()
    assert link.health == Link.Health.OK and link.error_code == "too_large" and link.status == 200
    capture = Capture.objects.get()
    assert capture.state == Capture.State.FAILED and "larger than" in capture.error


def test_binary_page_is_archived_without_text(server, editor, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        add_evidence(new_claim(actor=editor), editor, server.url("/binary"))
    run_queued_tasks()
    capture = Capture.objects.get()
    assert capture.state == Capture.State.CAPTURED and capture.content_type == "application/pdf"
    assert capture.text.read() == b""
    assert capture.size == 4096


def test_broken_only_after_several_failures_in_a_row(server, settings):
    settings.LINKCHECK_BROKEN_AFTER = 3
    link = Link.objects.create(url=server.url("/404"))
    assert [checking.check_link(link.pk) for _ in range(3)] == ["failing", "failing", "broken"]
    link.refresh_from_db()
    assert link.consecutive_failures == 3
    Link.objects.filter(pk=link.pk).update(url=server.url("/ok"))
    assert checking.check_link(link.pk) == "ok"
    link.refresh_from_db()
    assert link.consecutive_failures == 0


def test_a_duplicate_check_task_does_nothing(server):
    link = Link.objects.create(url=server.url("/404"))
    asked = timezone.now()
    assert checking.check_link(link.pk, requested_at=asked) == "failing"
    assert checking.check_link(link.pk, requested_at=asked) is None  # checked since it was asked
    link.refresh_from_db()
    assert link.consecutive_failures == 1
    assert len(server.hits) == 1


def test_a_second_sync_enqueues_nothing(server, editor, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        claim = add_evidence(new_claim(actor=editor), editor, server.url("/ok")).claim
    run_queued_tasks()
    before = DBTaskResult.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.sync_claim_links(claim.pk) == 0
    assert DBTaskResult.objects.count() == before
    assert Capture.objects.count() == 1


def test_capture_task_twice_captures_once(server, editor, django_capture_on_commit_callbacks):
    from linkcheck.tasks import capture_page

    link = Link.objects.create(url=server.url("/ok"))
    capture = Capture.objects.create(link=link)
    assert capture_page.call(capture.pk) == "captured"
    assert capture_page.call(capture.pk) is None
    assert len(server.hits) == 1


def test_capture_retries_with_backoff_then_gives_up(server, settings, django_capture_on_commit_callbacks):
    from linkcheck.tasks import capture_page

    settings.TASK_MAX_ATTEMPTS = 3
    settings.TASK_RETRY_BASE_SECONDS = 60
    settings.OUTBOUND_TIMEOUT = 1
    link = Link.objects.create(url=server.url("/slow?seconds=2"))
    capture = Capture.objects.create(link=link)
    with django_capture_on_commit_callbacks(execute=True):
        assert capture_page.call(capture.pk) is None  # attempt 1 failed: the next is queued, a minute later
    retry = DBTaskResult.objects.get()
    assert retry.args_kwargs["kwargs"]["attempt"] == 2
    assert 55 < (retry.run_after - timezone.now()).total_seconds() <= 60
    with django_capture_on_commit_callbacks(execute=True):
        assert capture_page.call(capture.pk, attempt=2) is None
    later = DBTaskResult.objects.order_by("-enqueued_at").first()
    assert 115 < (later.run_after - timezone.now()).total_seconds() <= 120  # backoff doubles
    assert capture_page.call(capture.pk, attempt=3) == "failed"
    capture.refresh_from_db()
    assert capture.state == Capture.State.FAILED and "Timed out" in capture.error


def test_due_checks_are_enqueued_once(server, django_capture_on_commit_callbacks):
    Link.objects.create(url=server.url("/ok"))
    Link.objects.create(url=server.url("/404"), next_check_at=timezone.now() + timezone.timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.enqueue_due_checks() == 1
        assert services.enqueue_due_checks() == 0  # queued already
    run_queued_tasks()
    assert Link.objects.get(url=server.url("/ok")).last_checked_at is not None


def test_discover_links_finds_urls_added_outside_the_workflow(server, editor, django_capture_on_commit_callbacks):
    claim = new_claim(actor=editor)
    claim.claimant.same_as = server.url("/ok")
    claim.claimant.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.discover_links() >= 1
    assert Link.objects.filter(url=server.url("/ok")).exists()


@pytest.mark.parametrize(("path", "state", "detail"), [
    ("/ok", "captured", "Exports rose"),
    ("/chain/2", "captured", "Exports rose"),
    ("/cookies", "captured", "Exports rose"),
    ("/404", "failed", "The page answered 404."),
    ("/410", "failed", "The page answered 410."),
    ("/500", "failed", "The page answered 500."),
    ("/loop", "failed", "Redirect loop"),
])
def test_copy_recorded_for_each_kind_of_answer(server, path, state, detail):
    from linkcheck.tasks import capture_page

    capture = Capture.objects.create(link=Link.objects.create(url=server.url(path)))
    assert capture_page.call(capture.pk) == state
    capture.refresh_from_db()
    assert capture.state == state
    if state == "captured":
        assert detail in capture.text.read().decode()
        assert capture.final_url.endswith("/chain/0" if path.startswith("/chain") else path)
        assert capture.captured_at is not None and len(capture.sha256) == 64 and len(capture.warc_sha256) == 64
    else:
        assert detail in capture.error and not capture.warc


def test_a_cookie_the_page_sets_is_not_sent_back_on_the_next_fetch(server):
    from linkcheck.tasks import capture_page

    link = Link.objects.create(url=server.url("/cookies"))
    checking.check_link(link.pk)
    capture_page.call(Capture.objects.create(link=link).pk)
    assert len(server.hits) == 2
    assert all("Cookie" not in headers for _path, headers in server.hits)


def test_a_slow_page_is_captured_later_or_given_up(server, settings, django_capture_on_commit_callbacks):
    from linkcheck.tasks import capture_page

    settings.OUTBOUND_TIMEOUT = 1
    settings.TASK_MAX_ATTEMPTS = 2
    capture = Capture.objects.create(link=Link.objects.create(url=server.url("/slow?seconds=2")))
    with django_capture_on_commit_callbacks(execute=True):
        assert capture_page.call(capture.pk) is None  # a retry is queued
    capture.refresh_from_db()
    assert capture.state == "pending"
    run_queued_tasks()
    capture.refresh_from_db()
    assert capture.state == "failed" and capture.attempts == 2
