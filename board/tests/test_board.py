"""The board (/desk/board/): work in progress in columns by status, filtered and sorted, each column bounded
with a link to the rest, in a number of queries that does not grow with the archive."""

import datetime
import re

import pytest
from django.utils import timezone

from board import views
from claims import workflow
from claims.models import Claim
from claims.tests.factories import (
    ClaimantFactory,
    TopicFactory,
    UserFactory,
    in_review_claim,
    new_claim,
    published_claim,
    researching_claim,
)

pytestmark = pytest.mark.django_db

BOARD = "/desk/board/"


def column(response, status):
    [found] = [c for c in response.context["columns"] if c["status"] == status]
    return [claim.text for claim in found["cards"]]


def board(client, **params):
    response = client.get(BOARD, params)
    assert response.status_code == 200, response.content.decode()[:2000]
    return response


def test_columns_by_status_with_recently_published_and_no_closed(editor_client, editor, reviewer):
    new_claim(actor=editor, text="A new claim")
    researching_claim(actor=editor, text="Being researched")
    in_review_claim(actor=editor, text="Awaiting review")
    published_claim(actor=editor, approver=reviewer, text="Published one")
    closed = new_claim(actor=editor, text="Closed one")
    workflow.close(claim=closed, actor=reviewer, version=closed.version, reason="out_of_scope")
    response = board(editor_client)
    assert [c["title"] for c in response.context["columns"]] == ["New", "Researching", "In review",
                                                                 "Recently published"]
    assert column(response, "new") == ["A new claim"]
    assert column(response, "researching") == ["Being researched"]
    assert column(response, "in_review") == ["Awaiting review"]
    assert column(response, "published") == ["Published one"]
    assert "Closed one" not in response.content.decode()


def test_a_card_shows_assignee_age_and_a_due_recheck(editor_client, editor, reviewer):
    claim = published_claim(actor=editor, approver=reviewer, text="Due for a look")
    workflow.edit_claim(claim=claim, actor=editor, version=claim.version,
                        recheck_on=timezone.localdate() - datetime.timedelta(days=2))
    researching_claim(actor=editor, text="Erin has it")
    page = board(editor_client).content.decode()
    assert "With Erin Editor" in page
    assert "re-check overdue since" in page and "card--due" in page
    assert "captured <time" in page and "0\xa0minutes ago" in page


def test_filters_by_assignee_or_nobody(editor_client, editor, other_editor):
    researching_claim(actor=editor, text="Mine")
    theirs = new_claim(actor=other_editor, text="Theirs")
    workflow.start_research(claim=theirs, actor=other_editor, version=theirs.version)
    new_claim(actor=editor, text="Nobody's")
    assert column(board(editor_client, assignee=other_editor.pk), "researching") == ["Theirs"]
    response = board(editor_client, assignee="none")
    assert column(response, "new") == ["Nobody's"] and column(response, "researching") == []


def test_filters_by_topic_and_by_claimant_name_any_case(editor_client, editor):
    topic = TopicFactory(name="Budget", slug="budget")
    lavrov, other_lavrov = ClaimantFactory(name="Sergey Lavrov"), ClaimantFactory(name="Sergey Lavrov")
    new_claim(actor=editor, text="On the budget", topics=[topic])
    new_claim(actor=editor, text="First Lavrov", claimant=lavrov)
    new_claim(actor=editor, text="Second Lavrov", claimant=other_lavrov)
    assert column(board(editor_client, topic="budget"), "new") == ["On the budget"]
    # Everyone of that name: people share names.
    assert column(board(editor_client, claimant="sergey LAVROV"), "new") == ["Second Lavrov", "First Lavrov"]


def test_an_unknown_claimant_says_so(editor_client, editor):
    new_claim(actor=editor, text="Anything")
    response = board(editor_client, claimant="Nobody <b>Known</b>")
    page = response.content.decode()
    assert "No claimant in the register is named “Nobody &lt;b&gt;Known&lt;/b&gt;”" in page
    assert column(response, "new") == []


def test_filters_by_date_captured(editor_client, editor):
    old = new_claim(actor=editor, text="Captured in May")
    Claim.objects.filter(pk=old.pk).update(created_at=datetime.datetime(2025, 5, 3, 12, tzinfo=datetime.UTC))
    new_claim(actor=editor, text="Captured today")
    today = timezone.localdate().isoformat()
    assert column(board(editor_client, captured_to="2025-05-31"), "new") == ["Captured in May"]
    assert column(board(editor_client, captured_from=today), "new") == ["Captured today"]
    assert column(board(editor_client, captured_from="2025-05-03", captured_to="2025-05-03"), "new") == [
        "Captured in May"]


def test_sorts_the_work_columns(editor_client, editor):
    first = new_claim(actor=editor, text="Captured first")
    new_claim(actor=editor, text="Captured second")
    workflow.edit_claim(claim=first, actor=editor, version=first.version, quote="Touched last")
    assert column(board(editor_client), "new") == ["Captured first", "Captured second"]  # changed recently
    assert column(board(editor_client, sort="waiting"), "new") == ["Captured second", "Captured first"]
    assert column(board(editor_client, sort="oldest"), "new") == ["Captured first", "Captured second"]
    assert column(board(editor_client, sort="newest"), "new") == ["Captured second", "Captured first"]


