"""Every shape fact-checkers publish, every date form, and hostile files: on both databases."""

import datetime
import json

import pytest

from claims.models import Claim, Claimant, ClaimEvent
from reviews.jsonld import external_claim_review
from reviews.models import ExternalReview
from reviews.parsing import Record, records

from .conftest import google_claim, run_import, write

pytestmark = pytest.mark.django_db


def claim_review(n, **overrides):
    review = {
        "@context": "https://schema.org", "@type": "ClaimReview",
        "url": f"https://checks.example/{n}", "claimReviewed": f"Claim number {n} about frozen assets",
        "author": {"@type": "Organization", "name": "Example Checkers", "url": "https://checks.example"},
        "datePublished": "2025-10-23",
        "reviewRating": {"@type": "Rating", "ratingValue": 1, "bestRating": 5, "worstRating": 1,
                         "alternateName": "False", "ratingExplanation": f"Explanation {n}."},
        "itemReviewed": {"@type": "Claim", "datePublished": "2025-10-21",
                         "author": {"@type": "Person", "name": "Sergey Lavrov",
                                    "sameAs": "https://en.wikipedia.org/wiki/Sergey_Lavrov"},
                         "appearance": {"@type": "CreativeWork", "url": "https://news.example/lavrov"}},
        "inLanguage": "en",
    }
    review.update(overrides)
    return review


def read(data):
    """The records parsed from ``data`` (an object, or bytes), as (position, Record or reason)."""
    import io

    raw = data if isinstance(data, bytes) else json.dumps(data, ensure_ascii=False).encode()
    return [(position, r if isinstance(r, Record) else str(r)) for position, r in records(io.BytesIO(raw))]


SHAPES = {
    "one object": claim_review(1),
    "a list": [claim_review(1), claim_review(2)],
    "@graph": {"@context": "https://schema.org", "@graph": [claim_review(1), claim_review(2)]},
    "nested @graph": {"@graph": [{"@graph": [claim_review(1)]}, claim_review(2)]},
    "mainEntity": {"@type": "WebPage", "mainEntity": claim_review(1)},
    "mainEntity list": {"@type": "WebPage", "mainEntity": [claim_review(1), claim_review(2)]},
    "DataCommons DataFeed": {"@context": "https://schema.org", "@type": "DataFeed", "dataFeedElement": [
        {"@type": "DataFeedItem", "item": [claim_review(1)]}, {"@type": "DataFeedItem", "item": claim_review(2)}]},
    "claims:search response": {"claims": [google_claim(1), google_claim(2)], "nextPageToken": "abc"},
    "bare list of claims": [google_claim(1), google_claim(2)],
}


@pytest.mark.parametrize("shape", SHAPES)
def test_each_shape_is_read(shape):
    found = read(SHAPES[shape])
    assert all(isinstance(record, Record) for _, record in found), found
    assert [r.review_url.rsplit("/", 1)[1] for _, r in found] == ["1", "2"][: len(found)]
    assert len(found) == (1 if shape in ("one object", "mainEntity") else 2)


def test_json_lines_are_read(tmp_path):
    lines = "\n".join(json.dumps(item) for item in [claim_review(1), google_claim(2), [claim_review(3)]]) + "\n"
    out, err = run_import(write(tmp_path, lines, "reviews.jsonl"))
    assert err == "" and "3 imported" in out
    assert ExternalReview.objects.count() == 3


@pytest.mark.parametrize("written, expected", [
    ("2020-03-11", datetime.datetime(2020, 3, 11, tzinfo=datetime.UTC)),
    ("2020-03-11T01:05:52", datetime.datetime(2020, 3, 11, 1, 5, 52, tzinfo=datetime.UTC)),
    ("2020-03-11T01:05:52Z", datetime.datetime(2020, 3, 11, 1, 5, 52, tzinfo=datetime.UTC)),
    ("2020-03-11T03:05:52+02:00", datetime.datetime(2020, 3, 11, 1, 5, 52, tzinfo=datetime.UTC)),
    ("2020-03-11 01:05:52.250+00:00", datetime.datetime(2020, 3, 11, 1, 5, 52, 250000, tzinfo=datetime.UTC)),
    ("Wed, 11 Mar 2020 01:05:52 UTC +00:00", datetime.datetime(2020, 3, 11, 1, 5, 52, tzinfo=datetime.UTC)),
    ("Wed, 11 Mar 2020 03:05:52 +0200", datetime.datetime(2020, 3, 11, 1, 5, 52, tzinfo=datetime.UTC)),
    ("Wed, 11 Mar 2020 01:05:52 GMT", datetime.datetime(2020, 3, 11, 1, 5, 52, tzinfo=datetime.UTC)),
])
def test_dates_in_iso_and_rfc_2822(written, expected):
    [(_, record)] = read(claim_review(1, datePublished=written))
    assert record.review_date == expected


