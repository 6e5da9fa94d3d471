"""Personas: the people every test is written about."""

import importlib

import pytest
from django.apps import apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from rest_framework.test import APIClient

from claims.models import Rating

from .browser import browser, people  # noqa: F401 - the real-browser fixtures, for every test module
from .factories import EditorFactory, ReviewerFactory, token_client


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Every persona gets a password; the production hasher's deliberate slowness costs a second or more each.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session")
def cache_dir(tmp_path_factory):
    return str(tmp_path_factory.mktemp("cache"))


@pytest.fixture(autouse=True)
def no_public_cache(settings, cache_dir):
    # Cache invalidation runs on commit, and most tests roll back instead: they would read stale pages.
    # test_caching.py turns the cache on and commits for real.
    if settings.CACHES["default"]["BACKEND"].endswith("FileBasedCache"):
        # The run's own folder: never the pages of a server running from the same checkout.
        settings.CACHES = {"default": {**settings.CACHES["default"], "LOCATION": cache_dir}}
    settings.PUBLIC_CACHE_SECONDS = 0
    settings.PUBLIC_DATA_CACHE = False
    cache.clear()


@pytest.fixture(autouse=True)
def closed_circuit_breaker():
    # A test that simulates an outage opens the process's breaker; the next test starts with the database up.
    from claims.middleware import breaker

    breaker.succeeded()
    yield
    breaker.succeeded()


@pytest.fixture(autouse=True)
def plain_static_storage(settings):
    # Pages render {% static %}; the manifest storage needs collectstatic, which tests do not run.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def editor(db):
    return EditorFactory(username="erin", first_name="Erin", last_name="Editor")


@pytest.fixture
def other_editor(db):
    return EditorFactory(username="otto", first_name="Otto", last_name="Other")


@pytest.fixture
def reviewer(db):
    return ReviewerFactory(username="rita", first_name="Rita", last_name="Reviewer")


@pytest.fixture
def other_reviewer(db):
    return ReviewerFactory(username="remy", first_name="Remy", last_name="Second")


@pytest.fixture
def anonymous(client):
    return client


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def reviewer_client(db, reviewer):
    from django.test import Client

    c = Client()
    c.force_login(reviewer)
    return c


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def api_client_with_token(editor):
    return token_client(editor)


@pytest.fixture
def reviewer_api_client(reviewer):
    return token_client(reviewer)


@pytest.fixture
def roles_and_ratings(transactional_db):
    """For tests that commit for real (threads, live servers, other processes): what migration 0002 seeds.
    Another transactional test's flush may have emptied those tables (Django recreates only content types
    and permissions after a flush), so seed them again where missing. Not serialized_rollback: restoring
    the serialized content types clashes with the ones a flush recreated."""
    seeds = importlib.import_module("claims.migrations.0002_rating_scale_and_roles")
    create_permissions(apps.get_app_config("claims"), verbosity=0)
    for order, (slug, label, value, colour, definition) in enumerate(seeds.RATINGS, start=1):
        Rating.objects.get_or_create(slug=slug, defaults={"label": label, "value": value, "colour": colour,
                                                          "definition": definition, "order": order})
    for name, codenames in (("Editors", seeds.EDITOR_PERMISSIONS), ("Reviewers", seeds.REVIEWER_PERMISSIONS)):
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(Permission.objects.filter(content_type__app_label="claims", codename__in=codenames))


@pytest.fixture(autouse=True)
def api_responses_match_the_schema(request, monkeypatch):
    """In the API test modules, every /api/v1/ response is validated against the published schema."""
    if not request.node.path.name.startswith("test_api_"):
        yield
        return
    from django.test import Client

    from .schema_check import check

    original = Client.request

    def checked(self, **environ):
        response = original(self, **environ)
        check(environ.get("REQUEST_METHOD", "GET"), environ.get("PATH_INFO", ""), response)
        return response

    monkeypatch.setattr(Client, "request", checked)
    yield
