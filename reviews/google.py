"""A client for Google Fact Check Tools' ``claims:search`` (https://developers.google.com/fact-check/tools/api).

The API key comes from the environment (``GOOGLE_FACTCHECK_API_KEY``), never from the repository. Pages are
followed through ``nextPageToken``; each page is read with ``parsing.expand`` like a saved response. The address
is the setting ``GOOGLE_FACTCHECK_URL`` (tests point it at a loopback server that replays recorded pages).
"""

import json
import os
import urllib.error
import urllib.parse
import urllib.request

from django.conf import settings

from .parsing import expand

KEY_VARIABLE = "GOOGLE_FACTCHECK_API_KEY"
DEFAULT_URL = "https://factchecktools.googleapis.com/v1alpha1/claims:search"
PAGE_SIZE = 100
TIMEOUT = 30
MAX_BYTES = 20_000_000
USER_AGENT = "factcheck-tracker (ClaimReview import)"


class GoogleError(Exception):
    """The API could not be read: the message says why."""


def api_key():
    key = os.environ.get(KEY_VARIABLE, "").strip()
    if not key:
        raise GoogleError(f"Set {KEY_VARIABLE} to a Google API key with the Fact Check Tools API enabled.")
    return key


class Client:
    def __init__(self, *, key, url=None):
        self.key = key
        self.url = url or getattr(settings, "GOOGLE_FACTCHECK_URL", "") or DEFAULT_URL

    def search(self, query, *, language=None, publisher_site=None, max_age_days=None, max_pages=100):
        """``(page number, (position, Record | BadRecord))`` for every review the search finds, page by page."""
        token = None
        for page in range(1, max_pages + 1):
            params = {"query": query, "pageSize": PAGE_SIZE, "key": self.key}
            if language:
                params["languageCode"] = language
            if publisher_site:
                params["reviewPublisherSiteFilter"] = publisher_site
            if max_age_days:
                params["maxAgeDays"] = max_age_days
            if token:
                params["pageToken"] = token
            body = self.fetch(params)
            for item in expand(body.get("claims") or [], "claims", quiet=True):
                yield page, item
            token = body.get("nextPageToken")
            if not token:
                return

    def fetch(self, params):
        request = urllib.request.Request(f"{self.url}?{urllib.parse.urlencode(params)}",
                                         headers={"User-Agent": USER_AGENT, "Accept": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
                raw = response.read(MAX_BYTES + 1)
        except urllib.error.HTTPError as exc:
            raise GoogleError(f"Google answered {exc.code}: {_message(exc)}") from None
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise GoogleError(f"Google could not be reached: {getattr(exc, 'reason', exc)}") from None
        if len(raw) > MAX_BYTES:
            raise GoogleError("Google's answer is over 20 MB; stopped.")
        try:
            body = json.loads(raw)
        except ValueError:
            raise GoogleError("Google's answer is not JSON.") from None
        if not isinstance(body, dict):
            raise GoogleError("Google's answer is not a claims:search response.")
        return body


def _message(error):
    """The API's own error message (``{"error": {"message": …}}``), cut short; the key is never in it."""
    try:
        body = json.loads(error.read(100_000))
        message = body["error"]["message"]
    except (ValueError, KeyError, TypeError):
        message = error.reason
    return str(message)[:200]
