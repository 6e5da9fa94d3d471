"""Probes a stranger (or a careless client) can send: each is answered with a clean 4xx, never a 500.

Every case named in issue 12's "Errors a stranger can cause" is here by name; ``test_no_probe_is_a_5xx``
then sends each payload to every page and endpoint, anonymously and as an editor, on the database the suite
runs on (CI runs it on SQLite and on PostgreSQL).
"""

import base64
import json

import pytest
from django.test import Client
from django.urls import reverse

from claims.models import Claimant, Source, Topic

from .factories import ClaimantFactory, SourceFactory, TopicFactory, published_claim

TAMPERED_CURSOR = base64.b64encode(b"p=notadate").decode()  # "cD1ub3RhZGF0ZQ=="
HUGE = "99999999999999999999"
BELOW_INT64 = "-9223372036854775809"


@pytest.fixture
def claim(editor, reviewer):
    return published_claim(actor=editor, approver=reviewer)


@pytest.fixture
def staff_client(db):
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.create_superuser("ada", "ada@newsroom.example", "pw-for-ada-only")
    c = Client()
    c.force_login(admin)
    return c


def assert_json_error(response, status):
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["code"] and body["detail"]
    return body


# ---------------------------------------------------------------------------------------------------------
# Tampered cursors, on every cursor-paginated endpoint.


def cursor_paths(claim):
    return ["/api/v1/claims/", "/api/v1/ratings/", f"/api/v1/claims/{claim.pk}/history/",
            f"/api/v1/claims/{claim.pk}/evidence/", f"/api/v1/claims/{claim.pk}/verdicts/",
            "/api/v1/claimants/", "/api/v1/sources/", "/api/v1/topics/", "/api/v1/claimreview/"]


@pytest.mark.parametrize("cursor", [TAMPERED_CURSOR, base64.b64encode(b"o=99999999999999999999999").decode(),
                                    base64.b64encode(b"p=" + b"9" * 30).decode(), "%00", "not base64!"])
def test_a_tampered_cursor_is_refused_on_every_list(api_client, claim, cursor):
    # 404 is DRF's answer to a cursor it cannot use; a made-up position in a list ordered by a text field
    # (claimants by name) is still a position, and answers 200.
    for path in cursor_paths(claim):
        response = api_client.get(path, {"cursor": cursor})
        assert response.status_code in (200, 404), (path, response.status_code)
        assert response["Content-Type"].startswith("application/json")


def test_the_tampered_cursor_of_the_report_is_refused_by_name(api_client, claim):
    body = assert_json_error(api_client.get("/api/v1/ratings/?cursor=cD1ub3RhZGF0ZQ%3D%3D"), 404)
    assert "cursor" in body["detail"].lower()


# ---------------------------------------------------------------------------------------------------------
# NUL bytes: refused in any query parameter and any form or JSON input, on both databases.


@pytest.mark.parametrize("query", ["q=a%00b", "rating=%00", "claimant=%00", "topic=%00", "a%00=1"])
def test_a_nul_in_the_public_index_query_is_a_400(anonymous, claim, query):
    response = anonymous.get(f"/claims/?{query}")
    assert response.status_code == 400
    assert b"NUL" in response.content or b"null character" in response.content.lower()


@pytest.mark.parametrize("path", ["/desk/", "/desk/sources/", "/desk/claimants/"])
def test_a_nul_in_the_desk_search_is_a_400(editor_client, path):
    assert editor_client.get(path, {"q": "a\x00b"}).status_code == 400


def test_a_nul_in_an_api_query_is_a_json_400(api_client, claim):
    body = assert_json_error(api_client.get("/api/v1/claims/?q=a%00b"), 400)
    assert "NUL" in body["detail"]


def test_a_nul_in_a_json_body_is_refused_and_never_stored(api_client_with_token):
    response = api_client_with_token.post("/api/v1/claimants/", {"name": "Nul\x00Name"}, format="json")
    body = assert_json_error(response, 400)
    assert "NUL" in body["detail"]
    assert not Claimant.objects.filter(name__startswith="Nul").exists()


