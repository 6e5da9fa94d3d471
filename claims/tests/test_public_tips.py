"""The reader tip form (/submit/): a reader's claim lands in the desk's New queue, and nothing else gets in."""

import pytest
import redis
from django.core.cache import cache
from django.test import Client

from claims.models import Claim, ClaimEvent

pytestmark = pytest.mark.django_db

GOOD = {
    "text": "The minister said inflation halved in a year",
    "url": "https://social.example/post/42",
    "details": "It was in a video posted on Tuesday.",
    "email": "reader@example.org",
    "website": "",
}


@pytest.fixture(autouse=True)
def fresh_rate_limit():
    # The per-address count lives in the cache, which outlives a test's database transaction.
    cache.clear()
    yield
    cache.clear()


def test_the_form_has_a_label_for_every_field_and_a_csrf_token(anonymous):
    page = anonymous.get("/submit/").content.decode()
    for name in ("text", "url", "details", "email"):
        assert f'for="id_{name}"' in page and f'name="{name}"' in page
    assert "csrfmiddlewaretoken" in page
    assert 'name="website"' in page and 'tabindex="-1"' in page  # the honeypot, out of the tab order


def test_a_tip_lands_in_the_new_queue_as_a_reader_tip_with_one_event(anonymous):
    response = anonymous.post("/submit/", GOOD)
    assert response.status_code == 302 and response["Location"] == "/submit/thanks/"

    claim = Claim.objects.get()
    assert claim.is_reader_tip and claim.status == Claim.Status.NEW
    assert claim.text == GOOD["text"] and claim.tipster_email == "reader@example.org"
    assert claim.claimant is None and not claim.is_public
    assert list(Claim.objects.new_arrivals()) == [claim]
    event = ClaimEvent.objects.get()
    assert (event.kind, event.actor, event.public, event.to_status) == ("created", None, False, "new")
    assert "https://social.example/post/42" in event.note and "video posted on Tuesday" in event.note

    thanks = anonymous.get(response["Location"])
    assert thanks.status_code == 200
    assert "we have your tip" in thanks.content.decode()


def test_only_the_text_is_required(anonymous):
    response = anonymous.post("/submit/", {"text": "Only the claim", "website": ""})
    assert response.status_code == 302
    claim = Claim.objects.get()
    assert claim.tipster_email == "" and claim.events.get().note == "Reader tip."


def test_unicode_and_right_to_left_tips_are_kept_as_typed(anonymous):
    text = "قال الوزير إن التضخم انخفض إلى النصف"
    assert anonymous.post("/submit/", {**GOOD, "text": text}).status_code == 302
    assert Claim.objects.get().text == text


def test_the_honeypot_is_thanked_and_ignored(anonymous):
    response = anonymous.post("/submit/", {**GOOD, "website": "https://spam.example"})
    assert response.status_code == 302 and response["Location"] == "/submit/thanks/"
    assert not Claim.objects.exists()
    # Even when the rest of the form is nonsense: a bot learns nothing from the answer.
    response = anonymous.post("/submit/", {"text": "", "website": "x"})
    assert response.status_code == 302 and not Claim.objects.exists()


@pytest.mark.parametrize(("field", "value", "message"), [
    ("text", "", "This field is required."),
    ("text", "   ", "This field is required."),
    ("text", "x" * 201, "at most 200 characters"),
    ("url", "javascript:alert(1)", "Enter a web address starting with http:// or https://."),
    ("url", "ftp://files.example/x", "Enter a web address starting with http:// or https://."),
    ("url", "https://example.org/" + "a" * 500, "at most 500 characters"),
    ("details", "y" * 1001, "at most 1000 characters"),
    ("email", "not-an-address", "Enter a valid email address."),
    ("email", "a" * 250 + "@example.org", "at most 254 characters"),
])
def test_bad_or_oversized_fields_are_refused_with_a_readable_error(anonymous, field, value, message):
    response = anonymous.post("/submit/", {**GOOD, field: value})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert "Please correct the fields marked below." in response.content.decode()
    assert not Claim.objects.exists()


def test_the_rate_limit_answers_429_after_the_hourly_allowance(anonymous, settings):
    settings.READER_TIPS_PER_HOUR = 3
    for n in range(3):
        assert anonymous.post("/submit/", {**GOOD, "text": f"Tip number {n}"}).status_code == 302
    refused = anonymous.post("/submit/", {**GOOD, "text": "One too many"})
    assert refused.status_code == 429
    assert "up to 3 tips an hour" in refused.content.decode()
    assert Claim.objects.count() == 3

    # Another address has its own allowance.
    other = Client(REMOTE_ADDR="203.0.113.9")
    assert other.post("/submit/", {**GOOD, "text": "From elsewhere"}).status_code == 302


