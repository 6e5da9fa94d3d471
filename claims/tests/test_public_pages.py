"""The public site's pages: what they show, in what order, how they filter and paginate, and what they cost."""

import datetime
import re

import pytest
from django.template import loader
from django.urls import reverse

from claims import workflow
from claims.models import Appearance, Claim, Evidence
from claims.tests.factories import (
    ClaimantFactory,
    SourceFactory,
    TopicFactory,
    in_review_claim,
    published_claim,
    rating,
    researching_claim,
)

pytestmark = pytest.mark.django_db


def correct(claim, *, editor, reviewer, rating_slug, note, summary="The revised figure changes the picture."):
    """Reopen a published claim and publish a replacement verdict: a correction."""
    claim = workflow.reopen(claim=claim, actor=reviewer, version=claim.version, reason="Revised statistics")
    workflow.propose_verdict(claim=claim, actor=editor, version=claim.version, rating=rating(rating_slug),
                             summary=summary, correction_note=note)
    claim.refresh_from_db()
    return workflow.approve(claim=claim, actor=reviewer, version=claim.version)


def html(response):
    return response.content.decode()


# ---------------------------------------------------------------------------------------------------------
# Home.


def test_home_lists_latest_published_newest_first_with_counts_by_rating(anonymous, editor, reviewer):
    older = published_claim(actor=editor, approver=reviewer, text="Older published claim")
    newer = published_claim(actor=editor, approver=reviewer, text="Newer published claim", rating_slug="true")
    in_review_claim(actor=editor, text="Claim still in review")

    page = html(anonymous.get("/"))

    assert page.index("Newer published claim") < page.index("Older published claim")
    assert "Claim still in review" not in page
    assert 'role="search"' in page and 'name="q"' in page
    # One False, one True, nothing else: the counts by rating link to the filtered index.
    assert re.search(r'href="/claims/\?rating=false">.*?False.*?>1<', page, re.S)
    assert re.search(r'href="/claims/\?rating=true">.*?True.*?>1<', page, re.S)
    assert "All 2 fact-checks" in page
    assert older.get_absolute_url() in page and newer.get_absolute_url() in page


def test_home_with_nothing_published_invites_a_tip(anonymous, editor):
    in_review_claim(actor=editor)
    page = html(anonymous.get("/"))
    assert "We have not published a fact-check yet" in page
    assert reverse("public:submit") in page


# ---------------------------------------------------------------------------------------------------------
# Index: search, filters that combine, chips, pagination, empty state.


@pytest.fixture
def spread(editor, reviewer):
    """Four published claims across two claimants, two topics, two ratings and two sources."""
    lavrov, rubio = ClaimantFactory(name="Sergey Lavrov", slug="lavrov"), ClaimantFactory(name="Marco Rubio",
                                                                                          slug="rubio")
    assets, summit = TopicFactory(name="Frozen assets", slug="assets"), TopicFactory(name="Summit", slug="summit")
    ft, blog = SourceFactory(title="FT commentary"), SourceFactory(title="Blog post")
    make = lambda text, claimant, topic, source, slug: published_claim(  # noqa: E731
        actor=editor, approver=reviewer, text=text, claimant=claimant, topics=[topic], source=source,
        rating_slug=slug,
    )
    return {
        "a": make("Assets total 300 billion euros", lavrov, assets, ft, "false"),
        "b": make("The summit was cancelled by Washington", lavrov, summit, blog, "mostly-true"),
        "c": make("Assets earn interest for Kyiv", rubio, assets, blog, "false"),
        "d": make("Rubio never spoke to Lavrov", rubio, summit, ft, "true"),
        "sources": (ft, blog),
    }


def texts(response):
    return [c.text for c in response.context["page"].object_list]


def test_index_lists_every_published_claim_newest_first(anonymous, spread):
    response = anonymous.get("/claims/")
    assert texts(response) == [spread[k].text for k in "dcba"]
    assert "4 fact-checks" in html(response)


