"""The share card: a 1200 × 630 PNG per published fact-check at a stable address, cached and revalidated,
redrawn when an approved update or a correction changes it, and nothing at all for what is not public."""

import io
import re

import pytest
from django.core.cache import cache
from PIL import Image

from claims import workflow
from claims.models import Claim
from claims.tests.factories import (
    ClaimantFactory,
    in_review_claim,
    new_claim,
    published_claim,
    rating,
    researching_claim,
)
from sharecards import render

pytestmark = pytest.mark.django_db


def card_url(claim):
    return f"/claims/{claim.pk}/card.png"


def image_of(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    return Image.open(io.BytesIO(response.content))


def correct(claim, *, editor, reviewer, rating_slug="mostly-false"):
    claim = workflow.reopen(claim=claim, actor=reviewer, version=claim.version, reason="Revised statistics")
    workflow.propose_verdict(claim=claim, actor=editor, version=claim.version, rating=rating(rating_slug),
                             summary="The revised figure changes the picture.", correction_note="Revised.")
    claim.refresh_from_db()
    return workflow.approve(claim=claim, actor=reviewer, version=claim.version)


@pytest.fixture
def claims(editor, reviewer):
    lavrov = ClaimantFactory(name="Sergey Lavrov", slug="lavrov")
    return [
        published_claim(actor=editor, approver=reviewer, text="Assets total 300 billion euros", claimant=lavrov),
        published_claim(actor=editor, approver=reviewer, rating_slug="true", claimant=lavrov,
                        text="Заморожено 300 миллиардов евро российских активов"),
        published_claim(actor=editor, approver=reviewer, rating_slug="misleading",
                        text="الأصول الروسية المجمدة تبلغ ٣٠٠ مليار يورو", language="ar"),
        published_claim(actor=editor, approver=reviewer, text=("Word " * 39).strip(), claimant=lavrov),
    ]


def test_every_published_fact_check_has_a_card_of_the_open_graph_size(anonymous, claims):
    for claim in claims:
        image = image_of(anonymous.get(card_url(claim)))
        assert image.format == "PNG" and image.size == (1200, 630)


def test_the_card_shows_the_verdicts_colour(anonymous, claims):
    image = image_of(anonymous.get(card_url(claims[0]))).convert("RGB")
    colour = rating("false").colour.lstrip("#")
    expected = tuple(int(colour[i:i + 2], 16) for i in (0, 2, 4))
    assert image.getpixel((4, 300)) == expected  # the band down the left edge
    assert expected in {colour for _count, colour in image.getcolors(1200 * 630)}


def test_a_long_claim_is_cut_at_a_word_with_an_ellipsis_and_a_short_one_is_whole():
    face, lines = render.fit_claim("Word " * 60)
    assert len(lines) == render.CLAIM_LINES and lines[-1].endswith("Word…")
    assert face.size == render.CLAIM_SIZES[-1]
    face, lines = render.fit_claim("Assets total 300 billion euros")
    assert " ".join(lines) == "“Assets total 300 billion euros”" and face.size == render.CLAIM_SIZES[0]
    # A script written without spaces still wraps, between characters.
    _face, lines = render.fit_claim("冻结的俄罗斯资产" * 12)
    assert 1 < len(lines) <= render.CLAIM_LINES
    assert all(face.getlength(line) <= render.WIDTH - 2 * render.MARGIN for line in lines)


def test_right_to_left_text_is_recognised():
    assert render.is_rtl("الأصول الروسية") and render.is_rtl("«עברית»")
    assert not render.is_rtl("Assets") and not render.is_rtl("300 €")


def test_the_card_carries_caching_headers_and_revalidates(anonymous, claims):
    claim = claims[0]
    response = anonymous.get(card_url(claim))
    etag = response["ETag"]
    assert re.fullmatch(r'"[0-9a-f]{20}"', etag)
    assert response["Last-Modified"].endswith("GMT")
    assert "public" in response["Cache-Control"] and "max-age=3600" in response["Cache-Control"]

    again = anonymous.get(card_url(claim), HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b"" and again["ETag"] == etag
    since = anonymous.get(card_url(claim), HTTP_IF_MODIFIED_SINCE=response["Last-Modified"])
    assert since.status_code == 304
    assert anonymous.get(card_url(claim), HTTP_IF_NONE_MATCH='"stale"').status_code == 200
    assert anonymous.head(card_url(claim)).status_code == 200
    assert anonymous.post(card_url(claim)).status_code == 405


def test_the_page_points_at_the_card_it_serves(anonymous, claims):
    claim = claims[0]
    page = anonymous.get(claim.get_absolute_url()).content.decode()
    version = re.search(r'<meta property="og:image" content="[^"]+/card\.png\?v=([0-9a-f]+)">', page)[1]
    assert anonymous.get(card_url(claim))["ETag"] == f'"{version}"'
    assert '<meta name="twitter:card" content="summary_large_image">' in page


def test_an_approved_update_draws_a_new_card_and_a_draft_does_not(anonymous, claims, editor, reviewer,
                                                                 other_reviewer):
    claim = claims[0]
    before = anonymous.get(card_url(claim))
    claim = workflow.edit_claim(claim=claim, actor=editor, version=claim.version,
                                text="Assets total 290 billion euros")
    draft = anonymous.get(card_url(claim))
    assert draft.content == before.content and draft["ETag"] == before["ETag"]  # readers see no draft

    claim = workflow.approve_update(claim=claim, actor=other_reviewer, version=claim.version,
                                    note="Corrected a figure in the wording.")
    after = anonymous.get(card_url(claim))
    assert after.content != before.content and after["ETag"] != before["ETag"]
    assert image_of(after).size == (1200, 630)
    # The fact-check page names the new card.
    assert after["ETag"].strip('"') in anonymous.get(claim.get_absolute_url()).content.decode()


def test_a_correction_draws_a_new_card(anonymous, claims, editor, reviewer):
    claim = claims[0]
    before = anonymous.get(card_url(claim))
    claim = correct(claim, editor=editor, reviewer=reviewer)
    after = anonymous.get(card_url(claim))
    assert after.content != before.content and after["ETag"] != before["ETag"]
    assert after["Last-Modified"] != before["Last-Modified"] or after["ETag"] != before["ETag"]
    assert after["ETag"].strip('"') in anonymous.get(claim.get_absolute_url()).content.decode()


def test_a_correction_changes_what_the_card_says(claims, editor, reviewer):
    claim = correct(claims[0], editor=editor, reviewer=reviewer, rating_slug="half-true")
    claim = Claim.objects.public().cards().get(pk=claim.pk)
    values = render.facts(claim, site_name="Desk", last_change=claim.last_change,
                          last_change_at=claim.last_change_at)
    assert values["rating"] == "Half true" and values["dates"].startswith("Checked ")
    assert "· Corrected " in values["dates"]


def test_what_is_not_public_has_no_card(anonymous, editor, reviewer):
    drafts = [
        new_claim(actor=editor),
        researching_claim(actor=editor),
        in_review_claim(actor=editor),
    ]
    closed = new_claim(actor=editor, text="An opinion, not a fact")
    workflow.close(claim=closed, actor=reviewer, version=closed.version, reason=Claim.CloseReason.NOT_CHECKABLE)
    for claim in [*drafts, closed]:
        assert anonymous.get(card_url(claim)).status_code == 404
    assert anonymous.get("/claims/999999/card.png").status_code == 404
    assert anonymous.get("/claims/abc/card.png").status_code == 404


def test_the_card_is_one_query_drawn_once_and_then_read_from_the_cache(anonymous, claims, django_assert_num_queries,
                                                                      monkeypatch):
    cache.clear()
    drawn = []
    original = render.render
    monkeypatch.setattr(render, "render", lambda values: drawn.append(values) or original(values))
    for claim in claims:
        # the public claim with its claimant, verdict, rating and latest update or correction
        with django_assert_num_queries(1):
            first = anonymous.get(card_url(claim))
        with django_assert_num_queries(1):
            second = anonymous.get(card_url(claim))
        assert first.content == second.content
    assert len(drawn) == len(claims)


def test_hostile_text_draws_as_text(anonymous, editor, reviewer):
    claim = published_claim(actor=editor, approver=reviewer, text='<script>alert("x")</script> ‮ evil \x00'[:60]
                            .replace("\x00", ""), claimant=ClaimantFactory(name="<b>Bold</b> & Co"))
    assert image_of(anonymous.get(card_url(claim))).size == (1200, 630)
    page = anonymous.get(claim.get_absolute_url()).content.decode()
    alt = re.search(r'<meta property="og:image:alt" content="([^"]*)">', page)[1]
    assert "<script>" not in alt and "&lt;script&gt;" in alt and "&lt;b&gt;Bold&lt;/b&gt; &amp; Co" in alt
