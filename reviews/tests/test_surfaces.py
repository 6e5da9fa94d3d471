"""Others' reviews are never credited to us: names of publishers are planted in an import, and every public
surface is read for them."""

import json
import re

import pytest
from django.conf import settings
from django.urls import reverse

from claims.tests.factories import published_claim
from reviews.models import ExternalReview

from .conftest import google_claim, run_import, write

pytestmark = pytest.mark.django_db

PLANTED = ["Planted Checkers Ltd", "Vérité Plantée", "مدققو الحقائق المزروعون"]
OUR_WORDS = ["Our verdict", "approved", "Reviewed and approved", "signed off", settings.ORGANIZATION_NAME + " rated"]


@pytest.fixture
def planted(tmp_path, editor, reviewer):
    ours = published_claim(actor=editor, approver=reviewer, text="Frozen assets total 210 billion euros")
    claims = [
        google_claim(1, publisher=PLANTED[0], site="planted.example", rating="Pants on Fire"),
        google_claim(2, publisher=PLANTED[1], site="verite.example", rating="Faux",
                     claimReview=[{"publisher": {"name": PLANTED[1], "site": "verite.example"},
                                   "url": "https://verite.example/2", "textualRating": "Faux", "languageCode": "fr"},
                                  {"publisher": {"name": PLANTED[0], "site": "planted.example"},
                                   "url": "https://planted.example/2b", "textualRating": "Mostly False"}]),
        google_claim(3, publisher=PLANTED[2], site="arabic.example", rating="مضلل", language="ar",
                     text="لقاح كورونا يغير الحمض النووي", claimant="الشريف 𝕏"),
        # Others checked our claim too: our page lists them, and stays ours.
        google_claim(4, publisher=PLANTED[0], site="planted.example", rating="False", text=ours.text),
    ]
    out, err = run_import(write(tmp_path, claims))
    assert "5 imported" in out, (out, err)
    return ours


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_no_public_page_of_ours_names_another_publisher(planted, anonymous):
    pages = [reverse("public:home"), reverse("public:claims"), reverse("public:corrections"),
             reverse("public:feeds"), reverse("public:sitemap"), reverse("public:methodology"),
             reverse("public:claims") + "?q=frozen", reverse("public:claims") + "?q=كورونا"]
    for url in pages:
        body = page(anonymous, url)
        for name in PLANTED:
            assert name not in body, (url, name)


def test_our_page_keeps_our_claimreview_and_lists_theirs_as_also_checked(planted, anonymous):
    body = page(anonymous, planted.get_absolute_url())
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', body, re.S)
    assert len(blocks) == 1
    ours = json.loads(blocks[0])
    assert ours["author"]["name"] == settings.ORGANIZATION_NAME and ours["url"].endswith(planted.get_absolute_url())
    assert ours["inLanguage"] == "en"
    for name in PLANTED:
        assert name not in blocks[0]
    also = body[body.index("Also checked by"):]
    assert PLANTED[0] in also and "https://planted.example/checks/4" in also and "“False”" not in also[:0]


def test_a_claim_known_only_from_others_is_theirs_on_its_page(planted, anonymous):
    review = ExternalReview.objects.get(url="https://planted.example/checks/1")
    body = page(anonymous, reverse("reviews:claim", args=[review.claim_id]))
    assert f"Fact-check by <strong dir=\"auto\">{PLANTED[0]}</strong>" in body
    assert "Pants on Fire" in body and 'href="https://planted.example/checks/1"' in body
    for words in OUR_WORDS:
        assert words not in body
    assert "application/ld+json" not in body  # Google allows ClaimReview only for one's own reviews
    two = ExternalReview.objects.get(url="https://verite.example/2")
    body = page(anonymous, reverse("reviews:claim", args=[two.claim_id]))
    assert PLANTED[0] in body and PLANTED[1] in body and "Faux" in body and "Mostly False" in body


def test_an_arabic_claim_page_is_marked_arabic(planted, anonymous):
    review = ExternalReview.objects.get(url="https://arabic.example/checks/3")
    body = page(anonymous, reverse("reviews:claim", args=[review.claim_id]))
    assert '<html lang="ar">' in body
    assert '<article class="checked-elsewhere" lang="ar">' in body and PLANTED[2] in body


