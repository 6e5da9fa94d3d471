"""What a reader meets on the public pages beyond the fact-check itself: related fact-checks, updated and
corrected flags on every card, search terms marked in results, the ratings panel, sharing, and sources."""

import datetime
import re

import pytest
from django.db import models

from claims import workflow
from claims.models import Claim
from claims.tests.factories import (
    ClaimantFactory,
    SourceFactory,
    TopicFactory,
    in_review_claim,
    published_claim,
    rating,
)

pytestmark = pytest.mark.django_db


def html(response):
    assert response.status_code == 200
    return response.content.decode()


def correct(claim, *, editor, reviewer, rating_slug="mostly-false"):
    claim = workflow.reopen(claim=claim, actor=reviewer, version=claim.version, reason="Revised statistics")
    workflow.propose_verdict(claim=claim, actor=editor, version=claim.version, rating=rating(rating_slug),
                             summary="The revised figure changes the picture.", correction_note="Revised.")
    claim.refresh_from_db()
    return workflow.approve(claim=claim, actor=reviewer, version=claim.version)


def update(claim, *, editor, reviewer, text):
    claim = workflow.edit_claim(claim=claim, actor=editor, version=claim.version, text=text)
    return workflow.approve_update(claim=claim, actor=reviewer, version=claim.version, note="Reworded.")


def related_of(anonymous, claim):
    page = html(anonymous.get(claim.get_absolute_url()))
    if 'class="related"' not in page:
        return []
    section = page[page.index('class="related"'):]
    section = section[:section.index("</section>")]
    return re.findall(r'class="related__claim" href="[^"]+" dir="auto">([^<]+)</a>', section)


# ---------------------------------------------------------------------------------------------------------
# Related fact-checks.


@pytest.fixture
def archive(editor, reviewer):
    lavrov, rubio = ClaimantFactory(name="Sergey Lavrov", slug="lavrov"), ClaimantFactory(name="Marco Rubio")
    assets, summit = TopicFactory(name="Frozen assets", slug="assets"), TopicFactory(name="Summit", slug="summit")
    make = lambda text, claimant, topics: published_claim(  # noqa: E731
        actor=editor, approver=reviewer, text=text, claimant=claimant, topics=topics)
    return {
        "main": make("Frozen Russian assets total 300 billion euros", lavrov, [assets]),
        "similar": make("Frozen Russian assets in Europe total 300 billion euros", rubio, []),
        "same claimant": make("Washington cancelled the Budapest summit", lavrov, [summit]),
        "same topic": make("Euroclear pays the interest to Kyiv", rubio, [assets]),
        "unrelated": make("The ministry answered every question", rubio, [summit]),
    }


def test_related_fact_checks_are_a_similar_claim_then_the_claimants_then_the_topics(anonymous, archive):
    assert related_of(anonymous, archive["main"]) == [
        archive["similar"].text, archive["same claimant"].text, archive["same topic"].text,
    ]


def test_related_fact_checks_are_public_only_and_never_the_claim_itself(anonymous, archive, editor):
    lavrov = archive["main"].claimant
    in_review_claim(actor=editor, text="Frozen Russian assets total 300 billion euros, in review", claimant=lavrov,
                    topics=list(archive["main"].topics.all()))
    related = related_of(anonymous, archive["main"])
    assert archive["main"].text not in related
    assert not any("in review" in text for text in related)


def test_related_fact_checks_stop_at_four(anonymous, archive, editor, reviewer):
    for n in range(5):
        published_claim(actor=editor, approver=reviewer, text=f"Lavrov said thing {n}",
                        claimant=archive["main"].claimant)
    assert len(related_of(anonymous, archive["main"])) == 4


def test_a_fact_check_with_nothing_related_shows_no_empty_section(anonymous, editor, reviewer):
    lone = published_claim(actor=editor, approver=reviewer, text="A claim about nothing else at all")
    assert 'class="related"' not in html(anonymous.get(lone.get_absolute_url()))


def test_related_is_a_queryset_verb_with_a_constant_cost(archive, editor, reviewer, django_assert_num_queries):
    main = Claim.objects.public_detail().get(pk=archive["main"].pk)
    Claim.objects.public().related_to(main)  # PostgreSQL reads its word statistics once, then keeps them cached
    # the words' counts, the similar claims, the claimant's, the topics'
    with django_assert_num_queries(4):
        before = Claim.objects.public().related_to(main)
    for n in range(6):
        published_claim(actor=editor, approver=reviewer, text=f"Frozen Russian assets claim {n}",
                        claimant=main.claimant, topics=list(main.topics.all()))
    with django_assert_num_queries(4):
        after = Claim.objects.public().related_to(main)
    assert len(before) == 3 and len(after) == 4
    # Each comes as a card: its verdict and claimant read with it.
    with django_assert_num_queries(0):
        assert all(other.published_verdict.rating.label and other.claimant.name for other in after)


# ---------------------------------------------------------------------------------------------------------
# Updated and corrected, on every card and list.


