"""Accounts: log in and out, change the password, the cool-off after repeated failures, and the API token."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


def test_the_login_page_has_labelled_fields(client):
    html = client.get(reverse("login")).content.decode()
    assert '<label for="id_username">Username</label>' in html
    assert '<label for="id_password">Password</label>' in html


def test_logging_in_leads_to_the_desk(client, editor):
    response = client.post(reverse("login"), {"username": "erin", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("desk:dashboard")
    assert int(client.session[SESSION_KEY]) == editor.pk


def test_logging_in_returns_to_the_page_asked_for(client, editor):
    desk_page = reverse("desk:claim_new")
    response = client.post(reverse("login"), {"username": "erin", "password": PASSWORD, "next": desk_page})
    assert response["Location"] == desk_page


def test_a_wrong_password_is_refused_with_a_message(client, editor):
    response = client.post(reverse("login"), {"username": "erin", "password": "wrong"})
    assert response.status_code == 200
    assert "Please enter a correct username and password." in response.content.decode()
    assert SESSION_KEY not in client.session


def test_repeated_failures_lock_the_login_with_a_clear_message(client, editor, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert client.post(reverse("login"), {"username": "erin", "password": "wrong"}).status_code == 200
    locked = client.post(reverse("login"), {"username": "erin", "password": "wrong"})
    assert locked.status_code == 429
    html = locked.content.decode()
    assert "Too many failed log-in attempts for “erin”." in html
    assert "log-in is paused for 15 minutes" in html
    # Even the right password is refused during the cool-off.
    again = client.post(reverse("login"), {"username": "erin", "password": PASSWORD})
    assert again.status_code == 429
    assert SESSION_KEY not in client.session


def test_logging_out(editor_client):
    response = editor_client.post(reverse("logout"))
    assert response.status_code == 302
    assert SESSION_KEY not in editor_client.session
    assert editor_client.get(reverse("desk:dashboard")).status_code == 302


def test_changing_the_password(client, editor):
    client.force_login(editor)
    page = client.get(reverse("password_change"))
    assert page.status_code == 200 and 'for="id_old_password"' in page.content.decode()
    response = client.post(reverse("password_change"), {"old_password": PASSWORD,
                                                       "new_password1": "a new and longer passphrase",
                                                       "new_password2": "a new and longer passphrase"},
                           follow=True)
    assert "Password changed" in response.content.decode()
    editor.refresh_from_db()
    assert editor.check_password("a new and longer passphrase")


def test_the_password_change_needs_the_old_password(client, editor):
    client.force_login(editor)
    response = client.post(reverse("password_change"), {"old_password": "wrong",
                                                       "new_password1": "a new and longer passphrase",
                                                       "new_password2": "a new and longer passphrase"})
    assert "Your old password was entered incorrectly." in response.content.decode()
    editor.refresh_from_db()
    assert editor.check_password(PASSWORD)


def test_password_change_needs_login(anonymous):
    assert anonymous.get(reverse("password_change"))["Location"].startswith(reverse("login"))


def test_creating_replacing_and_revoking_the_api_token(editor_client, editor):
    assert "You have no API token." in editor_client.get(reverse("desk:profile")).content.decode()

    created = editor_client.post(reverse("desk:token_create"), follow=True)
    token = Token.objects.get(user=editor)
    assert "API token created." in created.content.decode()
    assert token.key in created.content.decode()

    replaced = editor_client.post(reverse("desk:token_create"), follow=True)
    new = Token.objects.get(user=editor)
    assert new.key != token.key
    assert "the old one no longer works" in replaced.content.decode()

    revoked = editor_client.post(reverse("desk:token_revoke"), follow=True)
    assert "API token revoked" in revoked.content.decode()
    assert not Token.objects.filter(user=editor).exists()
    assert "You had no API token." in editor_client.post(reverse("desk:token_revoke"), follow=True).content.decode()


def test_the_token_works_on_the_api_until_revoked(editor_client, editor):
    editor_client.post(reverse("desk:token_create"))
    key = Token.objects.get(user=editor).key
    api = Client(HTTP_AUTHORIZATION=f"Token {key}")
    # Any authenticated API call will do; a wrong token is refused outright.
    assert Client(HTTP_AUTHORIZATION="Token nope").get("/api/v1/claims/").status_code == 401
    assert api.get("/api/v1/claims/").status_code == 200
    editor_client.post(reverse("desk:token_revoke"))
    assert api.get("/api/v1/claims/").status_code == 401


def test_one_users_token_is_not_shown_to_another(editor_client, reviewer):
    token = Token.objects.create(user=reviewer)
    assert token.key not in editor_client.get(reverse("desk:profile")).content.decode()