def test_publisher_and_author_as_a_string_or_an_object_and_numbers_as_strings():
    [(_, by_name), (_, by_site), (_, numbers)] = read([
        claim_review(1, author="Full Fact"),
        claim_review(2, author=None, publisher="https://www.fullfact.org/"),
        claim_review(3, reviewRating={"ratingValue": "2", "bestRating": " 5 ", "worstRating": "1",
                                      "alternateName": "Mostly false"}),
    ])
    assert (by_name.publisher_name, by_name.publisher_site) == ("Full Fact", "")
    assert by_site.publisher_site == "fullfact.org"
    assert (numbers.rating_value, numbers.best_rating, numbers.worst_rating) == (2.0, 5.0, 1.0)


@pytest.mark.parametrize("change, reason", [
    ({"claimReviewed": ""}, "it has no claimReviewed"),
    ({"url": None}, "it has no url"),
    ({"author": None}, "it has no publisher"),
    ({"author": {"@type": "Organization"}}, "it has no publisher"),
    ({"claimReviewed": ["a", "list"]}, "claimReviewed is not text"),
    ({"url": "javascript:alert(1)"}, "is not an http(s) address"),
    ({"url": "https://checks.example/" + "a" * 2000}, "characters long; the limit is 2,000"),
    ({"datePublished": "last Tuesday"}, "datePublished 'last Tuesday' is not a date"),
    ({"reviewRating": {"ratingValue": "1e400"}}, "ratingValue '1e400' is not a finite number"),
    ({"reviewRating": {"ratingValue": "very"}}, "ratingValue 'very' is not a number"),
    ({"reviewRating": {"alternateName": "x" * 3_000_000}}, "alternateName is 3,000,000 characters long"),
])
def test_a_bad_record_is_refused_alone_with_its_position_and_reason(tmp_path, change, reason):
    out, err = run_import(write(tmp_path, [claim_review(1), claim_review(2, **change), claim_review(3)]))
    assert "2 imported, 0 updated, 0 already there, 1 bad" in out
    assert "Record 2 ([1]) skipped: " in err and reason in err
    assert len(err) < 400  # a huge value is never echoed whole


def test_a_literal_1e400_refuses_its_record_only(tmp_path):
    raw = json.dumps([claim_review(1), claim_review(2), claim_review(3)])
    raw = raw.replace('"ratingValue": 1', '"ratingValue": 1e400', 1)
    out, err = run_import(write(tmp_path, raw))
    assert "2 imported" in out and "1 bad" in out and "not a finite number" in err


def test_missing_date_claimant_and_rating_are_no_reason_to_refuse(tmp_path):
    bare = claim_review(1, datePublished=None, reviewRating=None, itemReviewed=None)
    long_text = "A claim far longer than the desk's wording rule allows, " * 10
    out, err = run_import(write(tmp_path, [bare, claim_review(2, claimReviewed=long_text)]))
    assert err == "" and "2 imported" in out
    review = ExternalReview.objects.get(url="https://checks.example/2")
    assert review.claim_reviewed == " ".join(long_text.split())
    assert review.claim.quote == review.claim_reviewed and len(review.claim.text) <= 200


def test_nul_characters_and_control_characters_are_dropped_the_same_on_both_databases(tmp_path):
    out, err = run_import(write(tmp_path, [claim_review(1, claimReviewed="Nul\x00 in\x07 the claim",
                                                         headline="Head\x00line")]))
    assert "1 imported" in out, err
    review = ExternalReview.objects.get()
    assert (review.claim_reviewed, review.headline) == ("Nul in the claim", "Headline")