def test_updated_and_corrected_fact_checks_are_flagged_on_every_list(anonymous, editor, reviewer):
    claimant, topic = ClaimantFactory(slug="flagged"), TopicFactory(slug="flagged")
    source = SourceFactory(title="Flagged source")
    make = lambda text: published_claim(actor=editor, approver=reviewer, text=text,  # noqa: E731
                                        claimant=claimant, topics=[topic], source=source)
    corrected = correct(make("Corrected claim"), editor=editor, reviewer=reviewer)
    updated = update(make("Updated claim"), editor=editor, reviewer=reviewer, text="Updated claim, reworded")
    make("Untouched claim")
    corrected_at = corrected.events.get(kind="corrected").at.strftime("%-d %b %Y")
    updated_at = updated.events.get(kind="updated").at.strftime("%-d %b %Y")

    for path in ("/", "/claims/", "/claims/?q=claim", "/claimants/flagged/", "/topics/flagged/",
                 f"/sources/{source.pk}/"):
        page = html(anonymous.get(path))
        cards = {
            re.sub(r"</?mark>", "", title): body
            for title, body in re.findall(r'class="card__title"><a [^>]*>(.*?)</a>.*?class="card__byline">(.*?)</p>',
                                          page, re.S)
        }
        assert 'flag--corrected">Corrected <time' in cards["Corrected claim"] and corrected_at in cards[
            "Corrected claim"], path
        assert 'flag--updated">Updated <time' in cards["Updated claim, reworded"] and updated_at in cards[
            "Updated claim, reworded"], path
        assert "class=\"flag" not in cards["Untouched claim"], path


def test_the_latest_change_is_read_for_the_right_claim_inside_a_subquery(editor, reviewer):
    """with_last_change writes its subquery as SQL: the claim it correlates with must follow Django's alias for
    the claims table, which is another one when the cards are a subquery of a query on claims."""
    updated = update(published_claim(actor=editor, approver=reviewer, text="Changed once"), editor=editor,
                     reviewer=reviewer, text="Changed once, reworded")
    published_claim(actor=editor, approver=reviewer, text="Never changed")
    # Django names the inner claims table U0 here: a subquery tied to "claims_claim" would read each outer row's
    # changes instead, and find none for the unchanged claim.
    changed = Claim.objects.public().cards().filter(last_change="updated").values("pk")[:1]
    found = Claim.objects.annotate(changed=models.Subquery(changed)).values_list("changed", flat=True)
    assert list(found) == [updated.pk, updated.pk]
    assert [(c.pk, c.last_change) for c in Claim.objects.public().cards().order_by("pk")] == [
        (updated.pk, "updated"), (updated.pk + 1, None)]


def test_a_claim_corrected_then_updated_shows_its_latest_change(anonymous, editor, reviewer):
    claim = correct(published_claim(actor=editor, approver=reviewer, text="Changed twice"), editor=editor,
                    reviewer=reviewer)
    claim = update(claim, editor=editor, reviewer=reviewer, text="Changed twice, reworded")
    byline = re.search(r'class="card__byline">(.*?)</p>', html(anonymous.get("/claims/")), re.S)[1]
    assert "Updated" in byline and "Corrected" not in byline


# ---------------------------------------------------------------------------------------------------------
# Search terms marked in results.


def test_search_results_mark_the_words_searched_for(anonymous, editor, reviewer):
    published_claim(actor=editor, approver=reviewer, text="Frozen assets total 300 billion euros",
                    claimant=ClaimantFactory(name="Asset Manager"))
    page = html(anonymous.get("/claims/", {"q": "frozen asset"}))
    title = re.search(r'class="card__title"><a [^>]*>(.*?)</a>', page)[1]
    assert title == "<mark>Frozen</mark> <mark>assets</mark> total 300 billion euros"
    assert "<mark>Asset</mark> Manager" in page
    # Only results are marked: not the same card on a page without a search.
    assert "<mark>" not in html(anonymous.get("/claims/"))


@pytest.mark.parametrize("q", [
    "<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "amp", "&amp;", "mark", "</mark>",
    "a" * 500, "(((", "\\", "ascii* [x]",
])
def test_marking_escapes_hostile_text_and_queries(anonymous, editor, reviewer, q):
    published_claim(actor=editor, approver=reviewer,
                    text='Tom & Jerry <script>alert(1)</script> mark "amp"',
                    claimant=ClaimantFactory(name="<b>Bold</b> & Co"))
    page = html(anonymous.get("/claims/", {"q": q}))
    main = page[page.index("<main"):]
    assert "<script>alert(1)" not in main and "<img src=x" not in main and "<b>Bold" not in main
    assert re.sub(r"</?mark>", "", main).count("<mark") == 0  # every <mark> is closed and nothing else is
    escaped = "Tom &amp; Jerry &lt;script&gt;alert(1)&lt;/script&gt; mark &quot;amp&quot;"
    for title in re.findall(r'class="card__title"><a [^>]*>(.*?)</a>', main):
        assert re.sub(r"</?mark>", "", title) == escaped