def test_a_nul_in_a_json_key_is_refused(api_client_with_token):
    response = api_client_with_token.post("/api/v1/topics/", data='{"na\\u0000me": "x"}',
                                          content_type="application/json")
    assert_json_error(response, 400)


def test_a_nul_in_a_desk_form_is_refused_and_never_stored(editor_client):
    response = editor_client.post("/desk/claimants/new/", {"name": "Nul\x00Name", "kind": "person"})
    assert response.status_code == 400
    assert not Claimant.objects.filter(name__startswith="Nul").exists()


def test_a_nul_in_a_reader_tip_is_refused(anonymous, db):
    response = anonymous.post("/submit/", {"text": "Tip\x00text", "url": "https://news.example/a"})
    assert response.status_code == 400


# ---------------------------------------------------------------------------------------------------------
# Numbers out of range.


@pytest.mark.parametrize("value", [HUGE, BELOW_INT64, "9223372036854775808", "1e400", "²"])
def test_an_out_of_range_source_filter_is_a_400(api_client, claim, value):
    assert_json_error(api_client.get("/api/v1/claims/", {"source": value}), 400)


@pytest.mark.parametrize("path", ["/api/v1/claims/{}/", "/api/v1/sources/{}/", "/api/v1/claimants/{}/",
                                  "/claims/{}/", "/sources/{}/"])
def test_an_out_of_range_id_in_a_path_is_a_404(api_client, db, path):
    assert api_client.get(path.format(HUGE)).status_code == 404


def test_a_float_overflow_in_json_is_a_400(api_client_with_token):
    response = api_client_with_token.post("/api/v1/claims/", data='{"text": "x", "claimant": 1e400}',
                                          content_type="application/json")
    assert_json_error(response, 400)


def test_deeply_nested_json_is_a_400(api_client_with_token):
    response = api_client_with_token.post("/api/v1/claims/", data="[" * 100_000 + "]" * 100_000,
                                          content_type="application/json")
    assert_json_error(response, 400)


def test_a_huge_version_on_a_desk_form_is_refused(editor_client, editor):
    from .factories import researching_claim

    claim = researching_claim(actor=editor)
    response = editor_client.post(f"/desk/claims/{claim.pk}/", {"text": "Edited", "version": HUGE})
    assert response.status_code in (400, 409, 200)
    claim.refresh_from_db()
    assert claim.text != "Edited"


@pytest.mark.parametrize("value", ["²", HUGE, "-1", "abc"])
def test_a_bad_source_on_the_capture_page_is_ignored(editor_client, value):
    response = editor_client.get("/desk/claims/new/", {"source": value})
    assert response.status_code == 200


@pytest.mark.parametrize("query", ["created_at__year=9223372036854775807", "id=99999999999999999999",
                                   "created_at__year=x", "status__exact=%00"])
def test_the_admin_list_refuses_out_of_range_filters(staff_client, query):
    response = staff_client.get(f"/admin/claims/claim/?{query}")
    assert response.status_code in (200, 302, 400)


# ---------------------------------------------------------------------------------------------------------
# Under /api/ everything is JSON; HEAD works wherever GET does; styled 400 and 413 pages.


@pytest.mark.parametrize("path", ["/api/v1/sources/x%0Ay/", "/api/v1/claims/1%0A/", "/api/nothing/",
                                  "/api/v1/claims/%0A"])
def test_everything_under_api_answers_json(api_client, db, path):
    response = api_client.get(path)
    assert_json_error(response, 404)


def public_paths(claim):
    return ["/", "/claims/", claim.get_absolute_url(), f"/claimants/{claim.claimant.slug}/",
            "/corrections/", "/methodology/", "/submit/", "/feeds/latest/", "/sitemap.xml", "/robots.txt",
            "/ratings.css", "/healthz", "/readyz", "/api/v1/claims/", "/api/schema/"]


@pytest.mark.parametrize("cached", [False, True])
def test_head_works_wherever_get_does(anonymous, claim, settings, cached):
    if cached:
        settings.PUBLIC_CACHE_SECONDS = 600
    for path in public_paths(claim):
        get = anonymous.get(path)
        head = anonymous.head(path)
        assert head.status_code == get.status_code, path
        assert head.content == b""


