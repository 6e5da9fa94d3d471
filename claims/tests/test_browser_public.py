"""The public site in a real browser (Debian's Chromium through Playwright): every page at phone and desktop
widths, with screenshots, axe-core's accessibility rules, keyboard focus, and the reader tip form.

Screenshots go to ``<tempdir>/public-screens/`` for a person to look at."""

import datetime
import tempfile
from pathlib import Path

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from claims import workflow
from claims.models import Appearance, Claim, Evidence
from claims.tests.factories import ClaimantFactory, SourceFactory, TopicFactory, rating, researching_claim

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

SCREENS = Path(tempfile.gettempdir()) / "public-screens"
WIDTHS = {"phone": 390, "desktop": 1280}


@pytest.fixture(autouse=True)
def _seeded(roles_and_ratings):
    """A live-server test flushes every table when it ends (conftest's roles_and_ratings seeds them again)."""


@pytest.fixture
def page_at(browser):
    contexts = []

    def open_page(width, height=900, **options):
        context = browser.new_context(viewport={"width": width, "height": height}, **options)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


def publish(claim, *, editor, reviewer, rating_slug, summary, analysis=""):
    workflow.propose_verdict(claim=claim, actor=editor, version=claim.version, rating=rating(rating_slug),
                             summary=summary, analysis=analysis)
    claim.refresh_from_db()
    return workflow.approve(claim=claim, actor=reviewer, version=claim.version)


@pytest.fixture
def newsroom(editor, reviewer):
    """A few fact-checks with everything a page can show: evidence of each stance (one withheld), an
    appearance, topics, a long claimant name, a correction, and right-to-left text."""
    lavrov = ClaimantFactory(name="Sergey Lavrov", slug="lavrov", description="Russian Foreign Minister",
                             same_as="https://en.wikipedia.org/wiki/Sergey_Lavrov")
    ministry = ClaimantFactory(name="Ministry of Foreign Affairs of the Russian Federation, press department",
                               slug="ministry", kind="organization")
    assets = TopicFactory(name="Frozen Russian assets", slug="assets")
    summit = TopicFactory(name="Budapest summit", slug="summit")
    source = SourceFactory(title="Briefing on the cancelled Budapest summit", outlet="Example News",
                           url="https://news.example/briefing", published_on=datetime.date(2025, 10, 22))

    main = researching_claim(actor=editor, evidence=0, text="Frozen Russian assets total €300bn in Europe",
                             claimant=lavrov, source=source, topics=[assets], claim_date=datetime.date(2025, 10, 21),
                             quote="Europe is sitting on three hundred billion euros of our money.")
    for title, stance, withheld in [
        ("Euroclear half-year results 2025", Evidence.Stance.REFUTES, False),
        ("Statement by the Russian central bank", Evidence.Stance.SUPPORTS, False),
        ("Account of a central-bank official", Evidence.Stance.REFUTES, True),
        ("How frozen reserves are counted", Evidence.Stance.CONTEXT, False),
    ]:
        workflow.add_evidence(claim=main, actor=editor, version=main.version, title=title, stance=stance,
                              url="https://evidence.example/" + title.split()[0].lower(),
                              archived_url="" if withheld else "https://archive.example/" + title.split()[0].lower(),
                              note="What this source shows about the total.", withheld=withheld,
                              withheld_reason="Protects an official" if withheld else "")
        main.refresh_from_db()
    Appearance.objects.create(claim=main, url="https://social.example/post/1", outlet="Telegram channel",
                              seen_on=datetime.date(2025, 10, 23))
    main = publish(main, editor=editor, reviewer=reviewer, rating_slug="false",
                   summary="Euroclear holds about €185bn of Russian central-bank assets; the €300bn figure counts "
                           "reserves held elsewhere too.",
                   analysis="## What the figures show\n\nEuroclear reports **€185bn**. The rest is spread across "
                            "several countries.\n\n- Euroclear: €185bn\n- Elsewhere: the remainder")
    main = workflow.reopen(claim=main, actor=reviewer, version=main.version, reason="New Euroclear report")
    workflow.propose_verdict(claim=main, actor=editor, version=main.version, rating=rating("mostly-false"),
                             summary="Only part of the €300bn sits in Europe.",
                             analysis="Euroclear’s new report counts **€194bn**.",
                             correction_note="Euroclear’s autumn report raised its figure; we changed the rating.")
    main.refresh_from_db()
    main = workflow.approve(claim=main, actor=reviewer, version=main.version)

    for n, (text, claimant, topic, slug) in enumerate([
        ("Washington cancelled the Budapest summit", lavrov, summit, "misleading"),
        ("The ministry answered every question about the summit", ministry, summit, "unsupported"),
        ("Rubio and Lavrov spoke by phone on 20 October", lavrov, summit, "true"),
        ("قال الوزير إن القمة أُلغيت بسبب واشنطن", ministry, summit, "half-true"),
    ]):
        claim = researching_claim(actor=editor, text=text, claimant=claimant, topics=[topic])
        publish(claim, editor=editor, reviewer=reviewer, rating_slug=slug, summary=f"Summary number {n}: what we "
                "found when we checked the claim against the record.")
    return main


