"""Nothing typed is lost: every desk form, opened in a real browser for a record with every field filled and
saved without a change, changes nothing (no event, the same version, the same values). Run with the
browser's locale set to en-GB and to en-US, since a date rendered in the site's own format (22/10/2025) is
discarded by ``<input type="date">`` and the save then erased it."""

import datetime

import pytest
from django.forms.models import model_to_dict
from playwright.sync_api import expect

from claims import workflow
from claims.models import Claim, Claimant, ClaimEvent, Evidence, Source

from .factories import ClaimantFactory, EditorFactory, ReviewerFactory, SourceFactory, TopicFactory, rating

# roles_and_ratings before the personas: they join groups that an earlier live-server test's flush removed.
pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("roles_and_ratings")]

PASSWORD = "correct horse battery staple"
# Several lines, a blank line, a non-ASCII and a right-to-left word: a textarea posts line ends as \r\n.
ARTICLE = "Lavrov’s last tango\n\nHe said “there is no legal way\nto seize our assets”.\n\nמוסקבה תגיב."
QUOTE = "there is no legal way\nto seize our assets"


@pytest.fixture
def full_records():
    editor = EditorFactory(username="erin")
    source = SourceFactory(title="Lavrov’s last tango", url="https://news.example/lavrov", outlet="The Bell",
                           author="A. Writer", published_on=datetime.date(2025, 10, 21), language="en-GB",
                           text=ARTICLE)
    claimant = ClaimantFactory(name="Sergey Lavrov", kind=Claimant.Kind.PERSON, description="Russian Foreign Minister",
                               same_as="https://en.wikipedia.org/wiki/Sergey_Lavrov")
    claim = workflow.create_claim(
        actor=editor, text="Russia says no law allows seizing its frozen assets", claimant=claimant, quote=QUOTE,
        source=source, claim_date=datetime.date(2025, 10, 22), language="en-GB",
        topics=[TopicFactory(name="Sanctions"), TopicFactory(name="Europe")],
    )
    claim = workflow.edit_claim(claim=claim, actor=editor, version=claim.version,
                                recheck_on=datetime.date(2026, 12, 31))
    claim = workflow.start_research(claim=claim, actor=editor, version=claim.version)
    evidence = workflow.add_evidence(
        claim=claim, actor=editor, version=claim.version, title="Euroclear results", url="https://euroclear.example/r",
        publisher="Euroclear", note="Line one.\n\nLine two.", stance=Evidence.Stance.REFUTES,
        archived_url="https://web.archive.org/web/2025/https://euroclear.example/r", withheld=True,
        withheld_reason="Protects the adviser",
    )
    assert claim.quote_start is not None
    # A published one too: its edit form saved unchanged must not start a draft for reviewers to approve.
    published = workflow.create_claim(
        actor=editor, text="Moscow will retaliate against any seizure", claimant=claimant, quote=QUOTE,
        source=source, claim_date=datetime.date(2025, 10, 22), language="en-GB", topics=[TopicFactory(name="Law")],
        recheck_on=datetime.date(2026, 12, 31),
    )
    published = workflow.start_research(claim=published, actor=editor, version=published.version)
    workflow.add_evidence(claim=published, actor=editor, version=published.version, title="Statement",
                          stance=Evidence.Stance.CONTEXT)
    published.refresh_from_db()
    workflow.propose_verdict(claim=published, actor=editor, version=published.version, rating=rating(),
                             summary="No such law exists.")
    published.refresh_from_db()
    published = workflow.approve(claim=published, actor=ReviewerFactory(username="rita"), version=published.version)
    return {"claim": Claim.objects.get(pk=claim.pk), "evidence": evidence, "source": source, "claimant": claimant,
            "published": published}


def log_in(context):
    page = context.new_page()
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("erin")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="The desk")).to_be_visible()
    return page


def snapshot(records):
    claim = Claim.objects.get(pk=records["claim"].pk)
    return {
        "claim": {**model_to_dict(claim, exclude=["topics"]), "topics": sorted(t.pk for t in claim.topics.all()),
                  "updated_at": claim.updated_at},
        "events": ClaimEvent.objects.filter(claim=claim).count(),
        "evidence": model_to_dict(Evidence.objects.get(pk=records["evidence"].pk)),
        "source": model_to_dict(Source.objects.get(pk=records["source"].pk)),
        "claimant": model_to_dict(Claimant.objects.get(pk=records["claimant"].pk)),
        "published": model_to_dict(Claim.objects.get(pk=records["published"].pk), exclude=["topics"]),
        "published_events": ClaimEvent.objects.filter(claim=records["published"]).count(),
    }


@pytest.mark.parametrize("locale", ["en-GB", "en-US"])
def test_saving_every_desk_form_unchanged_changes_nothing(browser, live_server, full_records, locale):
    before = snapshot(full_records)
    context = browser.new_context(base_url=live_server.url, locale=locale)
    context.set_default_timeout(15_000)
    page = log_in(context)
    claim, evidence = full_records["claim"], full_records["evidence"]

    page.goto(f"/desk/claims/{claim.pk}/")
    expect(page.locator("#claim-claim_date")).to_have_value("2025-10-22")
    page.get_by_text("Edit the claim").click()
    page.get_by_role("button", name="Save the claim").click()
    expect(page.locator(".messages")).to_contain_text("Nothing to save: no field changed.")

    page.goto(f"/desk/claims/{full_records['published'].pk}/")
    page.get_by_text("Edit the claim").click()
    page.get_by_role("button", name="Save the claim").click()
    expect(page.locator(".messages")).to_contain_text("Nothing to save: no field changed.")

    page.goto(f"/desk/claims/{claim.pk}/evidence/{evidence.pk}/")
    page.get_by_role("button", name="Save the evidence").click()
    expect(page.locator(".messages")).to_contain_text("saved")

    page.goto(f"/desk/sources/{full_records['source'].pk}/")
    expect(page.locator("#id_published_on")).to_have_value("2025-10-21")
    page.get_by_role("button", name="Save the source").click()
    expect(page.locator(".messages")).to_contain_text("saved")

    page.goto(f"/desk/claimants/{full_records['claimant'].pk}/")
    page.get_by_role("button", name="Save the claimant").click()
    expect(page.locator(".messages")).to_contain_text("saved")

    assert snapshot(full_records) == before
    context.close()
