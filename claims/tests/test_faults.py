"""Database outages: the site answers 503 with a clear page, the API a JSON error, never a traceback; no write is
half-done; and service comes back by itself within 5 s of the database's return.

The unit tests at the top make the database fail inside one request (both backends). The slow test at the end
does it for real: its own PostgreSQL cluster (initdb in a temporary folder, its own port), gunicorn in front,
live traffic, and ``pg_ctl stop -m immediate`` in the middle of it.
"""

import json
import os
import secrets
import subprocess
import sys
import threading
import time
from unittest import mock

import pytest
from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.test import Client
from django.urls import Resolver404, resolve

from claims import loadtest
from claims.middleware import outage_page
from claims.models import ClaimEvent

from .factories import published_claim, researching_claim
from .servers import postgres_bindir, postgres_cluster, serve, wait_for

REFUSED = OperationalError('connection failed: connection to server at "127.0.0.1", port 5432 failed: '
                           "Connection refused")
OUTAGE_PAGE_TEXT = "We’ll be back in a moment"


def assert_outage_page(response):
    assert response.status_code == 503
    assert response["Content-Type"].startswith("text/html")
    assert response["Retry-After"] == "5"
    assert response["Cache-Control"] == "no-store"
    body = response.content.decode()
    assert OUTAGE_PAGE_TEXT in body
    assert "Traceback" not in body and "OperationalError" not in body and "5432" not in body


def assert_outage_json(response):
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert response["Retry-After"] == "5"
    body = response.json()
    assert body["code"] == "service_unavailable"
    assert "retry" in body["detail"]
    assert set(body) == {"code", "detail"}


# ---------------------------------------------------------------------------------------------------------
# The middleware, with one query made to fail.


@pytest.fixture
def public_claim(editor, reviewer):
    return published_claim(actor=editor, approver=reviewer)


def test_a_public_page_answers_503_with_the_outage_page(anonymous, public_claim, caplog):
    with mock.patch("claims.models.ClaimQuerySet.public", side_effect=REFUSED):
        response = anonymous.get(public_claim.get_absolute_url())
    assert_outage_page(response)
    assert any("database unavailable" in record.getMessage() for record in caplog.records)


def test_the_front_page_answers_503_when_the_pool_gives_up(anonymous, db):
    # psycopg_pool's PoolTimeout is a psycopg OperationalError; Django hands it on wrapped as its own.
    with mock.patch("claims.models.ClaimQuerySet.public", side_effect=OperationalError("couldn't get a connection "
                                                                                       "after 10.00 sec")):
        response = anonymous.get("/")
    assert_outage_page(response)


def test_an_anonymous_api_read_answers_503_json(api_client, public_claim):
    # DRF's exception handler leaves database errors alone (the view re-raises them) for the middleware.
    with mock.patch("claims.models.ClaimQuerySet.public", side_effect=REFUSED):
        response = api_client.get(f"/api/v1/claims/{public_claim.pk}/")
    assert_outage_json(response)


def test_an_api_write_answers_503_json_and_writes_nothing(api_client_with_token, editor):
    claim = researching_claim(actor=editor)
    events = ClaimEvent.objects.filter(claim=claim).count()
    with mock.patch("claims.workflow._commit", side_effect=InterfaceError("connection already closed")):
        response = api_client_with_token.patch(f"/api/v1/claims/{claim.pk}/", {"text": "Saved during the outage"},
                                               format="json", HTTP_IF_MATCH=f'"{claim.version}"')
    assert_outage_json(response)
    claim.refresh_from_db()
    assert claim.text != "Saved during the outage"
    assert ClaimEvent.objects.filter(claim=claim).count() == events


def test_a_desk_page_answers_503_with_the_outage_page(editor_client, editor):
    claim = researching_claim(actor=editor)
    with mock.patch("claims.models.ClaimQuerySet.for_claim_page", side_effect=REFUSED):
        response = editor_client.get(claim.get_desk_url())
    assert_outage_page(response)


def test_an_outage_outside_the_view_still_answers_503(settings, db):
    # Django turns an exception raised by a middleware into a 500 before any outer middleware sees it.
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, "claims.tests.test_faults.DatabaseDownMiddleware"]
    client = Client(raise_request_exception=False)
    assert_outage_page(client.get("/methodology/"))
    assert_outage_json(client.get("/api/v1/ratings/"))


