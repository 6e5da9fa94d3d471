import pytest
from django.contrib.auth import get_user_model

from claims.models import Rating
from reviews.models import ExternalReview, RatingMapping

from .conftest import google_claim, run_import, write

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    client.force_login(get_user_model().objects.create_superuser("boss", "boss@example.org", "x"))
    return client


def test_the_seeded_mapping_is_editable_in_the_admin_and_drives_the_filter(staff_client, tmp_path):
    claims = [google_claim(1, rating="Pants on Fire!"), google_claim(2, rating="Verdadero a medias")]
    run_import(write(tmp_path, claims))
    false, half = Rating.objects.get(slug="false"), Rating.objects.get(slug="half-true")
    assert [r.textual_rating for r in ExternalReview.objects.mapped_to(false)] == ["Pants on Fire!"]
    assert not ExternalReview.objects.mapped_to(half).exists()  # unmapped words are kept, as written

    response = staff_client.post("/admin/reviews/ratingmapping/add/",
                                 {"words": "  Verdadero a MEDIAS. ", "rating": half.pk})
    assert response.status_code == 302
    assert RatingMapping.objects.filter(words="verdadero a medias").exists()
    assert [r.textual_rating for r in ExternalReview.objects.mapped_to(half)] == ["Verdadero a medias"]
    assert staff_client.get("/checked-elsewhere/?rating=half-true").content.decode().count("Fact-check by") == 1


def test_imported_reviews_are_read_only_in_the_admin(staff_client, tmp_path):
    run_import(write(tmp_path, [google_claim(1)]))
    review = ExternalReview.objects.get()
    assert staff_client.get("/admin/reviews/externalreview/").status_code == 200
    response = staff_client.post(f"/admin/reviews/externalreview/{review.pk}/change/", {"textual_rating": "True"})
    assert response.status_code == 403
    review.refresh_from_db()
    assert review.textual_rating == "False"
