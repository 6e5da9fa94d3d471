"""The desk in a real browser (Debian's Chromium, driven by Playwright, against a live server).

The journey: an editor logs in, captures a claim from a source, adds two evidence items and proposes a
verdict, and is not offered the approve button; a reviewer, in a second browser, approves it and the claim
is published. Then two editors edit the same claim at once, and the second sees the conflict instead of
silently overwriting the first. Each page visited is saved as a screenshot at 1280 and 390 pixels wide in
``<tmp>/desk-screens``.
"""

import pytest
from playwright.sync_api import expect

from claims import workflow
from claims.models import Claim, Rating

from .browser import new_context, screenshot
from .factories import ClaimantFactory, SourceFactory

# roles_and_ratings before the personas: they join groups that an earlier live-server test's flush removed.
pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("roles_and_ratings")]

PASSWORD = "correct horse battery staple"
ARTICLE = (
    "Lavrov’s last tango\n\n"
    "The Russian foreign minister told reporters that “there is no legal way to seize our assets”, "
    "and warned that Moscow would retaliate against any country that tried.\n\n"
    "About €210bn of Russian central-bank reserves are frozen in the EU, most of it at Euroclear."
)
QUOTE = "there is no legal way to seize our assets"


def log_in(context, username, shot=None):
    page = context.new_page()
    page.goto("/desk/")
    expect(page.get_by_role("heading", name="Log in to the desk")).to_be_visible()
    if shot:
        screenshot(page, shot)
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="The desk")).to_be_visible()
    return page


def test_an_editor_captures_and_a_reviewer_publishes(browser, live_server, people):
    source = SourceFactory(title="Lavrov’s last tango", outlet="The Bell", text=ARTICLE)
    editor = new_context(browser, live_server.url)
    page = log_in(editor, "erin", shot="01-login")
    screenshot(page, "02-dashboard-editor")

    # From the source to the capture form, with the source already chosen.
    page.get_by_role("navigation", name="Desk").get_by_role("link", name="Sources").click()
    screenshot(page, "03-sources")
    page.get_by_role("link", name="Lavrov’s last tango").click()
    screenshot(page, "04-source")
    page.get_by_role("link", name="Capture a claim from this source").first.click()
    expect(page.get_by_label("Source", exact=True)).to_have_value(str(source.pk))

    text = page.get_by_label("Claim text")
    text.fill("Russia says there is no legal way to seize its frozen central-bank assets abroad")
    expect(page.locator("#claim-text_length")).to_contain_text("past the 75")
    page.get_by_label("Quote").fill(QUOTE)
    page.get_by_label("…or a new claimant’s name").fill("Sergey Lavrov")
    page.get_by_label("New claimant’s description").fill("Russian Foreign Minister")
    page.get_by_label("Claim date").fill("2025-10-22")
    screenshot(page, "05-capture")
    page.get_by_role("button", name="Capture the claim").click()
    expect(page.locator(".messages")).to_contain_text("captured")
    claim = Claim.objects.get()
    assert (claim.claimant.name, claim.source, claim.quote_start) == ("Sergey Lavrov", source, ARTICLE.index(QUOTE))
    screenshot(page, "06-claim-new")

    page.get_by_role("button", name="Start research").click()
    expect(page.locator(".messages")).to_contain_text("Research has started")

    # Two evidence items; the second withheld, with its reason.
    page.locator("#evidence-title").fill("Euroclear half-year results 2025")
    page.locator("#evidence-url").fill("https://www.euroclear.com/newsandinsights/press/2025/results.html")
    page.get_by_label("Refutes").check()
    page.get_by_role("button", name="Add evidence").click()
    expect(page.locator(".messages")).to_contain_text("Evidence “Euroclear half-year results 2025” added.")
    page.locator("#add-evidence > summary").click()
    page.locator("#evidence-title").fill("Interview with an EU legal adviser")
    page.locator("#evidence-url").fill("https://news.example/interview")
    page.get_by_label("Context").check()
    page.get_by_label("Withhold the web address from the public").check()
    page.get_by_label("Why it is withheld").fill("The adviser spoke on condition of anonymity")
    page.get_by_role("button", name="Add evidence").click()
    expect(page.locator(".evidence")).to_have_count(2)
    screenshot(page, "07-claim-evidence")

    # Propose, after a look at the preview.
    false = Rating.objects.get(slug="false")
    page.get_by_label("Rating").select_option(str(false.pk))
    expect(page.get_by_label("Rating")).to_contain_text(f"False — {false.definition}")
    page.get_by_label("Summary").fill("EU lawyers have set out a legal route; the claim ignores it.")
    page.get_by_label("Analysis").fill("The EU’s **windfall** route is [documented](https://example.org/eu).")
    page.get_by_role("button", name="Preview").click()
    expect(page.locator("#preview strong")).to_have_text("windfall")
    screenshot(page, "08-claim-preview")
    page.get_by_role("button", name="Propose verdict").click()
    expect(page.locator(".messages")).to_contain_text("Verdict proposed")
    expect(page.locator(".claim-head .status")).to_have_text("In review")

    # The proposer is offered no approve button.
    expect(page.get_by_role("button", name="Approve and publish")).to_have_count(0)
    expect(page.locator("form[action$='/approve/']")).to_have_count(0)
    expect(page.locator("#verdict")).to_contain_text("You proposed this verdict, so you cannot approve it")
    screenshot(page, "09-claim-in-review-proposer")

    # A reviewer, in a browser of their own, finds it in their queue and approves it.
    reviewer = new_context(browser, live_server.url)
    review = log_in(reviewer, "rita")
    queue = review.locator("#queue-review")
    expect(queue.locator(".count")).to_have_text("1")
    screenshot(review, "10-dashboard-reviewer")
    queue.get_by_role("link", name=claim.text).click()
    screenshot(review, "11-claim-for-review")
    review.get_by_role("button", name="Approve and publish…").click()
    expect(review.get_by_role("heading", name="Publish this fact-check?")).to_be_visible()
    review.get_by_role("button", name="Approve and publish", exact=True).click()
    expect(review.locator(".messages")).to_contain_text("Approved and published.")
    expect(review.locator(".claim-head .status")).to_have_text("Published")
    screenshot(review, "12-claim-published")
    claim.refresh_from_db()
    assert claim.status == Claim.Status.PUBLISHED and claim.published_verdict.rating == false

    review.goto(f"/desk/sources/{source.pk}/annotated/")
    expect(review.locator(f"#claim-{claim.pk} mark")).to_have_text(QUOTE)
    expect(review.locator(f"#claim-{claim.pk}")).to_have_class("quote quote--published")
    screenshot(review, "13-source-annotated")
    editor.close()
    reviewer.close()