@pytest.mark.parametrize(("query", "expected"), [
    ("rating=false", "ca"),
    ("claimant=lavrov", "ba"),
    ("topic=assets", "ca"),
    ("rating=false&claimant=lavrov", "a"),
    ("rating=false&topic=assets&claimant=rubio", "c"),
    ("topic=summit&rating=true", "d"),
    ("q=assets", None),
    ("q=assets&claimant=lavrov", "a"),
    ("rating=half-true", ""),
    # Not a rating, claimant or topic with a published fact-check: ignored (below), so the list is the whole.
    ("claimant=nobody-by-this-name", "dcba"),
    ("rating=bogus", "dcba"),
])
def test_index_filters_combine(anonymous, spread, query, expected):
    found = texts(anonymous.get(f"/claims/?{query}"))
    if expected is None:  # full-text: order by relevance, so compare as a set
        assert set(found) == {spread["a"].text, spread["c"].text}
    else:
        assert found == [spread[k].text for k in expected]


def test_index_filters_by_source(anonymous, spread):
    ft, _blog = spread["sources"]
    assert texts(anonymous.get(f"/claims/?source={ft.pk}")) == [spread["d"].text, spread["a"].text]
    page = html(anonymous.get(f"/claims/?source={ft.pk}"))
    assert "Source: <strong dir=\"auto\">FT commentary</strong>" in page


@pytest.mark.parametrize("value", ["abc", "-1", "1.5", "٣", "99999999999999999999999", "0"])
def test_index_source_filter_with_a_bad_value_matches_nothing(anonymous, spread, value):
    response = anonymous.get("/claims/", {"source": value})
    assert response.status_code == 200
    assert texts(response) == []
    assert "unknown source" in html(response)


def test_index_shows_each_active_filter_as_a_chip_that_removes_only_itself(anonymous, spread):
    page = html(anonymous.get("/claims/?q=assets&rating=false&claimant=lavrov&page=1"))
    chips = re.findall(r'<li class="chip">.*?href="([^"]*)"', page, re.S)
    assert len(chips) == 3
    removed = {href.replace("&amp;", "&") for href in chips}
    assert removed == {"?rating=false&claimant=lavrov", "?q=assets&claimant=lavrov", "?q=assets&rating=false"}
    assert "Search: <strong" in page and "Rating: <strong dir=\"auto\">False</strong>" in page
    assert "Claimant: <strong dir=\"auto\">Sergey Lavrov</strong>" in page
    assert 'href="/claims/">Clear all' in page


def test_index_without_filters_shows_no_chips(anonymous, spread):
    assert 'class="chip"' not in html(anonymous.get("/claims/"))


@pytest.mark.parametrize("query", ["rating=bogus", "claimant=nobody", "topic=<script>alert(1)</script>"])
def test_index_ignores_a_filter_nothing_published_has_and_shows_no_chip_for_it(anonymous, spread, query):
    page = html(anonymous.get(f"/claims/?{query}"))
    assert 'class="chip"' not in page
    assert "bogus" not in page and "nobody" not in page and "alert(1)" not in page
    assert "4 fact-checks" in page


def test_index_names_a_claimant_outside_the_menu_on_its_chip(anonymous, spread, monkeypatch):
    from claims.views import public as public_views

    monkeypatch.setattr(public_views, "FILTER_OPTIONS", 1)  # the menu holds Marco Rubio only (first by name)
    response = anonymous.get("/claims/?claimant=lavrov")
    assert "Claimant: <strong dir=\"auto\">Sergey Lavrov</strong>" in html(response)
    assert texts(response) == [spread["b"].text, spread["a"].text]


def test_index_empty_state_helps_the_reader(anonymous, spread):
    page = html(anonymous.get("/claims/?q=nothingmatchesthisword&rating=false"))
    assert "No fact-checks match all of these filters" in page
    assert "Remove a filter" in page
    assert reverse("public:submit") in page


def test_index_pages_by_cursor_with_a_total_order(anonymous, editor, reviewer, settings):
    claims = [published_claim(actor=editor, approver=reviewer, text=f"Numbered claim {n}") for n in range(23)]
    # Same publication instant for several: the id breaks the tie, so no claim shows twice or never.
    Claim.objects.filter(pk__in=[c.pk for c in claims[:10]]).update(published_at=claims[0].published_at)
    first = anonymous.get("/claims/?rating=false")
    older = first.context["page"].older
    assert older.startswith("/claims/?") and "before=" in older and "rating=false" in older  # filters kept
    second = anonymous.get(older)
    assert len(texts(first)) == 20 and len(texts(second)) == 3
    assert sorted(texts(first) + texts(second)) == sorted(c.text for c in claims)
    assert 'rel="next"' in html(first) and 'rel="prev"' not in html(first)
    assert 'rel="prev"' in html(second) and 'rel="next"' not in html(second)
    assert '<meta name="robots" content="noindex, follow">' in html(second)
    assert "23 fact-checks" in html(second)
    assert texts(anonymous.get(second.context["page"].newer)) == texts(first)


