"""The Atom feed and the sitemap: well-formed XML listing exactly what is published."""

import datetime
import xml.etree.ElementTree as ET

import pytest

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

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def correct(claim, *, editor, reviewer, rating_slug, note):
    claim = workflow.reopen(claim=claim, actor=reviewer, version=claim.version, reason="New data")
    workflow.propose_verdict(claim=claim, actor=editor, version=claim.version, rating=rating(rating_slug),
                             summary="Revised summary.", correction_note=note)
    claim.refresh_from_db()
    return workflow.approve(claim=claim, actor=reviewer, version=claim.version)


def test_feed_lists_publications_and_corrections_newest_first(anonymous, editor, reviewer, settings):
    first = published_claim(actor=editor, approver=reviewer, text="First published claim")
    published_claim(actor=editor, approver=reviewer, text="Second published claim", rating_slug="true")
    correct(first, editor=editor, reviewer=reviewer, rating_slug="half-true", note="The figure was revised.")
    in_review_claim(actor=editor, text="Claim in review")

    response = anonymous.get("/feeds/latest/")
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    entries = feed.findall(f"{ATOM}entry")
    titles = [e.find(f"{ATOM}title").text for e in entries]
    assert titles == [
        "Correction: First published claim (now rated Half true)",
        "True: Second published claim",
        "False: First published claim",
    ]
    correction = entries[0]
    assert "We changed our rating from False to Half true. The figure was revised." in correction.find(
        f"{ATOM}summary").text
    link = correction.find(f"{ATOM}link").get("href")
    assert link.startswith(settings.SITE_URL + first.get_absolute_url() + "#correction-")
    assert entries[1].find(f"{ATOM}summary").text == "The figure is wrong."
    ids = [e.find(f"{ATOM}id").text for e in entries]
    assert len(set(ids)) == 3
    assert feed.find(f"{ATOM}updated").text == correction.find(f"{ATOM}updated").text
    assert feed.find(f"{ATOM}title").text == f"{settings.ORGANIZATION_NAME}: fact-checks and corrections"


def test_feed_when_nothing_is_published_is_still_valid(anonymous, editor):
    in_review_claim(actor=editor)
    feed = ET.fromstring(anonymous.get("/feeds/latest/").content)
    assert feed.findall(f"{ATOM}entry") == []


def test_every_page_links_the_feed(anonymous, db):
    assert 'type="application/atom+xml"' in anonymous.get("/").content.decode()


def test_sitemap_lists_public_claims_and_their_pages_only(anonymous, editor, reviewer, settings):
    claimant, topic, source = ClaimantFactory(slug="shown"), TopicFactory(slug="shown-topic"), SourceFactory()
    claim = published_claim(actor=editor, approver=reviewer, claimant=claimant, topics=[topic], source=source)
    hidden_claimant, hidden_topic, hidden_source = ClaimantFactory(slug="hidden"), TopicFactory(slug="hidden-t"), \
        SourceFactory()
    hidden = in_review_claim(actor=editor, claimant=hidden_claimant, topics=[hidden_topic], source=hidden_source)

    response = anonymous.get("/sitemap.xml")
    urls = {u.find(f"{SITEMAP}loc").text: u for u in ET.fromstring(response.content).findall(f"{SITEMAP}url")}
    site = settings.SITE_URL
    assert set(urls) == {
        f"{site}/", f"{site}/claims/", f"{site}/corrections/", f"{site}/methodology/",
        site + claim.get_absolute_url(), f"{site}/claimants/shown/", f"{site}/topics/shown-topic/",
        f"{site}/sources/{source.pk}/",
    }
    assert site + hidden.get_absolute_url() not in urls
    lastmod = urls[site + claim.get_absolute_url()].find(f"{SITEMAP}lastmod").text
    assert lastmod == claim.published_at.date().isoformat()


def test_sitemap_lastmod_follows_the_latest_correction(anonymous, editor, reviewer, settings):
    claim = published_claim(actor=editor, approver=reviewer)
    claim = correct(claim, editor=editor, reviewer=reviewer, rating_slug="true", note="New data.")
    corrected_at = claim.events.get(kind="corrected").at
    # Publication long before the correction: lastmod must be the correction's date, not the publication's.
    Claim.objects.filter(pk=claim.pk).update(published_at=corrected_at - datetime.timedelta(days=40))
    root = ET.fromstring(anonymous.get("/sitemap.xml").content)
    entry = next(u for u in root.findall(f"{SITEMAP}url")
                 if u.find(f"{SITEMAP}loc").text == settings.SITE_URL + claim.get_absolute_url())
    assert entry.find(f"{SITEMAP}lastmod").text == corrected_at.date().isoformat()
    assert root.find(f"{SITEMAP}url/{SITEMAP}lastmod") is not None


def test_sitemap_uses_site_url_whatever_the_host(anonymous, editor, reviewer, settings):
    settings.SITE_URL = "https://factcheck.example"
    settings.ALLOWED_HOSTS = ["internal.host"]
    published_claim(actor=editor, approver=reviewer)
    body = anonymous.get("/sitemap.xml", HTTP_HOST="internal.host").content.decode()
    assert "internal.host" not in body and "https://factcheck.example/claims/" in body
