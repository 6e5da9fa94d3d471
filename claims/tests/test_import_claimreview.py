"""manage.py import_claimreview: both formats, stdin, bad records, idempotence, no half-written record, and the
round trip export → import → export."""

import io
import json
import sys

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.urls import reverse

from claims.claimreview_import import BadRecord, Review, from_claim_review
from claims.jsonld import claim_url
from claims.models import Claim, Claimant, ClaimEvent, Rating, Source, Verdict

pytestmark = pytest.mark.django_db

SITE = "https://factcheck.example"



def claim_review(n, *, rating=None, **overrides):
    review = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": f"{SITE}/checks/{n}",
        "claimReviewed": f"Claim number {n} about frozen assets",
        "author": {"@type": "Organization", "name": "Example Checkers", "url": SITE},
        "datePublished": "2025-10-23",
        "reviewRating": rating if rating is not None else {
            "@type": "Rating", "ratingValue": 1, "bestRating": 5, "worstRating": 1, "alternateName": "False",
            "ratingExplanation": f"Explanation {n}.",
        },
        "itemReviewed": {
            "@type": "Claim",
            "author": {"@type": "Person", "name": "Sergey Lavrov",
                       "sameAs": "https://en.wikipedia.org/wiki/Sergey_Lavrov"},
            "datePublished": "2025-10-21",
            "appearance": {"@type": "CreativeWork", "url": "https://news.example/lavrov",
                           "headline": "Lavrov speaks"},
        },
    }
    review.update(overrides)
    return review


def run(path_or_dash, **options):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_claimreview", str(path_or_dash), stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def write(tmp_path, data, name="reviews.json"):
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_a_claimreview_list_imports_published_claims(tmp_path):
    path = write(tmp_path, [
        claim_review(1),
        claim_review(2, rating={"@type": "Rating", "alternateName": "Mostly False", "ratingExplanation": "Mostly."}),
        claim_review(3, rating={"ratingValue": 4, "bestRating": 5, "worstRating": 1, "alternateName": "Whatever"}),
    ])
    out, err = run(path)
    assert err == ""
    assert "Done: 3 record(s) read: 3 imported, 0 already there, 0 bad." in out

    claims = {c.imported_from: c for c in Claim.objects.public().order_by("id")}
    assert set(claims) == {f"{SITE}/checks/{n}" for n in (1, 2, 3)}
    first = claims[f"{SITE}/checks/1"]
    assert (first.status, first.text, first.claim_date.isoformat()) == ("published", "Claim number 1 about frozen "
                                                                          "assets", "2025-10-21")
    assert first.published_at.date().isoformat() == "2025-10-23"
    assert first.published_verdict.rating.slug == "false"
    assert first.published_verdict.summary == "Explanation 1."
    assert first.published_verdict.proposed_by_name == "Example Checkers"
    assert claims[f"{SITE}/checks/2"].published_verdict.rating.slug == "mostly-false"
    assert claims[f"{SITE}/checks/3"].published_verdict.rating.slug == "mostly-true"  # ratingValue wins

    assert Claimant.objects.filter(name="Sergey Lavrov").count() == 1  # reused across records
    lavrov = Claimant.objects.get(name="Sergey Lavrov")
    assert (lavrov.slug, lavrov.kind, lavrov.same_as) == ("sergey-lavrov", "person",
                                                          "https://en.wikipedia.org/wiki/Sergey_Lavrov")
    assert Source.objects.get().title == "Lavrov speaks"
    assert first.source.url == "https://news.example/lavrov"

    (event,) = ClaimEvent.objects.filter(claim=first)  # one event: the publication, noting the import
    assert (event.kind, event.public, event.to_status) == ("published", True, "published")
    assert f"{SITE}/checks/1" in event.note
    importer = event.actor
    assert importer.username == "importer"
    assert not importer.has_usable_password()
    assert importer.has_perm("claims.review_claim")


