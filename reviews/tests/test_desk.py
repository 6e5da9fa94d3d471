"""The desk's capture page offers what other fact-checkers already published about a claim like it."""

import pytest
from django.urls import reverse

from claims.models import Claim
from claims.tests.factories import ClaimantFactory

from .conftest import google_claim, run_import, write

pytestmark = pytest.mark.django_db


def test_capturing_a_claim_others_checked_shows_their_reviews(editor_client, tmp_path, django_assert_max_num_queries):
    run_import(write(tmp_path, [google_claim(1, text="5G masts spread the coronavirus", rating="Pants on Fire",
                                             publisher="Full Fact", site="fullfact.org")]))
    form = {"text": "5G masts spread coronavirus", "quote": "", "claimant": ClaimantFactory().pk,
            "new_claimant_name": "", "source": "", "new_source_title": "", "new_source_url": "", "claim_date": "",
            "language": "en"}
    response = editor_client.post(reverse("desk:claim_new"), form)
    html = response.content.decode()
    assert "Checked elsewhere" in html
    assert "Full Fact" in html and "Pants on Fire" in html and 'href="https://fullfact.org/checks/1"' in html
    assert Claim.objects.count() == 1  # nothing saved until the editor confirms


def test_no_hint_when_nobody_else_checked_it(editor_client):
    form = {"text": "Frozen Russian assets total €210bn", "quote": "", "claimant": ClaimantFactory().pk,
            "new_claimant_name": "", "source": "", "new_source_title": "", "new_source_url": "", "claim_date": "",
            "language": "en"}
    response = editor_client.post(reverse("desk:claim_new"), form)
    assert response.status_code == 302