def test_only_accepted_tips_count_against_the_limit(anonymous, settings):
    # Refused forms (empty, a javascript: link) and the honeypot's catches use none of the allowance.
    settings.READER_TIPS_PER_HOUR = 2
    assert anonymous.post("/submit/", {**GOOD, "text": ""}).status_code == 400
    assert anonymous.post("/submit/", {**GOOD, "url": "javascript:alert(1)"}).status_code == 400
    anonymous.post("/submit/", {**GOOD, "website": "bot"})
    assert anonymous.post("/submit/", GOOD).status_code == 302
    assert anonymous.post("/submit/", {**GOOD, "text": "Second"}).status_code == 302
    assert anonymous.post("/submit/", {**GOOD, "text": "Third"}).status_code == 429
    assert Claim.objects.count() == 2


def test_the_limit_keeps_what_the_reader_typed(anonymous, settings):
    settings.READER_TIPS_PER_HOUR = 1
    anonymous.post("/submit/", GOOD)
    refused = anonymous.post("/submit/", {**GOOD, "text": "Minister said exports doubled", "details": "On TV"})
    assert refused.status_code == 429
    assert "Minister said exports doubled" in refused.content.decode()
    assert "On TV" in refused.content.decode()
    assert "an hour" in refused.content.decode()


def test_the_limit_ignores_a_forged_forwarded_for(anonymous, settings):
    settings.READER_TIPS_PER_HOUR = 1
    anonymous.post("/submit/", GOOD, HTTP_X_FORWARDED_FOR="203.0.113.1")
    again = anonymous.post("/submit/", {**GOOD, "text": "Rotated"}, HTTP_X_FORWARDED_FOR="203.0.113.2")
    assert again.status_code == 429


def test_behind_a_trusted_proxy_the_limit_is_per_client(anonymous, settings):
    settings.READER_TIPS_PER_HOUR = 1
    settings.TRUSTED_PROXY_COUNT = 1
    # The client forged the first address; the proxy appended the one it saw (the last).
    assert anonymous.post("/submit/", GOOD, HTTP_X_FORWARDED_FOR="1.1.1.1, 198.51.100.7").status_code == 302
    assert anonymous.post("/submit/", {**GOOD, "text": "Two"},
                          HTTP_X_FORWARDED_FOR="2.2.2.2, 198.51.100.7").status_code == 429
    assert anonymous.post("/submit/", {**GOOD, "text": "Other reader"},
                          HTTP_X_FORWARDED_FOR="198.51.100.8").status_code == 302


def test_the_limit_is_kept_in_the_shared_cache(anonymous, settings):
    settings.READER_TIPS_PER_HOUR = 1
    anonymous.post("/submit/", GOOD)
    cache.clear()  # another app server with an empty process would see the same cache, not a fresh count
    assert anonymous.post("/submit/", {**GOOD, "text": "After a reset"}).status_code == 302


def test_csrf_is_enforced():
    client = Client(enforce_csrf_checks=True)
    assert client.post("/submit/", GOOD).status_code == 403
    assert not Claim.objects.exists()

    client.get("/submit/")
    token = client.cookies["csrftoken"].value
    assert client.post("/submit/", {**GOOD, "csrfmiddlewaretoken": token}).status_code == 302
    assert Claim.objects.count() == 1


def test_other_methods_are_refused(anonymous):
    assert anonymous.put("/submit/", GOOD).status_code == 405
    assert anonymous.post("/submit/thanks/").status_code == 405


def test_a_tip_never_shows_on_the_public_site(anonymous):
    anonymous.post("/submit/", GOOD)
    claim = Claim.objects.get()
    assert anonymous.get(claim.get_absolute_url()).status_code == 404
    assert GOOD["text"] not in anonymous.get("/claims/").content.decode()


def test_the_limit_holds_across_app_servers_sharing_redis(settings):
    """Two app servers are two processes with one Redis: the count must live there, not in a process.
    Redis runs on every machine of this project (see the machine notes); database 15 is left to tests."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": "redis://127.0.0.1:6379/15", "KEY_PREFIX": "public-tips-test"}}
    settings.READER_TIPS_PER_HOUR = 2
    cache.clear()
    first_server, second_server = Client(REMOTE_ADDR="198.51.100.7"), Client(REMOTE_ADDR="198.51.100.7")
    assert first_server.post("/submit/", {**GOOD, "text": "One"}).status_code == 302
    assert second_server.post("/submit/", {**GOOD, "text": "Two"}).status_code == 302
    assert first_server.post("/submit/", {**GOOD, "text": "Three"}).status_code == 429
    stored = redis.Redis.from_url("redis://127.0.0.1:6379/15").keys("public-tips-test:*reader-tip:198.51.100.7")
    assert len(stored) == 1
    cache.clear()