def test_a_single_claimreview_object_imports(tmp_path):
    out, _ = run(write(tmp_path, claim_review(7)))
    assert "1 imported" in out
    assert Claim.objects.get().imported_from == f"{SITE}/checks/7"


def test_an_existing_claimant_is_reused(tmp_path):
    existing = Claimant.objects.create(name="Sergey Lavrov", slug="sergey-lavrov", description="Foreign Minister")
    run(write(tmp_path, [claim_review(1)]))
    assert Claim.objects.get().claimant == existing
    existing.refresh_from_db()
    assert existing.description == "Foreign Minister"


GOOGLE = {
    "claims": [
        {"text": "The summit was cancelled by Washington", "claimant": "Kremlin spokesman", "claimDate":
         "2025-10-22T00:00:00Z", "claimReview": [
             {"publisher": {"name": "Check One", "site": "checkone.example"}, "url": "https://checkone.example/a",
              "title": "Who cancelled the summit?", "reviewDate": "2025-10-24T10:00:00Z", "textualRating": "False",
              "languageCode": "en"},
             {"publisher": {"name": "Check Two"}, "url": "https://checktwo.example/a", "title": "No, it was not",
              "reviewDate": "2025-10-25T00:00:00Z", "textualRating": "Mostly false", "languageCode": "de"},
         ]},
        {"text": "Russia holds 300 billion in reserves", "claimant": "Some blogger", "claimReview": [
            {"publisher": {"name": "Check Three"}, "url": "https://checkthree.example/b", "title": "Reserves",
             "reviewDate": "2025-10-26", "textualRating": "Pants on Fire!", "languageCode": "en"}]},
        {"text": "Nobody said this", "claimReview": [
            {"publisher": {"name": "Check Four"}, "url": "https://checkfour.example/c", "title": "No claimant",
             "reviewDate": "2025-10-26", "textualRating": "False"}]},
        {"text": "Sanctions are working", "claimant": "Минфин России", "claimDate": "2025-10-20", "claimReview": [
            {"publisher": {"name": "Check Five"}, "url": "https://checkfive.example/d", "title": "Are they?",
             "reviewDate": "2025-10-27", "textualRating": "half true.", "languageCode": "ru"}]},
        {"text": "A link that runs script", "claimant": "Someone", "claimReview": [
            {"url": "javascript:alert(1)", "reviewDate": "2025-10-27", "textualRating": "False"}]},
    ],
    "nextPageToken": "CAE",
}


def test_the_google_format_imports_and_reports_bad_records_by_position(tmp_path):
    out, err = run(write(tmp_path, GOOGLE))
    assert "Done: 6 record(s) read: 3 imported, 0 already there, 3 bad." in out
    bad = err.strip().splitlines()
    assert len(bad) == 3
    assert bad[0].startswith("Record 3 (claims[1].claimReview[0]) skipped:")
    assert "Pants on Fire!" in bad[0]
    assert bad[1].startswith("Record 4 (claims[2].claimReview[0]) skipped: it has no claimant")
    assert bad[2].startswith("Record 6 (claims[4].claimReview[0]) skipped:")
    assert "http" in bad[2]

    imported = {c.imported_from: c for c in Claim.objects.select_related("published_verdict", "claimant")}
    assert set(imported) == {"https://checkone.example/a", "https://checktwo.example/a",
                             "https://checkfive.example/d"}
    two = imported["https://checktwo.example/a"]
    assert (two.language, two.published_verdict.rating_label, two.published_verdict.summary) == (
        "de", "Mostly false", "No, it was not")
    assert two.claimant == imported["https://checkone.example/a"].claimant  # one claim, two reviews
    assert two.claim_date.isoformat() == "2025-10-22"
    minfin = imported["https://checkfive.example/d"].claimant
    assert minfin.name == "Минфин России"
    assert minfin.slug.startswith("claimant-")  # ASCII, so that its public page has a URL
    assert reverse("public:claimant", args=[minfin.slug])
    assert not Claimant.objects.filter(name__in=["Some blogger", "Someone"]).exists()


