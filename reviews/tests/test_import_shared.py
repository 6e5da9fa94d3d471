"""Both shared files, as Google's claims:search returns them, imported on this database: every record with a
claim text, a review URL and a publisher is kept, field by field as the publisher wrote it."""

import json

import pytest

from claims.models import Claim, ClaimEvent
from reviews.models import ExternalReview, Publisher, claim_key, review_key

from .conftest import ARABIC, COVID, run_import

pytestmark = pytest.mark.django_db


def expected(path):
    """{review key: (claim, review)} from the file, read plainly with json (the first of two equal keys: a later
    copy with the same rating and date, and a headline cut with "...", changes nothing)."""
    found = {}
    for claim in json.loads(path.read_text(encoding="utf-8")):
        text = " ".join(claim["text"].split())
        for review in claim["claimReview"]:
            found.setdefault(review_key(review["url"], text), (claim, review))
    return found


@pytest.mark.parametrize("path, records, reviews, claims, publishers, languages", [
    (ARABIC, 1776, 1293, 1274, 15, {"ar": 1258, "en": 34, "my": 1}),
    (COVID, 3515, 2891, 2875, 63, {"en": 2891}),
])
def test_a_shared_file_is_imported_whole(shared_files, path, records, reviews, claims, publishers, languages):
    out, err = run_import(path)
    assert err == ""
    assert f"Done: {records} record(s) read: {reviews} imported, 0 updated, {records - reviews} already there, " \
           "0 bad." in out
    file = expected(path)
    assert ExternalReview.objects.count() == len(file) == reviews
    assert Claim.objects.count() == len({claim_key(key[0]["text"]) for key in file.values()}) == claims
    assert Publisher.objects.count() == publishers
    by_language = {}
    for language in ExternalReview.objects.values_list("language", flat=True):
        by_language[language] = by_language.get(language, 0) + 1
    assert by_language == languages

    for review in ExternalReview.objects.select_related("publisher"):
        claim, original = file[review.key]
        assert review.url == original["url"]
        assert review.claim_reviewed == " ".join(claim["text"].split())
        assert review.claimant_name == " ".join(claim.get("claimant", "").split())
        assert review.textual_rating == " ".join(original["textualRating"].split())
        assert review.headline == " ".join(original["title"].split())
        assert review.publisher_name == (original["publisher"].get("name") or "")
        assert review.publisher.site == original["publisher"]["site"].removeprefix("www.")
        assert review.language == original["languageCode"]
        assert (review.review_date is None) == ("reviewDate" not in original)
        assert (review.rating_value, review.best_rating, review.worst_rating) == (None, None, None)

    again, err = run_import(path)
    assert f"0 imported, 0 updated, {records} already there, 0 bad." in again
    assert ExternalReview.objects.count() == reviews


def test_imported_claims_wait_in_no_desk_queue(shared_files):
    run_import(ARABIC)
    assert not Claim.objects.public().exists()
    assert not Claim.objects.new_arrivals().exists()
    assert set(Claim.objects.values_list("status", "close_reason").distinct()) == {("closed", "checked_elsewhere")}
    assert not ClaimEvent.objects.filter(kind__in=["published", "approved", "verdict_proposed"]).exists()
