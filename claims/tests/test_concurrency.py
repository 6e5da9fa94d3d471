"""Two people act on the same claim at the same moment, from real threads with their own database connections:
exactly one wins, the other gets StaleVersion, and exactly one event is written.

PostgreSQL only: it is where row locks (SELECT … FOR UPDATE) decide the race. CI runs the slow suite on
PostgreSQL. On SQLite the IMMEDIATE transactions serialise writers instead, and the in-memory test database
is not shared between threads.
"""

import threading

import pytest
from django.db import connection

from claims import workflow
from claims.models import Claim, ClaimEvent
from claims.workflow import StaleVersion

from .factories import in_review_claim, new_claim, researching_claim

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row-lock races need PostgreSQL; CI runs the slow suite with DATABASE_URL set to PostgreSQL",
    ),
    pytest.mark.django_db(transaction=True),
]

ROUNDS = 5


@pytest.fixture(autouse=True)
def _seeded(roles_and_ratings):
    """Every test here commits for real (conftest's roles_and_ratings)."""


def race(*calls):
    """Run ``calls`` at once, each in its own thread and connection; return what each returned or raised."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=10)
            outcomes[index] = ("ok", call())
        except Exception as exc:  # the test inspects whatever happened
            outcomes[index] = ("error", exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads), "a thread is stuck (deadlock?)"
    return outcomes


def assert_one_winner(outcomes):
    winners = [value for kind, value in outcomes if kind == "ok"]
    losers = [value for kind, value in outcomes if kind == "error"]
    assert len(winners) == 1, outcomes
    assert len(losers) == len(outcomes) - 1, outcomes
    assert all(isinstance(exc, StaleVersion) for exc in losers), losers
    return winners[0], losers


def test_two_editors_saving_the_same_version_one_wins(editor, other_editor):
    for n in range(ROUNDS):
        claim = new_claim(actor=editor, text=f"Round {n}")
        version = claim.version
        outcomes = race(
            lambda claim=claim, version=version: workflow.edit_claim(claim=claim, actor=editor, version=version,
                                                                     text="Erin's"),
            lambda claim=claim, version=version: workflow.edit_claim(claim=claim, actor=other_editor,
                                                                     version=version, text="Otto's"),
        )
        winner, (loser,) = assert_one_winner(outcomes)
        saved = Claim.objects.get(pk=claim.pk)
        assert saved.version == version + 1
        assert saved.text == winner.text
        assert loser.current.version == version + 1
        assert loser.current.text == winner.text
        edits = ClaimEvent.objects.filter(claim=claim, kind=ClaimEvent.Kind.EDITED)
        assert edits.count() == 1
        assert edits.get().changes["text"] == [f"Round {n}", winner.text]


def test_two_reviewers_approving_at_once_publish_once(editor, reviewer, other_reviewer):
    for _ in range(ROUNDS):
        claim = Claim.objects.get(pk=in_review_claim(actor=editor).pk)
        outcomes = race(
            lambda claim=claim: workflow.approve(claim=claim, actor=reviewer, version=claim.version),
            lambda claim=claim: workflow.approve(claim=claim, actor=other_reviewer, version=claim.version),
        )
        assert_one_winner(outcomes)
        assert ClaimEvent.objects.filter(claim=claim, kind=ClaimEvent.Kind.PUBLISHED).count() == 1
        assert Claim.objects.get(pk=claim.pk).version == claim.version + 1


def test_many_editors_at_once_one_wins(editor):
    claim = new_claim(actor=editor)
    outcomes = race(*[
        lambda n=n: workflow.edit_claim(claim=claim, actor=editor, version=claim.version, text=f"Take {n}")
        for n in range(6)
    ])
    assert_one_winner(outcomes)
    assert ClaimEvent.objects.filter(claim=claim, kind=ClaimEvent.Kind.EDITED).count() == 1


def test_two_editors_adding_evidence_at_once_both_succeed(editor, other_editor):
    for n in range(ROUNDS):
        claim = Claim.objects.get(pk=researching_claim(actor=editor, evidence=0, text=f"Round {n}").pk)
        outcomes = race(
            lambda claim=claim: workflow.add_evidence(claim=claim, actor=editor, title="Erin's source"),
            lambda claim=claim: workflow.add_evidence(claim=claim, actor=other_editor, title="Otto's source"),
        )
        assert [kind for kind, _ in outcomes] == ["ok", "ok"], outcomes
        assert sorted(claim.evidence.values_list("title", flat=True)) == ["Erin's source", "Otto's source"]
        assert Claim.objects.get(pk=claim.pk).version == claim.version + 2
        assert ClaimEvent.objects.filter(claim=claim, kind=ClaimEvent.Kind.EVIDENCE_ADDED).count() == 2


def test_many_editors_adding_evidence_at_once_respect_the_limit(editor, settings):
    settings.MAX_EVIDENCE_PER_CLAIM = 3
    claim = Claim.objects.get(pk=researching_claim(actor=editor, evidence=0).pk)
    outcomes = race(*[lambda n=n: workflow.add_evidence(claim=claim, actor=editor, title=f"Source {n}")
                      for n in range(6)])
    assert [kind for kind, _ in outcomes].count("ok") == 3, outcomes
    assert {value.code for kind, value in outcomes if kind == "error"} == {"too_much_evidence"}
    assert claim.evidence.count() == 3


def test_two_editors_changing_the_same_evidence_at_once_one_wins(editor, other_editor):
    for _ in range(ROUNDS):
        claim = Claim.objects.get(pk=researching_claim(actor=editor).pk)
        item = claim.evidence.get()
        outcomes = race(*[
            lambda who=who, item=item, version=claim.version: workflow.change_evidence(
                evidence=item, actor=who, version=version, title=f"{who.username}'s")
            for who in (editor, other_editor)
        ])
        winner, _ = assert_one_winner(outcomes)
        item.refresh_from_db()
        assert item.title == winner.title