def test_the_highlight_filter_never_splits_an_entity():
    from claims.templatetags.claims_tags import highlight

    assert str(highlight("Tom & Jerry", "amp")) == "Tom &amp; Jerry"
    assert str(highlight("x < y", "lt")) == "x &lt; y"
    assert str(highlight("Ünïcode Straße", "straße ünï")) == "<mark>Ünïcode</mark> <mark>Straße</mark>"


# ---------------------------------------------------------------------------------------------------------
# The front page's ratings panel; sources.


def test_the_ratings_panel_lists_only_ratings_in_use(anonymous, editor, reviewer):
    published_claim(actor=editor, approver=reviewer, text="One false claim")
    page = html(anonymous.get("/"))
    panel = page[page.index('id="ratings-heading"'):]
    panel = panel[:panel.index("</section>")]
    assert re.findall(r"\?rating=([\w-]+)", panel) == ["false"]
    assert ">0<" not in panel


def test_with_nothing_published_there_is_no_ratings_panel(anonymous, db):
    assert "ratings-heading" not in html(anonymous.get("/"))


@pytest.mark.parametrize(("outlet", "author", "published_on", "expected"), [
    ("Example News", "", datetime.date(2025, 10, 22), 'Example News · <time datetime="2025-10-22">22 October 2025'),
    ("", "", datetime.date(2025, 10, 22), '<p class="page-header__lede"><time datetime="2025-10-22">'),
    ("", "Ann Writer", None, '<p class="page-header__lede">by Ann Writer</p>'),
    ("Example News", "Ann Writer", None, '<p class="page-header__lede">Example News · by Ann Writer</p>'),
])
def test_a_source_page_shows_outlet_author_and_date_without_stray_separators(anonymous, editor, reviewer, outlet,
                                                                            author, published_on, expected):
    source = SourceFactory(title="A briefing", outlet=outlet, author=author, published_on=published_on,
                           url="https://news.example/briefing")
    published_claim(actor=editor, approver=reviewer, source=source)
    page = html(anonymous.get(source.get_absolute_url()))
    header = page[page.index('<header class="page-header">'):page.index("</header>", page.index("<main"))]
    assert expected in header
    assert not re.search(r"(>|^)\s*·|·\s*(<|$)", re.sub(r"<time[^>]*>|</time>", "", header.split("lede")[1]
                                                       .split("</p>")[0]))
    assert 'href="https://news.example/briefing"' in header


def test_a_source_without_outlet_author_or_date_has_no_empty_line(anonymous, editor, reviewer):
    source = SourceFactory(title="Bare source", outlet="", author="", published_on=None, url="")
    published_claim(actor=editor, approver=reviewer, source=source)
    page = html(anonymous.get(source.get_absolute_url()))
    assert '<p class="page-header__lede"></p>' not in page


# ---------------------------------------------------------------------------------------------------------
# Sharing without trackers.


def test_share_links_are_plain_links_with_no_third_party_script(anonymous, editor, reviewer, settings):
    claim = published_claim(actor=editor, approver=reviewer, text="Assets total 300 & more")
    page = html(anonymous.get(claim.get_absolute_url()))
    share = page[page.index('class="share"'):]
    share = share[:share.index("</section>")]
    url = f"{settings.SITE_URL}{claim.get_absolute_url()}"
    hrefs = re.findall(r'href="([^"]+)"', share)
    assert hrefs[0] == url  # "Copy link": the page itself, without JavaScript
    hosts = {re.match(r"(mailto:|https://[^/]+)", href.replace("&amp;", "&"))[1] for href in hrefs[1:]}
    assert hosts == {"mailto:", "https://x.com", "https://bsky.app", "https://www.facebook.com",
                     "https://www.linkedin.com", "https://wa.me"}
    for href in hrefs[1:]:
        assert "Assets%20total%20300%20%26%20more" in href or "Assets+total+300+%26+more" in href or \
            "facebook" in href or "linkedin" in href
    # Every script on the page is the site's own.
    assert all(src.startswith("/static/") for src in re.findall(r'<script[^>]* src="([^"]+)"', page))
    assert re.findall(r"<script(?![^>]*(?:src=|application/ld\+json))", page) == []


def test_related_fact_checks_are_kept_until_public_data_changes(anonymous, archive, editor, reviewer, settings,
                                                                django_capture_on_commit_callbacks):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.PUBLIC_DATA_CACHE, settings.PUBLIC_CACHE_SECONDS = True, 0
    cache.clear()
    main = archive["main"]
    first = related_of(anonymous, main)
    with CaptureQueriesContext(connection) as again:
        assert related_of(anonymous, main) == first
    with CaptureQueriesContext(connection) as fresh:
        cache.clear()
        related_of(anonymous, main)
    assert len(fresh) - len(again) >= 3  # the similar claims, the claimant's and the topics' were not read again
    with django_capture_on_commit_callbacks(execute=True):  # a publication changes public data
        newest = published_claim(actor=editor, approver=reviewer, text="Lavrov spoke of Euroclear again",
                                 claimant=main.claimant)
    assert newest.text in related_of(anonymous, main)
