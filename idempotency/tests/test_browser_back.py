"""The Back button makes no duplicates, in a real browser: capture a claim (through the "These look similar"
step, as the issue found it), press Back and save again: one claim, and the desk shows it."""

import pytest
from playwright.sync_api import expect

from claims.models import Claim, Source
from claims.tests.browser import new_context
from claims.tests.factories import ClaimantFactory, EditorFactory, new_claim

pytestmark = pytest.mark.slow

PASSWORD = "correct horse battery staple"
TEXT = "Frozen Russian assets in the EU total 210 billion euros"


@pytest.fixture
def editor(roles_and_ratings):
    return EditorFactory(username="erin")


def log_in(context):
    page = context.new_page()
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("erin")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="The desk")).to_be_visible()
    return page


def test_back_and_save_again_after_the_similar_step_makes_one_claim(browser, live_server, editor):
    earlier = new_claim(actor=editor, text=TEXT)
    claimant = ClaimantFactory(name="Sergey Lavrov")
    context = new_context(browser, live_server.url)
    page = log_in(context)
    page.goto("/desk/claims/new/")
    page.get_by_label("Claim text").fill(TEXT)
    page.get_by_label("Claimant", exact=True).select_option(str(claimant.pk))
    page.get_by_role("button", name="Capture the claim").click()
    expect(page.get_by_role("heading", name="These look similar")).to_be_visible()
    page.get_by_label("None of these is the same claim: save it anyway").check()
    page.get_by_role("button", name="Save the claim").click()
    expect(page.locator(".messages")).to_contain_text("captured")
    made = Claim.objects.exclude(pk=earlier.pk).get()
    assert page.url.endswith(made.get_desk_url())

    page.go_back()
    expect(page.get_by_role("heading", name="These look similar")).to_be_visible()
    page.get_by_role("button", name="Save the claim").click()
    expect(page.locator(".messages")).to_contain_text("saved already, so nothing was saved twice")
    assert page.url.endswith(made.get_desk_url())
    assert Claim.objects.count() == 2
    context.close()


def test_back_and_save_again_makes_one_source(browser, live_server, editor):
    context = new_context(browser, live_server.url)
    page = log_in(context)
    page.goto("/desk/sources/new/")
    page.get_by_label("Title").fill("Moscow briefing")
    page.get_by_role("button", name="Save the source").click()
    expect(page.locator(".messages")).to_contain_text("saved")
    page.go_back()
    expect(page.get_by_label("Title")).to_have_value("Moscow briefing")
    page.get_by_role("button", name="Save the source").click()
    expect(page.locator(".messages")).to_contain_text("saved already")
    assert Source.objects.count() == 1
    context.close()