@pytest.mark.parametrize("params, error", [
    ({"captured_from": "yesterday"}, "Enter a valid date."),
    ({"captured_from": "2025-06-01", "captured_to": "2025-05-01"}, "The end of the date range comes before"),
    ({"status": "closed"}, "Select a valid choice."),
    ({"sort": "random()"}, "Select a valid choice."),
    ({"assignee": "999999"}, "Select a valid choice."),
    ({"topic": "../etc"}, "Select a valid choice."),
    ({"page": "0"}, ""),
    ({"page": "99999999999999999999"}, ""),
    ({"claimant": "x" * 201}, "at most 200 characters"),
])
def test_bad_filters_are_a_400_that_says_why(editor_client, params, error):
    response = editor_client.get(BOARD, params)
    assert response.status_code == 400
    assert error in response.content.decode()
    assert response.context["columns"] == []


def test_columns_are_bounded_with_a_link_to_the_rest(editor_client, editor, monkeypatch):
    monkeypatch.setattr(views, "COLUMN_SIZE", 3)
    monkeypatch.setattr(views, "PAGE_SIZE", 4)
    for n in range(6):
        new_claim(actor=editor, text=f"Claim {n}")
    response = board(editor_client, sort="oldest")
    new = response.context["columns"][0]
    assert [c.text for c in new["cards"]] == ["Claim 0", "Claim 1", "Claim 2"] and new["more"]
    assert new["more_url"] == "/desk/board/?sort=oldest&status=new"
    assert 'href="/desk/board/?sort=oldest&amp;status=new"' in response.content.decode()
    # The column's own page, PAGE_SIZE at a time.
    first = board(editor_client, sort="oldest", status="new")
    assert [c["status"] for c in first.context["columns"]] == ["new"]
    assert column(first, "new") == ["Claim 0", "Claim 1", "Claim 2", "Claim 3"]
    second = board(editor_client, sort="oldest", status="new", page=2)
    assert column(second, "new") == ["Claim 4", "Claim 5"] and not second.context["columns"][0]["more"]
    assert 'rel="prev" href="/desk/board/?sort=oldest&amp;status=new"' in second.content.decode()


def test_claim_text_is_escaped(editor_client, editor):
    new_claim(actor=editor, text="<script>alert('board')</script>")
    page = board(editor_client).content.decode()
    assert "<script>alert(" not in page and "&lt;script&gt;alert(&#x27;board&#x27;)" in page


def test_anonymous_visitors_log_in_and_non_editors_are_refused(client, editor):
    new_claim(actor=editor, text="Secret work")
    assert client.get(BOARD)["Location"].startswith("/accounts/login/")
    client.force_login(UserFactory())
    response = client.get(BOARD)
    assert response.status_code == 403 and "Secret work" not in response.content.decode()


def test_every_card_has_a_labelled_checkbox_carrying_its_version(editor_client, editor):
    claim = new_claim(actor=editor)
    page = board(editor_client).content.decode()
    assert f'value="{claim.pk}:{claim.version}" form="bulk-form"' in page
    assert f"Select claim no. {claim.pk}" in page


def build(editor, reviewer, n):
    topic = TopicFactory(slug="budget")
    for i in range(n):
        new_claim(actor=editor, text=f"New {i}", topics=[topic])
        researching_claim(actor=editor, text=f"Research {i}", evidence=0)
        in_review_claim(actor=editor, text=f"Review {i}")
        published_claim(actor=editor, approver=reviewer, text=f"Published {i}")
    return topic


@pytest.mark.parametrize("n", [1, 8])
def test_the_board_queries_do_not_grow_with_the_archive(editor_client, editor, reviewer, n,
                                                        django_assert_num_queries, monkeypatch):
    monkeypatch.setattr(views, "COLUMN_SIZE", 5)
    build(editor, reviewer, n)
    # session, user, permissions (2), the assignee menu, the topic menu, and one query per column (4).
    with django_assert_num_queries(10):
        response = editor_client.get(BOARD)
    assert len(column(response, "new")) == min(n, 5)
    # Filtered by a claimant's name: one more, to find who has that name.
    name = Claim.objects.filter(status="new").first().claimant.name
    with django_assert_num_queries(11):
        editor_client.get(BOARD, {"claimant": name.upper(), "topic": "budget", "assignee": editor.pk,
                                  "captured_from": "2025-01-01", "sort": "oldest"})
    # One column's own page.
    with django_assert_num_queries(7):
        editor_client.get(BOARD, {"status": "published", "page": 2})


@pytest.mark.postgres
@pytest.mark.parametrize("sort, indexes", [
    ("changed", ("claim_status_updated", "claim_updated")),
    ("oldest", ("claim_status_created",)),
    ("published", ("claim_public_newest",)),
])
def test_each_column_is_read_in_order_from_an_index(editor, sort, indexes):
    """No column sorts its rows: each reads its first cards in an index's order and stops (at 100k claims each
    column query took under half a millisecond; docs/performance.md)."""
    from django.db import connection

    from board.forms import SORTS

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's plans; CI runs this file on PostgreSQL too")
    new_claim(actor=editor)
    status = "published" if sort == "published" else "researching"
    order = SORTS["changed" if sort == "published" else sort][0]
    sql, params = Claim.objects.board_column(status, order=order)[:13].query.sql_with_params()
    with connection.cursor() as cursor:
        # A test-sized table makes any plan cheap: ask whether an index *can* give the order.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    # An incremental sort (of ties on the first key, by id) reads in order too; a full sort would read all.
    assert not re.search(r"(^|->)\s*Sort\s+\(cost", plan, re.M), plan
    assert any(f"using {index} " in plan for index in indexes), plan