def test_a_page_number_still_answers_as_the_design_has_it(anonymous, editor, reviewer):
    claims = [published_claim(actor=editor, approver=reviewer, text=f"Numbered claim {n}") for n in range(23)]
    first, second = anonymous.get("/claims/"), anonymous.get("/claims/?page=2")
    assert len(texts(second)) == 3
    assert sorted(texts(first) + texts(second)) == sorted(c.text for c in claims)
    assert "Page 2 of 2" in html(second) and 'rel="prev"' in html(second)


@pytest.mark.parametrize("name", ["before", "after"])
@pytest.mark.parametrize("position", ["garbage", "12", "1.x", "1.2.3", "", "-99999999999999999.1", "x" * 500])
def test_a_bad_position_is_a_404(anonymous, spread, name, position):
    assert anonymous.get("/claims/", {name: position}).status_code == 404


def test_a_position_past_either_end_is_an_empty_page(anonymous, spread):
    for query in ({"before": "0.0"}, {"after": "99999999999999999.1"}):
        response = anonymous.get("/claims/", query)
        assert response.status_code == 200 and texts(response) == []


def test_a_claimants_page_pages_by_cursor_too(anonymous, editor, reviewer, monkeypatch):
    from claims.views import public as public_views

    monkeypatch.setattr(public_views, "PAGE_SIZE", 2)
    claimant = ClaimantFactory()
    claims = [published_claim(actor=editor, approver=reviewer, text=f"Claim {n}", claimant=claimant)
              for n in range(3)]
    first = anonymous.get(claims[0].claimant.get_absolute_url())
    second = anonymous.get(first.context["page"].older)
    assert len(texts(first)) == 2 and len(texts(second)) == 1
    assert sorted(texts(first) + texts(second)) == sorted(c.text for c in claims)


@pytest.mark.parametrize("page", ["0", "-3", "abc", "999", ""])
def test_index_with_an_odd_page_number_still_answers(anonymous, spread, page):
    assert anonymous.get("/claims/", {"page": page}).status_code == 200


def test_index_refuses_other_methods(anonymous):
    assert anonymous.post("/claims/").status_code == 405


def test_index_survives_a_huge_or_odd_query(anonymous, spread):
    assert anonymous.get("/claims/", {"q": "x" * 10_000}).status_code == 200
    assert anonymous.get("/claims/", {"q": "\"') OR 1=1 --"}).status_code == 200
    assert anonymous.get("/claims/", {"q": "الأصول المجمدة"}).status_code == 200


# ---------------------------------------------------------------------------------------------------------
# The fact-check page.


@pytest.fixture
def full_claim(editor, reviewer):
    """A published claim with claimant, source, quote, topics, evidence of every stance, and an appearance."""
    claimant = ClaimantFactory(name="Sergey Lavrov", slug="lavrov", description="Russian Foreign Minister",
                               same_as="https://en.wikipedia.org/wiki/Sergey_Lavrov")
    source = SourceFactory(title="Moscow briefing", url="https://news.example/briefing", outlet="Example News",
                           published_on=datetime.date(2025, 10, 22))
    claim = researching_claim(actor=editor, evidence=0, text="Assets total 300 billion euros", claimant=claimant,
                              source=source, quote="The assets total three hundred billion.",
                              claim_date=datetime.date(2025, 10, 21), topics=[TopicFactory(name="Frozen assets")])
    for title, stance in [("Euroclear results", "refutes"), ("Ministry statement", "supports"),
                          ("Background on sanctions", "context")]:
        workflow.add_evidence(claim=claim, actor=editor, version=claim.version, title=title, stance=stance,
                              url=f"https://evidence.example/{stance}", archived_url=f"https://archive.example/{stance}")
        claim.refresh_from_db()
    Appearance.objects.create(claim=claim, url="https://social.example/post/1", outlet="Social network",
                              seen_on=datetime.date(2025, 10, 23))
    workflow.propose_verdict(claim=claim, actor=editor, version=claim.version, rating=rating("false"),
                             summary="Euroclear holds about 185 billion euros.",
                             analysis="## Why\n\nThe **figure** is high.")
    claim.refresh_from_db()
    return workflow.approve(claim=claim, actor=reviewer, version=claim.version)


