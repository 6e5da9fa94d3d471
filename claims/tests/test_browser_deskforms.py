"""The desk's forms in a real browser: the preview and the confirmation before publishing, the warning before
leaving unsaved changes, long texts kept in the browser across a lost session or a conflict, and two editors
adding evidence to one claim at once. Screenshots of the changed pages at 1280 and 390 pixels go to
``<tmp>/desk-screens`` (``deskforms-*``)."""

import pytest
from playwright.sync_api import expect

from claims import workflow
from claims.models import Claim, Evidence, Rating

from .browser import new_context, screenshot
from .factories import ClaimantFactory, in_review_claim, researching_claim

# roles_and_ratings before the personas: they join groups that an earlier live-server test's flush removed.
pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("roles_and_ratings")]

PASSWORD = "correct horse battery staple"
ANALYSIS = "Euroclear’s half-year report puts the frozen assets at €185bn, not €210bn.\n\nThe gap is **cash**."


def log_in(page, username):
    expect(page.get_by_role("heading", name="Log in to the desk")).to_be_visible()
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def logged_in(browser, live_server, username, path="/desk/"):
    page = new_context(browser, live_server.url).new_page()
    page.goto(path)
    log_in(page, username)
    return page


def test_a_reviewer_previews_the_page_then_confirms_publication(browser, live_server, people):
    claim = in_review_claim(actor=people["erin"], claimant=ClaimantFactory(name="Sergey Lavrov"),
                            text="Frozen assets total €210bn")
    page = logged_in(browser, live_server, "rita", claim.get_desk_url())
    expect(page.locator(".timeline")).to_contain_text("Verdict proposed: False")
    screenshot(page, "deskforms-claim-in-review")
    page.get_by_role("link", name="Preview the public page as it will be published").click()
    expect(page.locator(".preview-banner")).to_contain_text("Preview: not published.")
    expect(page.locator("h1")).to_contain_text("Frozen assets total €210bn")
    expect(page.locator(".verdict")).to_contain_text("False")
    expect(page.locator(".checked-by")).to_contain_text("Rita Reviewer")  # as if she approved it now
    screenshot(page, "deskforms-preview")
    page.get_by_role("link", name="Back to the claim on the desk").click()
    assert Claim.objects.get(pk=claim.pk).status == Claim.Status.IN_REVIEW

    page.get_by_label("Note (optional)").fill("Checked the Euroclear figures.")
    page.get_by_role("button", name="Approve and publish…").click()
    expect(page.get_by_role("heading", name="Publish this fact-check?")).to_be_visible()
    expect(page.get_by_label("Note (optional)")).to_have_value("Checked the Euroclear figures.")
    screenshot(page, "deskforms-approve-confirm")
    assert Claim.objects.get(pk=claim.pk).status == Claim.Status.IN_REVIEW
    page.get_by_role("button", name="Approve and publish", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("Approved and published.")
    assert Claim.objects.get(pk=claim.pk).status == Claim.Status.PUBLISHED


def test_the_preview_of_a_draft_shows_the_changes_before_they_are_approved(browser, live_server, people):
    claim = in_review_claim(actor=people["erin"], claimant=ClaimantFactory(name="Sergey Lavrov"))
    claim = workflow.approve(claim=claim, actor=people["rita"], version=claim.version)
    claim = workflow.edit_claim(claim=claim, actor=people["erin"], version=claim.version,
                                text="Frozen assets total €185bn, not €210bn")
    page = logged_in(browser, live_server, "rita", claim.get_desk_url())
    page.get_by_role("link", name="Preview the public page with these changes").click()
    expect(page.locator(".preview-banner")).to_contain_text("once the changes are approved")
    expect(page.locator("h1")).to_contain_text("Frozen assets total €185bn, not €210bn")
    expect(page.locator(".timeline")).to_contain_text("Updated")
    screenshot(page, "deskforms-preview-update")
    page.goto(claim.get_absolute_url())  # readers still see the approved wording
    expect(page.locator("h1")).not_to_contain_text("€185bn")


def test_leaving_a_form_with_unsaved_changes_asks_first(browser, live_server, people):
    claim = researching_claim(actor=people["erin"])
    page = logged_in(browser, live_server, "erin", claim.get_desk_url())
    dialogs = []

    def stay(dialog):
        dialogs.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", stay)
    # Untouched forms: leaving asks nothing.
    page.get_by_role("link", name="Queues").click()
    expect(page.get_by_role("heading", name="The desk")).to_be_visible()
    assert dialogs == []
    page.go_back()
    page.locator("#edit summary").click()
    page.get_by_label("Claim text").click()
    page.keyboard.type(" (revised)")
    page.get_by_role("link", name="Queues").click()
    page.wait_for_timeout(500)
    assert dialogs == ["beforeunload"]
    assert page.url.endswith(claim.get_desk_url())  # stayed, with the text
    expect(page.get_by_label("Claim text")).to_have_value(claim.text + " (revised)")
    # Saving is leaving on purpose: no question.
    page.get_by_role("button", name="Save the claim").click()
    expect(page.locator(".messages")).to_contain_text("Claim saved.")
    assert dialogs == ["beforeunload"]


def test_an_analysis_typed_when_the_session_ended_is_offered_back_after_logging_in(browser, live_server, people):
    claim = researching_claim(actor=people["erin"])
    page = logged_in(browser, live_server, "erin", claim.get_desk_url())
    page.get_by_label("Rating").select_option(str(Rating.objects.get(slug="false").pk))
    page.get_by_label("Summary", exact=True).fill("The figure is €185bn.")
    page.get_by_label("Analysis").click()
    page.keyboard.type(ANALYSIS)
    page.wait_for_timeout(500)
    page.context.clear_cookies(name="sessionid")  # the session ends while she writes
    page.get_by_role("button", name="Propose verdict").click()
    log_in(page, "erin")
    # Back on the claim page, not on the action's address; the post was lost, the text was not.
    expect(page.get_by_role("heading", name=claim.text)).to_be_visible()
    offer = page.locator(".kept-draft").filter(has_text="Analysis")
    expect(offer).to_contain_text("This browser kept text you typed in “Analysis” that was not saved")
    screenshot(page, "deskforms-kept-draft")
    offer.get_by_role("button", name="Restore it").click()
    expect(page.get_by_label("Analysis")).to_have_value(ANALYSIS)
    page.locator(".kept-draft").filter(has_text="Summary").get_by_role("button", name="Restore it").click()
    page.get_by_label("Rating").select_option(str(Rating.objects.get(slug="false").pk))
    page.get_by_role("button", name="Propose verdict").click()
    expect(page.locator(".messages")).to_contain_text("Verdict proposed")
    assert Claim.objects.get(pk=claim.pk).verdicts.get().analysis == ANALYSIS
    # Saved: the browser's copy is gone, once the page's script has run (the success message can be on screen
    # before the deferred script is: reading storage at once raced it).
    page.wait_for_load_state("load")
    kept = page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('factcheck-draft:'))")
    assert kept == []


