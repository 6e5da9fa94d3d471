"""The reviewer history is append-only, and the database itself enforces it (a trigger on PostgreSQL and on
SQLite): no UPDATE or DELETE of claims_claimevent succeeds, even from raw SQL. The one allowed change is the
one deleting a user causes: actor set to NULL, nothing else touched, the actor's name kept."""

import datetime

import pytest
from django.db import DatabaseError, connection, transaction

from claims.models import Claim, ClaimEvent, Verdict

from .factories import EditorFactory, ReviewerFactory, new_claim, published_claim

TABLE = ClaimEvent._meta.db_table


@pytest.fixture
def event(editor):
    claim = new_claim(actor=editor)
    return ClaimEvent.objects.get(claim=claim)


def raw(sql, params=()):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def assert_refused(sql, params=()):
    with pytest.raises(DatabaseError) as info:
        raw(sql, params)
    assert "append-only" in str(info.value)


def test_raw_update_is_refused(event):
    assert_refused(f"UPDATE {TABLE} SET note = %s WHERE id = %s", ["rewritten", event.pk])
    event.refresh_from_db()
    assert event.note == ""


def test_raw_update_of_every_row_is_refused(event, editor):
    new_claim(actor=editor)
    assert_refused(f"UPDATE {TABLE} SET public = %s", [True])
    assert not ClaimEvent.objects.filter(public=True).exists()


def test_raw_delete_is_refused(event):
    assert_refused(f"DELETE FROM {TABLE} WHERE id = %s", [event.pk])
    assert ClaimEvent.objects.filter(pk=event.pk).exists()


def test_raw_delete_of_every_row_is_refused(event):
    assert_refused(f"DELETE FROM {TABLE}")
    assert ClaimEvent.objects.count() == 1


def test_orm_update_save_and_delete_are_refused(event):
    with pytest.raises(DatabaseError), transaction.atomic():
        ClaimEvent.objects.filter(pk=event.pk).update(kind=ClaimEvent.Kind.PUBLISHED)
    event.note = "rewritten"
    with pytest.raises(DatabaseError), transaction.atomic():
        event.save()
    with pytest.raises(DatabaseError), transaction.atomic():
        ClaimEvent.objects.filter(pk=event.pk).delete()
    event.refresh_from_db()
    assert (event.kind, event.note) == (ClaimEvent.Kind.CREATED, "")


def test_deleting_a_user_keeps_their_events_with_their_name(reviewer):
    leaver = EditorFactory(username="lee", first_name="Lee", last_name="Leaver")
    claim = published_claim(actor=leaver, approver=reviewer)
    theirs = set(ClaimEvent.objects.filter(actor=leaver).values_list("pk", flat=True))
    assert len(theirs) == 4  # created, assigned, evidence added, verdict proposed
    total = ClaimEvent.objects.count()

    leaver.delete()

    assert ClaimEvent.objects.count() == total
    kept = ClaimEvent.objects.filter(pk__in=theirs)
    assert {(e.actor_id, e.actor_name) for e in kept} == {(None, "Lee Leaver")}
    verdict = Verdict.objects.get(claim=claim)
    assert (verdict.proposed_by, verdict.proposed_by_name) == (None, "Lee Leaver")
    # The reviewer's own event is untouched.
    published = ClaimEvent.objects.get(claim=claim, kind=ClaimEvent.Kind.PUBLISHED)
    assert (published.actor, published.actor_name) == (reviewer, "Rita Reviewer")


def test_setting_the_actor_to_null_alone_is_allowed(event):
    raw(f"UPDATE {TABLE} SET actor_id = NULL WHERE id = %s", [event.pk])
    event.refresh_from_db()
    assert (event.actor_id, event.actor_name) == (None, "Erin Editor")


def test_setting_the_actor_to_someone_else_is_refused(event):
    someone = ReviewerFactory(username="someone")
    assert_refused(f"UPDATE {TABLE} SET actor_id = %s WHERE id = %s", [someone.pk, event.pk])


def test_giving_an_anonymous_event_an_actor_is_refused(event, editor):
    raw(f"UPDATE {TABLE} SET actor_id = NULL WHERE id = %s", [event.pk])
    assert_refused(f"UPDATE {TABLE} SET actor_id = %s WHERE id = %s", [editor.pk, event.pk])


def _other_values(editor, reviewer):
    """A different value for every column but id and actor, for an update that also nulls the actor."""
    other_claim = published_claim(actor=EditorFactory(), approver=reviewer)
    return {
        "claim": other_claim,
        "actor_name": "Someone else",
        "at": datetime.datetime(2001, 1, 1, tzinfo=datetime.UTC),
        "kind": ClaimEvent.Kind.CLOSED,
        "from_status": Claim.Status.CLOSED,
        "to_status": Claim.Status.CLOSED,
        "verdict": Verdict.objects.get(claim=other_claim),
        "note": "rewritten",
        "changes": {"text": ["before", "after"]},
        "public": True,
    }


def test_every_column_is_covered_by_the_test_below(editor, reviewer):
    # A column added to ClaimEvent must be added to _other_values (and the SQLite trigger recreated).
    columns = {f.name for f in ClaimEvent._meta.concrete_fields} - {"id", "actor"}
    assert columns == set(_other_values(editor, reviewer))


@pytest.mark.parametrize("field", ["claim", "actor_name", "at", "kind", "from_status", "to_status", "verdict",
                                   "note", "changes", "public"])
def test_nulling_the_actor_while_changing_another_column_is_refused(event, editor, reviewer, field):
    value = _other_values(editor, reviewer)[field]
    with pytest.raises(DatabaseError) as info, transaction.atomic():
        ClaimEvent.objects.filter(pk=event.pk).update(actor=None, **{field: value})
    assert "append-only" in str(info.value)
    event.refresh_from_db()
    assert event.actor == editor
    assert event.kind == ClaimEvent.Kind.CREATED


def test_raw_update_nulling_the_actor_and_rewriting_the_note_is_refused(event):
    assert_refused(f"UPDATE {TABLE} SET actor_id = NULL, note = %s WHERE id = %s", ["gone", event.pk])