def axe_problems(page):
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"] if v["impact"] in ("serious", "critical")
    ]


def test_pages_at_phone_and_desktop_widths_are_accessible(live_server, page_at, newsroom):
    SCREENS.mkdir(parents=True, exist_ok=True)
    pages = {
        "home": "/",
        "index-filtered": "/claims/?topic=summit",
        "factcheck": newsroom.get_absolute_url(),
        "corrections": "/corrections/",
        "methodology": "/methodology/",
        "submit": "/submit/",
        "claimant": "/claimants/lavrov/",
        "topic": "/topics/summit/",
        "source": f"/sources/{newsroom.source_id}/",
        "index-search": "/claims/?q=frozen+assets",
        "not-found": "/no-such-page/",
    }
    problems = {}
    for device, width in WIDTHS.items():
        page = page_at(width)
        for name, path in pages.items():
            response = page.goto(live_server.url + path)
            assert response.status == (404 if name == "not-found" else 200), path
            page.screenshot(path=SCREENS / f"{name}-{device}.png", full_page=True)
            found = axe_problems(page)
            if found:
                problems[f"{name} at {width}px"] = found
            # Nothing wider than the screen: no sideways scrolling on a phone.
            overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at {width}px"
    assert not problems, problems


def test_filtered_index_shows_the_filter_as_a_removable_chip(live_server, page_at, newsroom):
    page = page_at(390)
    page.goto(live_server.url + "/claims/?topic=summit&rating=true")
    assert page.locator(".chip").count() == 2
    assert page.locator(".card").count() == 1
    page.get_by_role("link", name="Remove rating filter: True").click()
    page.wait_for_url("**/claims/?topic=summit")
    assert page.locator(".card").count() == 4


def test_smallest_phone_width_does_not_scroll_sideways(live_server, page_at, newsroom):
    page = page_at(360)
    for path in ("/", newsroom.get_absolute_url(), "/claims/?topic=summit&rating=true&q=summit"):
        page.goto(live_server.url + path)
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, path


def test_keyboard_reaches_the_search_box_with_a_visible_focus(live_server, page_at, newsroom):
    page = page_at(1280)
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    skip = page.evaluate("document.activeElement.className")
    assert skip == "skip-link"
    assert page.evaluate("document.activeElement.getBoundingClientRect().left") >= 0  # shown on focus

    for _ in range(20):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.name") == "q":
            break
    else:
        pytest.fail("Tab never reached the search box")
    page.screenshot(path=SCREENS / "search-focus-desktop.png")
    style = page.evaluate(
        "(() => { const s = getComputedStyle(document.activeElement);"
        " return {outline: s.outlineStyle, width: parseFloat(s.outlineWidth), shadow: s.boxShadow}; })()"
    )
    assert (style["outline"] != "none" and style["width"] >= 2) or style["shadow"] != "none", style

    page.keyboard.type("Budapest")
    page.keyboard.press("Enter")
    page.wait_for_url("**/claims/?q=Budapest")
    assert page.locator(".card").count() >= 1


def test_tip_form_happy_path_and_rate_limit(live_server, page_at, settings):
    cache.clear()
    settings.READER_TIPS_PER_HOUR = 2
    page = page_at(390)
    page.goto(live_server.url + "/submit/")
    page.get_by_label("The claim you want us to check").fill("The mayor said crime fell by half in 2024")
    page.get_by_label("Where did you see it? (web address)").fill("https://social.example/post/7")
    page.get_by_label("Your e-mail (optional)").fill("reader@example.org")
    page.get_by_role("button", name="Send the claim").click()
    page.wait_for_url("**/submit/thanks/")
    assert page.get_by_role("heading", level=1).inner_text() == "Thank you: we have your tip"
    page.screenshot(path=SCREENS / "submit-thanks-phone.png", full_page=True)
    tip = Claim.objects.get()
    assert tip.is_reader_tip and tip.status == Claim.Status.NEW and tip.tipster_email == "reader@example.org"

    page.goto(live_server.url + "/submit/")
    page.get_by_label("The claim you want us to check").fill("A second tip")
    page.get_by_role("button", name="Send the claim").click()
    page.wait_for_url("**/submit/thanks/")

    page.goto(live_server.url + "/submit/")
    page.get_by_label("The claim you want us to check").fill("A third tip, one too many")
    with page.expect_response(lambda r: r.url.endswith("/submit/") and r.request.method == "POST") as answer:
        page.get_by_role("button", name="Send the claim").click()
    assert answer.value.status == 429
    assert "that is enough for now" in page.get_by_role("alert").inner_text()
    # What the reader typed is still there, to send again later.
    assert page.get_by_label("The claim you want us to check").input_value() == "A third tip, one too many"
    assert Claim.objects.count() == 2
    cache.clear()