def test_a_bad_request_page_is_styled(anonymous, settings):
    settings.ALLOWED_HOSTS = ["testserver"]
    response = anonymous.get("/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert b"<!doctype html>" in response.content.lower()
    assert b"site-header" in response.content or b"Bad request" in response.content


def test_an_oversized_form_post_is_a_styled_413(anonymous, settings, db):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    response = anonymous.post("/submit/", {"text": "x" * 20_000, "url": "https://news.example/a"})
    assert response.status_code == 413
    assert b"<!doctype html>" in response.content.lower()
    assert b"too large" in response.content.lower()


def test_an_oversized_multipart_post_is_a_413(anonymous, settings, db):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    upload = SimpleUploadedFile("big.txt", b"x" * 50_000)
    response = anonymous.post("/submit/", {"text": "Tip", "file": upload})
    assert response.status_code == 413


def test_an_oversized_json_body_is_a_json_413(api_client_with_token, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    response = api_client_with_token.post("/api/v1/claims/", {"text": "x" * 20_000}, format="json")
    assert_json_error(response, 413)


# ---------------------------------------------------------------------------------------------------------
# Every payload to every page and endpoint: no 5xx, anonymously and as an editor.

PAYLOADS = {
    "tampered cursor": {"cursor": TAMPERED_CURSOR},
    "NUL in q": {"q": "a\x00b"},
    "NUL in rating": {"rating": "\x00"},
    "NUL in claimant": {"claimant": "\x00"},
    "NUL in topic": {"topic": "\x00"},
    "huge integer": {"source": HUGE, "page": HUGE, "page_size": HUGE, "id": HUGE, "version": HUGE},
    "below int64": {"source": BELOW_INT64, "page": BELOW_INT64},
    "superscript two": {"source": "²", "page": "²", "before": "²", "after": "²"},
    "float overflow": {"source": "1e400", "version": "1e400"},
    "garbage dates": {"updated_after": "notadate", "published_after": "9999999-01-01", "recheck_on": "x"},
    "huge position": {"before": "99999999999999999.999999999999999999", "after": "-99999999999999999.1"},
    "long q": {"q": "x" * 5000},
    "right-to-left": {"q": "\u202eevil\u202c", "text": "\u0627\u0644\u0639\u0631\u0628\u064a\u0629"},
}


def every_path(claim):
    evidence = claim.evidence.first()
    return [
        *public_paths(claim), f"/claims/{claim.pk}/", f"/sources/{claim.source_id or 1}/",
        f"/topics/{claim.topics.first().slug if claim.topics.exists() else 'x'}/", "/submit/thanks/",
        "/desk/", "/desk/claims/new/", f"/desk/claims/{claim.pk}/", f"/desk/claims/{claim.pk}/evidence/",
        f"/desk/claims/{claim.pk}/evidence/{evidence.pk}/", f"/desk/claims/{claim.pk}/verdict/",
        "/desk/sources/", "/desk/sources/new/", "/desk/claimants/", "/desk/claimants/new/",
        f"/desk/claimants/{claim.claimant_id}/", "/desk/profile/",
        "/api/v1/claims/similar/", f"/api/v1/claims/{claim.pk}/", f"/api/v1/evidence/{evidence.pk}/",
        f"/api/v1/claimants/{claim.claimant_id}/", *cursor_paths(claim), "/accounts/login/",
        "/admin/claims/claim/", "/admin/claims/claimant/", "/admin/claims/source/",
    ]


@pytest.mark.parametrize("payload", PAYLOADS, ids=list(PAYLOADS))
@pytest.mark.parametrize("who", ["anonymous", "editor", "staff"])
def test_no_probe_is_a_5xx(claim, editor, staff_client, payload, who):
    if who == "anonymous":
        c = Client()
    elif who == "editor":
        c = Client()
        c.force_login(editor)
    else:
        c = staff_client
    failures = []
    for path in every_path(claim):
        for method in (c.get, c.head):
            response = method(path, PAYLOADS[payload])
            if response.status_code >= 500:
                failures.append((method.__name__, path, response.status_code))
    assert not failures


BODIES = {
    "NUL": {"name": "a\x00b", "text": "a\x00b", "title": "a\x00b", "url": "https://x.example/\x00"},
    "huge version": {"version": HUGE, "text": "x"},
    "superscript": {"version": "²", "claimant": "²", "source": "²", "rating": "²"},
    "float overflow": {"version": "1e400", "claimant": "1e400"},
    "ftp URL": {"url": "ftp://x.example/", "same_as": "ftp://x.example/"},
}


@pytest.mark.parametrize("body", BODIES, ids=list(BODIES))
def test_no_posted_probe_is_a_5xx(claim, editor, body):
    c = Client(raise_request_exception=False)
    c.force_login(editor)
    failures = []
    evidence = claim.evidence.first()
    for path in ["/desk/claims/new/", f"/desk/claims/{claim.pk}/", f"/desk/claims/{claim.pk}/evidence/",
                 f"/desk/claims/{claim.pk}/evidence/{evidence.pk}/", f"/desk/claims/{claim.pk}/reopen/",
                 "/desk/sources/new/", "/desk/claimants/new/", f"/desk/claimants/{claim.claimant_id}/",
                 "/submit/"]:
        response = c.post(path, BODIES[body])
        if response.status_code >= 500:
            failures.append((path, response.status_code))
    api = Client(raise_request_exception=False)
    api.force_login(editor)
    for path in ["/api/v1/claims/", f"/api/v1/claims/{claim.pk}/evidence/", "/api/v1/claimants/",
                 "/api/v1/sources/", "/api/v1/topics/", f"/api/v1/claims/{claim.pk}/reopen/"]:
        response = api.post(path, json.dumps(BODIES[body]), content_type="application/json")
        if response.status_code >= 500:
            failures.append((path, response.status_code))
    assert not failures


def test_api_urls_refuse_ftp_for_claimants_and_sources(api_client_with_token):
    response = api_client_with_token.post("/api/v1/claimants/", {"name": "Ftp", "same_as": "ftp://x.example/"},
                                          format="json")
    assert_json_error(response, 400)
    response = api_client_with_token.post("/api/v1/sources/", {"title": "Ftp", "url": "ftps://x.example/"},
                                          format="json")
    assert_json_error(response, 400)
    assert not Claimant.objects.filter(name="Ftp").exists()
    assert not Source.objects.filter(title="Ftp").exists()


def test_reference_factories_exist(db):
    # keeps the imports honest for the race tests in test_concurrency.py
    assert ClaimantFactory and SourceFactory and TopicFactory and Topic and reverse


# ---------------------------------------------------------------------------------------------------------
# Input the API used to accept silently.


@pytest.mark.parametrize("value", ["garbage", "0", "-1", "", "²", "1e3"])
def test_a_page_size_that_is_not_one_is_refused(api_client, claim, value):
    body = assert_json_error(api_client.get("/api/v1/claims/", {"page_size": value}), 400)
    assert "page_size" in body["errors"]


def test_a_page_size_within_the_limit_is_honoured(api_client, claim):
    assert api_client.get("/api/v1/claims/", {"page_size": "1"}).json()["results"][0]["id"] == claim.pk


@pytest.mark.parametrize("query", ["", "?text=", "?text=%20%20"])
def test_similar_claims_need_a_text(api_client, db, query):
    body = assert_json_error(api_client.get(f"/api/v1/claims/similar/{query}"), 400)
    assert "text" in body["errors"]


@pytest.mark.parametrize("name", ["updated_after", "published_after", "source"])
def test_an_empty_typed_filter_is_refused(api_client, claim, name):
    body = assert_json_error(api_client.get(f"/api/v1/claims/?{name}="), 400)
    assert name in body["errors"]


@pytest.mark.parametrize(("path", "body", "field"), [
    ("/api/v1/claims/", {"text": 123, "claimant": None}, "text"),
    ("/api/v1/topics/", {"name": 5, "slug": "five"}, "name"),
    ("/api/v1/claimants/", {"name": True}, "name"),
    ("/api/v1/sources/", {"title": ["a"], "url": ""}, "title"),
])
def test_a_number_for_a_text_field_is_refused(api_client_with_token, path, body, field):
    response = api_client_with_token.post(path, body, format="json")
    assert field in assert_json_error(response, 400)["errors"]