def test_a_second_editor_sees_the_conflict_instead_of_overwriting(browser, live_server, people):
    claim = workflow.create_claim(actor=people["erin"], text="Frozen assets total €210bn",
                                  claimant=ClaimantFactory(name="Sergey Lavrov"))
    first_context, second_context = new_context(browser, live_server.url), new_context(browser, live_server.url)
    first, second = log_in(first_context, "erin"), log_in(second_context, "otto")
    for page in (first, second):
        page.goto(f"/desk/claims/{claim.pk}/")
        page.get_by_text("Edit the claim").click()

    first.get_by_label("Claim text").fill("Frozen Russian assets total about €210bn")
    first.get_by_role("button", name="Save the claim").click()
    expect(first.locator(".messages")).to_contain_text("Claim saved.")

    second.get_by_label("Claim text").fill("Frozen assets in the EU total €210bn")
    second.get_by_role("button", name="Save the claim").click()
    conflict = second.locator("#conflict")
    expect(conflict).to_contain_text("Someone else changed this claim")
    expect(conflict.locator("ins")).to_have_text("Frozen Russian assets total about €210bn")
    expect(second.get_by_label("Claim text")).to_have_value("Frozen assets in the EU total €210bn")
    screenshot(second, "20-claim-conflict")
    claim.refresh_from_db()
    assert claim.text == "Frozen Russian assets total about €210bn"

    # Having seen the other edit, the second editor saves on purpose.
    second.get_by_role("button", name="Save the claim").click()
    expect(second.locator(".messages")).to_contain_text("Claim saved.")
    claim.refresh_from_db()
    assert claim.text == "Frozen assets in the EU total €210bn"
    first_context.close()
    second_context.close()


def test_the_desk_works_by_keyboard(browser, live_server, people):
    context = new_context(browser, live_server.url)
    page = log_in(context, "erin")
    # The skip link comes first and takes focus to the content.
    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_text("Skip to content")
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    # The search box is reachable and submits with Enter.
    page.get_by_label("Search all claims").focus()
    page.keyboard.type("frozen")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="0 results for “frozen”")).to_be_visible()
    screenshot(page, "30-search")
    context.close()