def test_the_index_of_others_reviews_credits_each_publisher(planted, anonymous, django_assert_num_queries):
    # count, the page of reviews with their publishers, the publisher menu, the rating menu
    with django_assert_num_queries(4):
        body = page(anonymous, reverse("reviews:index"))
    for name in PLANTED:
        assert f"Fact-check by <strong dir=\"auto\">{name}</strong>" in body
    for words in OUR_WORDS:
        assert words not in body


def test_the_claimreview_api_is_ours_unless_others_are_asked_for(planted, anonymous):
    data = anonymous.get("/api/v1/claimreview/").json()
    assert [item["url"] for item in data["results"]] == [settings.SITE_URL + planted.get_absolute_url()]
    assert not any(name in json.dumps(data, ensure_ascii=False) for name in PLANTED)

    data = anonymous.get("/api/v1/claimreview/?include=others").json()
    by_url = {item["url"]: item for item in data["results"]}
    assert len(by_url) == 6
    for url, item in by_url.items():
        if url.startswith(settings.SITE_URL):
            assert item["author"]["name"] == settings.ORGANIZATION_NAME
        else:
            assert item["author"]["name"] in PLANTED and item["publisher"] == item["author"]
            assert item["author"]["name"] != settings.ORGANIZATION_NAME
    assert by_url["https://verite.example/2"]["inLanguage"] == "fr"
    assert by_url["https://planted.example/checks/1"]["reviewRating"] == {"@type": "Rating",
                                                                          "alternateName": "Pants on Fire"}
    assert anonymous.get("/api/v1/claimreview/?include=everything").status_code == 400


def test_the_public_claims_api_never_shows_a_claim_known_only_from_others(planted, anonymous):
    body = json.dumps(anonymous.get("/api/v1/claims/").json(), ensure_ascii=False)
    assert "Claim number 1" not in body and "كورونا" not in body
    theirs = ExternalReview.objects.get(url__endswith="/1").claim_id
    assert anonymous.get(f"/api/v1/claims/{theirs}/").status_code == 404


@pytest.mark.parametrize("query", ["q=" + "و" * 5000, "q=%22%27%29%28*", "rating=nope&publisher=nowhere.example"])
def test_hostile_parameters_get_a_page_not_an_error(planted, anonymous, query):
    assert anonymous.get(f"{reverse('reviews:index')}?{query}").status_code == 200


@pytest.mark.parametrize("query", ["q=%00", "publisher=%00x", "rating=%00", "page=%00"])
def test_nul_in_a_parameter_is_refused_clearly(planted, anonymous, query):
    # The guard middleware refuses NUL everywhere alike, on both databases (issue 12).
    assert anonymous.get(f"{reverse('reviews:index')}?{query}").status_code == 400


def test_pages_of_others_reviews_404_for_unknown_claims(planted, anonymous, editor):
    from claims.tests.factories import new_claim

    ours_unpublished = new_claim(actor=editor, text="A desk draft nobody else checked")
    assert anonymous.get(reverse("reviews:claim", args=[ours_unpublished.pk])).status_code == 404
    assert anonymous.get(reverse("reviews:claim", args=[999999])).status_code == 404


def test_a_claimant_known_only_from_others_has_no_page_of_ours(planted, anonymous):
    from claims.models import Claimant

    claimant = Claimant.objects.get(name="الشريف 𝕏")
    assert anonymous.get(claimant.get_absolute_url()).status_code == 404


def test_the_index_searches_others_reviews_in_their_languages(planted, anonymous, django_assert_num_queries):
    # the matching claims' ids, count, the page of reviews with their publishers, the publisher and rating menus
    with django_assert_num_queries(5):
        body = page(anonymous, reverse("reviews:index") + "?q=" + "بكورونا")
    credited = re.findall(r'Fact-check by <strong dir="auto">([^<]+)</strong>', body)
    assert credited == [PLANTED[2]]
    body = page(anonymous, reverse("reviews:index") + "?q=frozen+assets&publisher=verite.example")
    assert re.findall(r'Fact-check by <strong dir="auto">([^<]+)</strong>', body) == [PLANTED[1]]


def test_query_counts_of_others_pages(planted, anonymous, django_assert_num_queries):
    review = ExternalReview.objects.get(url="https://verite.example/2")
    # the claim's reviews with their publishers, and whether we published a fact-check of it
    with django_assert_num_queries(2):
        page(anonymous, reverse("reviews:claim", args=[review.claim_id]))
    # the page of claims, their reviews with publishers, our published ones among them (with corrections)
    with django_assert_num_queries(3):
        assert anonymous.get("/api/v1/claimreview/?include=others").status_code == 200