def test_a_truncated_file_keeps_what_came_before_and_says_where_it_broke(tmp_path):
    raw = json.dumps([claim_review(n) for n in range(1, 4)])
    with pytest.raises(Exception, match="Stopped after 2 record"):
        run_import(write(tmp_path, raw[: raw.index("checks.example/3") + 5]))
    assert ExternalReview.objects.count() == 2


@pytest.mark.parametrize("raw", ["", "{", "42", "[1, 2]", '{"claims": "nope"}', "\x00\x00"])
def test_garbage_is_refused_without_a_crash(tmp_path, raw):
    try:
        out, _ = run_import(write(tmp_path, raw))
    except Exception as exc:  # CommandError: the file is broken
        assert "Stopped after" in str(exc) or "empty" in str(exc)
    else:
        assert "0 imported" in out
    assert not ExternalReview.objects.exists()


def test_the_same_review_url_may_carry_several_claims(tmp_path):
    out, _ = run_import(write(tmp_path, [claim_review(1), claim_review(1, claimReviewed="Another claim, same page")]))
    assert "2 imported" in out
    assert Claim.objects.count() == 2


def test_a_changed_rating_or_date_is_updated_and_recorded(tmp_path):
    run_import(write(tmp_path, [claim_review(1)]))
    changed = claim_review(1, datePublished="2025-11-02", reviewRating={"alternateName": "Misleading"})
    out, _ = run_import(write(tmp_path, [changed]))
    assert "0 imported, 1 updated" in out
    review = ExternalReview.objects.get()
    assert review.textual_rating == "Misleading" and review.review_date.date() == datetime.date(2025, 11, 2)
    event = ClaimEvent.objects.filter(claim=review.claim, kind="edited").get()
    assert event.changes["textual_rating"] == ["False", "Misleading"]
    assert event.changes["review_date"][1].startswith("2025-11-02")
    out, _ = run_import(write(tmp_path, [changed]))
    assert "0 imported, 0 updated, 1 already there" in out


def test_claimants_keep_their_own_names_and_platforms_are_not_people(tmp_path):
    names = ["राहुल शर्मा", "राहुल वर्मा", "الشريف 𝕏", "x.com", "Facebook posts", "social media users", "𝕏"]
    run_import(write(tmp_path, [google_claim(n, claimant=name) for n, name in enumerate(names)]))
    claimants = {c.name: c for c in Claimant.objects.all()}
    assert set(claimants) == set(names)
    assert len({c.slug for c in claimants.values()}) == len(names)
    assert claimants["الشريف 𝕏"].slug.startswith("الشريف")
    for platform in ("x.com", "Facebook posts", "social media users"):
        assert claimants[platform].kind != Claimant.Kind.PERSON


def test_import_export_reimport_gives_the_same_records(tmp_path, client):
    originals = [
        claim_review(1),
        claim_review(2, author="Full Fact", inLanguage={"@type": "Language", "name": "ar"},
                     datePublished="Wed, 11 Mar 2020 01:05:52 UTC +00:00", headline="A headline",
                     reviewRating={"alternateName": "Pants on Fire!"}),
        google_claim(3, claimant="x.com", rating="مضلل", language="ar"),
        claim_review(4, datePublished=None, itemReviewed=None, reviewRating={"ratingValue": "4.5", "bestRating": 10}),
    ]
    run_import(write(tmp_path, originals))
    fields = ["url", "publisher_name", "claim_reviewed", "claimant_name", "claimant_same_as", "claim_date",
              "appearance_url", "headline", "textual_rating", "rating_value", "best_rating", "worst_rating",
              "rating_explanation", "language", "review_date", "key", "claim_key"]
    before = sorted(ExternalReview.objects.values_list("publisher__site", *fields))
    exported = client.get("/api/v1/claimreview/?include=others&page_size=100").json()["results"]
    assert sorted(map(json.dumps, exported)) == sorted(
        json.dumps(external_claim_review(r)) for r in ExternalReview.objects.select_related("publisher"))
    ExternalReview.objects.all().delete()
    out, err = run_import(write(tmp_path, exported, "export.json"))
    assert err == "" and "4 imported" in out
    assert sorted(ExternalReview.objects.values_list("publisher__site", *fields)) == before
