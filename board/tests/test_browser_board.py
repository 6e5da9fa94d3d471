"""The board, bulk actions, the type-ahead and tip triage and reply in a real browser (Debian's Chromium through
Playwright, against a live server), driven from the keyboard where a desk editor would. Each page is saved as a
screenshot at 1280 and 390 pixels wide in ``<tmp>/desk-screens`` (board-*.png). Like the other live-server
suites, run on PostgreSQL (SQLite's flush between tests meets the history's append-only trigger)."""

import pytest
from django.core import mail
from playwright.sync_api import expect

from claims import workflow
from claims.models import Claim, ClaimEvent
from claims.tests.browser import new_context, screenshot
from claims.tests.factories import ClaimantFactory, TopicFactory

# roles_and_ratings before the personas: they join groups that an earlier live-server test's flush removed.
pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("roles_and_ratings")]

PASSWORD = "correct horse battery staple"


def log_in(browser, live_server, username, *, width=1280):
    context = new_context(browser, live_server.url, width=width)
    page = context.new_page()
    page.goto("/desk/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="The desk")).to_be_visible()
    return page


def capture(editor, text, **kwargs):
    kwargs.setdefault("claimant", ClaimantFactory())
    return workflow.create_claim(actor=editor, text=text, **kwargs)


def column(page, title):
    return page.get_by_role("region", name=title)


def test_the_board_filters_from_the_keyboard(browser, live_server, people):
    erin, otto = people["erin"], people["otto"]
    budget = TopicFactory(name="Budget", slug="budget")
    lavrov = ClaimantFactory(name="Sergey Lavrov", description="Russian Foreign Minister")
    capture(erin, "Frozen assets total 210 billion euros", claimant=lavrov, topics=[budget])
    claim = capture(erin, "Inflation fell to two percent")
    workflow.start_research(claim=claim, actor=erin, version=claim.version, assignee=otto)
    tip = workflow.create_claim(actor=None, text="A reader asks about the bridge", is_reader_tip=True)
    page = log_in(browser, live_server, "erin")

    page.get_by_role("navigation", name="Desk").get_by_role("link", name="Board").click()
    expect(page.get_by_role("heading", name="Board", exact=True)).to_be_visible()
    expect(column(page, "New").get_by_role("link", name="A reader asks about the bridge")).to_be_visible()
    expect(column(page, "Researching")).to_contain_text("With Otto Other")
    screenshot(page, "board-01-board")

    # Pick an assignee, then Enter in a text field of the filter form submits it.
    page.get_by_label("Assignee").select_option(label="Otto Other")
    page.get_by_label("Claimant").press("Enter")
    expect(page).to_have_url(f"{live_server.url}/desk/board/?assignee={otto.pk}&topic=&claimant=&status="
                             "&captured_from=&captured_to=&sort=changed")
    expect(column(page, "Researching").get_by_role("link")).to_have_text(["Researching",
                                                                          "Inflation fell to two percent"])
    expect(column(page, "New")).to_contain_text("Nothing here with these filters")

    # The claimant filter suggests names from the register as one types.
    page.get_by_role("link", name="Clear the filters").click()
    claimant = page.get_by_label("Claimant")
    claimant.press_sequentially("serg", delay=30)
    expect(page.locator("datalist option[value='Sergey Lavrov']")).to_have_count(1)
    claimant.fill("Sergey Lavrov")
    claimant.press("Enter")
    expect(column(page, "New").get_by_role("listitem")).to_have_count(1)
    expect(column(page, "New")).to_contain_text("Frozen assets total 210 billion euros")
    screenshot(page, "board-02-filtered")

    # From the last filter, Tab reaches "Show"; a card's checkbox toggles with Space and its link is next.
    page.get_by_role("link", name="Clear the filters").click()
    page.get_by_label("Order").focus()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Show")).to_be_focused()
    box = page.get_by_label(f"Select claim no. {tip.pk}")
    box.focus()
    page.keyboard.press("Space")
    expect(box).to_be_checked()
    expect(page.locator("#bulk-count")).to_have_text("1 claim selected.")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="A reader asks about the bridge")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="A reader asks about the bridge")).to_be_visible()

    # On a phone the filters fold away, unless some are in use.
    phone = log_in(browser, live_server, "otto", width=390)
    phone.goto("/desk/board/")
    expect(phone.get_by_label("Assignee")).to_be_hidden()
    screenshot(phone, "board-09-phone", widths=(390,))
    phone.get_by_text("Filter and sort").click()
    phone.get_by_label("Assignee").select_option(label="Otto Other")
    phone.get_by_role("button", name="Show").click()
    expect(phone.get_by_label("Assignee")).to_be_visible()


