"""Limits that hold for everyone, on both databases: slugs unique regardless of case, http(s)-only
addresses, client addresses, login throttling, request and field sizes, reader tips."""

import pytest
from django.db import IntegrityError, transaction

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
    assert response.status_code == 400
    assert "slug" in response.json()["errors"]


def test_the_api_refuses_a_topic_slug_that_differs_only_in_case(api_client_with_token):
    TopicFactory(slug="frozen-assets")
    response = api_client_with_token.post("/api/v1/topics/", {"name": "Assets", "slug": "FROZEN-assets"},
                                          format="json")
    assert response.status_code == 400
    assert "slug" in response.json()["errors"]
    assert Topic.objects.count() == 1


def test_a_slug_made_from_a_name_steps_past_one_in_another_case(editor_client):
    ClaimantFactory(name="Sergey Lavrov", slug="Sergey-Lavrov")
    response = editor_client.post("/desk/claimants/new/", {"name": "Sergey Lavrov", "kind": "person"})
    assert response.status_code == 302
    assert Claimant.objects.filter(slug="sergey-lavrov-2").exists()
