"""Honest words on the page: the headline is the desk's wording of the claim, never inside quotation marks;
the verbatim quote is shown as a quotation, attributed to the claimant and the source. The same holds
wherever a claim's text is shown: cards, lists, the corrections log and the feed."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from claims import workflow
from claims.tests.factories import ClaimantFactory, SourceFactory, published_claim, rating

pytestmark = pytest.mark.django_db

TEXT = "Russia says no law allows seizing its frozen assets"  # the desk's wording
QUOTE = "There is no legal way to seize our assets."  # what was said
QUOTES = "“”\"«»„‘’"


@pytest.fixture
def claim(editor, reviewer):
    return published_claim(
        actor=editor, approver=reviewer, text=TEXT, quote=QUOTE,
        claimant=ClaimantFactory(name="Sergey Lavrov", slug="lavrov"),
        source=SourceFactory(title="Moscow briefing", url="https://news.example/briefing", outlet="The Bell"),
    )


def unquoted(html, text):
    """Every occurrence of ``text`` in ``html`` has no quotation mark (or its entity) right beside it."""
    found = [m.start() for m in re.finditer(re.escape(text), html)]
    assert found, f"{text!r} is not on the page"
    for at in found:
        before, after = html[max(0, at - 7):at], html[at + len(text):at + len(text) + 7]
        assert not (before and before[-1] in QUOTES) and not (after and after[0] in QUOTES), (before, after)
        assert not before.endswith(("&ldquo;", "&quot;", "#8220;")), before
        assert not after.startswith(("&rdquo;", "&quot;", "&#8221")), after
    return True


def test_the_headline_is_the_desks_wording_without_quotation_marks(anonymous, claim):
    html = anonymous.get(claim.get_absolute_url()).content.decode()
    headline = re.search(r'<h1 class="factcheck__claim"[^>]*>(.*?)</h1>', html, re.S).group(1)
    words = re.sub(r"<[^>]+>", "", headline)
    assert words == f"Claim: {TEXT}" and not set(words) & set(QUOTES)
    unquoted(html[html.index("<main"):], TEXT)
    # Nor does the style sheet add them around it.
    css = (Path(settings.BASE_DIR) / "static/css/public.css").read_text()
    assert not re.search(r"\.factcheck__claim::?(before|after)", css)


def test_the_quote_is_a_quotation_attributed_to_the_claimant_and_the_source(anonymous, claim):
    html = anonymous.get(claim.get_absolute_url()).content.decode()
    figure = re.search(r'<figure class="quote">(.*?)</figure>', html, re.S).group(1)
    assert re.search(rf"<blockquote[^>]*>{re.escape(QUOTE)}</blockquote>", figure)
    caption = re.search(r"<figcaption[^>]*>(.*?)</figcaption>", figure, re.S).group(1)
    assert "Sergey Lavrov" in caption and "Moscow briefing" in caption and "<cite>" in caption
    assert 'cite="https://news.example/briefing"' in figure


def test_a_quote_without_a_source_is_attributed_to_the_claimant(anonymous, editor, reviewer):
    claim = published_claim(actor=editor, approver=reviewer, text=TEXT, quote=QUOTE,
                            claimant=ClaimantFactory(name="Sergey Lavrov"))
    html = anonymous.get(claim.get_absolute_url()).content.decode()
    caption = re.search(r"<figcaption[^>]*>(.*?)</figcaption>", html, re.S).group(1)
    assert "Sergey Lavrov" in caption and ", in" not in caption


@pytest.mark.parametrize("path", ["/", "/claims/", "/claimants/lavrov/", "/corrections/"])
def test_lists_show_the_claim_text_without_quotation_marks(anonymous, claim, editor, reviewer, path):
    if path == "/corrections/":
        claim = workflow.reopen(claim=claim, actor=reviewer, version=claim.version, reason="Revised figures")
        workflow.propose_verdict(claim=claim, actor=editor, version=claim.version, rating=rating("true"),
                                 summary="Revised.", correction_note="The figure was revised.")
        claim.refresh_from_db()
        workflow.approve(claim=claim, actor=reviewer, version=claim.version)
    html = anonymous.get(path).content.decode()
    assert unquoted(html[html.index("<main"):], TEXT)


def test_the_feed_titles_show_the_claim_text_without_quotation_marks(anonymous, claim):
    xml = anonymous.get("/feeds/latest/").content.decode()
    title = re.search(r"<entry><title>(.*?)</title>", xml).group(1)
    assert title == f"False: {TEXT}"
