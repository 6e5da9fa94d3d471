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


def test_others_reviews_matching_a_text(tmp_path, editor):
    from claims.tests.factories import new_claim
    from reviews.models import ExternalReview

    new_claim(actor=editor, text="5G masts spread the coronavirus, says our own desk")
    run_import(write(tmp_path, [google_claim(1, text="5G masts spread the coronavirus", publisher="Full Fact"),
                                google_claim(2, text="Frozen assets total €300bn", publisher="Other")]))
    found = list(ExternalReview.objects.matching("coronavirus 5G masts"))
    assert [review.publisher_label for review in found] == ["Full Fact"]
    assert not ExternalReview.objects.matching("").exists()