def test_other_errors_are_still_500(settings, db):
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, "claims.tests.test_faults.BrokenMiddleware"]
    client = Client(raise_request_exception=False)
    response = client.get("/methodology/")
    assert response.status_code == 500
    assert OUTAGE_PAGE_TEXT not in response.content.decode()


def test_the_outage_page_needs_no_database(django_assert_num_queries, db):
    with django_assert_num_queries(0):  # no query at all: the database is down
        page = outage_page()
    assert OUTAGE_PAGE_TEXT in page
    assert settings.ORGANIZATION_NAME in page
    assert 'href="/static/css/base.css"' in page


def test_a_healthy_request_passes_untouched(anonymous, public_claim):
    response = anonymous.get(public_claim.get_absolute_url())
    assert response.status_code == 200
    assert "Retry-After" not in response


def test_once_the_database_is_known_down_requests_answer_503_at_once(anonymous, api_client, public_claim,
                                                                    django_assert_num_queries):
    from claims.middleware import breaker

    with mock.patch("claims.models.ClaimQuerySet.public", side_effect=REFUSED):
        assert_outage_page(anonymous.get(public_claim.get_absolute_url()))
    # The breaker is open: no request waits for the database, not even to look up a session.
    with django_assert_num_queries(0):
        assert_outage_page(anonymous.get("/"))
        assert_outage_json(api_client.get("/api/v1/claims/"))
        # /healthz needs no database and is never held back.
        assert anonymous.get("/healthz").status_code == 200
    # After BREAKER_OPEN_SECONDS one request tries again; its success closes the breaker for everyone.
    breaker._open_until = time.monotonic() - 0.01
    assert anonymous.get(public_claim.get_absolute_url()).status_code == 200
    assert not breaker.is_open
    assert anonymous.get("/").status_code == 200


def test_a_failed_trial_keeps_the_breaker_open(anonymous, public_claim):
    from claims.middleware import breaker

    breaker.failed()
    breaker._open_until = time.monotonic() - 0.01
    with mock.patch("claims.models.ClaimQuerySet.public", side_effect=REFUSED):
        assert_outage_page(anonymous.get(public_claim.get_absolute_url()))
    assert breaker.is_open
    assert_outage_page(anonymous.get(public_claim.get_absolute_url()))  # at once, without the mock


class DatabaseDownMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        raise OperationalError("server closed the connection unexpectedly")


class BrokenMiddleware(DatabaseDownMiddleware):
    def __call__(self, request):
        raise RuntimeError("a bug, not an outage")


# ---------------------------------------------------------------------------------------------------------
# A real outage: a throwaway PostgreSQL cluster stopped in the middle of traffic.

BINDIR = postgres_bindir()
RECOVERY_LIMIT = 5.0
OUTAGE_SECONDS = 20
HEALTHZ_LIMIT = 1.0
SEED = ("import json, sys, django; django.setup(); from claims.loadtest import seed; "
        "json.dump(seed(editors=3, reviewers=2, work_claims=6, public_claims=3), open(sys.argv[1], 'w'))")


def readiness_path():
    for path in ("/readyz", "/readyz/"):
        try:
            resolve(path)
            return path
        except Resolver404:
            continue
    return "/"


def answers(url, path):
    client = loadtest.Http(url, timeout=15)
    try:
        status, _, _ = client.request("GET", path)
    except OSError:
        return False
    finally:
        client.close()
    return status == 200


def manage(cluster, *args):
    env = {**os.environ, "DATABASE_URL": cluster.url, "SECRET_KEY": secrets.token_urlsafe(16), "DEBUG": "0",
           "DJANGO_SETTINGS_MODULE": "factcheck.settings"}
    return subprocess.run([sys.executable, *args], cwd=settings.BASE_DIR, env=env, check=True, capture_output=True,
                          text=True, timeout=300)


def outages(outcomes, *, api):
    return [o for o in outcomes if o.status == 503 and o.path.startswith("/api/") == api]


@pytest.mark.slow
@pytest.mark.skipif(BINDIR is None, reason="PostgreSQL's server binaries (initdb, pg_ctl) are not installed: "
                                           "apt-get install postgresql")
