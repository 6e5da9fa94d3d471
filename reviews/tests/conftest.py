"""The personas of claims/tests/conftest.py, and helpers for importing reviews."""

import io
import json

import pytest
from django.conf import settings
from django.core.management import call_command

from claims.tests.conftest import *  # noqa: F403 - the same personas everywhere

SHARED = settings.BASE_DIR.parent / "shared" / "data" / "claimreview"
ARABIC = SHARED / "google-factcheck-arabic.json"
COVID = SHARED / "google-factcheck-covid.json"


def run_import(path_or_dash, **options):
    """(stdout, stderr) of import_claimreview."""
    out, err = io.StringIO(), io.StringIO()
    call_command("import_claimreview", str(path_or_dash), stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def write(tmp_path, data, name="reviews.json"):
    path = tmp_path / name
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data if isinstance(data, str) else json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def google_claim(n, *, publisher="Full Fact", site="fullfact.org", rating="False", language="en", **overrides):
    review = {"publisher": {"name": publisher, "site": site}, "url": f"https://{site}/checks/{n}",
              "title": f"Headline {n}", "reviewDate": "2025-10-23T10:00:00Z", "textualRating": rating,
              "languageCode": language}
    claim = {"text": f"Claim number {n} about frozen assets", "claimant": "Sergey Lavrov",
             "claimDate": "2025-10-21T00:00:00Z", "claimReview": [review]}
    claim.update(overrides)
    return claim


@pytest.fixture
def shared_files():
    if not ARABIC.exists() or not COVID.exists():
        pytest.fail(f"The shared ClaimReview files are missing from {SHARED} (CI has them beside the clone)")
    return ARABIC, COVID
