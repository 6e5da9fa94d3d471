"""The dashboard: each queue with its count, the full list of one queue, and the search over all claims."""

import datetime
import importlib

import pytest
from django.urls import reverse
from django.utils import timezone

from claims import workflow
from claims.models import Claim

from .factories import in_review_claim, new_claim, published_claim, researching_claim

pytestmark = pytest.mark.django_db


def queue(response, slug):
    return next(q for q in response.context["queues"] if q.slug == slug)


def test_each_queue_lists_its_claims_with_a_count(reviewer_client, editor, reviewer, other_reviewer):
    mine = researching_claim(actor=reviewer, text="Assigned to the reviewer")
    awaiting = in_review_claim(actor=editor, text="Proposed by the editor")
    own = in_review_claim(actor=reviewer, text="Proposed by the reviewer")
    fresh = new_claim(actor=editor, text="A fresh claim")
    tip = workflow.create_claim(actor=None, text="A reader sent this in", is_reader_tip=True)
    published = published_claim(actor=editor, approver=other_reviewer, text="Published and due")
    published = workflow.edit_claim(claim=published, actor=editor, version=published.version,
                                    recheck_on=timezone.localdate() - datetime.timedelta(days=1))

    response = reviewer_client.get(reverse("desk:dashboard"))

    assert response.status_code == 200
    assert [c.pk for c in queue(response, "mine").rows] == [own.pk, mine.pk]  # last moved first
    assert queue(response, "mine").count == 2
    # Their own proposal is not awaiting their review: four eyes.
    assert [c.pk for c in queue(response, "review").rows] == [awaiting.pk]
    assert {c.pk for c in queue(response, "new").rows} == {fresh.pk, tip.pk}
    assert [c.pk for c in queue(response, "recheck").rows] == [published.pk]
    assert [c.pk for c in queue(response, "published").rows] == [published.pk]
    html = response.content.decode()
    assert "Reader tip" in html and "Unattributed" in html
    assert '<span class="count" aria-hidden="true">2</span><span class="visually-hidden">2 claims</span>' in html


def test_editors_have_no_review_queue(editor_client, editor):
    in_review_claim(actor=editor)
    response = editor_client.get(reverse("desk:dashboard"))
    assert "review" not in [q.slug for q in response.context["queues"]]
    assert "Awaiting my review" not in response.content.decode()


def test_a_long_queue_links_to_its_full_list(editor_client, editor):
    for n in range(10):
        new_claim(actor=editor, text=f"Claim number {n} about frozen assets")
    response = editor_client.get(reverse("desk:dashboard"))
    assert queue(response, "new").count == 10
    assert len(queue(response, "new").rows) == 8
    assert 'href="?queue=new"' in response.content.decode()

    full = editor_client.get(reverse("desk:dashboard"), {"queue": "new"})
    assert full.context["results"].paginator.count == 10
    assert "Claim number 9 about frozen assets" in full.content.decode()


def test_search_finds_claims_by_text_quote_and_claimant(editor_client, editor):
    by_text = new_claim(actor=editor, text="Euroclear holds most of the frozen reserves")
    by_quote = new_claim(actor=editor, text="A claim", quote="We will retaliate against Euroclear")
    other = new_claim(actor=editor, text="Nothing about that")
    response = editor_client.get(reverse("desk:dashboard"), {"q": "Euroclear"})
    found = {c.pk for c in response.context["results"]}
    assert {by_text.pk, by_quote.pk} <= found
    assert other.pk not in found

    by_status = editor_client.get(reverse("desk:dashboard"), {"status": "new"})
    assert by_status.context["results"].paginator.count == 3


def test_search_with_unicode_and_right_to_left_text(editor_client, editor):
    arabic = new_claim(actor=editor, text="الأصول الروسية المجمدة تبلغ 210 مليار يورو")
    response = editor_client.get(reverse("desk:dashboard"), {"q": "المجمدة"})
    assert [c.pk for c in response.context["results"]] == [arabic.pk]
    assert "الأصول الروسية المجمدة" in response.content.decode()


def test_search_ignores_an_unknown_status_and_escapes_the_query(editor_client, editor):
    new_claim(actor=editor)
    response = editor_client.get(reverse("desk:dashboard"), {"q": "<script>alert(1)</script>", "status": "bogus"})
    assert response.status_code == 200
    assert response.context["status"] == ""
    assert b"<script>alert(1)</script>" not in response.content
    assert b"&lt;script&gt;" in response.content


def build(editor, reviewer, n):
    """``n`` claims in every queue of ``reviewer``."""
    for i in range(n):
        researching_claim(actor=reviewer, text=f"Mine {i}")
        in_review_claim(actor=editor, text=f"Awaiting {i}")
        new_claim(actor=editor, text=f"New {i}")
        claim = published_claim(actor=editor, approver=reviewer, text=f"Published {i}")
        workflow.edit_claim(claim=claim, actor=editor, version=claim.version,
                            recheck_on=timezone.localdate() - datetime.timedelta(days=1))


@pytest.mark.parametrize("n", [1, 10])
def test_dashboard_queries_do_not_grow_with_the_claims(reviewer_client, editor, reviewer, n,
                                                       django_assert_num_queries):
    build(editor, reviewer, n)
    # session, user, the user's permissions and their groups' permissions (2),
    # then a count and a page of rows for each of the five queues (10).
    with django_assert_num_queries(14):
        response = reviewer_client.get(reverse("desk:dashboard"))
    assert all(q.count == n for q in response.context["queues"])


@pytest.mark.parametrize("n", [1, 10])
def test_search_queries_do_not_grow_with_the_claims(editor_client, editor, n, django_assert_num_queries):
    for i in range(n):
        new_claim(actor=editor, text=f"Frozen assets claim {i}")
    # session, user, permissions (2), the result count and the page of results.
    with django_assert_num_queries(6):
        response = editor_client.get(reverse("desk:dashboard"), {"q": "frozen"})
    assert response.context["results"].paginator.count == n == Claim.objects.count()


def test_a_long_queue_shows_a_capped_count_and_its_page_counts_in_full(editor_client, editor, monkeypatch,
                                                                        django_assert_num_queries):
    # The module (claims.views.desk exports its view function under the same name).
    monkeypatch.setattr(importlib.import_module("claims.views.desk.dashboard"), "COUNT_CAP", 3)
    for i in range(5):
        new_claim(actor=editor, text=f"New {i}")
    with django_assert_num_queries(12):  # as for a reviewer, less the review queue's two
        response = editor_client.get(reverse("desk:dashboard"))
    new = queue(response, "new")
    assert (new.count_label, new.capped, new.more) == ("3+", True, True)
    html = response.content.decode()
    assert ('<span class="count" aria-hidden="true">3+</span><span class="visually-hidden">more than 3 claims</span>'
            in html)
    assert "All 3+ in “New, including reader tips”" in html
    assert queue(response, "recheck").count_label == "0"
    full = editor_client.get(reverse("desk:dashboard"), {"queue": "new"})
    assert full.context["results"].paginator.count == 5


def test_the_recheck_queue_shows_the_most_overdue_first(reviewer_client, editor, reviewer):
    today = timezone.localdate()
    due = {}
    for days in (1, 30, 7):
        claim = published_claim(actor=editor, approver=reviewer, text=f"Due {days} days ago")
        due[days] = workflow.edit_claim(claim=claim, actor=editor, version=claim.version,
                                        recheck_on=today - datetime.timedelta(days=days))
    response = reviewer_client.get(reverse("desk:dashboard"))
    assert [c.pk for c in queue(response, "recheck").rows] == [due[30].pk, due[7].pk, due[1].pk]