def test_a_bulk_action_reports_each_claim(browser, live_server, people):
    erin, rita = people["erin"], people["rita"]
    claims = [capture(erin, f"Opinion number {n}") for n in range(3)]
    in_review = capture(erin, "Already in research")
    workflow.start_research(claim=in_review, actor=erin, version=in_review.version)
    page = log_in(browser, live_server, "rita")
    page.goto("/desk/board/")

    # "Select all in New" ticks the column; the form shows only what the chosen action needs.
    page.get_by_role("button", name="Select all in New").click()
    expect(page.locator("#bulk-count")).to_have_text("3 claims selected.")
    page.get_by_label(f"Select claim no. {in_review.pk}").check()
    expect(page.get_by_label("Duplicate of claim number")).to_be_hidden()
    page.get_by_label("Action").select_option(label="Close: duplicate of…")
    expect(page.get_by_label("Duplicate of claim number")).to_be_visible()
    page.get_by_label("Action").select_option(label="Close: not checkable")
    page.get_by_label("Note (optional)").fill("Opinions, not facts")
    screenshot(page, "board-03-bulk-selected")
    page.get_by_role("button", name="Apply to the selected claims").click()

    expect(page.get_by_role("heading", name="Bulk action results")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("4 of 4 claims done")
    screenshot(page, "board-04-bulk-results")
    for claim in [*claims, in_review]:
        claim.refresh_from_db()
        assert claim.status == Claim.Status.CLOSED
        assert claim.events.filter(kind=ClaimEvent.Kind.CLOSED, actor=rita, note="Opinions, not facts").count() == 1

    # Back resubmits nothing: the same key shows the same results.
    page.go_back()
    page.get_by_role("button", name="Apply to the selected claims").click()
    expect(page.get_by_text("saved already, so nothing was saved twice")).to_be_visible()
    assert ClaimEvent.objects.filter(kind=ClaimEvent.Kind.CLOSED).count() == 4


def test_the_capture_form_finds_a_claimant_in_the_whole_register(browser, live_server, people):
    lavrov = ClaimantFactory(name="Sergey Lavrov", description="Russian Foreign Minister")
    for n in range(15):  # newer claimants push Lavrov out of the menu of recent ones
        ClaimantFactory(name=f"Newer claimant {n}")
    page = log_in(browser, live_server, "erin")
    page.goto("/desk/claims/new/")
    menu = page.get_by_label("Claimant", exact=True)
    expect(menu.locator(f"option[value='{lavrov.pk}']")).to_have_count(0)

    finder = page.get_by_label("Find a claimant in the register")
    finder.press_sequentially("sergey", delay=30)
    expect(page.locator("datalist option[value='Sergey Lavrov']")).to_have_attribute("label",
                                                                                     "Russian Foreign Minister")
    finder.fill("Sergey Lavrov")
    expect(menu).to_have_value(str(lavrov.pk))
    expect(page.get_by_text("Chosen in the menu below: Sergey Lavrov (Russian Foreign Minister).")).to_be_visible()
    screenshot(page, "board-05-typeahead-capture")
    page.get_by_label("Claim text").fill("There is no legal way to seize our assets")
    page.get_by_role("button", name="Capture the claim").click()
    expect(page.get_by_role("heading", name="There is no legal way to seize our assets")).to_be_visible()
    assert Claim.objects.get().claimant == lavrov


def test_an_editor_triages_a_tip_and_replies(browser, live_server, people):
    tip = workflow.create_claim(actor=None, text="The mayor says the bridge cost three times its budget",
                                is_reader_tip=True, tipster_email="reader@example.org", note="Reader tip.")
    page = log_in(browser, live_server, "erin")
    page.goto(f"/desk/claims/{tip.pk}/")
    panel = page.get_by_role("region", name="The tipster")
    expect(panel).to_contain_text("reader@example.org")
    screenshot(page, "board-06-tip-claim-page")
    panel.get_by_role("link", name="Reply from the desk").click()

    expect(page.get_by_role("heading", name="Reply to the tipster")).to_be_visible()
    page.get_by_role("button", name="Send the reply").click()  # empty: the browser's own check stops it
    assert mail.outbox == []
    page.get_by_label("Your reply").fill("Thank you: we are checking the council’s accounts.")
    screenshot(page, "board-07-tip-reply")
    page.get_by_role("button", name="Send the reply").click()
    expect(page.get_by_text("Reply sent to reader@example.org")).to_be_visible()
    expect(page.get_by_role("region", name="History")).to_contain_text("Replied to the tipster")
    [sent] = mail.outbox
    assert sent.to == ["reader@example.org"] and "council’s accounts" in sent.body

    # Triage: the editor closes the tip as out of scope from the keyboard.
    summary = page.locator("#close summary")
    expect(summary).to_have_text("Close the tip")
    summary.focus()
    page.keyboard.press("Enter")
    page.get_by_label("Reason for closing").select_option("out_of_scope")
    page.get_by_role("button", name="Close the claim").click()
    expect(page.get_by_text("Claim closed.")).to_be_visible()
    screenshot(page, "board-08-tip-closed")
    tip.refresh_from_db()
    assert tip.status == Claim.Status.CLOSED and tip.close_reason == "out_of_scope"
