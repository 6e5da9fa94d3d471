"""Accounts: a password change or reset revokes the user's API tokens and logs out their other sessions; a
token is shown once, when it is made; pages that show secrets are not stored (Cache-Control: no-store); and
the password reset works end to end with the configured mail backend."""

import io
import re
import runpy

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import SESSION_KEY
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token

from .factories import token_client

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
NEW = "a new and longer passphrase"


def logged_in(client):
    return client.get(reverse("desk:dashboard")).status_code == 200


def test_a_token_is_shown_once_when_it_is_made(editor_client, editor):
    created = editor_client.post(reverse("desk:token_create"))
    key = Token.objects.get(user=editor).key
    assert created.status_code == 200 and key in created.content.decode()
    assert "shown this once" in created.content.decode()

    later = editor_client.get(reverse("desk:profile")).content.decode()
    assert key not in later
    assert f"<code>{key[:4]}…</code>" in later  # only how it begins, so that its owner can tell which it is
    assert "Regenerate the token" in later and "Revoke the token" in later


def test_pages_that_show_secrets_are_not_stored(editor_client):
    for response in (editor_client.get(reverse("desk:profile")), editor_client.post(reverse("desk:token_create")),
                     editor_client.get(reverse("desk:profile"))):
        assert "no-store" in response["Cache-Control"]


def test_changing_the_password_revokes_the_token_and_other_sessions(client, editor):
    api = token_client(editor)
    assert api.get("/api/v1/claims/").status_code == 200
    elsewhere = Client()
    elsewhere.force_login(editor)
    client.force_login(editor)

    response = client.post(reverse("password_change"),
                           {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW})
    assert response.status_code == 302
    assert not Token.objects.filter(user=editor).exists()
    assert api.get("/api/v1/claims/").status_code == 401
    assert not logged_in(elsewhere)
    assert logged_in(client)  # the session that made the change stays (update_session_auth_hash)


def test_the_password_reset_works_end_to_end_and_revokes_access(client, editor, mailoutbox):
    api = token_client(editor)
    elsewhere = Client()
    elsewhere.force_login(editor)
    assert "Reset it by e-mail" in client.get(reverse("login")).content.decode()

    asked = client.post(reverse("password_reset"), {"email": editor.email})
    assert asked["Location"] == reverse("password_reset_done")
    assert "Check your e-mail" in client.get(asked["Location"]).content.decode()
    (mail,) = mailoutbox
    assert mail.to == [editor.email] and "Reset your password" in mail.subject
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", mail.body).group(1)

    form = client.get(link, follow=True)
    assert "Choose a new password" in form.content.decode()
    assert "no-store" in form["Cache-Control"]
    done = client.post(form.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW})
    assert done["Location"] == reverse("password_reset_complete")
    assert "Password set" in client.get(done["Location"]).content.decode()

    assert not Token.objects.filter(user=editor).exists()
    assert api.get("/api/v1/claims/").status_code == 401
    assert not logged_in(elsewhere)
    assert client.post(reverse("login"), {"username": "erin", "password": NEW}).status_code == 302
    assert SESSION_KEY in client.session
    # The link works once.
    assert "has been used already or has expired" in client.get(link, follow=True).content.decode()


def test_an_unknown_address_sends_nothing_and_says_the_same(client, editor, mailoutbox):
    asked = client.post(reverse("password_reset"), {"email": "nobody@newsroom.example"})
    assert asked["Location"] == reverse("password_reset_done")
    assert mailoutbox == []


def test_a_password_set_by_any_path_revokes_the_token(editor, monkeypatch):
    token_client(editor)
    monkeypatch.setattr("getpass.getpass", lambda prompt="": NEW)
    call_command("changepassword", "erin", stdout=io.StringIO())
    assert not Token.objects.filter(user=editor).exists()


def test_the_password_forms_say_what_a_change_does(editor_client):
    html = editor_client.get(reverse("password_change")).content.decode()
    assert "<li>Setting a new password logs you out everywhere else and revokes your API token.</li>" in html
    assert "<li></li>" not in html


def test_other_users_tokens_survive(editor, reviewer):
    token_client(reviewer)
    editor.set_password(NEW)
    editor.save()
    assert Token.objects.filter(user=reviewer).exists()


def test_the_mail_backend_is_the_console_by_default_and_smtp_with_email_host(monkeypatch):
    path = str(django_settings.BASE_DIR / "factcheck" / "settings.py")
    monkeypatch.setenv("SECRET_KEY", "test-secret")
    for name in ("EMAIL_HOST", "EMAIL_PORT", "EMAIL_USE_TLS", "EMAIL_USE_SSL", "DATABASE_URL", "REDIS_URL"):
        monkeypatch.delenv(name, raising=False)
    assert runpy.run_path(path)["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend"

    monkeypatch.setenv("EMAIL_HOST", "smtp.newsroom.example")
    monkeypatch.setenv("EMAIL_PORT", "465")
    monkeypatch.setenv("EMAIL_USE_TLS", "0")
    monkeypatch.setenv("EMAIL_USE_SSL", "1")
    smtp = runpy.run_path(path)
    assert smtp["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert (smtp["EMAIL_HOST"], smtp["EMAIL_PORT"], smtp["EMAIL_USE_SSL"]) == ("smtp.newsroom.example", 465, True)

    monkeypatch.setenv("EMAIL_USE_TLS", "1")
    with pytest.raises(ImproperlyConfigured, match="EMAIL_USE_SSL"):
        runpy.run_path(path)
    monkeypatch.setenv("EMAIL_PORT", "smtp")
    with pytest.raises(ImproperlyConfigured, match="EMAIL_PORT"):
        runpy.run_path(path)