def test_claim_page_reads_in_the_newsroom_order(anonymous, full_claim):
    page = html(anonymous.get(full_claim.get_absolute_url()))
    order = [
        "Assets total 300 billion euros",           # 1. the claim
        'href="/claimants/lavrov/"',                # ... with the claimant linked
        "21 October 2025",                          # ... and when it was said
        "Verdict: </span>False",                    # 2. the badge, colour and text, at once
        "Euroclear holds about 185 billion euros.",  # ... with the one-line summary
        "The assets total three hundred billion.",  # 3. the quote
        'href="https://news.example/briefing"',     # ... with the source linked
        "22 October 2025",                          # ... and dated
        "<strong>figure</strong>",                  # 4. the analysis
        "Evidence that supports the claim",         # 5. evidence grouped by stance
        "Evidence that contradicts the claim",
        "Context",
        "Who checked it",                           # 6.
        "Where else the claim appeared",            # 7.
        "History of this fact-check",               # 8.
    ]
    positions = [page.index(marker, page.index("<main")) for marker in order]
    assert positions == sorted(positions)


def test_claim_page_links_evidence_and_archived_copies(anonymous, full_claim):
    page = html(anonymous.get(full_claim.get_absolute_url()))
    for stance in ("supports", "refutes", "context"):
        assert f'href="https://evidence.example/{stance}"' in page
        assert f'href="https://archive.example/{stance}"' in page
    assert 'href="https://social.example/post/1"' in page


def test_claim_page_says_who_checked_it(anonymous, full_claim):
    page = html(anonymous.get(full_claim.get_absolute_url()))
    checked = page[page.index("Who checked it"):page.index("Where else")]
    assert "Researched and written by" in checked and "Erin Editor" in checked
    assert "Reviewed and approved by" in checked and "Rita Reviewer" in checked


def test_claim_page_lists_every_approver_when_two_are_required(anonymous, editor, reviewer, other_reviewer, settings):
    settings.REQUIRED_APPROVALS = 2
    claim = in_review_claim(actor=editor)
    claim = workflow.approve(claim=claim, actor=reviewer, version=claim.version)
    claim = workflow.approve(claim=claim, actor=other_reviewer, version=claim.version)
    page = html(anonymous.get(claim.get_absolute_url()))
    checked = page[page.index("Who checked it"):page.index("History of")]
    assert "Rita Reviewer" in checked and "Remy Second" in checked


def test_claim_page_has_canonical_open_graph_and_twitter_meta(anonymous, full_claim, settings):
    page = html(anonymous.get(full_claim.get_absolute_url()))
    canonical = settings.SITE_URL + full_claim.get_absolute_url()
    assert f'<link rel="canonical" href="{canonical}">' in page
    assert f'<meta property="og:url" content="{canonical}">' in page
    assert '<meta property="og:title" content="Fact-check: Assets total 300 billion euros">' in page
    assert '<meta property="og:description" content="False: Euroclear holds about 185 billion euros.">' in page
    assert '<meta property="og:type" content="article">' in page
    assert '<meta name="twitter:card" content="summary_large_image">' in page
    image = re.search(r'<meta property="og:image" content="([^"]+)">', page)[1]
    assert image.startswith(f"{settings.SITE_URL}/claims/{full_claim.pk}/card.png?v=")
    assert '<meta property="og:image:width" content="1200">' in page
    assert '<meta property="og:image:height" content="630">' in page
    assert '<meta property="og:image:alt" content="False: “Assets total 300 billion euros”, Sergey Lavrov">' in page
    assert '<meta name="twitter:title" content="Fact-check: Assets total 300 billion euros">' in page


@pytest.mark.parametrize("slug", ["wrong-slug", "ASSETS", "%D8%A7%D9%84%D8%A3%D8%B5%D9%88%D9%84"])
def test_claim_page_with_a_wrong_slug_redirects_permanently_to_the_right_one(anonymous, full_claim, slug):
    response = anonymous.get(f"/claims/{full_claim.pk}/{slug}/")
    assert response.status_code == 301
    assert response["Location"] == full_claim.get_absolute_url()


def test_claim_page_without_a_slug_redirects(anonymous, full_claim):
    response = anonymous.get(f"/claims/{full_claim.pk}/")
    assert response.status_code == 301 and response["Location"] == full_claim.get_absolute_url()


def test_claim_page_for_an_unknown_id_is_404(anonymous):
    assert anonymous.get("/claims/999999/anything/").status_code == 404
    assert anonymous.get("/claims/99999999999999999999999/anything/").status_code == 404


