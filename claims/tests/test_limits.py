"""Limits that hold for everyone, on both databases: slugs unique regardless of case, http(s)-only
addresses, client addresses, login throttling, request and field sizes, reader tips."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.db.models import F

from claims.models import Claimant, Topic

from .factories import ClaimantFactory, TopicFactory

# ---------------------------------------------------------------------------------------------------------
# Slugs are unique regardless of case.


def test_the_database_refuses_a_claimant_slug_that_differs_only_in_case(db):
    ClaimantFactory(slug="sergey-lavrov")
    with pytest.raises(IntegrityError), transaction.atomic():
        ClaimantFactory(slug="Sergey-Lavrov")


def test_the_database_refuses_a_topic_slug_that_differs_only_in_case(db):
    TopicFactory(slug="frozen-assets")
    with pytest.raises(IntegrityError), transaction.atomic():
        TopicFactory(slug="Frozen-Assets")


def test_the_api_refuses_a_claimant_slug_that_differs_only_in_case(api_client_with_token):
    ClaimantFactory(slug="sergey-lavrov")
    response = api_client_with_token.post("/api/v1/claimants/", {"name": "Lavrov", "slug": "Sergey-Lavrov"},
                                          format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "unique"
    assert "slug" in response.json()["errors"]


def test_the_api_refuses_a_topic_slug_that_differs_only_in_case(api_client_with_token):
    TopicFactory(slug="frozen-assets")
    response = api_client_with_token.post("/api/v1/topics/", {"name": "Assets", "slug": "FROZEN-assets"},
                                          format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "unique"
    assert "slug" in response.json()["errors"]
    assert Topic.objects.count() == 1


def test_a_slug_made_from_a_name_steps_past_one_in_another_case(editor_client):
    ClaimantFactory(name="Sergey Lavrov", slug="Sergey-Lavrov")
    response = editor_client.post("/desk/claimants/new/", {"name": "Sergey Lavrov", "kind": "person"})
    assert response.status_code == 302
    assert Claimant.objects.filter(slug="sergey-lavrov-2").exists()


# ---------------------------------------------------------------------------------------------------------
# Client addresses: one setting (TRUSTED_PROXY_COUNT) for every use.


def test_rotating_forwarded_for_does_not_escape_the_api_throttle(api_client, db, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK,
                               "DEFAULT_THROTTLE_RATES": {"anon": "5/minute", "user": "100/minute"}}
    statuses = [api_client.get("/api/v1/ratings/", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}").status_code
                for n in range(8)]
    assert statuses == [200] * 5 + [429] * 3


def test_behind_trusted_proxies_the_api_throttle_counts_the_client(api_client, db, settings):
    settings.TRUSTED_PROXY_COUNT = 2
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK,
                               "DEFAULT_THROTTLE_RATES": {"anon": "2/minute", "user": "100/minute"}}

    def get(client_address, forged="6.6.6.6"):
        # client → proxy A (appends the client) → proxy B (appends A) → app (REMOTE_ADDR is B)
        chain = f"{forged}, {client_address}, 10.0.0.2"
        return api_client.get("/api/v1/ratings/", HTTP_X_FORWARDED_FOR=chain, REMOTE_ADDR="10.0.0.3").status_code

    assert [get("198.51.100.1", forged=f"7.7.7.{n}") for n in range(3)] == [200, 200, 429]
    assert get("198.51.100.2") == 200


@pytest.mark.parametrize(("count", "header", "expected"), [
    (0, "1.2.3.4", "127.0.0.1"),
    (1, "1.2.3.4", "1.2.3.4"),
    (1, "9.9.9.9, 1.2.3.4", "1.2.3.4"),
    (2, "9.9.9.9, 1.2.3.4, 10.0.0.1", "1.2.3.4"),
    (3, "1.2.3.4", "1.2.3.4"),
    (1, "not-an-address", "127.0.0.1"),
    (1, "", "127.0.0.1"),
])
def test_the_client_address(rf, settings, count, header, expected):
    from claims.addresses import client_ip

    settings.TRUSTED_PROXY_COUNT = count
    assert client_ip(rf.get("/", HTTP_X_FORWARDED_FOR=header)) == expected


def test_axes_counts_the_client_behind_the_proxy(client, editor, settings):
    # Five failures of one reader behind the proxy must not lock out everybody behind it.
    settings.TRUSTED_PROXY_COUNT = 1
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": "erin", "password": "wrong"},
                    HTTP_X_FORWARDED_FOR="198.51.100.66")
    colleague = client.post("/accounts/login/", {"username": "erin", "password": PASSWORD},
                            HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert colleague.status_code == 302


# ---------------------------------------------------------------------------------------------------------
# Log-in guessing: per account across addresses, per address across accounts; never a lock a stranger can
# put on a real user.

PASSWORD = "correct horse battery staple"


def login(client, username, password, address):
    return client.post("/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=address)


def test_spraying_from_one_address_is_throttled(client, db, settings):
    from .factories import EditorFactory

    for n in range(8):
        EditorFactory(username=f"victim{n}")
    answers = [login(client, f"victim{n % 8}", f"guess{n}", "203.0.113.5").status_code for n in range(32)]
    # Four guesses per account stays below axes' five per account and address: the address limit stops it.
    assert answers[: settings.LOGIN_FAILURES_PER_ADDRESS] == [200] * settings.LOGIN_FAILURES_PER_ADDRESS
    assert set(answers[settings.LOGIN_FAILURES_PER_ADDRESS:]) == {429}
    refused = login(client, "victim0", PASSWORD, "203.0.113.5")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert "slowed down" in refused.content.decode()
    # Everyone else logs in as usual, the victims included.
    assert login(client, "victim0", PASSWORD, "198.51.100.20").status_code == 302


def test_guessing_one_account_from_many_addresses_is_slowed_down(client, editor, settings):
    from axes.models import AccessFailureLog

    answers = [login(client, "erin", f"guess{n}", f"203.0.113.{n % 20}").status_code for n in range(80)]
    assert answers.count(200) == settings.LOGIN_FAILURES_PER_ACCOUNT  # the rest never reached the password check
    assert answers.count(429) == 80 - settings.LOGIN_FAILURES_PER_ACCOUNT
    assert AccessFailureLog.objects.filter(username="erin").count() == settings.LOGIN_FAILURES_PER_ACCOUNT
    # One more guess is allowed once the delay has passed since the last failure.
    AccessFailureLog.objects.update(attempt_time=F("attempt_time") - datetime.timedelta(
        seconds=settings.LOGIN_ACCOUNT_DELAY_SECONDS))
    assert login(client, "erin", "guess81", "203.0.113.99").status_code == 200
    assert login(client, "erin", "guess82", "203.0.113.98").status_code == 429


def test_a_stranger_cannot_lock_the_real_user_out(editor, settings):
    from django.test import Client

    from claims.logins import DEVICE_COOKIE

    own_browser = Client()
    assert login(own_browser, "erin", PASSWORD, "198.51.100.20").status_code == 302
    device = own_browser.cookies[DEVICE_COOKIE].value
    own_browser.logout()  # the test client's log-out forgets every cookie; a browser keeps this one
    own_browser.cookies[DEVICE_COOKIE] = device
    attacker = Client()
    for n in range(40):
        login(attacker, "erin", f"guess{n}", f"203.0.113.{n}")
    # Mid-attack, from the browser she logged in with before (any address): straight in.
    assert login(own_browser, "erin", PASSWORD, "192.0.2.44").status_code == 302
    # From a new browser she waits the delay at most, never the whole attack.
    new_browser = Client()
    delayed = login(new_browser, "erin", PASSWORD, "192.0.2.45")
    assert delayed.status_code == 429
    assert int(delayed["Retry-After"]) <= settings.LOGIN_ACCOUNT_DELAY_SECONDS


def test_a_forged_device_cookie_exempts_nobody(client, editor, settings):
    from claims.logins import DEVICE_COOKIE

    for n in range(settings.LOGIN_FAILURES_PER_ACCOUNT):
        login(client, "erin", f"guess{n}", f"203.0.113.{n}")
    client.cookies[DEVICE_COOKIE] = '["erin"]'
    assert login(client, "erin", "guess-x", "203.0.113.77").status_code == 429


# ---------------------------------------------------------------------------------------------------------
# Request and field sizes: one limit per field (its max_length), the same for the desk, the API and imports.


def test_a_quote_has_one_limit_for_the_desk_the_api_and_the_workflow(editor, editor_client, api_client_with_token):
    from claims import workflow
    from claims.models import Claim, limit

    too_long = "q" * (limit(Claim, "quote") + 1)
    claimant = ClaimantFactory()
    desk = editor_client.post("/desk/claims/new/", {"text": "A claim", "quote": too_long, "claimant": claimant.pk,
                                                    "language": "en", "confirm_new": "on"})
    assert desk.status_code in (200, 400)
    assert "at most 5000 characters" in desk.content.decode() or "at most 5,000 characters" in desk.content.decode()
    api = api_client_with_token.post("/api/v1/claims/", {"text": "A claim", "quote": too_long,
                                                         "claimant": claimant.pk}, format="json")
    assert api.status_code == 400
    assert "quote" in api.json()["errors"]
    with pytest.raises(workflow.WorkflowError) as refused:
        workflow.create_claim(actor=editor, text="A claim", claimant=claimant, quote=too_long)
    assert refused.value.field == "quote"
    assert not Claim.objects.exists()


def test_a_verdict_analysis_past_its_limit_is_refused_by_the_workflow(editor):
    from claims import workflow
    from claims.models import Verdict, limit

    from .factories import rating, researching_claim

    claim = researching_claim(actor=editor)
    with pytest.raises(workflow.WorkflowError) as refused:
        workflow.propose_verdict(claim=claim, actor=editor, version=claim.version, rating=rating(),
                                 summary="Wrong.", analysis="a" * (limit(Verdict, "analysis") + 1))
    assert refused.value.field == "analysis"


def test_a_claim_holds_at_most_the_documented_number_of_evidence_items(editor, editor_client,
                                                                       api_client_with_token, settings):
    from .factories import researching_claim

    settings.MAX_EVIDENCE_PER_CLAIM = 2
    claim = researching_claim(actor=editor, evidence=2)
    api = api_client_with_token.post(f"/api/v1/claims/{claim.pk}/evidence/",
                                     {"title": "Third", "version": claim.version}, format="json")
    assert api.status_code == 409
    assert api.json()["code"] == "too_much_evidence"
    desk = editor_client.post(f"/desk/claims/{claim.pk}/evidence/", {"title": "Third", "stance": "context",
                                                                    "version": claim.version})
    assert "the most one claim can hold" in desk.content.decode()
    assert claim.evidence.count() == 2


def test_an_oversized_body_is_413_before_it_is_read(api_client_with_token, anonymous, settings, db):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2048
    big = "x" * 4096
    assert api_client_with_token.post("/api/v1/topics/", {"name": big, "slug": "big"}, format="json").status_code == 413
    page = anonymous.post("/submit/", {"text": big})
    assert page.status_code == 413
    assert "too large" in page.content.decode().lower()
