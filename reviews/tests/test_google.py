"""``import_claimreview --google``: the claims:search client against a loopback server replaying recorded pages
(the API itself cannot be reached from CI)."""

import http.server
import json
import threading
import urllib.parse
from pathlib import Path

import pytest
from django.core.management import CommandError

from reviews.models import ExternalReview

from .conftest import run_import

pytestmark = pytest.mark.django_db

REPLAY = Path(__file__).parent / "replay"
KEY = "test-key-not-real"


class Replay(http.server.BaseHTTPRequestHandler):
    requests = []

    def do_GET(self):
        query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(self.path).query))
        Replay.requests.append(query)
        if query.get("key") != KEY:
            name, status = "error", 403
        else:
            name, status = ("page2" if query.get("pageToken") == "CAI" else "page1"), 200
        body = (REPLAY / f"claims-search-{name}.json").read_bytes()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=UTF-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def google(settings, monkeypatch):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Replay)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    Replay.requests = []
    settings.GOOGLE_FACTCHECK_URL = f"http://127.0.0.1:{server.server_address[1]}/v1alpha1/claims:search"
    monkeypatch.setenv("GOOGLE_FACTCHECK_API_KEY", KEY)
    yield Replay.requests
    server.shutdown()
    server.server_close()


def test_a_search_follows_every_page_and_imports_what_it_finds(google):
    out, err = run_import("", google="5G", language="en", publisher_site="fullfact.org", max_age_days=30)
    assert err == ""
    assert "Done: 3 record(s) read: 3 imported" in out
    assert [request.get("pageToken") for request in google] == [None, "CAI"]
    first = google[0]
    assert (first["query"], first["languageCode"], first["reviewPublisherSiteFilter"], first["maxAgeDays"]) == (
        "5G", "en", "fullfact.org", "30")
    assert sorted(ExternalReview.objects.values_list("publisher_name", "textual_rating", "language")) == [
        ("Full Fact", "False", "en"), ("PolitiFact", "Pants on Fire!", "en"), ("مسبار", "زائف", "ar")]

    again, _ = run_import("", google="5G")
    assert "0 imported, 0 updated, 3 already there" in again


def test_an_error_page_stops_the_import_with_google_s_message(google, monkeypatch):
    monkeypatch.setenv("GOOGLE_FACTCHECK_API_KEY", "wrong")
    with pytest.raises(CommandError, match="Google answered 403: API key not valid"):
        run_import("", google="5G")
    assert not ExternalReview.objects.exists()


def test_no_key_no_request(google, monkeypatch):
    monkeypatch.delenv("GOOGLE_FACTCHECK_API_KEY")
    with pytest.raises(CommandError, match="Set GOOGLE_FACTCHECK_API_KEY"):
        run_import("", google="5G")
    assert google == []


def test_an_unreachable_api_is_a_clear_error(settings, monkeypatch):
    monkeypatch.setenv("GOOGLE_FACTCHECK_API_KEY", KEY)
    settings.GOOGLE_FACTCHECK_URL = "http://127.0.0.1:9/claims:search"
    with pytest.raises(CommandError, match="Google could not be reached"):
        run_import("", google="5G")


def test_the_recorded_pages_are_claims_search_responses():
    for name in ("page1", "page2"):
        body = json.loads((REPLAY / f"claims-search-{name}.json").read_text())
        assert all("claimReview" in claim for claim in body["claims"])