def test_claim_page_of_a_claim_in_review_is_404_and_does_not_redirect(anonymous, editor):
    claim = in_review_claim(actor=editor)
    assert anonymous.get(claim.get_absolute_url()).status_code == 404
    assert anonymous.get(f"/claims/{claim.pk}/wrong/").status_code == 404


def test_withheld_evidence_shows_its_description_and_never_its_address(anonymous, editor, reviewer):
    claim = researching_claim(actor=editor, evidence=1)
    workflow.add_evidence(claim=claim, actor=editor, version=claim.version, title="Ministry insider account",
                          note="Confirms the meeting took place.", url="https://secret.example/insider",
                          archived_url="https://archive.example/insider", publisher="Insider Weekly",
                          withheld=True, withheld_reason="The source could be identified")
    claim.refresh_from_db()
    workflow.propose_verdict(claim=claim, actor=editor, version=claim.version, rating=rating("false"), summary="No.")
    claim.refresh_from_db()
    claim = workflow.approve(claim=claim, actor=reviewer, version=claim.version)

    page = html(anonymous.get(claim.get_absolute_url()))
    assert "Ministry insider account" in page and "Confirms the meeting took place." in page
    assert "Source withheld" in page
    for secret in ("secret.example", "archive.example/insider", "Insider Weekly", "could be identified"):
        assert secret not in page


def test_evidence_added_after_publication_waits_for_the_correction(anonymous, editor, reviewer):
    claim = published_claim(actor=editor, approver=reviewer)
    claim = workflow.reopen(claim=claim, actor=reviewer, version=claim.version, reason="New data")
    workflow.add_evidence(claim=claim, actor=editor, version=claim.version, title="Fresh research item",
                          url="https://evidence.example/fresh")
    page = html(anonymous.get(claim.get_absolute_url()))
    assert "Evidence 0" in page  # what the published verdict was signed off on
    assert "Fresh research item" not in page and "evidence.example/fresh" not in page


def test_corrected_claim_flags_the_correction_by_its_verdict_and_explains_it_before_the_analysis(
        anonymous, editor, reviewer):
    claim = published_claim(actor=editor, approver=reviewer, text="Assets total 300 billion euros")
    claim = correct(claim, editor=editor, reviewer=reviewer, rating_slug="mostly-false",
                    note="Eurostat revised the figure to 290 billion.")
    page = html(anonymous.get(claim.get_absolute_url()))
    main = page[page.index("<main"):]
    notice = main[main.index('class="correction-notice"'):main.index("</aside>")]
    assert "from <strong>False</strong> to <strong>Mostly false</strong>" in notice
    assert "Eurostat revised the figure to 290 billion." in notice
    event = claim.events.get(kind="corrected")
    assert event.at.strftime("%-d %B %Y") in notice
    # The verdict comes first (claim, badge, summary), flagged "Corrected" with a link down to the notice, which
    # comes straight after it, before the quote, the analysis and the evidence.
    verdict = main[main.index('class="verdict"'):main.index("</section>")]
    assert '<a class="flag flag--corrected" href="#correction-heading">Corrected <time' in verdict
    assert main.index("Assets total 300 billion euros") < main.index('class="verdict"') \
        < main.index("correction-notice") < main.index("Who checked it")
    assert "Corrected, now rated Mostly false" in main and "Published, rated False" in main


def test_uncorrected_claim_has_no_correction_notice(anonymous, full_claim):
    assert "correction-notice" not in html(anonymous.get(full_claim.get_absolute_url()))


def test_claim_with_unicode_and_rtl_text_renders(anonymous, editor, reviewer):
    claim = published_claim(actor=editor, approver=reviewer, text="الأصول الروسية المجمدة تبلغ ٣٠٠ مليار يورو")
    response = anonymous.get(claim.get_absolute_url())
    assert response.status_code == 200
    assert "الأصول الروسية المجمدة" in html(response)
    assert 'dir="auto"' in html(response)


# ---------------------------------------------------------------------------------------------------------
# Claimant, topic and source pages.