def test_the_claim_and_verdict_are_above_the_fold_on_a_phone(live_server, page_at, newsroom):
    """At 390 × 844 (a common phone), the claim, who said it, the verdict badge and its summary all show before
    any scrolling, on the fullest page: topics, a long role, a correction."""
    page = page_at(390, 844)
    page.goto(live_server.url + newsroom.get_absolute_url())
    page.screenshot(path=SCREENS / "factcheck-fold-phone.png")
    for selector in (".factcheck__claim", ".factcheck__claimant", ".verdict .badge", ".verdict__summary", ".verdict"):
        box = page.locator(selector).bounding_box()
        assert box is not None and box["y"] >= 0, selector
        assert box["y"] + box["height"] <= 844, f"{selector} ends at {box['y'] + box['height']:.0f}px"
    # The analysis and the evidence come after it.
    verdict = page.locator(".verdict").bounding_box()
    assert page.locator("#analysis-heading").bounding_box()["y"] > verdict["y"] + verdict["height"]
    assert page.locator("#evidence-heading").bounding_box()["y"] > verdict["y"] + verdict["height"]


def test_copy_link_copies_the_pages_address(live_server, page_at, newsroom):
    page = page_at(1280, permissions=["clipboard-read", "clipboard-write"])
    page.goto(live_server.url + newsroom.get_absolute_url(), wait_until="load")  # share.js is deferred
    page.get_by_role("link", name="Copy link").click()
    # The message follows the clipboard's promise: waited for, not read at once (Chromium 156 resolves it after
    # the click returns, and the test failed every time there).
    expect(page.get_by_role("status").filter(has_text="Link copied")).to_be_visible()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.endswith(newsroom.get_absolute_url())
    assert page.url.endswith(newsroom.get_absolute_url())  # it did not navigate


def test_copy_link_without_javascript_is_a_link_to_the_page(live_server, page_at, newsroom):
    page = page_at(390, java_script_enabled=False)
    page.goto(live_server.url + newsroom.get_absolute_url())
    link = page.get_by_role("link", name="Copy link")
    assert link.get_attribute("href").endswith(newsroom.get_absolute_url())


def test_the_share_card_is_an_image_of_the_open_graph_size(live_server, page_at, newsroom):
    page = page_at(1280)
    page.goto(live_server.url + newsroom.get_absolute_url())
    image = page.locator('meta[property="og:image"]').get_attribute("content")
    path = image.split("://", 1)[1].split("/", 1)[1]
    page.goto(f"{live_server.url}/{path}")
    size = page.evaluate("[document.images[0].naturalWidth, document.images[0].naturalHeight]")
    assert size == [1200, 630]
    page.screenshot(path=SCREENS / "share-card.png")


def test_the_filter_panel_folds_away_on_a_phone_and_opens_on_a_desktop(live_server, page_at, newsroom):
    phone = page_at(390)
    phone.goto(live_server.url + "/claims/")
    assert not phone.get_by_label("Rating").is_visible()
    assert phone.get_by_label("Search").first.is_visible()
    phone.get_by_text("Filter by rating, who said it or topic").click()
    phone.get_by_label("Rating").select_option("true")
    phone.get_by_role("button", name="Show fact-checks").click()
    phone.wait_for_url("**/claims/?**rating=true**")
    assert phone.get_by_label("Rating").is_visible()  # open while a filter is on
    assert phone.locator(".card").count() == 1

    desktop = page_at(1280)
    desktop.goto(live_server.url + "/claims/")
    assert desktop.get_by_label("Rating").is_visible()


def test_a_printed_fact_check_drops_navigation_and_sharing_and_writes_out_links(live_server, page_at, newsroom):
    page = page_at(1280)
    page.goto(live_server.url + newsroom.get_absolute_url())
    page.emulate_media(media="print")
    page.screenshot(path=SCREENS / "factcheck-print.png", full_page=True)
    assert not page.locator(".share").is_visible() and not page.locator(".site-header .nav").is_visible()
    assert page.locator(".verdict").is_visible() and page.locator(".related").is_visible()
    after = page.evaluate("getComputedStyle(document.querySelector('.evidence a[href^=\"http\"]'), '::after').content")
    assert "https://evidence.example/" in after