def test_a_database_outage_mid_traffic(tmp_path, request, capsys):
    with postgres_cluster(BINDIR) as cluster:
        manage(cluster, "manage.py", "migrate", "--noinput", "-v", "0")
        manage(cluster, "-c", SEED, str(tmp_path / "plan.json"))
        plan = json.loads((tmp_path / "plan.json").read_text())
        with cluster.connect() as db:
            first_new_event = db.execute("SELECT coalesce(max(id), 0) + 1 FROM claims_claimevent").fetchone()[0]

        with serve(database_url=cluster.url, log_path=tmp_path / "gunicorn.log") as server:
            loadtest.warm_up(server.url, plan, rounds=1)
            # 16 clients, as in the measurement: 8 readers, 6 editors and 2 reviewers.
            traffic = loadtest.Traffic(server.url, plan, readers=8, editors=6, reviewers=2, seed=3)
            probes = HealthProbe(server.url)
            traffic.start(duration=120)
            probes.start()
            try:
                time.sleep(3)
                cluster.stop("immediate")
                down_at = traffic.now()
                seen = wait_for(lambda: outages(traffic.outcomes, api=False) and outages(traffic.outcomes, api=True),
                                timeout=45)
                # Hold the outage for OUTAGE_SECONDS in all, as an orchestrator's probes would see it.
                time.sleep(max(0.0, OUTAGE_SECONDS - (traffic.now() - down_at)))
                cluster.start()
                up_at = traffic.now()
                path = readiness_path()
                recovery = wait_for(lambda: answers(server.url, path) and answers(server.url, "/api/v1/claims/"),
                                    timeout=RECOVERY_LIMIT * 3)
                time.sleep(3)
            finally:
                probes.stop()
                traffic.stop()
                outcomes = traffic.join()
            server_log = server.log()

        assert seen is not None, "no 503 page and API error while the database was down"
        assert recovery is not None and recovery <= RECOVERY_LIMIT, f"recovered after {recovery} s"
        assert_outage_answers(outcomes)
        assert "Traceback" not in server_log, server_log[server_log.index("Traceback") - 2000:][:6000]
        health = probes.during(traffic, down_at, up_at)
        assert health and all(status == 200 for status, _ in health), health
        # The probes that arrive while every thread still waits its first pool timeout (1 s) wait with them.
        assert max(latency for _, latency in health) < HEALTHZ_LIMIT + 0.5, health
        fast = [o.latency for o in outcomes if o.status == 503 and o.started > down_at + settings.DATABASES[
            "default"].get("OPTIONS", {}).get("pool", {}).get("timeout", 3) + 1]
        assert fast and loadtest.percentile(fast, 99) < HEALTHZ_LIMIT, "the breaker did not answer 503 at once"
        after = [o for o in outcomes if o.started > up_at + recovery]
        assert any(o.is_write and o.ok for o in after), "no successful write after the database came back"
        failed = [(o.op, o.method, o.path, o.status, round(o.started - up_at, 2))
                  for o in after if o.started > up_at + recovery + 1 and not (o.ok or o.status in (409, 412))]
        assert not failed, f"recovered in {recovery:.2f} s; failed (op, method, path, status, s after up): {failed}"
        assert_nothing_half_done(cluster, outcomes, first_new_event)
        with capsys.disabled():
            report(request, outcomes, down_at=down_at, up_at=up_at, recovery=recovery, health=health)


class HealthProbe:
    """An orchestrator's liveness probe: GET /healthz every 0.25 s, each on a new connection, timing each."""

    def __init__(self, url):
        self.url, self.results = url, []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._clock = time.monotonic

    def start(self):
        self._thread.start()

    def stop(self):
        self._stop.set()
        self._thread.join(timeout=20)

    def _run(self):
        while not self._stop.is_set():
            client = loadtest.Http(self.url, timeout=15)
            started = self._clock()
            try:
                status, _, _ = client.request("GET", "/healthz")
            except OSError:
                status = None
            finally:
                client.close()
            self.results.append((started, status, self._clock() - started))
            self._stop.wait(0.25)

    def during(self, traffic, down_at, up_at):
        # Traffic.now() counts from the traffic's start on the same monotonic clock.
        offset = traffic._started
        return [(status, latency) for started, status, latency in self.results
                if down_at <= started - offset < up_at]