def test_claimant_topic_and_source_pages_list_only_their_public_claims(anonymous, spread, editor):
    lavrov = spread["a"].claimant
    in_review_claim(actor=editor, text="Lavrov claim still in review", claimant=lavrov)
    page = html(anonymous.get("/claimants/lavrov/"))
    assert "Assets total 300 billion euros" in page and "The summit was cancelled" in page
    assert "Assets earn interest" not in page and "still in review" not in page

    page = html(anonymous.get("/topics/assets/"))
    assert "Assets total 300" in page and "Assets earn interest" in page and "summit was cancelled" not in page

    ft, _ = spread["sources"]
    page = html(anonymous.get(f"/sources/{ft.pk}/"))
    assert "Assets total 300" in page and "Rubio never spoke" in page and "Assets earn interest" not in page


def test_claimant_topic_and_source_with_no_public_claim_are_404(anonymous, editor):
    claimant, topic, source = ClaimantFactory(slug="quiet"), TopicFactory(slug="quiet-topic"), SourceFactory()
    in_review_claim(actor=editor, claimant=claimant, topics=[topic], source=source)
    assert anonymous.get("/claimants/quiet/").status_code == 404
    assert anonymous.get("/topics/quiet-topic/").status_code == 404
    assert anonymous.get(f"/sources/{source.pk}/").status_code == 404
    assert anonymous.get("/claimants/never-existed/").status_code == 404
    assert anonymous.get("/sources/99999999/").status_code == 404


def test_claimant_page_links_same_as_only_when_it_is_a_web_address(anonymous, editor, reviewer):
    claimant = ClaimantFactory(slug="odd", same_as="javascript:alert(1)")
    published_claim(actor=editor, approver=reviewer, claimant=claimant)
    page = html(anonymous.get("/claimants/odd/"))
    assert "javascript:" not in page


# ---------------------------------------------------------------------------------------------------------
# Corrections, methodology, robots, error pages.


def test_corrections_log_lists_every_correction_newest_first(anonymous, editor, reviewer):
    first = published_claim(actor=editor, approver=reviewer, text="First corrected claim")
    second = published_claim(actor=editor, approver=reviewer, text="Second corrected claim")
    published_claim(actor=editor, approver=reviewer, text="Never corrected claim")
    correct(first, editor=editor, reviewer=reviewer, rating_slug="half-true", note="First correction note.")
    correct(second, editor=editor, reviewer=reviewer, rating_slug="true", note="Second correction note.")

    page = html(anonymous.get("/corrections/"))
    assert page.index("Second corrected claim") < page.index("First corrected claim")
    assert "Never corrected claim" not in page
    assert "from <strong>False</strong> to <strong>Half true</strong>" in page
    assert "First correction note." in page and "Second correction note." in page
    event = first.events.get(kind="corrected")
    assert f"{first.get_absolute_url()}#correction-{event.pk}" in page


def test_corrections_log_when_empty(anonymous, db):
    assert "We have not corrected any fact-check yet" in html(anonymous.get("/corrections/"))


def test_methodology_is_generated_from_the_rating_scale_and_settings(anonymous, settings):
    from claims.models import Rating

    Rating.objects.filter(slug="misleading").update(definition="A definition edited in the admin.")
    settings.REQUIRED_APPROVALS = 3
    page = html(anonymous.get("/methodology/"))
    for r in Rating.objects.all():
        assert r.label in page and f'id="rating-{r.slug}"' in page
    assert "A definition edited in the admin." in page
    assert "3 editors, none of whom wrote the fact-check" in page
    assert 'id="corrections"' in page and "Corrections policy" in page


def test_robots_txt_allows_the_public_site_and_points_to_the_sitemap(anonymous, settings):
    response = anonymous.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    body = response.content.decode()
    for path in ("/desk/", "/admin/", "/api/", "/accounts/"):
        assert f"Disallow: {path}" in body
    assert f"Sitemap: {settings.SITE_URL}/sitemap.xml" in body
    assert "Disallow: /\n" not in body


def test_unknown_page_is_a_friendly_404(anonymous, db):
    response = anonymous.get("/no-such-page/")
    assert response.status_code == 404
    assert "We can’t find that page" in html(response)
    assert 'name="q"' in html(response)


def test_500_page_renders_with_no_context_and_no_database(django_assert_num_queries):
    with django_assert_num_queries(0):
        page = loader.get_template("500.html").render()
    assert "Something went wrong on our side" in page
    assert "{%" not in page and "{{" not in page


# ---------------------------------------------------------------------------------------------------------
# Query counts: pinned, and the same whatever the number of claims, evidence and events.


