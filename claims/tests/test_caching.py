"""The public cache: anonymous reads are served from it, and each change invalidates exactly what it shows.

Invalidation runs after commit, so these tests execute on-commit callbacks (or commit for real, across
processes, in the last test)."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.db import connection

from claims import workflow
from claims.models import Claim
from claims.people import display_name

from .factories import ClaimantFactory, in_review_claim, new_claim, published_claim


@pytest.fixture
def cache_on(settings):
    settings.PUBLIC_CACHE_SECONDS = 600
    settings.PUBLIC_DATA_CACHE = True
    cache.clear()


@pytest.fixture
def commits(django_capture_on_commit_callbacks):
    """Run each workflow call's on-commit callbacks, as a real commit would."""

    def run(func, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return func(**kwargs)

    return run


def test_a_second_anonymous_read_costs_no_query(cache_on, client, editor, reviewer, django_assert_num_queries):
    claim = published_claim(actor=editor, approver=reviewer, text="Cached claim")
    first = client.get("/claims/")
    page = client.get(claim.get_absolute_url())
    assert first.status_code == page.status_code == 200
    with django_assert_num_queries(0):  # served from the cache: no query at all
        second = client.get("/claims/")
        again = client.get(claim.get_absolute_url())
    assert second.content == first.content
    assert again.content == page.content


def test_publication_invalidates_the_lists(cache_on, commits, client, editor, reviewer):
    pending = in_review_claim(actor=editor, text="Waiting for its sign-off")
    assert b"Waiting for its sign-off" not in client.get("/claims/").content
    assert b"Waiting for its sign-off" not in client.get("/api/v1/claims/").content
    commits(workflow.approve, claim=pending, actor=reviewer, version=pending.version)
    assert b"Waiting for its sign-off" in client.get("/claims/").content
    assert b"Waiting for its sign-off" in client.get("/api/v1/claims/").content


def test_publishing_one_claim_leaves_another_claims_page_cached(
    cache_on, commits, client, editor, reviewer, django_assert_num_queries
):
    other = published_claim(actor=editor, approver=reviewer, text="Already published")
    client.get(other.get_absolute_url())
    pending = in_review_claim(actor=editor, text="Published later")
    commits(workflow.approve, claim=pending, actor=reviewer, version=pending.version)
    with django_assert_num_queries(0):  # its own generation did not change
        client.get(other.get_absolute_url())


def test_an_approved_update_of_a_published_claim_invalidates_its_page(cache_on, commits, client, editor,
                                                                      reviewer):
    claim = published_claim(actor=editor, approver=reviewer, text="Before the edit")
    url = claim.get_absolute_url()
    assert b"Before the edit" in client.get(url).content
    claim.refresh_from_db()
    edited = commits(workflow.edit_claim, claim=claim, actor=editor, version=claim.version, quote="A new quote")
    assert b"A new quote" not in client.get(url).content  # a draft until a reviewer approves it
    commits(workflow.approve_update, claim=edited, actor=reviewer, version=edited.version, note="Quote completed.")
    assert b"A new quote" in client.get(url).content


def test_an_edit_of_a_draft_invalidates_nothing(cache_on, commits, client, editor, reviewer, django_assert_num_queries):
    published_claim(actor=editor, approver=reviewer)
    client.get("/claims/")
    draft = new_claim(actor=editor, text="A draft nobody sees")
    commits(workflow.edit_claim, claim=draft, actor=editor, version=draft.version, text="Still a draft")
    with django_assert_num_queries(0):
        client.get("/claims/")


def test_renaming_a_claimant_invalidates_every_page(cache_on, django_capture_on_commit_callbacks, client, editor,
                                                    reviewer):
    claimant = ClaimantFactory(name="Old Name")
    claim = published_claim(actor=editor, approver=reviewer, claimant=claimant)
    assert b"Old Name" in client.get(claim.get_absolute_url()).content
    with django_capture_on_commit_callbacks(execute=True):
        claimant.name = "New Name"
        claimant.save()
    assert b"New Name" in client.get(claim.get_absolute_url()).content


def test_logged_in_readers_are_never_served_the_cache(cache_on, client, editor, reviewer):
    claim = published_claim(actor=editor, approver=reviewer)
    client.get(claim.get_absolute_url())  # cached for anonymous readers
    client.force_login(editor)
    response = client.get(claim.get_absolute_url())
    assert f"Log out {display_name(editor)}".encode() in response.content


def test_the_reader_tip_form_is_never_cached(cache_on, client, django_assert_max_num_queries):
    first = client.get("/submit/")
    assert "csrftoken" in first.cookies  # a per-visitor token: must not be shared through the cache
    second = client.get("/submit/")
    assert "csrftoken" in second.cookies


def test_with_the_cache_off_every_read_queries(settings, client, editor, reviewer, django_assert_num_queries):
    settings.PUBLIC_CACHE_SECONDS = 0
    claim = published_claim(actor=editor, approver=reviewer)
    client.get(claim.get_absolute_url())
    response = client.get(claim.get_absolute_url())
    assert response.status_code == 200
    assert Claim.objects.public().count() == 1


# ---------------------------------------------------------------------------------------------------------
# Across processes: two app servers sharing Redis.


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _redis_up():
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


def _serve(port, env):
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "factcheck.wsgi", "-b", f"127.0.0.1:{port}", "-w", "1", "--threads", "2"],
        cwd=django_settings.BASE_DIR, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/robots.txt", timeout=1)
            return process
        except OSError:
            if process.poll() is not None:
                raise RuntimeError(process.stderr.read().decode()) from None
            time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"gunicorn on port {port} did not start")


