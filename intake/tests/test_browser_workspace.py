"""The intake workspace in a real browser: select a span of the text, capture it, and the new claim's quote
and offsets are exact (an emoji earlier in the text must not shift them: JavaScript counts UTF-16 units)."""

import pytest
from playwright.sync_api import expect

from claims.models import Claim
from claims.tests.browser import new_context, screenshot
from claims.tests.factories import ClaimantFactory, EditorFactory, SourceFactory
from claims.tests.test_browser_desk import log_in

# roles_and_ratings before the personas: they join groups that an earlier live-server test's flush removed.
pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("roles_and_ratings")]

TEXT = (
    "Lavrov’s last tango 🎭\n"
    "The Putin-Trump Budapest summit is toast. 🇺🇦 Rubio hung up and told Trump: “Forget it.”\n"
    "Kirill Dmitriev flew privately to Washington, insiders say."
)
SPAN = "Kirill Dmitriev flew privately to Washington"


def test_a_selected_span_is_captured_with_its_exact_quote_and_offsets(browser, live_server):
    EditorFactory(username="erin")
    ClaimantFactory(name="Anonymous insiders")
    source = SourceFactory(title="Lavrov’s last tango", text=TEXT)
    context = new_context(browser, live_server.url)
    page = log_in(context, "erin")
    page.goto(f"/desk/sources/{source.pk}/intake/")
    expect(page.get_by_role("heading", name="Most check-worthy first")).to_be_visible()
    screenshot(page, "intake-workspace")

    page.evaluate("""(span) => {
        const box = document.getElementById("intake-text");
        const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
        let node;
        while ((node = walker.nextNode())) {
            const at = node.data.indexOf(span);
            if (at >= 0) {
                const range = document.createRange();
                range.setStart(node, at);
                range.setEnd(node, at + span.length);
                const selection = document.getSelection();
                selection.removeAllRanges();
                selection.addRange(range);
                return;
            }
        }
        throw new Error("span not found");
    }""", SPAN)
    capture = page.get_by_role("button", name="Capture the selection")
    expect(capture).to_be_visible()
    capture.click()

    expect(page.get_by_role("heading", name="Capture a claim")).to_be_visible()
    expect(page.get_by_label("Quote")).to_have_value(SPAN)
    page.get_by_label("Claim text").fill("Dmitriev flew privately to Washington")
    page.get_by_label("Claimant", exact=True).select_option(label="Anonymous insiders")
    page.get_by_role("button", name="Capture the claim").click()
    confirm = page.get_by_label("None of these is the same claim: save it anyway")
    if confirm.count():
        confirm.check()
        page.get_by_role("button", name="Save the claim").click()
    expect(page.get_by_text("captured")).to_be_visible()

    claim = Claim.objects.get(text="Dmitriev flew privately to Washington")
    start = TEXT.index(SPAN)
    assert claim.quote == SPAN
    assert (claim.quote_start, claim.quote_end) == (start, start + len(SPAN))
    assert TEXT[claim.quote_start:claim.quote_end] == SPAN
    context.close()