def report(request, outcomes, *, down_at, up_at, recovery, health):
    """The figures, in the test output (docs/robustness.md quotes them)."""
    during = [o for o in outcomes if down_at <= o.started < up_at]
    answered = [o.latency for o in outcomes if o.status == 503]
    latencies = [latency for _, latency in health]
    terminal = request.config.pluginmanager.get_plugin("terminalreporter")
    terminal.write_line(
        f"\nfault test: {len(outcomes)} requests from 16 clients; database down {up_at - down_at:.1f} s; "
        f"{len(outages(outcomes, api=False))} pages and {len(outages(outcomes, api=True))} API calls answered 503 "
        f"(p50 {loadtest.percentile(answered, 50) * 1000:.0f} ms, p99 {loadtest.percentile(answered, 99) * 1000:.0f} "
        f"ms, max {max(answered, default=0) * 1000:.0f} ms); {len(during)} requests started during the outage; "
        f"/healthz {len(health)} probes during the outage, p99 {loadtest.percentile(latencies, 99) * 1000:.0f} ms, "
        f"max {max(latencies, default=0) * 1000:.0f} ms; "
        f"recovered {recovery:.2f} s after the database was back; 0 × 500"
    )


def assert_outage_answers(outcomes):
    """Every failure is a clean 503 page or JSON error: no 500, no traceback, no dropped connection."""
    assert all(o.status is not None for o in outcomes), [o.error for o in outcomes if o.status is None][:3]
    assert not [o for o in outcomes if o.status >= 500 and o.status != 503]
    pages, api = outages(outcomes, api=False), outages(outcomes, api=True)
    for o in pages:
        assert o.content_type.startswith("text/html") and OUTAGE_PAGE_TEXT in o.body and o.retry_after, o
    for o in api:
        assert o.content_type == "application/json" and o.retry_after, o
        assert json.loads(o.body)["code"] == "service_unavailable"
    assert not any("Traceback" in o.body for o in outcomes)


def assert_nothing_half_done(cluster, outcomes, first_new_event):
    with cluster.connect() as db:
        # Each operation bumps the version once and writes one event, or does neither.
        torn = db.execute("""
            SELECT c.id, c.version, count(e.id) FROM claims_claim c
            LEFT JOIN claims_claimevent e ON e.claim_id = c.id
            GROUP BY c.id, c.version HAVING c.version <> count(e.id)""").fetchall()
        assert torn == []
        stray_status = db.execute("""
            SELECT c.id FROM claims_claim c WHERE c.status <> (
                SELECT e.to_status FROM claims_claimevent e WHERE e.claim_id = c.id ORDER BY e.id DESC LIMIT 1)
        """).fetchall()
        assert stray_status == []
        orphan_evidence = db.execute("""
            SELECT ev.id FROM claims_evidence ev WHERE NOT EXISTS (
                SELECT 1 FROM claims_claimevent e WHERE e.claim_id = ev.claim_id AND e.kind = 'evidence_added'
                AND (e.changes -> 'evidence' -> 1 ->> 'id')::bigint = ev.id)""").fetchall()
        assert orphan_evidence == []
        orphan_verdicts = db.execute("""
            SELECT v.id FROM claims_verdict v WHERE NOT EXISTS (
                SELECT 1 FROM claims_claimevent e WHERE e.verdict_id = v.id AND e.kind = 'verdict_proposed')
        """).fetchall()
        assert orphan_verdicts == []
        # Every write the clients saw succeed is in the history (a write whose answer was lost to the outage
        # may be there too, which is why this is ≤ and not =).
        written = db.execute("""
            SELECT claim_id, kind, count(*) FROM claims_claimevent WHERE id >= %s GROUP BY claim_id, kind""",
                             [first_new_event]).fetchall()
    events = {}
    for claim, kind, count in written:
        family = loadtest.EVENT_FAMILY.get(kind, kind)
        events[(claim, family)] = events.get((claim, family), 0) + count
    succeeded = {}
    for o in outcomes:
        if o.is_write and o.ok:
            key = (o.claim, loadtest.WRITE_EVENT[o.op])
            succeeded[key] = succeeded.get(key, 0) + 1
    assert all(events.get(key, 0) >= count for key, count in succeeded.items()), (succeeded, events)
    assert sum(succeeded.values()) > 0