def _get(port, path):
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


@pytest.mark.slow
def test_a_publication_through_one_server_is_visible_through_the_other_at_once(roles_and_ratings, editor, reviewer):
    if connection.vendor != "postgresql":
        pytest.skip("the servers need a database they can share with the test: CI runs this on PostgreSQL")
    if not _redis_up():
        pytest.fail("Redis is not running on 127.0.0.1:6379; the shared-cache test needs it")
    claim = in_review_claim(actor=editor, text="Seen everywhere at once")
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{connection.settings_dict['NAME']}",
        "REDIS_URL": "redis://127.0.0.1:6379/7", "PUBLIC_CACHE_SECONDS": "600", "DEBUG": "0",
        "SECRET_KEY": "cache-test", "ALLOWED_HOSTS": "127.0.0.1", "SECURE_COOKIES": "0",
        "STATIC_MANIFEST": "0",  # no collectstatic in tests
    }
    import redis

    redis.Redis.from_url(env["REDIS_URL"]).flushdb()
    one, two = _free_port(), _free_port()
    servers = [_serve(one, env), _serve(two, env)]
    try:
        status, body = _get(two, "/claims/")
        assert status == 200 and "Seen everywhere at once" not in body  # now cached on server two's side
        assert _get(two, "/claims/")[1] == body

        from rest_framework.authtoken.models import Token

        token = Token.objects.create(user=reviewer)
        request = urllib.request.Request(
            f"http://127.0.0.1:{one}/api/v1/claims/{claim.pk}/approve/", data=b"{}", method="POST",
            headers={"Authorization": f"Token {token.key}", "Content-Type": "application/json",
                     "If-Match": f'"{claim.version}"'},
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.status == 200

        status, body = _get(two, "/claims/")
        assert status == 200 and "Seen everywhere at once" in body
        claim.refresh_from_db()
        assert _get(two, claim.get_absolute_url())[0] == 200
    finally:
        for server in servers:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=10)


@pytest.mark.slow
def test_without_redis_two_worker_processes_share_the_cache(roles_and_ratings, editor, reviewer, tmp_path):
    # The default configuration (no REDIS_URL): a publication through one process is on the other's pages at
    # once. With a per-process memory cache, the second kept serving its stale copy.
    if connection.vendor != "postgresql":
        pytest.skip("the servers need a database they can share with the test: CI runs this on PostgreSQL")
    claim = in_review_claim(actor=editor, text="Seen by every worker at once")
    env = {key: value for key, value in os.environ.items() if key != "REDIS_URL"}
    env.update({
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{connection.settings_dict['NAME']}",
        "CACHE_DIR": str(tmp_path / "cache"), "PUBLIC_CACHE_SECONDS": "600", "DEBUG": "0",
        "SECRET_KEY": "cache-test", "ALLOWED_HOSTS": "127.0.0.1", "SECURE_COOKIES": "0", "STATIC_MANIFEST": "0",
    })
    one, two = _free_port(), _free_port()
    servers = [_serve(one, env), _serve(two, env)]
    try:
        for port in (one, two):  # each process has the index page and the API list cached
            assert "Seen by every worker at once" not in _get(port, "/claims/")[1]
            assert "Seen by every worker at once" not in _get(port, "/api/v1/claims/")[1]
        from rest_framework.authtoken.models import Token

        token = Token.objects.create(user=reviewer)
        request = urllib.request.Request(
            f"http://127.0.0.1:{one}/api/v1/claims/{claim.pk}/approve/", data=b"{}", method="POST",
            headers={"Authorization": f"Token {token.key}", "Content-Type": "application/json",
                     "If-Match": f'"{claim.version}"'},
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.status == 200
        for path in ("/claims/", "/api/v1/claims/", "/"):
            status, body = _get(two, path)
            assert status == 200 and "Seen by every worker at once" in body, path
    finally:
        for server in servers:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=10)


def test_only_parameters_that_change_a_page_make_a_cache_entry(cache_on, client, editor, reviewer, settings):
    published_claim(actor=editor, approver=reviewer)
    location = settings.CACHES["default"]["LOCATION"]
    client.get("/claims/")
    client.get("/claims/?rating=false")  # its page, and the count it keeps as data
    before = len(os.listdir(location))
    for n in range(50):
        assert client.get(f"/claims/?utm_source=x{n}").status_code == 200
        assert client.get("/claims/", {"rating": "false", "fbclid": "x" * 300 + str(n)}).status_code == 200
    assert len(os.listdir(location)) == before
    # The same parameters in another order are one page.
    client.get("/claims/?rating=false&topic=x")
    after = len(os.listdir(location))
    client.get("/claims/?topic=x&rating=false")
    assert len(os.listdir(location)) == after


def test_index_counts_and_filter_options_follow_publications(settings, commits, client, editor, reviewer,
                                                              django_assert_num_queries):
    settings.PUBLIC_DATA_CACHE = True  # the page cache stays off: only the scans over every claim are kept
    published_claim(actor=editor, approver=reviewer)
    client.get("/claims/")
    with django_assert_num_queries(1):  # the page of claims; no count, no scan for the filter options
        client.get("/claims/")
    pending = in_review_claim(actor=editor, claimant=ClaimantFactory(name="Newly Checked"))
    commits(workflow.approve, claim=pending, actor=reviewer, version=pending.version)
    response = client.get("/claims/")
    assert b"Newly Checked" in response.content
    assert response.context["page"].paginator.count == 2