def test_an_analysis_refused_as_stale_is_kept_when_the_page_is_left(browser, live_server, people):
    claim = researching_claim(actor=people["erin"])
    page = logged_in(browser, live_server, "erin", claim.get_desk_url())
    page.get_by_label("Summary", exact=True).fill("The figure is €185bn.")
    page.get_by_label("Analysis").click()
    page.keyboard.type(ANALYSIS)
    page.get_by_label("Rating").select_option(str(Rating.objects.get(slug="false").pk))
    workflow.edit_claim(claim=claim, actor=people["otto"], version=claim.version, text="Otto's wording")
    page.get_by_role("button", name="Propose verdict").click()
    expect(page.locator("#conflict")).to_contain_text("Someone else changed this claim")
    screenshot(page, "deskforms-conflict")
    page.on("dialog", lambda dialog: dialog.accept())  # she leaves anyway
    page.get_by_role("link", name="Queues").click()
    expect(page.get_by_role("heading", name="The desk")).to_be_visible()
    page.goto(claim.get_desk_url())
    offer = page.locator(".kept-draft").filter(has_text="Analysis")
    offer.get_by_role("button", name="Restore it").click()
    expect(page.get_by_label("Analysis")).to_have_value(ANALYSIS)


def test_two_editors_adding_evidence_at_once_both_succeed(browser, live_server, people):
    claim = researching_claim(actor=people["erin"], evidence=0)
    erin = logged_in(browser, live_server, "erin", claim.get_desk_url())
    otto = logged_in(browser, live_server, "otto", claim.get_desk_url())
    for page, title in ((erin, "Euroclear half-year report"), (otto, "ECB statement on reserves")):
        page.locator("#add-evidence").evaluate("panel => { panel.open = true; }")
        page.get_by_label("Title", exact=True).fill(title)
    erin.get_by_role("button", name="Add evidence").click()
    expect(erin.locator(".messages")).to_contain_text("Evidence “Euroclear half-year report” added.")
    otto.get_by_role("button", name="Add evidence").click()  # from the page read before Erin's addition
    expect(otto.locator(".messages")).to_contain_text("Evidence “ECB statement on reserves” added.")
    expect(otto.locator(".evidence")).to_have_count(2)
    screenshot(otto, "deskforms-evidence-both")
    assert sorted(Evidence.objects.filter(claim=claim).values_list("title", flat=True)) == [
        "ECB statement on reserves", "Euroclear half-year report"]
