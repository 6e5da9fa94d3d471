"""The bounded load test: real HTTP from threads against the app under gunicorn and PostgreSQL, proving that no
update is lost (claims/loadtest.py). CI runs this short version; ``manage.py loadtest`` is the full 60 s run
with 16 clients (docs/robustness.md has its figures).

The gunicorn workers are other processes: they see this test's data only because the test commits it
(transaction=True) into the test database, whose name they are given in DATABASE_URL.
"""

import pytest
from django.db import connection

from claims import loadtest
from claims.models import Claim, ClaimEvent

from .servers import serve

needs_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the load test runs gunicorn against PostgreSQL; CI runs the slow suite with DATABASE_URL set",
)

DURATION = 8


@pytest.fixture
def plan():
    return loadtest.seed(editors=3, reviewers=2, work_claims=6, public_claims=3)


@pytest.fixture
def server(tmp_path):
    url = loadtest.database_url(connection.settings_dict)
    with serve(database_url=url, log_path=tmp_path / "gunicorn.log", workers=2, threads=4) as server:
        yield server


@pytest.mark.slow
@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_readers_editors_and_reviewers_lose_no_update(roles_and_ratings, plan, server, request, capsys):
    before = loadtest.snapshot(plan)
    loadtest.warm_up(server.url, plan, rounds=1)
    traffic = loadtest.Traffic(server.url, plan, readers=3, editors=3, reviewers=2, seed=7)
    outcomes = traffic.run(DURATION)
    report = loadtest.Report(outcomes=outcomes, checks=loadtest.verify(plan, before, outcomes),
                             duration=traffic.duration, description="CI load test")

    with capsys.disabled():  # the figures, in the test output
        request.config.pluginmanager.get_plugin("terminalreporter").write_line("\n" + report.text())
    assert report.ok, report.text()
    writes = [o for o in outcomes if o.is_write and o.ok]
    assert len(outcomes) > 100, report.text()
    assert {o.op for o in writes} >= {"edit", "add_evidence", "approve"}, report.text()
    # Three editors and two reviewers on six claims: some writes must have raced, and lost cleanly.
    assert report.conflicts[412] > 0, report.text()
    assert "Traceback" not in server.log()


@pytest.mark.django_db
def test_verify_catches_a_lost_update(plan):
    """The checks can fail: a successful write with no event, and a version written twice, are both caught."""
    before = loadtest.snapshot(plan)
    claim = Claim.objects.get(pk=plan["work_claims"][0])
    version = claim.version + 1
    lost = loadtest.Outcome(role="editor", client=0, op="edit", method="PATCH", path="/", started=0.0, latency=0.01,
                            status=200, claim=claim.pk, version=version, text="An edit the database never saw")
    twice = loadtest.Outcome(role="editor", client=1, op="edit", method="PATCH", path="/", started=0.1,
                             latency=0.01, status=200, claim=claim.pk, version=version, text="Same version again")

    failed = {check.name for check in loadtest.verify(plan, before, [lost, twice]) if not check.ok}

    assert "every successful write has exactly one ClaimEvent" in failed
    assert "versions only increase; final version = initial + successful writes" in failed
    assert "final state equals the replay of the successful writes" in failed
    assert ClaimEvent.objects.filter(claim=claim, id__gt=before["event_id"]).count() == 0


@pytest.mark.django_db
def test_verify_catches_a_server_error_and_a_failed_read(plan):
    before = loadtest.snapshot(plan)
    crash = loadtest.Outcome(role="reader", client=0, op="read", method="GET", path="/", started=0.0, latency=0.2,
                             status=500)
    refused = loadtest.Outcome(role="reader", client=0, op="read", method="GET", path="/", started=0.3,
                               latency=0.0, status=None, error="ConnectionRefusedError")

    failed = {check.name for check in loadtest.verify(plan, before, [crash, refused]) if not check.ok}

    assert failed == {"zero 5xx and zero failed connections", "every public read answered 200"}