def test_the_import_reads_stdin(monkeypatch):
    stdin = io.TextIOWrapper(io.BytesIO(json.dumps([claim_review(1), claim_review(2)]).encode()), encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", stdin)
    out, _ = run("-")
    assert "2 imported" in out
    assert Claim.objects.count() == 2


def test_a_second_run_adds_nothing(tmp_path):
    path = write(tmp_path, GOOGLE)
    run(path)
    counts = (Claim.objects.count(), Verdict.objects.count(), Claimant.objects.count(), ClaimEvent.objects.count())
    out, _ = run(path)
    assert "0 imported, 3 already there, 3 bad" in out
    assert (Claim.objects.count(), Verdict.objects.count(), Claimant.objects.count(),
            ClaimEvent.objects.count()) == counts


def test_a_record_that_fails_half_way_leaves_nothing_behind(tmp_path, monkeypatch):
    create = Verdict.objects.create

    def failing(**kwargs):
        if kwargs["summary"] == "Explanation 2.":
            raise IntegrityError("the verdict could not be stored")
        return create(**kwargs)

    monkeypatch.setattr(Verdict.objects, "create", failing)
    second = claim_review(2)
    second["itemReviewed"]["author"] = {"@type": "Person", "name": "Only In Record Two"}
    second["itemReviewed"]["appearance"] = {"url": "https://only-in-two.example/"}
    out, err = run(write(tmp_path, [claim_review(1), second, claim_review(3)]))
    assert "2 imported, 0 already there, 1 bad" in out
    assert "Record 2 ([1]) skipped: the database refused it" in err
    assert not Claim.objects.filter(imported_from=f"{SITE}/checks/2").exists()
    assert not Claimant.objects.filter(name="Only In Record Two").exists()
    assert not Source.objects.filter(url="https://only-in-two.example/").exists()
    assert Claim.objects.count() == 2


def test_claim_text_over_the_hard_limit_is_a_bad_record(tmp_path):
    out, err = run(write(tmp_path, [claim_review(1, claimReviewed="x" * 201), claim_review(2)]))
    assert "1 imported" in out
    assert "Record 1 ([0]) skipped: The claim text is 201 characters" in err
    assert Claim.objects.get().imported_from == f"{SITE}/checks/2"


def test_records_stream_with_progress_and_a_broken_tail_keeps_what_came_before(tmp_path):
    records = ",".join(json.dumps(claim_review(n)) for n in range(250))
    path = write(tmp_path, "[" + records + ', {"@type": "ClaimReview", "url": ')  # cut off mid-record
    with pytest.raises(CommandError, match="Stopped after 250 record"):
        out = io.StringIO()
        call_command("import_claimreview", str(path), "--progress-every", "100", stdout=out, stderr=io.StringIO())
    progress = [line for line in out.getvalue().splitlines() if line.startswith("…")]
    assert len(progress) == 2  # at 100 and 200 records
    assert "100 records read: 100 imported" in progress[0]
    assert "%]" in progress[0]  # a file's size is known, so the share read is shown
    assert "Done: 250 record(s) read" in out.getvalue()
    assert Claim.objects.count() == 250


@pytest.mark.parametrize("content, message", [
    ("", "not valid JSON"),
    ("   \n", "not valid JSON"),
    ("42", "expected a ClaimReview object"),
    ("{not json", "not valid JSON"),
])
def test_a_file_that_is_not_claimreview_json_stops_with_a_clear_error(tmp_path, content, message):
    with pytest.raises(CommandError, match=message):
        run(write(tmp_path, content))


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        run(tmp_path / "missing.json")


@pytest.mark.parametrize("rating, expected", [
    ({"ratingValue": 2, "bestRating": 5, "worstRating": 1}, "mostly-false"),
    ({"ratingValue": "5"}, "true"),
    ({"ratingValue": 7, "bestRating": 10, "worstRating": 1, "alternateName": "Misleading"}, "misleading"),
    ({"alternateName": "  UNSUPPORTED. "}, "unsupported"),
    ({"alternateName": "half-true"}, "half-true"),
])
def test_ratings_map_by_value_then_by_name(rating, expected):
    review = from_claim_review(claim_review(1, rating={**rating, "ratingExplanation": "Why."}))
    assert review.rating(list(Rating.objects.all())).slug == expected


@pytest.mark.parametrize("rating", [{"alternateName": "Four Pinocchios"}, {"ratingValue": 9, "bestRating": 10},
                                    {}])
def test_an_unknown_rating_is_never_guessed(rating):
    review = from_claim_review(claim_review(1, rating=rating))
    with pytest.raises(BadRecord):
        review.rating(list(Rating.objects.all()))


@pytest.mark.parametrize("change, reason", [
    ({"@type": "Article"}, "not ClaimReview"),
    ({"url": None}, "no url"),
    ({"datePublished": "yesterday"}, "not a date"),
    ({"claimReviewed": 42}, "not text"),
])
def test_malformed_records_say_what_is_wrong(change, reason):
    with pytest.raises(BadRecord, match=reason):
        from_claim_review(claim_review(1, **change))


def test_a_javascript_same_as_is_refused():
    review = claim_review(1)
    review["itemReviewed"]["author"]["sameAs"] = "javascript:alert(1)"
    with pytest.raises(BadRecord, match="sameAs"):
        from_claim_review(review)


def test_review_is_a_plain_record():
    assert {f for f in Review.__dataclass_fields__} >= {"text", "review_url", "rating_name", "summary"}


# ---------------------------------------------------------------------------------------------------------
# The round trip.


def export(client):
    reviews, url = [], "/api/v1/claimreview/?page_size=5"
    while url:
        page = client.get(url).json()
        reviews += page["results"]
        url = page["next"]
    return reviews


def test_demo_data_round_trips_through_claimreview(client, tmp_path):
    with transaction.atomic():
        call_command("load_demo", stdout=io.StringIO())
        before = export(client)
        transaction.set_rollback(True)  # back to an empty register
    assert before, "the demo data publishes some claims"
    assert not Claim.objects.exists()

    out, err = run(write(tmp_path, before))
    assert err == ""
    assert f"{len(before)} imported" in out
    after = export(client)

    # Identical but for ``url``, which is each fact-check's own page: here, the imported claim's.
    origin = {c.imported_from: c for c in Claim.objects.public()}
    assert len(after) == len(before)
    for review in before:
        claim = origin[review["url"]]
        (again,) = [r for r in after if r["url"] == claim_url(claim)]
        assert {**again, "url": review["url"]} == review


def test_an_import_that_stops_keeps_its_committed_batches_and_a_rerun_adds_the_rest(tmp_path, monkeypatch):
    from claims.management.commands import import_claimreview

    monkeypatch.setattr(import_claimreview, "BATCH", 2)
    path = write(tmp_path, [claim_review(n) for n in range(1, 6)])
    create = Verdict.objects.create

    def interrupted(**kwargs):
        if kwargs["summary"] == "Explanation 4.":
            raise KeyboardInterrupt  # ^C, or the process killed, half way through the second batch
        return create(**kwargs)

    monkeypatch.setattr(Verdict.objects, "create", interrupted)
    with pytest.raises(KeyboardInterrupt):
        run(path)
    assert sorted(Claim.objects.values_list("imported_from", flat=True)) == [f"{SITE}/checks/1", f"{SITE}/checks/2"]
    monkeypatch.setattr(Verdict.objects, "create", create)
    out, _ = run(path)
    assert "3 imported, 2 already there, 0 bad" in out
    assert Claim.objects.count() == 5