def build(editor, reviewer, n):
    """``n`` published claims for one claimant, topic and source, each with ``n`` evidence items and
    appearances; the first corrected ``n`` - 1 times."""
    claimant, topic, source = ClaimantFactory(slug="pinned"), TopicFactory(slug="pinned"), SourceFactory()
    claims = []
    for i in range(n):
        claim = published_claim(actor=editor, approver=reviewer, evidence=n, claimant=claimant, topics=[topic],
                                source=source, text=f"Pinned claim {i}")
        for k in range(n):
            Appearance.objects.create(claim=claim, url=f"https://spread.example/{i}/{k}")
        claims.append(claim)
    first = claims[0]
    for k in range(n - 1):
        first = correct(first, editor=editor, reviewer=reviewer, rating_slug=["half-true", "false"][k % 2],
                        note=f"Correction {k}")
    assert Evidence.objects.filter(claim=first).count() == n
    return first, source


@pytest.mark.parametrize("n", [1, 4])
def test_query_counts_do_not_grow_with_content(anonymous, editor, reviewer, django_assert_num_queries, n):
    first, source = build(editor, reviewer, n)

    # ratings, counts by rating, latest claims (with claimant, source, verdict, rating), recent corrections
    with django_assert_num_queries(4):
        assert anonymous.get("/").status_code == 200
    # ratings, claimant options, topic options, count, page of claims
    with django_assert_num_queries(5):
        assert anonymous.get("/claims/?rating=false&claimant=pinned&topic=pinned").status_code == 200
    # the same, plus the source named in the filter
    with django_assert_num_queries(6):
        assert anonymous.get(f"/claims/?q=pinned&source={source.pk}").status_code == 200
    # claim (with claimant, source, verdict, rating), topics, appearances, evidence, public events, sign-offs,
    # the health of the links shown (linkcheck), others' reviews of it ("Also checked by", the reviews app), and
    # the related fact-checks: the claim's words' counts, similar claims, the claimant's, the topic's (after a
    # first visit: PostgreSQL's word statistics are read once, then kept in the cache)
    anonymous.get(first.get_absolute_url())
    with django_assert_num_queries(12):
        assert anonymous.get(first.get_absolute_url()).status_code == 200
    # the claimant (or topic, or source), count, page of claims
    with django_assert_num_queries(3):
        assert anonymous.get("/claimants/pinned/").status_code == 200
    with django_assert_num_queries(3):
        assert anonymous.get("/topics/pinned/").status_code == 200
    with django_assert_num_queries(3):
        assert anonymous.get(f"/sources/{source.pk}/").status_code == 200
    # count, page of corrections (with claim, claimant, verdict, rating and the rating each replaced);
    # with no correction at all (n = 1) the count is 0 and the page query is skipped
    with django_assert_num_queries(2 if n > 1 else 1):
        assert anonymous.get("/corrections/").status_code == 200
    # ratings
    with django_assert_num_queries(1):
        assert anonymous.get("/methodology/").status_code == 200
    # publications and corrections, each with claim, claimant, verdict, rating and the rating it replaced
    with django_assert_num_queries(1):
        assert anonymous.get("/feeds/latest/").status_code == 200
    # per section (pages needs none): a count and the items, for fact-checks, claimants, topics, sources
    with django_assert_num_queries(8):
        assert anonymous.get("/sitemap.xml").status_code == 200


def test_a_deep_page_of_search_results_reads_ids_first_and_keeps_the_order(client, editor, reviewer, settings,
                                                                          django_assert_num_queries):
    from claims.views import public as public_views

    settings.PUBLIC_DATA_CACHE = True
    claims = [published_claim(actor=editor, approver=reviewer, text=f"Deep claim {n}") for n in range(7)]
    original = public_views.PAGE_SIZE, public_views.DEFERRED_JOIN_AFTER
    public_views.PAGE_SIZE, public_views.DEFERRED_JOIN_AFTER = 2, 2
    try:
        client.get("/claims/?q=deep")  # fills the data cache: the count and the filter options
        # the page's ids (an index-only scan), then those rows with their joins
        with django_assert_num_queries(2):
            response = client.get("/claims/?q=deep&page=3")
    finally:
        public_views.PAGE_SIZE, public_views.DEFERRED_JOIN_AFTER = original
    newest_first = sorted(claims, key=lambda c: c.pk, reverse=True)  # equal ranks: the newest id first
    assert [c.pk for c in response.context["page"].object_list] == [c.pk for c in newest_first[4:6]]
